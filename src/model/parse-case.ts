import { CASE_FORMAT_VERSION, ENTRIES, type Case, type WorkflowStepOptions } from './case.js';
import { isValidCollectionType } from './collection-types.js';
import type { CollectionElement, History, HistoryCollection, NestedCollection } from './history.js';
import {
  describeJson,
  expectArray,
  expectBoolean,
  expectInteger,
  expectKnownKeys,
  expectNonEmptyString,
  expectNumber,
  expectObject,
  expectOneOf,
  expectString,
  fail,
  optional,
  type JsonObject,
} from './json-checks.js';
import { checkRequestReferences } from './request-references.js';
import { INPUT_TYPES, type OutputFilter, type ScalarValue, type Tool, type ToolInput, type ToolOutput } from './tool.js';

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
  checkRequestReferences(parsed, `${source}.request`);
  return parsed;
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
  const toolType = optional(object, 'tool_type', (v, p) => expectOneOf(v, ['default', 'data_source'] as const, p), path);
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
    fail(path, `"${type}" is not a collection type (colon-joined list, paired, paired_or_unpaired, sample_sheet; sample_sheet only outermost)`);
  }
  return type;
}

function parseInput(value: unknown, path: string): ToolInput {
  const object = expectObject(value, path);
  const type = expectOneOf(object['type'], INPUT_TYPES, `${path}.type`);
  const name = parseName(object, path);
  switch (type) {
    case 'data': {
      expectKnownKeys(object, ['name', 'type', 'multiple', 'optional', 'label'], path);
      const multiple = optional(object, 'multiple', expectBoolean, path);
      const opt = optional(object, 'optional', expectBoolean, path);
      return { name, type, ...(multiple === undefined ? {} : { multiple }), ...(opt === undefined ? {} : { optional: opt }) };
    }
    case 'data_collection': {
      expectKnownKeys(object, ['name', 'type', 'collection_type', 'optional', 'label'], path);
      const opt = optional(object, 'optional', expectBoolean, path);
      return { name, type, collection_type: parseCollectionType(object['collection_type'], `${path}.collection_type`), ...(opt === undefined ? {} : { optional: opt }) };
    }
    case 'text':
      expectKnownKeys(object, ['name', 'type', 'value', 'label'], path);
      return { name, type, value: expectString(object['value'] ?? '', `${path}.value`) };
    case 'integer': {
      expectKnownKeys(object, ['name', 'type', 'value', 'label'], path);
      return { name, type, value: expectInteger(object['value'] ?? 0, `${path}.value`) };
    }
    case 'float':
      expectKnownKeys(object, ['name', 'type', 'value', 'label'], path);
      return { name, type, value: expectNumber(object['value'] ?? 0, `${path}.value`) };
    case 'boolean':
      expectKnownKeys(object, ['name', 'type', 'value', 'label'], path);
      return { name, type, value: expectBoolean(object['value'] ?? false, `${path}.value`) };
    case 'select': {
      expectKnownKeys(object, ['name', 'type', 'options', 'value', 'label'], path);
      const options = expectArray(object['options'], `${path}.options`).map((o, i) => expectString(o, `${path}.options[${i}]`));
      if (options.length === 0) fail(`${path}.options`, 'a select needs at least one option');
      checkUniqueNames(options, `${path}.options`);
      const selected = object['value'] === undefined ? options[0]! : expectString(object['value'], `${path}.value`);
      if (!options.includes(selected)) fail(`${path}.value`, `"${selected}" is not one of the options ${options.join(', ')}`);
      return { name, type, options, value: selected };
    }
    case 'conditional': {
      expectKnownKeys(object, ['name', 'type', 'test_param', 'whens', 'label'], path);
      const test = parseInput(object['test_param'], `${path}.test_param`);
      if (test.type !== 'select' && test.type !== 'boolean') fail(`${path}.test_param.type`, `a conditional tests a select or boolean, got "${test.type}"`);
      const whensObject = expectObject(object['whens'] ?? {}, `${path}.whens`);
      const allowed: string[] = test.type === 'select' ? [...test.options] : ['true', 'false'];
      const whens: Record<string, ToolInput[]> = {};
      for (const [key, inputs] of Object.entries(whensObject)) {
        if (!allowed.includes(key)) fail(`${path}.whens`, `"${key}" is not a value of the test parameter (${allowed.join(', ')})`);
        const parsed = parseInputs(inputs, `${path}.whens.${key}`);
        if (parsed.some((p) => p.name === test.name)) fail(`${path}.whens.${key}`, `"${test.name}" is the test parameter's own name`);
        whens[key] = parsed;
      }
      return { name, type, test_param: test, whens };
    }
    case 'repeat': {
      expectKnownKeys(object, ['name', 'type', 'min', 'max', 'inputs', 'label'], path);
      const min = expectInteger(object['min'] ?? 0, `${path}.min`, 0);
      const max = expectInteger(object['max'] ?? Math.max(min, 4), `${path}.max`, Math.max(min, 1));
      return { name, type, min, max, inputs: parseInputs(object['inputs'], `${path}.inputs`) };
    }
    case 'section':
      expectKnownKeys(object, ['name', 'type', 'inputs', 'label'], path);
      return { name, type, inputs: parseInputs(object['inputs'], `${path}.inputs`) };
  }
}

function parseScalar(value: unknown, path: string): ScalarValue {
  if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return value;
  fail(path, `expected a string, number or boolean, got ${describeJson(value)}`);
}

function parseOutput(value: unknown, path: string): ToolOutput {
  const object = expectObject(value, path);
  const type = expectOneOf(object['type'], ['data', 'collection'] as const, `${path}.type`);
  const name = parseName(object, path);
  const filter = optional(object, 'filter', parseFilter, path);
  const withFilter = filter === undefined ? {} : { filter };
  if (type === 'data') {
    expectKnownKeys(object, ['name', 'type', 'filter', 'format', 'label'], path);
    return { name, type, ...withFilter };
  }
  expectKnownKeys(object, ['name', 'type', 'collection_type', 'filter', 'label'], path);
  return { name, type, collection_type: parseCollectionType(object['collection_type'], `${path}.collection_type`), ...withFilter };
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
  const datasets = expectArray(object['datasets'] ?? [], `${path}.datasets`).map((d, i) => {
    const p = `${path}.datasets[${i}]`;
    const o = expectObject(d, p);
    expectKnownKeys(o, ['id', 'name'], p);
    return { id: expectInteger(o['id'], `${p}.id`, 1) };
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
    expectKnownKeys(o, ['id', 'collection_type', 'elements', 'name'], p);
    const id = expectInteger(o['id'], `${p}.id`, 1);
    if (collectionIds.has(id)) fail(`${p}.id`, `duplicate collection id ${id}`);
    collectionIds.add(id);
    return { id, ...parseNestedCollection(o, p, datasetIds) };
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
    expectKnownKeys(o, ['identifier', 'dataset', 'collection'], p);
    const identifier = expectNonEmptyString(o['identifier'], `${p}.identifier`);
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

