import { InvalidInputError } from '../errors.js';
import { CASE_FORMAT_VERSION, ENTRIES, type Case, type WorkflowStepOptions } from './case.js';
import { isValidCollectionType } from './collection-types.js';
import type { CollectionElement, History, HistoryCollection, HistoryDataset, NestedCollection } from './history.js';
import {
  describeJson,
  expectArray,
  expectInteger,
  expectKnownKeys,
  expectNonEmptyString,
  expectNumber,
  expectObject,
  expectOneOf,
  expectString,
  fail,
  isJsonObject,
  optional,
  type JsonObject,
} from './json-checks.js';
import { dereferenceUrls } from './dereference-urls.js';
import { checkRequestReferences } from './request-references.js';
import { INPUT_TYPES, type DiscoverDatasets, type OutputFilter, type ScalarValue, type Tool, type ToolInput, type ToolOutput } from './tool.js';

/**
 * Reads an untrusted case (parsed JSON) into a Case, or throws an
 * InvalidInputError naming the first place that is wrong. Galaxy-level
 * problems of a well-formed case (unequal batch lengths, a collection that
 * does not match) are not errors here: expansion reports them as Galaxy would.
 */
export function parseCase(value: unknown, source = 'case'): Case {
  const object = expectObject(value, source);
  expectKnownKeys(object, ['version', 'tool', 'history', 'entry', 'request', 'rerun_remap_job_id', 'step'], source);
  if (object['version'] !== undefined && object['version'] !== CASE_FORMAT_VERSION) {
    fail(`${source}.version`, `unsupported case format version ${describeJson(object['version'])} (this cardfuzz reads version ${CASE_FORMAT_VERSION})`);
  }
  const tool = parseTool(object['tool'], `${source}.tool`);
  const history = parseHistory(object['history'], `${source}.history`);
  const entry = expectOneOf(object['entry'], ENTRIES, `${source}.entry`);
  const request = expectObject(object['request'], `${source}.request`) as Case['request'];
  const rerun = optional(object, 'rerun_remap_job_id', (v, p) => expectInteger(v, p, 1), source);
  const step = optional(object, 'step', parseStepOptions, source);
  if (step !== undefined && entry !== 'workflow-step') fail(`${source}.step`, 'only a workflow-step case has step options');
  const parsed: Case = {
    tool,
    history,
    entry,
    request,
    ...(rerun === undefined ? {} : { rerun_remap_job_id: rerun }),
    ...(step === undefined ? {} : { step }),
  };
  const dereferenced = dereferenceUrls(parsed, `${source}.request`);
  checkRequestReferences(dereferenced, `${source}.request`);
  return dereferenced;
}

export type ParseCaseResult = { readonly ok: true; readonly case: Case } | { readonly ok: false; readonly error: InvalidInputError };

/** `parseCase` as a result: an invalid case is a value (its first problem), not an exception. Other errors still throw. */
export function parseCaseResult(value: unknown, source = 'case'): ParseCaseResult {
  try {
    return { ok: true, case: parseCase(value, source) };
  } catch (error) {
    if (error instanceof InvalidInputError) return { ok: false, error };
    throw error;
  }
}

function parseStepOptions(value: unknown, path: string): WorkflowStepOptions {
  const object = expectObject(value, path);
  expectKnownKeys(object, ['state', 'job_limit'], path);
  const state = optional(object, 'state', (v, p) => expectOneOf(v, ['validated', 'not_validated', 'validation_failed'] as const, p), path);
  const jobLimit = optional(object, 'job_limit', (v, p) => expectInteger(v, p, 1), path);
  return { ...(state === undefined ? {} : { state }), ...(jobLimit === undefined ? {} : { job_limit: jobLimit }) };
}

