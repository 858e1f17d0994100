import type Database from 'better-sqlite3';
import { SchemaError } from '../../../errors.js';
import type { Layouts, TableName } from '../../../executor/tables.js';
import type { RowStatement } from '../../../executor/unit-of-work.js';
import type { WriteFailure } from '../../case-database.js';
import type { CaseStatements } from '../../case-statements.js';
import type { Catalog } from '../../catalog.js';
import { classifySqliteError, isSqliteError } from './sqlite-errors.js';

/** Writes row statements through statements prepared once; the first refused write is classified. */
export class SqliteWriter {
  readonly #db: Database.Database;
  readonly #statements: CaseStatements;
  readonly #catalog: Catalog;
  readonly #layouts: Layouts;
  readonly #label: string;
  readonly #inserts = new Map<TableName, Database.Statement>();
  /** Values of NOT NULL columns cardfuzz does not model, bound after the modelled ones. */
  readonly #fillTails = new Map<TableName, unknown[]>();
  readonly #updates = new Map<string, Database.Statement>();
  readonly #parentChecks = new Map<string, Database.Statement>();

  constructor(db: Database.Database, statements: CaseStatements, catalog: Catalog, layouts: Layouts, label: string) {
    this.#db = db;
    this.#statements = statements;
    this.#catalog = catalog;
    this.#layouts = layouts;
    this.#label = label;
    for (const [table, compiled] of statements.inserts) {
      this.#inserts.set(table, this.prepare(compiled.sql));
      const modelled = layouts[table].columns.length;
      const tail = compiled.parameterNames.slice(modelled).map((_, i) => compiled.fixed.get(modelled + i));
      if (tail.length > 0) this.#fillTails.set(table, tail);
    }
  }

  prepare(sql: string): Database.Statement {
    try {
      return this.#db.prepare(sql);
    } catch (error) {
      throw new SchemaError(`${this.#label}: cannot prepare ${sql.slice(0, 80)}: ${(error as Error).message}`);
    }
  }

  write(statements: readonly RowStatement[]): WriteFailure | null {
    for (let i = 0; i < statements.length; i++) {
      const s = statements[i]!;
      try {
        if (s.op === 'insert') {
          const tail = this.#fillTails.get(s.table);
          this.#inserts.get(s.table)!.run(tail === undefined ? s.values : [...s.values, ...tail]);
        }
        else this.#update(s.table, s.column).run(s.value, s.id);
      } catch (error) {
        if (!isSqliteError(error)) throw error;
        return { statementIndex: i, statement: s, violation: classifySqliteError(error, s, this.#catalog, this.#layouts, (t, c, v) => this.#parentExists(t, c, v)) };
      }
    }
    return null;
  }

  #update(table: TableName, column: string): Database.Statement {
    const key = `${table}.${column}`;
    let statement = this.#updates.get(key);
    if (statement === undefined) {
      statement = this.prepare(this.#statements.update(table, column).sql);
      this.#updates.set(key, statement);
    }
    return statement;
  }

  #parentExists(table: string, column: string, value: unknown): boolean {
    const key = `${table}.${column}`;
    let statement = this.#parentChecks.get(key);
    if (statement === undefined) {
      statement = this.#db.prepare(`SELECT 1 FROM "${table}" WHERE "${column}" = ?`);
      this.#parentChecks.set(key, statement);
    }
    return statement.get(value) !== undefined;
  }
}
