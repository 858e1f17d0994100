import { sql } from 'kysely';
import type { RelationshipDeclaration } from '../executor/relationships.js';
import type { Layouts, TableName } from '../executor/tables.js';
import { READER_ARGUMENT_NAMES, READERS, type ReaderId } from '../readers/galaxy-readers.js';
import type { SqlDialectName } from '../schema/render-schema.js';
import { hasColumn, type Catalog, type ColumnFills } from './catalog.js';
import { compileStatement, param, queryBuilder, type CompiledStatement } from './compiled-query.js';
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
  readonly readers: ReadonlyMap<ReaderId, CompiledStatement>;
  readonly overfull: readonly { readonly relationship: string; readonly statement: CompiledStatement }[];
}

const UPDATE_PARAMS = ['value', 'id'] as const;

export function compileCaseStatements(
  dialect: SqlDialectName,
  catalog: Catalog,
  layouts: Layouts,
  tablesUsed: readonly TableName[],
  relationships: readonly RelationshipDeclaration[],
  fills: ColumnFills = new Map(),
): CaseStatements {
  const db = queryBuilder(dialect);
  const inserts = new Map<TableName, CompiledStatement>();
  for (const table of tablesUsed) {
    const columns = layouts[table].columns;
    const extra = fills.get(table) ?? [];
    const values = { ...Object.fromEntries(columns.map((c) => [c, param(columns, c)])), ...Object.fromEntries(extra.map((f) => [f.column, f.value])) };
    const compiled = compileStatement(db.insertInto(table).values(values), columns);
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
          .set({ [column]: param(UPDATE_PARAMS, 'value') })
          .where('id', '=', param(UPDATE_PARAMS, 'id')),
        UPDATE_PARAMS,
      );
      updates.set(key, compiled);
    }
    return compiled;
  };
  const readers = new Map<ReaderId, CompiledStatement>();
  for (const reader of READERS) {
    if (reader.requires.every(([t, c]) => hasColumn(catalog, t, c))) readers.set(reader.id, compileStatement(reader.build(db), READER_ARGUMENT_NAMES));
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
        [],
      ),
    }));
  return { inserts, update, scans: compileSnapshotScans(dialect, catalog), readers, overfull };
}
