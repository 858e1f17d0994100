import type Database from 'better-sqlite3';
import type { Catalog, CatalogColumn, CatalogForeignKey, CatalogTable, CatalogUnique } from '../../catalog.js';

/**
 * Reads a schema's constraints back from SQLite itself: table_info,
 * foreign_key_list, index_list and index_info, plus constraint names parsed
 * from the stored CREATE TABLE text (the pragmas do not carry them).
 */
export function readSqliteCatalog(db: Database.Database): Catalog {
  const catalog = new Map<string, CatalogTable>();
  const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string; sql: string }[];
  for (const { name, sql } of tables) {
    const columns: CatalogColumn[] = (db.pragma(`table_info(${quote(name)})`) as { name: string; type: string; notnull: number; dflt_value: unknown; pk: number }[]).map((c) => ({
      name: c.name,
      type: (c.type ?? '').toUpperCase(),
      notNull: c.notnull === 1,
      hasDefault: c.dflt_value !== null,
      primaryKey: c.pk > 0,
    }));
    const fkNames = namedForeignKeys(sql);
    const deferred = /INITIALLY\s+DEFERRED/i.test(sql);
    const fkRows = db.pragma(`foreign_key_list(${quote(name)})`) as { id: number; seq: number; table: string; from: string; to: string | null }[];
    const byId = new Map<number, { table: string; from: string[]; to: string[] }>();
    for (const row of fkRows) {
      const entry = byId.get(row.id) ?? { table: row.table, from: [], to: [] };
      entry.from.push(row.from);
      entry.to.push(row.to ?? 'id');
      byId.set(row.id, entry);
    }
    const foreignKeys: CatalogForeignKey[] = [...byId.values()].map((fk) => ({
      name: fk.from.length === 1 ? (fkNames.get(fk.from[0]!.toLowerCase()) ?? null) : null,
      columns: fk.from,
      parentTable: fk.table,
      parentColumns: fk.to,
      deferred,
    }));
    const uniqueNames = namedUniqueConstraints(sql);
    const uniques: CatalogUnique[] = [];
    for (const index of db.pragma(`index_list(${quote(name)})`) as { name: string; unique: number; origin: string; partial: number }[]) {
      if (index.unique !== 1) continue;
      const indexColumns = (db.pragma(`index_info(${quote(index.name)})`) as { name: string }[]).map((c) => c.name);
      const origin = index.origin === 'pk' ? 'primary-key' : index.origin === 'u' ? 'constraint' : 'index';
      const constraintName = origin === 'constraint' ? (uniqueNames.get(indexColumns.join(',').toLowerCase()) ?? null) : origin === 'index' ? index.name : null;
      uniques.push({ name: constraintName, columns: indexColumns, partial: index.partial === 1, origin });
    }
    const pk = columns.filter((c) => c.primaryKey).map((c) => c.name);
    if (pk.length > 0 && !uniques.some((u) => u.origin === 'primary-key')) uniques.push({ name: null, columns: pk, partial: false, origin: 'primary-key' });
    catalog.set(name, { name, columns, foreignKeys, uniques });
  }
  return catalog;
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const IDENT = String.raw`(?:"([^"]+)"|` + '`([^`]+)`' + String.raw`|\[([^\]]+)\]|([A-Za-z_][A-Za-z0-9_$]*))`;

function identAt(match: RegExpExecArray, start: number): string {
  return match[start] ?? match[start + 1] ?? match[start + 2] ?? match[start + 3] ?? '';
}

/** Column → FK constraint name, from `CONSTRAINT name FOREIGN KEY (col)` and inline `col TYPE ... CONSTRAINT name REFERENCES`. */
function namedForeignKeys(sql: string): Map<string, string> {
  const names = new Map<string, string>();
  const tableLevel = new RegExp(String.raw`CONSTRAINT\s+${IDENT}\s+FOREIGN\s+KEY\s*\(\s*${IDENT}\s*\)`, 'gi');
  for (let m = tableLevel.exec(sql); m; m = tableLevel.exec(sql)) names.set(identAt(m, 5).toLowerCase(), identAt(m, 1));
  const inline = new RegExp(String.raw`[,(]\s*${IDENT}\s+[A-Za-z]+(?:\s*\([^)]*\))?(?:\s+NOT\s+NULL)?\s+CONSTRAINT\s+${IDENT}\s+REFERENCES`, 'gi');
  for (let m = inline.exec(sql); m; m = inline.exec(sql)) names.set(identAt(m, 1).toLowerCase(), identAt(m, 5));
  return names;
}

/** Column list → UNIQUE constraint name, from `CONSTRAINT name UNIQUE (a, b)`. */
function namedUniqueConstraints(sql: string): Map<string, string> {
  const names = new Map<string, string>();
  const re = new RegExp(String.raw`CONSTRAINT\s+${IDENT}\s+UNIQUE\s*\(([^)]*)\)`, 'gi');
  for (let m = re.exec(sql); m; m = re.exec(sql)) {
    const columns = m[5]!
      .split(',')
      .map((c) => c.trim().replace(/^["`[]|["`\]]$/g, '').toLowerCase())
      .join(',');
    names.set(columns, identAt(m, 1));
  }
  return names;
}
