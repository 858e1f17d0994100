import type { ToolCase, JsonValue } from '../model/case.js';
import { acceptsAnyOf, canMapOver, effectiveSubcollectionType, SINGLE_DATASETS } from '../model/collection-types.js';
import { isJsonObject, type JsonObject } from '../model/json-checks.js';
import { findCollection, isBatchObject, isRefObject, resolveRef, toDataRef } from '../model/request-references.js';
import { readBoolean, walkRequest, type RequestLeaf } from '../model/request-walk.js';
import { collectionTypeAlternatives, type ScalarInput } from '../model/tool.js';
import { checkJobInputValues } from './job-input-values.js';
import type {
  CollectionValue,
  DatasetValue,
  ExpandedParam,
  Expansion,
  ExpansionSettings,
  GalaxyError,
  MapOver,
  MappedCollection,
  ParamValue,
} from './expansion.js';
import { firstMisalignment } from './pairing.js';
import { leafCount, mappedUnits, multiplyShapes, shapeOf, shapesMatch } from './shape.js';

/**
 * Expands a case's request into parameter combinations the way Galaxy does:
 * the meta-value classifier (single / matched / multiplied), expansion of a
 * single-valued Batch over an hdca or dce into its mapped units, linked (zip)
 * and unlinked (product) combination building, and collection matching.
 * Pure; never throws for Galaxy-level problems, which come back as errors.
 */
export function expandCase(c: ToolCase, settings: ExpansionSettings): Expansion {
  const walked = walkRequest(c.tool.inputs, c.request, c.entry);
  const problem = walked.problems[0];
  if (problem) return failure([], 'request', 'RequestParameterInvalidException', `${problem.path}: ${problem.message}`);

  const params: ExpandedParam[] = [];
  const values: ParamValue[][] = [];
  for (const leaf of walked.leaves) {
    const classified = classifyLeaf(c, leaf, settings);
    if ('error' in classified) return { ok: false, params, error: classified.error };
    params.push(classified.param);
    values.push(classified.values);
  }

  const entryError = checkEntryRules(c, params);
  if (entryError) return { ok: false, params, error: entryError };

  const combos = buildCombinations(params, values);
  if ('error' in combos) return { ok: false, params, error: combos.error };

  const mapOver = matchCollections(params);
  if (mapOver !== null && 'error' in mapOver) return { ok: false, params, error: mapOver.error };

  const count = combos.combinations.length;
  if (c.tool.tool_type === 'data_source' && (c.entry === 'tool-request' || count > 1)) {
    return failure(params, 'expansion', 'RequestParameterInvalidException', c.entry === 'tool-request' ? 'data source tools cannot be run through the tool request API' : 'a data source tool cannot be batched');
  }
  if (c.rerun_remap_job_id !== undefined && count > 1) {
    return failure(params, 'expansion', 'RequestParameterInvalidException', `${count} jobs cannot rerun and remap job ${c.rerun_remap_job_id}; only one combination may replace it`);
  }
  if (mapOver !== null && settings.unlinkedMapOverBatch === 'reject' && count !== mapOver.leafCount) {
    return failure(params, 'expansion', 'RequestParameterInvalidException', `${count} parameter combinations do not fit a map-over of ${mapOver.leafCount} elements`);
  }
  if (mapOver !== null && settings.unlinkedMapOverBatch === 'reject') {
    // The same zip pairs combination i with leaf i; a fixed Galaxy refuses a map-over whose combinations are ordered unlike its structure.
    const misaligned = firstMisalignment({ ok: true, params, template: [], combinations: combos.combinations, mapOver });
    if (misaligned !== null) {
      return failure(params, 'expansion', 'RequestParameterInvalidException', `parameter combination ${misaligned.index} runs on ${misaligned.key} element ${misaligned.ran.join('/')} but would fill output element ${misaligned.leaf.join('/')}`);
    }
  }
  const invalid = validateCombinationValues(params, combos.combinations);
  if (invalid) return { ok: false, params, error: invalid };
  const unusable = checkJobInputValues(c.history, params, combos.combinations);
  if (unusable) return { ok: false, params, error: unusable };
  const template = params.map((p, i) => (p.classification === 'single' ? values[i]![0]! : null));
  return { ok: true, params, template, combinations: combos.combinations, mapOver };
}

