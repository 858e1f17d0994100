import pg from 'pg';
import { DatabaseUnavailableError } from '../../../errors.js';
import type { ExecutionPlan } from '../../../executor/execution.js';
import type { Layouts, TableName } from '../../../executor/tables.js';
import type { RowStatement } from '../../../executor/unit-of-work.js';
import type { CaseDatabaseSpec, CaseRunOptions, UpgradeStep } from '../../case-database.js';
import { compileCaseStatements } from '../../case-statements.js';
import { planColumnFills, type Catalog, type ColumnFills } from '../../catalog.js';
import { bindArguments, type CompiledStatement } from '../../compiled-query.js';
import { checkDatabaseUrl, redact } from '../../database-url.js';
import { StatementShifter } from '../../shift-statements.js';
import { emptySnapshot, type Snapshot } from '../../snapshot.js';
import { readPostgresCatalog } from './postgres-catalog.js';
import { applyPostgresSchema, openPostgresSession, type PostgresSession } from './postgres-connection.js';
import { postgresLiteral } from './postgres-literal-sql.js';

/**
 * The floors a PostgreSQL campaign is measured against. The like-for-like
 * floor sends the same statements the same way as the campaign, with raw
 * `pg` on one connection and nothing of cardfuzz in between (no generation,
 * model, classification, checks, pool or retries): per case one simple-query
 * text `BEGIN; EXECUTE insert(...); ...; EXECUTE scan; ...` and one
 * `EXECUTE reader(...); ...; EXECUTE overfull; ...; ROLLBACK`, every insert,
 * scan, reader and overfull count prepared once (hand-written inserts, the
 * compiled reads, as the SQLite floor takes them). The round-trip floor (two
 * empty round trips per case) is what the server costs before any work.
 */

/** Two empty round trips per case on one connection. */
export async function measurePostgresRoundTrips(url: string, cases: number): Promise<number> {
  const client = await connect(url);
  try {
    for (let i = 0; i < 200; i++) await client.query('SELECT 1');
    const started = performance.now();
    for (let i = 0; i < cases; i++) {
      await client.query('BEGIN; SELECT 1');
      await client.query('SELECT 1; ROLLBACK');
    }
    return cases / ((performance.now() - started) / 1000);
  } finally {
    await client.end();
  }
}

/**
 * The execution cases' floor: `plans` written, scanned and read back as the
 * campaign does on PostgreSQL, `repetitions` times, in a schema of its own
 * (dropped after). `refused` counts cases whose writes the server refused
 * (rolled back, as in a campaign; the campaign then also replays the writes
 * to name the refused one, which the floor does not).
 */
export async function measurePostgresFloor(
  url: string,
  spec: CaseDatabaseSpec,
  plans: readonly ExecutionPlan[],
  layouts: Layouts,
  repetitions: number,
  readerRequests: NonNullable<CaseRunOptions['readers']>,
): Promise<{ readonly casesPerSecond: number; readonly statementsPerCase: number; readonly refused: number }> {
  return withSchema(url, spec, async (session, catalog, deferred) => {
    const compiled = compileCaseStatements('postgres', catalog, spec, fillsOf(catalog, spec));
    const prepare: string[] = [];
    const named = (name: string, statement: CompiledStatement): { name: string; statement: CompiledStatement } => {
      prepare.push(`PREPARE ${name} AS ${statement.sql}`);
      return { name, statement };
    };
    const scans = compiled.scans.map((s, i) => ({ key: s.key, text: execute(named(`floor_scan_${i}`, s.statement).name, bindArguments(s.statement, {})) }));
    const readers = new Map([...compiled.readers].map(([id, c], i) => [id, named(`floor_reader_${i}`, c)]));
    const overfull = compiled.overfull.map((o, i) => execute(named(`floor_overfull_${i}`, o.statement).name, bindArguments(o.statement, {})));
    const writes = writer(spec, layouts, catalog, prepare);
    const check = deferred.length === 0 ? [] : ['SET CONSTRAINTS ALL IMMEDIATE'];
    const client = await session.pool.connect();
    try {
      await client.query(prepare.join(';\n'));
      let refused = 0;
      const once = async (plan: ExecutionPlan): Promise<void> => {
        const texts = plan.statements.map(writes);
        try {
          const first = results(await client.query(['BEGIN', ...texts, ...check, ...scans.map((s) => s.text)].join(';\n')));
          const snapshot = emptySnapshot();
          const firstScan = 1 + texts.length + check.length;
          scans.forEach((scan, i) => ((snapshot as Record<string, unknown>)[scan.key] = first[firstScan + i]!.rows));
          const requests = readerRequests(snapshot as Snapshot).filter((r) => readers.has(r.reader));
          const reads = requests.map((r) => {
            const reader = readers.get(r.reader)!;
            return execute(reader.name, bindArguments(reader.statement, { arg: r.argument }));
          });
          await client.query({ text: [...reads, ...overfull, 'ROLLBACK'].join(';\n'), rowMode: 'array' });
        } catch (error) {
          if (!(error instanceof Error) || !('code' in error)) throw error;
          // A refused write ends the case, as it does in a campaign.
          refused++;
          await client.query('ROLLBACK');
        }
      };
      for (const plan of plans.slice(0, 200)) await once(plan);
      refused = 0;
      const started = performance.now();
      for (let r = 0; r < repetitions; r++) for (const plan of plans) await once(plan);
      const seconds = (performance.now() - started) / 1000;
      const statements = plans.reduce((n, p) => n + p.statements.length, 0) / Math.max(1, plans.length);
      return { casesPerSecond: (plans.length * repetitions) / seconds, statementsPerCase: statements, refused: refused / repetitions };
    } finally {
      client.release();
    }
  });
}