export function parseTool(value: unknown, path: string): Tool {
  const object = expectObject(value, path);
  expectKnownKeys(object, ['id', 'version', 'tool_type', 'inputs', 'outputs', 'name', 'description'], path);
  const id = expectNonEmptyString(object['id'], `${path}.id`);
  const version = optional(object, 'version', expectString, path);
  // Galaxy's tool types: only data source tools change what a request may do (they cannot batch); the others run as default tools.
  const rawToolType = optional(object, 'tool_type', expectNonEmptyString, path);
  const toolType = rawToolType === undefined ? undefined : rawToolType === 'data_source' || rawToolType === 'data_source_async' ? ('data_source' as const) : ('default' as const);
  const inputs = parseInputs(object['inputs'], `${path}.inputs`);
  const outputs = expectArray(object['outputs'], `${path}.outputs`).map((o, i) => parseOutput(o, `${path}.outputs[${i}]`));
  checkUniqueNames(outputs.map((o) => o.name), `${path}.outputs`);
  return {
    id,
    ...(version === undefined ? {} : { version }),
    ...(toolType === undefined ? {} : { tool_type: toolType }),
    inputs,
    outputs,
  };
}

function parseInputs(value: unknown, path: string): ToolInput[] {
  const inputs = expectArray(value, path).map((input, i) => parseInput(input, `${path}[${i}]`));
  checkUniqueNames(inputs.map((i) => i.name), path);
  return inputs;
}

function checkUniqueNames(names: readonly string[], path: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) fail(path, `duplicate name "${name}"`);
    seen.add(name);
  }
}

function parseName(object: JsonObject, path: string): string {
  const name = expectNonEmptyString(object['name'], `${path}.name`);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || name.startsWith('__')) {
    fail(`${path}.name`, `"${name}" is not a usable parameter name (letters, digits and _, not starting with __)`);
  }
  return name;
}

function parseCollectionType(value: unknown, path: string): string {
  const type = expectNonEmptyString(value, path);
  if (!isValidCollectionType(type)) {
    fail(path, `"${type}" is not a collection type (colon-joined list, paired, paired_or_unpaired, record, sample_sheet; sample_sheet only outermost)`);
  }
  return type;
}

/** A collection parameter's `collection_type`: one type or comma-separated alternatives (basic.py `DataCollectionToolParameter`). */
function parseCollectionTypeAlternatives(value: unknown, path: string): string {
  const text = expectNonEmptyString(value, path);
  const types = text.split(',').map((t) => t.trim());
  types.forEach((t) => {
    if (!isValidCollectionType(t)) fail(path, `"${t}" is not a collection type (colon-joined list, paired, paired_or_unpaired, record, sample_sheet; alternatives separated by commas)`);
  });
  return types.join(',');
}

/** Galaxy's XML booleans are strings ("true", "True", "yes"...); the API's JSON has real booleans. Both are read (galaxy.util `string_as_bool`). */
function expectGalaxyBoolean(value: unknown, path: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (['true', 'yes', 'on', '1'].includes(v)) return true;
    if (['false', 'no', 'off', '0', ''].includes(v)) return false;
  }
  fail(path, `expected true or false, got ${describeJson(value)}`);
}

function expectGalaxyInteger(value: unknown, path: string, min = Number.MIN_SAFE_INTEGER): number {
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return expectInteger(Number(value.trim()), path, min);
  return expectInteger(value, path, min);
}

function optionalFlag(object: JsonObject, key: string, path: string): { readonly [k: string]: boolean } {
  const v = optional(object, key, expectGalaxyBoolean, path);
  return v === undefined ? {} : { [key]: v };
}

function optionalText(object: JsonObject, key: string, path: string): { readonly [k: string]: string } {
  const v = optional(object, key, expectString, path);
  return v === undefined ? {} : { [key]: v };
}

/** A scalar's default as text (`value="1"` in XML, `"value": 1` in JSON). */
function textValue(value: unknown, path: string, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((v, i) => textValue(v, `${path}[${i}]`, '')).join(',');
  return expectString(value, path);
}

