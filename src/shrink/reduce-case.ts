import type { Case, ToolCase, JsonValue } from '../model/case.js';
import { isDatasetElement, type CollectionElement, type NestedCollection } from '../model/history.js';
import { isJsonObject } from '../model/json-checks.js';
import { parseCaseResult } from '../model/parse-case.js';
import type { ToolInput } from '../model/tool.js';
import { findCollection, isIdRef, refsIn, type IdRef } from '../model/request-references.js';
import { caseEdits } from './case-edits.js';
import { mapJson } from './json-map.js';

/**
 * Reduces a failing case to a smaller one that still fails the same way:
 * greedy passes over the domain edits of case-edits.ts, accepting an edit
 * only when the case stays valid, gets strictly smaller (by `caseSize`) and
 * still fails. Every accepted case is normalized (unreferenced history items
 * dropped, ids renumbered in order of use). Stops at a fixpoint or when the
 * time budget is spent, keeping the best case found.
 */
export async function reduceCase<C extends Case>(
  start: C,
  stillFails: (c: C) => boolean | Promise<boolean>,
  budgetMs: number,
  options: { readonly toolFixed?: boolean } = {},
): Promise<{ readonly case: C; readonly steps: number }> {
  // A workflow invocation shrinks through its generator (fewer steps, connections, inputs,
  // invocations and elements); the domain edits below are edits of one tool execution.
  if (start.entry === 'workflow-invocation') return { case: start, steps: 0 };
  return (await reduceToolCase(start as ToolCase, stillFails as (c: ToolCase) => boolean | Promise<boolean>, budgetMs, options)) as { case: C; steps: number };
}

async function reduceToolCase(
  start: ToolCase,
  stillFails: (c: ToolCase) => boolean | Promise<boolean>,
  budgetMs: number,
  options: { readonly toolFixed?: boolean },
): Promise<{ readonly case: ToolCase; readonly steps: number }> {
  const deadline = performance.now() + budgetMs;
  let best = start;
  let bestSize = caseSize(best);
  let steps = 0;
  const accept = async (candidate: ToolCase, orEqual = false): Promise<boolean> => {
    const normalized = normalizeCase(candidate);
    const size = caseSize(normalized);
    const order = compareSizes(size, bestSize);
    if (order > 0 || (order === 0 && !orEqual) || !isValid(normalized) || !(await stillFails(normalized))) return false;
    best = normalized;
    bestSize = size;
    steps++;
    return true;
  };
  await accept(start, true);
  for (let improved = true; improved && performance.now() < deadline; ) {
    improved = false;
    for (const edit of caseEdits(best)) {
      if (options.toolFixed && edit.changesTool) continue;
      if (performance.now() >= deadline) break;
      const candidate = edit.apply(best);
      if (candidate !== null && (await accept(candidate))) {
        improved = true;
        break;
      }
    }
  }
  if (!options.toolFixed) {
    const renamed = canonicalNames(best);
    if (renamed !== null && isValid(renamed) && (await stillFails(renamed))) best = renamed;
  }
  return { case: best, steps };
}

/**
 * Names top-level dataset parameters `input1`, `input2`, ... in order, so
 * minimal cases read alike whichever path shrinking took. Null when there is
 * nothing to rename or an output filter could refer to a name.
 */
function canonicalNames(c: ToolCase): ToolCase | null {
  if (c.tool.outputs.some((o) => o.filter !== undefined) || c.entry === 'legacy') return null;
  const names = new Map<string, string>();
  let n = 0;
  for (const input of c.tool.inputs) if (input.type === 'data' || input.type === 'data_collection') names.set(input.name, `input${++n}`);
  if ([...names].every(([from, to]) => from === to)) return null;
  const taken = new Set(c.tool.inputs.filter((i) => !names.has(i.name)).map((i) => i.name));
  if ([...names.values()].some((to) => taken.has(to))) return null;
  const request: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(c.request)) request[names.get(key) ?? key] = value;
  return { ...c, tool: { ...c.tool, inputs: c.tool.inputs.map((i) => (names.has(i.name) ? { ...i, name: names.get(i.name)! } : i)) }, request };
}

function isValid(c: ToolCase): boolean {
  return parseCaseResult(c).ok;
}

const ENTRY_RANK: Readonly<Record<ToolCase['entry'], number>> = { 'tool-request': 0, legacy: 1, 'workflow-step': 2 };

