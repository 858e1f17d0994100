import { isJsonObject } from './json-checks.js';

/**
 * gxformat2 ("Format 2", `class: GalaxyWorkflow`, usually `.gxwf.yml`) read as
 * Galaxy reads it: Galaxy never stores Format 2. On import,
 * `WorkflowContentsManager.normalize_workflow_format`
 * (lib/galaxy/managers/workflows.py) sees `class: GalaxyWorkflow` and calls
 * gxformat2's `python_to_workflow` (gxformat2/converter.py), which builds the
 * native `.ga` dictionary (`to_native`, gxformat2/normalized/_conversion.py,
 * after `normalized_format2`, gxformat2/normalized/_format2.py). Everything
 * after that is the `.ga` path. This module is that conversion, as far as the
 * workflow's graph goes:
 *
 * - inputs (a mapping or a list; `name: type` shorthand; type aliases
 *   `File`/`data_input` → data, `data_collection`/`data_collection_input` →
 *   collection; a one-type list → `multiple`) become the first steps, in order
 *   (`_build_input_step`);
 * - steps (a mapping keyed by label, or a list) follow, order index = number of
 *   inputs + position (`_build_native_workflow`); the type is `tool` unless
 *   `type:` says otherwise or `run:` holds a workflow (`_resolve_step_type`,
 *   aliases `input`, `input_collection`, `parameter`);
 * - `in:` (a mapping of `input: source`, `input: [sources]`, `input: {source}`,
 *   or a list of `{id, source}`) and `$link` inside `state` (`_resolve_links`,
 *   the state path joined with `|`) become `input_connections`; a source is
 *   `label/output`, a bare label meaning its `output`, labels matched longest
 *   first (`resolve_source_reference`); `$step` becomes
 *   `__NO_INPUT_OUTPUT_NAME__` (`_build_input_connections`);
 * - a connection into a subworkflow step carries the inner input it feeds
 *   (`input_subworkflow_step_id`);
 * - `outputs:` (`outputSource`) become the source step's `workflow_outputs`
 *   (`_wire_workflow_outputs`); `when` is kept; `state` / `tool_state` /
 *   `runtime_inputs` become `tool_state`;
 * - a `$graph` document is its `main` entry with `#id` runs inlined
 *   (`_resolve_graph`).
 *
 * Not read, as they change nothing cardfuzz models: positions, comments,
 * reports, creators, post-job actions (`out:` renames, hides, tags), uuids.
 * A step run from outside the file (a URL, a TRS id, an `@import` of a file
 * beside it) is not modelled: Galaxy fetches or reads it, cardfuzz reads
 * only the file.
 */

/** Where Galaxy's import (gxformat2's conversion) would fail: one line, with gxformat2's message where it has one. */
export class Gxformat2Error extends Error {}

/** What Galaxy would import but cardfuzz does not read (a subworkflow or tool from outside the file). */
export class Gxformat2NotRead extends Error {}

/** Whether a parsed document is a Format 2 workflow (`class: GalaxyWorkflow`, or a `$graph` of them). */
export function looksLikeGxformat2(value: unknown): boolean {
  if (!isJsonObject(value)) return false;
  if (value['class'] === 'GalaxyWorkflow') return true;
  return Array.isArray(value['$graph']) && !('class' in value);
}

type Json = Record<string, unknown>;

/** gxformat2 `python_to_workflow`: the native `.ga` dictionary Galaxy builds from a Format 2 workflow. */
export function pythonToWorkflow(document: unknown): Json {
  if (!isJsonObject(document)) throw new Gxformat2Error('a Format 2 workflow is a mapping');
  const main = Array.isArray(document['$graph']) && !('class' in document) ? resolveGraph(document['$graph']) : document;
  return buildNativeWorkflow(main, 0);
}

