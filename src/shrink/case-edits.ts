import type { ToolCase, JsonValue } from '../model/case.js';
import { isDatasetElement, leafDatasets, type History, type HistoryCollection, type HistoryDataset, type NestedCollection } from '../model/history.js';
import { isJsonObject } from '../model/json-checks.js';
import { isIdRef, isRefObject, refsIn, resolveRef, toDataRef } from '../model/request-references.js';
import { activeWhenKey, nestLegacyKeys } from '../model/request-walk.js';
import type { ToolInput } from '../model/tool.js';
import { mapJson, withoutKeys } from './json-map.js';
import { parameterLevels, rewriteLevel, type Level, type LevelStep, type RequestObject } from './parameter-levels.js';

/**
 * Domain-level simplifications of a case, used after fast-check's shrinking
 * to reach the smallest case that still fails the same way (fast-check can
 * only shrink within the generator's structure; these edits cross it: a
 * collection parameter becomes a data parameter, a section is dissolved, an
 * entry point becomes the tool request API). Each edit is a function from a
 * case to a new case, or null when it does not apply; it never changes its
 * argument. Whether the result is valid and still fails is the caller's test.
 */

export type CaseEdit = {
  readonly label: string;
  /** Whether the edit changes the tool itself (not allowed when the tool is a real one, read from XML). */
  readonly changesTool?: boolean;
  apply(c: ToolCase): ToolCase | null;
};

/** All edits that could apply to a case, most reducing first. */
export function caseEdits(c: ToolCase): CaseEdit[] {
  return [...entryEdits(c), ...toolEdits(c), ...parameterLevels(c).flatMap(levelEdits), ...historyEdits(c)];
}

function entryEdits(c: ToolCase): CaseEdit[] {
  const edits: CaseEdit[] = [];
  if (c.entry !== 'tool-request') {
    edits.push({
      label: 'use the tool request API',
      apply: ({ step: _step, ...x }) => {
        const nested = (x.entry === 'legacy' ? nestLegacyKeys(x.tool.inputs, x.request) : x.request) as JsonValue;
        return { ...x, entry: 'tool-request', request: legacyBatchesToBatches(nested) as ToolCase['request'] };
      },
    });
  }
  if (c.entry === 'legacy') edits.push({ label: 'nest legacy keys', apply: (x) => ({ ...x, request: nestLegacyKeys(x.tool.inputs, x.request) as ToolCase['request'] }) });
  if (c.step !== undefined) edits.push({ label: 'schedule the step at once, validated', apply: ({ step: _s, ...rest }) => rest });
  if (c.rerun_remap_job_id !== undefined) edits.push({ label: 'drop rerun_remap_job_id', apply: ({ rerun_remap_job_id: _r, ...rest }) => rest });
  return edits;
}

function toolEdits(c: ToolCase): CaseEdit[] {
  const edits: CaseEdit[] = [];
  if (c.tool.tool_type !== undefined) edits.push({ label: 'a regular tool', changesTool: true, apply: (x) => ({ ...x, tool: withoutKeys(x.tool, ['tool_type']) }) });
  c.tool.outputs.forEach((o, i) => {
    edits.push({ label: `remove output ${o.name}`, changesTool: true, apply: (x) => ({ ...x, tool: { ...x.tool, outputs: x.tool.outputs.filter((_, j) => j !== i) } }) });
    if (o.filter !== undefined) {
      edits.push({
        label: `unfilter output ${o.name}`,
        changesTool: true,
        apply: (x) => ({ ...x, tool: { ...x.tool, outputs: x.tool.outputs.map((out, j) => (j === i ? withoutKeys(out, ['filter']) : out)) } }),
      });
    }
  });
  return edits;
}

/** An edit of one input of one level; `edit` sees the level as it is in the case the edit is applied to. */
function inputEdit(label: string, path: readonly LevelStep[], name: string, edit: (c: ToolCase, level: Level, input: ToolInput) => ToolCase | null, changesTool = false): CaseEdit {
  return {
    label,
    changesTool,
    apply(c) {
      const level = parameterLevels(c).find((l) => samePath(l.path, path));
      const input = level?.inputs.find((i) => i.name === name);
      return level === undefined || input === undefined ? null : edit(c, level, input);
    },
  };
}

function samePath(a: readonly LevelStep[], b: readonly LevelStep[]): boolean {
  return a.length === b.length && a.every((s, i) => s.kind === b[i]!.kind && s.name === b[i]!.name && (s.kind !== 'conditional' || (b[i] as typeof s).when === s.when));
}

/** Replaces the input named `name` of a level by `replacement` (several inputs, or none). */
function replaceInput(inputs: readonly ToolInput[], name: string, replacement: readonly ToolInput[]): ToolInput[] {
  return inputs.flatMap((i) => (i.name === name ? replacement : [i]));
}

