import type { ExecutionPlan } from '../../../executor/execution.js';
import type { UpgradeDatabase, UpgradeOutcome } from '../../case-database.js';
import { compileCaseStatements } from '../../case-statements.js';
import { planColumnFills, type Catalog } from '../../catalog.js';
import type { CaseDatabaseSpec } from '../../open-case-database.js';
import type { UpgradeStep } from '../../schema-plan.js';
import { StatementShifter } from '../../shift-statements.js';
import { readPostgresCatalog } from './postgres-catalog.js';
import { applyPostgresSchema, openPostgresSession, type PostgresSession } from './postgres-connection.js';
import { classifyPostgresError, isPostgresError } from './postgres-errors.js';
import { PostgresWriter } from './postgres-writer.js';

/**
 * Upgrades on PostgreSQL: a schema at the previous profile's migrations;
 * each history is written and upgraded inside BEGIN … ROLLBACK (PostgreSQL's
 * DDL is transactional, so the old schema comes back). Foreign keys stay on,
 * as alembic leaves them on PostgreSQL, so no row can dangle afterwards.
 */
export async function openPostgresUpgradeDatabase(previous: CaseDatabaseSpec, steps: readonly UpgradeStep[], url: string): Promise<UpgradeDatabase> {
  const session = await openPostgresSession(url);
  try {
    await applyPostgresSchema(session, previous.schemaSteps);
    const catalog = await readPostgresCatalog(session);
    const database = new PostgresUpgradeDatabase(session, catalog, previous, steps);
    await session.simple(database.prepareSql.join(';\n'));
    return database;
  } catch (error) {
    await session.close().catch(() => undefined);
    throw error;
  }
}

class PostgresUpgradeDatabase implements UpgradeDatabase {
  readonly dialect = 'postgres' as const;
  readonly catalog: Catalog;
  readonly #session: PostgresSession;
  readonly #spec: CaseDatabaseSpec;
  readonly #steps: readonly UpgradeStep[];
  readonly #writer: PostgresWriter;

  constructor(session: PostgresSession, catalog: Catalog, previous: CaseDatabaseSpec, steps: readonly UpgradeStep[]) {
    this.#session = session;
    this.catalog = catalog;
    this.#spec = previous;
    this.#steps = steps;
    const fills = planColumnFills(catalog, previous.layouts, previous.tablesUsed, previous.schemaLabel, 'postgres');
    this.#writer = new PostgresWriter(compileCaseStatements('postgres', catalog, previous.layouts, previous.tablesUsed, previous.relationships, fills), catalog, previous.layouts);
  }

  get prepareSql(): string[] {
    return this.#writer.prepareSql;
  }

  async runUpgrade(plans: readonly ExecutionPlan[]): Promise<UpgradeOutcome> {
    const shifter = new StatementShifter(this.catalog, this.#spec.layouts);
    const groups = plans.map((plan) => shifter.shift(plan.statements));
    const client = await this.#session.pool.connect();
    let released = false;
    try {
      try {
        await client.query(['BEGIN', ...groups.flatMap((g) => this.#writer.renderAll(g))].join(';\n'));
      } catch (error) {
        await client.query('ROLLBACK');
        if (!isPostgresError(error)) throw error;
        client.release();
        released = true;
        const historyFailure = await this.#writer.locateFailure(this.#session.db, groups);
        if (historyFailure === null) throw error;
        return { historyFailure, upgradeFailure: null, danglingRows: [] };
      }
      for (const step of this.#steps) {
        try {
          await client.query(step.sql);
        } catch (error) {
          if (!isPostgresError(error)) throw error;
          return {
            historyFailure: null,
            upgradeFailure: { step: step.label, revision: step.revision, title: step.title, violation: classifyPostgresError(error, touchedTable(step.sql), this.catalog) },
            danglingRows: [],
          };
        }
      }
      return { historyFailure: null, upgradeFailure: null, danglingRows: [] };
    } finally {
      if (!released) {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release();
      }
    }
  }

  close(): Promise<void> {
    return this.#session.close();
  }
}

/** The table an upgrade statement works on, when the server's error does not name it. */
function touchedTable(sql: string): string | null {
  return /(?:\bON|ALTER TABLE|INSERT INTO|UPDATE|DELETE FROM)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?/i.exec(sql)?.[1] ?? null;
}
