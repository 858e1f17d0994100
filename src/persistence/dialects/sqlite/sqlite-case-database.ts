import Database from 'better-sqlite3';
import { DatabaseUnavailableError, SchemaError } from '../../../errors.js';
import type { ExecutionPlan } from '../../../executor/execution.js';
import type { CaseDatabase, CaseDatabaseSpec, CaseOutcome, CaseRunOptions, OverfullRelationship, ReaderResult, WriteFailure } from '../../case-database.js';
import { planColumnFills, type Catalog } from '../../catalog.js';
import { bindArguments, type CompiledStatement } from '../../compiled-query.js';
import { compileCaseStatements } from '../../case-statements.js';
import { isPgDump } from '../../dump-format.js';
import { emptySnapshot, type Snapshot } from '../../snapshot.js';
import { readSqliteCatalog } from './sqlite-catalog.js';
import { SqliteWriter } from './sqlite-writer.js';

/**
 * The embedded default: one in-memory SQLite database per process (or
 * worker), foreign keys on, every statement prepared once, each case inside
 * BEGIN … ROLLBACK. All work is synchronous; the promise is only the
 * interface's shape.
 */
/** SQLite stores booleans as integers. */
export const SQLITE_NEUTRAL_VALUES = { booleanFalse: 0 } as const;

export class SqliteCaseDatabase implements CaseDatabase {
  readonly dialect = 'sqlite' as const;
  readonly catalog: Catalog;
  readonly #db: Database.Database;
  readonly #writer: SqliteWriter;
  readonly #scans: { key: keyof Snapshot; statement: Database.Statement; workflowOnly: boolean }[];
  readonly #readers = new Map<string, { compiled: CompiledStatement; statement: Database.Statement }>();
  readonly #overfull: { relationship: string; args: unknown[]; statement: Database.Statement }[];
  readonly #begin: Database.Statement;
  readonly #rollback: Database.Statement;
  readonly #deferredForeignKeys: boolean;

