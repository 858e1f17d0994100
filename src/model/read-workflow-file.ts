import { InvalidInputError, NotModelledError } from '../errors.js';
import { testParamValues, whenKey, type Tool, type ToolInput, type ToolOutput } from './tool.js';
import type { JsonValue } from './case.js';
import { WORKFLOW_STEP_TYPES, type GaConnection, type GaStep, type GaWorkflow } from './workflow.js';
import { unreadWhenExpressions, NON_DATA_CONNECTION, workflowGraph, WorkflowRefused } from './workflow-graph.js';
import { isJsonObject } from './json-checks.js';
import { Gxformat2Error, Gxformat2NotRead, looksLikeGxformat2, pythonToWorkflow } from './gxformat2.js';

/**
 * A workflow as Galaxy exports it (`.ga` JSON, format-version 0.1, or
 * gxformat2 converted to it as Galaxy's import does, see gxformat2.ts), read
 * for `run --workflow`: its steps, connections and subworkflows as they are, and
 * the tool behind each tool step. A tool given with `--tool` is used as it is;
 * otherwise the step's own description stands in for it (what a `.ga` says of
 * a tool step: the inputs it connects and the outputs it lists), and a note
 * names what was inferred. Galaxy's own refusals (a tool step naming no tool,
 * a connection to a step the workflow lacks) are one line, exit 2.
 */

export interface WorkflowFile {
  readonly workflow: GaWorkflow;
  readonly tools: readonly Tool[];
  /** What the step descriptions stood in for, one note each. */
  readonly notes: readonly string[];
}

/** Whether a parsed JSON document is a `.ga` workflow (Galaxy marks them `"a_galaxy_workflow": "true"`). */
export function looksLikeGaWorkflow(value: unknown): boolean {
  return isJsonObject(value) && value['a_galaxy_workflow'] === 'true';
}

export function readWorkflowFile(document: unknown, source: string, givenTools: readonly Tool[] = []): WorkflowFile {
  const value = nativeWorkflow(document, source);
  const tools = new Map<string, Tool>(givenTools.map((t) => [t.id, t]));
  const inferred = new Map<string, Tool>();
  const notes: string[] = [];
  const workflow = readLevel(value, source, tools, inferred, notes, 0);
  const all = [...givenTools, ...inferred.values()];
  let graph;
  try {
    graph = workflowGraph(workflow, all);
  } catch (error) {
    if (error instanceof WorkflowRefused) throw new InvalidInputError(`${source}: ${error.message}`);
    throw error;
  }
  const whens = unreadWhenExpressions(graph);
  if (whens.length > 0) throw new NotModelledError(`${source}: not modelled: ${whens[0]}${whens.length > 1 ? ` (and ${whens.length - 1} more)` : ''}, which Galaxy evaluates as JavaScript`);
  return { workflow, tools: all, notes };
}

/** A `.ga` document as it is; a gxformat2 one as Galaxy's import converts it. */
export function nativeWorkflow(document: unknown, source: string): unknown {
  if (looksLikeGaWorkflow(document)) return document;
  if (looksLikeGxformat2(document)) {
    try {
      return pythonToWorkflow(document);
    } catch (error) {
      if (error instanceof Gxformat2Error) throw new InvalidInputError(`${source}: Galaxy cannot import this gxformat2 workflow: ${error.message}`);
      if (error instanceof Gxformat2NotRead) throw new NotModelledError(`${source}: not modelled: ${error.message}`);
      throw error;
    }
  }
  throw new InvalidInputError(`${source}: not a Galaxy workflow (.ga JSON with "a_galaxy_workflow": "true", or gxformat2 with "class: GalaxyWorkflow")`);
}

