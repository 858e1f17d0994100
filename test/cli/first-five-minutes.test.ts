import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

/**
 * What a new user meets first: run's story (the profile's findings, hazards
 * only on request and labelled, a summary with the next commands), explain
 * on a saved case, gate and replay from anywhere in the project, and gate's
 * Markdown only where it was asked for.
 */
const root = resolve(import.meta.dirname, '../..');
const LEDGER = 'reports/regressions/persists-without-constraint-violations/e0e4095b936a.json';
/** How many regression cases the project commits (every .json below reports/regressions). */
const committedCases = (readdirSync(join(root, 'reports/regressions'), { recursive: true }) as string[]).filter((f) => f.endsWith('.json')).length;

describe('run', () => {
  it('leaves the hazard properties out by default, so a fixed branch comes out green, and says so', () => {
    const r = runCli(['run', '--profile', 'branch-fixed', '--runs', '300', '--seed', '1']);
    expect(r.status).toBe(0);
    expect(r.stderr.split('\n')[0]).toContain('13 properties (5 hazard properties left out; --hazards adds them)');
    expect(r.stdout).toMatch(/^ok: every property held on branch-fixed over /m);
    expect(r.stdout).toContain('left out: 5 hazard properties');
  });

  it('with --hazards, prints the profile’s own findings first and each hazard finding labelled after them', () => {
    const r = runCli(['run', '--profile', 'branch-1f87eebce', '--runs', '400', '--seed', '1', '--hazards']);
    expect(r.status).toBe(1);
    const heads = r.stdout.split('\n').filter((l) => l.startsWith('FAIL '));
    const firstHazard = heads.findIndex((l) => l.includes('(hazard)'));
    expect(firstHazard).toBeGreaterThan(0);
    expect(heads.slice(firstHazard).every((l) => l.includes('(hazard)'))).toBe(true);
    expect(heads[0]).toMatch(/^FAIL persists-without-constraint-violations /);
    expect(r.stdout).toContain('a defect in upstream Galaxy code that this branch does not introduce:');
    expect(r.stdout).toMatch(/the finding, with its Galaxy test: docs\/findings.md#[a-z0-9-]+/);
    expect(r.stdout).not.toContain('left out:');
  });

  it('ends with the next commands, pointing at the files --save writes', () => {
    const dir = tempDir();
    const r = runCli(['run', '--profile', 'branch-1f87eebce', '--runs', '300', '--seed', '2', '--property', 'persists-without-constraint-violations', '--save', dir]);
    expect(r.status).toBe(1);
    const saved = /saved: (\S+\.json)/.exec(r.stdout)![1]!;
    expect(r.stdout).toContain(`explain ${saved}`);
    expect(r.stdout).toContain(`export ${saved} --format galaxy-test`);
    expect(r.stdout).not.toContain('--save\n');
  });
});

describe('the default profile on a clean checkout', () => {
  it('gate passes: what upstream’s schema cannot reach is n/a, not a failure', () => {
    const r = runCli(['gate'], { cwd: root, env: { CARDFUZZ_SEED: '' } });
    expect(r.status).toBe(0);
    expect(r.stderr.split('\n')[0]).toMatch(/^cardfuzz gate: profile upstream, seed 1, /);
    expect(r.stderr).not.toContain('not checked');
    expect(r.stdout).toMatch(/^## cardfuzz gate: passed/);
    expect(r.stdout).toMatch(/^\| icj-supersedes-job-tes \| n\/a \(the schema lacks job\.tool_execution_state_id\) \| 0 \|$/m);
  });

  it('run prints one line of notes before its first result, the schema’s gaps behind --verbose', () => {
    const r = runCli(['run', '--runs', '300', '--seed', '1']);
    expect(r.status).toBe(0);
    const [banner, ...notes] = r.stderr.trim().split('\n');
    expect(banner).toMatch(/^cardfuzz run: profile upstream, seed 1, /);
    expect(notes).toEqual(['note: schema lacks 4 columns and 1 table that 5 readers read; weakens readers-agree (--verbose lists each)']);
    expect(r.stdout.split('\n')[0]).toBe('properties (inputs judged):');
    expect(r.stdout).toMatch(/^ok: every applicable property held on upstream \(3 not applicable\) over [\d,]+ cases/m);
    const verbose = runCli(['run', '--runs', '300', '--seed', '1', '--verbose']);
    expect(verbose.stderr.split('\n').filter((l) => l.startsWith('note: schema lacks '))).toHaveLength(5);
  });
});

describe('explain on a regression case file', () => {
  it('runs on the profile the file records, unless --profile says otherwise', () => {
    const recorded = runCli(['explain', LEDGER]);
    expect(recorded.status).toBe(1);
    expect(recorded.stdout.split('\n')[0]).toBe('profile branch-1f87eebce (as recorded for persists-without-constraint-violations e0e4095b936a)');
    expect(recorded.stdout).toMatch(/^write: refused at statement \d+ \(a write to job\): unique on job \(tool_execution_state_id\) \(uq_job_tool_execution_state_id\)$/m);
    expect(runCli(['explain', LEDGER, '--profile', 'branch-fixed']).status).toBe(0);
  });

  it('says why a property is n/a on a profile whose schema lacks what it needs, and keeps "not judged" for the rest', () => {
    const r = runCli(['explain', LEDGER, '--profile', 'upstream']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}n\/a icj-supersedes-job-tes \(the schema lacks job\.tool_execution_state_id\)$/m);
    // The ledger case writes no invocation step: wis-targets-job-xor-icj applies on upstream but has nothing to judge here.
    expect(r.stdout).toMatch(/^ {2}not judged wis-targets-job-xor-icj$/m);
    // Where the schema has the column, the property applies.
    expect(runCli(['explain', LEDGER, '--profile', 'branch-fixed']).stdout).not.toContain('n/a icj-supersedes-job-tes');
  });
});

describe('gate and replay from anywhere in the project', () => {
  it('find reports/regressions at the project root from a subfolder', () => {
    const r = runCli(['replay'], { cwd: join(root, 'test') });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${committedCases} cases replayed`);
    const g = runCli(['gate', '--profile', 'branch-fixed', '--runs', '50'], { cwd: join(root, 'src') });
    expect(g.status).toBe(0);
    expect(g.stderr).toContain('pass persists-without-constraint-violations e0e4095b936a on branch-fixed');
  });

  it('say where they looked when there is none', () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.git'));
    const r = runCli(['replay'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`cardfuzz: no regression cases to replay: looked for ${join(dir, 'reports/regressions')} (name files or folders, or save findings with cardfuzz run --save)`);
    const g = runCli(['gate', '--profile', 'branch-fixed', '--runs', '50'], { cwd: dir });
    expect(g.status).toBe(0);
    expect(g.stderr).toContain(`note: no regression cases to replay (looked for ${join(dir, 'reports/regressions')})`);
  });
});

describe('gate --markdown', () => {
  it('writes the Markdown only to the file, with n/a for a property the profile cannot run', () => {
    const dir = tempDir();
    const file = join(dir, 'gate.md');
    const r = runCli(['gate', '--profile', 'upstream', '--runs', '50', '--markdown', file]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([`cardfuzz gate passed: ${committedCases} regression cases (0 still failing), 0 findings over 50 cases; Markdown summary in ${file}`]);
    const md = readFileSync(file, 'utf8');
    expect(md).toMatch(/^## cardfuzz gate: passed/);
    expect(md).toMatch(/\| migration-upgrades-any-history \| n\/a \(profile upstream names no previous profile to upgrade from\) \|/);
    expect(md).not.toMatch(/\| migration-upgrades-any-history \| held \|/);
  });
});