function failure(params: readonly ExpandedParam[], stage: GalaxyError['stage'], kind: GalaxyError['kind'], message: string): Expansion {
  return { ok: false, params, error: { stage, kind, message } };
}

type Classified = { readonly param: ExpandedParam; readonly values: ParamValue[] } | { readonly error: GalaxyError };

function requestError(leaf: RequestLeaf, message: string): Classified {
  return { error: { stage: 'request', kind: 'RequestParameterInvalidException', message: `${leaf.path}: ${message}` } };
}

function classifyLeaf(c: ToolCase, leaf: RequestLeaf, settings: ExpansionSettings): Classified {
  const raw = leaf.value;
  // Explicit literals rather than spreads: this runs for every parameter of every case.
  const param = (classification: ExpandedParam['classification'], batchLength: number | null, mapOver: MappedCollection | null, batchValues: number | null): ExpandedParam => ({
    key: leaf.key,
    input: leaf.input,
    classification,
    batchLength,
    mapOver,
    batchValues,
    undeclared: leaf.undeclared === true,
  });
  const isDataParam = leaf.input.type === 'data' || leaf.input.type === 'data_collection';
  if (isBatchObject(raw)) {
    const isBatch = c.entry === 'legacy' ? raw['batch'] === true : true;
    const batchValues = raw['values'] as readonly JsonValue[];
    if (!isBatch) {
      // Legacy: a dict with "values" but no batch flag is one value, replaced by the list.
      const single = readSingleValue(c, leaf, batchValues as JsonValue);
      return 'error' in single ? single : { param: param('single', null, null, null), values: [single.value] };
    }
    if (c.entry === 'tool-request' && !isDataParam) return requestError(leaf, 'the tool request API batches only data and collection parameters');
    const linkedRaw = raw['linked'];
    const linked = linkedRaw === undefined ? true : linkedRaw === null ? settings.linkedNull === 'linked' : linkedRaw === true;
    const classification = linked ? 'matched' : 'multiplied';
    const only = batchValues.length === 1 ? batchValues[0] : undefined;
    if (isDataParam && isRefObject(only) && (only['src'] === 'hdca' || only['src'] === 'dce')) {
      const expanded = expandCollectionParameter(c, leaf, only, linked);
      if ('error' in expanded) return expanded;
      return { param: param(classification, expanded.values.length, expanded.mapped, 1), values: expanded.values };
    }
    const out: ParamValue[] = [];
    for (let i = 0; i < batchValues.length; i++) {
      const v = batchValues[i];
      const value = leaf.undeclared ? (readRefValue(c, v) ?? { kind: 'scalar', value: JSON.stringify(v ?? null) }) : isDataParam ? readRefValue(c, v) : readScalarValue(leaf.input as ScalarInput, v);
      if (value === undefined) return requestError(leaf, `Batch value ${i} is not a valid ${leaf.input.type} value`);
      out.push(value);
    }
    return { param: param(classification, out.length, null, out.length), values: out };
  }
  const single = readSingleValue(c, leaf, raw);
  if ('error' in single) return single;
  return { param: param('single', null, null, null), values: [single.value] };
}

