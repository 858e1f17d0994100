import type { Entry, JsonValue, RequestInputs } from './case.js';
import { isJsonObject, describeJson } from './json-checks.js';
import { whenKey, type BooleanInput, type ConditionalInput, type DatasetInput, type ScalarInput, type ScalarValue, type SelectInput, type ToolInput } from './tool.js';

/**
 * Walks a request along the tool's parameter tree, the way Galaxy's
 * `visit_input_values` / `split_inputs_nested` do, and yields one leaf per
 * data, collection or scalar parameter with its prefixed key (`cond|input1`,
 * `queries_0|input2`, `sect|x`). Conditional test parameters are leaves too.
 *
 * Problems are reported, not thrown: `malformed` ones are mistakes in the case
 * itself (an unknown parameter name), `rejected` ones are requests Galaxy's
 * API refuses with a 400 (a repeat count out of range, a scalar of the wrong
 * JSON type, a missing required dataset).
 */

export type WalkProblemSeverity = 'malformed' | 'rejected';

export interface WalkProblem {
  readonly path: string;
  readonly message: string;
  readonly severity: WalkProblemSeverity;
}

export interface RequestLeaf {
  readonly key: string;
  readonly input: DatasetInput | ScalarInput;
  /** The request's value; `undefined` when the request leaves the parameter out. */
  readonly value: JsonValue | undefined;
  readonly path: string;
  /**
   * A legacy-API Batch on a key the tool does not declare: meta.py
   * `expand_meta_parameters` classifies every incoming key, declared or not
   * (`reordered_incoming.update(incoming_copy)`), so it still multiplies the
   * jobs, while `populate_state` never gives it to the tool.
   */
  readonly undeclared?: boolean;
}

export interface WalkedRequest {
  readonly leaves: readonly RequestLeaf[];
  readonly problems: readonly WalkProblem[];
}

type Mutable = { [key: string]: unknown };

export function walkRequest(inputs: readonly ToolInput[], request: RequestInputs, entry: Entry, path = 'request'): WalkedRequest {
  const leaves: RequestLeaf[] = [];
  const problems: WalkProblem[] = [];
  // Legacy: keys starting with "__" (__job_resource, __use_cached_job__, ...) are Galaxy's own, never parameters
  // (meta.py expand_flat_parameters_to_nested skips them).
  const nested = entry === 'legacy' ? nestLegacyKeys(inputs, withoutInternalKeys(request)) : request;
  if (entry === 'legacy') {
    const declared = new Set(inputs.map((i) => i.name));
    const undeclared = Object.keys(nested).filter((key) => !declared.has(key) && isLegacyBatch(nested[key]));
    if (undeclared.length > 0) {
      const rest: Mutable = { ...nested };
      for (const key of undeclared) delete rest[key];
      walkLevel(inputs, rest, '', path, leaves, problems);
      for (const key of undeclared) {
        leaves.push({ key, input: { name: key, type: 'data', multiple: true, optional: true }, value: nested[key] as JsonValue, path: `${path}.${key}`, undeclared: true });
      }
      return { leaves, problems };
    }
  }
  walkLevel(inputs, nested, '', path, leaves, problems);
  return { leaves, problems };
}

function walkLevel(
  inputs: readonly ToolInput[],
  level: { readonly [key: string]: unknown },
  prefix: string,
  path: string,
  leaves: RequestLeaf[],
  problems: WalkProblem[],
  extraAllowed: readonly string[] = [],
): void {
  const names = new Set(inputs.map((i) => i.name));
  for (const key of Object.keys(level)) {
    if (!names.has(key) && !extraAllowed.includes(key)) {
      problems.push({ path: `${path}.${key}`, message: `unknown parameter "${prefix}${key}"`, severity: 'malformed' });
    }
  }
  for (const input of inputs) {
    const raw = level[input.name] as JsonValue | undefined;
    const key = `${prefix}${input.name}`;
    const here = `${path}.${input.name}`;
    switch (input.type) {
      case 'conditional': {
        const object = raw === undefined || raw === null ? {} : raw;
        if (!isJsonObject(object)) {
          problems.push({ path: here, message: `a conditional takes an object, got ${describeJson(raw)}`, severity: 'rejected' });
          break;
        }
        const test = input.test_param;
        const rawTest = object[test.name] as JsonValue | undefined;
        const active = activeWhenKey(input, object);
        if (active === undefined) {
          problems.push({ path: `${here}.${test.name}`, message: `${describeJson(rawTest)} is not a value of the test parameter`, severity: 'rejected' });
          break;
        }
        leaves.push({ key: `${key}|${test.name}`, input: test, value: rawTest, path: `${here}.${test.name}` });
        const whenInputs = input.whens[active] ?? [];
        walkLevel(whenInputs, object, `${key}|`, here, leaves, problems, [test.name]);
        break;
      }
      case 'repeat': {
        const instances = raw === undefined || raw === null ? Array.from({ length: input.min }, () => ({})) : raw;
        if (!Array.isArray(instances)) {
          problems.push({ path: here, message: `a repeat takes an array, got ${describeJson(raw)}`, severity: 'rejected' });
          break;
        }
        if (instances.length < input.min || instances.length > input.max) {
          problems.push({ path: here, message: `${instances.length} instances; the tool allows ${input.min} to ${input.max}`, severity: 'rejected' });
          break;
        }
        instances.forEach((instance: unknown, index: number) => {
          if (!isJsonObject(instance)) {
            problems.push({ path: `${here}[${index}]`, message: `a repeat instance is an object, got ${describeJson(instance)}`, severity: 'rejected' });
            return;
          }
          walkLevel(input.inputs, instance, `${key}_${index}|`, `${here}[${index}]`, leaves, problems);
        });
        break;
      }
      case 'section': {
        const object = raw === undefined || raw === null ? {} : raw;
        if (!isJsonObject(object)) {
          problems.push({ path: here, message: `a section takes an object, got ${describeJson(raw)}`, severity: 'rejected' });
          break;
        }
        walkLevel(input.inputs, object, `${key}|`, here, leaves, problems);
        break;
      }
      default:
        leaves.push({ key, input, value: raw, path: here });
    }
  }
}