/** `_resolve_graph`: the `main` entry of a `$graph` document, its `run: "#id"` steps inlined. */
function resolveGraph(graph: readonly unknown[]): Json {
  const lookup = new Map<string, Json>();
  for (const entry of graph) {
    if (!isJsonObject(entry)) throw new Gxformat2Error('Malformed workflow content in $graph');
    if (typeof entry['id'] !== 'string') throw new Gxformat2Error('No subworkflow ID found for entry in $graph.');
    lookup.set(entry['id'], entry);
  }
  const main = lookup.get('main');
  if (main === undefined) throw new Gxformat2Error("$graph has no 'main' workflow");
  const inline = (workflow: Json, depth: number): Json => {
    if (depth > 8) throw new Gxformat2Error('$graph references nest deeper than 8 levels');
    const steps = workflow['steps'];
    const each = (step: unknown): unknown => {
      if (!isJsonObject(step)) return step;
      const run = step['run'];
      if (typeof run !== 'string' || !run.startsWith('#')) return step;
      const resolved = lookup.get(run.slice(1));
      if (resolved === undefined) throw new Gxformat2Error(`$graph reference '${run}' not found in graph entries`);
      return { ...step, run: inline(resolved, depth + 1) };
    };
    if (Array.isArray(steps)) return { ...workflow, steps: steps.map(each) };
    if (isJsonObject(steps)) return { ...workflow, steps: Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, each(v)])) };
    return workflow;
  };
  return inline(main, 0);
}

interface Input {
  readonly id: string | null;
  readonly raw: Json;
}

interface Step {
  readonly id: string;
  readonly label: string | null;
  readonly raw: Json;
  /** Input name → its sources, in order (`in:` and `$link`). */
  readonly connections: ReadonlyMap<string, readonly string[]>;
  readonly state: Json | null;
}

/** `INPUT_TYPE_ALIASES` (`_normalize_input_type`). */
const INPUT_TYPE_ALIASES: Readonly<Record<string, string>> = { File: 'data', data_input: 'data', data_collection: 'collection', data_collection_input: 'collection' };
const PARAMETER_TYPES = new Set(['text', 'string', 'integer', 'int', 'float', 'color', 'boolean']);
/** `_resolve_step_type`'s aliases. */
const STEP_TYPE_ALIASES: Readonly<Record<string, string>> = { input: 'data_input', input_collection: 'data_collection_input', parameter: 'parameter_input' };

/** `_build_native_workflow` (after `normalized_format2`). */
function buildNativeWorkflow(workflow: Json, depth: number): Json {
  if (depth > 4) throw new Gxformat2Error('subworkflows nest deeper than 4 levels');
  const inputs = normalizeInputs(workflow['inputs']);
  const steps = normalizeSteps(workflow['steps'], inputs.length);
  const labels = registerLabels(inputs, steps);
  const native: Record<string, Json> = {};
  inputs.forEach((input, index) => {
    native[String(index)] = buildInputStep(input, index);
  });
  steps.forEach((step, j) => {
    const orderIndex = inputs.length + j;
    native[String(orderIndex)] = buildStep(step, orderIndex, labels, depth);
  });
  wireWorkflowOutputs(workflow['outputs'], native, labels);
  const name = typeof workflow['label'] === 'string' ? workflow['label'] : typeof workflow['name'] === 'string' ? workflow['name'] : 'Workflow';
  return { a_galaxy_workflow: 'true', 'format-version': '0.1', name, steps: native };
}

/** `_normalize_inputs`: a mapping keyed by id (a value may be just its type) or a list of parameters. */
function normalizeInputs(inputs: unknown): Input[] {
  if (inputs === undefined || inputs === null) return [];
  if (Array.isArray(inputs)) {
    return inputs.map((raw, i) => {
      if (!isJsonObject(raw)) throw new Gxformat2Error(`input ${i} is not a mapping`);
      // A listed input named by `label` alone is known by it (gxformat2's `inputs_as_native_steps` made it the step's label).
      const id = typeof raw['id'] === 'string' ? raw['id'] : typeof raw['label'] === 'string' ? raw['label'] : null;
      return { id, raw };
    });
  }
  if (!isJsonObject(inputs)) throw new Gxformat2Error('inputs is neither a mapping nor a list');
  return Object.entries(inputs).map(([key, value]) => {
    // A value that is not a mapping is the input's type (`convert_dict_to_id_list_if_needed`): `reads: data`, `names: [text]`.
    if (typeof value === 'string' || Array.isArray(value)) return { id: key, raw: { id: key, type: value } };
    if (isJsonObject(value)) return { id: typeof value['id'] === 'string' ? value['id'] : key, raw: value };
    return { id: key, raw: { id: key } };
  });
}

