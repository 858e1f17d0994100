import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../src/model/case.js';
import type { CaseDatabase } from '../../src/persistence/case-database.js';
import { openCaseDatabase } from '../../src/persistence/open-case-database.js';
import { schemaSteps } from '../../src/persistence/schema-plan.js';
import type { Profile } from '../../src/profiles/profile.js';
import { readerRequestsFor } from '../../src/readers/reader-requests.js';
import { createSystemUnderTest, type SystemUnderTest } from '../../src/runner/system-under-test.js';
import { batch, data, hda, ledgerCase, makeCase } from '../helpers/cases.js';
import { runCli, tempDir, writeJson } from '../helpers/cli.js';
import { describePostgres } from '../helpers/postgres.js';
import { builtin } from '../helpers/targets.js';

/**
 * PostgreSQL as a target: the ledger's bug found and shrunk as on SQLite,
 * constraint errors classified from SQLSTATE and constraint names, a schema
 * of its own per database dropped on close, pg_dump dumps, profile files
 * naming the database, nightly workers, and one clear line when the server
 * cannot be reached.
 */

interface RunJson {
  readonly findings: readonly { readonly property: string; readonly case: Case; readonly violation: { kind: string; table: string; columns: string[]; constraint: string; message: string } }[];
  readonly runs: number;
}

function isCanonicalLedgerCase(c: Case): boolean {
  return (
    c.entry === 'tool-request' &&
    c.tool.inputs.length === 1 &&
    c.tool.inputs[0]!.type === 'data' &&
    !('multiple' in c.tool.inputs[0]! && c.tool.inputs[0].multiple) &&
    JSON.stringify(c.history) === JSON.stringify({ datasets: [{ id: 1 }, { id: 2 }], collections: [] }) &&
    JSON.stringify(c.request) === JSON.stringify({ [c.tool.inputs[0]!.name]: { __class__: 'Batch', values: [{ src: 'hda', id: 1 }, { src: 'hda', id: 2 }] } })
  );
}

/** A built-in profile with extra PostgreSQL statements after its migrations. */
function withPostgresSql(base: string, statements: readonly string[]): Profile {
  const profile = builtin(base);
  return { ...profile, name: `${base}+sql`, extraSql: { ...profile.extraSql, postgres: [...profile.extraSql.postgres, ...statements] } };
}

async function cardfuzzSchemas(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'cardfuzz\\_%'")).rows.map((r) => r.nspname);
  } finally {
    await client.end();
  }
}

