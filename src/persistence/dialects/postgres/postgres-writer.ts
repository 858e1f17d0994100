import { CompiledQuery, type Kysely } from 'kysely';
import type { Layouts, TableName } from '../../../executor/tables.js';
import type { RowStatement } from '../../../executor/unit-of-work.js';
import type { WriteFailure } from '../../case-database.js';
import type { CaseStatements } from '../../case-statements.js';
import type { Catalog } from '../../catalog.js';
import type { AnyDatabase } from '../../compiled-query.js';
import { classifyPostgresError, isPostgresError } from './postgres-errors.js';
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
  /** Deferred foreign keys are checked at COMMIT, which a rolled-back case never reaches: force the check. */
  readonly checkDeferred: boolean;

  constructor(statements: CaseStatements, catalog: Catalog, layouts: Layouts) {
    this.#catalog = catalog;
    this.#statements = statements;
    let n = 0;
    for (const [table, compiled] of statements.inserts) {
      const index = layouts[table].index;
      this.#inserts.set(table, new StatementTemplate(compiled, (name) => index.get(name)!, `cardfuzz_insert_${n++}`));
    }
    this.checkDeferred = [...catalog.values()].some((t) => t.foreignKeys.some((fk) => fk.deferred));
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

  /** The writes of a case, in order, ending with the deferred-constraint check when the schema has deferred keys. */
  renderAll(statements: readonly RowStatement[]): string[] {
    const out = statements.map((s) => this.render(s));
    if (this.checkDeferred) out.push('SET CONSTRAINTS ALL IMMEDIATE');
    return out;
  }

  /**
   * Replays groups of writes (one group per case) in a fresh transaction,
   * each statement guarded by a savepoint, and returns the first refused
   * write with its index inside its group; the transaction is rolled back.
   */
  async locateFailure(db: Kysely<AnyDatabase>, groups: readonly (readonly RowStatement[])[]): Promise<WriteFailure | null> {
    const trx = await db.startTransaction().execute();
    try {
      for (const statements of groups) {
        const texts = this.renderAll(statements);
        for (let i = 0; i < texts.length; i++) {
          const guarded = await trx.savepoint('cardfuzz_write').execute();
          try {
            await guarded.executeQuery(CompiledQuery.raw(texts[i]!));
            await guarded.releaseSavepoint('cardfuzz_write').execute();
          } catch (error) {
            if (!isPostgresError(error)) throw error;
            await guarded.rollbackToSavepoint('cardfuzz_write').execute();
            // The deferred-constraint check is not a write of its own: it is charged to the case's last write.
            const index = Math.min(i, statements.length - 1);
            const statement = statements[index]!;
            return { statementIndex: index, statement, violation: classifyPostgresError(error, statement.table, this.#catalog) };
          }
        }
      }
      return null;
    } finally {
      await trx.rollback().execute();
    }
  }
}
