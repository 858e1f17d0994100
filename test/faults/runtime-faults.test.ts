import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NightlySummary } from '../../src/reporting/nightly-summary.js';
import { runCli, tempDir } from '../helpers/cli.js';

/**
 * Fault injection for the runtime (no database server needed): a worker that
 * throws, cannot start or gets stuck; outputs that cannot be written; SIGINT
 * and SIGTERM during `run` and `nightly`; SIGKILL between the nightly's
 * writes. Each test checks the exit code, the one-line message and what was
 * kept on disk. Worker faults use the test-only CARDFUZZ_TEST_WORKER_FAULT
 * hook (src/cli/worker/test-faults.ts); kills between writes use the
 * test-only CARDFUZZ_TEST_KILL_AT hook (src/cli/test-kill-point.ts).
 */

const main = resolve(import.meta.dirname, '../../dist/src/cli/main.js');
const REPORTS = ['summary.json', 'summary.md', 'junit.xml', 'report.html', 'events.ndjson'];
const NIGHTLY = ['nightly', '--profile', 'branch-1f87eebce', '--workers', '2', '--seeds-per-lane', '1'];

const runFolders = (out: string): string[] => (existsSync(join(out, 'runs')) ? readdirSync(join(out, 'runs')).sort().map((n) => join(out, 'runs', n)) : []);
const summaryOf = (dir: string): NightlySummary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as NightlySummary;
const historyLines = (out: string): { runId: string; fingerprint: string }[] =>
  existsSync(join(out, 'findings-history.ndjson'))
    ? readFileSync(join(out, 'findings-history.ndjson'), 'utf8')
        .trim()
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { runId: string; fingerprint: string })
    : [];
const lastLine = (text: string): string => text.trim().split('\n').at(-1) ?? '';
const noStack = (text: string): void => expect(text).not.toMatch(/\n\s+at /);

/** Runs the CLI, sends `signals` once `ready(stderr)` holds (or after `afterMs`), and waits for the exit. */
function runAndSignal(
  args: readonly string[],
  options: { signals: readonly NodeJS.Signals[]; ready: (stderr: string, out: string) => boolean; env?: NodeJS.ProcessEnv; out?: string; timeoutMs?: number },
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; elapsedMs: number }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [main, ...args], { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const started = Date.now();
    let sent = 0;
    const poll = setInterval(() => {
      if (sent === 0 && !options.ready(stderr, options.out ?? '')) return;
      // All at once: a second signal must arrive while the first is still being handled.
      while (sent < options.signals.length) child.kill(options.signals[sent++]);
    }, 300);
    const limit = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`no exit within ${options.timeoutMs ?? 90_000} ms; stderr: ${stderr}`));
    }, options.timeoutMs ?? 90_000);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      clearTimeout(limit);
      done({ code, signal, stdout, stderr, elapsedMs: Date.now() - started });
    });
  });
}

const sliceFinished = (_: string, out: string): boolean => runFolders(out).some((d) => existsSync(join(d, 'events.ndjson')) && readFileSync(join(d, 'events.ndjson'), 'utf8').includes('"slice-finished"'));

