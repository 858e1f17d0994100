import type { ToolCase, JsonValue } from '../model/case.js';
import { isJsonObject } from '../model/json-checks.js';
import { activeWhenKey } from '../model/request-walk.js';
import type { ToolInput } from '../model/tool.js';

/**
 * The parameter levels of a case — each list of inputs in the tool's tree
 * (the top level, a section's, a conditional branch's, a repeat's) with the
 * request objects that fill it — and immutable rewrites of one level. The
 * request follows the tool as Galaxy's `visit_input_values` walks it: a
 * section's object (an absent one reads as empty), the object of a
 * conditional whose test selects that branch (`activeWhenKey`), each object
 * instance of a repeat.
 */

export type RequestObject = { readonly [key: string]: JsonValue };

export type LevelStep =
  | { readonly kind: 'section' | 'repeat'; readonly name: string }
  | { readonly kind: 'conditional'; readonly name: string; readonly when: string };

export interface Level {
  readonly path: readonly LevelStep[];
  readonly inputs: readonly ToolInput[];
  /** The request objects filling this level, in walk order. */
  readonly requests: readonly RequestObject[];
}

/** Every level of a case, depth first: a level, then the levels below each of its inputs in order. */
export function parameterLevels(c: ToolCase): Level[] {
  const out: Level[] = [];
  const walk = (path: readonly LevelStep[], inputs: readonly ToolInput[]): void => {
    out.push({ path, inputs, requests: requestsAt(c, path) });
    for (const input of inputs) {
      if (input.type === 'section' || input.type === 'repeat') walk([...path, { kind: input.type, name: input.name }], input.inputs);
      else if (input.type === 'conditional') {
        for (const [when, whenInputs] of Object.entries(input.whens)) walk([...path, { kind: 'conditional', name: input.name, when }], whenInputs);
      }
    }
  };
  walk([], c.tool.inputs);
  return out;
}

/** The request objects at a level. */
export function requestsAt(c: ToolCase, path: readonly LevelStep[]): RequestObject[] {
  const found: RequestObject[] = [];
  rewriteRequests(c.tool.inputs, c.request, path, (r) => {
    found.push(r);
    return r;
  });
  return found;
}

/** The case with one level's inputs and request objects rewritten (`request` gets each object and its index in walk order). */
export function rewriteLevel(
  c: ToolCase,
  path: readonly LevelStep[],
  change: { readonly inputs?: (inputs: readonly ToolInput[]) => readonly ToolInput[]; readonly request?: (r: RequestObject, index: number) => RequestObject },
): ToolCase {
  let index = 0;
  const request = change.request;
  return {
    ...c,
    tool: change.inputs === undefined ? c.tool : { ...c.tool, inputs: rewriteInputs(c.tool.inputs, path, change.inputs) },
    request: request === undefined ? c.request : rewriteRequests(c.tool.inputs, c.request, path, (r) => request(r, index++)),
  };
}

function rewriteInputs(inputs: readonly ToolInput[], path: readonly LevelStep[], change: (inputs: readonly ToolInput[]) => readonly ToolInput[]): readonly ToolInput[] {
  const [step, ...rest] = path;
  if (step === undefined) return change(inputs);
  return inputs.map((input): ToolInput => {
    if (input.name !== step.name) return input;
    if (step.kind === 'conditional' && input.type === 'conditional') {
      return { ...input, whens: { ...input.whens, [step.when]: rewriteInputs(input.whens[step.when] ?? [], rest, change) } };
    }
    if (step.kind === input.type && (input.type === 'section' || input.type === 'repeat')) return { ...input, inputs: rewriteInputs(input.inputs, rest, change) };
    return input;
  });
}

function rewriteRequests(inputs: readonly ToolInput[], object: RequestObject, path: readonly LevelStep[], change: (r: RequestObject) => RequestObject): RequestObject {
  const [step, ...rest] = path;
  if (step === undefined) return change(object);
  const input = inputs.find((i) => i.name === step.name);
  const value = object[step.name];
  if (step.kind === 'section' && input?.type === 'section') {
    const inner = rewriteRequests(input.inputs, isJsonObject(value) ? (value as RequestObject) : {}, rest, change);
    return !isJsonObject(value) && Object.keys(inner).length === 0 ? object : { ...object, [step.name]: inner };
  }
  if (step.kind === 'conditional' && input?.type === 'conditional') {
    if (!isJsonObject(value) || activeWhenKey(input, value) !== step.when) return object;
    return { ...object, [step.name]: rewriteRequests(input.whens[step.when] ?? [], value as RequestObject, rest, change) };
  }
  if (step.kind === 'repeat' && input?.type === 'repeat') {
    if (!Array.isArray(value)) return object;
    const instances = (value as readonly JsonValue[]).map((v) => (isJsonObject(v) ? rewriteRequests(input.inputs, v as RequestObject, rest, change) : v));
    return { ...object, [step.name]: instances };
  }
  return object;
}
