import { CompiledQuery, type Kysely } from 'kysely';
import type { Layouts, TableName } from '../../../executor/tables.js';
import type { RowStatement } from '../../../executor/unit-of-work.js';
import type { WriteFailure } from '../../case-database.js';
import type { CaseStatements } from '../../case-statements.js';
import type { Catalog } from '../../catalog.js';
import type { CatalogDatabase } from '../../compiled-query.js';
import { classifyPostgresError, isPostgresError, isWriteRefusal, type PostgresErrorFields } from './postgres-errors.js';
import { StatementTemplate } from './postgres-literal-sql.js';

/**
 * Writes a case's rows on PostgreSQL. The fast path sends every write in one
 * SQL text (see PostgresCaseDatabase): each insert as EXECUTE of a statement
 * prepared once per session, with its values as literals. When the server refuses one,
 * the transaction is poisoned and the server does not say which statement it
 * was, so the case is replayed statement by statement, each inside a
 * SAVEPOINT that is rolled back if the statement fails: the transaction stays
 * usable, and the first refused write is known exactly and classified.
 */
export class PostgresWriter {
  readonly #catalog: Catalog;
  readonly #inserts = new Map<TableName, StatementTemplate>();
  readonly #updates = new Map<string, StatementTemplate>();
  readonly #statements: CaseStatements;
  /** INITIALLY DEFERRED constraints are checked at COMMIT, which a rolled-back case never reaches: the writes end by forcing the check. */
  readonly #deferred: readonly string[];

  constructor(statements: CaseStatements, catalog: Catalog, layouts: Layouts, deferredConstraints: readonly string[]) {
    this.#catalog = catalog;
    this.#statements = statements;
    let n = 0;
    for (const [table, compiled] of statements.inserts) {
      const index = layouts[table].index;
      this.#inserts.set(table, new StatementTemplate(compiled, (name) => index.get(name)!, `cardfuzz_insert_${n++}`));
    }
    this.#deferred = deferredConstraints;
  }

  /** The PREPARE statements the session must run once before the first case. */
  get prepareSql(): string[] {
    return [...this.#inserts.values()].map((t) => t.prepareSql!);
  }

  /** One write as SQL text (EXECUTE of a prepared insert, or a literal update). */
  render(s: RowStatement): string {
    if (s.op === 'insert') return this.#inserts.get(s.table)!.render(s.values);
    const key = `${s.table}.${s.column}`;
    let template = this.#updates.get(key);
    if (template === undefined) {
      // Updates are few and compiled on demand: written as literal SQL, not prepared.
      template = new StatementTemplate(this.#statements.update(s.table, s.column), (name) => (name === 'value' ? 0 : 1));
      this.#updates.set(key, template);
    }
    return template.render([s.value, s.id]);
  }

  /** The writes of one or more cases, in order, ending with the check of deferred constraints when the schema has any. */
  renderWrites(groups: readonly (readonly RowStatement[])[]): string[] {
    const out = groups.flatMap((statements) => statements.map((s) => this.render(s)));
    return [...out, ...this.deferredCheck()];
  }

  /** Forces the check of the schema's deferred constraints (none when it has none). */
  deferredCheck(): string[] {
    return this.#deferred.length === 0 ? [] : ['SET CONSTRAINTS ALL IMMEDIATE'];
  }

  /** Makes the deferred constraints deferred again after a check, for work that follows in the same transaction. */
  restoreDeferred(): string[] {
    return this.#deferred.length === 0 ? [] : [`SET CONSTRAINTS ${[...new Set(this.#deferred)].map((n) => `"${n.replaceAll('"', '""')}"`).join(', ')} DEFERRED`];
  }

  /**
   * Replays groups of writes (one group per case) in a fresh transaction,
   * each statement guarded by a savepoint, and returns the first refused
   * write with its index inside its group; the transaction is rolled back.
   */
  async locateFailure(db: Kysely<CatalogDatabase>, groups: readonly (readonly RowStatement[])[]): Promise<WriteFailure | null> {
    const trx = await db.startTransaction().execute();
    const guarded = async (text: string): Promise<PostgresErrorFields | null> => {
      const savepoint = await trx.savepoint('cardfuzz_write').execute();
      try {
        await savepoint.executeQuery(CompiledQuery.raw(text));
        await savepoint.releaseSavepoint('cardfuzz_write').execute();
        return null;
      } catch (error) {
        if (!isPostgresError(error) || !isWriteRefusal(error)) throw error;
        await savepoint.rollbackToSavepoint('cardfuzz_write').execute();
        return error;
      }
    };
    try {
      for (const statements of groups) {
        for (let i = 0; i < statements.length; i++) {
          const statement = statements[i]!;
          const error = await guarded(this.render(statement));
          if (error !== null) return { statementIndex: i, statement, violation: classifyPostgresError(error, statement.table, this.#catalog) };
        }
      }
      // The deferred-constraint check is not a write of its own: it is charged to the last write.
      const lastGroup = groups.findLast((g) => g.length > 0);
      for (const check of this.deferredCheck()) {
        const error = await guarded(check);
        if (error !== null && lastGroup !== undefined) {
          const statement = lastGroup[lastGroup.length - 1]!;
          return { statementIndex: lastGroup.length - 1, statement, violation: classifyPostgresError(error, statement.table, this.#catalog) };
        }
      }
      return null;
    } finally {
      await trx.rollback().execute();
    }
  }
}