describe('a worker that fails', () => {
  it('throws on a slice every time: replaced, the slice retried once, then a tool error; the reports are written; exit 2', () => {
    const out = tempDir();
    const r = runCli([...NIGHTLY, '--runs', '300', '--seed', '5', '--out', out], { env: { CARDFUZZ_TEST_WORKER_FAULT: 'throw:1' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cardfuzz nightly: a worker crashed running slice 1 \(injected worker fault .*\); replaced; the slice runs once more/);
    expect(lastLine(r.stderr)).toMatch(/^cardfuzz nightly: error: slice 1 \(unit 1, upgrade\): its worker crashed twice \(injected worker fault/);
    noStack(r.stderr);
    const [dir] = runFolders(out);
    for (const f of REPORTS) expect(existsSync(join(dir!, f)), f).toBe(true);
    const summary = summaryOf(dir!);
    expect(summary.errors).toHaveLength(1);
    expect(summary.exitCode).toBe(2);
    // The other unit ran to the end: its findings are kept, and none of them is the crash.
    expect(summary.units.find((u) => u.index === 0)!.runs).toBeGreaterThan(0);
    expect(summary.findings.every((f) => !/injected/.test(f.violation.message))).toBe(true);
    expect(readFileSync(join(dir!, 'junit.xml'), 'utf8')).toMatch(/<testcase name="tool error 1" classname="cardfuzz.nightly.run" [^>]*>\s*<error message="slice 1/);
  });

  it('throws once: the retry on a new worker succeeds and the night is not an error', () => {
    const out = tempDir();
    const r = runCli([...NIGHTLY, '--runs', '300', '--seed', '5', '--out', out], { env: { CARDFUZZ_TEST_WORKER_FAULT: 'throw-once:0' } });
    expect(r.stderr).toMatch(/a worker crashed running slice 0 .*; replaced; the slice runs once more/);
    const summary = summaryOf(runFolders(out)[0]!);
    expect(summary.errors).toEqual([]);
    expect(summary.units.every((u) => u.runs > 0)).toBe(true);
    expect(r.status).toBe(summary.findings.length > 0 ? 1 : 0);
  });

  it('cannot be started: every slice is rejected, the reports are written, exit 2 with one line', () => {
    const out = tempDir();
    const r = runCli([...NIGHTLY, '--runs', '300', '--seed', '5', '--out', out], { env: { CARDFUZZ_TEST_WORKER_FAULT: 'start' } });
    expect(r.status).toBe(2);
    expect(lastLine(r.stderr)).toMatch(/^cardfuzz nightly: error: no campaign worker could be started \(\d+ attempts; last: injected worker fault/);
    noStack(r.stderr);
    const [dir] = runFolders(out);
    for (const f of REPORTS) expect(existsSync(join(dir!, f)), f).toBe(true);
    expect(summaryOf(dir!).runs).toBe(0);
  });

  it('gets stuck: the time budget is still kept, the worker terminated, and the slice reported; exit 2', () => {
    const out = tempDir();
    const started = Date.now();
    const r = runCli([...NIGHTLY, '--time-budget', '6s', '--seed', '5', '--out', out], { env: { CARDFUZZ_TEST_WORKER_FAULT: 'stall:1' } });
    const elapsed = Date.now() - started;
    expect(r.status).toBe(2);
    expect(lastLine(r.stderr)).toMatch(/^cardfuzz nightly: error: slice 1 \(unit 1, upgrade\): still running 5 s after the time budget was spent; its worker was terminated$/);
    // Budget, grace and the reports; not the hang there was.
    expect(elapsed).toBeLessThan(60_000);
    // Only the stuck slice was given up; the reports cover the rest.
    const [dir] = runFolders(out);
    for (const f of REPORTS) expect(existsSync(join(dir!, f)), f).toBe(true);
    expect(summaryOf(dir!).errors).toHaveLength(1);
  });

  it('gets stuck and the first SIGTERM is heeded: the stuck slice is abandoned after the grace period and the reports written', async () => {
    const out = tempDir();
    // Signalled once the other worker has run some cases (no slice finishes: the run asks for far more cases).
    // Its progress events say so (a pipe gets no progress lines).
    const ranCases = (_: string, out: string): boolean => runFolders(out).some((d) => existsSync(join(d, 'events.ndjson')) && /"type":"progress".*"runs":[1-9]/.test(readFileSync(join(d, 'events.ndjson'), 'utf8')));
    const r = await runAndSignal([...NIGHTLY, '--runs', '100000', '--seed', '5', '--out', out], { signals: ['SIGTERM'], ready: ranCases, out, env: { CARDFUZZ_TEST_WORKER_FAULT: 'stall:1' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cardfuzz nightly: SIGTERM: stopping');
    expect(lastLine(r.stderr)).toMatch(/still running 10 s after the stop request; its worker was terminated$/);
    const [dir] = runFolders(out);
    for (const f of REPORTS) expect(existsSync(join(dir!, f)), f).toBe(true);
    expect(summaryOf(dir!).interrupted).toBe(true);
  });
});

describe('a worker that fails in run --tool DIR', () => {
  const folder = (): string => {
    const dir = tempDir('cardfuzz-tools-');
    for (const name of ['one', 'two', 'three']) {
      writeFileSync(join(dir, `${name}.xml`), `<tool id="${name}" name="${name}" version="1"><inputs><param name="input1" type="data"/></inputs><outputs><data name="out" format="txt"/></outputs></tool>`);
    }
    return dir;
  };
  const args = (dir: string, workers: string): string[] => ['run', '--tool', dir, '--runs', '40', '--seed', '5', '--profile', 'branch-1f87eebce', '--property', 'persists-without-constraint-violations', '--workers', workers];
  const toolLines = (stdout: string): string[] => stdout.split('\n').filter((l) => /^(ok|FINDINGS|error) /.test(l));

  it('crashes on a tool every time: replaced, the tool run once more, then an error line for it; the other tools are printed; exit 2', () => {
    const dir = folder();
    const serial = runCli(args(dir, '1'));
    const r = runCli(args(dir, '2'), { env: { CARDFUZZ_TEST_WORKER_FAULT: 'throw:1' } });
    expect(r.status).toBe(2);
    const expected = toolLines(serial.stdout);
    const lines = toolLines(r.stdout);
    expect(lines).toHaveLength(3);
    // The tool of index 1 (the second line) is cardfuzz's failure, never a finding; the others are what the serial run found.
    const file = /^FINDINGS  (\S+) /.exec(expected[1]!)![1]!;
    expect(lines[1]).toMatch(new RegExp(`^error {5}${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cardfuzz failed on this tool \\(a tool error, not a finding\\): its worker crashed twice \\(injected worker fault`));
    expect([lines[0], lines[2]]).toEqual([expected[0], expected[2]]);
    expect(r.stderr).toContain(`cardfuzz run: a worker crashed running ${file} (injected worker fault (CARDFUZZ_TEST_WORKER_FAULT=throw:1)); replaced; the tool runs once more`);
    // What the other tools found is printed: the group, and the tally with the failed tool.
    expect(r.stdout).toMatch(/^fingerprint [0-9a-f]{12}: persists-without-constraint-violations in 2 tools$/m);
    expect(r.stdout).toMatch(/3 tool files: 2 loaded, 0 refused by Galaxy's loader, 0 not modelled, 1 failed \(cardfuzz errors\)/);
    expect(r.stdout).not.toMatch(/FAIL .*injected/);
    expect(lastLine(r.stderr)).toBe(`cardfuzz: cardfuzz failed on 1 tool (${file}); see its error line`);
    noStack(r.stderr);
    // --json says the same: the tool's status is error, with no finding, and the document names the error.
    const json = runCli([...args(dir, '2'), '--json'], { env: { CARDFUZZ_TEST_WORKER_FAULT: 'throw:1' } });
    expect(json.status).toBe(2);
    const doc = JSON.parse(json.stdout) as { tools: { file: string; status: string; findings: unknown[] }[]; summary: { errors: number; toolsWithFindings: number }; error: string };
    expect(doc.tools.map((t) => t.status)).toEqual(['findings', 'error', 'findings']);
    expect(doc.tools[1]).toMatchObject({ file, findings: [] });
    expect(doc.summary).toMatchObject({ errors: 1, toolsWithFindings: 2 });
    expect(doc.error).toBe(`cardfuzz failed on 1 tool (${file}); see its error line`);
  });

  it('crashes on a tool once: the retry on another worker gives the same output as a serial run', () => {
    const dir = folder();
    const serial = runCli(args(dir, '1'));
    const r = runCli(args(dir, '2'), { env: { CARDFUZZ_TEST_WORKER_FAULT: 'throw-once:1' } });
    expect(r.stderr).toMatch(/a worker crashed running .*; replaced; the tool runs once more/);
    const timings = (text: string): string => text.replace(/ in [^()\n]+ \([\d.]+ tools\/s\)/g, '');
    expect(timings(r.stdout)).toBe(timings(serial.stdout));
    expect(r.status).toBe(1);
  });

  it('SIGINT on the pool: no more tools are started, the tools in progress end with what they found, which is printed; exit 130', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'four.xml'), '<tool id="four" name="four" version="1"><inputs><param name="input1" type="data"/></inputs><outputs/></tool>');
    let startedAt: number | null = null;
    const r = await runAndSignal(['run', '--tool', dir, '--time-limit', '60s', '--seed', '5', '--profile', 'branch-1f87eebce', '--property', 'persists-without-constraint-violations', '--workers', '2'], {
      signals: ['SIGINT'],
      // A pipe gets no progress lines: signalled 5 s after the header, when both workers have long found the ledger's bug in their first tool.
      ready: (stderr) => {
        if (!stderr.includes('cardfuzz run:')) return false;
        startedAt ??= Date.now();
        return Date.now() - startedAt >= 5000;
      },
    });
    expect(r.code).toBe(130);
    expect(r.elapsedMs).toBeLessThan(45_000);
    // The two tools in progress (the first two files, one per worker), and no other.
    const lines = toolLines(r.stdout);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^FINDINGS  .*: loaded, no approximations; 1 finding /);
    expect(r.stdout).toMatch(/^2 tool files: 2 loaded/m);
    expect(r.stdout).toMatch(/^fingerprint [0-9a-f]{12}: persists-without-constraint-violations in 2 tools$/m);
  });
});

describe('an output that cannot be written', () => {
  const blocker = (): string => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'not a folder');
    return join(dir, 'file');
  };

  it('is refused before the first case, with one line and exit 2', () => {
    const file = blocker();
    const run = runCli(['run', '--profile', 'branch-1f87eebce', '--runs', '300', '--seed', '1', '--save', join(file, 'regressions')]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(`cardfuzz: --save ${join(file, 'regressions')}: cannot write there (ENOTDIR)`);
    expect(run.stderr).not.toContain('cardfuzz run:');
    expect(run.stdout).toBe('');
    const gate = runCli(['gate', '--profile', 'branch-1f87eebce', '--runs', '300', '--junit', join(file, 'junit.xml')]);
    expect(gate.status).toBe(2);
    expect(lastLine(gate.stderr)).toBe(`cardfuzz: --junit ${join(file, 'junit.xml')}: cannot write there (ENOTDIR)`);
    expect(gate.stdout).toBe('');
    const markdown = runCli(['gate', '--profile', 'branch-1f87eebce', '--runs', '300', '--markdown', tempDir()]);
    expect(lastLine(markdown.stderr)).toMatch(/^cardfuzz: --markdown .*: cannot write there \(it is a folder\)$/);
    const out = tempDir();
    const nightly = runCli([...NIGHTLY, '--runs', '300', '--out', out, '--save-regressions', join(file, 'r')]);
    expect(nightly.status).toBe(2);
    expect(lastLine(nightly.stderr)).toBe(`cardfuzz: --save-regressions ${join(file, 'r')}: cannot write there (ENOTDIR)`);
    expect(existsSync(join(out, 'findings-history.ndjson'))).toBe(false);
  });

  it('that fails at the end of a run still has the findings printed, then one line and exit 2', async () => {
    const dir = tempDir();
    const save = join(dir, 'saved');
    // The folder passes the check, then is replaced by a file while the campaign runs.
    const r = await runAndSignal(['run', '--profile', 'branch-1f87eebce', '--time-limit', '8s', '--seed', '3', '--save', save, '--json'], {
      signals: [],
      ready: (stderr) => {
        if (stderr.includes('cardfuzz run:') && existsSync(save) && !existsSync(join(dir, 'swapped'))) {
          rmSync(save, { recursive: true, force: true });
          writeFileSync(save, 'now a file');
          writeFileSync(join(dir, 'swapped'), '');
        }
        return false;
      },
    });
    expect(existsSync(join(dir, 'swapped'))).toBe(true);
    expect(r.code).toBe(2);
    const json = JSON.parse(r.stdout) as { findings: { fingerprint: string }[]; saveError: string };
    expect(json.findings.length).toBeGreaterThan(0);
    expect(json.saveError).toMatch(/cannot write \(ENOTDIR\)/);
    expect(lastLine(r.stderr)).toMatch(/^cardfuzz: .*cannot write \(ENOTDIR\) \(the findings are printed above\)$/);
    noStack(r.stderr);
  });
});

describe('a signal during run', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal}: stops generating, prints and saves the findings so far, exits ${code}`, async () => {
      const save = join(tempDir(), 'saved');
      // A pipe gets no progress lines: signalled 5 s after the campaign starts, when the ledger's bug (found and shrunk in well under a second) is long found.
      let startedAt: number | null = null;
      const r = await runAndSignal(['run', '--profile', 'branch-1f87eebce', '--time-limit', '60s', '--seed', '3', '--save', save], {
        signals: [signal],
        ready: (stderr) => {
          if (!stderr.includes('cardfuzz run:')) return false;
          startedAt ??= Date.now();
          return Date.now() - startedAt >= 5000;
        },
      });
      expect(r.code).toBe(code);
      expect(r.elapsedMs).toBeLessThan(45_000);
      expect(r.stderr).toContain(`cardfuzz run: ${signal}: stopping; printing and saving the findings so far`);
      // run's closing summary starts "N findings on PROFILE over ..."; the next commands follow it.
      const summary = r.stdout.split('\n').find((l) => /^\d+ findings? on /.test(l)) ?? lastLine(r.stdout);
      expect(summary).toMatch(new RegExp(`^[1-9]\\d* findings? on branch-1f87eebce(?: \\(\\d+ not checked\\))? over [\\d,]+ cases in .*, stopped by ${signal}:$`));
      const count = Number(/^(\d+)/.exec(summary)![1]);
      const savedLines = r.stdout.split('\n').filter((l) => /^\s+saved: /.test(l));
      expect(savedLines).toHaveLength(count);
      for (const line of savedLines) expect(existsSync(/saved: (\S+)/.exec(line)![1]!)).toBe(true);
      expect(readdirSync(save).length).toBeGreaterThan(0);
    });
  }
});

describe('a signal during nightly', () => {
  it('SIGTERM: the workers stop, every report is written and marked interrupted, the history appended', async () => {
    const out = tempDir();
    const r = await runAndSignal([...NIGHTLY, '--time-budget', '60s', '--seed', '7', '--out', out], { signals: ['SIGTERM'], ready: sliceFinished, out });
    expect(r.stderr).toContain('cardfuzz nightly: SIGTERM: stopping');
    const [dir] = runFolders(out);
    for (const f of REPORTS) expect(existsSync(join(dir!, f)), f).toBe(true);
    const summary = summaryOf(dir!);
    expect(summary.interrupted).toBe(true);
    expect(summary.errors).toEqual([]);
    expect(r.code).toBe(summary.exitCode);
    expect(readFileSync(join(dir!, 'junit.xml'), 'utf8')).toMatch(/<error message="interrupted: the run was stopped early after \d+ cases/);
    expect(new Set(historyLines(out).map((h) => h.runId))).toEqual(new Set(summary.findings.length > 0 ? [summary.runId] : []));
  });

  it('a second signal quits at once with only events.ndjson; cardfuzz report turns it into the full report', async () => {
    const out = tempDir();
    const r = await runAndSignal([...NIGHTLY, '--time-budget', '60s', '--seed', '7', '--out', out], { signals: ['SIGINT', 'SIGTERM'], ready: sliceFinished, out });
    expect([130, 143]).toContain(r.code);
    expect(lastLine(r.stderr)).toMatch(/^cardfuzz nightly: SIG(INT|TERM) again, quitting without the report \(cardfuzz report /);
    const [dir] = runFolders(out);
    expect(readdirSync(dir!)).toEqual(['events.ndjson']);
    const merge = runCli(['merge-reports', dir!, '--out', tempDir()]);
    expect(merge.status).toBe(2);
    expect(lastLine(merge.stderr)).toBe(`cardfuzz: ${dir}: the run stopped before writing its summary (only events.ndjson); complete it first with: cardfuzz report ${dir}`);
    const report = runCli(['report', dir!]);
    expect(report.stderr).toContain('rebuilt the summary from events.ndjson');
    for (const f of REPORTS) expect(existsSync(join(dir!, f)), f).toBe(true);
    const summary = summaryOf(dir!);
    expect(summary.interrupted).toBe(true);
    expect(report.status).toBe(summary.exitCode);
    expect(summary.units.reduce((n, u) => n + u.runs, 0)).toBe(summary.runs);
    expect(readFileSync(join(dir!, 'junit.xml'), 'utf8')).toContain('interrupted: the run was stopped early');
    expect(historyLines(out).filter((h) => h.runId === summary.runId)).toHaveLength(summary.findings.length);
    // Run again, the report changes nothing more in the history.
    expect(runCli(['report', dir!]).stderr).toContain('already lists this night');
    expect(historyLines(out).filter((h) => h.runId === summary.runId)).toHaveLength(summary.findings.length);
  });
});

describe('kill -9 between the nightly’s writes', () => {
  for (const point of ['during-run', 'after-summary', 'after-reports', 'after-history']) {
    it(`at ${point}: the history never lists a night without its summary, and the folder can be completed`, () => {
      const out = tempDir();
      const r = runCli([...NIGHTLY, '--runs', '400', '--seed', '5', '--out', out], { env: { CARDFUZZ_TEST_KILL_AT: point } });
      expect(r.status).toBe(null);
      const [dir] = runFolders(out);
      const files = readdirSync(dir!);
      const listed = new Set(historyLines(out).map((h) => h.runId));
      // The invariant a kill must keep: every night the history lists has its summary.json, so merge-reports accepts it.
      for (const runId of listed) expect(existsSync(join(out, 'runs', runId, 'summary.json')), runId).toBe(true);
      expect(files.includes('summary.json')).toBe(point !== 'during-run');
      expect(listed.size > 0).toBe(point === 'after-history');
      if (files.includes('summary.json')) expect(runCli(['merge-reports', dir!, '--out', tempDir()]).status).toBe(summaryOf(dir!).exitCode);
      const report = runCli(['report', dir!]);
      expect([0, 1]).toContain(report.status);
      for (const f of REPORTS) expect(existsSync(join(dir!, f)), f).toBe(true);
      const summary = summaryOf(dir!);
      expect(historyLines(out).filter((h) => h.runId === summary.runId)).toHaveLength(summary.findings.length);
      expect(summary.interrupted).toBe(point === 'during-run');
    });
  }

  it('the next nightly commits a night killed after its summary.json: its findings are known, not new again', () => {
    const out = tempDir();
    expect(runCli([...NIGHTLY, '--runs', '400', '--seed', '5', '--out', out], { env: { CARDFUZZ_TEST_KILL_AT: 'after-summary' } }).status).toBe(null);
    const [killed] = runFolders(out);
    const first = summaryOf(killed!);
    expect(first.findings.length).toBeGreaterThan(0);
    expect(historyLines(out)).toEqual([]);
    const next = runCli([...NIGHTLY, '--runs', '200', '--seed', '6', '--out', out]);
    expect(next.stderr).toContain(`note: night ${first.runId} was stopped before its findings history was written; its ${first.findings.length} finding${first.findings.length === 1 ? ' is' : 's are'} added to findings-history.ndjson now`);
    const lines = historyLines(out);
    expect(lines.filter((h) => h.runId === first.runId).map((h) => h.fingerprint).sort()).toEqual(first.findings.map((f) => f.fingerprint).sort());
    const second = summaryOf(runFolders(out).find((d) => d !== killed)!);
    // Replayed from the history: still failing, never new again.
    for (const f of first.findings) expect([f.fingerprint, second.findings.find((x) => x.fingerprint === f.fingerprint)?.status]).toEqual([f.fingerprint, 'still-failing']);
    // A third night adds nothing more for the first: it is committed.
    expect(runCli([...NIGHTLY, '--runs', '100', '--seed', '7', '--out', out]).stderr).not.toContain('was stopped before its findings history');
    expect(historyLines(out).filter((h) => h.runId === first.runId)).toHaveLength(first.findings.length);
  });
});