/** `_normalize_steps` and `_normalize_step`: a mapping's key is the step's id and label; a list's step gets its order index as id. */
function normalizeSteps(steps: unknown, inputsOffset: number): Step[] {
  if (steps === undefined || steps === null) return [];
  const entries: [id: string, label: string | null, raw: Json][] = [];
  if (Array.isArray(steps)) {
    steps.forEach((raw, i) => {
      if (!isJsonObject(raw)) throw new Gxformat2Error(`step ${i} is not a mapping`);
      entries.push([stringOr(raw['id'], String(i + inputsOffset)), typeof raw['label'] === 'string' ? raw['label'] : null, raw]);
    });
  } else if (isJsonObject(steps)) {
    for (const [key, raw] of Object.entries(steps)) {
      const object = isJsonObject(raw) ? raw : {};
      entries.push([stringOr(object['id'], key), typeof object['label'] === 'string' ? object['label'] : key, object]);
    }
  } else {
    throw new Gxformat2Error('steps is neither a mapping nor a list');
  }
  return entries.map(([id, label, raw]) => {
    const connections = new Map<string, string[]>();
    const add = (name: string, source: unknown): void => {
      const list = connections.get(name) ?? [];
      for (const s of Array.isArray(source) ? source : [source]) {
        if (typeof s === 'string' || typeof s === 'number') list.push(String(s));
      }
      connections.set(name, list);
    };
    const inField = raw['in'];
    if (Array.isArray(inField)) {
      for (const i of inField) if (isJsonObject(i) && typeof i['id'] === 'string' && i['source'] !== undefined) add(i['id'], i['source']);
    } else if (isJsonObject(inField)) {
      for (const [name, value] of Object.entries(inField)) {
        if (isJsonObject(value)) {
          if (value['source'] !== undefined) add(name, value['source']);
        } else add(name, value);
      }
    }
    let state: Json | null = isJsonObject(raw['state']) ? raw['state'] : null;
    if (state !== null) {
      const links = new Map<string, string[]>();
      state = resolveLinks(state, '', links) as Json;
      for (const [name, sources] of links) add(name, sources);
    }
    return { id, label, raw, connections, state };
  });
}

/** `_resolve_links`: each `{$link: source}` in a step's state becomes a ConnectedValue and a connection to the state path (`a|b`). */
function resolveLinks(value: unknown, key: string, links: Map<string, string[]>): unknown {
  const link = (v: Json): void => {
    links.set(key, [...(links.get(key) ?? []), String(v['$link'])]);
  };
  if (isJsonObject(value) && '$link' in value) {
    link(value);
    return { __class__: 'ConnectedValue' };
  }
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveLinks(v, key === '' ? k : `${key}|${k}`, links)]));
  if (Array.isArray(value)) {
    return value.map((v, i) => {
      if (isJsonObject(v) && '$link' in v) {
        link(v);
        return null;
      }
      return resolveLinks(v, `${key}_${i}`, links);
    });
  }
  return value;
}

/** `_register_labels`: input ids and step labels (or ids) → order index. */
function registerLabels(inputs: readonly Input[], steps: readonly Step[]): Map<string, number> {
  const labels = new Map<string, number>();
  inputs.forEach((input, i) => {
    if (input.id !== null) labels.set(input.id, i);
  });
  steps.forEach((step, j) => {
    const label = step.label ?? step.id;
    if (label !== '') labels.set(label, inputs.length + j);
  });
  return labels;
}

