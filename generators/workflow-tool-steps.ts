import fc from 'fast-check';
import type { JsonValue } from '../src/model/case.js';
import { isValidCollectionType } from '../src/model/collection-types.js';
import { parameterInputTypeFor, type ParameterInputType } from '../src/model/connection-match.js';
import { collectionTypeAlternatives, isScalarInput, testParamValues, type DatasetInput, type Tool, type ToolInput } from '../src/model/tool.js';
import type { CollectionSpec } from './case-spec.js';
import { collectionOfType } from './collection.js';
import type { GeneratorConstraints } from './constraints.js';
import { scalarValueArbitrary } from './tool-cases.js';

/**
 * Workflow tool steps that run a real tool (read from tool XML): the step's
 * state for the tool's own parameter tree — a when of each conditional,
 * repeat instances within min and max, scalar values or the defaults — and,
 * for each data or collection parameter reached (at top level or inside
 * sections, the selected whens of conditionals and repeat instances), which
 * upstream output feeds it. The connection itself is chosen when the
 * workflow is built (generators/workflow.ts), among the outputs whose type
 * the parameter accepts by Galaxy's rules (src/model/connection-match.ts).
 * A scalar parameter a workflow parameter input may feed (an integer, float,
 * text, boolean, color or single select, connection-match.ts
 * `parameterInputTypeFor`) is sometimes fed by a new parameter input of
 * that type instead of a value in the state.
 *
 * Shrinks towards: the first compatible output, optional parameters left
 * unconnected, scalar values in the state rather than connected, defaults,
 * the first when, the fewest repeat instances.
 */

/** One parameter of a real tool, in the tool's order. */
export type RealInputSpec =
  | {
      readonly kind: 'data';
      /** Which compatible upstream output feeds it (modulo their count). */
      readonly source: number;
      /** An optional parameter may stay unconnected. */
      readonly connect: boolean;
      /** The value of a new input step of the parameter's type, used when no upstream output fits: null for a dataset. */
      readonly fresh: CollectionSpec | null;
    }
  /**
   * A scalar parameter: its value in the step's state, or (`connect`, for a
   * parameter a parameter input may feed, connection-match.ts
   * `parameterInputTypeFor`) fed by a new parameter input of its type that
   * is given this value, or the parameter's default.
   */
  | { readonly kind: 'scalar'; readonly value: JsonValue | undefined; readonly connect?: boolean }
  | { readonly kind: 'conditional'; readonly when: string; readonly inner: readonly RealInputSpec[] }
  | { readonly kind: 'repeat'; readonly instances: readonly (readonly RealInputSpec[])[] }
  | { readonly kind: 'section'; readonly inner: readonly RealInputSpec[] };

export interface RealToolSpec {
  readonly tool: Tool;
  readonly inputs: readonly RealInputSpec[];
}

/** The collection type a new input step gets for a collection parameter: its first alternative, a `list` for any type. */
export function freshCollectionType(input: DatasetInput): string | null {
  if (input.type === 'data') return null;
  const first = collectionTypeAlternatives(input)?.[0] ?? 'list';
  return isValidCollectionType(first) ? first : 'list';
}

export function realToolSpecArbitrary(tool: Tool, constraints: GeneratorConstraints): fc.Arbitrary<RealToolSpec> {
  return specs(tool.inputs, constraints).map((inputs) => ({ tool, inputs }));
}

function specs(inputs: readonly ToolInput[], constraints: GeneratorConstraints): fc.Arbitrary<readonly RealInputSpec[]> {
  return fc.tuple(...inputs.map((input) => spec(input, constraints)));
}

