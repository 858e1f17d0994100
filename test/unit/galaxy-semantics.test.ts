import { describe, expect, it } from 'vitest';
import { canMapOver, effectiveSubcollectionType, acceptsAnyOf, SINGLE_DATASETS } from '../../src/model/collection-types.js';
import { evaluatePython, parsePython, type PyValue } from '../../src/executor/python-subset.js';
import { filterApproximations, galaxyFilterKeeps } from '../../src/executor/output-filters.js';
import { parseToolCase } from '../../src/model/parse-case.js';
import { InvalidInputError } from '../../src/errors.js';
import { findBuiltinProfile } from '../../src/profiles/builtin-profiles.js';
import { createSystemUnderTest } from '../../src/runner/system-under-test.js';

const scope = (entries: Record<string, PyValue>) => new Map(Object.entries(entries));
const dict = (entries: Record<string, PyValue>): PyValue => ({ kind: 'dict', entries: new Map(Object.entries(entries)) });
const dataset = (ext: string | undefined): PyValue => ({ kind: 'object', type: 'HistoryDatasetAssociation', attributes: new Map([['ext', ext]]), ...(ext === undefined ? {} : { extension: ext }) });

describe('the Python subset of output filters (execution_helpers.py filter_output)', () => {
  const keeps = (text: string, values: Record<string, PyValue>) => galaxyFilterKeeps(text, scope(values));

  it('evaluates truthiness, comparisons, membership, identity and boolean operators as Python does', () => {
    expect(keeps('flag', { flag: false })).toBe(false);
    expect(keeps('flag', { flag: 'x' })).toBe(true);
    expect(keeps('flag is True', { flag: true })).toBe(true);
    expect(keeps('flag is True', { flag: 1 })).toBe(false);
    expect(keeps('value is None', { value: null })).toBe(true);
    expect(keeps('value is not None', { value: null })).toBe(false);
    expect(keeps('mode in ["a", "b"]', { mode: 'c' })).toBe(false);
    expect(keeps("mode not in ['a', 'b']", { mode: 'c' })).toBe(true);
    expect(keeps('n == 1 and not other', { n: true, other: 0 })).toBe(true);
    expect(keeps('n > 2 or m <= 1', { n: 1, m: 3 })).toBe(false);
    expect(keeps('1 < n < 3', { n: 2 })).toBe(true);
    expect(keeps('len(items) == 2', { items: ['a', 'b'] })).toBe(true);
  });

  it("reads conditionals and sections as dicts: a['b'] works, a.b raises and keeps the output", () => {
    const cond = dict({ mode: 'off', __current_case__: 1 });
    expect(keeps("cond['mode'] == 'on'", { cond })).toBe(false);
    expect(keeps("cond.mode == 'on'", { cond })).toBe(true);
    expect(keeps("cond['missing'] == 'on'", { cond })).toBe(true);
    expect(keeps('undefined_name', {})).toBe(true);
  });

  it('reads dataset attributes from the history, and keeps the output when the history does not say', () => {
    expect(keeps("input.ext == 'fasta'", { input: dataset('txt') })).toBe(false);
    expect(keeps("input.ext == 'fasta'", { input: dataset(undefined) })).toBe(true);
    expect(keeps("input.is_of_type('txt')", { input: dataset('txt') })).toBe(true);
    expect(evaluatePython(parsePython("input.is_of_type('tabular')")!, scope({ input: dataset('txt') }))).toHaveProperty('unknown');
  });

  it('refuses what is outside the subset, and the reader notes it once per filter', () => {
    expect(parsePython('a + 1 > 2')).toBeNull();
    expect(parsePython('__import__("os")')).toBeNull();
    expect(parsePython('[x for x in y]')).toBeNull();
    expect(parsePython('a == (1')).toBeNull();
    expect(galaxyFilterKeeps('a + 1 > 2', scope({ a: 0 }))).toBe(true);
    const c = parseToolCase({
      tool: { id: 't', inputs: [{ name: 'a', type: 'integer', value: 0 }], outputs: [{ name: 'o', type: 'data', filters: ['a + 1 > 2', 'a == 0'] }] },
      history: {},
      entry: 'legacy',
      request: {},
    });
    expect(filterApproximations(c.tool)).toEqual(['output "o": filter "a + 1 > 2" is outside the Python subset cardfuzz evaluates; the output is always kept']);
  });
});