  constructor(spec: CaseDatabaseSpec) {
    this.#db = new Database(':memory:');
    this.#db.pragma('foreign_keys = ON');
    if (this.#db.pragma('foreign_keys', { simple: true }) !== 1) throw new DatabaseUnavailableError('SQLite refused PRAGMA foreign_keys = ON');
    applySqliteSchema(this.#db, spec.schemaSteps);
    this.catalog = readSqliteCatalog(this.#db);
    const fills = planColumnFills(this.catalog, spec.layouts, spec.tablesUsed, spec.schemaLabel, SQLITE_NEUTRAL_VALUES);
    const statements = compileCaseStatements('sqlite', this.catalog, spec, fills);
    this.#writer = new SqliteWriter(this.#db, statements, this.catalog, spec.layouts, spec.schemaLabel);
    const prepare = (sql: string): Database.Statement => this.#writer.prepare(sql);
    this.#scans = statements.scans.map((s) => ({ key: s.key, statement: prepare(s.statement.sql), workflowOnly: s.workflowOnly }));
    // Readers return one id column: pluck it instead of building row objects.
    for (const [id, compiled] of statements.readers) this.#readers.set(id, { compiled, statement: prepare(compiled.sql).pluck(true) });
    this.#overfull = statements.overfull.map((o) => ({ relationship: o.relationship, args: bindArguments(o.statement, {}), statement: prepare(o.statement.sql) }));
    this.#begin = this.#db.prepare('BEGIN');
    this.#rollback = this.#db.prepare('ROLLBACK');
    this.#deferredForeignKeys = [...this.catalog.values()].some((t) => t.foreignKeys.some((fk) => fk.deferred));
  }

  runCase(plan: ExecutionPlan, options: CaseRunOptions = {}): Promise<CaseOutcome> {
    return Promise.resolve(this.runCaseSync(plan, options));
  }

  runCaseSync(plan: ExecutionPlan, options: CaseRunOptions = {}): CaseOutcome {
    this.#begin.run();
    try {
      const failure = this.#writer.write(plan.statements) ?? this.#deferredCheck(plan);
      if (failure !== null) return { failure, snapshot: null, readings: null, overfull: null };
      const snapshot = this.#readSnapshot(plan.workflow !== null);
      const readings = options.readers ? this.#read(options.readers(snapshot)) : null;
      const overfull = options.overfull ? this.#readOverfull() : null;
      return { failure: null, snapshot, readings, overfull };
    } finally {
      this.#rollback.run();
    }
  }

  /** Deferred foreign keys are only checked at COMMIT, which a rolled-back case never reaches: check them explicitly. */
  #deferredCheck(plan: ExecutionPlan): WriteFailure | null {
    if (!this.#deferredForeignKeys) return null;
    const rows = this.#db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string; fkid: number }[];
    const first = rows[0];
    if (first === undefined) return null;
    const last = plan.statements[plan.statements.length - 1]!;
    // fkid numbers the table's foreign keys as foreign_key_list does; the catalog names them by columns.
    const columns = (this.#db.pragma(`foreign_key_list("${first.table.replaceAll('"', '""')}")`) as { id: number; from: string }[]).filter((r) => r.id === first.fkid).map((r) => r.from);
    const fk = this.catalog.get(first.table)?.foreignKeys.find((f) => f.columns.join(',') === columns.join(','));
    return {
      statementIndex: plan.statements.length - 1,
      statement: last,
      violation: { kind: 'foreign-key', table: first.table, columns, constraint: fk?.name ?? null, message: `deferred FOREIGN KEY constraint failed: ${first.table} row ${first.rowid} references a missing ${first.parent}` },
    };
  }

  #readSnapshot(workflow: boolean): Snapshot {
    const snapshot = emptySnapshot();
    for (const scan of this.#scans) if (workflow || !scan.workflowOnly) (snapshot as Record<string, unknown>)[scan.key] = scan.statement.all();
    return snapshot;
  }

  #read(requests: ReturnType<NonNullable<CaseRunOptions['readers']>>): ReaderResult[] {
    const results: ReaderResult[] = [];
    for (const request of requests) {
      const reader = this.#readers.get(request.reader);
      if (reader === undefined) continue;
      const ids = reader.statement.all(bindArguments(reader.compiled, { arg: request.argument })) as number[];
      results.push({ reader: request.reader, argument: request.argument, ids });
    }
    return results;
  }

  #readOverfull(): OverfullRelationship[] {
    const out: OverfullRelationship[] = [];
    for (const o of this.#overfull) {
      for (const row of o.statement.all(o.args) as { parent: number; children: number }[]) out.push({ relationship: o.relationship, parentId: row.parent, children: row.children });
    }
    return out;
  }

  close(): Promise<void> {
    this.#db.close();
    return Promise.resolve();
  }
}

/** Applies schema steps; a failing step is a SchemaError naming the step. */
export function applySqliteSchema(db: Database.Database, steps: readonly { label: string; sql: string }[]): void {
  for (const step of steps) {
    // SQLite's parser would stop at the dump's first SET or psql meta-command; say what the file is instead.
    if (isPgDump(step.sql)) throw new SchemaError(`${step.label} is a PostgreSQL dump (pg_dump), which builds on PostgreSQL only: add --dialect postgres --database-url postgres://user@host:port/database`);
    try {
      db.exec(withoutSqliteInternalTables(step.sql));
    } catch (error) {
      throw new SchemaError(`${step.label}: ${(error as Error).message}`);
    }
  }
}

/** `.schema` dumps list sqlite_sequence and sqlite_stat tables, which cannot be created by hand. */
function withoutSqliteInternalTables(sql: string): string {
  return sql.replace(/CREATE TABLE\s+(?:IF NOT EXISTS\s+)?"?sqlite_(?:sequence|stat\d)"?\s*\([^;]*\);?/gi, '');
}
