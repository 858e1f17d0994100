import { SchemaError } from '../../../errors.js';

/**
 * `pg_dump --schema-only` output, made to build inside cardfuzz's own schema:
 * a dump sets its own search_path, names every object `public.x`, gives
 * owners and grants to roles the test server may not have, and (since
 * 15.14) wraps itself in psql's `\restrict` meta-commands. Those parts are
 * dropped or renamed; everything that shapes the tables (columns, sequences,
 * defaults, constraints, indexes, functions, triggers) is kept as dumped.
 * What cannot be moved into a schema of its own (other schemas, extensions,
 * table data) is refused with the construct named; the empty COPY blocks of
 * a full dump of empty tables are left out.
 */

export { isPgDump } from '../../dump-format.js';

const DROPPED_LINES: readonly RegExp[] = [
  /^\\/, // psql meta-commands: \restrict, \unrestrict, \connect
  /^SELECT pg_catalog\.set_config\('search_path', '', false\);$/,
  /^SET search_path = .*;$/, // dumps before pg_dump 10.3
  /^ALTER [A-Z ]+ .* OWNER TO .*;$/,
  /^(GRANT|REVOKE) .*;$/,
  /^CREATE SCHEMA public;$/,
  /^COMMENT ON SCHEMA public IS .*;$/,
  /^CREATE EXTENSION IF NOT EXISTS plpgsql WITH SCHEMA pg_catalog;$/,
  /^COMMENT ON EXTENSION plpgsql IS .*;$/,
];

export function adaptPgDump(sql: string, schema: string, label: string): string {
  const lines = sql.split(/\r?\n/);
  const refuse = (what: string, fix: string): never => {
    throw new SchemaError(`${label}: the PostgreSQL dump ${what}; ${fix}`);
  };
  const copies = new Set<number>();
  for (const [i, line] of lines.entries()) {
    if (/^COPY \S+ .*FROM stdin;$/.test(line)) {
      // A full dump of an empty table has a COPY block with no rows: nothing to load, so it is left out.
      if (lines[i + 1] !== '\\.') refuse(`holds table data (${line.replace(/ \(.*/, '')} ... FROM stdin, with rows)`, 'dump the schema only: pg_dump --schema-only');
      copies.add(i).add(i + 1);
      continue;
    }
    const otherSchema = /^CREATE SCHEMA (?!public;)("?[^";\s]+"?)/.exec(line);
    if (otherSchema) refuse(`creates schema ${otherSchema[1]}`, 'cardfuzz builds the public schema of a dump in a schema of its own; dump that one: pg_dump --schema-only --schema=public');
    const extension = /^CREATE EXTENSION (?:IF NOT EXISTS )?("?[^";\s]+"?)/.exec(line);
    if (extension && extension[1] !== 'plpgsql') refuse(`creates extension ${extension[1]}`, 'extensions cannot move into cardfuzz’s schema; remove its CREATE EXTENSION line and what uses it');
  }
  const kept = lines.filter((line, i) => !copies.has(i) && !DROPPED_LINES.some((re) => re.test(line))).join('\n');
  // Objects of the public schema move into ours: `public.job`, `"public"."job"`, `'public.job_id_seq'::regclass`.
  return kept.replace(/(^|[^A-Za-z0-9_$".])(?:public|"public")\./g, `$1"${schema}".`);
}
