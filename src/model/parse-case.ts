import { InvalidInputError, NotModelledError } from '../errors.js';
import { CASE_FORMAT_VERSION, ENTRIES, type Case, type ToolCase, type WorkflowStepOptions } from './case.js';
import { WORKFLOW_STEP_TYPES, type GaStep, type GaWorkflow, type SchedulingOptions, type WorkflowCase } from './workflow.js';
import { unreadWhenExpressions, workflowGraph, WorkflowRefused } from './workflow-graph.js';
import { Gxformat2Error, Gxformat2NotRead, looksLikeGxformat2, pythonToWorkflow } from './gxformat2.js';
import { isValidCollectionType } from './collection-types.js';
import type { CollectionElement, History, HistoryCollection, HistoryDataset, NestedCollection } from './history.js';
import {
  describeJson,
  expectArray,
  expectBoolean,
  expectInteger,
  expectKnownKeys,
  expectNonEmptyString,
  expectObject,
  expectOneOf,
  expectString,
  fail,
  optional,
  type JsonObject,
} from './json-checks.js';
import { dereferenceUrls } from './dereference-urls.js';
import { checkRequestReferences } from './request-references.js';
import type { Approximation } from '../tools/approximations.js';
import { readTool, stringAsBool } from '../tools/read-tool.js';
import type { Tool } from './tool.js';

/**
 * Reads an untrusted case (parsed JSON) into a Case, or throws an
 * InvalidInputError naming the first place that is wrong. Galaxy-level
 * problems of a well-formed case (unequal batch lengths, a collection that
 * does not match) are not errors here: expansion reports them as Galaxy would.
 */
export function parseCase(value: unknown, source = 'case'): Case {
  return readCase(value, source).case;
}

/** parseCase, with the approximations its tool needed (one note per construct the model cannot carry). */
export function readCase(value: unknown, source = 'case'): { case: Case; approximations: readonly Approximation[] } {
  const object = expectObject(value, source);
  if (object['entry'] === 'workflow-invocation') return readWorkflowCase(object, source);
  expectKnownKeys(object, ['version', 'tool', 'history', 'entry', 'request', 'rerun_remap_job_id', 'step'], source);
  if (object['version'] !== undefined && object['version'] !== CASE_FORMAT_VERSION) {
    fail(`${source}.version`, `unsupported case format version ${describeJson(object['version'])} (this cardfuzz reads version ${CASE_FORMAT_VERSION})`);
  }
  const { tool, approximations } = readTool(object['tool'], `${source}.tool`);
  const history = parseHistory(object['history'], `${source}.history`);
  const entry = expectOneOf(object['entry'], ENTRIES, `${source}.entry`);
  const request = expectObject(object['request'], `${source}.request`) as ToolCase['request'];
  const rerun = optional(object, 'rerun_remap_job_id', (v, p) => expectInteger(v, p, 1), source);
  const step = optional(object, 'step', parseStepOptions, source);
  if (step !== undefined && entry !== 'workflow-step') fail(`${source}.step`, 'only a workflow-step case has step options');
  const parsed: ToolCase = {
    tool,
    history,
    entry,
    request,
    ...(rerun === undefined ? {} : { rerun_remap_job_id: rerun }),
    ...(step === undefined ? {} : { step }),
  };
  const dereferenced = dereferenceUrls(parsed, `${source}.request`);
  checkRequestReferences(dereferenced, `${source}.request`);
  return { case: dereferenced, approximations };
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
  expectKnownKeys(object, ['state', 'job_limit', 'budget'], path);
  const state = optional(object, 'state', (v, p) => expectOneOf(v, ['validated', 'not_validated', 'validation_failed'] as const, p), path);
  const jobLimit = optional(object, 'job_limit', (v, p) => expectInteger(v, p, 1), path);
  const budget = optional(object, 'budget', (v, p) => expectInteger(v, p, 1), path);
  return { ...(state === undefined ? {} : { state }), ...(jobLimit === undefined ? {} : { job_limit: jobLimit }), ...(budget === undefined ? {} : { budget }) };
}

/** The tool of a case: read by the one tool reader (src/tools/read-tool.ts) that Galaxy tool XML and Galaxy's tool JSON also go through. */
export function parseTool(value: unknown, path: string): Tool {
  return readTool(value, path).tool;
}

function parseCollectionType(value: unknown, path: string): string {
  const type = expectNonEmptyString(value, path);
  if (!isValidCollectionType(type)) {
    fail(path, `"${type}" is not a collection type (colon-joined list, paired, paired_or_unpaired, record, sample_sheet; sample_sheet only outermost)`);
  }
  return type;
}

