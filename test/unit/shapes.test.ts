import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyShapes, type ShapeId } from '../../src/expansion/shape-classes.js';
import type { Case } from '../../src/model/case.js';
import type { CaseDatabase } from '../../src/persistence/case-database.js';
import type { SystemUnderTest } from '../../src/runner/system-under-test.js';
import {
  batch,
  collectionParam,
  data,
  dataOut,
  dce,
  hda,
  hdca,
  list,
  listList,
  listPaired,
  makeCase,
} from '../helpers/cases.js';
import { sqliteTarget } from '../helpers/targets.js';

/**
 * Every request shape of galaxy-semantics §2.5 with the counts the table
 * gives: parameter combinations, jobs, implicit collection jobs and ICJ-job
 * rows (tool request API, branch-fixed). Each case is also written to SQLite
 * and the jobs read back.
 */

interface Expected {
  readonly combinations: number;
  readonly jobs: number;
  readonly icj: number;
  readonly icjJobs: number;
  readonly error?: string;
  readonly shape: ShapeId;
}

const cases: readonly (readonly [string, () => Case, Expected])[] = [
  ['S1 single HDA', () => makeCase({ inputs: [data('input')], datasets: 1, request: { input: hda(1) } }), { combinations: 1, jobs: 1, icj: 0, icjJobs: 0, shape: 'S1' }],
  ['S2 Batch of 3 HDAs, linked', () => makeCase({ inputs: [data('input')], datasets: 3, request: { input: batch([hda(1), hda(2), hda(3)]) } }), { combinations: 3, jobs: 3, icj: 0, icjJobs: 0, shape: 'S2' }],
  ['S3 Batch of 3 HDAs, linked: false', () => makeCase({ inputs: [data('input')], datasets: 3, request: { input: batch([hda(1), hda(2), hda(3)], false) } }), { combinations: 3, jobs: 3, icj: 0, icjJobs: 0, shape: 'S3' }],
  [
    'S4 two linked batches of equal length',
    () => makeCase({ inputs: [data('a'), data('b')], datasets: 4, request: { a: batch([hda(1), hda(2)]), b: batch([hda(3), hda(4)]) } }),
    { combinations: 2, jobs: 2, icj: 0, icjJobs: 0, shape: 'S4' },
  ],
  [
    'S4 two linked batches of unequal length',
    () => makeCase({ inputs: [data('a'), data('b')], datasets: 5, request: { a: batch([hda(1), hda(2)]), b: batch([hda(3), hda(4), hda(5)]) } }),
    { combinations: 0, jobs: 0, icj: 0, icjJobs: 0, error: 'InputMatchedException', shape: 'S4' },
  ],
  [
    'S5 two unlinked batches',
    () => makeCase({ inputs: [data('a'), data('b')], datasets: 5, request: { a: batch([hda(1), hda(2)], false), b: batch([hda(3), hda(4), hda(5)], false) } }),
    { combinations: 6, jobs: 6, icj: 0, icjJobs: 0, shape: 'S5' },
  ],
  [
    'S6 one linked and one unlinked batch',
    () => makeCase({ inputs: [data('a'), data('b')], datasets: 5, request: { a: batch([hda(1), hda(2)]), b: batch([hda(3), hda(4), hda(5)], false) } }),
    { combinations: 6, jobs: 6, icj: 0, icjJobs: 0, shape: 'S6' },
  ],
  [
    'S7 Batch of one list (3 elements)',
    () => makeCase({ inputs: [data('input')], datasets: 3, collections: [list(1, [1, 2, 3])], request: { input: batch([hdca(1)]) } }),
    { combinations: 3, jobs: 3, icj: 1, icjJobs: 3, shape: 'S7' },
  ],
  [
    'S8 map-over of an empty list',
    () => makeCase({ inputs: [data('input')], collections: [list(1, [])], request: { input: batch([hdca(1)]) } }),
    { combinations: 0, jobs: 0, icj: 1, icjJobs: 0, shape: 'S8' },
  ],
  [
    'S9 map_over_type paired over a list:paired (2 pairs)',
    () => makeCase({ inputs: [collectionParam('pair', 'paired')], datasets: 4, collections: [listPaired(1, [[1, 2], [3, 4]])], request: { pair: batch([hdca(1, 'paired')]) } }),
    { combinations: 2, jobs: 2, icj: 1, icjJobs: 2, shape: 'S9' },
  ],
  [
    'S10 a list:list flattened to its 3 datasets',
    () => makeCase({ inputs: [data('input')], datasets: 3, collections: [listList(1, [[1, 2], [3]])], request: { input: batch([hdca(1)]) } }),
    { combinations: 3, jobs: 3, icj: 1, icjJobs: 3, shape: 'S10' },
  ],
  [
    'S11 two lists of 2 mapped linked',
    () => makeCase({ inputs: [data('a'), data('b')], datasets: 4, collections: [list(1, [1, 2]), list(2, [3, 4])], request: { a: batch([hdca(1)]), b: batch([hdca(2)]) } }),
    { combinations: 2, jobs: 2, icj: 1, icjJobs: 2, shape: 'S11' },
  ],
  [
    'S11 linked lists of different lengths',
    () => makeCase({ inputs: [data('a'), data('b')], datasets: 3, collections: [list(1, [1, 2]), list(2, [3])], request: { a: batch([hdca(1)]), b: batch([hdca(2)]) } }),
    { combinations: 0, jobs: 0, icj: 0, icjJobs: 0, error: 'InputMatchedException', shape: 'S11' },
  ],
  [
    'S11 linked collections of unmatched types',
    () =>
      makeCase({
        inputs: [data('a'), data('b')],
        datasets: 4,
        collections: [list(1, [1, 2]), { id: 2, collection_type: 'paired', elements: [{ identifier: 'forward', dataset: 3 }, { identifier: 'reverse', dataset: 4 }] }],
        request: { a: batch([hdca(1)]), b: batch([hdca(2)]) },
      }),
    { combinations: 0, jobs: 0, icj: 0, icjJobs: 0, error: 'CollectionMatchingException', shape: 'S11' },
  ],
  [
    'S12 two lists (2 and 3) mapped unlinked',
    () => makeCase({ inputs: [data('a'), data('b')], datasets: 5, collections: [list(1, [1, 2]), list(2, [3, 4, 5])], request: { a: batch([hdca(1)], false), b: batch([hdca(2)], false) } }),
    { combinations: 6, jobs: 6, icj: 1, icjJobs: 6, shape: 'S12' },
  ],
  [
    'S13 a list of 2 and a linked Batch of 2 HDAs',
    () => makeCase({ inputs: [data('a'), data('b')], datasets: 4, collections: [list(1, [1, 2])], request: { a: batch([hdca(1)]), b: batch([hda(3), hda(4)]) } }),
    { combinations: 2, jobs: 2, icj: 1, icjJobs: 2, shape: 'S13' },
  ],
  [
    'S13 a list of 2 and a linked Batch of 3 HDAs',
    () => makeCase({ inputs: [data('a'), data('b')], datasets: 5, collections: [list(1, [1, 2])], request: { a: batch([hdca(1)]), b: batch([hda(3), hda(4), hda(5)]) } }),
    { combinations: 0, jobs: 0, icj: 0, icjJobs: 0, error: 'InputMatchedException', shape: 'S13' },
  ],
  [
    'S14 a list of 2 and an unlinked Batch of 3 HDAs (truncated to 2 jobs)',
    () => makeCase({ inputs: [data('a'), data('b')], datasets: 5, collections: [list(1, [1, 2])], request: { a: batch([hdca(1)]), b: batch([hda(3), hda(4), hda(5)], false) } }),
    { combinations: 6, jobs: 2, icj: 1, icjJobs: 2, shape: 'S14' },
  ],
  [
    'S15 multiple="true" reducing a list of 3 HDAs',
    () => makeCase({ inputs: [data('inputs', { multiple: true })], datasets: 3, request: { inputs: [hda(1), hda(2), hda(3)] } }),
    { combinations: 1, jobs: 1, icj: 0, icjJobs: 0, shape: 'S15' },
  ],
  [
    'S15 multiple="true" reducing one HDCA',
    () => makeCase({ inputs: [data('inputs', { multiple: true })], datasets: 2, collections: [list(1, [1, 2])], request: { inputs: hdca(1) } }),
    { combinations: 1, jobs: 1, icj: 0, icjJobs: 0, shape: 'S15' },
  ],
  [
    'S16 multiple="true" mapped over the inner lists of a list:list',
    () => makeCase({ inputs: [data('inputs', { multiple: true })], datasets: 3, collections: [listList(1, [[1, 2], [3]])], request: { inputs: batch([hdca(1, 'list')]) } }),
    { combinations: 2, jobs: 2, icj: 1, icjJobs: 2, shape: 'S16' },
  ],
  [
    'S17 collection parameter given a whole list',
    () => makeCase({ inputs: [collectionParam('c', 'list')], outputs: [{ name: 'out', type: 'collection', collection_type: 'list' }], datasets: 2, collections: [list(1, [1, 2])], request: { c: hdca(1) } }),
    { combinations: 1, jobs: 1, icj: 0, icjJobs: 0, shape: 'S17' },
  ],
  [
    'S18 collection parameter given a Batch of 2 lists',
    () => makeCase({ inputs: [collectionParam('c', 'list')], datasets: 2, collections: [list(1, [1]), list(2, [2])], request: { c: batch([hdca(1), hdca(2)]) } }),
    { combinations: 2, jobs: 2, icj: 0, icjJobs: 0, shape: 'S18' },
  ],
  ['S19 empty Batch', () => makeCase({ inputs: [data('input')], request: { input: batch([]) } }), { combinations: 0, jobs: 0, icj: 0, icjJobs: 0, shape: 'S19' }],
  [
    'S20 Batches in a section and a repeat share one length',
    () =>
      makeCase({
        inputs: [
          { name: 'sect', type: 'section', inputs: [data('x')] },
          { name: 'queries', type: 'repeat', min: 0, max: 4, inputs: [data('input2')] },
        ],
        datasets: 6,
        request: { sect: { x: batch([hda(1), hda(2)]) }, queries: [{ input2: batch([hda(3), hda(4)]) }, { input2: batch([hda(5), hda(6)]) }] },
      }),
    { combinations: 2, jobs: 2, icj: 0, icjJobs: 0, shape: 'S4' },
  ],
  [
    'S20 a Batch inside a conditional',
    () =>
      makeCase({
        inputs: [
          {
            name: 'cond',
            type: 'conditional',
            test_param: { name: 'kind', type: 'select', options: ['one', 'two'], value: 'one' },
            whens: { one: [data('input1')], two: [] },
          },
        ],
        datasets: 2,
        request: { cond: { kind: 'one', input1: batch([hda(1), hda(2)]) } },
      }),
    { combinations: 2, jobs: 2, icj: 0, icjJobs: 0, shape: 'S2' },
  ],
  [
    'S21 Batch of one DCE holding a list of 2',
    () =>
      makeCase({
        inputs: [data('input')],
        datasets: 2,
        collections: [{ id: 1, collection_type: 'list:list', elements: [{ identifier: 'inner', collection: { collection_type: 'list', elements: [{ identifier: 'a', dataset: 1 }, { identifier: 'b', dataset: 2 }] } }] }],
        request: { input: batch([dce(1, ['inner'])]) },
      }),
    { combinations: 2, jobs: 2, icj: 1, icjJobs: 2, shape: 'S21' },
  ],
  [
    'S21 a DCE without a child collection',
    () => makeCase({ inputs: [data('input')], datasets: 1, collections: [list(1, [1])], request: { input: batch([dce(1, ['e0'])]) } }),
    { combinations: 0, jobs: 0, icj: 0, icjJobs: 0, error: 'ToolMetaParameterException', shape: 'S1' },
  ],
  [
    'S22 two combinations with rerun_remap_job_id',
    () => makeCase({ inputs: [data('input')], datasets: 2, request: { input: batch([hda(1), hda(2)]) }, extra: { rerun_remap_job_id: 7 } }),
    { combinations: 0, jobs: 0, icj: 0, icjJobs: 0, error: 'RequestParameterInvalidException', shape: 'S22' },
  ],
  [
    'S22 a data source tool through the tool request API',
    () => makeCase({ inputs: [data('input')], datasets: 1, request: { input: hda(1) }, toolType: 'data_source' }),
    { combinations: 0, jobs: 0, icj: 0, icjJobs: 0, error: 'RequestParameterInvalidException', shape: 'S22' },
  ],
];

