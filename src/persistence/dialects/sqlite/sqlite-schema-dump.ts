import Database from 'better-sqlite3';
import type { CaseDatabaseSpec } from '../../case-database.js';
import { applySqliteSchema } from './sqlite-case-database.js';

/**
 * The final DDL of a profile's schema as SQLite stores it, for the given
 * tables and every table they reference (so foreign keys resolve), with
 * their indexes: what a standalone SQL script needs.
 */
export function sqliteSchemaDump(spec: CaseDatabaseSpec, tables: readonly string[]): string[] {
  const db = new Database(':memory:');
  try {
    applySqliteSchema(db, spec.schemaSteps);
    const wanted = new Set<string>();
    const visit = (table: string): void => {
      if (wanted.has(table)) return;
      wanted.add(table);
      for (const fk of db.pragma(`foreign_key_list("${table}")`) as { table: string }[]) visit(fk.table);
    };
    tables.forEach(visit);
    const rows = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END, rowid").all() as { type: string; name: string; tbl_name: string; sql: string }[];
    return rows.filter((r) => wanted.has(r.tbl_name)).map((r) => `${r.sql};`);
  } finally {
    db.close();
  }
}