function parseInput(value: unknown, path: string): ToolInput {
  const object = expectObject(value, path);
  const type = expectOneOf(object['type'], INPUT_TYPES, `${path}.type`);
  const name = parseName(object, path);
  switch (type) {
    case 'data': {
      expectKnownKeys(object, ['name', 'type', 'multiple', 'optional', 'label', 'min', 'max', 'format'], path);
      const multiple = optional(object, 'multiple', expectGalaxyBoolean, path);
      const min = optional(object, 'min', (v, p) => expectGalaxyInteger(v, p, 0), path);
      const max = optional(object, 'max', (v, p) => expectGalaxyInteger(v, p, 0), path);
      // basic.py DataToolParameter.__init__ refuses the tool: "cannot specify 'min' property on single data parameter".
      if (!multiple && min !== undefined) fail(`${path}.min`, `cannot specify 'min' property on single data parameter. Set multiple="true" to enable this option`);
      if (!multiple && max !== undefined) fail(`${path}.max`, `cannot specify 'max' property on single data parameter. Set multiple="true" to enable this option`);
      return {
        name,
        type,
        ...(multiple === undefined ? {} : { multiple }),
        ...optionalFlag(object, 'optional', path),
        ...(min === undefined ? {} : { min }),
        ...(max === undefined ? {} : { max }),
        ...optionalText(object, 'format', path),
      };
    }
    case 'data_collection': {
      expectKnownKeys(object, ['name', 'type', 'collection_type', 'optional', 'label', 'format'], path);
      const collectionType = optional(object, 'collection_type', parseCollectionTypeAlternatives, path);
      return { name, type, ...(collectionType === undefined ? {} : { collection_type: collectionType }), ...optionalFlag(object, 'optional', path), ...optionalText(object, 'format', path) };
    }
    case 'text':
      expectKnownKeys(object, ['name', 'type', 'value', 'label', 'optional'], path);
      return { name, type, value: textValue(object['value'], `${path}.value`, ''), ...optionalFlag(object, 'optional', path) };
    case 'integer': {
      expectKnownKeys(object, ['name', 'type', 'value', 'label', 'optional', 'min', 'max'], path);
      const fallback = object['value'] ?? object['min'] ?? 0;
      return { name, type, value: fallback === '' ? 0 : expectGalaxyInteger(fallback, `${path}.value`), ...optionalFlag(object, 'optional', path) };
    }
    case 'float': {
      expectKnownKeys(object, ['name', 'type', 'value', 'label', 'optional', 'min', 'max'], path);
      const raw = object['value'] ?? object['min'] ?? 0;
      const number = typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw === '' ? 0 : raw;
      return { name, type, value: expectNumber(number, `${path}.value`), ...optionalFlag(object, 'optional', path) };
    }
    case 'boolean': {
      expectKnownKeys(object, ['name', 'type', 'value', 'checked', 'truevalue', 'falsevalue', 'label', 'optional'], path);
      // Galaxy's `checked` is the default value (basic.py `boolean_is_checked`); `value` is cardfuzz's and the API JSON's name for it.
      if (object['value'] !== undefined && object['checked'] !== undefined && expectGalaxyBoolean(object['value'], `${path}.value`) !== expectGalaxyBoolean(object['checked'], `${path}.checked`)) {
        fail(path, '"value" and "checked" disagree');
      }
      const checked = expectGalaxyBoolean(object['value'] ?? object['checked'] ?? false, `${path}.${object['value'] !== undefined ? 'value' : 'checked'}`);
      const truevalue = optional(object, 'truevalue', (v, p) => textValue(v, p, 'true'), path);
      const falsevalue = optional(object, 'falsevalue', (v, p) => textValue(v, p, 'false'), path);
      if (truevalue !== undefined && truevalue === (falsevalue ?? 'false')) fail(`${path}.truevalue`, 'truevalue and falsevalue are the same string, so a conditional cannot tell them apart');
      return {
        name,
        type,
        value: checked,
        ...(truevalue === undefined ? {} : { truevalue }),
        ...(falsevalue === undefined ? {} : { falsevalue }),
        ...optionalFlag(object, 'optional', path),
      };
    }
    case 'select': {
      expectKnownKeys(object, ['name', 'type', 'options', 'value', 'label', 'multiple', 'dynamic', 'optional', 'display'], path);
      const dynamic = optional(object, 'dynamic', expectGalaxyBoolean, path);
      const multiple = optional(object, 'multiple', expectGalaxyBoolean, path);
      const options = expectArray(object['options'] ?? (dynamic ? [] : undefined), `${path}.options`).map((o, i) => expectString(o, `${path}.options[${i}]`));
      if (options.length === 0 && !dynamic) fail(`${path}.options`, 'a select needs at least one option (or "dynamic": true when its options come from a data table, a file or code)');
      checkUniqueNames(options, `${path}.options`);
      const selected = object['value'] === undefined || object['value'] === null ? (options[0] ?? '') : textValue(object['value'], `${path}.value`, '');
      if (!dynamic && !multiple && !options.includes(selected)) fail(`${path}.value`, `"${selected}" is not one of the options ${options.join(', ')}`);
      return {
        name,
        type,
        options,
        value: selected,
        ...(multiple === undefined ? {} : { multiple }),
        ...(dynamic === undefined ? {} : { dynamic }),
        ...optionalFlag(object, 'optional', path),
      };
    }
    case 'hidden':
    case 'baseurl':
    case 'color':
      expectKnownKeys(object, ['name', 'type', 'value', 'label'], path);
      return { name, type, value: textValue(object['value'], `${path}.value`, type === 'color' ? '#000000' : '') };
    case 'drill_down': {
      expectKnownKeys(object, ['name', 'type', 'options', 'value', 'label', 'multiple', 'optional', 'hierarchy', 'display'], path);
      const options = expectArray(object['options'] ?? [], `${path}.options`).map((o, i) => expectString(o, `${path}.options[${i}]`));
      const selected = object['value'] === undefined || object['value'] === null ? undefined : textValue(object['value'], `${path}.value`, '');
      return { name, type, options, ...(selected === undefined ? {} : { value: selected }), ...optionalFlag(object, 'multiple', path), ...optionalFlag(object, 'optional', path) };
    }
    case 'data_column':
    case 'group_tag':
      expectKnownKeys(object, ['name', 'type', 'value', 'label', 'data_ref', 'multiple', 'optional', 'accept_default', 'numerical', 'use_header_names', 'force_select'], path);
      return {
        name,
        type,
        // ColumnListParameter: a single column defaults to the first one; a multiple one (unless accept_default) has none.
        value: textValue(
          object['value'],
          `${path}.value`,
          type === 'data_column' && (object['multiple'] !== true && object['multiple'] !== 'true' || object['accept_default'] === true || object['accept_default'] === 'true') ? '1' : '',
        ),
        ...optionalText(object, 'data_ref', path),
        ...optionalFlag(object, 'multiple', path),
        ...optionalFlag(object, 'optional', path),
      };
    case 'genomebuild':
      expectKnownKeys(object, ['name', 'type', 'value', 'label', 'multiple', 'optional'], path);
      return { name, type, value: textValue(object['value'], `${path}.value`, '?'), ...optionalFlag(object, 'multiple', path), ...optionalFlag(object, 'optional', path) };
    case 'conditional': {
      expectKnownKeys(object, ['name', 'type', 'test_param', 'whens', 'label'], path);
      const test = parseInput(object['test_param'], `${path}.test_param`);
      if (test.type !== 'select' && test.type !== 'boolean') fail(`${path}.test_param.type`, `a conditional tests a select or boolean, got "${test.type}"`);
      const whensObject = expectObject(object['whens'] ?? {}, `${path}.whens`);
      // Galaxy keeps a when no test value reaches (tools/__init__.py parse_input_elem logs it); it never runs.
      const whens: Record<string, ToolInput[]> = {};
      for (const [key, inputs] of Object.entries(whensObject)) {
        const parsed = parseInputs(inputs, `${path}.whens.${key}`);
        if (parsed.some((p) => p.name === test.name)) fail(`${path}.whens.${key}`, `"${test.name}" is the test parameter's own name`);
        whens[key] = parsed;
      }
      return { name, type, test_param: test, whens };
    }
    case 'repeat': {
      expectKnownKeys(object, ['name', 'type', 'min', 'max', 'inputs', 'label', 'default', 'title'], path);
      const min = expectGalaxyInteger(object['min'] ?? 0, `${path}.min`, 0);
      const max = expectGalaxyInteger(object['max'] ?? Math.max(min, 4), `${path}.max`, Math.max(min, 1));
      return { name, type, min, max, inputs: parseInputs(object['inputs'], `${path}.inputs`) };
    }
    case 'section':
      expectKnownKeys(object, ['name', 'type', 'inputs', 'label', 'title', 'expanded'], path);
      return { name, type, inputs: parseInputs(object['inputs'], `${path}.inputs`) };
  }
}

