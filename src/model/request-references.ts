import type { ToolCase, JsonValue } from './case.js';
import { isValidMapOverType } from './collection-types.js';
import type { CollectionElement, History, HistoryCollection, NestedCollection } from './history.js';
import { describeJson, fail, isJsonObject, type JsonObject } from './json-checks.js';
import { walkRequest } from './request-walk.js';

/**
 * Dataset and collection references in a request (`{"src": ..., "id": ...}`)
 * and how they resolve against the history fixture.
 */

export type RefSource = 'hda' | 'hdca' | 'dce';
export const REF_SOURCES: readonly RefSource[] = ['hda', 'hdca', 'dce'];

export interface DataRef {
  readonly src: RefSource;
  readonly id: number;
  readonly map_over_type?: string;
  readonly element_path?: readonly string[];
}

/** What a reference points at once resolved in the history. */
export type ResolvedRef =
  | { readonly kind: 'dataset'; readonly datasetId: number; readonly ref: DataRef }
  | { readonly kind: 'collection'; readonly collection: NestedCollection; readonly ref: DataRef };

export function isRefObject(value: unknown): value is JsonObject & { src: unknown } {
  return isJsonObject(value) && 'src' in value;
}

/** A reference-shaped object naming its target by a string `src` and a numeric `id` (checked or not). */
export type IdRef = JsonObject & { readonly src: string; readonly id: number };

export function isIdRef(value: unknown): value is IdRef {
  return isJsonObject(value) && typeof value['src'] === 'string' && typeof value['id'] === 'number';
}

/** Every reference in a request value, in document order (inside Batches, lists, sections, conditionals and repeats). */
export function refsIn(value: unknown): IdRef[] {
  const out: IdRef[] = [];
  const scan = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(scan);
    else if (isIdRef(v)) out.push(v);
    else if (isJsonObject(v)) Object.values(v).forEach(scan);
  };
  scan(value);
  return out;
}

export function isBatchObject(value: unknown): value is JsonObject & { values: unknown } {
  return isJsonObject(value) && 'values' in value;
}

/** Resolves a checked reference; callers only pass references that passed `checkRequestReferences`. */
export function resolveRef(history: History, ref: DataRef): ResolvedRef {
  if (ref.src === 'hda') return { kind: 'dataset', datasetId: ref.id, ref };
  const collection = findCollection(history, ref.id);
  if (collection === undefined) throw new Error(`unchecked reference to collection ${ref.id}`);
  if (ref.src === 'hdca') return { kind: 'collection', collection, ref };
  let current: NestedCollection = collection;
  const pathSegments = ref.element_path ?? [];
  for (let i = 0; i < pathSegments.length; i++) {
    const element = findElement(current, pathSegments[i]!);
    if (element === undefined) throw new Error(`unchecked element path ${pathSegments.join('/')}`);
    if ('dataset' in element) {
      if (i !== pathSegments.length - 1) throw new Error(`unchecked element path ${pathSegments.join('/')}`);
      return { kind: 'dataset', datasetId: element.dataset, ref };
    }
    current = element.collection;
  }
  return { kind: 'collection', collection: current, ref };
}

interface HistoryIndex {
  readonly datasets: ReadonlySet<number>;
  readonly collections: ReadonlyMap<number, HistoryCollection>;
}

const historyIndexes = new WeakMap<History, HistoryIndex>();

/** The history's ids, indexed once per (immutable) history, so that resolving n references costs O(n), not O(n × history). */
function historyIndex(history: History): HistoryIndex {
  let index = historyIndexes.get(history);
  if (index === undefined) {
    const collections = new Map<number, HistoryCollection>();
    for (const c of history.collections) if (!collections.has(c.id)) collections.set(c.id, c);
    index = { datasets: new Set(history.datasets.map((d) => d.id)), collections };
    historyIndexes.set(history, index);
  }
  return index;
}

const elementIndexes = new WeakMap<NestedCollection, ReadonlyMap<string, CollectionElement>>();

/** A collection's element by identifier (the first, as a linear search would find it), indexed once per collection. */
export function findElement(collection: NestedCollection, identifier: string): CollectionElement | undefined {
  let index = elementIndexes.get(collection);
  if (index === undefined) {
    const byIdentifier = new Map<string, CollectionElement>();
    for (const e of collection.elements) if (!byIdentifier.has(e.identifier)) byIdentifier.set(e.identifier, e);
    index = byIdentifier;
    elementIndexes.set(collection, index);
  }
  return index.get(identifier);
}

export function findCollection(history: History, id: number): HistoryCollection | undefined {
  return historyIndex(history).collections.get(id);
}

/**
 * Checks that a case's request only names the tool's parameters and only
 * references datasets and collections of its history, with known `src` values.
 * Throws InvalidInputError (exit code 2) naming the place.
 */
