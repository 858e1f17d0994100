import { SchemaError } from '../errors.js';
import type { Layouts } from '../executor/tables.js';

/**
 * The constraints of a schema as the database itself reports them (SQLite
 * pragmas, PostgreSQL's catalog), so findings name what the real schema calls
 * things, whether it came from the built-in migrations, a profile file or a
 * dump.
 */

export interface CatalogColumn {
  readonly name: string;
  readonly notNull: boolean;
  readonly hasDefault: boolean;
  readonly primaryKey: boolean;
}

export interface CatalogForeignKey {
  readonly name: string | null;
  readonly columns: readonly string[];
  readonly parentTable: string;
  readonly parentColumns: readonly string[];
  readonly deferred: boolean;
}

export interface CatalogUnique {
  readonly name: string | null;
  readonly columns: readonly string[];
  /** A partial index (`WHERE ...`); still unique among the rows it covers. */
  readonly partial: boolean;
  readonly origin: 'constraint' | 'index' | 'primary-key';
}

export interface CatalogTable {
  readonly name: string;
  readonly columns: readonly CatalogColumn[];
  readonly foreignKeys: readonly CatalogForeignKey[];
  readonly uniques: readonly CatalogUnique[];
}

export type Catalog = ReadonlyMap<string, CatalogTable>;

export function hasColumn(catalog: Catalog, table: string, column: string): boolean {
  return catalog.get(table)?.columns.some((c) => c.name === column) ?? false;
}

/** The unique constraint or index whose columns are exactly `columns`, preferring named ones. */
export function findUnique(catalog: Catalog, table: string, columns: readonly string[]): CatalogUnique | undefined {
  const wanted = [...columns].sort().join(',');
  const candidates = catalog.get(table)?.uniques.filter((u) => [...u.columns].sort().join(',') === wanted) ?? [];
  return candidates.find((u) => u.name !== null) ?? candidates[0];
}

/**
 * Checks that the schema can host the rows the executor writes: every column
 * it writes exists, and every NOT NULL column without a default is one it
 * writes. Problems are reported by table and column.
 */
export function checkLayoutsAgainstCatalog(catalog: Catalog, layouts: Layouts, tablesUsed: readonly string[], source: string): void {
  const problems: string[] = [];
  for (const table of tablesUsed) {
    const layout = layouts[table as keyof Layouts];
    const entry = catalog.get(table);
    if (entry === undefined) {
      problems.push(`table ${table} is missing`);
      continue;
    }
    for (const column of layout.columns) {
      if (!entry.columns.some((c) => c.name === column)) problems.push(`${table}.${column} is missing`);
    }
    for (const column of entry.columns) {
      if (column.notNull && !column.hasDefault && !column.primaryKey && !layout.columns.includes(column.name)) {
        problems.push(`${table}.${column.name} is NOT NULL without a default and cardfuzz does not fill it`);
      }
    }
  }
  if (problems.length > 0) {
    throw new SchemaError(`${source} cannot host the rows cardfuzz writes: ${problems.slice(0, 6).join('; ')}${problems.length > 6 ? `; and ${problems.length - 6} more` : ''}`);
  }
}
