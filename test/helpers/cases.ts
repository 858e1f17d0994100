import type { ToolCase, Entry, RequestInputs } from '../../src/model/case.js';
import type { CollectionElement, HistoryCollection } from '../../src/model/history.js';
import { parseToolCase } from '../../src/model/parse-case.js';
import type { ToolInput, ToolOutput } from '../../src/model/tool.js';

/** Terse builders for hand-written cases; every case is checked by parseCase. */

export const hda = (id: number) => ({ src: 'hda', id });
export const hdca = (id: number, mapOverType?: string) => (mapOverType === undefined ? { src: 'hdca', id } : { src: 'hdca', id, map_over_type: mapOverType });
export const dce = (id: number, path: string[], mapOverType?: string) =>
  mapOverType === undefined ? { src: 'dce', id, element_path: path } : { src: 'dce', id, element_path: path, map_over_type: mapOverType };
export const batch = (values: unknown[], linked?: boolean | null) => (linked === undefined ? { __class__: 'Batch', values } : { __class__: 'Batch', values, linked });

export const data = (name: string, extra: Partial<{ multiple: boolean; optional: boolean }> = {}): ToolInput => ({ name, type: 'data', ...extra });
export const collectionParam = (name: string, collectionType: string): ToolInput => ({ name, type: 'data_collection', collection_type: collectionType });
export const dataOut = (name = 'out'): ToolOutput => ({ name, type: 'data' });

/** A flat list of datasets. */
export function list(id: number, datasets: readonly number[], type = 'list'): HistoryCollection {
  return { id, collection_type: type, elements: datasets.map((d, i) => ({ identifier: `e${i}`, dataset: d })) };
}

/** A `list:paired` of pairs (forward, reverse) dataset ids. */
export function listPaired(id: number, pairs: readonly (readonly [number, number])[]): HistoryCollection {
  return {
    id,
    collection_type: 'list:paired',
    elements: pairs.map(([f, r], i): CollectionElement => ({
      identifier: `p${i}`,
      collection: { collection_type: 'paired', elements: [{ identifier: 'forward', dataset: f }, { identifier: 'reverse', dataset: r }] },
    })),
  };
}

/** A `list:list` whose inner lists hold the given datasets. */
export function listList(id: number, inner: readonly (readonly number[])[]): HistoryCollection {
  return {
    id,
    collection_type: 'list:list',
    elements: inner.map((ds, i): CollectionElement => ({ identifier: `l${i}`, collection: { collection_type: 'list', elements: ds.map((d, j) => ({ identifier: `e${j}`, dataset: d })) } })),
  };
}

export function datasetsUpTo(n: number): { id: number }[] {
  return Array.from({ length: n }, (_, i) => ({ id: i + 1 }));
}

export interface CaseParts {
  readonly inputs: readonly ToolInput[];
  readonly outputs?: readonly ToolOutput[];
  readonly datasets?: number;
  readonly collections?: readonly HistoryCollection[];
  readonly request: Record<string, unknown>;
  readonly entry?: Entry;
  readonly extra?: Partial<Pick<ToolCase, 'rerun_remap_job_id' | 'step'>>;
  readonly toolType?: 'data_source';
}

export function makeCase(parts: CaseParts): ToolCase {
  return parseToolCase({
    tool: { id: 'test_tool', ...(parts.toolType ? { tool_type: parts.toolType } : {}), inputs: parts.inputs, outputs: parts.outputs ?? [dataOut()] },
    history: { datasets: datasetsUpTo(parts.datasets ?? 0), collections: parts.collections ?? [] },
    entry: parts.entry ?? 'tool-request',
    request: parts.request as RequestInputs,
    ...(parts.extra ?? {}),
  });
}

/** The ledger's case: one data input, two datasets, a Batch of both. */
export function ledgerCase(): ToolCase {
  return makeCase({ inputs: [data('input_file')], datasets: 2, request: { input_file: batch([hda(1), hda(2)]) } });
}
