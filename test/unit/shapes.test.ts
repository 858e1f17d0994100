import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyShapes } from '../../src/expansion/shape-classes.js';
import type { CaseDatabase } from '../../src/persistence/case-database.js';
import type { SystemUnderTest } from '../../src/runner/system-under-test.js';
import { batch, data, dataOut, hda, hdca, list, makeCase } from '../helpers/cases.js';
import { SHAPE_CASES } from '../helpers/shape-cases.js';
import { sqliteTarget } from '../helpers/targets.js';

/**
 * Every request shape of galaxy-semantics §2.5 with the counts the table
 * gives: parameter combinations, jobs, implicit collection jobs and ICJ-job
 * rows (tool request API, branch-fixed). Each case is also written to SQLite
 * and the jobs read back.
 */
describe('galaxy-semantics §2.5 shapes (branch-fixed, tool request API)', () => {
  let target: { system: SystemUnderTest; database: CaseDatabase };
  beforeAll(async () => {
    target = await sqliteTarget('branch-fixed');
  });
  afterAll(async () => target.database.close());

  it.each(SHAPE_CASES)('%s', async (_label, build, expected) => {
    const c = build();
    const plan = target.system.plan(c);
    const expansion = plan.expansion;
    if (expected.error !== undefined) {
      expect(expansion.ok).toBe(false);
      if (!expansion.ok) expect(expansion.error.kind).toBe(expected.error);
    } else {
      expect(expansion.ok ? expansion.combinations.length : -1).toBe(expected.combinations);
    }
    expect(plan.intent.jobs.length).toBe(expected.jobs);
    expect(plan.intent.icjs.filter((i) => i.persisted).length).toBe(expected.icj);
    expect(plan.intent.jobs.filter((j) => j.icjId !== null).length).toBe(expected.icjJobs);
    expect(classifyShapes(c, expansion)[0]).toBe(expected.shape);
    const outcome = await target.database.runCase(plan);
    expect(outcome.failure).toBeNull();
    expect(outcome.snapshot?.jobs.length).toBe(expected.jobs);
    expect(outcome.snapshot?.icjs.length).toBe(expected.icj);
    expect(outcome.snapshot?.icjJobs.length).toBe(expected.icjJobs);
  });

  it('records a multiple="true" list as Galaxy does: the first dataset twice, then one row per dataset', async () => {
    const c = makeCase({ inputs: [data('inputs', { multiple: true })], datasets: 3, request: { inputs: [hda(1), hda(2), hda(3)] } });
    const plan = target.system.plan(c);
    const names = plan.statements.filter((s) => s.op === 'insert' && s.table === 'job_to_input_dataset').map((s) => (s.op === 'insert' ? s.values[3] : null));
    expect(names).toEqual(['inputs', 'inputs1', 'inputs2', 'inputs3']);
  });

  it('gives an explicit output collection of a non-mapped job its job_id (S17)', () => {
    const c = SHAPE_CASES.find(([label]) => label.startsWith('S17'))![1]();
    const plan = target.system.plan(c);
    expect(plan.intent.outputCollections).toEqual([expect.objectContaining({ jobId: plan.intent.jobs[0]!.id, icjId: null })]);
  });

  it('stamps the TES on every job of a plain batch and on the ICJ of a map-over, never on mapped jobs', () => {
    const plainBatch = target.system.plan(SHAPE_CASES[1]![1]());
    expect(plainBatch.intent.jobs.map((j) => j.tesId)).toEqual([1, 1, 1]);
    const mapOver = target.system.plan(SHAPE_CASES.find(([label]) => label.startsWith('S7'))![1]());
    expect(mapOver.intent.jobs.map((j) => j.tesId)).toEqual([null, null, null]);
    expect(mapOver.intent.icjs[0]!.tesId).toBe(1);
    expect(mapOver.intent.outputCollections.map((o) => o.teicaTesId)).toEqual([1]);
  });

  it('writes no TR, TES or TEICA for the legacy entry, and the same jobs', () => {
    const c = makeCase({ inputs: [data('input')], datasets: 2, collections: [list(1, [1, 2])], request: { input: { batch: true, values: [hdca(1)] } }, entry: 'legacy', outputs: [dataOut()] });
    const plan = target.system.plan(c);
    expect(plan.intent.toolRequest).toBeNull();
    expect(plan.intent.tes).toEqual([]);
    expect(plan.intent.jobs.length).toBe(2);
    expect(plan.intent.icjs.length).toBe(1);
    expect(plan.intent.outputCollections.every((o) => o.teicaTesId === null && o.tricaToolRequestId === null)).toBe(true);
  });

  it('treats a legacy dict with values but no batch flag as one list value', () => {
    const c = makeCase({ inputs: [data('inputs', { multiple: true })], datasets: 2, request: { inputs: { values: [hda(1), hda(2)] } }, entry: 'legacy' });
    const plan = target.system.plan(c);
    expect(plan.expansion.ok && plan.expansion.combinations.length).toBe(1);
  });

  it('reads legacy flat keys like the nested form', () => {
    const nested = makeCase({ inputs: [{ name: 'queries', type: 'repeat', min: 0, max: 3, inputs: [data('input2')] }], datasets: 2, entry: 'legacy', request: { queries: [{ input2: { batch: true, values: [hda(1), hda(2)] } }] } });
    const flat = makeCase({ inputs: [{ name: 'queries', type: 'repeat', min: 0, max: 3, inputs: [data('input2')] }], datasets: 2, entry: 'legacy', request: { 'queries_0|input2': { batch: true, values: [hda(1), hda(2)] } } });
    expect(target.system.plan(flat).intent.jobs.length).toBe(2);
    expect(target.system.plan(nested).intent.jobs.length).toBe(2);
  });

  it('multiplies a Batch sent with "linked": null, as the code reads (Q6), and links it when the setting says so', async () => {
    const c = makeCase({ inputs: [data('a'), data('b')], datasets: 4, request: { a: batch([hda(1), hda(2)], null), b: batch([hda(3), hda(4)], null) } });
    expect(target.system.plan(c).intent.jobs.length).toBe(4);
    const linked = await sqliteTarget('branch-fixed', { 'request.linkedNull': 'linked' });
    expect(linked.system.plan(c).intent.jobs.length).toBe(2);
    await linked.database.close();
  });
});

