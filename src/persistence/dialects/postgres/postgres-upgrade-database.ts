import type pg from 'pg';
import type { ExecutionPlan } from '../../../executor/execution.js';
import type { TableName } from '../../../executor/tables.js';
import type { CaseDatabaseSpec, UpgradeDatabase, UpgradeOutcome, UpgradeStep } from '../../case-database.js';
import { compileCaseStatements } from '../../case-statements.js';
import type { Catalog, ColumnFills } from '../../catalog.js';
import { StatementShifter } from '../../shift-statements.js';
import { openPreparedDatabase, planPostgresFills } from './open-postgres-database.js';
import type { PostgresCatalog } from './postgres-catalog.js';
import type { PostgresSession } from './postgres-connection.js';
import { classifyPostgresError, isConnectionLoss, isPostgresError, isServerTrouble, isWriteRefusal, type PostgresErrorFields } from './postgres-errors.js';
import { PostgresWriter } from './postgres-writer.js';

/**
 * Upgrades on PostgreSQL: a schema at the previous profile's migrations;
 * each history is written and upgraded inside BEGIN … ROLLBACK (PostgreSQL's
 * DDL is transactional, so the old schema comes back). Foreign keys stay on,
 * as alembic leaves them on PostgreSQL; deferred constraints are checked once
 * after the history and once after the last migration, as the migration's
 * COMMIT would. The id sequences are moved past the history's ids, so a
 * backfill that inserts without ids gets fresh ones (SQLite takes max+1).
 */
export function openPostgresUpgradeDatabase(previous: CaseDatabaseSpec, steps: readonly UpgradeStep[], url: string): Promise<UpgradeDatabase> {
  return openPreparedDatabase(url, previous.schemaSteps, async (session, catalog) => new PostgresUpgradeDatabase(session, catalog, previous, steps, await planPostgresFills(session, catalog.catalog, previous)));
}

class PostgresUpgradeDatabase implements UpgradeDatabase {
  readonly dialect = 'postgres' as const;
  readonly catalog: Catalog;
  readonly #session: PostgresSession;
  readonly #spec: CaseDatabaseSpec;
  readonly #steps: readonly UpgradeStep[];
  readonly #writer: PostgresWriter;
  readonly #advanceSequences: string[];

  constructor(session: PostgresSession, { catalog, deferredConstraints }: PostgresCatalog, previous: CaseDatabaseSpec, steps: readonly UpgradeStep[], fills: ColumnFills) {
    this.#session = session;
    this.catalog = catalog;
    this.#spec = previous;
    this.#steps = steps;
    this.#writer = new PostgresWriter(compileCaseStatements('postgres', catalog, previous, fills), catalog, previous.layouts, deferredConstraints);
    this.#advanceSequences = previous.tablesUsed
      .filter((t) => catalog.get(t)?.columns.some((c) => c.name === 'id' && c.hasDefault))
      .map((t: TableName) => `SELECT setval(pg_get_serial_sequence('"${t}"', 'id'), MAX(id)) FROM "${t}" HAVING MAX(id) IS NOT NULL AND pg_get_serial_sequence('"${t}"', 'id') IS NOT NULL`);
  }

  get prepareSql(): string[] {
    return this.#writer.prepareSql;
  }

  /** A history whose connection is lost is written and upgraded again on a new connection. */
  runUpgrade(plans: readonly ExecutionPlan[]): Promise<UpgradeOutcome> {
    return this.#session.retry(() => this.#runOnce(plans));
  }

  async #runOnce(plans: readonly ExecutionPlan[]): Promise<UpgradeOutcome> {
    const shifter = new StatementShifter(this.catalog, this.#spec.layouts);
    const groups = plans.map((plan) => shifter.shift(plan.statements));
    const client = await this.#session.pool.connect();
    let released = false;
    try {
      try {
        await client.query(['BEGIN', ...this.#writer.renderWrites(groups), ...this.#writer.restoreDeferred(), ...this.#advanceSequences].join(';\n'));
      } catch (error) {
        if (isConnectionLoss(error)) throw error;
        await client.query('ROLLBACK');
        if (!isPostgresError(error) || !isWriteRefusal(error)) throw error;
        client.release();
        released = true;
        const historyFailure = await this.#writer.locateFailure(this.#session.db, groups);
        if (historyFailure === null) throw error;
        return { historyFailure, upgradeFailure: null, danglingRows: [] };
      }
      const steps = this.#steps;
      for (const [i, step] of steps.entries()) {
        const failure = await runStep(client, i === steps.length - 1 ? [step.sql, ...this.#writer.deferredCheck()].join(';\n') : step.sql);
        if (failure !== null) {
          return { historyFailure: null, upgradeFailure: { step: step.label, revision: step.revision, title: step.title, violation: classifyPostgresError(failure, touchedTable(step.sql), this.catalog) }, danglingRows: [] };
        }
      }
      return { historyFailure: null, upgradeFailure: null, danglingRows: [] };
    } catch (error) {
      if (isConnectionLoss(error) && !released) {
        // Nothing to roll back on a dead connection; pg-pool discards it on release.
        released = true;
        client.release(error as Error);
      }
      throw error;
    } finally {
      if (!released) await client.query('ROLLBACK').then(() => client.release(), (error: Error) => client.release(error));
    }
  }

  close(): Promise<void> {
    return this.#session.close();
  }
}

/** Runs one upgrade statement; its failure is returned (the finding), the server's own trouble thrown. */
async function runStep(client: pg.PoolClient, sql: string): Promise<PostgresErrorFields | null> {
  try {
    await client.query(sql);
    return null;
  } catch (error) {
    if (!isPostgresError(error) || isServerTrouble(error)) throw error;
    return error;
  }
}

/** The table an upgrade statement works on, when the server's error does not name it. */
function touchedTable(sql: string): string | null {
  return /(?:\bON|ALTER TABLE|INSERT INTO|UPDATE|DELETE FROM)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?/i.exec(sql)?.[1] ?? null;
}
