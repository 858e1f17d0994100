import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PROPERTIES } from '../../properties/index.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { describePostgres } from '../helpers/postgres.js';

/**
 * PostgreSQL faults are never findings (issue: faults are never findings).
 * A throwaway server of the file's own (started with .ci/postgres-server, so
 * that it can be stopped and started again) is crashed or stopped under a
 * running `cardfuzz run` and `nightly`, or has its backends terminated. Each
 * test asserts the exit code, the one-line message, and what was kept on
 * disk and left in the database. Runs under the PostgreSQL suites' rules: a
 * server at CARDFUZZ_TEST_DATABASE_URL says PostgreSQL is there to use.
 */

const root = resolve(import.meta.dirname, '../..');
const script = join(root, '.ci/postgres-server');
const main = join(root, 'dist/src/cli/main.js');

interface Spawned {
  readonly pid: number;
  stderr(): string;
  readonly exited: Promise<{ status: number | null; stdout: string; stderr: string }>;
}

/** Starts the CLI without waiting for it, so that the server can be hurt while it runs. */
function spawnCli(args: readonly string[]): Spawned {
  const child = spawn(process.execPath, [main, ...args], { cwd: root, env: process.env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => child.on('close', (status) => done({ status, stdout, stderr })));
  return { pid: child.pid!, stderr: () => stderr, exited };
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => done(port));
    });
  });
}

/** The lines cardfuzz gives as its own messages (not the header, progress or notes). */
function messages(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('cardfuzz: '));
}

function expectNoCrash(stderr: string): void {
  expect(stderr).not.toMatch(/Unhandled|node:events|^\s+at /m);
  expect(stderr).not.toContain('internal error');
}

/** Regression files under a folder, by fingerprint. */
function savedFingerprints(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .map((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { fingerprint: string }).fingerprint)
    .sort();
}

