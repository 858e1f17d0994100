import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type Compilable,
} from 'kysely';
import type { SqlDialectName } from '../schema/render-schema.js';

/**
 * Queries are built with kysely once, compiled to SQL text for the dialect,
 * and then run many times through the dialect's prepared-statement cache.
 * Named parameters are marked with sentinel values while building and
 * mapped back to positions after compiling.
 */

// A database shape kysely cannot check: tables and columns depend on the profile.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDatabase = any;

export interface CompiledStatement {
  readonly sql: string;
  /** For each positional parameter, the name of the argument that fills it (`''` for a value fixed in the query). */
  readonly parameterNames: readonly string[];
  /** Values the query itself fixes, by parameter position. */
  readonly fixed: ReadonlyMap<number, unknown>;
}

const compilers = new Map<SqlDialectName, Kysely<AnyDatabase>>();

/** A kysely instance that only compiles (no connection); one per dialect. */
export function queryBuilder(dialect: SqlDialectName): Kysely<AnyDatabase> {
  let db = compilers.get(dialect);
  if (db === undefined) {
    db = new Kysely<AnyDatabase>({
      dialect: {
        createAdapter: () => (dialect === 'postgres' ? new PostgresAdapter() : new SqliteAdapter()),
        createDriver: () => new DummyDriver(),
        createIntrospector: (k) => (dialect === 'postgres' ? new PostgresIntrospector(k) : new SqliteIntrospector(k)),
        createQueryCompiler: () => (dialect === 'postgres' ? new PostgresQueryCompiler() : new SqliteQueryCompiler()),
      },
    });
    compilers.set(dialect, db);
  }
  return db;
}

const SENTINEL_BASE = -7_000_000_000;

/** A placeholder value standing for the named argument `name` (see `compileStatement`). */
export function param(names: readonly string[], name: string): number {
  const index = names.indexOf(name);
  if (index < 0) throw new Error(`unknown parameter ${name}`);
  return SENTINEL_BASE - index;
}

/**
 * Compiles a query built with `param(names, ...)` placeholders. Every other
 * value in the query must be a literal the query keeps (it is compiled in as
 * a parameter with its own value).
 */
export function compileStatement(query: Compilable, names: readonly string[]): CompiledStatement {
  const compiled = query.compile();
  const parameterNames: string[] = [];
  const fixed = new Map<number, unknown>();
  compiled.parameters.forEach((value, i) => {
    if (typeof value === 'number' && value <= SENTINEL_BASE && value > SENTINEL_BASE - names.length) {
      parameterNames.push(names[SENTINEL_BASE - value]!);
    } else {
      parameterNames.push('');
      fixed.set(i, value);
    }
  });
  return { sql: compiled.sql, parameterNames, fixed };
}

/** Orders named arguments into the positional parameters of a compiled statement. */
export function bindArguments(statement: CompiledStatement, args: Readonly<Record<string, unknown>>): unknown[] {
  return statement.parameterNames.map((name, i) => (name === '' ? statement.fixed.get(i) : args[name]));
}
