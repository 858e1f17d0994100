import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coverageGaps, CoverageRecorder, emptyCoverage, mergeCoverage, relationshipsOf, type Coverage, type Relationship } from '../../src/coverage/coverage.js';
import { InvalidInputError } from '../../src/errors.js';
import { knownFindings, loadHistory, type HistoryEntry } from '../../src/nightly/findings-history.js';
import { parseShard, planUnits, shardUnits, unitRuns } from '../../src/nightly/work-units.js';
import type { CaseDatabase } from '../../src/persistence/case-database.js';
import { nightlyHtml } from '../../src/reporting/html-report.js';
import { exitCodeOf, mergeSummaries, nightlyJunit, nightlyMarkdown, type NightlyFinding, type NightlySummary } from '../../src/reporting/nightly-summary.js';
import type { SystemUnderTest } from '../../src/runner/system-under-test.js';
import { tempDir } from '../helpers/cli.js';
import { batch, data, hda, ledgerCase, makeCase } from '../helpers/cases.js';
import { sqliteTarget } from '../helpers/targets.js';

const LANES = { execution: ['persists-without-constraint-violations', 'rows-match-model'], upgrade: ['migration-upgrades-any-history'] };

describe('work units', () => {
  it('are a deterministic plan that shards partition', () => {
    const units = planUnits(LANES, 42, 4);
    expect(planUnits(LANES, 42, 4)).toEqual(units);
    expect(planUnits(LANES, 43, 4)).not.toEqual(units);
    expect(units.map((u) => u.lane)).toEqual(['execution', 'execution', 'execution', 'execution', 'upgrade', 'upgrade', 'upgrade', 'upgrade']);
    expect(new Set(units.map((u) => u.seed)).size).toBe(units.length);
    for (const count of [1, 2, 3, 8, 11]) {
      const shards = Array.from({ length: count }, (_, index) => shardUnits(units, { index, count }));
      expect(shards.flat().map((u) => u.index).sort((a, b) => a - b)).toEqual(units.map((u) => u.index));
    }
  });

  it('give each unit the same number of cases whichever shard runs it', () => {
    const units = planUnits(LANES, 1, 4);
    const runs = unitRuns(units, 2000);
    expect(runs.get(0)).toBe(475);
    expect(runs.get(4)).toBe(25);
    expect([...runs.values()].reduce((a, b) => a + b, 0)).toBe(2000);
    expect(unitRuns(units, 10).get(4)).toBe(5);
  });

  it('parse i/n shards and reject others', () => {
    expect(parseShard('1/4')).toEqual({ index: 1, count: 4 });
    for (const bad of ['4/4', '1', '-1/2', 'a/b', '0/0']) expect(() => parseShard(bad)).toThrow(InvalidInputError);
  });
});