/**
 * The `whens` key of the branch a conditional's request object selects: its
 * test parameter's value, or the test parameter's default when absent;
 * undefined when the value is not one the test parameter takes.
 */
export function activeWhenKey(input: ConditionalInput, object: { readonly [key: string]: unknown }): string | undefined {
  const test = input.test_param;
  const value = readTestValue(test, object[test.name] as JsonValue | undefined);
  return value === undefined ? undefined : whenKey(value, test);
}

function readTestValue(test: SelectInput | BooleanInput, raw: JsonValue | undefined): ScalarValue | undefined {
  if (raw === undefined || raw === null) return test.value;
  if (test.type === 'boolean') return readBoolean(raw);
  // A dynamic select's options are only known at run time: any string may pick a when.
  if (typeof raw === 'string' && (test.dynamic === true || test.options.includes(raw))) return raw;
  return undefined;
}

/**
 * A boolean's value as basic.py `BooleanToolParameter.to_python` reads it
 * (galaxy.util `string_as_bool`): true, or a string "true"/"yes"/"on"/"1" in any case.
 */
export function readBoolean(raw: JsonValue | undefined): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw !== 'string') return undefined;
  const v = raw.trim().toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(v)) return true;
  if (['false', 'no', 'off', '0', ''].includes(v)) return false;
  return undefined;
}

function withoutInternalKeys(request: RequestInputs): RequestInputs {
  if (!Object.keys(request).some((k) => k.startsWith('__'))) return request;
  return Object.fromEntries(Object.entries(request).filter(([k]) => !k.startsWith('__')));
}

function isLegacyBatch(value: unknown): boolean {
  return isJsonObject(value) && value['batch'] === true && Array.isArray(value['values']);
}

/**
 * Turns the legacy API's flat keys (`cond|input1`, `queries_0|input2`) into
 * the nested form; nested values pass through unchanged.
 */
export function nestLegacyKeys(inputs: readonly ToolInput[], flat: { readonly [key: string]: unknown }): Mutable {
  const result: Mutable = {};
  for (const [key, value] of Object.entries(flat)) {
    if (key.endsWith('|__identifier__')) continue;
    const bar = key.indexOf('|');
    if (bar < 0) {
      result[key] = mergeValues(result[key], value);
      continue;
    }
    const head = key.slice(0, bar);
    const rest = key.slice(bar + 1);
    const repeatMatch = /^(.+)_(\d+)$/.exec(head);
    const repeat = repeatMatch ? inputs.find((i) => i.name === repeatMatch[1] && i.type === 'repeat') : undefined;
    if (repeat && repeat.type === 'repeat' && repeatMatch) {
      const list = (Array.isArray(result[repeat.name]) ? result[repeat.name] : []) as unknown[];
      const index = Number(repeatMatch[2]);
      list[index] = mergeValues(list[index], nestLegacyKeys(repeat.inputs, { [rest]: value }));
      result[repeat.name] = list;
      continue;
    }
    const input = inputs.find((i) => i.name === head);
    const subInputs: readonly ToolInput[] =
      input?.type === 'section'
        ? input.inputs
        : input?.type === 'conditional'
          ? [input.test_param, ...Object.values(input.whens).flat()]
          : [];
    result[head] = mergeValues(result[head], nestLegacyKeys(subInputs, { [rest]: value }));
  }
  for (const [name, value] of Object.entries(result)) {
    if (Array.isArray(value) && value.some((v, i) => !(i in value) || v === undefined)) {
      // A sparse repeat (r_1 without r_0): keep the hole visible to the walk as a non-object instance.
      result[name] = Array.from(value, (v) => (v === undefined ? null : v));
    }
  }
  return result;
}

function mergeValues(existing: unknown, incoming: unknown): unknown {
  if (isJsonObject(existing) && isJsonObject(incoming)) {
    const merged: Mutable = { ...existing };
    for (const [k, v] of Object.entries(incoming)) merged[k] = mergeValues(merged[k], v);
    return merged;
  }
  return incoming;
}