function parseScalar(value: unknown, path: string): ScalarValue {
  if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return value;
  fail(path, `expected a string, number or boolean, got ${describeJson(value)}`);
}

const OUTPUT_COMMON_KEYS = ['name', 'type', 'filter', 'filters', 'format', 'format_source', 'metadata_source', 'hidden', 'discover_datasets', 'label'] as const;

function parseOutput(value: unknown, path: string): ToolOutput {
  const object = expectObject(value, path);
  const type = expectOneOf(object['type'], ['data', 'collection'] as const, `${path}.type`);
  const name = parseName(object, path);
  // `filter` is cardfuzz's structured filter, or one Galaxy <filter> text; `filters` lists Galaxy's texts.
  const rawFilter = object['filter'];
  const filter = typeof rawFilter === 'string' || rawFilter === undefined ? undefined : parseFilter(rawFilter, `${path}.filter`);
  const texts = [
    ...(typeof rawFilter === 'string' ? [rawFilter] : []),
    ...(object['filters'] === undefined ? [] : expectArray(object['filters'], `${path}.filters`).map((f, i) => parseFilterText(f, `${path}.filters[${i}]`))),
  ];
  const discover = optional(object, 'discover_datasets', parseDiscoverDatasets, path);
  const common = {
    name,
    ...(filter === undefined ? {} : { filter }),
    ...(texts.length === 0 ? {} : { filters: texts }),
    ...optionalText(object, 'format', path),
    ...optionalText(object, 'format_source', path),
    ...optionalText(object, 'metadata_source', path),
    ...optionalFlag(object, 'hidden', path),
    ...(discover === undefined ? {} : { discover_datasets: discover }),
  };
  if (type === 'data') {
    expectKnownKeys(object, OUTPUT_COMMON_KEYS, path);
    return { type, ...common };
  }
  expectKnownKeys(object, [...OUTPUT_COMMON_KEYS, 'collection_type', 'structured_like', 'type_source', 'inherit_format', 'elements'], path);
  const collectionType = optional(object, 'collection_type', parseCollectionType, path);
  const structuredLike = optional(object, 'structured_like', expectNonEmptyString, path);
  const typeSource = optional(object, 'type_source', expectNonEmptyString, path);
  // tool_util/parser/output_objects.py ToolOutputCollectionStructure: a type, or where to take it from.
  if (collectionType === undefined && structuredLike === undefined && typeSource === undefined) {
    fail(path, 'Output collection types must specify source of collection type information (e.g. structured_like or type_source).');
  }
  if (collectionType !== undefined && typeSource !== undefined) fail(path, 'Output collection types cannot be both specified explicitly and inferred from type_source');
  const elements = optional(
    object,
    'elements',
    (v, p) =>
      expectArray(v, p).map((e, i) => {
        const ep = `${p}[${i}]`;
        const eo = expectObject(e, ep);
        expectKnownKeys(eo, ['name', 'format', 'format_source', 'metadata_source', 'label', 'from_work_dir'], ep);
        return { name: expectNonEmptyString(eo['name'], `${ep}.name`), ...optionalText(eo, 'format', ep), ...optionalText(eo, 'format_source', ep), ...optionalText(eo, 'metadata_source', ep) };
      }),
    path,
  );
  if (elements !== undefined) checkUniqueNames(elements.map((e) => e.name), `${path}.elements`);
  return {
    type,
    ...common,
    ...(collectionType === undefined ? {} : { collection_type: collectionType }),
    ...(structuredLike === undefined ? {} : { structured_like: structuredLike }),
    ...(typeSource === undefined ? {} : { type_source: typeSource }),
    ...optionalFlag(object, 'inherit_format', path),
    ...(elements === undefined ? {} : { elements }),
  };
}

