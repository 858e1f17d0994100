import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { itNeeding, sqlite3ShellRequirement } from '../helpers/requirements.js';

/** Regression cases end to end: save, replay, bad files, hand-off formats, and the CI gate. */

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

function saveLedger(dir: string, seed: number): { status: number | null; stdout: string } {
  return runCli(['run', '--profile', 'branch-1f87eebce', '--property', 'persists-without-constraint-violations', '--seed', String(seed), '--runs', '400', '--save', dir]);
}

describe('run --save and replay', () => {
  it('saves one file per fingerprint, replays failing on branch-1f87eebce (exit 1) and passing on branch-fixed (exit 0)', () => {
    const dir = tempDir();
    expect(saveLedger(dir, 1).stdout).toMatch(/saved: .*persists-without-constraint-violations\/[0-9a-f]{12}\.json/);
    expect(saveLedger(dir, 2).stdout).toMatch(/already recorded: /);
    const files = filesBelow(dir);
    expect(files).toHaveLength(1);
    const recorded = JSON.parse(readFileSync(files[0]!, 'utf8')) as { expected: Record<string, string>; formatVersion: number };
    expect(recorded.formatVersion).toBe(1);
    expect(recorded.expected).toEqual({ 'branch-1f87eebce': 'fails', upstream: 'passes', 'branch-fixed': 'passes' });
    expect(runCli(['replay', files[0]!]).status).toBe(1);
    expect(runCli(['replay', files[0]!, '--profile', 'branch-1f87eebce']).status).toBe(1);
    expect(runCli(['replay', files[0]!, '--profile', 'branch-fixed']).status).toBe(0);
  });

  it.each([
    ['corrupted', (text: string) => text.replace('"format"', '"format'), /malformed JSON/],
    ['truncated', (text: string) => text.slice(0, 120), /malformed JSON/],
    ['future-version', (text: string) => text.replace('"formatVersion": 1', '"formatVersion": 2'), /regression format version 2 is not one this cardfuzz reads/],
  ])('names a %s file in one line, exits 2, and still replays the other cases', (label, damage, message) => {
    const dir = tempDir();
    saveLedger(dir, 1);
    const good = filesBelow(dir)[0]!;
    const bad = join(dir, `${label}.json`);
    writeFileSync(bad, damage(readFileSync(good, 'utf8')));
    const r = runCli(['replay', dir, '--profile', 'branch-fixed']);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n').filter((l) => l.includes(bad));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(r.stdout).toContain('pass persists-without-constraint-violations');
  });

  it('reports a case recorded by other generators as stale (exit 2) unless --allow-stale', () => {
    const dir = tempDir();
    saveLedger(dir, 1);
    const file = filesBelow(dir)[0]!;
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/"generatorFingerprint": "[0-9a-f]+"/, '"generatorFingerprint": "0000000000000000"'));
    const stale = runCli(['replay', file, '--profile', 'branch-fixed']);
    expect(stale.status).toBe(2);
    expect(stale.stderr).toContain(`${file}: stale`);
    expect(runCli(['replay', file, '--profile', 'branch-fixed', '--allow-stale']).status).toBe(0);
    expect(runCli(['replay', file, '--profile', 'branch-fixed', '--refresh']).status).toBe(0);
    expect(runCli(['replay', file, '--profile', 'branch-fixed']).status).toBe(0);
  });
});

describe('export', () => {
  const ledger = 'reports/regressions/persists-without-constraint-violations/e0e4095b936a.json';

  itNeeding(sqlite3ShellRequirement(), 'writes an SQL script that fails in the sqlite3 shell with the same UNIQUE violation', (sqlite3) => {
    const sql = runCli(['export', ledger, '--format', 'sql']);
    expect(sql.status).toBe(0);
    const shell = spawnSync(sqlite3, [':memory:'], { input: sql.stdout, encoding: 'utf8' });
    expect(shell.status).not.toBe(0);
    expect(shell.stderr).toContain('UNIQUE constraint failed: job.tool_execution_state_id');
  });

  itNeeding(sqlite3ShellRequirement(), 'writes an SQL script that runs cleanly for branch-fixed', (sqlite3) => {
    const sql = runCli(['export', ledger, '--format', 'sql', '--profile', 'branch-fixed']);
    const shell = spawnSync(sqlite3, [':memory:'], { input: sql.stdout, encoding: 'utf8' });
    expect([shell.status, shell.stderr]).toEqual([0, '']);
  });

  it('prints the bare request body and a Galaxy API test', () => {
    expect(JSON.parse(runCli(['export', ledger, '--format', 'json']).stdout)).toMatchObject({ inputs: { input1: { __class__: 'Batch' } } });
    const test = runCli(['export', ledger, '--format', 'galaxy-test']).stdout;
    expect(test).toContain('self.dataset_populator.tool_request_raw(TOOL_ID, inputs, history_id)');
    expect(test).toContain('EXPECTED_JOBS = 2');
    expect(test).toContain('{"src": "hda", "id": hda[2]}');
  });
});

