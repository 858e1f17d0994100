import { describe, expect, it } from 'vitest';
import type { ToolCase } from '../../src/model/case.js';
import type { Finding } from '../../src/runner/finding.js';
import { findingFor, fuzz } from '../helpers/fuzz.js';
import { rotatesOutputElements, setsJobOnMappedStep, stampsTesOnMappedJobs } from '../mutants/planted-bugs.js';

/**
 * Each property: a test that it fails on a planted or real bug — with the
 * shrunk case it must reach — and a test that it holds where it should
 * (seeded campaigns; budgets of 1,500–3,000 cases, where each bug shows up
 * within the first few hundred).
 */

/** Shapes that map over a collection (and so write an ICJ). */
const MAPPED_SHAPES = ['S7', 'S9', 'S10', 'S16', 'S21'];

const LEDGER_REQUEST = { input1: { __class__: 'Batch', values: [{ src: 'hda', id: 1 }, { src: 'hda', id: 2 }] } };

function expectLedgerShape(c: ToolCase | undefined): void {
  expect(c?.entry).toBe('tool-request');
  expect(c?.tool.inputs).toEqual([{ name: 'input1', type: 'data' }]);
  expect(c?.history).toEqual({ datasets: [{ id: 1 }, { id: 2 }], collections: [] });
  expect(c?.request).toEqual(LEDGER_REQUEST);
}

function expectFinding(finding: Finding | undefined, kind: string): Finding {
  expect(finding, 'expected a finding').toBeDefined();
  expect(finding!.violation.kind).toBe(kind);
  return finding!;
}

async function holds(profile: string, property: string, options: Parameters<typeof fuzz>[1] = {}): Promise<void> {
  const result = await fuzz(profile, { runs: 3000, ...options, properties: [property] });
  expect(result.findings.map((f) => `${f.property}: ${f.violation.message}`)).toEqual([]);
  expect(result.runs).toBeGreaterThan(0);
  // Held means judged: a property that judged no input was not checked.
  expect(result.checks.find((c) => c.property === property)).toMatchObject({ status: 'held' });
}

describe('persists-without-constraint-violations', () => {
  it('fails on branch-1f87eebce with the ledger case and names the UNIQUE', async () => {
    const f = expectFinding(findingFor(await fuzz('branch-1f87eebce', { properties: ['persists-without-constraint-violations'] }), 'persists-without-constraint-violations'), 'unique');
    expect(f.violation).toMatchObject({ table: 'job', columns: ['tool_execution_state_id'], constraint: 'uq_job_tool_execution_state_id' });
    expectLedgerShape(f.case as ToolCase);
  });
  it('holds on branch-fixed', () => holds('branch-fixed', 'persists-without-constraint-violations'));
});

describe('rows-match-model', () => {
  it('fails when the scalar TES.job re-points, on the ledger case', async () => {
    const f = expectFinding(findingFor(await fuzz('branch-1f87eebce', { settings: { 'orm.scalarReplace': 'repoint' }, properties: ['rows-match-model'] }), 'rows-match-model'), 'link-mismatch');
    expect(f.violation.message).toContain('the model expects [1, 1], the database holds [NULL, 1]');
    expectLedgerShape(f.case as ToolCase);
  });
  it('holds on branch-fixed', () => holds('branch-fixed', 'rows-match-model'));
});

describe('declared-cardinality-holds', () => {
  it('fails on a schema built from ORM metadata, where no UNIQUE stops two jobs on one TES', async () => {
    const f = expectFinding(findingFor(await fuzz('branch-1f87eebce', { settings: { 'schema.source': 'orm' }, properties: ['declared-cardinality-holds'] }), 'declared-cardinality-holds'), 'overfull-scalar');
    expect(f.violation.constraint).toBe('ToolExecutionState.job');
    expectLedgerShape(f.case as ToolCase);
  });
  it('holds on branch-fixed built from ORM metadata (TES.job is a list there)', () => holds('branch-fixed', 'declared-cardinality-holds', { settings: { 'schema.source': 'orm' } }));
});