/** Galaxy's XML booleans are strings ("true", "True", "yes"...); the API's JSON has real booleans. Both are read (galaxy.util `string_as_bool`). */
function expectGalaxyBoolean(value: unknown, path: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return stringAsBool(value);
  fail(path, `expected true or false, got ${describeJson(value)}`);
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


/**
 * A workflow invocation case: the workflow as Galaxy exports it (`.ga`, or
 * gxformat2 written as JSON, converted as Galaxy's import converts it), the
 * tools its steps name, the history, the invocation request and the
 * scheduling options. A workflow Galaxy would not build is refused with
 * Galaxy's reason; one Galaxy builds but cannot run is kept, for the model to
 * refuse or fail as Galaxy does.
 */
function readWorkflowCase(object: JsonObject, source: string): { case: Case; approximations: readonly Approximation[] } {
  expectKnownKeys(object, ['version', 'entry', 'workflow', 'tools', 'history', 'invocation', 'scheduling'], source);
  if (object['version'] !== undefined && object['version'] !== CASE_FORMAT_VERSION) {
    fail(`${source}.version`, `unsupported case format version ${describeJson(object['version'])} (this cardfuzz reads version ${CASE_FORMAT_VERSION})`);
  }
  const approximations: Approximation[] = [];
  const tools = expectArray(object['tools'] ?? [], `${source}.tools`).map((t, i) => {
    const read = readTool(t, `${source}.tools[${i}]`);
    approximations.push(...read.approximations);
    return read.tool;
  });
  const workflow = parseGaWorkflow(gaFromGxformat2(object['workflow'], `${source}.workflow`), `${source}.workflow`, 0);
  const history = parseHistory(object['history'], `${source}.history`);
  const invocationObject = expectObject(object['invocation'], `${source}.invocation`);
  expectKnownKeys(invocationObject, ['inputs', 'batch'], `${source}.invocation`);
  const inputs = expectObject(invocationObject['inputs'] ?? {}, `${source}.invocation.inputs`) as WorkflowCase['invocation']['inputs'];
  const batch = optional(invocationObject, 'batch', (v, p) => expectBoolean(v, p), `${source}.invocation`);
  const scheduling = optional(object, 'scheduling', parseScheduling, source);
  checkPopulatedAt(scheduling, history, `${source}.scheduling.populated_at`);
  checkFailedJobs(scheduling, workflow, `${source}.scheduling.failed_jobs`);
  let graph;
  try {
    graph = workflowGraph(workflow, tools);
  } catch (error) {
    if (error instanceof WorkflowRefused) fail(`${source}.workflow`, error.message);
    throw error;
  }
  const whens = unreadWhenExpressions(graph);
  if (whens.length > 0) throw new NotModelledError(`${source}.workflow: not modelled: ${whens[0]}, which Galaxy evaluates as JavaScript`);
  const c: WorkflowCase = {
    entry: 'workflow-invocation',
    workflow,
    tools,
    history,
    invocation: { inputs, ...(batch === undefined ? {} : { batch }) },
    ...(scheduling === undefined ? {} : { scheduling }),
  };
  return { case: c, approximations };
}

/** A gxformat2 workflow (`class: GalaxyWorkflow`) as the `.ga` Galaxy's import builds from it; anything else as it is. */
function gaFromGxformat2(value: unknown, path: string): unknown {
  if (!looksLikeGxformat2(value)) return value;
  try {
    return pythonToWorkflow(value);
  } catch (error) {
    if (error instanceof Gxformat2Error) fail(path, `Galaxy cannot import this gxformat2 workflow: ${error.message}`);
    if (error instanceof Gxformat2NotRead) throw new NotModelledError(`${path}: not modelled: ${error.message}`);
    throw error;
  }
}

function parseGaWorkflow(value: unknown, path: string, depth: number): GaWorkflow {
  if (depth > 4) fail(path, 'subworkflows nest at most 4 deep');
  const object = expectObject(value, path);
  const name = typeof object['name'] === 'string' ? object['name'] : 'workflow';
  const stepsObject = expectObject(object['steps'], `${path}.steps`);
  const steps: Record<string, GaStep> = {};
  for (const [key, raw] of Object.entries(stepsObject)) {
    const at = `${path}.steps.${key}`;
    const step = expectObject(raw, at);
    const id = expectInteger(step['id'], `${at}.id`, 0);
    const type = expectOneOf(step['type'], WORKFLOW_STEP_TYPES, `${at}.type`);
    const connections = expectObject(step['input_connections'] ?? {}, `${at}.input_connections`);
    for (const [input, c] of Object.entries(connections)) {
      for (const [n, one] of (Array.isArray(c) ? c : [c]).entries()) {
        const conn = expectObject(one, `${at}.input_connections.${input}[${n}]`);
        expectInteger(conn['id'], `${at}.input_connections.${input}[${n}].id`, 0);
        expectString(conn['output_name'], `${at}.input_connections.${input}[${n}].output_name`);
      }
    }
    const toolState = step['tool_state'];
    if (toolState !== undefined && toolState !== null) {
      const text = expectString(toolState, `${at}.tool_state`);
      try {
        expectObject(JSON.parse(text), `${at}.tool_state`);
      } catch (error) {
        if (error instanceof SyntaxError) fail(`${at}.tool_state`, 'is not JSON text');
        throw error;
      }
    }
    const subworkflow = type === 'subworkflow' ? parseGaWorkflow(step['subworkflow'], `${at}.subworkflow`, depth + 1) : undefined;
    steps[key] = { ...(step as unknown as GaStep), id, type, ...(subworkflow === undefined ? {} : { subworkflow }) };
  }
  return { ...(object as unknown as GaWorkflow), name, steps };
}

function parseScheduling(value: unknown, path: string): SchedulingOptions {
  const object = expectObject(value, path);
  expectKnownKeys(object, ['jobs_per_iteration', 'budget', 'review', 'populated_at', 'failed_jobs'], path);
  const jobs = optional(object, 'jobs_per_iteration', (v, p) => expectInteger(v, p, 1), path);
  const budget = optional(object, 'budget', (v, p) => expectInteger(v, p, 1), path);
  const review = optional(object, 'review', (v, p) => expectOneOf(v, ['approve', 'cancel'] as const, p), path);
  const populatedAt = optional(object, 'populated_at', parsePopulatedAt, path);
  const failedJobs = optional(object, 'failed_jobs', (v, p) => expectArray(v, p).map((x, i) => expectInteger(x, `${p}[${i}]`, 0)), path);
  return {
    ...(jobs === undefined ? {} : { jobs_per_iteration: jobs }),
    ...(budget === undefined ? {} : { budget }),
    ...(review === undefined ? {} : { review }),
    ...(populatedAt === undefined ? {} : { populated_at: populatedAt }),
    ...(failedJobs === undefined ? {} : { failed_jobs: failedJobs }),
  };
}

function parsePopulatedAt(value: unknown, path: string): { readonly [hdcaId: string]: number } {
  const object = expectObject(value, path);
  const out: { [hdcaId: string]: number } = {};
  for (const [key, pass] of Object.entries(object)) {
    if (!/^[1-9][0-9]*$/.test(key)) fail(`${path}.${key}`, 'expected a history collection id as the key');
    out[key] = expectInteger(pass, `${path}.${key}`, 0);
  }
  return out;
}

/** Each collection `populated_at` names is one of the history's, not yet populated (`populated_state: "new"`). */
function checkPopulatedAt(scheduling: SchedulingOptions | undefined, history: History, path: string): void {
  for (const key of Object.keys(scheduling?.populated_at ?? {})) {
    const collection = history.collections.find((c) => c.id === Number(key));
    if (collection === undefined) fail(`${path}.${key}`, `no collection ${key} in the history`);
    if (collection.populated_state !== 'new') fail(`${path}.${key}`, `collection ${key} is not waiting to be populated (its populated_state is ${JSON.stringify(collection.populated_state ?? 'ok')}, not "new")`);
  }
}

/** Each step `failed_jobs` names is a top-level tool step of the workflow, named once. */
function checkFailedJobs(scheduling: SchedulingOptions | undefined, workflow: GaWorkflow, path: string): void {
  const seen = new Set<number>();
  for (const [i, orderIndex] of (scheduling?.failed_jobs ?? []).entries()) {
    const step = Object.values(workflow.steps).find((s) => s.id === orderIndex);
    if (step === undefined) fail(`${path}[${i}]`, `no step ${orderIndex} in the workflow`);
    if (step.type !== 'tool') fail(`${path}[${i}]`, `step ${orderIndex} is a ${step.type} step, not a tool step (only a tool step's jobs can fail)`);
    if (seen.has(orderIndex)) fail(`${path}[${i}]`, `step ${orderIndex} is named twice`);
    seen.add(orderIndex);
  }
}

/** parseCase for a tool execution: a workflow invocation case is refused. */
export function parseToolCase(value: unknown, source = 'case'): ToolCase {
  const c = parseCase(value, source);
  if (c.entry === 'workflow-invocation') fail(`${source}.entry`, 'expected a tool execution case, not a workflow invocation');
  return c;
}