describe('an unreachable or malformed PostgreSQL URL', () => {
  it.each([
    ['a refused port', ['--database-url', 'postgres://postgres@127.0.0.1:1/postgres'], /^cardfuzz: cannot connect to PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/postgres: connection refused/],
    ['another scheme', ['--database-url', 'mysql://root@localhost/galaxy'], /^cardfuzz: --database-url mysql:\/\/root@localhost\/galaxy: expected a postgres:\/\/ or postgresql:\/\/ URL/],
    ['no URL at all', [], /^cardfuzz: --dialect postgres needs --database-url/],
    ['not a URL', ['--database-url', 'localhost:5432'], /^cardfuzz: --database-url localhost:5432: expected a postgres:\/\/ or postgresql:\/\/ URL/],
    ['a password in the URL', ['--database-url', 'postgres://galaxy:s3cret@127.0.0.1:1/galaxy'], /^cardfuzz: cannot connect to PostgreSQL at postgres:\/\/galaxy:\*\*\*@127\.0\.0\.1:1\/galaxy/],
  ])('%s: one line, exit 2', (_label, flags, message) => {
    const r = runCli(['run', '--profile', 'branch-fixed', '--runs', '10', '--dialect', 'postgres', ...flags], { timeoutMs: 20_000 });
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('cardfuzz: '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toContain('    at ');
    expect(r.stderr).not.toContain('s3cret');
  });
});

describePostgres('the PostgreSQL dialect', (url) => {
  const pgFlags = ['--dialect', 'postgres', '--database-url', url];

  it.each([1, 2, 3, 4, 5])('finds the ledger bug with seed %i and shrinks it to the two-dataset Batch, naming the constraint as PostgreSQL does', (seed) => {
    const r = runCli(['run', '--profile', 'branch-1f87eebce', '--property', 'persists-without-constraint-violations', '--seed', String(seed), '--runs', '300', '--json', ...pgFlags]);
    expect(r.status, r.stderr).toBe(1);
    const result = JSON.parse(r.stdout) as RunJson;
    const finding = result.findings.find((f) => f.property === 'persists-without-constraint-violations')!;
    expect(isCanonicalLedgerCase(finding.case), JSON.stringify(finding.case)).toBe(true);
    expect(finding.violation).toMatchObject({ kind: 'unique', table: 'job', columns: ['tool_execution_state_id'], constraint: 'uq_job_tool_execution_state_id' });
    expect(finding.violation.message).toContain('duplicate key value violates unique constraint "uq_job_tool_execution_state_id"');
  });

  it('holds every branch property on branch-fixed: the gate replays the committed cases and passes its campaign', () => {
    const dir = tempDir();
    const r = runCli(['gate', '--profile', 'branch-fixed', '--runs', '400', '--seed', '7', '--junit', join(dir, 'gate.xml'), ...pgFlags]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('fails the upgrade from upstream on a history holding a batch of two datasets, naming the shape', () => {
    const r = runCli(['run', '--profile', 'branch-1f87eebce', '--property', 'migration-upgrades-any-history', '--seed', '3', '--runs', '200', '--json', ...pgFlags]);
    expect(r.status, r.stderr).toBe(1);
    const finding = (JSON.parse(r.stdout) as RunJson).findings[0]!;
    expect(finding.violation).toMatchObject({ kind: 'unique', table: 'job', constraint: 'uq_job_tool_execution_state_id' });
    expect(finding.violation.message).toContain('S2: Batch of N datasets');
    expect(finding.violation.message).toContain('could not create unique index "uq_job_tool_execution_state_id"');
  });

  describe('constraint errors, classified from SQLSTATE and the constraint name', () => {
    const open: CaseDatabase[] = [];
    afterAll(async () => {
      for (const db of open) await db.close();
    });
    async function firstFailure(profile: Profile, c: Case) {
      const system: SystemUnderTest = createSystemUnderTest(profile);
      const database = await openCaseDatabase(system.databaseSpec('postgres'), { dialect: 'postgres', databaseUrl: url });
      open.push(database);
      return (await database.runCase(system.plan(c))).failure;
    }
    const legacyCase = makeCase({ inputs: [data('input')], datasets: 1, request: { input: hda(1) }, entry: 'legacy' });

    it('23505 on a UNIQUE constraint and on a unique index a profile adds', async () => {
      expect((await firstFailure(builtin('branch-1f87eebce'), ledgerCase()))?.violation).toMatchObject({ kind: 'unique', table: 'job', columns: ['tool_execution_state_id'], constraint: 'uq_job_tool_execution_state_id' });
      const indexed = withPostgresSql('branch-fixed', ['CREATE UNIQUE INDEX ix_job_tool_request_id_unique ON job (tool_request_id)']);
      const failure = await firstFailure(indexed, ledgerCase());
      expect(failure?.violation).toMatchObject({ kind: 'unique', table: 'job', columns: ['tool_request_id'], constraint: 'ix_job_tool_request_id_unique' });
      expect(failure?.statement).toMatchObject({ op: 'insert', table: 'job' });
    });

    it('23503 on a foreign key, immediate or deferred', async () => {
      const immediate = withPostgresSql('branch-fixed', ['CREATE TABLE nowhere (id SERIAL PRIMARY KEY)', 'ALTER TABLE job ADD CONSTRAINT job_history_nowhere_fkey FOREIGN KEY (history_id) REFERENCES nowhere (id)']);
      expect((await firstFailure(immediate, ledgerCase()))?.violation).toMatchObject({ kind: 'foreign-key', table: 'job', columns: ['history_id'], constraint: 'job_history_nowhere_fkey' });
      const deferred = withPostgresSql('branch-fixed', ['CREATE TABLE nowhere (id SERIAL PRIMARY KEY)', 'ALTER TABLE job ADD CONSTRAINT job_history_nowhere_fkey FOREIGN KEY (history_id) REFERENCES nowhere (id) DEFERRABLE INITIALLY DEFERRED']);
      const failure = await firstFailure(deferred, ledgerCase());
      expect(failure?.violation).toMatchObject({ kind: 'foreign-key', table: 'job', columns: ['history_id'], constraint: 'job_history_nowhere_fkey' });
    });

    it('23502 on NOT NULL, naming the column', async () => {
      const required = withPostgresSql('branch-fixed', ['ALTER TABLE job ALTER COLUMN tool_request_id SET NOT NULL']);
      expect((await firstFailure(required, legacyCase))?.violation).toMatchObject({ kind: 'not-null', table: 'job', columns: ['tool_request_id'], constraint: null });
    });

    it('23514 on CHECK, naming the constraint', async () => {
      const checked = withPostgresSql('branch-fixed', ["ALTER TABLE job ADD CONSTRAINT ck_job_state_not_new CHECK (state <> 'new')"]);
      expect((await firstFailure(checked, ledgerCase()))?.violation).toMatchObject({ kind: 'check', table: 'job', constraint: 'ck_job_state_not_new' });
    });

    it('a deferred UNIQUE is checked before the rollback, as COMMIT would', async () => {
      const deferred = withPostgresSql('branch-fixed', ['ALTER TABLE job ADD CONSTRAINT uq_job_tes_deferred UNIQUE (tool_execution_state_id) DEFERRABLE INITIALLY DEFERRED']);
      const failure = await firstFailure(deferred, ledgerCase());
      expect(failure?.violation).toMatchObject({ kind: 'unique', table: 'job', columns: ['tool_execution_state_id'], constraint: 'uq_job_tes_deferred' });
    });

    it('a case that persists leaves nothing behind: the next case sees an empty database', async () => {
      const system = createSystemUnderTest(builtin('branch-fixed'));
      const database = await openCaseDatabase(system.databaseSpec('postgres'), { dialect: 'postgres', databaseUrl: url });
      open.push(database);
      const plan = system.plan(ledgerCase());
      const first = await database.runCase(plan);
      const second = await database.runCase(plan);
      expect(first.failure).toBeNull();
      expect(second.failure).toBeNull();
      expect(second.snapshot).toEqual(first.snapshot);
      expect(first.snapshot!.jobs.map((j) => j.id)).toEqual([1, 2]);
    });
  });

  it('survives a dropped connection: the next connection prepares the same statements, and no case turns into a false finding', async () => {
    const system = createSystemUnderTest(builtin('branch-fixed'));
    const database = await openCaseDatabase(system.databaseSpec('postgres'), { dialect: 'postgres', databaseUrl: url });
    try {
      const plan = system.plan(ledgerCase());
      expect((await database.runCase(plan)).failure).toBeNull();
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      const mine = (await cardfuzzSchemas(url)).filter((s) => s.startsWith(`cardfuzz_${process.pid}_`));
      const killed = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ANY($1::text[])", [mine.map((s) => `cardfuzz ${s}`)]);
      await admin.end();
      expect(killed.rowCount).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 200));
      // The case meets the dead connection and is run again on a new one: never an error, never a finding.
      const outcome = await database.runCase(plan, { readers: readerRequestsFor, overfull: true });
      expect(outcome.failure).toBeNull();
      expect(outcome.readings?.length).toBeGreaterThan(0);
    } finally {
      await database.close();
    }
  });

  it('rolls a case back even when the work between its two round trips throws', async () => {
    const system = createSystemUnderTest(builtin('branch-fixed'));
    const database = await openCaseDatabase(system.databaseSpec('postgres'), { dialect: 'postgres', databaseUrl: url });
    try {
      const plan = system.plan(ledgerCase());
      await expect(database.runCase(plan, { readers: () => { throw new Error('reader callback failed'); } })).rejects.toThrow('reader callback failed');
      const next = await database.runCase(plan, { readers: readerRequestsFor });
      expect(next.failure).toBeNull();
      expect(next.snapshot!.jobs.map((j) => j.id)).toEqual([1, 2]);
    } finally {
      await database.close();
    }
  });

  it('refuses a NOT NULL column it cannot fill, checked against the server (exit 2)', () => {
    const dir = tempDir();
    const file = writeJson(dir, 'interval.json', { name: 'interval', extends: 'branch-fixed', sql: { postgres: ['ALTER TABLE job ADD COLUMN runtime interval NOT NULL'], sqlite: ['ALTER TABLE job ADD COLUMN runtime INTERVAL NOT NULL DEFAULT 0'] } });
    const r = runCli(['run', '--profile', file, '--runs', '10', ...pgFlags]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('job.runtime is NOT NULL without a default and cardfuzz cannot fill it');
  });

  it('gives each database a schema of its own and drops it on close', async () => {
    const system = createSystemUnderTest(builtin('branch-fixed'));
    const mine = (schemas: string[]): string[] => schemas.filter((s) => s.startsWith(`cardfuzz_${process.pid}_`));
    const before = mine(await cardfuzzSchemas(url));
    const a = await openCaseDatabase(system.databaseSpec('postgres'), { dialect: 'postgres', databaseUrl: url });
    const b = await openCaseDatabase(system.databaseSpec('postgres'), { dialect: 'postgres', databaseUrl: url });
    const during = mine(await cardfuzzSchemas(url)).filter((s) => !before.includes(s));
    expect(during).toHaveLength(2);
    // Both write the same ids at once without seeing each other.
    const plan = system.plan(makeCase({ inputs: [data('input')], datasets: 3, request: { input: batch([hda(1), hda(2), hda(3)]) } }));
    const [ra, rb] = await Promise.all([a.runCase(plan), b.runCase(plan)]);
    expect(ra.failure).toBeNull();
    expect(rb.failure).toBeNull();
    await a.close();
    await b.close();
    const after = await cardfuzzSchemas(url);
    expect(after.filter((s) => during.includes(s))).toEqual([]);
  });

  it('runs the nightly on worker threads, each with its own connection and schema, and drops them', async () => {
    const out = tempDir();
    const r = runCli(['nightly', '--profile', 'branch-1f87eebce', '--runs', '400', '--seed', '5', '--workers', '2', '--out', out, ...pgFlags]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toContain('persists-without-constraint-violations');
    expect(r.stdout).toContain('duplicate key value violates unique constraint');
    expect((await cardfuzzSchemas(url)).filter((s) => s.startsWith(`cardfuzz_${r.pid}_`))).toEqual([]);
  });

  it('reads the database from a profile file (url_env keeps the password out of the file)', () => {
    const dir = tempDir();
    const file = writeJson(dir, 'pg-branch.json', { name: 'pg-branch', extends: 'branch-1f87eebce', database: { dialect: 'postgres', url_env: 'CARDFUZZ_PROFILE_TEST_URL' } });
    const r = runCli(['run', '--profile', file, '--property', 'persists-without-constraint-violations', '--seed', '1', '--json'], { env: { CARDFUZZ_PROFILE_TEST_URL: url } });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/postgres$/m);
    expect((JSON.parse(r.stdout) as RunJson).findings[0]!.violation.message).toContain('duplicate key value');
    const missing = runCli(['run', '--profile', file, '--runs', '10'], { env: { CARDFUZZ_PROFILE_TEST_URL: '' } });
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toBe(`cardfuzz: ${file}: field database.url_env: the environment variable CARDFUZZ_PROFILE_TEST_URL is not set`);
    // The variable is read only when the file's database is used.
    const onSqlite = runCli(['run', '--profile', file, '--dialect', 'sqlite', '--property', 'persists-without-constraint-violations', '--seed', '1', '--runs', '300'], { env: { CARDFUZZ_PROFILE_TEST_URL: '' } });
    expect(onSqlite.status, onSqlite.stderr).toBe(1);
    // --dialect postgres alone takes the URL from the file.
    const withUrl = writeJson(dir, 'pg-url.json', { name: 'pg-url', extends: 'branch-fixed', database: { dialect: 'postgres', url } });
    const dialectOnly = runCli(['run', '--profile', withUrl, '--dialect', 'postgres', '--property', 'persists-without-constraint-violations', '--runs', '200', '--seed', '1']);
    expect(dialectOnly.status, dialectOnly.stderr).toBe(0);
  });

  describe('a pg_dump --schema-only dump as --schema-sql', () => {
    const database = `cardfuzz_dump_${process.pid}`;
    let dump = '';
    beforeAll(async () => {
      // A database whose public schema is built like a Galaxy database on the branch, then dumped.
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${database}`);
      await admin.query(`CREATE DATABASE ${database}`);
      await admin.end();
      const target = new URL(url);
      target.pathname = `/${database}`;
      const client = new pg.Client({ connectionString: target.toString() });
      await client.connect();
      for (const step of schemaSteps(builtin('branch-1f87eebce'), 'postgres')) await client.query(step.sql);
      await client.end();
      dump = join(tempDir(), 'galaxy.pg.sql');
      writeFileSync(dump, execFileSync('pg_dump', ['--schema-only', '--no-owner', target.toString()], { encoding: 'utf8' }));
    });
    afterAll(async () => {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${database}`);
      await admin.end();
    });

    it('builds the dumped schema in a schema of its own and finds the ledger bug under the dump’s constraint name', () => {
      const r = runCli(['run', '--profile', 'branch-1f87eebce', '--schema-sql', dump, '--property', 'persists-without-constraint-violations', '--seed', '2', '--json', ...pgFlags]);
      expect(r.status, r.stderr).toBe(1);
      const finding = (JSON.parse(r.stdout) as RunJson).findings[0]!;
      expect(finding.violation).toMatchObject({ kind: 'unique', table: 'job', constraint: 'uq_job_tool_execution_state_id' });
      expect(isCanonicalLedgerCase(finding.case)).toBe(true);
    });

    it('keeps owners and grants out even when the dump has them', () => {
      const dir = tempDir();
      const withOwners = writeJson(dir, 'owned.sql', execFileSync('pg_dump', ['--schema-only', url.replace(/\/[^/]*$/, `/${database}`)], { encoding: 'utf8' }).replaceAll('OWNER TO postgres', 'OWNER TO galaxy_that_does_not_exist'));
      const r = runCli(['run', '--profile', 'branch-1f87eebce', '--schema-sql', withOwners, '--property', 'persists-without-constraint-violations', '--seed', '2', '--json', ...pgFlags]);
      expect(r.status, r.stderr).toBe(1);
      expect((JSON.parse(r.stdout) as RunJson).findings[0]!.violation.constraint).toBe('uq_job_tool_execution_state_id');
    });
  });
});