/** A Batch of exactly one hdca or dce: the collection's mapped units become the values (`__expand_collection_parameter`). */
function expandCollectionParameter(c: ToolCase, leaf: RequestLeaf, refObject: JsonObject, linked: boolean): { values: ParamValue[]; mapped: MappedCollection } | { error: GalaxyError } {
  const ref = toDataRef(refObject);
  const resolved = resolveRef(c.history, ref);
  if (resolved.kind === 'dataset') {
    return { error: { stage: 'expansion', kind: 'ToolMetaParameterException', message: `DCE ${ref.id}/${(ref.element_path ?? []).join('/')} does not contain a child collection` } };
  }
  const collection = resolved.collection;
  // meta.py __expand_collection_parameter: "An input collection is not populated."
  const hdca = ref.src === 'hdca' ? findCollection(c.history, ref.id) : undefined;
  if (hdca?.populated_state !== undefined && hdca.populated_state !== 'ok') {
    return { error: { stage: 'expansion', kind: 'ToolInputsNotReadyException', message: 'An input collection is not populated.' } };
  }
  let split: string | undefined;
  // A workflow connection names no map_over_type: the step maps a collection parameter over the
  // subcollections of the highest-dimension alternative the connected collection holds
  // (workflow/modules.py _find_collections_to_match → history_query.py HistoryQuery.can_map_over).
  const mapOverType =
    ref.map_over_type ?? (c.entry === 'workflow-step' && leaf.input.type === 'data_collection' ? canMapOver(collectionTypeAlternatives(leaf.input), collection.collection_type) : undefined);
  if (mapOverType !== undefined) {
    split = effectiveSubcollectionType(collection.collection_type, mapOverType);
    if (split === undefined) {
      return { error: { stage: 'expansion', kind: 'CollectionMatchingException', message: `Cannot split collection in desired fashion: a ${collection.collection_type} has no ${mapOverType} subcollections` } };
    }
  }
  // single_datasets (or paired_or_unpaired over a collection without pairs): every dataset, each promoted to a one-element paired_or_unpaired collection.
  const promote = split === SINGLE_DATASETS;
  const subcollectionType = promote ? undefined : split;
  const basePath = ref.src === 'dce' ? (ref.element_path ?? []) : [];
  const values: ParamValue[] = mappedUnits(collection, subcollectionType).map((unit) => {
    const elementPath = [...basePath, ...unit.elementPath];
    if (unit.kind === 'dataset' && promote) {
      return { kind: 'collection', hdcaId: ref.id, elementPath, collection: { collection_type: 'paired_or_unpaired', elements: [{ identifier: 'unpaired', dataset: unit.datasetId }] } };
    }
    return unit.kind === 'dataset'
      ? { kind: 'dataset', datasetId: unit.datasetId, element: { hdcaId: ref.id, elementPath } }
      : { kind: 'collection', hdcaId: ref.id, elementPath, collection: unit.collection };
  });
  return {
    values,
    mapped: {
      key: leaf.key,
      source: { hdcaId: ref.id, elementPath: basePath },
      collectionType: collection.collection_type,
      subcollectionType: split ?? null,
      linked,
      shape: shapeOf(collection, subcollectionType),
    },
  };
}

function readRefValue(c: ToolCase, raw: JsonValue | undefined): DatasetValue | CollectionValue | undefined {
  if (!isRefObject(raw)) return undefined;
  const ref = toDataRef(raw);
  const resolved = resolveRef(c.history, ref);
  if (resolved.kind === 'dataset') {
    return ref.src === 'dce' ? { kind: 'dataset', datasetId: resolved.datasetId, element: { hdcaId: ref.id, elementPath: ref.element_path ?? [] } } : { kind: 'dataset', datasetId: resolved.datasetId };
  }
  return { kind: 'collection', hdcaId: ref.id, elementPath: ref.src === 'dce' ? (ref.element_path ?? []) : [], collection: resolved.collection };
}

