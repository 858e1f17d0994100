import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
  type Compilable,
  type RawBuilder,
} from 'kysely';
import type { GalaxyDatabase } from '../schema/galaxy-schema.js';
import type { SqlDialectName } from '../schema/render-schema.js';

/**
 * Queries are built with kysely once, compiled to SQL text for the dialect,
 * and then run many times through the dialect's prepared-statement cache.
 * Named parameters are placeholders (`param(name)`): a typed expression whose
 * compiled parameter is a `Parameter` marker, mapped back to positions after
 * compiling.
 */

/**
 * The database shape of statements over tables known only at run time: the
 * per-table INSERTs and UPDATEs built from the executor's layouts, the scans
 * built from a schema's catalog, raw statements. Galaxy's reader queries are
 * typed by `GalaxyDatabase` instead.
 */
export type CatalogDatabase = Record<string, Record<string, unknown>>;

export interface CompiledStatement {
  readonly sql: string;
  /** For each positional parameter, the name of the argument that fills it (`''` for a value fixed in the query). */
  readonly parameterNames: readonly string[];
  /** Values the query itself fixes, by parameter position. */
  readonly fixed: ReadonlyMap<number, unknown>;
}

const compilers = new Map<SqlDialectName, Kysely<GalaxyDatabase>>();

/** A kysely instance over Galaxy's declared tables that only compiles (no connection); one per dialect. */
export function queryBuilder(dialect: SqlDialectName): Kysely<GalaxyDatabase> {
  let db = compilers.get(dialect);
  if (db === undefined) {
    db = new Kysely<GalaxyDatabase>({
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

/** The same compiler, for statements over tables known only at run time (see `CatalogDatabase`). */
export function catalogQueryBuilder(dialect: SqlDialectName): Kysely<CatalogDatabase> {
  return queryBuilder(dialect) as unknown as Kysely<CatalogDatabase>;
}

/** The compiled parameter a placeholder leaves behind; `compileStatement` maps it to its argument. */
class Parameter {
  constructor(readonly name: string) {}
}

/** A placeholder for the named argument `name`, typed as the value it stands for. */
export function param<V = number>(name: string): RawBuilder<V> {
  return sql<V>`${new Parameter(name)}`;
}

/**
 * Compiles a query built with `param(name)` placeholders. Every other value
 * in the query is a literal the query keeps (it is compiled in as a parameter
 * with its own value).
 */
export function compileStatement(query: Compilable): CompiledStatement {
  const compiled = query.compile();
  const parameterNames: string[] = [];
  const fixed = new Map<number, unknown>();
  compiled.parameters.forEach((value, i) => {
    if (value instanceof Parameter) {
      parameterNames.push(value.name);
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