/** Lexicographic size: entry point, parameters, collections, datasets, outputs, options, then text length. */
export function caseSize(c: Case): readonly number[] {
  if (c.entry === 'workflow-invocation') {
    const steps = Object.values(c.workflow.steps);
    const connections = steps.reduce((n, s) => n + Object.keys(s.input_connections ?? {}).length, 0);
    const elements = c.history.collections.reduce((n, x) => n + x.elements.length, 0);
    return [3, steps.length, connections, Object.keys(c.invocation.inputs).length, elements, c.history.datasets.length, JSON.stringify(c).length];
  }
  const countInputs = (inputs: readonly ToolInput[]): number =>
    inputs.reduce((n, i) => {
      if (i.type === 'section' || i.type === 'repeat') return n + 1 + countInputs(i.inputs);
      if (i.type === 'conditional') return n + 1 + Object.values(i.whens).reduce((m, w) => m + countInputs(w), 0);
      return n + 1;
    }, 0);
  const countElements = (x: NestedCollection): number => x.elements.reduce((n, e) => n + 1 + ('collection' in e ? countElements(e.collection) : 0), 0);
  const options =
    (c.step === undefined ? 0 : 1) +
    (c.rerun_remap_job_id === undefined ? 0 : 1) +
    (c.tool.tool_type === undefined ? 0 : 1) +
    countKeys(c, OPTION_KEYS);
  return [
    ENTRY_RANK[c.entry],
    countInputs(c.tool.inputs),
    c.history.collections.length,
    c.history.collections.reduce((n, x) => n + countElements(x), 0),
    c.history.datasets.length,
    c.tool.outputs.length,
    options,
    JSON.stringify(c).length,
  ];
}

/** Keys that switch on an option: a Batch's `linked`, a data input's `multiple`/`optional`, an output's `filter`, a reference's `map_over_type`. */
const OPTION_KEYS: ReadonlySet<string> = new Set(['linked', 'multiple', 'optional', 'filter', 'map_over_type']);

/** How many object keys anywhere in a value are in `keys`. */
function countKeys(value: unknown, keys: ReadonlySet<string>): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countKeys(v, keys), 0);
  if (!isJsonObject(value)) return 0;
  let n = 0;
  for (const [key, v] of Object.entries(value)) n += (keys.has(key) ? 1 : 0) + countKeys(v, keys);
  return n;
}

function compareSizes(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * Drops history items the request does not use and renumbers datasets and
 * collections in the order the request first uses them.
 */
export function normalizeCase(c: ToolCase): ToolCase {
  const collectionIds = new OrderedIds();
  const datasetIds = new OrderedIds();
  for (const ref of refsIn(c.request)) (ref.src === 'hda' ? datasetIds : collectionIds).note(ref.id);
  const collections = collectionIds.order.flatMap((id) => {
    const found = findCollection(c.history, id);
    return found === undefined ? [] : [found];
  });
  const scanElements = (x: NestedCollection): void => x.elements.forEach((e) => (isDatasetElement(e) ? datasetIds.note(e.dataset) : scanElements(e.collection)));
  collections.forEach(scanElements);
  const renumberElements = (x: NestedCollection): NestedCollection => ({
    collection_type: x.collection_type,
    elements: x.elements.map((e): CollectionElement => (isDatasetElement(e) ? { identifier: e.identifier, dataset: datasetIds.rank(e.dataset)! } : { identifier: e.identifier, collection: renumberElements(e.collection) })),
  });
  const renumbered = (ref: IdRef): JsonValue => ({ ...(ref as { readonly [key: string]: JsonValue }), id: (ref.src === 'hda' ? datasetIds : collectionIds).rank(ref.id) ?? ref.id });
  const request = mapJson(c.request as JsonValue, (v) => (isIdRef(v) ? renumbered(v) : undefined));
  return {
    ...c,
    history: {
      datasets: datasetIds.order.map((_, i) => ({ id: i + 1 })),
      collections: collections.map((x) => ({ id: collectionIds.rank(x.id)!, ...renumberElements(x) })),
    },
    request: request as ToolCase['request'],
  };
}

/** Ids in the order first noted; `rank` is the 1-based position. */
class OrderedIds {
  readonly order: number[] = [];
  readonly #rank = new Map<number, number>();
  note(id: number): void {
    if (this.#rank.has(id)) return;
    this.order.push(id);
    this.#rank.set(id, this.order.length);
  }
  rank(id: number): number | undefined {
    return this.#rank.get(id);
  }
}