describe('workflow steps', () => {
  let target: { system: SystemUnderTest; database: CaseDatabase };
  beforeAll(async () => {
    target = await sqliteTarget('branch-fixed');
  });
  afterAll(async () => target.database.close());

  it('runs one job for a step that is not mapped, linked from the invocation step', async () => {
    const c = makeCase({ inputs: [data('input')], datasets: 1, request: { input: hda(1) }, entry: 'workflow-step' });
    const plan = target.system.plan(c);
    expect(plan.intent.jobs.length).toBe(1);
    expect(plan.intent.steps[0]).toEqual(expect.objectContaining({ jobId: plan.intent.jobs[0]!.id, icjId: null }));
    expect((await target.database.runCase(plan)).failure).toBeNull();
  });

  it('maps a step over a list with one ICJ the step points at, and never sets wis.job', () => {
    const c = makeCase({ inputs: [data('input')], datasets: 3, collections: [list(1, [1, 2, 3])], request: { input: batch([hdca(1)]) }, entry: 'workflow-step' });
    const plan = target.system.plan(c);
    expect(plan.intent.jobs.length).toBe(3);
    expect(plan.intent.steps[0]).toEqual(expect.objectContaining({ jobId: null, icjId: plan.intent.icjs[0]!.id }));
  });

  it('schedules a mapped step in iterations of job_limit jobs, reusing the ICJ', async () => {
    const c = makeCase({ inputs: [data('input')], datasets: 3, collections: [list(1, [1, 2, 3])], request: { input: batch([hdca(1)]) }, entry: 'workflow-step', extra: { step: { job_limit: 2 } } });
    const plan = target.system.plan(c);
    expect(plan.intent.passes).toBe(2);
    expect(plan.intent.icjs.length).toBe(1);
    expect(plan.intent.jobs.map((j) => j.pass)).toEqual([0, 0, 1]);
    expect(plan.intent.jobs.map((j) => j.orderIndex)).toEqual([0, 1, 2]);
    expect((await target.database.runCase(plan)).snapshot?.icjJobs.length).toBe(3);
  });

  it('rejects a plain Batch of several datasets on a workflow step', () => {
    const c = makeCase({ inputs: [data('input')], datasets: 2, request: { input: batch([hda(1), hda(2)]) }, entry: 'workflow-step' });
    const expansion = target.system.plan(c).expansion;
    expect(expansion.ok).toBe(false);
  });
});