describe('readers-agree', () => {
  it('finds the ledger bug through the readers when the back-populate re-points and every row persists', async () => {
    const result = await fuzz('branch-1f87eebce', { settings: { 'orm.scalarReplace': 'repoint' }, properties: ['readers-agree', 'persists-without-constraint-violations'] });
    expect(findingFor(result, 'persists-without-constraint-violations')).toBeUndefined();
    const f = expectFinding(findingFor(result, 'readers-agree'), 'reader-mismatch');
    expect(f.violation.message).toBe('ToolExecutionState.job(1) returns [2]; the model links [1, 2]');
    expectLedgerShape(f.case as ToolCase);
  });
  it('holds on branch-fixed', () => holds('branch-fixed', 'readers-agree'));
});

describe('icj-supersedes-job-tes', () => {
  it('fails when the executor stamps the TES on mapped jobs', async () => {
    const f = expectFinding(findingFor(await fuzz('branch-fixed', { mutation: stampsTesOnMappedJobs, properties: ['icj-supersedes-job-tes'] }), 'icj-supersedes-job-tes'), 'superseded-link');
    // Shrunk to one mapped parameter over one element (a dataset, or an empty subcollection one job reduces).
    expect(MAPPED_SHAPES).toContain(f.shapeClass);
    expect((f.case as ToolCase).tool.inputs).toHaveLength(1);
    expect(f.case.history.datasets.length).toBeLessThanOrEqual(1);
  });
  it('holds on branch-fixed', () => holds('branch-fixed', 'icj-supersedes-job-tes'));
});

describe('wis-targets-job-xor-icj', () => {
  it('fails when a mapped step also gets a job', async () => {
    const f = expectFinding(findingFor(await fuzz('branch-fixed', { mutation: setsJobOnMappedStep, properties: ['wis-targets-job-xor-icj'] }), 'wis-targets-job-xor-icj'), 'both-targets');
    expect(f.case.entry).toBe('workflow-step');
  });
  it('holds on branch-fixed', () => holds('branch-fixed', 'wis-targets-job-xor-icj'));
});

describe('extraction-one-step-per-execution', () => {
  it('fails on branch-1f87eebce (no dedup): a job and its tool request extract as two steps', async () => {
    const f = expectFinding(findingFor(await fuzz('branch-1f87eebce', { properties: ['extraction-one-step-per-execution'] }), 'extraction-one-step-per-execution'), 'duplicate-steps');
    expect(f.violation.message).toContain('yields 2 steps for 1 distinct (tier, source_id) key (dedup none)');
  });
  it('fails when dedup drops duplicates: the dropped job’s outputs lose their connections', async () => {
    const f = expectFinding(findingFor(await fuzz('branch-fixed', { settings: { 'extraction.dedup': 'drop' }, properties: ['extraction-one-step-per-execution'] }), 'extraction-one-step-per-execution'), 'lost-connection');
    expect((f.case as ToolCase).request).toEqual(LEDGER_REQUEST);
    expect((f.case as ToolCase).tool.outputs).toHaveLength(1);
  });
  it('holds on branch-fixed (dedup merge)', () => holds('branch-fixed', 'extraction-one-step-per-execution'));
});

