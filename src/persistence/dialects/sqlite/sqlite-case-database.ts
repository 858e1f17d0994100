import Database from 'better-sqlite3';
import { DatabaseUnavailableError, SchemaError } from '../../../errors.js';
import type { ExecutionPlan } from '../../../executor/execution.js';
import type { TableName } from '../../../executor/tables.js';
import type { ReaderResult } from '../../../readers/galaxy-readers.js';
import type { CaseDatabase, CaseOutcome, CaseRunOptions, OverfullRelationship, WriteFailure } from '../../case-database.js';
import { checkLayoutsAgainstCatalog, type Catalog } from '../../catalog.js';
import { bindArguments, type CompiledStatement } from '../../compiled-query.js';
import { compileCaseStatements, type CaseStatements } from '../../case-statements.js';
import type { CaseDatabaseSpec } from '../../open-case-database.js';
import { emptySnapshot, type Snapshot } from '../../snapshot.js';
import { readSqliteCatalog } from './sqlite-catalog.js';
import { classifySqliteError, isSqliteError } from './sqlite-errors.js';

/**
 * The embedded default: one in-memory SQLite database per process (or
 * worker), foreign keys on, every statement prepared once, each case inside
 * BEGIN … ROLLBACK. All work is synchronous; the promise is only the
 * interface's shape.
 */
export class SqliteCaseDatabase implements CaseDatabase {
  readonly dialect = 'sqlite' as const;
  readonly catalog: Catalog;
  readonly #db: Database.Database;
  readonly #spec: CaseDatabaseSpec;
  readonly #statements: CaseStatements;
  readonly #inserts = new Map<TableName, Database.Statement>();
  readonly #updates = new Map<string, Database.Statement>();
  readonly #scans: { key: keyof Snapshot; statement: Database.Statement }[];
  readonly #readers = new Map<string, { compiled: CompiledStatement; statement: Database.Statement }>();
  readonly #overfull: { relationship: string; args: unknown[]; statement: Database.Statement }[];
  readonly #parentChecks = new Map<string, Database.Statement>();
  readonly #begin: Database.Statement;
  readonly #rollback: Database.Statement;
  readonly #deferredForeignKeys: boolean;

  constructor(spec: CaseDatabaseSpec) {
    this.#spec = spec;
    this.#db = new Database(':memory:');
    this.#db.pragma('foreign_keys = ON');
    if (this.#db.pragma('foreign_keys', { simple: true }) !== 1) throw new DatabaseUnavailableError('SQLite refused PRAGMA foreign_keys = ON');
    applySqliteSchema(this.#db, spec.schemaSteps);
    this.catalog = readSqliteCatalog(this.#db);
    checkLayoutsAgainstCatalog(this.catalog, spec.layouts, spec.tablesUsed, spec.schemaLabel);
    this.#statements = compileCaseStatements('sqlite', this.catalog, spec.layouts, spec.tablesUsed, spec.relationships);
    for (const [table, compiled] of this.#statements.inserts) this.#inserts.set(table, this.#prepare(compiled.sql));
    this.#scans = this.#statements.scans.map((s) => ({ key: s.key, statement: this.#prepare(s.statement.sql) }));
    for (const [id, compiled] of this.#statements.readers) this.#readers.set(id, { compiled, statement: this.#prepare(compiled.sql) });
    this.#overfull = this.#statements.overfull.map((o) => ({ relationship: o.relationship, args: bindArguments(o.statement, {}), statement: this.#prepare(o.statement.sql) }));
    this.#begin = this.#db.prepare('BEGIN');
    this.#rollback = this.#db.prepare('ROLLBACK');
    this.#deferredForeignKeys = [...this.catalog.values()].some((t) => t.foreignKeys.some((fk) => fk.deferred));
  }

  #prepare(sql: string): Database.Statement {
    try {
      return this.#db.prepare(sql);
    } catch (error) {
      throw new SchemaError(`${this.#spec.schemaLabel}: cannot prepare ${sql.slice(0, 80)}: ${(error as Error).message}`);
    }
  }

  #update(table: TableName, column: string): Database.Statement {
    const key = `${table}.${column}`;
    let statement = this.#updates.get(key);
    if (statement === undefined) {
      statement = this.#prepare(this.#statements.update(table, column).sql);
      this.#updates.set(key, statement);
    }
    return statement;
  }

  runCase(plan: ExecutionPlan, options: CaseRunOptions = {}): Promise<CaseOutcome> {
    return Promise.resolve(this.runCaseSync(plan, options));
  }

  runCaseSync(plan: ExecutionPlan, options: CaseRunOptions = {}): CaseOutcome {
    this.#begin.run();
    try {
      const failure = this.#write(plan) ?? this.#deferredCheck(plan);
      if (failure !== null) return { failure, snapshot: null, readings: null, overfull: null };
      const snapshot = this.#readSnapshot();
      const readings = options.readers ? this.#read(options.readers(snapshot)) : null;
      const overfull = options.overfull ? this.#readOverfull() : null;
      return { failure: null, snapshot, readings, overfull };
    } finally {
      this.#rollback.run();
    }
  }

  #write(plan: ExecutionPlan): WriteFailure | null {
    const statements = plan.statements;
    for (let i = 0; i < statements.length; i++) {
      const s = statements[i]!;
      try {
        if (s.op === 'insert') this.#inserts.get(s.table)!.run(s.values);
        else this.#update(s.table, s.column).run(s.value, s.id);
      } catch (error) {
        if (!isSqliteError(error)) throw error;
        return { statementIndex: i, statement: s, violation: classifySqliteError(error, s, this.catalog, this.#spec.layouts, (t, c, v) => this.#parentExists(t, c, v)) };
      }
    }
    return null;
  }

  /** Deferred foreign keys are only checked at COMMIT, which a rolled-back case never reaches: check them explicitly. */
  #deferredCheck(plan: ExecutionPlan): WriteFailure | null {
    if (!this.#deferredForeignKeys) return null;
    const rows = this.#db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string; fkid: number }[];
    const first = rows[0];
    if (first === undefined) return null;
    const last = plan.statements[plan.statements.length - 1]!;
    return {
      statementIndex: plan.statements.length - 1,
      statement: last,
      violation: { kind: 'foreign-key', table: first.table, columns: [], constraint: null, message: `deferred FOREIGN KEY constraint failed: ${first.table} row ${first.rowid} references a missing ${first.parent}` },
    };
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

  #readSnapshot(): Snapshot {
    const snapshot = emptySnapshot();
    for (const scan of this.#scans) (snapshot as Record<string, unknown>)[scan.key] = scan.statement.all();
    return snapshot;
  }

  #read(requests: ReturnType<NonNullable<CaseRunOptions['readers']>>): ReaderResult[] {
    const results: ReaderResult[] = [];
    for (const request of requests) {
      const reader = this.#readers.get(request.reader);
      if (reader === undefined) continue;
      const rows = reader.statement.all(bindArguments(reader.compiled, { arg: request.argument })) as { id: number }[];
      results.push({ ...request, ids: rows.map((r) => r.id) });
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