function parseFilterText(value: unknown, path: string): string {
  // The API serialises a filter as its text; a case may also say {"text": "..."}.
  if (isJsonObject(value) && typeof value['text'] === 'string') return expectNonEmptyString(value['text'].trim(), `${path}.text`);
  return expectNonEmptyString(expectString(value, path).trim(), path);
}

const DISCOVER_KEYS = ['pattern', 'directory', 'format', 'ext', 'visible', 'assign_primary_output', 'recurse', 'match_relative_path', 'sort_by', 'from_provided_metadata', 'discover_via'] as const;

function parseDiscoverDatasets(value: unknown, path: string): DiscoverDatasets[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map((item, i) => {
    const p = Array.isArray(value) ? `${path}[${i}]` : path;
    const o = expectObject(item, p);
    expectKnownKeys(o, DISCOVER_KEYS, p);
    const out: Record<string, string | boolean> = {};
    for (const key of ['pattern', 'directory', 'format', 'ext', 'sort_by'] as const) if (o[key] !== undefined) out[key] = expectString(o[key], `${p}.${key}`);
    for (const key of ['visible', 'assign_primary_output', 'recurse', 'match_relative_path'] as const) if (o[key] !== undefined) out[key] = expectGalaxyBoolean(o[key], `${p}.${key}`);
    if (o['from_provided_metadata'] !== undefined) out['from_provided_metadata'] = expectGalaxyBoolean(o['from_provided_metadata'], `${p}.from_provided_metadata`);
    if (o['discover_via'] === 'tool_provided_metadata') out['from_provided_metadata'] = true;
    return out as DiscoverDatasets;
  });
}