function readScalarValue(input: ScalarInput, raw: JsonValue | undefined): ParamValue | undefined {
  if (raw === undefined || raw === null) return input.value === undefined ? { kind: 'none' } : { kind: 'scalar', value: input.value };
  switch (input.type) {
    case 'text':
      return typeof raw === 'string' ? { kind: 'scalar', value: raw } : undefined;
    case 'integer':
      return typeof raw === 'number' && Number.isSafeInteger(raw) ? { kind: 'scalar', value: raw } : undefined;
    case 'float':
      return typeof raw === 'number' && Number.isFinite(raw) ? { kind: 'scalar', value: raw } : undefined;
    case 'boolean': {
      // basic.py BooleanToolParameter.to_python: string_as_bool.
      const value = readBoolean(raw);
      return value === undefined ? undefined : { kind: 'scalar', value };
    }
    case 'select': {
      // A multiple select takes a list (Galaxy joins it with commas); a dynamic one any string.
      const items = Array.isArray(raw) && input.multiple ? raw : [raw];
      if (!items.every((v) => typeof v === 'string' && (input.dynamic === true || input.options.includes(v)))) return undefined;
      return { kind: 'scalar', value: (items as string[]).join(',') };
    }
    case 'drill_down': {
      const items = Array.isArray(raw) && input.multiple ? raw : [raw];
      if (!items.every((v) => typeof v === 'string' && (input.options.length === 0 || input.options.includes(v)))) return undefined;
      return { kind: 'scalar', value: (items as string[]).join(',') };
    }
    case 'hidden':
    case 'color':
      return typeof raw === 'string' || typeof raw === 'number' ? { kind: 'scalar', value: String(raw) } : undefined;
    case 'baseurl':
      // basic.py BaseURLToolParameter.from_json ignores what is sent.
      return { kind: 'scalar', value: input.value };
    case 'data_column':
    case 'genomebuild':
    case 'group_tag': {
      const items = Array.isArray(raw) ? raw : [raw];
      if (!items.every((v) => typeof v === 'string' || typeof v === 'number')) return undefined;
      return { kind: 'scalar', value: items.map(String).join(',') };
    }
  }
}

const COLLECTION_REDUCE = '__collection_reduce__|';

