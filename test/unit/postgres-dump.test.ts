import { describe, expect, it } from 'vitest';
import { redact, withoutPassword } from '../../src/persistence/database-url.js';
import { adaptPgDump, isPgDump } from '../../src/persistence/dialects/postgres/postgres-schema-dump.js';

/** pg_dump output adapted to build in cardfuzz's own schema, without a server. */
const HEADER = ['--', '-- PostgreSQL database dump', '--', '\\restrict abc123', "SET client_encoding = 'UTF8';", "SELECT pg_catalog.set_config('search_path', '', false);"];

describe('adaptPgDump', () => {
  it('drops search_path, owners, grants and psql meta-commands, and moves public objects into the schema', () => {
    const dump = [
      ...HEADER,
      'CREATE TABLE public.job (id integer NOT NULL, tool_execution_state_id integer);',
      'ALTER TABLE public.job OWNER TO galaxy;',
      'CREATE SEQUENCE public.job_id_seq AS integer START WITH 1;',
      "ALTER TABLE ONLY public.job ALTER COLUMN id SET DEFAULT nextval('public.job_id_seq'::regclass);",
      'ALTER TABLE ONLY "public"."job" ADD CONSTRAINT uq_job_tool_execution_state_id UNIQUE (tool_execution_state_id);',
      'GRANT ALL ON TABLE public.job TO galaxy;',
      '\\unrestrict abc123',
    ].join('\n');
    expect(isPgDump(dump)).toBe(true);
    const adapted = adaptPgDump(dump, 'cardfuzz_1_0_aa', 'schema dump d.sql');
    expect(adapted).not.toMatch(/OWNER TO|GRANT|\\restrict|set_config/);
    expect(adapted).not.toMatch(/(^|[^_])public\./m);
    expect(adapted).toContain('CREATE TABLE "cardfuzz_1_0_aa".job');
    expect(adapted).toContain(`nextval('"cardfuzz_1_0_aa".job_id_seq'::regclass)`);
    expect(adapted).toContain('ALTER TABLE ONLY "cardfuzz_1_0_aa"."job" ADD CONSTRAINT');
  });

  it('reads dumps with CRLF line ends and the search_path lines of old pg_dump versions', () => {
    const dump = [...HEADER, 'SET search_path = public, pg_catalog;', 'CREATE TABLE public.job (id integer);', 'ALTER TABLE public.job OWNER TO galaxy;'].join('\r\n');
    const adapted = adaptPgDump(dump, 's', 'd.sql');
    expect(adapted).not.toMatch(/search_path|OWNER TO/);
    expect(adapted).toContain('CREATE TABLE "s".job');
  });

  it('leaves out the empty COPY blocks of a full dump of empty tables', () => {
    const dump = [...HEADER, 'CREATE TABLE public.job (id integer);', '', 'COPY public.job (id) FROM stdin;', '\\.', '', 'CREATE INDEX ix_job_id ON public.job (id);'].join('\n');
    const adapted = adaptPgDump(dump, 's', 'd.sql');
    expect(adapted).not.toMatch(/COPY|^\\\.$/m);
    expect(adapted).toContain('CREATE TABLE "s".job (id integer);');
    expect(adapted).toContain('CREATE INDEX ix_job_id ON "s".job (id);');
  });

  it.each([
    ['table data', 'COPY public.job (id) FROM stdin;\n1\n\\.', 'holds table data (COPY public.job ... FROM stdin, with rows)'],
    ['table data at the end of the file', 'COPY public.job (id) FROM stdin;', 'holds table data (COPY public.job ... FROM stdin, with rows)'],
    ['another schema', 'CREATE SCHEMA galaxy;', 'creates schema galaxy'],
    ['an extension', 'CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;', 'creates extension pg_trgm'],
  ])('refuses %s, naming the construct', (_label, line, message) => {
    expect(() => adaptPgDump([...HEADER, line].join('\n'), 's', 'schema dump d.sql')).toThrow(`schema dump d.sql: the PostgreSQL dump ${message}`);
  });
});

describe('database URLs in messages and replay commands', () => {
  it('never show a password', () => {
    expect(redact('postgres://galaxy:s3cr@t@db:5432/galaxy')).not.toContain('s3cr');
    expect(redact('postgres://galaxy@db/galaxy?password=s3cret&sslmode=require')).not.toContain('s3cret');
    expect(withoutPassword('postgres://galaxy:s3cret@db:5432/galaxy')).toBe('postgres://galaxy@db:5432/galaxy');
    expect(withoutPassword('postgres://galaxy@db/galaxy?password=s3cret')).toBe('postgres://galaxy@db/galaxy');
  });
});