describe('coverage', () => {
  let target: { system: SystemUnderTest; database: CaseDatabase };
  let relationships: Relationship[];
  beforeAll(async () => {
    target = await sqliteTarget('branch-fixed');
    relationships = relationshipsOf(target.database.catalog, target.system.executor.layouts);
  });
  afterAll(async () => target.database.close());

  it('lists the schema’s foreign keys among the tables cardfuzz writes', () => {
    const names = relationships.map((r) => r.name);
    expect(names).toContain('job.tool_execution_state_id -> tool_execution_state');
    expect(names).toContain('job.tool_request_id -> tool_request');
  });

  it('counts how many children each parent had: the ledger’s Batch of two gives a TES with 2 jobs', () => {
    const recorder = new CoverageRecorder(relationships, target.system.executor.layouts);
    const ledger = ledgerCase();
    recorder.record(ledger, target.system.plan(ledger));
    const single = makeCase({ inputs: [data('input1')], datasets: 1, request: { input1: hda(1) } });
    recorder.record(single, target.system.plan(single));
    const jobsPerTes = recorder.coverage.cardinality['job.tool_execution_state_id -> tool_execution_state']!;
    expect(jobsPerTes).toEqual({ '0': 0, '1': 1, '2': 1, many: 0 });
    expect(recorder.coverage.cases).toBe(2);
    expect(recorder.coverage.shapes['S2']).toBe(1);
    expect(recorder.coverage.shapes['S1']).toBe(1);
    expect(recorder.coverage.batchSizes).toEqual({ '2': 1 });
    const three = makeCase({ inputs: [data('input1')], datasets: 3, request: { input1: batch([hda(1), hda(2), hda(3)]) } });
    recorder.record(three, target.system.plan(three));
    expect(recorder.coverage.cardinality['job.tool_execution_state_id -> tool_execution_state']!.many).toBe(1);
  });

  it('merges by addition and names the reachable buckets not reached', () => {
    const a = emptyCoverage(relationships);
    const recorder = new CoverageRecorder(relationships, target.system.executor.layouts);
    recorder.record(ledgerCase(), target.system.plan(ledgerCase()));
    const merged = mergeCoverage(mergeCoverage(a, recorder.coverage), recorder.coverage);
    expect(merged.cases).toBe(2);
    expect(merged.shapes['S2']).toBe(2);
    const none = coverageGaps(a, recorder.coverage);
    expect(none.reachedShare).toBe(0);
    expect(none.gaps).toContainEqual({ kind: 'cardinality', name: 'job.tool_execution_state_id -> tool_execution_state [2]' });
    expect(none.gaps).toContainEqual({ kind: 'shape', name: 'S2' });
    expect(coverageGaps(merged, recorder.coverage)).toEqual({ gaps: [], reachedShare: 1 });
  });
});

const entry = (runId: string, at: string, status: HistoryEntry['status'], fingerprint = 'abc'): HistoryEntry => ({
  runId,
  at,
  fingerprint,
  property: 'persists-without-constraint-violations',
  profile: 'branch-1f87eebce',
  shapeClass: 'S2',
  status,
  violation: { kind: 'unique', table: 'job', columns: ['tool_execution_state_id'], constraint: 'uq_job_tool_execution_state_id', message: 'UNIQUE constraint failed' },
  case: ledgerCase(),
});

describe('findings history', () => {
  it('derives first seen and last seen across nights', () => {
    const known = knownFindings([entry('n1', '2026-11-01', 'new'), entry('n2', '2026-11-02', 'still-failing'), entry('n3', '2026-11-03', 'fixed')]);
    expect(known.get('abc')).toMatchObject({ firstSeen: '2026-11-01', lastSeen: '2026-11-02', lastStatus: 'fixed' });
  });

  it('names a malformed line and reads a missing file as no history', async () => {
    const dir = tempDir();
    expect(await loadHistory(join(dir, 'none.ndjson'))).toEqual([]);
    const path = join(dir, 'history.ndjson');
    writeFileSync(path, `${JSON.stringify(entry('n1', '2026-11-01', 'new'))}\n{"runId": "n2"}\n`);
    await expect(loadHistory(path)).rejects.toThrow(/line 2 is not a finding history entry/);
  });

  it('reads a night appended twice (a shard committing it while the next nightly completes it) once', async () => {
    const path = join(tempDir(), 'history.ndjson');
    const lines = [entry('n1', '2026-11-01', 'new'), entry('n1', '2026-11-01', 'new'), entry('n2', '2026-11-02', 'still-failing')].map((e) => JSON.stringify(e));
    writeFileSync(path, `${lines.join('\n')}\n`);
    expect((await loadHistory(path)).map((e) => [e.runId, e.status])).toEqual([
      ['n1', 'new'],
      ['n2', 'still-failing'],
    ]);
  });
});