/** A parameter's value outside a Batch, checked as the API's request model checks it (a mismatch is a 400). */
function readSingleValue(c: ToolCase, leaf: RequestLeaf, raw: JsonValue | undefined): { value: ParamValue } | { error: GalaxyError } {
  const input = leaf.input;
  const reject = (message: string) => ({ error: { stage: 'request' as const, kind: 'RequestParameterInvalidException' as const, message: `${leaf.path}: ${message}` } });
  if (input.type !== 'data' && input.type !== 'data_collection') {
    // basic.py SelectToolParameter: a required single select given null, or with no option to default to, is "an invalid option".
    if (input.type === 'select' && input.optional !== true && input.multiple !== true && (raw === null || (raw === undefined && input.options.length === 0 && input.value === ''))) {
      return reject(`parameter '${input.name}': an invalid option (${raw === null ? 'null' : 'nothing'}) was selected`);
    }
    // DrillDownSelectToolParameter and a multiple ColumnListParameter have no default to fall back on.
    const noDefault = (input.type === 'drill_down' && input.value === undefined) || (input.type === 'data_column' && input.value === '');
    if (noDefault && input.optional !== true && (raw === undefined || raw === null)) {
      return reject(`Parameter '${input.name}': an invalid option (nothing) was selected`);
    }
    const value = readScalarValue(input, raw);
    return value === undefined ? reject(`not a valid ${input.type} value`) : { value };
  }
  if (raw === undefined || raw === null) {
    return input.optional ? { value: { kind: 'none' } } : reject(`parameter "${leaf.key}" requires a value`);
  }
  if (Array.isArray(raw) && c.entry === 'legacy' && !(input.type === 'data' && input.multiple)) {
    // Legacy API: a list (or {"values": [...]} without "batch") reaches from_json as is. basic.py
    // DataCollectionToolParameter.from_json takes its first element; DataToolParameter.from_json takes a
    // single one and refuses more: "more than one dataset supplied to single input dataset parameter".
    if (raw.length === 0) return input.optional ? { value: { kind: 'none' } } : reject(`parameter "${leaf.key}" requires a value`);
    if (input.type === 'data' && raw.length > 1) return reject(`Parameter '${input.name}': more than one dataset supplied to single input dataset parameter`);
    return readSingleValue(c, leaf, raw[0]);
  }
  if (Array.isArray(raw)) {
    if (input.type !== 'data' || !input.multiple) return reject('only a multiple="true" data parameter takes a list');
    const items: (DatasetValue | CollectionValue)[] = [];
    for (const item of raw) {
      const value = readRefValue(c, item);
      if (value === undefined) return reject('a list of datasets holds only {"src": ...} references');
      items.push(value);
    }
    if (items.length === 0 && !input.optional) return reject(`parameter "${leaf.key}" requires a value`);
    // basic.py DataToolParameter.from_json: hdca values in a multiple data list exclude any other kind.
    const isHdca = (i: DatasetValue | CollectionValue): boolean => i.kind === 'collection' && i.elementPath.length === 0;
    if (items.some(isHdca) && !items.every(isHdca)) {
      return { error: { stage: 'expansion', kind: 'ParameterValueError', message: `Parameter '${input.name}': if collections are supplied to multiple data input parameter, only collections may be used` } };
    }
    return { value: { kind: 'list', items } };
  }
  if (c.entry === 'legacy' && input.type === 'data' && typeof raw === 'string' && raw.startsWith(COLLECTION_REDUCE)) {
    // basic.py DataToolParameter.from_json: "__collection_reduce__|<id>,__collection_reduce__|<id>" names collections to reduce.
    const items: CollectionValue[] = [];
    for (const part of raw.split(',')) {
      const id = Number(part.trim().slice(COLLECTION_REDUCE.length));
      const collection = part.trim().startsWith(COLLECTION_REDUCE) && Number.isSafeInteger(id) ? findCollection(c.history, id) : undefined;
      if (collection === undefined) return reject(`${JSON.stringify(part)} names no collection of the history`);
      items.push({ kind: 'collection', hdcaId: id, elementPath: [], collection });
    }
    const reduced: ParamValue = input.multiple ? { kind: 'list', items } : items.length === 1 ? items[0]! : { kind: 'list', items };
    const why = whyInvalidForInput(input, reduced);
    return why === null ? { value: reduced } : reject(why);
  }
  const value = readRefValue(c, raw);
  if (value === undefined) return reject(isJsonObject(raw) ? 'expected a {"src": ..., "id": ...} reference' : `expected a dataset reference, got ${JSON.stringify(raw)}`);
  const why = whyInvalidForInput(input, value);
  return why === null ? { value } : reject(why);
}

/** Why a value cannot be one job's value of a dataset parameter, or null when it can. */
function whyInvalidForInput(input: ExpandedParam['input'], value: ParamValue): string | null {
  if (input.type === 'data') {
    if (value.kind === 'dataset') return null;
    if (value.kind === 'none') return input.optional ? null : 'a value is required';
    if (input.multiple && (value.kind === 'collection' || value.kind === 'list')) return null;
    return `a data parameter without multiple="true" takes one dataset, not ${value.kind === 'collection' ? `a ${value.collection.collection_type} collection` : 'a list'}`;
  }
  if (input.type === 'data_collection') {
    if (value.kind === 'none') return input.optional ? null : 'a value is required';
    const declared = input.collection_type ?? 'any-type';
    if (value.kind !== 'collection') return `a ${declared} collection parameter cannot take a dataset`;
    return acceptsAnyOf(collectionTypeAlternatives(input), value.collection.collection_type) ? null : `a ${declared} collection parameter cannot take a ${value.collection.collection_type} collection`;
  }
  return null;
}