function parseFilter(value: unknown, path: string): OutputFilter {
  const object = expectObject(value, path);
  expectKnownKeys(object, ['param', 'equals', 'not_equals'], path);
  const param = expectNonEmptyString(object['param'], `${path}.param`);
  const hasEquals = object['equals'] !== undefined;
  const hasNotEquals = object['not_equals'] !== undefined;
  if (hasEquals === hasNotEquals) fail(path, 'a filter needs exactly one of "equals" and "not_equals"');
  return hasEquals ? { param, equals: parseScalar(object['equals'], `${path}.equals`) } : { param, not_equals: parseScalar(object['not_equals'], `${path}.not_equals`) };
}

export function parseHistory(value: unknown, path: string): History {
  const object = expectObject(value, path);
  expectKnownKeys(object, ['datasets', 'collections'], path);
  const datasets = expectArray(object['datasets'] ?? [], `${path}.datasets`).map((d, i): HistoryDataset => {
    const p = `${path}.datasets[${i}]`;
    const o = expectObject(d, p);
    expectKnownKeys(o, ['id', 'name', 'hid', 'deleted', 'purged', 'visible', 'state', 'extension', 'ext', 'file_ext', 'dbkey', 'url'], p);
    // Galaxy's own names: `deleted` (a purged dataset is deleted too), `state`, `extension` (API `file_ext`, Python `ext`).
    const deleted = optional(o, 'deleted', expectGalaxyBoolean, p) === true || optional(o, 'purged', expectGalaxyBoolean, p) === true;
    const state = optional(o, 'state', expectNonEmptyString, p);
    const extension = optional(o, 'extension', expectNonEmptyString, p) ?? optional(o, 'ext', expectNonEmptyString, p) ?? optional(o, 'file_ext', expectNonEmptyString, p);
    const dbkey = optional(o, 'dbkey', expectNonEmptyString, p);
    const url = optional(o, 'url', expectNonEmptyString, p);
    return {
      id: expectInteger(o['id'], `${p}.id`, 1),
      ...(deleted ? { deleted } : {}),
      ...(state === undefined || state === 'ok' ? {} : { state }),
      ...(extension === undefined ? {} : { extension }),
      ...(dbkey === undefined ? {} : { dbkey }),
      ...(url === undefined ? {} : { url }),
    };
  });
  const datasetIds = new Set<number>();
  datasets.forEach((d, i) => {
    if (datasetIds.has(d.id)) fail(`${path}.datasets[${i}].id`, `duplicate dataset id ${d.id}`);
    datasetIds.add(d.id);
  });
  const collectionIds = new Set<number>();
  const collections = expectArray(object['collections'] ?? [], `${path}.collections`).map((c, i): HistoryCollection => {
    const p = `${path}.collections[${i}]`;
    const o = expectObject(c, p);
    expectKnownKeys(o, ['id', 'collection_type', 'elements', 'name', 'hid', 'deleted', 'visible', 'populated_state'], p);
    const id = expectInteger(o['id'], `${p}.id`, 1);
    if (collectionIds.has(id)) fail(`${p}.id`, `duplicate collection id ${id}`);
    collectionIds.add(id);
    const deleted = optional(o, 'deleted', expectGalaxyBoolean, p);
    const populatedState = optional(o, 'populated_state', expectNonEmptyString, p);
    return {
      id,
      ...parseNestedCollection(o, p, datasetIds),
      ...(deleted ? { deleted } : {}),
      ...(populatedState === undefined || populatedState === 'ok' ? {} : { populated_state: populatedState }),
    };
  });
  return { datasets, collections };
}

