import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { loadHistory } from '../../src/nightly/findings-history.js';
import { readEvents } from '../../src/nightly/night-events.js';
import { readNightlySummary } from '../../src/nightly/report-files.js';
import { WorkerPool, WorkerCrashError, WorkerStartError } from '../../src/nightly/worker-pool.js';
import type { FuzzToolTask, RunSlice, WorkerSetup } from '../../src/nightly/worker-protocol.js';
import { createStopFlags } from '../../src/nightly/worker-protocol.js';
import { tempDir } from '../helpers/cli.js';
import { ledgerCase } from '../helpers/cases.js';

/** The files the nightly reads back, checked as case files are; the nightly⇄reporting cycle; the worker pool's faults. */

const entry = (over: Record<string, unknown> = {}) => ({
  runId: 'r1',
  at: '2026-01-01T00:00:00.000Z',
  fingerprint: 'abc',
  property: 'persists-without-constraint-violations',
  profile: 'branch-1f87eebce',
  shapeClass: 'S2',
  status: 'new',
  violation: { kind: 'unique', table: 'job', columns: ['tool_execution_state_id'], constraint: 'uq', message: 'UNIQUE' },
  case: ledgerCase(),
  ...over,
});

describe('checked reads of the nightly’s files', () => {
  it('a history line is checked down to its case, and the error names the line and the place', async () => {
    const dir = tempDir();
    const file = join(dir, 'findings-history.ndjson');
    writeFileSync(file, `${JSON.stringify(entry())}\n`);
    expect((await loadHistory(file))[0]!.case.entry).toBe(ledgerCase().entry);
    writeFileSync(file, `${JSON.stringify(entry())}\n${JSON.stringify(entry({ case: { ...ledgerCase(), tool: 7 } }))}\n`);
    await expect(loadHistory(file)).rejects.toThrow(InvalidInputError);
    await expect(loadHistory(file)).rejects.toThrow(/findings-history\.ndjson: line 2 is not a finding history entry \(entry\.case\.tool: expected an object, got 7\)/);
    writeFileSync(file, `${JSON.stringify(entry({ status: 'gone' }))}\n`);
    await expect(loadHistory(file)).rejects.toThrow(/line 1 .*entry\.status: expected one of new, still-failing, fixed, got "gone"/);
  });

  it('a summary.json is checked field by field', async () => {
    const dir = tempDir();
    const file = join(dir, 'summary.json');
    writeFileSync(file, JSON.stringify({ format: 'cardfuzz-nightly', version: 1, runId: 'r' }));
    await expect(readNightlySummary(file)).rejects.toThrow(/summary\.json\.settings: expected an object, got undefined/);
    writeFileSync(file, JSON.stringify({ format: 'other' }));
    await expect(readNightlySummary(file)).rejects.toThrow(/not a cardfuzz nightly summary \(format "other"\)/);
    writeFileSync(file, JSON.stringify({ format: 'cardfuzz-nightly', version: 2 }));
    await expect(readNightlySummary(file)).rejects.toThrow(/version 2 is not supported/);
  });

  it('events.ndjson: a last line cut short by a kill is left out; any other bad line is an error', () => {
    const dir = tempDir();
    const file = join(dir, 'events.ndjson');
    writeFileSync(file, '{"at":"t","type":"run-started"}\n{"at":"t","type":"prog');
    expect(readEvents(dir).map((e) => e.type)).toEqual(['run-started']);
    writeFileSync(file, '{"at":"t","type":"run-started"}\n{"at":"t",\n{"at":"t","type":"x"}\n');
    expect(() => readEvents(dir)).toThrow(/events\.ndjson: line 2 is not JSON/);
    writeFileSync(file, '{"at":"t"}\n');
    expect(() => readEvents(dir)).toThrow(/line 1\.type: expected a string/);
  });

  it('reporting imports nothing from the nightly (the nightly renders its reports, never the other way round)', () => {
    const dir = resolve(import.meta.dirname, '../../src/reporting');
    for (const name of readdirSync(dir)) {
      const text = readFileSync(join(dir, name), 'utf8');
      expect([name, /from\s+['"]\.\.\/nightly\//.test(text) || /import\(\s*['"]\.\.\/nightly\//.test(text)]).toEqual([name, false]);
    }
  });
});

describe('the worker pool', () => {
  const worker = new URL('../fixtures/workers/pool-worker.mjs', import.meta.url);
  const setup = (mode: string): WorkerSetup => ({ target: { mode } as unknown as WorkerSetup['target'], stop: createStopFlags() });
  const slice = (n: number): RunSlice => ({ type: 'run', slice: n, unit: { index: n, lane: 'execution', properties: [], seed: n }, round: 0, seed: n, runs: 1, shrinkTimeLimitMs: 1, knownSignatures: [] });
  // The fixture reads its mode from workerData, which is the setup; give it as the setup's own field.
  const pool = (mode: string, size = 2) => new WorkerPool(size, worker, { ...setup(mode), mode } as unknown as WorkerSetup, () => undefined);

  it('runs every slice, queued beyond the workers, and closes', async () => {
    const p = pool('ok');
    await Promise.all([0, 1, 2, 3, 4].map((n) => p.run(slice(n))));
    expect(await p.close()).toEqual([]);
  });

  it('retries a slice whose worker crashed once, on a replacement', async () => {
    const p = pool('crash-first');
    await expect(Promise.all([0, 1, 2].map((n) => p.run(slice(n))))).resolves.toBeDefined();
    await p.close();
  });

  it('rejects a slice that crashes its worker twice as a tool error, and runs the others', async () => {
    const p = pool('crash', 1);
    await expect(p.run(slice(0))).rejects.toThrow(WorkerCrashError);
    await expect(p.run(slice(1))).rejects.toThrow(/slice 1 \(unit 1, execution\): its worker crashed twice \(crashed on slice 1\)/);
    await p.close();
  });

  it('rejects every queued slice when no worker can be started', async () => {
    const p = pool('no-start');
    const results = await Promise.allSettled([0, 1, 2].map((n) => p.run(slice(n))));
    for (const r of results) expect(r.status === 'rejected' && r.reason instanceof WorkerStartError).toBe(true);
    await expect(p.run(slice(3))).rejects.toThrow(/no campaign worker could be started \(\d+ attempts; last: this worker cannot start\)/);
    await p.close();
  });

  it('runs tool files of run --tool DIR on the same workers as slices, resolving each with its report; a tool that crashes twice names its file', async () => {
    const tool = (n: number): FuzzToolTask => ({ type: 'fuzz-tool', slice: n, file: `tools/t${n}.xml`, properties: [], seed: 7, runs: 1, strict: false });
    const p = pool('crash-first', 2);
    const [done, slice0] = await Promise.all([p.run(tool(3)), p.run(slice(0))]);
    // The tool's worker crashed once: its retry (attempt 2) answered with the tool's own message.
    expect(done).toEqual({ type: 'tool-done', slice: 3, result: { report: { file: 'tools/t3.xml', attempt: 2 }, interrupted: false } });
    expect(slice0.type).toBe('done');
    await p.close();
    const crashing = pool('crash', 1);
    await expect(crashing.run(tool(4))).rejects.toThrow(/^tools\/t4\.xml: its worker crashed twice \(crashed on slice 4\)$/);
    await crashing.close();
  });

  it('closes when a worker has already exited on its own (no wait for an exit that came first)', async () => {
    const p = pool('exit-after-slice', 1);
    await p.run(slice(0));
    await new Promise((done) => setTimeout(done, 200));
    await expect(p.close()).resolves.toEqual([]);
  });
});