describe('every-combination-runs-once (hazard)', () => {
  it('fails on upstream: a map-over with an unlinked plain Batch is truncated (S14)', async () => {
    const f = expectFinding(findingFor(await fuzz('upstream', { properties: ['every-combination-runs-once'], constraints: { entries: ['tool-request'] } }), 'every-combination-runs-once'), 'combination-never-ran');
    expect(f.shapeClass).toBe('S14');
  });
  it('fails when a workflow step without outputs is scheduled in iterations (it cannot see finished slices)', async () => {
    const f = expectFinding(findingFor(await fuzz('upstream', { properties: ['every-combination-runs-once'], constraints: { entries: ['workflow-step'] } }), 'every-combination-runs-once'), 'combination-ran-twice');
    expect((f.case as ToolCase).tool.outputs).toEqual([]);
    expect((f.case as ToolCase).step?.job_limit).toBeDefined();
  });
  it('fails on upstream when the map-over has outputs: an output element holds a result computed from another element (S14 pairing)', async () => {
    const f = expectFinding(
      findingFor(await fuzz('upstream', { properties: ['every-combination-runs-once'], constraints: { entries: ['tool-request'], minOutputs: 1, minCollectionLength: 2, minBatchLength: 2 } }), 'every-combination-runs-once'),
      'output-from-another-element',
    );
    expect(f.violation.message).toMatch(/element \S+ holds job \d+'s result, computed from \S+ element \S+/);
    expect((f.case as ToolCase).tool.outputs.length).toBeGreaterThan(0);
  });
  it('fails when a planted bug fills the wrong output elements, on a profile that otherwise holds', async () => {
    const f = expectFinding(
      findingFor(
        await fuzz('branch-fixed', { mutation: rotatesOutputElements, settings: { 'executor.unlinkedMapOverBatch': 'reject' }, properties: ['every-combination-runs-once'], constraints: { entries: ['tool-request', 'legacy'] } }),
        'every-combination-runs-once',
      ),
      'output-from-another-element',
    );
    expect(MAPPED_SHAPES).toContain(f.shapeClass);
  });
  it('holds on tool requests once S14 is rejected up front (executor.unlinkedMapOverBatch=reject)', () =>
    holds('branch-fixed', 'every-combination-runs-once', { settings: { 'executor.unlinkedMapOverBatch': 'reject' }, constraints: { entries: ['tool-request', 'legacy'] } }));
});

describe('implicit-jobs-have-representative (hazard)', () => {
  it('fails on a map-over of an empty collection (S8)', async () => {
    const f = expectFinding(findingFor(await fuzz('upstream', { properties: ['implicit-jobs-have-representative'] }), 'implicit-jobs-have-representative'), 'would-raise');
    expect(f.case.history.collections).toEqual([{ id: 1, collection_type: 'list', elements: [] }]);
  });
  it('holds when no collection and no Batch is empty', () => holds('branch-fixed', 'implicit-jobs-have-representative', { constraints: { minCollectionLength: 1, minBatchLength: 1 } }));
});

describe('execution-state-reaches-its-jobs (hazard)', () => {
  it('fails on a map-over of a tool without outputs: its ICJ is never persisted (Q4)', async () => {
    const f = expectFinding(findingFor(await fuzz('branch-fixed', { properties: ['execution-state-reaches-its-jobs'] }), 'execution-state-reaches-its-jobs'), 'unreachable-job');
    expect((f.case as ToolCase).tool.outputs).toEqual([]);
    expect(MAPPED_SHAPES).toContain(f.shapeClass);
  });
  it('holds when every tool keeps an output', () => holds('branch-fixed', 'execution-state-reaches-its-jobs', { constraints: { minOutputs: 1, outputFilters: false } }));
});

describe('step-execution-keeps-one-state', () => {
  it('fails when state capture runs again on re-entry (Q9)', async () => {
    const f = expectFinding(findingFor(await fuzz('branch-fixed', { settings: { 'workflow.recaptureOnReentry': 'on' }, properties: ['step-execution-keeps-one-state'] }), 'step-execution-keeps-one-state'), 'split-state');
    expect((f.case as ToolCase).step?.job_limit).toBeDefined();
  });
  it('holds on branch-fixed', () => holds('branch-fixed', 'step-execution-keeps-one-state'));
});

describe('migration-upgrades-any-history', () => {
  it('fails on the branch migration when the old database holds a batch tool request with two jobs, and names the shape', async () => {
    const f = expectFinding(findingFor(await fuzz('branch-1f87eebce', { runs: 300, properties: ['migration-upgrades-any-history'] }), 'migration-upgrades-any-history'), 'unique');
    expect(f.violation.constraint).toBe('uq_job_tool_execution_state_id');
    expect(f.violation.message).toContain('a tool request with 2 jobs (S2: Batch of N datasets, linked)');
    expect(f.history).toBeUndefined();
    expectLedgerShape(f.case as ToolCase);
  });
  it('holds on branch-fixed', () => holds('branch-fixed', 'migration-upgrades-any-history', { runs: 400 }));
  it('is not applicable to upstream, which has no previous profile', async () => {
    const result = await fuzz('upstream', { runs: 10, properties: ['migration-upgrades-any-history'] });
    expect(result.groups[0]?.skipped).toContain('names no previous profile');
  });
});
