import { describe, expect, it } from 'vitest';
import { extractWorkflow, selectedOutputs, type ExtractionInput } from '../../src/extraction/extract-workflow.js';
import type { ToolCase, JsonValue } from '../../src/model/case.js';
import { checkRequestReferences } from '../../src/model/request-references.js';

/**
 * The algorithmic shape of the per-case steps that see every Batch value:
 * reads of the input's rows are counted (no clocks), and doubling the Batch
 * must no more than double them. A linear search per value (`find`, `some`)
 * makes the count quadratic and fails here.
 */

interface Counter {
  reads: number;
}

/** An array whose element reads are counted. */
function counted<T>(items: T[], counter: Counter): T[] {
  return new Proxy(items, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) counter.reads++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

function extractionReads(n: number): number {
  const counter: Counter = { reads: 0 };
  const input: ExtractionInput = {
    // n jobs sharing one validated execution state (a Batch of n plain datasets), and n ICJs of one job each.
    jobs: counted(
      Array.from({ length: n }, (_, i) => ({ id: i + 1, tesId: 1, icjId: null, stepTesId: null, outputs: counted([`dataset:${i + 1}`], counter) })),
      counter,
    ),
    icjs: counted(
      Array.from({ length: n }, (_, i) => ({ id: i + 1, tesId: null, jobIds: counted([n + i + 1], counter), outputs: counted([`collection:${i + 1}`], counter), toolRequestId: null })),
      counter,
    ),
    toolRequests: counted([{ id: 1, tesId: 1, jobless: false, failed: false, outputs: [] }], counter),
    tesStates: new Map([[1, 'validated']]),
    plainBatchPayload: true,
    hasExecutionState: true,
  };
  const selection = {
    label: 'all',
    jobIds: Array.from({ length: n }, (_, i) => i + 1),
    icjIds: Array.from({ length: n }, (_, i) => i + 1),
    toolRequestIds: [1],
  };
  for (const dedup of ['none', 'drop', 'merge'] as const) {
    const result = extractWorkflow(input, selection, { dedup, batchStep: 'one-step' });
    expect(result.ok).toBe(true);
  }
  expect(selectedOutputs(input, selection)).toHaveLength(2 * n);
  return counter.reads;
}

function batchCase(n: number, counter: Counter, src: 'hda' | 'dce'): ToolCase {
  const datasets = counted(Array.from({ length: n }, (_, i) => ({ id: i + 1 })), counter);
  const elements = counted(Array.from({ length: n }, (_, i) => ({ identifier: `e${i + 1}`, dataset: i + 1 })), counter);
  const values = Array.from({ length: n }, (_, i): JsonValue => (src === 'hda' ? { src, id: i + 1 } : { src, id: 1, element_path: [`e${i + 1}`] }));
  return {
    tool: { id: 't', inputs: [{ name: 'input1', type: 'data' }], outputs: [] },
    history: { datasets, collections: counted([{ id: 1, collection_type: 'list', elements }], counter) },
    entry: 'tool-request',
    request: { input1: { __class__: 'Batch', values } },
  };
}

function referenceReads(n: number, src: 'hda' | 'dce'): number {
  const counter: Counter = { reads: 0 };
  checkRequestReferences(batchCase(n, counter, src), 'case.request');
  return counter.reads;
}

describe('per-case costs stay linear in the number of Batch values', () => {
  it('extracting a workflow reads each job, ICJ and output a bounded number of times', () => {
    const small = extractionReads(1000);
    const large = extractionReads(2000);
    expect(large).toBeGreaterThan(small);
    expect(large).toBeLessThanOrEqual(2.1 * small);
  });

  it.each(['hda', 'dce'] as const)('checking a Batch of %s references reads the history a bounded number of times', (src) => {
    const small = referenceReads(1000, src);
    const large = referenceReads(2000, src);
    expect(large).toBeGreaterThan(small);
    expect(large).toBeLessThanOrEqual(2.1 * small);
  });
});