/** Drops a parameter's value from every request object of a level. */
function omitEverywhere(c: ToolCase, level: Level, name: string): ToolCase {
  return rewriteLevel(c, level.path, { request: (r) => withoutKeys(r, [name]) });
}

/** Rewrites the value of `name` in the level's first request object (where the Batch and list edits look). */
function rewriteFirstValue(c: ToolCase, level: Level, name: string, rewrite: (value: JsonValue) => JsonValue): ToolCase {
  return rewriteLevel(c, level.path, { request: (r, index) => (index === 0 && r[name] !== undefined ? { ...r, [name]: rewrite(r[name]) } : r) });
}

/** A data parameter named `name`, replacing a collection parameter: each request value moves to `name`, rewritten. */
function becomeDataParameter(c: ToolCase, level: Level, input: ToolInput, rewrite: (value: JsonValue, history: HistoryGrowth) => JsonValue): ToolCase {
  const name = freeName(level, 'input');
  const history = new HistoryGrowth(c.history);
  const moved = rewriteLevel(c, level.path, {
    inputs: (inputs) => replaceInput(inputs, input.name, [{ name, type: 'data' }]),
    request: (r) => {
      const value = r[input.name];
      const rest = withoutKeys(r, [input.name]);
      return value === undefined ? rest : { ...rest, [name]: rewrite(value, history) };
    },
  });
  return { ...moved, history: history.history() };
}

function levelEdits(level: Level): CaseEdit[] {
  const edits: CaseEdit[] = [];
  const { path } = level;
  for (const input of level.inputs) {
    const { name } = input;
    const given = level.requests.some((r) => r[name] !== undefined);
    edits.push(
      inputEdit(`remove parameter ${name}`, path, name, (c, lv) => rewriteLevel(c, lv.path, { inputs: (inputs) => replaceInput(inputs, name, []), request: (r) => withoutKeys(r, [name]) }), true),
    );
    if (input.type === 'section' || input.type === 'conditional' || input.type === 'repeat') {
      edits.push(inputEdit(`dissolve ${input.type} ${name}`, path, name, dissolve, true));
    }
    if (input.type === 'data_collection') {
      edits.push(inputEdit(`make ${name} a data parameter`, path, name, (c, lv, inp) => becomeDataParameter(c, lv, inp, (v, h) => withoutMapOver(collectionRefsToDatasets(v, h))), true));
      edits.push(inputEdit(`map a data parameter over ${name}'s collections`, path, name, (c, lv, inp) => becomeDataParameter(c, lv, inp, (v) => withoutMapOverType(v)), true));
    }
    if (input.type === 'data' && (input.multiple === true || input.optional === true)) {
      edits.push(inputEdit(`make ${name} a plain data parameter`, path, name, (c, lv) => rewriteLevel(c, lv.path, { inputs: (inputs) => replaceInput(inputs, name, [{ name, type: 'data' }]) }), true));
    }
    if ((input.type === 'data' || input.type === 'data_collection') && input.optional === true && given) {
      edits.push(inputEdit(`omit optional ${name}`, path, name, (c, lv) => omitEverywhere(c, lv, name)));
    }
    if (input.type === 'data' || input.type === 'data_collection') edits.push(...valueEdits(level, input));
    const structural = input.type === 'section' || input.type === 'conditional' || input.type === 'repeat';
    if (!structural && input.type !== 'data' && input.type !== 'data_collection' && given) {
      edits.push(inputEdit(`default ${name}`, path, name, (c, lv) => omitEverywhere(c, lv, name)));
    }
  }
  return edits;
}