function spec(input: ToolInput, constraints: GeneratorConstraints): fc.Arbitrary<RealInputSpec> {
  if (input.type === 'data' || input.type === 'data_collection') {
    const type = freshCollectionType(input);
    return fc.record({
      kind: fc.constant('data' as const),
      source: fc.nat({ max: 7 }),
      connect: input.optional ? fc.boolean() : fc.constant(true),
      fresh: type === null ? fc.constant(null) : collectionOfType(type, { ...constraints, minCollectionLength: Math.max(1, constraints.minCollectionLength) }),
    });
  }
  if (isScalarInput(input)) {
    // A multiple select is not fed from a parameter input here (a text input gives one string, not a list).
    if (parameterInputTypeFor(input) === null || (input.type === 'select' && input.multiple === true)) return scalarValueArbitrary(input).map((value): RealInputSpec => ({ kind: 'scalar', value }));
    return fc.record({
      value: scalarValueArbitrary(input),
      connect: fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 }),
    }).map(({ value, connect }): RealInputSpec => ({ kind: 'scalar', value, ...(connect ? { connect } : {}) }));
  }
  switch (input.type) {
    case 'conditional': {
      const keys = testParamValues(input.test_param);
      if (keys.length === 0) return fc.constant<RealInputSpec>({ kind: 'section', inner: [] });
      return fc.oneof(
        { withCrossShrink: true },
        ...keys.map((key) => specs(input.whens[key] ?? [], constraints).map((inner): RealInputSpec => ({ kind: 'conditional', when: key, inner }))),
      );
    }
    case 'repeat':
      return fc
        .array(specs(input.inputs, constraints), { minLength: input.min, maxLength: Math.max(input.min, Math.min(input.max, input.min + 2)) })
        .map((instances): RealInputSpec => ({ kind: 'repeat', instances }));
    case 'section':
      return specs(input.inputs, constraints).map((inner): RealInputSpec => ({ kind: 'section', inner }));
  }
}

/** A dataset parameter reached by the step's state, with its prefixed name (`sect|input`, `cond|input`, `queries_0|input`). */
export interface DataLeaf {
  readonly name: string;
  readonly input: DatasetInput;
  readonly spec: Extract<RealInputSpec, { kind: 'data' }>;
}

/** A scalar parameter reached by the step's state that a new parameter input feeds: its prefixed name, the input's type and value. */
export interface ScalarLeaf {
  readonly name: string;
  readonly type: ParameterInputType;
  readonly value: JsonValue;
}

/** The step's tool state (the values of its unconnected parameters, nested as the tool's tree), the dataset parameters it reaches, in order, and the scalar parameters to connect. */
export function realToolState(spec: RealToolSpec): { readonly state: Record<string, JsonValue>; readonly leaves: readonly DataLeaf[]; readonly scalars: readonly ScalarLeaf[] } {
  const leaves: DataLeaf[] = [];
  const scalars: ScalarLeaf[] = [];
  const fill = (inputs: readonly ToolInput[], values: readonly RealInputSpec[], prefix: string): Record<string, JsonValue> => {
    const state: Record<string, JsonValue> = {};
    inputs.forEach((input, i) => {
      const v = values[i];
      if (v === undefined) return;
      if (v.kind === 'data' && (input.type === 'data' || input.type === 'data_collection')) leaves.push({ name: `${prefix}${input.name}`, input, spec: v });
      else if (v.kind === 'scalar') {
        const type = v.connect === true && isScalarInput(input) ? parameterInputTypeFor(input) : null;
        if (type !== null && isScalarInput(input)) scalars.push({ name: `${prefix}${input.name}`, type, value: v.value ?? ('value' in input && input.value !== undefined ? input.value : '') });
        else if (v.value !== undefined) state[input.name] = v.value;
      } else if (v.kind === 'conditional' && input.type === 'conditional') {
        const test = input.test_param;
        const testValue = test.type === 'boolean' ? v.when === (test.truevalue ?? 'true') : v.when;
        state[input.name] = { [test.name]: testValue, ...fill(input.whens[v.when] ?? [], v.inner, `${prefix}${input.name}|`) };
      } else if (v.kind === 'repeat' && input.type === 'repeat') {
        state[input.name] = v.instances.map((instance, n) => fill(input.inputs, instance, `${prefix}${input.name}_${n}|`));
      } else if (v.kind === 'section' && input.type === 'section') {
        state[input.name] = fill(input.inputs, v.inner, `${prefix}${input.name}|`);
      }
    });
    return state;
  };
  const state = fill(spec.tool.inputs, spec.inputs, '');
  return { state, leaves, scalars };
}
