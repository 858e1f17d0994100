import type { ShapeId } from '../../src/expansion/shape-classes.js';
import type { Case } from '../../src/model/case.js';
import { batch, collectionParam, data, dce, hda, hdca, list, listList, listPaired, makeCase } from './cases.js';

/**
 * Every request shape of galaxy-semantics §2.5, as a hand-written case with
 * the counts the table gives: parameter combinations, jobs, implicit
 * collection jobs and ICJ-job rows (tool request API, branch-fixed). The
 * shape tests assert the counts; the dialect differential uses them as a
 * fixed corpus.
 */

export interface ShapeExpectation {
  readonly combinations: number;
  readonly jobs: number;
  readonly icj: number;
  readonly icjJobs: number;
  readonly error?: string;
  readonly shape: ShapeId;
}

export const SHAPE_CASES: readonly (readonly [string, () => Case, ShapeExpectation])[] = [
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
