import type pg from 'pg';
import type { ExecutionPlan } from '../../../executor/execution.js';
import type { CaseDatabase, CaseDatabaseSpec, CaseOutcome, CaseRunOptions, OverfullRelationship, ReaderResult } from '../../case-database.js';
import { compileCaseStatements } from '../../case-statements.js';
import type { Catalog, ColumnFills } from '../../catalog.js';
import type { CompiledStatement } from '../../compiled-query.js';
import { emptySnapshot, type Snapshot } from '../../snapshot.js';
import { openPreparedDatabase, planPostgresFills } from './open-postgres-database.js';
import type { PostgresCatalog } from './postgres-catalog.js';
import type { PostgresSession } from './postgres-connection.js';
import { isConnectionLoss, isPostgresError, isWriteRefusal } from './postgres-errors.js';
import { StatementTemplate } from './postgres-literal-sql.js';
import { PostgresWriter } from './postgres-writer.js';

/**
 * A case database on a PostgreSQL server: the profile's schema in a schema
 * of this database's own, each case inside BEGIN … ROLLBACK. A case costs
 * one round trip for its writes and the snapshot scans, and one for Galaxy's
 * readers and the rollback (round trips, not statements, are what a server
 * charges); every insert, scan and reader is prepared once per session and
 * sent as EXECUTE. A refused write poisons the transaction; the case is then
 * replayed with a savepoint around every write to name the refused one.
 */
export function openPostgresCaseDatabase(spec: CaseDatabaseSpec, url: string): Promise<CaseDatabase> {
  return openPreparedDatabase(url, spec.schemaSteps, async (session, catalog) => new PostgresCaseDatabase(session, catalog, spec, await planPostgresFills(session, catalog.catalog, spec)));
}

class PostgresCaseDatabase implements CaseDatabase {
  readonly dialect = 'postgres' as const;
  readonly catalog: Catalog;
  readonly #session: PostgresSession;
  readonly #writer: PostgresWriter;
  readonly #scans: { key: keyof Snapshot; workflowOnly: boolean; template: StatementTemplate; sql: string }[];
  readonly #readers = new Map<string, StatementTemplate>();
  readonly #overfull: { relationship: string; template: StatementTemplate; sql: string }[];

  constructor(session: PostgresSession, { catalog, deferredConstraints }: PostgresCatalog, spec: CaseDatabaseSpec, fills: ColumnFills) {
    this.#session = session;
    this.catalog = catalog;
    const statements = compileCaseStatements('postgres', catalog, spec, fills);
    this.#writer = new PostgresWriter(statements, catalog, spec.layouts, deferredConstraints);
    const prepared = (statement: CompiledStatement, name: string): { template: StatementTemplate; sql: string } => {
      const template = new StatementTemplate(statement, () => 0, name);
      return { template, sql: template.render([]) };
    };
    this.#scans = statements.scans.map((s, i) => ({ key: s.key, workflowOnly: s.workflowOnly, ...prepared(s.statement, `cardfuzz_scan_${i}`) }));
    let n = 0;
    for (const [id, compiled] of statements.readers) this.#readers.set(id, new StatementTemplate(compiled, () => 0, `cardfuzz_reader_${n++}`));
    this.#overfull = statements.overfull.map((o, i) => ({ relationship: o.relationship, ...prepared(o.statement, `cardfuzz_overfull_${i}`) }));
  }

  /** Every statement a case runs that is prepared once per session. */
  get prepareSql(): string[] {
    return [...this.#writer.prepareSql, ...this.#scans.map((s) => s.template.prepareSql!), ...[...this.#readers.values()].map((r) => r.prepareSql!), ...this.#overfull.map((o) => o.template.prepareSql!)];
  }

  /** A case whose connection is lost is run again from BEGIN on a new connection (the lost transaction left nothing behind). */
  runCase(plan: ExecutionPlan, options: CaseRunOptions = {}): Promise<CaseOutcome> {
    return this.#session.retry(() => this.#runOnce(plan, options));
  }

  async #runOnce(plan: ExecutionPlan, options: CaseRunOptions): Promise<CaseOutcome> {
    const wantsSecondTrip = options.readers !== undefined || options.overfull === true;
    const writes = this.#writer.renderWrites([plan.statements]);
    const scans = plan.workflow !== null ? this.#scans : this.#scans.filter((s) => !s.workflowOnly);
    const client = await this.#session.pool.connect();
    let inTransaction = false;
    let released = false;
    try {
      let results: pg.QueryResult[];
      try {
        inTransaction = true;
        results = asResults(await client.query(['BEGIN', ...writes, ...scans.map((s) => s.sql), ...(wantsSecondTrip ? [] : ['ROLLBACK'])].join(';\n')));
        inTransaction = wantsSecondTrip;
      } catch (error) {
        if (isConnectionLoss(error)) throw error;
        await client.query('ROLLBACK');
        inTransaction = false;
        if (!isPostgresError(error) || !isWriteRefusal(error)) throw error;
        client.release();
        released = true;
        const failure = await this.#writer.locateFailure(this.#session.db, [plan.statements]);
        // A refusal the replay does not reproduce is not a write's: a cardfuzz error.
        if (failure === null) throw error;
        return { failure, snapshot: null, readings: null, overfull: null };
      }
      const snapshot = emptySnapshot();
      const firstScan = 1 + writes.length;
      scans.forEach((scan, i) => ((snapshot as Record<string, unknown>)[scan.key] = results[firstScan + i]!.rows));
      if (!wantsSecondTrip) return { failure: null, snapshot, readings: null, overfull: null };

      const requests = options.readers ? options.readers(snapshot).filter((r) => this.#readers.has(r.reader)) : [];
      const overfull = options.overfull ? this.#overfull : [];
      const texts = [...requests.map((r) => this.#readers.get(r.reader)!.render([r.argument])), ...overfull.map((o) => o.sql), 'ROLLBACK'];
      const second = asResults(await client.query({ text: texts.join(';\n'), rowMode: 'array' }));
      inTransaction = false;
      const readings: ReaderResult[] | null = options.readers ? requests.map((r, i) => ({ reader: r.reader, argument: r.argument, ids: second[i]!.rows.map((row: unknown[]) => row[0] as number) })) : null;
      const over: OverfullRelationship[] | null = options.overfull
        ? overfull.flatMap((o, i) => second[requests.length + i]!.rows.map((row: unknown[]) => ({ relationship: o.relationship, parentId: row[0] as number, children: row[1] as number })))
        : null;
      return { failure: null, snapshot, readings, overfull: over };
    } catch (error) {
      // A lost connection leaves no transaction to roll back; pg-pool discards the dead client on release.
      if (isConnectionLoss(error)) inTransaction = false;
      throw error;
    } finally {
      if (!released) {
        // Whatever ended the case early, the next one must not start inside this transaction.
        if (inTransaction) await client.query('ROLLBACK').then(() => client.release(), (error: Error) => client.release(error));
        else client.release();
      }
    }
  }

  close(): Promise<void> {
    return this.#session.close();
  }
}

/** pg returns one result for one statement and an array for several. */
export function asResults(result: pg.QueryResult | pg.QueryResult[]): pg.QueryResult[] {
  return Array.isArray(result) ? result : [result];
}