/** `resolve_source_reference` then `_ConversionContext.step_id`: a source's step order index and output name. */
function stepOutput(value: string, labels: ReadonlyMap<string, number>, where: string): [number, string] {
  let reference: [string, string] | null = null;
  for (const label of [...labels.keys()].sort((a, b) => b.length - a.length)) {
    if (value === label) reference = [label, 'output'];
    else if (value.startsWith(`${label}/`)) reference = [label, value.slice(label.length + 1)];
    if (reference !== null) break;
  }
  if (reference === null) {
    const slash = value.indexOf('/');
    reference = slash >= 0 ? [value.slice(0, slash), value.slice(slash + 1)] : [value, 'output'];
  }
  const [labelOrId, output] = reference;
  const known = labels.get(labelOrId);
  if (known !== undefined) return [known, output];
  // `int(label_or_id)`: a source that is neither a label nor an order index fails the import.
  if (/^\d+$/.test(labelOrId)) return [Number(labelOrId), output];
  throw new Gxformat2Error(`${where} connects to "${value}", which names no input or step of the workflow`);
}

/** `_build_input_step`. */
function buildInputStep(input: Input, orderIndex: number): Json {
  const raw = input.raw;
  const rawLabel = input.id ?? `Input ${orderIndex}`;
  let type: unknown = raw['type'];
  let multiple = false;
  if (Array.isArray(type)) {
    if (type.length !== 1) throw new Gxformat2Error('Only simple arrays of workflow inputs are currently supported');
    type = type[0];
    multiple = true;
  }
  const typeName = typeof type === 'string' ? (INPUT_TYPE_ALIASES[type] ?? type) : 'data';
  let stepType: string;
  if (['data', 'File', 'data_input'].includes(typeName)) stepType = 'data_input';
  else if (['collection', 'data_collection', 'data_collection_input'].includes(typeName)) stepType = 'data_collection_input';
  else if (PARAMETER_TYPES.has(typeName)) stepType = 'parameter_input';
  else throw new Gxformat2Error(`Unknown input type [${typeName}] encountered.`);
  const state: Json = { name: rawLabel };
  if (stepType === 'parameter_input') state['parameter_type'] = typeName === 'int' ? 'integer' : typeName === 'string' ? 'text' : typeName;
  if (multiple) state['multiple'] = true;
  if (typeof raw['optional'] === 'boolean') state['optional'] = raw['optional'];
  if (raw['format'] !== undefined) state['format'] = typeof raw['format'] === 'string' ? [raw['format']] : raw['format'];
  if (typeof raw['collection_type'] === 'string') state['collection_type'] = raw['collection_type'];
  if (raw['default'] !== undefined && raw['default'] !== null) state['default'] = raw['default'];
  return { id: orderIndex, type: stepType, label: rawLabel, name: rawLabel, tool_state: JSON.stringify(state), input_connections: {}, workflow_outputs: [] };
}

