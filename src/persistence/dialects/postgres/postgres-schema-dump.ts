import { SchemaError } from '../../../errors.js';

/**
 * `pg_dump --schema-only` output, made to build inside cardfuzz's own schema:
 * a dump empties search_path, names every object `public.x`, gives owners
 * and grants to roles the test server may not have, and (since 15.14) wraps
 * itself in psql's `\restrict` meta-commands. Those parts are dropped or
 * renamed; everything that shapes the tables (columns, sequences, defaults,
 * constraints, indexes, functions, triggers) is kept as dumped.
 */

export function isPgDump(sql: string): boolean {
  return /^-- PostgreSQL database dump/m.test(sql) || sql.includes("pg_catalog.set_config('search_path', '', false)");
}

const DROPPED_LINES: readonly RegExp[] = [
  /^\\/, // psql meta-commands: \restrict, \unrestrict, \connect
  /^SELECT pg_catalog\.set_config\('search_path', '', false\);$/,
  /^ALTER [A-Z ]+ .* OWNER TO .*;$/,
  /^(GRANT|REVOKE) .*;$/,
  /^CREATE SCHEMA public;$/,
  /^COMMENT ON SCHEMA public IS .*;$/,
];

export function adaptPgDump(sql: string, schema: string): string {
  if (/^COPY \S+ .*FROM stdin;$/m.test(sql)) throw new SchemaError('the PostgreSQL dump holds table data (COPY ... FROM stdin); dump the schema only: pg_dump --schema-only');
  const kept = sql
    .split('\n')
    .filter((line) => !DROPPED_LINES.some((re) => re.test(line)))
    .join('\n');
  // Objects of the public schema move into ours: `public.job`, `"public"."job"`, `'public.job_id_seq'::regclass`.
  return kept.replace(/(^|[^A-Za-z0-9_$".])(?:public|"public")\./g, `$1"${schema}".`);
}
