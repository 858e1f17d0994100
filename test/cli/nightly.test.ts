import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { NightlySummary } from '../../src/reporting/nightly-summary.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { chromiumRequirement, itNeeding } from '../helpers/requirements.js';

/**
 * The nightly command end to end: report files, findings across nights,
 * coverage, a clean stop on SIGINT, shards merged, and the HTML report in
 * headless Chromium (Debian's chromium, installed by .ci/run).
 */

const REPORT_FILES = ['summary.json', 'summary.md', 'junit.xml', 'report.html', 'events.ndjson'];

function runFolders(out: string): string[] {
  return readdirSync(join(out, 'runs'))
    .sort()
    .map((name) => join(out, 'runs', name));
}

function summaryOf(runDir: string): NightlySummary {
  return JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as NightlySummary;
}

function nightly(out: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string; summary: NightlySummary; dir: string } {
  const r = runCli(['nightly', '--out', out, '--workers', '2', ...args]);
  const dir = runFolders(out).at(-1)!;
  return { ...r, summary: summaryOf(dir), dir };
}

const ledger = (s: NightlySummary) => s.findings.find((f) => f.property === 'persists-without-constraint-violations');

describe('cardfuzz nightly', () => {
  it('on branch-1f87eebce writes every report, finds the ledger bug, and the next night marks it still failing', () => {
    const out = tempDir();
    // Long enough for the setup (the coverage baseline) and the workers to start on a loaded machine.
    const first = nightly(out, ['--profile', 'branch-1f87eebce', '--time-budget', '20s', '--seed', '101']);
    expect(first.stderr.split('\n')[0]).toBe('cardfuzz nightly: seed 101');
    expect(first.status).toBe(1);
    for (const file of REPORT_FILES) expect(existsSync(join(first.dir, file)), file).toBe(true);
    const found = ledger(first.summary);
    expect(found?.status).toBe('new');
    expect(found?.violation.constraint).toBe('uq_job_tool_execution_state_id');
    expect(found?.shapeClass).toBe('S2');
    expect(existsSync(found!.regressionFile!)).toBe(true);
    expect(first.summary.interrupted).toBe(false);
    expect(first.summary.runs).toBeGreaterThan(0);
    const events = readFileSync(join(first.dir, 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; round?: number; slice?: number; runs?: number });
    expect(events[0]!.type).toBe('run-started');
    expect(events.at(-1)!.type).toBe('run-finished');
    // What a timed run guarantees, however loaded the machine (how many rounds fit in the budget does not):
    // rounds numbered from 0 without gaps, each slice started is finished before the next round starts,
    // and the summary counts exactly the cases the finished slices ran.
    const rounds = events.filter((e) => e.type === 'round-started').map((e) => e.round);
    expect(rounds.length).toBeGreaterThanOrEqual(1);
    expect(rounds).toEqual(rounds.map((_, i) => i));
    const open = new Set<number>();
    for (const e of events) {
      if (e.type === 'round-started') expect(open.size).toBe(0);
      if (e.type === 'slice-started') open.add(e.slice!);
      if (e.type === 'slice-finished') expect(open.delete(e.slice!)).toBe(true);
    }
    expect(open.size).toBe(0);
    expect(events.filter((e) => e.type === 'slice-finished').reduce((n, e) => n + e.runs!, 0)).toBe(first.summary.runs);
    expect(readFileSync(join(first.dir, 'junit.xml'), 'utf8')).toContain('persists-without-constraint-violations');

    const second = nightly(out, ['--profile', 'branch-1f87eebce', '--runs', '600', '--seed', '102']);
    expect(second.status).toBe(1);
    const again = ledger(second.summary);
    expect(again?.status).toBe('still-failing');
    expect(again?.firstSeen).toBe(found!.firstSeen);
    expect(second.summary.findings.filter((f) => f.status === 'new').map((f) => f.fingerprint)).not.toContain(found!.fingerprint);
    expect(second.stdout).toMatch(/0 new\*\*, \d+ still failing/);
    const history = readFileSync(join(out, 'findings-history.ndjson'), 'utf8').trim().split('\n');
    expect(history.length).toBe(first.summary.findings.length + second.summary.findings.length);

    // The same history on branch-fixed: the ledger's bug is reported fixed.
    const fixed = nightly(out, ['--profile', 'branch-fixed', '--runs', '600', '--seed', '103']);
    expect(ledger(fixed.summary)?.status).toBe('fixed');
  });

  it('on branch-fixed reports no finding and reaches every reachable shape and cardinality bucket', () => {
    const out = tempDir();
    const r = nightly(out, ['--profile', 'branch-fixed', '--runs', '3000', '--seed', '5', '--min-coverage', '1']);
    expect(r.summary.findings).toEqual([]);
    expect(r.summary.gaps).toEqual([]);
    expect(r.summary.reachedShare).toBe(1);
    expect(Object.keys(r.summary.coverage.shapes).length).toBeGreaterThanOrEqual(22);
    expect(r.status).toBe(0);
  });

  it('on the default profile passes, marking what upstream’s schema cannot reach n/a', () => {
    const out = tempDir();
    const r = nightly(out, ['--runs', '200', '--seed', '3']);
    expect(r.status).toBe(0);
    expect(r.summary.profile).toBe('upstream');
    expect(r.summary.notApplicable).toEqual({
      'icj-supersedes-job-tes': 'the schema lacks job.tool_execution_state_id',
      'step-execution-keeps-one-state': 'the schema lacks workflow_invocation_step.tool_execution_state_id, implicit_collection_jobs.tool_execution_state_id',
      'migration-upgrades-any-history': 'profile upstream names no previous profile to upgrade from',
    });
    // Only properties that judged nothing are n/a; the rest judged cases.
    for (const id of Object.keys(r.summary.notApplicable!)) expect(r.summary.judged![id]).toBe(0);
    expect(r.summary.judged!['persists-without-constraint-violations']).toBeGreaterThan(0);
    const markdown = readFileSync(join(r.dir, 'summary.md'), 'utf8');
    expect(markdown).toContain('| icj-supersedes-job-tes | n/a (the schema lacks job.tool_execution_state_id) |');
    expect(markdown).not.toContain('not checked');
    expect(readFileSync(join(r.dir, 'junit.xml'), 'utf8')).toContain('<skipped message="not applicable: the schema lacks job.tool_execution_state_id"/>');
  });

  it('--min-coverage fails a campaign too small to reach what the model can reach', () => {
    const r = nightly(tempDir(), ['--profile', 'branch-fixed', '--runs', '20', '--seed', '3', '--min-coverage', '0.99']);
    expect(r.summary.gaps.length).toBeGreaterThan(0);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/warning: reachable but never reached tonight: /);
  });

  it('stops cleanly on SIGINT and leaves a complete report of what was done', async () => {
    const out = tempDir();
    const main = resolve(import.meta.dirname, '../../dist/src/cli/main.js');
    const child = spawn(process.execPath, [main, 'nightly', '--profile', 'branch-1f87eebce', '--time-budget', '60s', '--seed', '7', '--workers', '2', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const started = Date.now();
    // Halfway into the first round: some slices have finished.
    await new Promise<void>((done) => {
      const poll = setInterval(() => {
        const events = existsSync(join(out, 'runs')) ? runFolders(out).map((d) => join(d, 'events.ndjson')).filter(existsSync) : [];
        if (events.some((e) => readFileSync(e, 'utf8').includes('"slice-finished"')) || Date.now() - started > 30_000) {
          clearInterval(poll);
          done();
        }
      }, 200);
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    const elapsed = Date.now() - started;
    expect(code).toBe(1);
    expect(elapsed).toBeLessThan(40_000);
    expect(stderr).toContain('SIGINT: stopping');
    const dir = runFolders(out)[0]!;
    for (const file of REPORT_FILES) expect(existsSync(join(dir, file)), file).toBe(true);
    const summary = summaryOf(dir);
    expect(summary.interrupted).toBe(true);
    expect(summary.runs).toBeGreaterThan(0);
    expect(summary.elapsedMs).toBeLessThan(40_000);
    expect(ledger(summary)?.status).toBe('new');
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('Stopped early');
    expect(readFileSync(join(out, 'findings-history.ndjson'), 'utf8')).toContain('persists-without-constraint-violations');
  });

  it('two shards merged give the findings of one unsharded run with the same seed', () => {
    const args = ['--profile', 'branch-1f87eebce', '--runs', '1200', '--seed', '42'];
    const whole = nightly(tempDir(), args);
    const shardsOut = tempDir();
    const shard0 = nightly(shardsOut, [...args, '--shard', '0/2']);
    const shard1 = nightly(shardsOut, [...args, '--shard', '1/2']);
    expect(shard0.summary.units.length + shard1.summary.units.length).toBe(whole.summary.units.length);
    const mergedOut = tempDir();
    const merge = runCli(['merge-reports', shard0.dir, shard1.dir, '--out', mergedOut]);
    expect(merge.status).toBe(whole.status);
    const merged = summaryOf(runFolders(mergedOut)[0]!);
    const fingerprints = (s: NightlySummary) => s.findings.map((f) => f.fingerprint).sort();
    expect(whole.summary.findings.length).toBeGreaterThan(0);
    expect(fingerprints(merged)).toEqual(fingerprints(whole.summary));
    expect(merged.runs).toBe(whole.summary.runs);
    expect([...merged.shards].sort()).toEqual(['0/2', '1/2']);
    expect(merged.coverage.cases).toBe(whole.summary.coverage.cases);
    for (const file of REPORT_FILES.filter((f) => f !== 'events.ndjson')) expect(existsSync(join(runFolders(mergedOut)[0]!, file)), file).toBe(true);
    // The merged night joins the merge folder's findings history: the next night there knows the ledger bug.
    const next = nightly(mergedOut, ['--profile', 'branch-1f87eebce', '--runs', '300', '--seed', '43']);
    expect(ledger(next.summary)?.status).toBe('still-failing');
  });

  it('refuses bad input with one line and exit 2', () => {
    const out = tempDir();
    writeFileSync(join(out, 'findings-history.ndjson'), '{"fingerprint": "x"\n');
    const broken = runCli(['nightly', '--out', out, '--runs', '10']);
    expect(broken.status).toBe(2);
    expect(broken.stderr.trim().split('\n').at(-1)).toMatch(/findings-history\.ndjson: line 1 is not a finding history entry/);
    expect(broken.stderr).not.toMatch(/\n\s+at /);
    expect(runCli(['nightly', '--shard', '2/2', '--runs', '10', '--out', tempDir()]).stderr).toMatch(/--shard 2\/2: expected i\/n/);
    expect(runCli(['nightly', '--runs', '10', '--time-budget', '1m', '--out', tempDir()]).status).toBe(2);
    const empty = runCli(['merge-reports', tempDir(), '--out', tempDir()]);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/no nightly summary/);
  });

  it('refuses to merge shards of different runs', () => {
    const a = nightly(tempDir(), ['--profile', 'branch-fixed', '--runs', '40', '--seed', '1', '--shard', '0/2']);
    const b = nightly(tempDir(), ['--profile', 'branch-fixed', '--runs', '40', '--seed', '2', '--shard', '1/2']);
    const r = runCli(['merge-reports', a.dir, b.dir, '--out', tempDir()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/does not belong with/);
  });
});

describe('the nightly HTML report', () => {
  itNeeding(chromiumRequirement(), 'renders in headless Chromium without console errors, with its plots and every finding', async (executablePath) => {
    const out = tempDir();
    nightly(out, ['--profile', 'branch-1f87eebce', '--runs', '800', '--seed', '5']);
    const second = nightly(out, ['--profile', 'branch-1f87eebce', '--runs', '400', '--seed', '6']);
    const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
      await page.goto(`file://${join(second.dir, 'report.html')}`);
      expect(await page.getAttribute('body', 'data-rendered')).toBe('4');
      expect(await page.locator('article.finding').count()).toBe(second.summary.findings.length);
      expect(await page.locator('svg[aria-label="Cardinality coverage matrix"] rect').count()).toBe(4 * Object.keys(second.summary.coverage.cardinality).length);
      await page.click('button[data-filter="new"]');
      expect(await page.locator('article.finding:not(.hidden)').count()).toBe(second.summary.findings.filter((f) => f.status === 'new').length);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
