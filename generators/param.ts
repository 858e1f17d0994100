import fc from 'fast-check';
import type { ParamSpec, ScalarSpec, ValueSpec } from './case-spec.js';
import type { GeneratorConstraints } from './constraints.js';
import { collectionValue, COLLECTION_PARAM_TYPES, dataValue, multipleDataValue, type ValueMode } from './value.js';

/**
 * Tool parameters with their request values: data and collection parameters
 * (most of them), scalars, and conditionals, repeats and sections holding
 * dataset parameters, nested up to `maxDepth`.
 *
 * Shrinks towards: fewer parameters, plain `data` parameters, no nesting,
 * required single-valued parameters.
 */
export function params(constraints: GeneratorConstraints, mode: ValueMode, depth = 0): fc.Arbitrary<readonly ParamSpec[]> {
  return fc.array(param(constraints, mode, depth), { minLength: depth === 0 ? 1 : 0, maxLength: depth === 0 ? constraints.maxParams : 2 });
}

function optionalValue(value: fc.Arbitrary<ValueSpec>, mode: ValueMode): fc.Arbitrary<{ optional: boolean; value: ValueSpec }> {
  const required = value.map((v) => ({ optional: false, value: v }));
  if (mode === 'workflow-step') return required;
  const optional = fc.oneof({ withCrossShrink: true }, value, fc.constant<ValueSpec>({ kind: 'omitted' })).map((v) => ({ optional: true, value: v }));
  return fc.oneof({ withCrossShrink: true }, { arbitrary: required, weight: 8 }, { arbitrary: optional, weight: 1 });
}

function dataParam(constraints: GeneratorConstraints, mode: ValueMode): fc.Arbitrary<ParamSpec> {
  const plain = optionalValue(dataValue(constraints, mode), mode).map((v) => ({ kind: 'data' as const, multiple: false, ...v }));
  const multiple = optionalValue(multipleDataValue(constraints, mode), mode).map((v) => ({ kind: 'data' as const, multiple: true, ...v }));
  return fc.oneof({ withCrossShrink: true }, { arbitrary: plain, weight: 5 }, { arbitrary: multiple, weight: 1 });
}

function collectionParam(constraints: GeneratorConstraints, mode: ValueMode): fc.Arbitrary<ParamSpec> {
  return fc.oneof(
    { withCrossShrink: true },
    ...COLLECTION_PARAM_TYPES.map((type) => optionalValue(collectionValue(type, constraints, mode), mode).map((v) => ({ kind: 'data_collection' as const, collectionType: type, ...v }))),
  );
}

function scalarParam(): fc.Arbitrary<ParamSpec> {
  const scalar: fc.Arbitrary<ScalarSpec> = fc.oneof(
    fc.option(fc.integer({ min: -2, max: 100 }), { nil: undefined }).map((value) => ({ type: 'integer' as const, value })),
    fc.option(fc.string({ maxLength: 4 }), { nil: undefined }).map((value) => ({ type: 'text' as const, value })),
    fc.option(fc.boolean(), { nil: undefined }).map((value) => ({ type: 'boolean' as const, value })),
  );
  return scalar.map((s) => ({ kind: 'scalar' as const, scalar: s }));
}

function param(constraints: GeneratorConstraints, mode: ValueMode, depth: number): fc.Arbitrary<ParamSpec> {
  const leaves = [
    { arbitrary: dataParam(constraints, mode), weight: 8 },
    { arbitrary: collectionParam(constraints, mode), weight: 3 },
    { arbitrary: scalarParam(), weight: 2 },
  ];
  if (depth >= constraints.maxDepth) return fc.oneof({ withCrossShrink: true }, ...leaves);
  const nested = [
    {
      arbitrary: fc
        .record({ selected: fc.constantFrom<'a' | 'b'>('a', 'b'), inner: fc.oneof({ withCrossShrink: true }, dataParam(constraints, mode), collectionParam(constraints, mode)) })
        .map((c) => ({ kind: 'conditional' as const, ...c })),
      weight: 1,
    },
    {
      arbitrary: fc
        .array(mode === 'workflow-step' ? fc.constant<ValueSpec>({ kind: 'single', item: { kind: 'dataset' } }) : dataValue(constraints, mode), { maxLength: constraints.maxRepeats })
        .map((instances) => ({ kind: 'repeat' as const, instances })),
      weight: 1,
    },
    {
      arbitrary: params(constraints, mode, depth + 1).map((p) => ({ kind: 'section' as const, params: p })),
      weight: 1,
    },
  ];
  return fc.oneof({ withCrossShrink: true }, ...leaves, ...nested);
}
