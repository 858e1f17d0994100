import { describe, expect, it } from 'vitest';
import type { ToolCase } from '../../src/model/case.js';
import { parseCaseResult } from '../../src/model/parse-case.js';
import { caseEdits } from '../../src/shrink/case-edits.js';
import { reduceCase } from '../../src/shrink/reduce-case.js';
import { batch, collectionParam, data, dataOut, dce, hda, hdca, ledgerCase, list, listList, makeCase } from '../helpers/cases.js';

/** The shrinker's edits: typed, structural and pure. */

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const labels = (c: ToolCase): string[] => caseEdits(c).map((e) => e.label);

/** Sections, a conditional, a repeat, a Batch with `linked`, a list, collections and an element reference. */
function richCase(): ToolCase {
  return makeCase({
    inputs: [
      { name: 'sect', type: 'section', inputs: [data('inner', { optional: true }), { name: 'n', type: 'integer', value: 1 }] },
      {
        name: 'cond',
        type: 'conditional',
        test_param: { name: 'mode', type: 'select', options: ['a', 'b'], value: 'a' },
        whens: { a: [collectionParam('coll', 'list:list')], b: [data('other')] },
      },
      { name: 'rep', type: 'repeat', min: 0, max: 3, inputs: [data('many', { multiple: true })] },
      data('input1'),
    ],
    outputs: [dataOut('out1'), { name: 'out2', type: 'data', filter: { param: 'sect|n', equals: 1 } }],
    datasets: 6,
    collections: [listList(1, [[1, 2], [3]]), list(2, [4, 5])],
    request: {
      sect: { inner: hda(6), n: 2 },
      cond: { mode: 'a', coll: hdca(1, 'list') },
      rep: [{ many: [hda(1), hda(2)] }],
      input1: batch([hda(3), dce(2, ['e1']), hdca(2)], true),
    },
  });
}

describe('case edits', () => {
  it('never change the case they are applied to, and each result is a new case or null', () => {
    const c = deepFreeze(richCase());
    const before = JSON.stringify(c);
    const edits = caseEdits(c);
    expect(edits.length).toBeGreaterThan(20);
    for (const edit of edits) {
      const result = edit.apply(c);
      expect(result === null || result !== c).toBe(true);
    }
    expect(JSON.stringify(c)).toBe(before);
  });

  it('check references structurally: an element reference to collection 12 does not hide collection 1', () => {
    const c = makeCase({
      inputs: [collectionParam('input1', 'list:list'), data('input2')],
      datasets: 3,
      collections: [listList(1, [[1], [2]]), listList(12, [[3]])],
      request: { input1: hdca(1), input2: dce(12, ['l0', 'e0']) },
    });
    // `JSON.stringify(request).includes('"dce","id":1')` also matches id 12 and withheld this edit.
    expect(labels(c)).toContain('flatten collection 1 to a list of its datasets');
    expect(labels(c)).not.toContain('flatten collection 12 to a list of its datasets');
  });

  it('rewrite a parameter inside the active branch of a conditional and keep the case valid', () => {
    const c = richCase();
    const edit = caseEdits(c).find((e) => e.label === 'make coll a data parameter');
    const result = edit?.apply(c) ?? null;
    expect(result).not.toBeNull();
    const parsed = parseCaseResult(result);
    expect(parsed.ok).toBe(true);
    const cond = result!.request['cond'] as Record<string, unknown>;
    expect(cond).toEqual({ mode: 'a', input1: { src: 'hda', id: 7 } });
    expect(result!.history.datasets.map((d) => d.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(result!.request['input1']).toEqual(c.request['input1']);
  });

  it('drop one Batch value at a time from the first request object', () => {
    const c = richCase();
    const dropped = caseEdits(c).find((e) => e.label === 'drop Batch value 1 of input1')!.apply(c)!;
    expect(dropped.request['input1']).toEqual(batch([hda(3), hdca(2)], true));
  });
});

describe('parseCaseResult', () => {
  it('returns the case, or the first problem as a value', () => {
    expect(parseCaseResult(ledgerCase())).toEqual({ ok: true, case: ledgerCase() });
    const bad = parseCaseResult({ ...ledgerCase(), entry: 'api' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toContain('case.entry');
  });
});

describe('reduceCase', () => {
  it('reduces a rich case to the canonical Batch of two datasets when that is what fails', async () => {
    const fails = (c: ToolCase): boolean =>
      Object.values(c.request).some((v) => typeof v === 'object' && v !== null && 'values' in v && Array.isArray(v['values']) && v['values'].length >= 2);
    const { case: shrunk } = await reduceCase(richCase(), fails, 60_000);
    expect(shrunk).toEqual({
      tool: { id: 'test_tool', inputs: [data('input1')], outputs: [] },
      history: { datasets: [{ id: 1 }, { id: 2 }], collections: [] },
      entry: 'tool-request',
      request: { input1: batch([hda(1), hda(2)]) },
    });
  });
});