/** Workflow steps connect one value per input and map over linked collections only. */
function checkEntryRules(c: ToolCase, params: readonly ExpandedParam[]): GalaxyError | null {
  if (c.entry !== 'workflow-step') return null;
  for (const p of params) {
    if (p.classification === 'single') continue;
    if (p.mapOver === null || p.batchValues !== 1) {
      return { stage: 'request', kind: 'RequestParameterInvalidException', message: `${p.key}: a workflow step connects one value per input; only a connected collection is mapped over` };
    }
    if (p.classification === 'multiplied') {
      return { stage: 'request', kind: 'RequestParameterInvalidException', message: `${p.key}: a workflow step maps over its connected collections linked` };
    }
  }
  return null;
}

/** permutations.build_combos: matched keys zipped, then each multiplied key as a product (earlier keys vary slowest). */
function buildCombinations(params: readonly ExpandedParam[], values: readonly ParamValue[][]): { combinations: ParamValue[][] } | { error: GalaxyError } {
  let matchedLength: number | null = null;
  let firstMatched: ExpandedParam | null = null;
  for (const [i, p] of params.entries()) {
    if (p.classification !== 'matched') continue;
    const length = values[i]!.length;
    if (matchedLength === null) {
      matchedLength = length;
      firstMatched = p;
    } else if (length !== matchedLength) {
      return {
        error: {
          stage: 'expansion',
          kind: 'InputMatchedException',
          message: `Received ${matchedLength} inputs for '${firstMatched!.key}' and ${length} inputs for '${p.key}', these should be of equal length`,
        },
      };
    }
  }
  const base = values.map((v) => v[0]!);
  let combinations: ParamValue[][];
  if (matchedLength === null) {
    combinations = [base];
  } else {
    combinations = [];
    for (let index = 0; index < matchedLength; index++) {
      const combo = base.slice();
      params.forEach((p, i) => {
        if (p.classification === 'matched') combo[i] = values[i]![index]!;
      });
      combinations.push(combo);
    }
  }
  params.forEach((p, i) => {
    if (p.classification !== 'multiplied') return;
    const next: ParamValue[][] = [];
    for (const combo of combinations) {
      for (const value of values[i]!) {
        const extended = combo.slice();
        extended[i] = value;
        next.push(extended);
      }
    }
    combinations = next;
  });
  return { combinations };
}

/**
 * MatchingCollections.for_collections: linked collections (sorted by key) must
 * have compatible shapes; unlinked ones each add an axis. The structure is the
 * unlinked axes (outermost, sorted) multiplied by the linked structure.
 */
function matchCollections(params: readonly ExpandedParam[]): MapOver | { error: GalaxyError } | null {
  const registered = params.flatMap((p) => (p.mapOver ? [p.mapOver] : [])).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (registered.length === 0) return null;
  let linkedShape: MappedCollection['shape'] | null = null;
  const unlinked: MappedCollection['shape'][] = [];
  for (const collection of registered) {
    if (!collection.linked) {
      unlinked.push(collection.shape);
      continue;
    }
    if (linkedShape === null) linkedShape = collection.shape;
    else if (!shapesMatch(linkedShape, collection.shape)) {
      return { error: { stage: 'expansion', kind: 'CollectionMatchingException', message: 'Cannot match collection types.' } };
    }
  }
  const axes = linkedShape === null ? unlinked : [...unlinked, linkedShape];
  let structure = axes[0]!;
  for (const axis of axes.slice(1)) structure = multiplyShapes(structure, axis);
  return { collections: registered, structure, leafCount: leafCount(structure) };
}

/** Each combination's value must be valid for one job (JobInternalToolState.validate); batch values are checked here. */
function validateCombinationValues(params: readonly ExpandedParam[], combinations: readonly (readonly ParamValue[])[]): GalaxyError | null {
  for (const [i, p] of params.entries()) {
    if (p.classification === 'single' || p.undeclared || (p.input.type !== 'data' && p.input.type !== 'data_collection')) continue;
    for (const combo of combinations) {
      const why = whyInvalidForInput(p.input, combo[i]!);
      if (why !== null) return { stage: 'expansion', kind: 'JobInternalValidationError', message: `${p.key}: ${why}` };
    }
  }
  return null;
}