function readLevel(value: unknown, source: string, tools: ReadonlyMap<string, Tool>, inferred: Map<string, Tool>, notes: string[], depth: number): GaWorkflow {
  if (!isJsonObject(value) || !isJsonObject(value['steps'])) throw new InvalidInputError(`${source}: a workflow needs "steps"`);
  if (depth > 4) throw new InvalidInputError(`${source}: subworkflows nest deeper than 4 levels`);
  const steps: Record<string, GaStep> = {};
  // The outputs of each step that other steps connect to or the workflow exports: a tool step's outputs even where its `outputs` list is absent.
  const referenced = new Map<number, Set<string>>();
  const note = (id: number, name: string): void => {
    const set = referenced.get(id) ?? new Set<string>();
    set.add(name);
    referenced.set(id, set);
  };
  for (const [key, raw] of Object.entries(value['steps'] as Record<string, unknown>)) {
    if (!isJsonObject(raw)) continue;
    for (const [input, c] of Object.entries(isJsonObject(raw['input_connections']) ? (raw['input_connections'] as Record<string, unknown>) : {})) {
      // A non-data connection (`$step`) names no output of its step.
      if (input === NON_DATA_CONNECTION) continue;
      for (const x of (Array.isArray(c) ? c : [c]).filter(isJsonObject)) note(Number(x['id']), String(x['output_name']));
    }
    for (const o of Array.isArray(raw['workflow_outputs']) ? raw['workflow_outputs'].filter(isJsonObject) : []) note(typeof raw['id'] === 'number' ? raw['id'] : Number(key), String(o['output_name']));
  }
  for (const [key, raw] of Object.entries(value['steps'] as Record<string, unknown>)) {
    if (!isJsonObject(raw)) throw new InvalidInputError(`${source}: step ${key} is not an object`);
    const type = raw['type'];
    if (typeof type !== 'string' || !(WORKFLOW_STEP_TYPES as readonly string[]).includes(type)) {
      throw new InvalidInputError(`${source}: step ${key} has type ${JSON.stringify(type)}, which Galaxy's workflow modules do not know (${WORKFLOW_STEP_TYPES.join(', ')})`);
    }
    const id = typeof raw['id'] === 'number' ? raw['id'] : Number(key);
    const toolId = type === 'tool' && typeof raw['tool_id'] === 'string' ? raw['tool_id'] : '';
    // A given tool has the step's nested parameters where the `.ga` names them (`cond|input`, `sect|input`, `rep_0|input`).
    const given = tools.get(toolId);
    const connections: Record<string, GaConnection[]> = {};
    for (const [input, c] of Object.entries(isJsonObject(raw['input_connections']) ? (raw['input_connections'] as Record<string, unknown>) : {})) {
      const list = (Array.isArray(c) ? c : [c]).filter(isJsonObject).map((x) => ({
        id: Number(x['id']),
        output_name: String(x['output_name']),
        ...(typeof x['input_subworkflow_step_id'] === 'number' ? { input_subworkflow_step_id: x['input_subworkflow_step_id'] } : {}),
      }));
      // A nested parameter's connection ("cond|input") into a tool the step stands in for: that tool has it at top level, renamed.
      connections[type === 'tool' && given === undefined ? flatName(input) : input] = list;
    }
    const base = {
      id,
      type: type as GaStep['type'],
      label: typeof raw['label'] === 'string' ? raw['label'] : null,
      input_connections: connections,
      workflow_outputs: Array.isArray(raw['workflow_outputs']) ? raw['workflow_outputs'].filter(isJsonObject).map((o) => ({ output_name: String(o['output_name']), label: typeof o['label'] === 'string' ? o['label'] : null })) : [],
      ...(typeof raw['when'] === 'string' && raw['when'] !== '' ? { when: raw['when'] } : {}),
    };
    if (type === 'tool') {
      if (toolId === '') throw new InvalidInputError(`${source}: tool step ${key} names no tool_id`);
      if (given === undefined && !inferred.has(toolId)) inferred.set(toolId, inferTool(toolId, raw, connections, referenced.get(id) ?? new Set(), notes, source));
      steps[key] = { ...base, tool_id: toolId, tool_state: JSON.stringify(given === undefined ? {} : toolStepStructure(given, raw['tool_state'])) };
    } else if (type === 'subworkflow') {
      steps[key] = { ...base, subworkflow: readLevel(raw['subworkflow'], `${source} step ${key}`, tools, inferred, notes, depth + 1) };
    } else {
      steps[key] = { ...base, tool_state: JSON.stringify(inputStepState(raw)) };
    }
  }
  return { a_galaxy_workflow: 'true', 'format-version': '0.1', name: typeof value['name'] === 'string' ? value['name'] : 'workflow', steps };
}