describe("collection types (type_description.py, subcollections.py, history_query.py)", () => {
  it('splits paired_or_unpaired, compound paired_or_unpaired and single_datasets as Galaxy does', () => {
    expect(effectiveSubcollectionType('list:paired', 'paired_or_unpaired')).toBe('paired');
    expect(effectiveSubcollectionType('list', 'paired_or_unpaired')).toBe(SINGLE_DATASETS);
    expect(effectiveSubcollectionType('paired', 'paired_or_unpaired')).toBeUndefined();
    expect(effectiveSubcollectionType('list:paired_or_unpaired', 'paired')).toBeUndefined();
    expect(effectiveSubcollectionType('list:list', 'list:paired_or_unpaired')).toBe('list');
    expect(effectiveSubcollectionType('list:list:paired', 'list:paired_or_unpaired')).toBe('list:paired');
    expect(effectiveSubcollectionType('list:paired', 'list:paired_or_unpaired')).toBeUndefined();
    expect(effectiveSubcollectionType('sample_sheet:paired', 'paired')).toBe('paired');
    expect(effectiveSubcollectionType('list:record', 'record')).toBe('record');
    expect(effectiveSubcollectionType('list:list', SINGLE_DATASETS)).toBe(SINGLE_DATASETS);
  });

  it('tries comma-separated alternatives: any for a direct match, highest dimension first for mapping', () => {
    expect(acceptsAnyOf(['list', 'list:paired'], 'list:paired')).toBe(true);
    expect(acceptsAnyOf(['list', 'list:paired'], 'paired')).toBe(false);
    expect(acceptsAnyOf(null, 'paired:paired')).toBe(true);
    expect(canMapOver(['paired', 'list:paired'], 'list:list:paired')).toBe('list:paired');
    expect(canMapOver(null, 'list:list')).toBeUndefined();
  });
});

describe('Galaxy attribute names in case files', () => {
  const tool = (inputs: unknown[], outputs: unknown[] = []) => ({ tool: { id: 't', inputs, outputs }, history: { datasets: [{ id: 1 }] }, entry: 'legacy', request: {} });
  it('reads checked/truevalue/falsevalue, min/max and collection_type alternatives', () => {
    const c = parseToolCase(
      tool([
        { name: 'b', type: 'boolean', checked: 'yes', truevalue: '--on', falsevalue: '--off' },
        { name: 'm', type: 'data', multiple: 'true', min: '1', max: 3 },
        { name: 'c', type: 'data_collection', collection_type: 'list, list:paired', optional: true },
        { name: 'any', type: 'data_collection', optional: true },
      ]),
    );
    expect(c.tool.inputs).toEqual([
      { name: 'b', type: 'boolean', value: true, truevalue: '--on', falsevalue: '--off' },
      { name: 'm', type: 'data', multiple: true, min: 1, max: 3 },
      { name: 'c', type: 'data_collection', collection_type: 'list,list:paired', optional: true },
      { name: 'any', type: 'data_collection', optional: true },
    ]);
  });

  it("refuses min on a single data parameter with Galaxy's message, and a collection output with no type source", () => {
    expect(() => parseToolCase(tool([{ name: 'd', type: 'data', min: 1 }]))).toThrow(/cannot specify 'min' property on single data parameter/);
    expect(() => parseToolCase(tool([], [{ name: 'o', type: 'collection' }]))).toThrow(InvalidInputError);
  });
});

describe('expansion rules that need a whole case', () => {
  const system = createSystemUnderTest(findBuiltinProfile('branch-fixed')!);
  const listListPaired = {
    id: 1,
    collection_type: 'list:list:paired',
    elements: ['a', 'b'].map((outer, i) => ({
      identifier: outer,
      collection: {
        collection_type: 'list:paired',
        elements: [{ identifier: 'p', collection: { collection_type: 'paired', elements: [{ identifier: 'forward', dataset: 2 * i + 1 }, { identifier: 'reverse', dataset: 2 * i + 2 }] } }],
      },
    })),
  };
  it('maps a workflow connection over the highest-dimension alternative (HistoryQuery.can_map_over)', () => {
    const c = parseToolCase({
      tool: { id: 't', inputs: [{ name: 'input1', type: 'data_collection', collection_type: 'paired,list:paired' }], outputs: [{ name: 'o', type: 'data' }] },
      history: { datasets: [1, 2, 3, 4].map((id) => ({ id })), collections: [listListPaired] },
      entry: 'workflow-step',
      request: { input1: { __class__: 'Batch', values: [{ src: 'hdca', id: 1 }] } },
    });
    const plan = system.plan(c);
    expect(plan.expansion.ok && plan.expansion.mapOver?.collections[0]?.subcollectionType).toBe('list:paired');
    expect(plan.intent.jobs).toHaveLength(2);
  });

  it('gives a legacy Batch on an undeclared key its jobs but no job input rows', () => {
    const c = parseToolCase({
      tool: { id: 't', inputs: [{ name: 'input1', type: 'data' }], outputs: [] },
      history: { datasets: [{ id: 1 }, { id: 2 }, { id: 3 }] },
      entry: 'legacy',
      request: { input1: { src: 'hda', id: 1 }, extra: { batch: true, values: [{ src: 'hda', id: 2 }, { src: 'hda', id: 3 }] } },
    });
    const plan = system.plan(c);
    expect(plan.intent.jobs).toHaveLength(2);
    const inputRows = plan.statements.filter((s) => s.op === 'insert' && s.table === 'job_to_input_dataset');
    expect(inputRows).toHaveLength(2);
  });
});