/** `_build_step` by `_resolve_step_type`. */
function buildStep(step: Step, orderIndex: number, labels: ReadonlyMap<string, number>, depth: number): Json {
  const raw = step.raw;
  const run = raw['run'];
  const where = `step ${step.label ?? step.id}`;
  let type: string;
  if (run !== undefined && run !== null) {
    if (isJsonObject(run) && run['class'] === 'GalaxyUserTool') type = 'tool';
    else if (typeof run === 'string' || (isJsonObject(run) && '@import' in run)) {
      const what = typeof run === 'string' ? `"${run}"` : `@import ${JSON.stringify((run as Json)['@import'])}`;
      throw new Gxformat2NotRead(`${where} runs ${what}, which Galaxy reads from outside the workflow (a URL, a TRS id or a file beside it); cardfuzz reads only what the file holds`);
    } else type = 'subworkflow';
  } else {
    const given = typeof raw['type'] === 'string' ? raw['type'] : 'tool';
    type = STEP_TYPE_ALIASES[given] ?? given;
  }
  const base: Json = {
    id: orderIndex,
    type,
    // `_step_label`: a mapping key, or a label that is not a bare number.
    label: step.label !== null && !/^\d+$/.test(step.label) ? step.label : !/^\d+$/.test(step.id) ? step.id : null,
    workflow_outputs: [],
    ...(typeof raw['when'] === 'string' ? { when: raw['when'] } : {}),
  };
  if (type === 'subworkflow') {
    const inner = run as Json;
    const innerInputs = normalizeInputs(inner['inputs']);
    const innerLabels = registerLabels(innerInputs, normalizeSteps(inner['steps'], innerInputs.length));
    return { ...base, tool_state: '{}', subworkflow: buildNativeWorkflow(inner, depth + 1), input_connections: buildInputConnections(step, labels, where, innerLabels) };
  }
  if (type === 'tool') {
    const toolId = typeof raw['tool_id'] === 'string' ? raw['tool_id'] : null;
    if (toolId === null && !(isJsonObject(run) && run['class'] === 'GalaxyUserTool')) throw new Gxformat2Error('Tool steps must define a tool_id.');
    const state: Json = { __page__: 0 };
    const runtime = Array.isArray(raw['runtime_inputs']) ? raw['runtime_inputs'].filter((r): r is string => typeof r === 'string') : [];
    if (step.state !== null || runtime.length > 0) {
      Object.assign(state, step.state ?? {});
      for (const r of runtime) state[r] = { __class__: 'RuntimeValue' };
    } else if (typeof raw['tool_state'] === 'string') {
      try {
        Object.assign(state, JSON.parse(raw['tool_state']) as Json);
      } catch {
        throw new Gxformat2Error(`${where}: tool_state is not JSON`);
      }
    } else if (isJsonObject(raw['tool_state'])) Object.assign(state, raw['tool_state']);
    return {
      ...base,
      tool_id: toolId ?? (isJsonObject(run) && typeof run['name'] === 'string' ? run['name'] : 'User Defined Tool'),
      ...(typeof raw['tool_version'] === 'string' ? { tool_version: raw['tool_version'] } : {}),
      tool_state: JSON.stringify(state),
      input_connections: buildInputConnections(step, labels, where),
    };
  }
  if (type === 'pause') {
    const name = step.label ?? 'Pause for dataset review';
    return { ...base, tool_state: JSON.stringify({ name }), input_connections: buildInputConnections(step, labels, where) };
  }
  // Input steps written as steps (`type: input`, ...) keep their state; other types (pick_value, ...) go on to the `.ga` reader, which names what Galaxy's modules know.
  return { ...base, tool_state: JSON.stringify(step.state ?? {}), input_connections: buildInputConnections(step, labels, where) };
}

/** `_build_input_connections`. */
function buildInputConnections(step: Step, labels: ReadonlyMap<string, number>, where: string, subworkflowLabels?: ReadonlyMap<string, number>): Json {
  const connections: Json = {};
  for (const [key, sources] of step.connections) {
    const list = sources.map((source) => {
      const [id, output_name] = stepOutput(key === '$step' ? `${source}/__NO_INPUT_OUTPUT_NAME__` : source, labels, `${where}'s input "${key}"`);
      const inner = subworkflowLabels?.get(key);
      return { id, output_name, ...(inner === undefined ? {} : { input_subworkflow_step_id: inner }) };
    });
    if (list.length > 0) connections[key === '$step' ? '__NO_INPUT_OUTPUT_NAME__' : key] = list;
  }
  return connections;
}

/** `_wire_workflow_outputs`: each output's `outputSource` marks that step output a workflow output. */
function wireWorkflowOutputs(outputs: unknown, native: Record<string, Json>, labels: ReadonlyMap<string, number>): void {
  const list: [string | null, Json][] = Array.isArray(outputs)
    ? outputs.filter(isJsonObject).map((o) => [typeof o['id'] === 'string' ? o['id'] : null, o])
    : isJsonObject(outputs)
      ? Object.entries(outputs).map(([k, v]) => [k, isJsonObject(v) ? v : {}])
      : [];
  for (const [id, output] of list) {
    const source = output['outputSource'];
    if (typeof source !== 'string') continue;
    const [stepId, output_name] = stepOutput(source, labels, `workflow output "${id ?? source}"`);
    const step = native[String(stepId)];
    if (step === undefined) continue;
    const rawLabel = typeof output['label'] === 'string' ? output['label'] : id;
    const label = rawLabel === null || rawLabel === '' || rawLabel.startsWith('_anonymous_output_') ? null : rawLabel;
    (step['workflow_outputs'] as Json[]).push({ output_name, label });
  }
}

function stringOr(value: unknown, fallback: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return fallback;
}
