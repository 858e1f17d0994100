import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, writeJson } from '../helpers/cli.js';

/**
 * Schema dumps in profile files on SQLite: a profile's `sql:` runs after its
 * `schema_sql:` dump (as after migrations), and a PostgreSQL dump given to
 * SQLite is named as such, with the flag to add. The PostgreSQL side is in
 * test/postgres/real-schemas.test.ts.
 */

/** The branch dump without its UNIQUE index on job.tool_execution_state_id: the ledger bug cannot show on it alone. */
function dumpWithoutJobUnique(dir: string): string {
  const text = readFileSync(resolve(import.meta.dirname, '../../examples/schemas/galaxy-branch.sqlite.sql'), 'utf8');
  const without = text.split('\n').filter((line) => !line.includes('ix_job_tes_once'));
  expect(without.length).toBe(text.split('\n').length - 1);
  return writeJson(dir, 'galaxy-no-job-unique.sql', without.join('\n'));
}

interface RunJson {
  readonly findings: readonly { readonly property: string; readonly violation: { kind: string; table: string; constraint: string } }[];
}

describe('a profile file with schema_sql and sql (SQLite)', () => {
  const run = (profile: string) => runCli(['run', '--profile', profile, '--property', 'persists-without-constraint-violations', '--seed', '2', '--runs', '400', '--json']);

  it('runs the profile’s sql after the dump: the index it adds is the one the finding names', () => {
    const dir = tempDir();
    dumpWithoutJobUnique(dir);
    const profile = writeJson(dir, 'dump-plus-sql.json', {
      name: 'dump-plus-sql',
      extends: 'branch-1f87eebce',
      schema_sql: 'galaxy-no-job-unique.sql',
      sql: { sqlite: ['CREATE UNIQUE INDEX ix_job_tes_from_profile ON job (tool_execution_state_id)'] },
    });
    const r = run(profile);
    expect(r.status, r.stderr).toBe(1);
    expect((JSON.parse(r.stdout) as RunJson).findings[0]!.violation).toMatchObject({ kind: 'unique', table: 'job', constraint: 'ix_job_tes_from_profile' });
  });

  it('holds on the same dump without the sql (the index is what fails)', () => {
    const dir = tempDir();
    dumpWithoutJobUnique(dir);
    const profile = writeJson(dir, 'dump-only.json', { name: 'dump-only', extends: 'branch-1f87eebce', schema_sql: 'galaxy-no-job-unique.sql' });
    const r = run(profile);
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as RunJson).findings).toEqual([]);
  });

  it('runs schema: statements after the dump too, in order', () => {
    const dir = tempDir();
    dumpWithoutJobUnique(dir);
    const profile = writeJson(dir, 'dump-plus-schema.json', {
      name: 'dump-plus-schema',
      extends: 'branch-1f87eebce',
      schema_sql: 'galaxy-no-job-unique.sql',
      schema: { sqlite: ['CREATE TABLE extra_table (id INTEGER PRIMARY KEY)', 'CREATE UNIQUE INDEX ix_job_tes_from_schema ON job (tool_execution_state_id)'] },
    });
    const r = run(profile);
    expect(r.status, r.stderr).toBe(1);
    expect((JSON.parse(r.stdout) as RunJson).findings[0]!.violation.constraint).toBe('ix_job_tes_from_schema');
  });
});

describe('a PostgreSQL dump given on SQLite', () => {
  const pgDump = ['--', '-- PostgreSQL database dump', '--', '', "SET client_encoding = 'UTF8';", "SELECT pg_catalog.set_config('search_path', '', false);", 'CREATE TABLE public.job (id integer NOT NULL);', ''].join('\n');

  it('is named as such, with the flag to add (--schema-sql)', () => {
    const dump = writeJson(tempDir(), 'galaxy.pg.sql', pgDump);
    const r = runCli(['run', '--profile', 'branch-fixed', '--schema-sql', dump, '--runs', '5']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('cardfuzz: '))).toEqual([
      `cardfuzz: schema dump ${dump} is a PostgreSQL dump (pg_dump), which builds on PostgreSQL only: add --dialect postgres --database-url postgres://user@host:port/database`,
    ]);
    expect(r.stderr).not.toMatch(/unrecognized token|syntax error/);
  });

  it('is named as such from a profile file’s schema_sql', () => {
    const dir = tempDir();
    writeJson(dir, 'galaxy.pg.sql', pgDump);
    const profile = writeJson(dir, 'pg-dump.json', { name: 'pg-dump', extends: 'branch-fixed', schema_sql: 'galaxy.pg.sql' });
    const r = runCli(['run', '--profile', profile, '--runs', '5']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is a PostgreSQL dump (pg_dump), which builds on PostgreSQL only: add --dialect postgres');
  });
});