export function checkRequestReferences(c: ToolCase, path: string): void {
  const walked = walkRequest(c.tool.inputs, c.request, c.entry, path);
  const malformed = walked.problems.find((p) => p.severity === 'malformed');
  if (malformed) fail(malformed.path, malformed.message);
  scanValue(c.request, path, c.history);
}

function scanValue(value: JsonValue | unknown, path: string, history: History): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => scanValue(v, `${path}[${i}]`, history));
    return;
  }
  if (!isJsonObject(value)) return;
  if (isRefObject(value)) {
    checkRef(value, path, history);
    return;
  }
  if (isBatchObject(value)) {
    checkBatch(value, path);
  }
  for (const [key, v] of Object.entries(value)) scanValue(v, `${path}.${key}`, history);
}

function checkBatch(value: JsonObject, path: string): void {
  if (!Array.isArray(value['values'])) fail(`${path}.values`, `a Batch's values is an array, got ${describeJson(value['values'])}`);
  if (value['__class__'] !== undefined && value['__class__'] !== 'Batch') fail(`${path}.__class__`, `expected "Batch", got ${describeJson(value['__class__'])}`);
  if (value['linked'] !== undefined && value['linked'] !== null && typeof value['linked'] !== 'boolean') {
    fail(`${path}.linked`, `expected true, false or null, got ${describeJson(value['linked'])}`);
  }
  if (value['batch'] !== undefined && typeof value['batch'] !== 'boolean') fail(`${path}.batch`, `expected true or false, got ${describeJson(value['batch'])}`);
  for (const key of Object.keys(value)) {
    if (!['__class__', 'values', 'linked', 'batch'].includes(key)) fail(path, `unknown Batch field "${key}"`);
  }
}

function checkRef(value: JsonObject, path: string, history: History): void {
  const src = value['src'];
  if (src === 'url') fail(`${path}.src`, 'src "url" is dereferenced into a new dataset only by the tool request API (entry "tool-request"); the legacy API and workflow steps refuse it');
  if (src === 'ldda') fail(`${path}.src`, `src "${src}" is valid in Galaxy but not modelled by cardfuzz (use hda, hdca or dce)`);
  if (typeof src !== 'string' || !(REF_SOURCES as readonly string[]).includes(src)) {
    fail(`${path}.src`, `unknown src ${describeJson(src)} (expected hda, hdca or dce)`);
  }
  for (const key of Object.keys(value)) {
    if (!['src', 'id', 'map_over_type', 'element_path'].includes(key)) fail(path, `unknown reference field "${key}"`);
  }
  const id = value['id'];
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) fail(`${path}.id`, `expected an integer id, got ${describeJson(id)}`);
  const mapOver = value['map_over_type'];
  if (mapOver !== undefined && mapOver !== null && (typeof mapOver !== 'string' || !isValidMapOverType(mapOver))) {
    fail(`${path}.map_over_type`, `${describeJson(mapOver)} is not a collection type (or "single_datasets")`);
  }
  if (src === 'hda') {
    if (mapOver !== undefined && mapOver !== null) fail(`${path}.map_over_type`, 'a dataset cannot be mapped over');
    if (value['element_path'] !== undefined) fail(`${path}.element_path`, 'only a dce reference has an element_path');
    if (!historyIndex(history).datasets.has(id)) fail(`${path}.id`, `hda ${id} is not in the history`);
    return;
  }
  const collection = findCollection(history, id);
  if (collection === undefined) fail(`${path}.id`, `collection ${id} is not in the history`);
  if (src === 'hdca') {
    if (value['element_path'] !== undefined) fail(`${path}.element_path`, 'only a dce reference has an element_path');
    return;
  }
  const elementPath = value['element_path'];
  if (!Array.isArray(elementPath) || elementPath.length === 0 || !elementPath.every((s) => typeof s === 'string')) {
    fail(`${path}.element_path`, 'a dce reference names its element by a non-empty array of identifiers');
  }
  let current: NestedCollection = collection;
  elementPath.forEach((identifier: string, i: number) => {
    const element = findElement(current, identifier);
    if (element === undefined) fail(`${path}.element_path[${i}]`, `no element "${identifier}" in collection ${id} at that depth`);
    if ('dataset' in element) {
      if (i !== elementPath.length - 1) fail(`${path}.element_path[${i}]`, `"${identifier}" is a dataset element; the path cannot go deeper`);
      return;
    }
    current = element.collection;
  });
}

/** Reads a checked reference object into a DataRef. */
export function toDataRef(value: JsonObject): DataRef {
  const ref: { -readonly [K in keyof DataRef]: DataRef[K] } = { src: value['src'] as RefSource, id: value['id'] as number };
  if (typeof value['map_over_type'] === 'string') ref.map_over_type = value['map_over_type'];
  if (Array.isArray(value['element_path'])) ref.element_path = value['element_path'] as string[];
  return ref;
}