function summary(shard: string, findings: readonly NightlyFinding[], coverage: Coverage): NightlySummary {
  const partial = {
    format: 'cardfuzz-nightly' as const,
    version: 1 as const,
    runId: `r-${shard}`,
    startedAt: '2026-11-26T00:00:00Z',
    finishedAt: '2026-11-26T00:01:00Z',
    seed: 1,
    profile: 'branch-1f87eebce',
    settings: {},
    properties: ['persists-without-constraint-violations'],
    shards: [shard],
    workers: 1,
    budget: '100 cases',
    elapsedMs: 1000,
    runs: 50,
    casesPerSecond: 50,
    interrupted: false,
    errors: [],
    units: [],
    laneTimeMs: { execution: 1000 },
    findings,
    coverage,
    reachable: coverage,
    gaps: [],
    reachedShare: 1,
    minCoverage: null,
    throughput: [{ label: `shard ${shard}`, points: [] }],
    nights: [],
  };
  return { ...partial, exitCode: exitCodeOf(partial) };
}

describe('nightly summaries', () => {
  const finding = (status: NightlyFinding['status'], fingerprint = 'abc'): NightlyFinding => ({ ...entry('n', '2026-11-26', status, fingerprint), firstSeen: '2026-11-26', lastSeen: '2026-11-26', replay: 'cardfuzz replay x' });
  const empty = emptyCoverage([]);

  it('mark a hazard property’s finding as an upstream Galaxy defect and link its entry on the findings page (Markdown, JUnit, HTML)', () => {
    const hazard: NightlyFinding = {
      ...finding('new', 'def'),
      property: 'implicit-jobs-have-representative',
      shapeClass: 'S8',
      violation: { kind: 'would-raise', table: 'implicit_collection_jobs_job_association', columns: [], constraint: 'ImplicitCollectionJobs.representative_job', message: 'implicit collection jobs 1 has no jobs' },
    };
    const s = { ...summary('1/1', [finding('new'), hazard], empty), properties: ['persists-without-constraint-violations', 'implicit-jobs-have-representative'] };
    const link = 'upstream Galaxy defect, not introduced by this branch: docs/findings.md#representative-job-of-an-empty-map-over';
    const md = nightlyMarkdown(s);
    expect(md).toContain(`| implicit-jobs-have-representative (hazard) | S8 | implicit collection jobs 1 has no jobs — ${link} |`);
    expect(md).toContain('| persists-without-constraint-violations | S2 | UNIQUE constraint failed |');
    expect(md).toContain('The hazard properties report defects in upstream Galaxy code that a branch does not introduce');
    expect(nightlyJunit(s)).toContain(link);
    expect(nightlyHtml(s)).toContain(link);
  });

  it('exit 1 on any finding not fixed, 0 when all are fixed, 1 below --min-coverage, 2 on errors', () => {
    expect(summary('0/1', [finding('fixed')], empty).exitCode).toBe(0);
    expect(summary('0/1', [finding('still-failing')], empty).exitCode).toBe(1);
    expect(exitCodeOf({ errors: [], findings: [], minCoverage: 0.9, reachedShare: 0.5 })).toBe(1);
    expect(exitCodeOf({ errors: ['worker failed'], findings: [], minCoverage: null, reachedShare: 1 })).toBe(2);
  });

  it('merge shards: findings by fingerprint (new before still failing before fixed), runs and coverage added', () => {
    const merged = mergeSummaries([summary('0/2', [finding('fixed'), finding('new', 'def')], { ...empty, cases: 50 }), summary('1/2', [finding('still-failing')], { ...empty, cases: 50 })], 'merged');
    expect(merged.findings.map((f) => [f.fingerprint, f.status])).toEqual([
      ['abc', 'still-failing'],
      ['def', 'new'],
    ]);
    expect(merged.runs).toBe(100);
    expect(merged.coverage.cases).toBe(100);
    expect(merged.shards).toEqual(['0/2', '1/2']);
    expect(merged.throughput.map((t) => t.label)).toEqual(['shard 0/2', 'shard 1/2']);
    expect(merged.exitCode).toBe(1);
  });
});
