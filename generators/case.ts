import fc from 'fast-check';
import type { Case, ToolCase, TesCaptureState } from '../src/model/case.js';
import { workflowCaseArbitrary } from './workflow.js';
import { buildCase } from './build-case.js';
import type { CaseSpec, OutputSpec } from './case-spec.js';
import { DEFAULT_CONSTRAINTS, type GeneratorConstraints } from './constraints.js';
import { params } from './param.js';
import type { ValueMode } from './value.js';

/**
 * Whole fuzz cases: a tool, the history it runs in, the entry point (tool
 * request API, legacy API, workflow step) and a request valid for them.
 *
 * Shrinks towards: the tool request API, fewer parameters and outputs,
 * shorter batches, shallower collections, no rerun/remap, a regular tool,
 * a validated workflow step scheduled at once.
 */
export function caseSpecArbitrary(constraints: GeneratorConstraints = DEFAULT_CONSTRAINTS): fc.Arbitrary<CaseSpec> {
  const output: fc.Arbitrary<OutputSpec> = fc.record(
    {
      type: fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant<'data' | 'collection'>('data'), weight: 4 }, { arbitrary: fc.constant<'data' | 'collection'>('collection'), weight: 1 }),
      collectionType: fc.constantFrom<'list' | 'paired'>('list', 'paired'),
      whenMode: constraints.outputFilters
        ? fc.oneof(
            { withCrossShrink: true },
            { arbitrary: fc.constant(undefined), weight: 6 },
            { arbitrary: fc.constant<'on'>('on'), weight: 1 },
            { arbitrary: fc.constant<'off'>('off'), weight: 1 },
          )
        : fc.constant(undefined),
    },
    { requiredKeys: ['type', 'collectionType'] },
  );
  const rare = (weight: number): fc.Arbitrary<boolean> =>
    fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant(false), weight }, { arbitrary: fc.constant(true), weight: 1 });
  const forEntry = (entry: CaseSpec['entry'], mode: ValueMode): fc.Arbitrary<CaseSpec> =>
    fc.record({
      entry: fc.constant(entry),
      params: params(constraints, mode),
      outputs: fc.array(output, { minLength: constraints.minOutputs, maxLength: Math.max(constraints.minOutputs, constraints.maxOutputs) }),
      mode: fc.constantFrom<'on' | 'off'>('on', 'off'),
      flatKeys: entry === 'legacy' ? fc.boolean() : fc.constant(false),
      rerunRemap: entry === 'workflow-step' ? fc.constant(false) : rare(40),
      dataSource: entry === 'workflow-step' ? fc.constant(false) : rare(60),
      stepState:
        entry === 'workflow-step'
          ? fc.oneof(
              { withCrossShrink: true },
              { arbitrary: fc.constant<TesCaptureState>('validated'), weight: 6 },
              { arbitrary: fc.constant<TesCaptureState>('not_validated'), weight: 1 },
              { arbitrary: fc.constant<TesCaptureState>('validation_failed'), weight: 1 },
            )
          : fc.constant<TesCaptureState>('validated'),
      jobLimit:
        entry === 'workflow-step'
          ? fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 2 })
          : fc.constant(undefined),
    });
  const entries = [
    { entry: 'tool-request' as const, arbitrary: forEntry('tool-request', 'request'), weight: 6 },
    { entry: 'legacy' as const, arbitrary: forEntry('legacy', 'request'), weight: 2 },
    { entry: 'workflow-step' as const, arbitrary: forEntry('workflow-step', 'workflow-step'), weight: 2 },
  ].filter((e) => constraints.entries.includes(e.entry));
  return fc.oneof({ withCrossShrink: true }, ...entries);
}

/** Fuzz cases (case format version 1) derived from generated specs. */
export function caseArbitrary(constraints: GeneratorConstraints = DEFAULT_CONSTRAINTS): fc.Arbitrary<ToolCase> {
  return caseSpecArbitrary(constraints).map(buildCase);
}

/**
 * Histories for the upgrade property: one to three executions written by the
 * previous profile. Shrinks towards: a single execution.
 */
export function historyArbitrary(constraints: GeneratorConstraints = DEFAULT_CONSTRAINTS): fc.Arbitrary<readonly ToolCase[]> {
  return fc.array(caseArbitrary(constraints), { minLength: 1, maxLength: 3 });
}

/**
 * The default campaign's mix: tool executions (tool request API, legacy API,
 * single workflow steps) and whole workflow invocations, one in five.
 */
export function fuzzCaseArbitrary(constraints: GeneratorConstraints = DEFAULT_CONSTRAINTS): fc.Arbitrary<Case> {
  return fc.oneof({ arbitrary: caseArbitrary(constraints) as fc.Arbitrary<Case>, weight: 4 }, { arbitrary: workflowCaseArbitrary(constraints) as fc.Arbitrary<Case>, weight: 1 });
}
