import fc from 'fast-check';
import type { ToolCase, JsonValue, TesCaptureState } from '../src/model/case.js';
import { collectionTypeAlternatives, testParamValues, type ScalarInput, type ScalarValue, type Tool, type ToolInput } from '../src/model/tool.js';
import { CaseBuilder, flatten } from './build-case.js';
import type { FixedInputSpec, FixedToolCaseSpec, ValueSpec } from './case-spec.js';
import { DEFAULT_CONSTRAINTS, type GeneratorConstraints } from './constraints.js';
import { collectionValue, dataValue, multipleDataValue, type ValueMode } from './value.js';

/**
 * Cases for a fixed tool (read from Galaxy tool XML): requests valid for its
 * own parameter tree — a when of each conditional, repeat instances within
 * min and max, values for every dataset parameter of the kinds its type takes
 * — and the history they reference.
 *
 * Shrinks towards: defaults and single datasets, the first when, the fewest
 * repeat instances, the tool request API.
 */
export function caseForToolArbitrary(tool: Tool, constraints: GeneratorConstraints = DEFAULT_CONSTRAINTS): fc.Arbitrary<ToolCase> {
  const forEntry = (entry: FixedToolCaseSpec['entry'], mode: ValueMode): fc.Arbitrary<FixedToolCaseSpec> =>
    fc.record({
      entry: fc.constant(entry),
      values: inputSpecs(tool.inputs, constraints, mode),
      flatKeys: entry === 'legacy' ? fc.boolean() : fc.constant(false),
      stepState: fc.constant<TesCaptureState>('validated'),
      jobLimit: entry === 'workflow-step' ? fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }) : fc.constant(undefined),
    });
  const entries = [
    { entry: 'tool-request' as const, arbitrary: forEntry('tool-request', 'request'), weight: 6 },
    { entry: 'legacy' as const, arbitrary: forEntry('legacy', 'request'), weight: 2 },
    { entry: 'workflow-step' as const, arbitrary: forEntry('workflow-step', 'workflow-step'), weight: 2 },
  ].filter((e) => constraints.entries.includes(e.entry));
  return fc.oneof({ withCrossShrink: true }, ...entries).map((spec) => buildToolCase(tool, spec));
}

function inputSpecs(inputs: readonly ToolInput[], constraints: GeneratorConstraints, mode: ValueMode): fc.Arbitrary<readonly FixedInputSpec[]> {
  return fc.tuple(...inputs.map((input) => inputSpec(input, constraints, mode)));
}

function inputSpec(input: ToolInput, constraints: GeneratorConstraints, mode: ValueMode): fc.Arbitrary<FixedInputSpec> {
  const value = (v: fc.Arbitrary<ValueSpec>, optional: boolean | undefined): fc.Arbitrary<FixedInputSpec> =>
    (optional ? fc.oneof({ withCrossShrink: true }, v, fc.constant<ValueSpec>({ kind: 'omitted' })) : v).map((x) => ({ kind: 'value' as const, value: x }));
  switch (input.type) {
    case 'data':
      return value(input.multiple ? multipleDataValue(constraints, mode) : dataValue(constraints, mode), input.optional);
    case 'data_collection':
      // Alternatives are generated one each; a parameter of any type gets lists.
      return value(
        fc.oneof(...(collectionTypeAlternatives(input) ?? ['list']).map((type) => collectionValue(type, constraints, mode))),
        input.optional,
      );
    case 'conditional': {
      const keys = testParamValues(input.test_param);
      return fc.oneof(
        { withCrossShrink: true },
        ...keys.map((key) => inputSpecs(input.whens[key] ?? [], constraints, mode).map((inner) => ({ kind: 'conditional' as const, when: key, inner }))),
      );
    }
    case 'repeat':
      return fc
        .array(inputSpecs(input.inputs, constraints, mode), { minLength: input.min, maxLength: Math.max(input.min, Math.min(input.max, input.min + constraints.maxRepeats)) })
        .map((instances) => ({ kind: 'repeat' as const, instances }));
    case 'section':
      return inputSpecs(input.inputs, constraints, mode).map((inner) => ({ kind: 'section' as const, inner }));
    default:
      return scalarValueArbitrary(input).map((value) => ({ kind: 'scalar' as const, value }));
  }
}

/**
 * A value for a scalar parameter of a fixed tool, or undefined (the request
 * leaves it out and the tool's default applies). Shrinks towards the default.
 */
export function scalarValueArbitrary(input: ScalarInput): fc.Arbitrary<ScalarValue | undefined> {
  switch (input.type) {
    case 'select':
      // A dynamic select whose options are unknown gets its default (nothing is sent).
      if (input.options.length === 0) return fc.constant(undefined);
      return fc.option(fc.constantFrom(...input.options), { nil: undefined });
    case 'boolean':
      return fc.option(fc.boolean(), { nil: undefined });
    case 'integer':
      return fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined });
    case 'float':
      return fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined });
    case 'text':
      return fc.option(fc.string({ maxLength: 4 }), { nil: undefined });
    case 'hidden':
    case 'baseurl':
    case 'color':
    case 'data_column':
    case 'genomebuild':
    case 'group_tag':
    case 'drill_down':
      return fc.constant(undefined);
  }
}

/** The case a fixed-tool spec describes. */
export function buildToolCase(tool: Tool, spec: FixedToolCaseSpec): ToolCase {
  const builder = new CaseBuilder(spec.entry);
  const fill = (inputs: readonly ToolInput[], values: readonly FixedInputSpec[]): Record<string, JsonValue> => {
    const request: Record<string, JsonValue> = {};
    inputs.forEach((input, i) => {
      const v = values[i]!;
      if (v.kind === 'value') builder.assign(request, input.name, v.value);
      else if (v.kind === 'scalar') {
        if (v.value !== undefined) request[input.name] = v.value;
      } else if (v.kind === 'conditional' && input.type === 'conditional') {
        const testValue = input.test_param.type === 'boolean' ? v.when === (input.test_param.truevalue ?? 'true') : v.when;
        request[input.name] = { [input.test_param.name]: testValue, ...fill(input.whens[v.when] ?? [], v.inner) };
      } else if (v.kind === 'repeat' && input.type === 'repeat') {
        request[input.name] = v.instances.map((instance) => fill(input.inputs, instance));
      } else if (v.kind === 'section' && input.type === 'section') {
        request[input.name] = fill(input.inputs, v.inner);
      }
    });
    return request;
  };
  const request = fill(tool.inputs, spec.values);
  const step = spec.entry === 'workflow-step' && spec.jobLimit !== undefined ? { step: { job_limit: spec.jobLimit } } : {};
  return {
    tool,
    history: { datasets: builder.datasets, collections: builder.collections },
    entry: spec.entry,
    request: spec.entry === 'legacy' && spec.flatKeys ? flatten(request, tool.inputs) : request,
    ...step,
  };
}
