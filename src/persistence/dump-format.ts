/** Whether a schema text is `pg_dump` output (recognised on every dialect, so SQLite can name it). */
export function isPgDump(sql: string): boolean {
  return /^-- PostgreSQL database dump/m.test(sql) || sql.includes("pg_catalog.set_config('search_path', '', false)");
}