/**
 * The part of a tool step's saved state that decides where its nested
 * connections go: the value of each conditional's test parameter (which when
 * the step runs), the instances of each repeat, and sections, as Galaxy
 * recovers the state of a step whose tool is installed (modules.py
 * `ToolModule.recover_state`, `DefaultToolState.decode`: `params_from_strings`
 * reads each top-level value that is JSON text). Scalar values are not read:
 * the step's unconnected scalars take the tool's defaults. A value a
 * conditional's test cannot take is left out (the test's default selects).
 */
export function toolStepStructure(tool: Tool, toolState: unknown): Record<string, JsonValue> {
  const parse = (value: unknown): unknown => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  };
  const top = parse(toolState);
  const decoded: Record<string, unknown> = {};
  if (isJsonObject(top)) for (const [k, v] of Object.entries(top)) decoded[k] = parse(v);
  const walk = (inputs: readonly ToolInput[], state: Record<string, unknown>): Record<string, JsonValue> => {
    const out: Record<string, JsonValue> = {};
    for (const input of inputs) {
      const value = state[input.name];
      if (input.type === 'section') out[input.name] = walk(input.inputs, isJsonObject(value) ? value : {});
      else if (input.type === 'repeat' && Array.isArray(value)) out[input.name] = value.map((instance) => walk(input.inputs, isJsonObject(instance) ? instance : {}));
      else if (input.type === 'conditional') {
        const inner = isJsonObject(value) ? value : {};
        const test = input.test_param;
        const raw = inner[test.name];
        const keys = testParamValues(test);
        let selected: string | boolean | undefined;
        if (test.type === 'boolean') {
          if (typeof raw === 'boolean') selected = raw;
          else if (typeof raw === 'string' && keys.includes(raw)) selected = raw === (test.truevalue ?? 'true');
        } else if (typeof raw === 'string' && input.whens[raw] !== undefined) selected = raw;
        const chosen = selected ?? test.value;
        out[input.name] = { [test.name]: chosen, ...walk(input.whens[whenKey(chosen, test)] ?? [], inner) };
      }
    }
    return out;
  };
  return walk(tool.inputs, decoded);
}

function flatName(input: string): string {
  return input.replaceAll('|', '__');
}

/** An input step's options as Galaxy stores them in `tool_state` (JSON text, or an object in newer exports). */
function inputStepState(raw: Record<string, unknown>): Record<string, unknown> {
  const state = raw['tool_state'];
  let parsed: unknown = state;
  if (typeof state === 'string') {
    try {
      parsed = JSON.parse(state);
    } catch {
      parsed = {};
    }
  }
  const object = isJsonObject(parsed) ? parsed : {};
  return {
    optional: object['optional'] === true || object['optional'] === 'true',
    ...(typeof object['collection_type'] === 'string' ? { collection_type: object['collection_type'] } : {}),
    ...(typeof object['parameter_type'] === 'string' ? { parameter_type: object['parameter_type'] } : {}),
  };
}

/**
 * A tool step without its tool: the inputs it connects become single `data`
 * inputs (whether one takes several datasets or a collection is the tool's to
 * say), and the outputs it lists become data outputs.
 */
function inferTool(toolId: string, raw: Record<string, unknown>, connections: Record<string, GaConnection[]>, referenced: ReadonlySet<string>, notes: string[], source: string): Tool {
  const inputs: ToolInput[] = Object.keys(connections)
    .filter((name) => name !== 'when' && name !== NON_DATA_CONNECTION)
    .map((name) => ({ name, type: 'data' as const, ...(connections[name]!.length > 1 ? { multiple: true } : {}) }));
  const listed = Array.isArray(raw['outputs']) ? raw['outputs'].filter(isJsonObject).map((o) => String(o['name'])) : [];
  const outputs: ToolOutput[] = [...new Set([...listed, ...referenced])].map((name) => ({ name, type: 'data' as const }));
  notes.push(
    `${source}: tool ${toolId} is not given (--tool): its step stands in for it, with ${inputs.length} connected input${inputs.length === 1 ? '' : 's'} read as single data inputs (a multiple or collection input maps where Galaxy would reduce) and ${outputs.length} output${outputs.length === 1 ? '' : 's'} (listed, connected to or exported) read as datasets; its unconnected parameters are not read`,
  );
  return { id: toolId, inputs, outputs };
}
