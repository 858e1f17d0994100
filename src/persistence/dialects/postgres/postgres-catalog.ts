import { sql } from 'kysely';
import type { Catalog, CatalogColumn, CatalogForeignKey, CatalogTable, CatalogUnique } from '../../catalog.js';
import type { PostgresSession } from './postgres-connection.js';

/**
 * Reads a schema's constraints back from PostgreSQL's own catalog
 * (pg_attribute, pg_constraint, pg_index) for the session's schema, so that
 * findings name constraints as the server does: `uq_job_tool_execution_state_id`,
 * `job_pkey`, `job_tool_request_id_fkey`.
 */
export interface PostgresCatalog {
  readonly catalog: Catalog;
  /** Constraints of any kind that are INITIALLY DEFERRED: checked at COMMIT, which a rolled-back case never reaches. */
  readonly deferredConstraints: readonly string[];
}

export async function readPostgresCatalog(session: PostgresSession): Promise<PostgresCatalog> {
  const { db, schema } = session;
  const tables = (
    await sql<{ oid: number; name: string }>`
      SELECT c.oid::int AS oid, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ${schema} AND c.relkind IN ('r', 'p') ORDER BY c.relname`.execute(db)
  ).rows;
  const columns = (
    await sql<{ table: number; num: number; name: string; type: string; notnull: boolean; hasdefault: boolean }>`
      SELECT a.attrelid::int AS table, a.attnum::int AS num, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
             a.attnotnull AS notnull, (a.atthasdef OR a.attidentity <> '') AS hasdefault
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ${schema} AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum`.execute(db)
  ).rows;
  const constraints = (
    await sql<{ table: number; name: string; type: string; keys: number[]; parent: number | null; parentkeys: number[] | null; deferred: boolean; index: number }>`
      SELECT con.conrelid::int AS table, con.conname AS name, con.contype AS type, con.conkey::int[] AS keys, NULLIF(con.confrelid, 0)::int AS parent,
             con.confkey::int[] AS parentkeys, con.condeferred AS deferred, con.conindid::int AS index
      FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
      WHERE n.nspname = ${schema} ORDER BY con.conrelid, con.conname`.execute(db)
  ).rows;
  const indexes = (
    await sql<{ table: number; index: number; name: string; keys: number[]; partial: boolean }>`
      SELECT i.indrelid::int AS table, i.indexrelid::int AS index, ic.relname AS name, string_to_array(i.indkey::text, ' ')::int[] AS keys, i.indpred IS NOT NULL AS partial
      FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
      WHERE n.nspname = ${schema} AND i.indisunique ORDER BY ic.relname`.execute(db)
  ).rows;

  const nameOf = new Map<number, string>(tables.map((t) => [t.oid, t.name]));
  const columnName = new Map<string, string>(columns.map((c) => [`${c.table}:${c.num}`, c.name]));
  const names = (table: number, keys: readonly number[]): string[] => keys.map((k) => columnName.get(`${table}:${k}`) ?? `#${k}`);
  const catalog = new Map<string, CatalogTable>();
  for (const t of tables) {
    const own = constraints.filter((c) => c.table === t.oid);
    const primary = own.find((c) => c.type === 'p');
    const primaryColumns = new Set(primary ? names(t.oid, primary.keys) : []);
    const tableColumns: CatalogColumn[] = columns
      .filter((c) => c.table === t.oid)
      .map((c) => ({ name: c.name, type: c.type.toUpperCase(), notNull: c.notnull, hasDefault: c.hasdefault, primaryKey: primaryColumns.has(c.name) }));
    const foreignKeys: CatalogForeignKey[] = own
      .filter((c) => c.type === 'f' && c.parent !== null)
      .map((c) => ({ name: c.name, columns: names(t.oid, c.keys), parentTable: nameOf.get(c.parent!) ?? `#${c.parent}`, parentColumns: names(c.parent!, c.parentkeys ?? []), deferred: c.deferred }));
    const uniques: CatalogUnique[] = own
      .filter((c) => c.type === 'p' || c.type === 'u')
      .map((c) => ({ name: c.name, columns: names(t.oid, c.keys), partial: false, origin: c.type === 'p' ? ('primary-key' as const) : ('constraint' as const) }));
    // Unique indexes that back no constraint of their table (CREATE UNIQUE INDEX), partial ones included.
    // (A foreign key's conindid is the index it references, not one of its own.)
    const backing = new Set(own.filter((c) => c.type === 'p' || c.type === 'u').map((c) => c.index));
    for (const ix of indexes.filter((i) => i.table === t.oid && !backing.has(i.index))) {
      uniques.push({ name: ix.name, columns: names(t.oid, ix.keys.filter((k) => k > 0)), partial: ix.partial, origin: 'index' });
    }
    catalog.set(t.name, { name: t.name, columns: tableColumns, foreignKeys, uniques });
  }
  return { catalog, deferredConstraints: constraints.filter((c) => c.deferred).map((c) => c.name) };
}