function parseNestedCollection(object: JsonObject, path: string, datasetIds: ReadonlySet<number>): NestedCollection {
  const collectionType = parseCollectionType(object['collection_type'], `${path}.collection_type`);
  const [head, ...rest] = collectionType.split(':');
  const innerType = rest.join(':');
  const identifiers = new Set<string>();
  const elements = expectArray(object['elements'], `${path}.elements`).map((e, i): CollectionElement => {
    const p = `${path}.elements[${i}]`;
    const o = expectObject(e, p);
    expectKnownKeys(o, ['identifier', 'element_identifier', 'dataset', 'collection'], p);
    const identifier = expectNonEmptyString(o['identifier'] ?? o['element_identifier'], `${p}.identifier`);
    if (identifiers.has(identifier)) fail(`${p}.identifier`, `duplicate element identifier "${identifier}"`);
    identifiers.add(identifier);
    if (innerType === '') {
      if (o['collection'] !== undefined) fail(p, `a ${collectionType} collection holds datasets, not collections`);
      const dataset = expectInteger(o['dataset'], `${p}.dataset`, 1);
      if (!datasetIds.has(dataset)) fail(`${p}.dataset`, `dataset ${dataset} is not in history.datasets`);
      return { identifier, dataset };
    }
    if (o['dataset'] !== undefined) fail(p, `a ${collectionType} collection holds ${innerType} collections, not datasets`);
    const child = expectObject(o['collection'], `${p}.collection`);
    const childType = expectString(child['collection_type'], `${p}.collection.collection_type`);
    if (childType !== innerType) fail(`${p}.collection.collection_type`, `expected "${innerType}" inside a ${collectionType}, got "${childType}"`);
    expectKnownKeys(child, ['collection_type', 'elements'], `${p}.collection`);
    return { identifier, collection: parseNestedCollection(child, `${p}.collection`, datasetIds) };
  });
  checkPairedIdentifiers(head!, [...identifiers], path);
  return { collection_type: collectionType, elements };
}

function checkPairedIdentifiers(head: string, identifiers: readonly string[], path: string): void {
  const sorted = [...identifiers].sort().join(',');
  if (head === 'paired' && sorted !== 'forward,reverse') {
    fail(`${path}.elements`, 'a paired collection has exactly the elements "forward" and "reverse"');
  }
  if (head === 'paired_or_unpaired' && sorted !== 'forward,reverse' && sorted !== 'unpaired') {
    fail(`${path}.elements`, 'a paired_or_unpaired collection has "forward" and "reverse", or one "unpaired" element');
  }
}

