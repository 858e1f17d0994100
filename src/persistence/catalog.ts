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
  /** The declared type as the database reports it (upper case), e.g. INTEGER, VARCHAR(255), TIMESTAMP. */
  readonly type: string;
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

/** A value written into a NOT NULL column cardfuzz does not model (a real schema's extra columns). */
export interface ColumnFill {
  readonly column: string;
  readonly value: string | number | boolean;
}

export type ColumnFills = ReadonlyMap<string, readonly ColumnFill[]>;

/** What a dialect writes for the neutral values that differ between dialects (SQLite stores booleans as integers). */
export interface NeutralValues {
  readonly booleanFalse: boolean | number;
}

/**
 * Checks that the schema can host the rows the executor writes: every column
 * it writes exists, and every NOT NULL column without a default that it does
 * not write can take a neutral value of its type (not a foreign key, not part
 * of a unique constraint). Returns those fills; problems are reported by
 * table and column in one SchemaError.
 */
export function planColumnFills(catalog: Catalog, layouts: Layouts, tablesUsed: readonly string[], source: string, values: NeutralValues): ColumnFills {
  const problems: string[] = [];
  const fills = new Map<string, ColumnFill[]>();
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
      if (!column.notNull || column.hasDefault || column.primaryKey || layout.index.has(column.name)) continue;
      const isForeignKey = entry.foreignKeys.some((fk) => fk.columns.includes(column.name));
      const isUnique = entry.uniques.some((u) => u.columns.includes(column.name));
      const value = neutralValue(column.type, values);
      if (isForeignKey || isUnique || value === undefined) {
        problems.push(`${table}.${column.name} is NOT NULL without a default and cardfuzz cannot fill it (${isForeignKey ? 'a foreign key' : isUnique ? 'part of a unique constraint' : `type ${column.type || 'unknown'}`})`);
        continue;
      }
      fills.set(table, [...(fills.get(table) ?? []), { column: column.name, value }]);
    }
  }
  if (problems.length > 0) {
    throw new SchemaError(`${source} cannot host the rows cardfuzz writes: ${problems.slice(0, 6).join('; ')}${problems.length > 6 ? `; and ${problems.length - 6} more` : ''}`);
  }
  return fills;
}

/**
 * A neutral value for a column type, or undefined when there is none to
 * choose. Types are matched by their base name (`character varying(255)`,
 * `timestamp without time zone`, `INTEGER`); arrays, ranges, intervals,
 * geometric and other types get none.
 */
function neutralValue(type: string, values: NeutralValues): string | number | boolean | undefined {
  const t = type.toUpperCase().trim();
  if (t.endsWith(']') || /RANGE|INTERVAL/.test(t)) return undefined;
  if (/^BOOL/.test(t)) return values.booleanFalse;
  if (/^(TINY|SMALL|MEDIUM|BIG)?INT(EGER|2|4|8)?\b|^(SMALL|BIG)?SERIAL\b|^(REAL|FLOAT|DOUBLE|NUMERIC|DECIMAL)/.test(t)) return 0;
  if (/^(TIMESTAMP|DATETIME)\b/.test(t)) return '1970-01-01 00:00:00';
  if (/^DATE\b/.test(t)) return '1970-01-01';
  if (/^TIME\b/.test(t)) return '00:00:00';
  if (/^JSONB?\b/.test(t)) return '{}';
  if (/^(CHARACTER|CHAR|VARCHAR|NCHAR|NVARCHAR|NATIVE CHARACTER|VARYING CHARACTER|TEXT|CLOB|CITEXT)\b/.test(t)) return '';
  return undefined;
}
