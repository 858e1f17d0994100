import { sql } from 'kysely';
import type { RelationshipDeclaration } from '../executor/relationships.js';
import type { Layouts, TableName } from '../executor/tables.js';
import type { SqlDialectName } from '../schema/render-schema.js';
import type { ReaderQuery } from './case-database.js';
import { hasColumn, type Catalog, type ColumnFills } from './catalog.js';
import { catalogQueryBuilder, compileStatement, param, queryBuilder, type CompiledStatement } from './compiled-query.js';
import { compileSnapshotScans, type CompiledScan } from './snapshot.js';

/**
 * Every SQL statement a case runs, built with kysely and compiled once per
 * dialect and schema: one INSERT per table (parameters in layout order), a
 * single-column UPDATE per (table, column) on demand, the snapshot scans, the
 * reader queries the schema supports, and one overfull-parent count per
 * relationship declared scalar.
 */
export interface CaseStatements {
  readonly inserts: ReadonlyMap<TableName, CompiledStatement>;
  /** Parameters: `value`, then `id`. */
  update(table: TableName, column: string): CompiledStatement;
  readonly scans: readonly CompiledScan[];
  /** The reader queries the schema can run (every column they read exists), by reader id. */
  readonly readers: ReadonlyMap<string, CompiledStatement>;
  readonly overfull: readonly { readonly relationship: string; readonly statement: CompiledStatement }[];
}

/** What the statements are compiled from: the executor's layouts and tables, the profile's relationships and the readers to run. */
export interface StatementSources {
  readonly layouts: Layouts;
  readonly tablesUsed: readonly TableName[];
  readonly relationships: readonly RelationshipDeclaration[];
  readonly readers: readonly ReaderQuery[];
}

/** The columns a reader reads that the schema lacks (none: it runs). */
export function missingColumnsOf(reader: ReaderQuery, catalog: Catalog): string[] {
  return reader.requires.filter(([t, c]) => !hasColumn(catalog, t, c)).map(([t, c]) => (catalog.has(t) ? `${t}.${c}` : `table ${t}`));
}

export function compileCaseStatements(dialect: SqlDialectName, catalog: Catalog, sources: StatementSources, fills: ColumnFills = new Map()): CaseStatements {
  const { layouts, tablesUsed, relationships } = sources;
  const db = catalogQueryBuilder(dialect);
  const inserts = new Map<TableName, CompiledStatement>();
  for (const table of tablesUsed) {
    const columns: readonly string[] = layouts[table].columns;
    const extra = fills.get(table) ?? [];
    const values = { ...Object.fromEntries(columns.map((c) => [c, param<unknown>(c)])), ...Object.fromEntries(extra.map((f) => [f.column, f.value])) };
    const compiled = compileStatement(db.insertInto(table).values(values));
    if (compiled.parameterNames.filter((n) => n !== '').join(',') !== columns.join(',') || compiled.parameterNames.slice(0, columns.length).includes('')) {
      throw new Error(`insert into ${table} compiled with an unexpected parameter order`);
    }
    inserts.set(table, compiled);
  }
  const updates = new Map<string, CompiledStatement>();
  const update = (table: TableName, column: string): CompiledStatement => {
    const key = `${table}.${column}`;
    let compiled = updates.get(key);
    if (compiled === undefined) {
      compiled = compileStatement(
        db
          .updateTable(table)
          .set({ [column]: param<unknown>('value') })
          .where('id', '=', param('id')),
      );
      updates.set(key, compiled);
    }
    return compiled;
  };
  const readers = new Map<string, CompiledStatement>();
  for (const reader of sources.readers) {
    if (missingColumnsOf(reader, catalog).length === 0) readers.set(reader.id, compileStatement(reader.build(queryBuilder(dialect))));
  }
  const overfull = relationships
    .filter((r) => !r.uselist && hasColumn(catalog, r.childTable, r.column))
    .map((r) => ({
      relationship: r.name,
      statement: compileStatement(
        db
          .selectFrom(r.childTable)
          .select([sql.ref(r.column).as('parent'), sql<number>`count(*)`.as('children')])
          .where(r.column, 'is not', null)
          .groupBy(r.column)
          .having(sql`count(*)`, '>', 1)
          .orderBy(r.column),
      ),
    }));
  return { inserts, update, scans: compileSnapshotScans(dialect, catalog), readers, overfull };
}