describe('gate', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
  const testNames = (xml: string): string[] => {
    const doc = parser.parse(xml) as { testsuites: { testsuite: { testcase: { name: string } | { name: string }[] }[] } };
    return doc.testsuites.testsuite.flatMap((s) => (Array.isArray(s.testcase) ? s.testcase : [s.testcase]).map((c) => c.name));
  };

  it('passes on branch-fixed and keeps the same JUnit test names across seeds', () => {
    const dir = tempDir();
    const a = runCli(['gate', '--profile', 'branch-fixed', '--runs', '500', '--seed', '3', '--junit', join(dir, 'a.xml')]);
    const b = runCli(['gate', '--profile', 'branch-fixed', '--runs', '500', '--junit', join(dir, 'b.xml')], { env: { CARDFUZZ_SEED: '99' } });
    expect([a.status, b.status]).toEqual([0, 0]);
    const namesA = testNames(readFileSync(join(dir, 'a.xml'), 'utf8'));
    expect(namesA).toContain('persists-without-constraint-violations e0e4095b936a');
    expect(namesA).toContain('readers-agree');
    expect(testNames(readFileSync(join(dir, 'b.xml'), 'utf8'))).toEqual(namesA);
    expect(b.stderr).toContain('seed 99');
  });

  it('fails on branch-1f87eebce, appends its Markdown to $GITHUB_STEP_SUMMARY, and reports failures in JUnit', () => {
    const dir = tempDir();
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = runCli(['gate', '--profile', 'branch-1f87eebce', '--runs', '500', '--junit', join(dir, 'g.xml')], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.status).toBe(1);
    const md = readFileSync(summary, 'utf8');
    expect(md).toMatch(/^# earlier step\n## cardfuzz gate: FAILED/);
    const xml = readFileSync(join(dir, 'g.xml'), 'utf8');
    expect(xml).toContain('<failure message="UNIQUE constraint failed: job.tool_execution_state_id"');
  });

  it('says in its Markdown and JUnit that a hazard finding is an upstream Galaxy defect, linked to its entry on the findings page', () => {
    const dir = tempDir();
    const r = runCli(['gate', '--profile', 'branch-fixed', '--runs', '500', '--seed', '1', '--hazards', '--regressions', dir, '--junit', join(dir, 'h.xml'), '--markdown', join(dir, 'h.md')]);
    expect(r.status).toBe(1);
    const md = readFileSync(join(dir, 'h.md'), 'utf8');
    expect(md).toMatch(/^\| implicit-jobs-have-representative \(hazard\) \| \*\*failed\*\* \(S8\): .* — upstream Galaxy defect, not introduced by this branch: docs\/findings\.md#representative-job-of-an-empty-map-over \|/m);
    expect(md).toContain('The hazard properties report defects in upstream Galaxy code that a branch does not introduce');
    const xml = readFileSync(join(dir, 'h.xml'), 'utf8');
    expect(xml).toContain('upstream Galaxy defect, not introduced by this branch: docs/findings.md#representative-job-of-an-empty-map-over');
    // The branch's own properties held: their rows carry no such note.
    expect(md).toMatch(/^\| persists-without-constraint-violations \| held \|/m);
    const plain = runCli(['gate', '--profile', 'branch-fixed', '--runs', '200', '--seed', '1', '--regressions', dir]);
    expect(plain.stdout).toContain('Hazard properties left out (nightly checks them; --hazards includes them): they report defects in upstream Galaxy code that a branch does not introduce, explained at docs/findings.md.');
  });

  it('refuses a bad CARDFUZZ_SEED with one line and exit 2', () => {
    const r = runCli(['gate', '--profile', 'branch-fixed'], { env: { CARDFUZZ_SEED: 'soon' } });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('cardfuzz: CARDFUZZ_SEED=soon: expected a non-negative integer');
  });
});
