import { describe, expect, it } from 'vitest';
import { findBuiltinProfile } from '../../src/profiles/builtin-profiles.js';
import { createSystemUnderTest } from '../../src/runner/system-under-test.js';
import { filledOutputElements } from '../../properties/support/output-elements.js';
import { batch, data, hda, hdca, list, makeCase } from '../helpers/cases.js';

/** The executor's intent is read off what Galaxy's code wrote, before the ORM semantics change anything. */
describe('executor intent', () => {
  const plainBatch = makeCase({ inputs: [data('input1')], outputs: [], datasets: 3, request: { input1: batch([hda(1), hda(2), hda(3)]) } });

  it('keeps the TES stamp on every job of a plain Batch while the re-pointing scalar back-populate unlinks all but the last', () => {
    const system = createSystemUnderTest(findBuiltinProfile('branch-1f87eebce')!, { 'orm.scalarReplace': 'repoint' });
    const plan = system.plan(plainBatch);
    // What the code meant: one job per value, each stamped with the request's one TES (execute.py l.259-262).
    expect(plan.intent.jobs.map((j) => [j.combination, j.tesId])).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
    ]);
    // What reaches the database: each later stamp re-points TES.job, so the earlier jobs' column is written NULL.
    const jobInserts = plan.statements.filter((s) => s.op === 'insert' && s.table === 'job');
    expect(jobInserts).toHaveLength(3);
    const tesColumn = system.executor.layouts.job.columns.indexOf('tool_execution_state_id');
    expect(jobInserts.map((s) => (s.op === 'insert' ? s.values[tesColumn] : undefined))).toEqual([null, null, 1]);
  });

  it('writes the same rows and intent whichever ORM semantics only differ in what they re-point', () => {
    const raise = createSystemUnderTest(findBuiltinProfile('branch-1f87eebce')!, { 'orm.scalarReplace': 'raise' }).plan(plainBatch);
    const repoint = createSystemUnderTest(findBuiltinProfile('branch-1f87eebce')!, { 'orm.scalarReplace': 'repoint' }).plan(plainBatch);
    expect(repoint.intent).toEqual(raise.intent);
    expect(raise.statements).not.toEqual(repoint.statements);
  });
});

/**
 * S14 as Galaxy runs it (hazards-verified §1a): `permutations.expand_multi_inputs`
 * makes M×N combinations, element-major; `ToolExecutionTracker.new_collection_execution_slices`
 * (lib/galaxy/tools/execute.py) zips them with the M leaves of the output structure.
 */
describe('S14: a map-over of M=3 elements with an unlinked Batch of N=2 datasets', () => {
  const s14 = makeCase({
    inputs: [data('input1'), data('input2')],
    datasets: 5,
    collections: [list(1, [1, 2, 3])],
    request: { input1: batch([hdca(1)]), input2: batch([hda(4), hda(5)], false) },
  });

  it('runs M jobs, not M×N: combinations 0, 1, 2 of 6', () => {
    const plan = createSystemUnderTest(findBuiltinProfile('upstream')!).plan(s14);
    expect(plan.intent.combinations).toBe(6);
    expect(plan.intent.jobs.map((j) => [j.combination, j.orderIndex])).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
  });

  it('writes combination i into output element i, whatever element it ran on', () => {
    const system = createSystemUnderTest(findBuiltinProfile('upstream')!);
    const plan = system.plan(s14);
    if (!plan.expansion.ok) throw new Error('expected an expansion');
    const ranOn = (jobId: number): number[] => {
      const c = plan.expansion.ok ? plan.expansion.combinations[plan.intent.jobs.find((j) => j.id === jobId)!.combination]! : [];
      return c.map((v) => (v.kind === 'dataset' ? v.datasetId : -1));
    };
    // Element e0 is computed from (e0 = dataset 1, dataset 4), e1 from (e0, dataset 5), e2 from (e1 = dataset 2, dataset 4); e2's own dataset 3 never runs.
    expect(filledOutputElements(plan, system.executor.layouts).map((e) => [e.path.join('/'), ranOn(e.jobId)])).toEqual([
      ['e0', [1, 4]],
      ['e1', [1, 5]],
      ['e2', [2, 4]],
    ]);
  });

  it('is refused up front when the profile rejects a map-over whose combinations do not line up (executor.unlinkedMapOverBatch=reject)', () => {
    const plan = createSystemUnderTest(findBuiltinProfile('upstream')!, { 'executor.unlinkedMapOverBatch': 'reject' }).plan(s14);
    expect(plan.expansion.ok).toBe(false);
    expect(plan.intent.jobs).toEqual([]);
  });
});