describe('galaxy-semantics §2.5 shapes (branch-fixed, tool request API)', () => {
  let target: { system: SystemUnderTest; database: CaseDatabase };
  beforeAll(async () => {
    target = await sqliteTarget('branch-fixed');
  });
  afterAll(async () => target.database.close());

  it.each(cases)('%s', async (_label, build, expected) => {
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
    const c = cases.find(([label]) => label.startsWith('S17'))![1]();
    const plan = target.system.plan(c);
    expect(plan.intent.outputCollections).toEqual([expect.objectContaining({ jobId: plan.intent.jobs[0]!.id, icjId: null })]);
  });

  it('stamps the TES on every job of a plain batch and on the ICJ of a map-over, never on mapped jobs', () => {
    const plainBatch = target.system.plan(cases[1]![1]());
    expect(plainBatch.intent.jobs.map((j) => j.tesId)).toEqual([1, 1, 1]);
    const mapOver = target.system.plan(cases.find(([label]) => label.startsWith('S7'))![1]());
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
    expect(plan.intent.wis).toEqual(expect.objectContaining({ jobId: plan.intent.jobs[0]!.id, icjId: null }));
    expect((await target.database.runCase(plan)).failure).toBeNull();
  });

  it('maps a step over a list with one ICJ the step points at, and never sets wis.job', () => {
    const c = makeCase({ inputs: [data('input')], datasets: 3, collections: [list(1, [1, 2, 3])], request: { input: batch([hdca(1)]) }, entry: 'workflow-step' });
    const plan = target.system.plan(c);
    expect(plan.intent.jobs.length).toBe(3);
    expect(plan.intent.wis).toEqual(expect.objectContaining({ jobId: null, icjId: plan.intent.icjs[0]!.id }));
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