describePostgres('PostgreSQL faults under a running campaign', () => {
  let dir = '';
  let port = 0;
  let url = '';
  const server = (...args: string[]): void => void execFileSync(script, [args[0]!, dir, ...args.slice(1)], { encoding: 'utf8' });
  const query = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  const schemasOf = async (pid: number): Promise<string[]> => (await query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`cardfuzz\\_${pid}\\_%`])).map((r) => r.nspname).sort();

  beforeAll(async () => {
    dir = tempDir('cardfuzz-pg-faults-');
    port = await freePort();
    url = execFileSync(script, ['start', dir, String(port)], { encoding: 'utf8' }).trim();
  });
  afterAll(() => {
    server('stop');
    rmSync(dir, { recursive: true, force: true });
  });

  it('a server crashed mid-run (pg_ctl stop -m immediate): findings so far printed and saved, one line, exit 2; clean drops the schema it names', async () => {
    const save = tempDir();
    const run = spawnCli(['run', '--profile', 'branch-1f87eebce', '--dialect', 'postgres', '--database-url', url, '--time-limit', '120s', '--seed', '7', '--save', save, '--json']);
    // Crash the server once the campaign has findings to keep. A pipe gets no progress lines: 5 s after the
    // campaign starts, the ledger's bug (found and shrunk in well under a second on this server) is long found.
    await waitFor('the campaign to start', () => run.stderr().includes('cardfuzz run:'));
    await new Promise((r) => setTimeout(r, 5000));
    server('stop', 'immediate');
    const r = await run.exited;
    expectNoCrash(r.stderr);
    expect(r.status, r.stderr).toBe(2);
    const lines = messages(r.stderr);
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^cardfuzz: lost the connection to PostgreSQL at postgres://postgres@127\\.0\\.0\\.1:${port}/postgres and 6 attempts in a row on a new connection failed \\(last: .*\\); could not drop schema (cardfuzz_${run.pid}_0_[0-9a-f]{6}) on .*; drop it later with cardfuzz clean --database-url`));
    const schema = /could not drop schema (\S+)/.exec(lines[0]!)![1]!;
    // The findings are printed (one JSON document) and saved, the same ones.
    const json = JSON.parse(r.stdout) as { findings: { fingerprint: string }[]; error: string };
    expect(json.findings.length).toBeGreaterThan(0);
    expect(json.error).toContain('lost the connection');
    expect(savedFingerprints(save)).toEqual(json.findings.map((f) => f.fingerprint).sort());
    expect(r.stderr).toContain('note: PostgreSQL is unreachable; the findings are saved with their expected verdicts judged on SQLite');

    // Back up: the schema the run named is there, and clean drops it (its process is gone).
    server('start', String(port));
    expect(await schemasOf(run.pid)).toEqual([schema]);
    const clean = runCli(['clean', '--database-url', url]);
    expect(clean.status, clean.stderr).toBe(0);
    expect(clean.stdout).toContain(`dropped ${schema}`);
    expect(await schemasOf(run.pid)).toEqual([]);
  });

  it('backends terminated mid-run (pg_terminate_backend): the cases are retried on a new connection and branch-fixed still holds every non-hazard property (exit 0), no schema left', async () => {
    // The properties that hold on branch-fixed (the hazard properties fail there by design).
    const holding = PROPERTIES.filter((p) => p.hazard === undefined).flatMap((p) => ['--property', p.id]);
    const run = spawnCli(['run', '--profile', 'branch-fixed', '--dialect', 'postgres', '--database-url', url, '--time-limit', '20s', '--seed', '3', ...holding]);
    // A pipe gets no progress lines: terminate the backends once the campaign has been running a few seconds.
    await waitFor('the campaign to start', () => run.stderr().includes('cardfuzz run:'));
    await new Promise((r) => setTimeout(r, 3000));
    let terminated = 0;
    for (let i = 0; i < 3; i++) {
      const rows = await query<{ pg_terminate_backend: boolean }>("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE $1", [`cardfuzz cardfuzz\\_${run.pid}\\_%`]);
      terminated += rows.filter((row) => row.pg_terminate_backend).length;
      await new Promise((r) => setTimeout(r, 1500));
    }
    expect(terminated).toBeGreaterThan(0);
    const r = await run.exited;
    expectNoCrash(r.stderr);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ok: every property held on branch-fixed over [\d,]+ cases/m);
    expect(messages(r.stderr)).toEqual([]);
    expect(await schemasOf(run.pid)).toEqual([]);
  });

  it('a server stopped under the nightly (pg_ctl stop -m fast): reports written within the budget, findings saved, exit 2, the schemas named', async () => {
    const out = tempDir();
    const started = Date.now();
    const nightly = spawnCli(['nightly', '--profile', 'branch-1f87eebce', '--dialect', 'postgres', '--database-url', url, '--time-budget', '90s', '--workers', '2', '--seed', '7', '--out', out]);
    // A pipe gets no progress lines: the night's events say when a finding is in.
    await waitFor('a finding', () => {
      const runs = join(out, 'runs');
      if (!existsSync(runs)) return false;
      return readdirSync(runs).some((d) => existsSync(join(runs, d, 'events.ndjson')) && readFileSync(join(runs, d, 'events.ndjson'), 'utf8').includes('"type":"finding"'));
    });
    server('stop', 'fast');
    const r = await nightly.exited;
    server('start', String(port));
    expectNoCrash(r.stderr);
    expect(r.status, r.stderr).toBe(2);
    expect(Date.now() - started).toBeLessThan(90_000);
    const [run] = readdirSync(join(out, 'runs'));
    const files = readdirSync(join(out, 'runs', run!)).sort();
    expect(files).toEqual(expect.arrayContaining(['events.ndjson', 'junit.xml', 'report.html', 'summary.json', 'summary.md']));
    const summary = JSON.parse(readFileSync(join(out, 'runs', run!, 'summary.json'), 'utf8')) as { exitCode: number; errors: string[]; findings: { fingerprint: string; status: string }[] };
    expect(summary.exitCode).toBe(2);
    expect(summary.errors.some((e) => e.startsWith('lost the connection to PostgreSQL'))).toBe(true);
    // Every worker's schema is named as left behind; they are the ones on the server.
    const named = summary.errors.flatMap((e) => /^could not drop schema (\S+)/.exec(e)?.[1] ?? []).sort();
    expect(named.length).toBeGreaterThan(0);
    expect(await schemasOf(nightly.pid)).toEqual(named);
    // Tonight's findings are recorded as new, each saved as a regression case.
    expect(summary.findings.length).toBeGreaterThan(0);
    expect(summary.findings.every((f) => f.status === 'new')).toBe(true);
    expect(savedFingerprints(join(out, 'regressions'))).toEqual(summary.findings.map((f) => f.fingerprint).sort());
    const clean = runCli(['clean', '--database-url', url]);
    expect(clean.status, clean.stderr).toBe(0);
    expect(await schemasOf(nightly.pid)).toEqual([]);
  });
});
