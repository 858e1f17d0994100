import Database from 'better-sqlite3';
import type { ExecutionPlan } from '../../../executor/execution.js';
import type { CaseDatabaseSpec, UpgradeDatabase, UpgradeOutcome, UpgradeStep } from '../../case-database.js';
import { compileCaseStatements } from '../../case-statements.js';
import { planColumnFills, type Catalog } from '../../catalog.js';
import { StatementShifter } from '../../shift-statements.js';
import { applySqliteSchema, SQLITE_NEUTRAL_VALUES } from './sqlite-case-database.js';
import { readSqliteCatalog } from './sqlite-catalog.js';
import { classifySqliteStepError, isSqliteError } from './sqlite-errors.js';
import { SqliteWriter } from './sqlite-writer.js';

/**
 * Upgrades on SQLite: a database at the previous profile's schema; each
 * history is written and upgraded inside BEGIN … ROLLBACK (SQLite's DDL is
 * transactional, so the old schema comes back). Foreign keys are off on this
 * connection, as alembic's batch mode needs for table rebuilds; dangling rows
 * are found afterwards with foreign_key_check. About 5 ms per history,
 * mostly SQLite re-reading its schema after each DDL statement.
 */
export class SqliteUpgradeDatabase implements UpgradeDatabase {
  readonly dialect = 'sqlite' as const;
  readonly catalog: Catalog;
  readonly #db: Database.Database;
  readonly #spec: CaseDatabaseSpec;
  readonly #steps: readonly UpgradeStep[];
  readonly #writer: SqliteWriter;

  constructor(previous: CaseDatabaseSpec, steps: readonly UpgradeStep[]) {
    this.#spec = previous;
    this.#steps = steps;
    this.#db = new Database(':memory:');
    this.#db.pragma('foreign_keys = OFF');
    // Table rebuilds rename a new table onto the old name; nothing refers to the new name, so the
    // legacy rename (which skips re-checking every other table's references) does the same, faster.
    this.#db.pragma('legacy_alter_table = ON');
    applySqliteSchema(this.#db, previous.schemaSteps);
    this.catalog = readSqliteCatalog(this.#db);
    const fills = planColumnFills(this.catalog, previous.layouts, previous.tablesUsed, previous.schemaLabel, SQLITE_NEUTRAL_VALUES);
    const statements = compileCaseStatements('sqlite', this.catalog, previous, fills);
    this.#writer = new SqliteWriter(this.#db, statements, this.catalog, previous.layouts, previous.schemaLabel);
  }

  runUpgrade(plans: readonly ExecutionPlan[]): Promise<UpgradeOutcome> {
    return Promise.resolve(this.runUpgradeSync(plans));
  }

  runUpgradeSync(plans: readonly ExecutionPlan[]): UpgradeOutcome {
    this.#db.exec('BEGIN');
    try {
      const shifter = new StatementShifter(this.catalog, this.#spec.layouts);
      for (const plan of plans) {
        const historyFailure = this.#writer.write(shifter.shift(plan.statements));
        if (historyFailure !== null) return { historyFailure, upgradeFailure: null, danglingRows: [] };
      }
      for (const step of this.#steps) {
        try {
          this.#db.exec(step.sql);
        } catch (error) {
          if (!isSqliteError(error)) throw error;
          return {
            historyFailure: null,
            upgradeFailure: { step: step.label, revision: step.revision, title: step.title, violation: classifySqliteStepError(error, step.sql, this.catalog) },
            danglingRows: [],
          };
        }
      }
      const dangling = this.#db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
      return { historyFailure: null, upgradeFailure: null, danglingRows: dangling.map((d) => ({ table: d.table, rowid: d.rowid, parent: d.parent })) };
    } finally {
      this.#db.exec('ROLLBACK');
    }
  }

  close(): Promise<void> {
    this.#db.close();
    return Promise.resolve();
  }
}
