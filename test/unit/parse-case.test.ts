import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { parseCase } from '../../src/model/parse-case.js';
import { ledgerCase } from '../helpers/cases.js';

/** Untrusted case JSON is checked with messages that name the exact place. */
function messageOf(value: unknown): string {
  try {
    parseCase(value);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as Error).message;
  }
  throw new Error('expected parseCase to refuse the case');
}

describe('parseCase', () => {
  const base = JSON.parse(JSON.stringify(ledgerCase())) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  it('accepts the ledger case and keeps it unchanged', () => {
    expect(parseCase(base)).toEqual(base);
  });

  it.each([
    ['a missing tool', { ...base, tool: undefined }, 'case.tool: expected an object, got undefined'],
    ['an unknown entry', { ...base, entry: 'api' }, 'case.entry: expected one of tool-request, legacy, workflow-step, got "api"'],
    ['an unknown top-level field', { ...base, extra: 1 }, 'case: unknown field "extra"'],
    ['duplicate parameter names', { ...base, tool: { ...base.tool, inputs: [{ name: 'a', type: 'data' }, { name: 'a', type: 'data' }] } }, 'case.tool.inputs: duplicate name "a"'],
    ['a select value outside its options', { ...base, tool: { ...base.tool, inputs: [{ name: 's', type: 'select', options: ['x'], value: 'y' }] }, request: {} }, 'case.tool.inputs[0].value: "y" is not one of the options x'],
    ['a bad collection type', { ...base, tool: { ...base.tool, inputs: [{ name: 'c', type: 'data_collection', collection_type: 'list:sample_sheet' }] }, request: {} }, 'is not a collection type'],
    ['a paired collection without forward and reverse', { ...base, history: { datasets: [{ id: 1 }], collections: [{ id: 1, collection_type: 'paired', elements: [{ identifier: 'a', dataset: 1 }] }] } }, 'a paired collection has exactly the elements "forward" and "reverse"'],
    ['an element naming a missing dataset', { ...base, history: { datasets: [], collections: [{ id: 1, collection_type: 'list', elements: [{ identifier: 'a', dataset: 3 }] }] }, request: {} }, 'dataset 3 is not in history.datasets'],
    ['a dce path that goes nowhere', { ...base, history: { datasets: [{ id: 1 }], collections: [{ id: 1, collection_type: 'list', elements: [{ identifier: 'a', dataset: 1 }] }] }, request: { input_file: { src: 'dce', id: 1, element_path: ['b'] } } }, 'no element "b" in collection 1'],
    ['a library dataset', { ...base, request: { input_file: { src: 'ldda', id: 1 } } }, 'src "ldda" is valid in Galaxy but not modelled'],
    ['step options outside a workflow step', { ...base, step: { job_limit: 1 } }, 'only a workflow-step case has step options'],
  ])('refuses %s', (_label, value, expected) => {
    expect(messageOf(value)).toContain(expected);
  });
});
