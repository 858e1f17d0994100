import { execFileSync, spawnSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseDatabase } from '../../src/persistence/open-case-database.js';
import { schemaSteps } from '../../src/persistence/schema-plan.js';
import type { Profile } from '../../src/profiles/profile.js';
import { createSystemUnderTest } from '../../src/runner/system-under-test.js';
import { runCli, tempDir, writeJson } from '../helpers/cli.js';
import { describePostgres } from '../helpers/postgres.js';
import { builtin } from '../helpers/targets.js';

/**
 * Real schemas on PostgreSQL: a profile's `sql:` after its `schema_sql:`
 * dump, full dumps whose COPY blocks are empty, schemas of a thousand objects
 * built and dropped by several sessions at once, and `cardfuzz clean`.
 */

interface RunJson {
  readonly findings: readonly { readonly violation: { kind: string; table: string; constraint: string } }[];
}

describePostgres('real schemas on PostgreSQL', (url) => {
  const pgFlags = ['--dialect', 'postgres', '--database-url', url];
  const query = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = [], on = url): Promise<T[]> => {
    const client = new pg.Client({ connectionString: on });
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  };

  describe('dumps of a Galaxy database on branch-fixed', () => {
    const database = `cardfuzz_real_${process.pid}`;
    const target = new URL(url);
    target.pathname = `/${database}`;
    const dir = tempDir();
    const dump = (args: string[]): string => execFileSync('pg_dump', [...args, target.toString()], { encoding: 'utf8' });
    beforeAll(async () => {
      await query(`DROP DATABASE IF EXISTS ${database}`);
      await query(`CREATE DATABASE ${database}`);
      // branch-fixed has no UNIQUE on job.tool_execution_state_id: the ledger bug cannot show on its dump alone.
      for (const step of schemaSteps(builtin('branch-fixed'), 'postgres')) await query(step.sql, [], target.toString());
      writeJson(dir, 'schema-only.sql', dump(['--schema-only', '--no-owner']));
      writeJson(dir, 'full.sql', dump(['--no-owner']));
      await query("INSERT INTO tool_source (id, hash, source, source_class, identity_hash) VALUES (1, 'h', 's', 'XmlToolSource', 'i')", [], target.toString());
      writeJson(dir, 'with-rows.sql', dump(['--no-owner']));
    });
    afterAll(async () => {
      await query(`DROP DATABASE IF EXISTS ${database}`);
    });
    const run = (profile: string) => runCli(['run', '--profile', profile, '--property', 'persists-without-constraint-violations', '--seed', '2', '--runs', '300', '--json', ...pgFlags]);

    it('runs a profile’s sql after its schema_sql dump: the index it adds is the one the finding names', () => {
      const profile = writeJson(dir, 'dump-plus-sql.json', {
        name: 'dump-plus-sql',
        extends: 'branch-fixed',
        schema_sql: 'schema-only.sql',
        sql: { postgres: ['CREATE UNIQUE INDEX ix_job_tes_from_profile ON job (tool_execution_state_id)'] },
      });
      const r = run(profile);
      expect(r.status, r.stderr).toBe(1);
      expect((JSON.parse(r.stdout) as RunJson).findings[0]!.violation).toMatchObject({ kind: 'unique', table: 'job', constraint: 'ix_job_tes_from_profile' });
    });

    it('holds on the dump alone (the index the sql adds is what fails)', () => {
      const profile = writeJson(dir, 'dump-only.json', { name: 'dump-only', extends: 'branch-fixed', schema_sql: 'schema-only.sql' });
      const r = run(profile);
      expect(r.status, r.stderr).toBe(0);
    });

    it('builds a full dump whose COPY blocks are empty, skipping them', () => {
      const full = `${dir}/full.sql`;
      expect(execFileSync('grep', ['-c', '^COPY ', full], { encoding: 'utf8' }).trim()).not.toBe('0');
      const r = runCli(['run', '--profile', 'branch-fixed', '--schema-sql', full, '--property', 'persists-without-constraint-violations', '--seed', '2', '--runs', '100', ...pgFlags]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('ok: every property held');
    });

    it('refuses a dump whose COPY block has rows, naming the table (exit 2, one line)', () => {
      const r = runCli(['run', '--profile', 'branch-fixed', '--schema-sql', `${dir}/with-rows.sql`, '--runs', '5', ...pgFlags]);
      expect(r.status).toBe(2);
      const lines = r.stderr.split('\n').filter((l) => l.startsWith('cardfuzz: '));
      expect(lines).toEqual([`cardfuzz: schema dump ${dir}/with-rows.sql: the PostgreSQL dump holds table data (COPY public.tool_source ... FROM stdin, with rows); dump the schema only: pg_dump --schema-only`]);
    });
  });

  it('builds and drops schemas of a thousand objects from four sessions at once without running out of locks', async () => {
    // 300 tables, each with a sequence, a primary key and a unique index: over a thousand objects per schema.
    const base = builtin('branch-fixed');
    const wide: Profile = { ...base, name: 'wide', extraSql: { ...base.extraSql, postgres: Array.from({ length: 300 }, (_, i) => `CREATE TABLE filler_${i} (id serial PRIMARY KEY, a integer UNIQUE, b text)`) } };
    const system = createSystemUnderTest(wide);
    const opened = await Promise.all(Array.from({ length: 4 }, () => openCaseDatabase(system.databaseSpec('postgres'), { dialect: 'postgres', databaseUrl: url })));
    const mine = async () => (await query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`cardfuzz\\_${process.pid}\\_%`])).map((r) => r.nspname);
    expect((await mine()).length).toBeGreaterThanOrEqual(4);
    const closed = await Promise.allSettled(opened.map((d) => d.close()));
    expect(closed.filter((c) => c.status === 'rejected')).toEqual([]);
    expect(await mine()).toEqual([]);
  });

  describe('cardfuzz clean', () => {
    // A pid that is surely gone: a process that has exited.
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    const dead = `cardfuzz_${deadPid}_0_dead01`;
    const alive = `cardfuzz_${process.pid}_0_a11ce1`;
    const inUse = `cardfuzz_${deadPid}_1_05ed01`;
    let holder: pg.Client;
    beforeAll(async () => {
      for (const s of [dead, alive, inUse]) await query(`CREATE SCHEMA "${s}"; CREATE TABLE "${s}".job (id serial PRIMARY KEY)`);
      // A live session names itself after its schema, as every cardfuzz database does.
      holder = new pg.Client({ connectionString: url, application_name: `cardfuzz ${inUse}` });
      await holder.connect();
    });
    afterAll(async () => {
      await holder.end();
      for (const s of [dead, alive, inUse]) await query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    });
    const exists = async (s: string) => (await query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [s])).length === 1;

    it('drops what a dead process left, keeps what a live process or connection uses; --all drops the live pid’s too, never one in use', async () => {
      const dry = runCli(['clean', '--database-url', url, '--dry-run']);
      expect(dry.status, dry.stderr).toBe(0);
      expect(dry.stdout).toContain(`would drop ${dead}`);
      expect(await exists(dead)).toBe(true);

      const r = runCli(['clean', '--database-url', url]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(`dropped ${dead}`);
      expect(r.stdout).toContain(`kept ${alive} (process ${process.pid} is alive on this host (--all drops it))`);
      expect(r.stdout).toContain(`kept ${inUse} (in use: a running cardfuzz is connected to it)`);
      expect([await exists(dead), await exists(alive), await exists(inUse)]).toEqual([false, true, true]);

      const all = runCli(['clean', '--database-url', url, '--all']);
      expect(all.status, all.stderr).toBe(0);
      expect(all.stdout).toContain(`dropped ${alive}`);
      expect([await exists(alive), await exists(inUse)]).toEqual([false, true]);
    });

    it('says so in one line when the server cannot be reached (exit 2)', () => {
      const r = runCli(['clean', '--database-url', 'postgres://postgres@127.0.0.1:1/postgres']);
      expect(r.status).toBe(2);
      expect(r.stderr.trim()).toMatch(/^cardfuzz: cannot connect to PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/postgres: connection refused/);
    });
  });
});
