import { describe, expect, it } from 'vitest';
import { matchConnection, type ConnectedType } from '../../src/model/connection-match.js';
import type { DatasetInput } from '../../src/model/tool.js';
import { toolStepRequest, type StepValue } from '../../src/executor/invoke-workflow.js';
import type { Tool } from '../../src/model/tool.js';

/** Galaxy's rules for a value reaching a tool step's dataset parameter (modules.py `_find_collections_to_match`). */
const dataset: ConnectedType = { kind: 'dataset' };
const collection = (collectionType: string): ConnectedType => ({ kind: 'collection', collectionType });
const data: DatasetInput = { name: 'x', type: 'data' };
const multiple: DatasetInput = { name: 'x', type: 'data', multiple: true };
const paired: DatasetInput = { name: 'x', type: 'data_collection', collection_type: 'paired' };
const listOrPaired: DatasetInput = { name: 'x', type: 'data_collection', collection_type: 'list,list:paired' };

describe('matchConnection', () => {
  it('a data parameter takes a dataset whole and maps over any collection down to its datasets', () => {
    expect(matchConnection(data, dataset)).toEqual({ kind: 'whole', reduce: false });
    expect(matchConnection(data, collection('list:paired'))).toEqual({ kind: 'map', mapped: 'list:paired', each: dataset });
  });

  it('a multiple data parameter reduces a list and maps over the outer level of a list:list, and takes nothing else', () => {
    expect(matchConnection(multiple, collection('list'))).toEqual({ kind: 'whole', reduce: true });
    expect(matchConnection(multiple, collection('list:list'))).toEqual({ kind: 'map', mapped: 'list', each: collection('list'), mapOverType: 'list' });
    expect(matchConnection(multiple, collection('paired'))).toBeNull();
  });

  it('a collection parameter takes its type whole, maps over subcollections of it, and refuses a dataset or another type', () => {
    expect(matchConnection(paired, collection('paired'))).toEqual({ kind: 'whole', reduce: false });
    expect(matchConnection(paired, collection('list:paired'))).toEqual({ kind: 'map', mapped: 'list', each: collection('paired') });
    expect(matchConnection(paired, collection('list'))).toBeNull();
    expect(matchConnection(paired, dataset)).toBeNull();
    // Alternatives: the deepest one it holds subcollections of.
    expect(matchConnection(listOrPaired, collection('list:list:paired'))).toEqual({ kind: 'map', mapped: 'list', each: collection('list:paired') });
  });
});

describe('toolStepRequest', () => {
  const tool: Tool = {
    id: 't',
    inputs: [
      { name: 'sect', type: 'section', inputs: [{ name: 'pair', type: 'data_collection', collection_type: 'paired' }] },
      { name: 'cond', type: 'conditional', test_param: { name: 'mode', type: 'select', options: ['a', 'b'], value: 'a' }, whens: { a: [], b: [{ name: 'in', type: 'data' }] } },
      { name: 'rep', type: 'repeat', min: 0, max: 3, inputs: [{ name: 'r', type: 'data' }] },
    ],
    outputs: [],
  };
  const pairs: StepValue = { kind: 'collection', id: 4, collection: { id: 4, collection_type: 'list:paired', elements: [] } };

  it('puts a connection into a nested parameter where its prefixed name says, mapping as Galaxy would', () => {
    const values = new Map<string, StepValue[]>([
      ['sect|pair', [pairs]],
      ['cond|in', [{ kind: 'dataset', id: 1 }]],
      ['rep_1|r', [{ kind: 'dataset', id: 2 }]],
    ]);
    expect(toolStepRequest(tool, { cond: { mode: 'b' }, rep: [{}, {}] }, values)).toEqual({
      sect: { pair: { __class__: 'Batch', values: [{ src: 'hdca', id: 4 }] } },
      cond: { mode: 'b', in: { src: 'hda', id: 1 } },
      rep: [{}, { r: { src: 'hda', id: 2 } }],
    });
  });

  it('leaves a name the selected when does not hold at top level, for the expansion to refuse', () => {
    const request = toolStepRequest(tool, { cond: { mode: 'a' } }, new Map([['cond|in', [{ kind: 'dataset', id: 1 } as StepValue]]]));
    expect(request).toEqual({ cond: { mode: 'a' }, 'cond|in': { src: 'hda', id: 1 } });
  });
});