/**
 * The upgrade histories' floor: each history written in one round trip (ids
 * shifted apart, deferred constraints re-deferred, id sequences advanced) and
 * upgraded by the same migration statements one round trip each, the last
 * with the deferred check, inside BEGIN … ROLLBACK, as the upgrade database does.
 */
export async function measurePostgresUpgradeFloor(
  url: string,
  previous: CaseDatabaseSpec,
  steps: readonly UpgradeStep[],
  histories: readonly (readonly ExecutionPlan[])[],
  layouts: Layouts,
): Promise<{ readonly historiesPerSecond: number }> {
  return withSchema(url, previous, async (session, catalog, deferred) => {
    const prepare: string[] = [];
    const writes = writer(previous, layouts, catalog, prepare);
    const restore = deferred.length === 0 ? [] : [`SET CONSTRAINTS ${[...new Set(deferred)].map((n) => `"${n.replaceAll('"', '""')}"`).join(', ')} DEFERRED`];
    const check = deferred.length === 0 ? [] : ['SET CONSTRAINTS ALL IMMEDIATE'];
    const advance = previous.tablesUsed
      .filter((t) => catalog.get(t)?.columns.some((c) => c.name === 'id' && c.hasDefault))
      .map((t) => `SELECT setval(pg_get_serial_sequence('"${t}"', 'id'), MAX(id)) FROM "${t}" HAVING MAX(id) IS NOT NULL AND pg_get_serial_sequence('"${t}"', 'id') IS NOT NULL`);
    const client = await session.pool.connect();
    try {
      await client.query(prepare.join(';\n'));
      const started = performance.now();
      for (const plans of histories) {
        const shifter = new StatementShifter(catalog, layouts);
        const texts = plans.flatMap((plan) => shifter.shift(plan.statements).map(writes));
        try {
          await client.query(['BEGIN', ...texts, ...check, ...restore, ...advance].join(';\n'));
          for (const [i, step] of steps.entries()) await client.query(i === steps.length - 1 ? [step.sql, ...check].join(';\n') : step.sql);
        } catch (error) {
          // A refused history or a failing migration ends the history, as it does for the property.
          if (!(error instanceof Error) || !('code' in error)) throw error;
        } finally {
          await client.query('ROLLBACK');
        }
      }
      return { historiesPerSecond: histories.length / ((performance.now() - started) / 1000) };
    } finally {
      client.release();
    }
  });
}

/** The server's version line, for reports. */
export async function postgresServerVersion(url: string): Promise<string> {
  const client = await connect(url);
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return `PostgreSQL ${rows[0]?.server_version ?? 'unknown'}`;
  } finally {
    await client.end();
  }
}

/** A schema of its own built from `spec` for the measurement, dropped after it. */
async function withSchema<T>(url: string, spec: CaseDatabaseSpec, measure: (session: PostgresSession, catalog: Catalog, deferred: readonly string[]) => Promise<T>): Promise<T> {
  const session = await openPostgresSession(url);
  try {
    await applyPostgresSchema(session, spec.schemaSteps);
    const { catalog, deferredConstraints } = await readPostgresCatalog(session);
    return await measure(session, catalog, deferredConstraints);
  } finally {
    await session.close();
  }
}

/** The neutral values of NOT NULL columns cardfuzz does not model (none for the built-in profiles). */
function fillsOf(catalog: Catalog, spec: CaseDatabaseSpec): ColumnFills {
  return planColumnFills(catalog, spec.layouts, spec.tablesUsed, spec.schemaLabel, { booleanFalse: false });
}

/** Hand-written inserts (prepared; their PREPARE added to `prepare`) and literal updates, as one SQL text per write. */
function writer(spec: CaseDatabaseSpec, layouts: Layouts, catalog: Catalog, prepare: string[]): (s: RowStatement) => string {
  const fills = fillsOf(catalog, spec);
  const inserts = new Map<TableName, string>();
  spec.tablesUsed.forEach((table, i) => {
    const columns: readonly string[] = layouts[table].columns;
    const extra = fills.get(table) ?? [];
    const name = `floor_insert_${i}`;
    prepare.push(
      `PREPARE ${name} AS INSERT INTO "${table}" (${[...columns, ...extra.map((f) => f.column)].map((c) => `"${c}"`).join(', ')}) VALUES (${[...columns.map((_, j) => `$${j + 1}`), ...extra.map((f) => postgresLiteral(f.value))].join(', ')})`,
    );
    inserts.set(table, name);
  });
  return (s) => (s.op === 'insert' ? execute(inserts.get(s.table)!, s.values) : `UPDATE "${s.table}" SET "${s.column}" = ${postgresLiteral(s.value)} WHERE "id" = ${postgresLiteral(s.id)}`);
}

function execute(name: string, values: readonly unknown[]): string {
  return values.length === 0 ? `EXECUTE ${name}` : `EXECUTE ${name}(${values.map(postgresLiteral).join(', ')})`;
}

/** pg returns one result for one statement and an array for several. */
function results(result: pg.QueryResult | pg.QueryResult[]): pg.QueryResult[] {
  return Array.isArray(result) ? result : [result];
}

async function connect(url: string): Promise<pg.Client> {
  checkDatabaseUrl(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new DatabaseUnavailableError(`cannot connect to PostgreSQL at ${redact(url)}: ${(error as Error).message}`);
  }
  return client;
}