/** Edits of a dataset parameter's value in the level's first request object: Batch values and list items. */
function valueEdits(level: Level, input: ToolInput): CaseEdit[] {
  const { path } = level;
  const { name } = input;
  const value = level.requests[0]?.[name];
  const firstValue = (lv: Level): JsonValue | undefined => lv.requests[0]?.[name];
  const edits: CaseEdit[] = [];
  if (isJsonObject(value) && Array.isArray(value['values'])) {
    const batchOf = (lv: Level): { readonly [key: string]: JsonValue; readonly values: readonly JsonValue[] } | null => {
      const v = firstValue(lv);
      return isJsonObject(v) && Array.isArray(v['values']) ? (v as { readonly [key: string]: JsonValue; readonly values: readonly JsonValue[] }) : null;
    };
    (value['values'] as readonly JsonValue[]).forEach((_, vi) =>
      edits.push(
        inputEdit(`drop Batch value ${vi} of ${name}`, path, name, (c, lv) => {
          const batch = batchOf(lv);
          return batch === null ? null : rewriteFirstValue(c, lv, name, () => ({ ...batch, values: batch.values.filter((__, j) => j !== vi) }));
        }),
      ),
    );
    if ('linked' in value) {
      edits.push(
        inputEdit(`drop linked of ${name}`, path, name, (c, lv) => {
          const v = firstValue(lv);
          return isJsonObject(v) ? rewriteFirstValue(c, lv, name, () => withoutKeys(v as RequestObject, ['linked'])) : null;
        }),
      );
    }
    edits.push(
      inputEdit(`batch the datasets of ${name}'s collection`, path, name, (c, lv, inp) => {
        const batch = batchOf(lv);
        const only = batch?.values.length === 1 ? batch.values[0] : undefined;
        if (inp.type !== 'data' || batch === null || !isJsonObject(only) || (only['src'] !== 'hdca' && only['src'] !== 'dce')) return null;
        const resolved = resolveRef(c.history, toDataRef(only));
        if (resolved.kind !== 'collection') return null;
        return rewriteFirstValue(c, lv, name, () => ({ ...batch, values: leafDatasets(resolved.collection).map((id) => ({ src: 'hda', id })) }));
      }),
    );
    edits.push(
      inputEdit(`map ${name} over datasets only`, path, name, (c, lv, inp) => {
        const v = firstValue(lv);
        if (inp.type !== 'data' || !isJsonObject(v) || !refsIn(v).some((r) => r.src !== 'hda')) return null;
        const history = new HistoryGrowth(c.history);
        const rewritten = rewriteFirstValue(c, lv, name, (x) => withoutMapOver(collectionRefsToDatasets(x, history)));
        return { ...rewritten, history: history.history() };
      }),
    );
  }
  if (Array.isArray(value)) {
    (value as readonly JsonValue[]).forEach((_, vi) =>
      edits.push(
        inputEdit(`drop list item ${vi} of ${name}`, path, name, (c, lv) => {
          const v = firstValue(lv);
          return Array.isArray(v) ? rewriteFirstValue(c, lv, name, () => (v as readonly JsonValue[]).filter((__, j) => j !== vi)) : null;
        }),
      ),
    );
  }
  return edits;
}

/** Replaces a section, conditional (its active branch) or single-instance repeat by the inputs inside it, lifting their values. */
function dissolve(c: ToolCase, level: Level, input: ToolInput): ToolCase | null {
  let innerInputs: readonly ToolInput[];
  let innerValue: (r: RequestObject) => JsonValue | undefined;
  if (input.type === 'section') {
    innerInputs = input.inputs;
    innerValue = (r) => r[input.name];
  } else if (input.type === 'conditional') {
    const first = level.requests[0]?.[input.name];
    innerInputs = input.whens[activeWhenKey(input, isJsonObject(first) ? first : {}) ?? ''] ?? [];
    innerValue = (r) => r[input.name];
  } else if (input.type === 'repeat') {
    if (level.requests.some((r) => { const v = r[input.name]; return Array.isArray(v) && v.length > 1; })) return null;
    innerInputs = input.inputs;
    innerValue = (r) => { const v = r[input.name]; return Array.isArray(v) ? (v as readonly JsonValue[])[0] : undefined; };
  } else return null;
  const others = new Set(level.inputs.filter((i) => i !== input).map((i) => i.name));
  if (innerInputs.some((i) => others.has(i.name))) return null;
  return rewriteLevel(c, level.path, {
    inputs: (inputs) => replaceInput(inputs, input.name, innerInputs),
    request: (r) => {
      const inner = innerValue(r);
      const lifted: Record<string, JsonValue> = { ...withoutKeys(r, [input.name]) };
      if (isJsonObject(inner)) for (const i of innerInputs) if (inner[i.name] !== undefined) lifted[i.name] = inner[i.name] as JsonValue;
      return lifted;
    },
  });
}

function historyEdits(c: ToolCase): CaseEdit[] {
  const edits: CaseEdit[] = [];
  const withCollection = (x: ToolCase, ci: number, collection: HistoryCollection): ToolCase => ({
    ...x,
    history: { ...x.history, collections: x.history.collections.map((other, j) => (j === ci ? collection : other)) },
  });
  c.history.collections.forEach((collection, ci) => {
    const addressedByElement = refsIn(c.request).some((r) => r.src === 'dce' && r.id === collection.id);
    if (collection.collection_type.includes(':') && !addressedByElement) {
      edits.push({
        label: `flatten collection ${collection.id} to a list of its datasets`,
        apply(x) {
          const target = x.history.collections[ci];
          if (target === undefined) return null;
          const flat = { ...target, collection_type: 'list', elements: leafDatasets(target).map((dataset, i) => ({ identifier: `e${i}`, dataset })) };
          return { ...withCollection(x, ci, flat), request: withoutMapOverOf(x.request as JsonValue, target.id) as ToolCase['request'] };
        },
      });
    }
    if (collection.elements.length === 0 && collection.collection_type !== 'list') {
      edits.push({
        label: `make empty collection ${collection.id} a list`,
        apply: (x) => {
          const target = x.history.collections[ci];
          return target === undefined ? null : withCollection(x, ci, { ...target, collection_type: 'list' });
        },
      });
    }
    for (const path of elementPaths(collection)) {
      edits.push({
        label: `remove element ${path.join('/')} of collection ${collection.id}`,
        apply(x) {
          const target = x.history.collections[ci];
          const smaller = target === undefined ? null : withoutElement(target, path);
          return smaller === null ? null : withCollection(x, ci, smaller);
        },
      });
    }
  });
  return edits;
}

/** New datasets added to a history while a value is rewritten, numbered after its largest id. */
class HistoryGrowth {
  readonly #base: History;
  readonly #added: HistoryDataset[] = [];
  #next: number;
  constructor(base: History) {
    this.#base = base;
    this.#next = base.datasets.reduce((max, d) => Math.max(max, d.id), 0) + 1;
  }
  add(): number {
    const id = this.#next++;
    this.#added.push({ id });
    return id;
  }
  history(): History {
    return this.#added.length === 0 ? this.#base : { ...this.#base, datasets: [...this.#base.datasets, ...this.#added] };
  }
}

/** Replaces every collection reference inside a value by a reference to a new dataset. */
function collectionRefsToDatasets(value: JsonValue, history: HistoryGrowth): JsonValue {
  return mapJson(value, (v) => (isRefObject(v) ? (v['src'] === 'hda' ? v : { src: 'hda', id: history.add() }) : undefined));
}

/** References without `map_over_type` and `element_path`. */
function withoutMapOver(value: JsonValue): JsonValue {
  return mapJson(value, (v) => (isRefObject(v) ? withoutKeys(v as RequestObject, ['map_over_type', 'element_path']) : undefined));
}

/** References without `map_over_type`: a data parameter maps over the collections themselves. */
function withoutMapOverType(value: JsonValue): JsonValue {
  return mapJson(value, (v) => (isRefObject(v) ? withoutKeys(v as RequestObject, ['map_over_type']) : undefined));
}

/** References to collection `id` without `map_over_type`. */
function withoutMapOverOf(value: JsonValue, id: number): JsonValue {
  return mapJson(value, (v) => (isIdRef(v) && (v.src === 'hdca' || v.src === 'dce') && v.id === id ? withoutKeys(v as RequestObject, ['map_over_type']) : undefined));
}

/** The legacy API's `{"batch": true, "values": [...]}` as the tool request API's Batch; `batch: false` is the bare values. */
function legacyBatchesToBatches(value: JsonValue): JsonValue {
  return mapJson(value, (v) => {
    if (!isJsonObject(v) || !('values' in v) || !('batch' in v)) return undefined;
    const rebuilt: Record<string, JsonValue> = {};
    for (const [key, inner] of Object.entries(v)) if (key !== 'batch') rebuilt[key] = legacyBatchesToBatches(inner as JsonValue);
    return v['batch'] === true ? { ...rebuilt, __class__: 'Batch' } : (rebuilt['values'] as JsonValue);
  });
}

/** The first `<prefix><n>` no input of the level uses. */
function freeName(level: Level, prefix: string): string {
  for (let n = 1; ; n++) if (!level.inputs.some((i) => i.name === `${prefix}${n}`)) return `${prefix}${n}`;
}

/** Paths of the removable elements: every element, except the halves of a pair. */
function elementPaths(collection: NestedCollection, prefix: readonly string[] = []): string[][] {
  if (collection.collection_type.startsWith('paired')) {
    return collection.elements.flatMap((e) => (isDatasetElement(e) ? [] : elementPaths(e.collection, [...prefix, e.identifier])));
  }
  return collection.elements.flatMap((e) => [[...prefix, e.identifier], ...(isDatasetElement(e) ? [] : elementPaths(e.collection, [...prefix, e.identifier]))]);
}

function withoutElement<T extends NestedCollection>(collection: T, path: readonly string[]): T | null {
  const [head, ...rest] = path;
  const index = collection.elements.findIndex((e) => e.identifier === head);
  const element = collection.elements[index];
  if (element === undefined) return null;
  if (rest.length === 0) return { ...collection, elements: collection.elements.filter((_, i) => i !== index) };
  if (isDatasetElement(element)) return null;
  const inner = withoutElement(element.collection, rest);
  return inner === null ? null : { ...collection, elements: collection.elements.map((e, i) => (i === index ? { ...element, collection: inner } : e)) };
}
