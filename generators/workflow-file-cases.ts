import fc from 'fast-check';
import type { JsonValue } from '../src/model/case.js';
import type { CollectionElement, HistoryCollection, HistoryDataset, NestedCollection } from '../src/model/history.js';
import type { WorkflowFile } from '../src/model/read-workflow-file.js';
import type { SchedulingOptions, WorkflowCase } from '../src/model/workflow.js';
import { inputOptional } from '../src/model/workflow-graph.js';
import type { CollectionSpec } from './case-spec.js';
import { collectionOfType } from './collection.js';
import { DEFAULT_CONSTRAINTS, type GeneratorConstraints } from './constraints.js';

/**
 * Invocations of one real workflow (`run --workflow`): a history and a
 * value for each of its input steps that the step accepts — a dataset or a
 * `list` for a data input (a list maps the steps it feeds), a collection of
 * the declared type for a collection input, a value of the declared type for
 * a parameter input — sometimes a linked batch of several, and sometimes a job
 * cap per scheduling pass. The workflow itself stays as it is.
 *
 * Shrinks towards: plain datasets, smaller collections, one invocation, no job cap.
 */

type InputValue =
  | { readonly kind: 'dataset' }
  | { readonly kind: 'collection'; readonly collection: CollectionSpec }
  | { readonly kind: 'parameter'; readonly value: JsonValue }
  | { readonly kind: 'none' };

interface FileCaseSpec {
  readonly values: readonly (readonly InputValue[])[];
  readonly jobsPerIteration: number | undefined;
}

export function workflowFileCaseArbitrary(file: WorkflowFile, constraints: GeneratorConstraints = DEFAULT_CONSTRAINTS): fc.Arbitrary<WorkflowCase> {
  const inputSteps = Object.values(file.workflow.steps)
    .filter((s) => s.type === 'data_input' || s.type === 'data_collection_input' || s.type === 'parameter_input')
    .sort((a, b) => a.id - b.id);
  const valueFor = (stateText: string | null | undefined, type: string): fc.Arbitrary<InputValue> => {
    const state = JSON.parse(stateText ?? '{}') as { optional?: boolean; collection_type?: string; parameter_type?: string };
    const none = inputOptional(state) ? [{ arbitrary: fc.constant<InputValue>({ kind: 'none' }), weight: 1 }] : [];
    if (type === 'data_input') {
      return fc.oneof(
        { withCrossShrink: true },
        { arbitrary: fc.constant<InputValue>({ kind: 'dataset' }), weight: 4 },
        { arbitrary: collectionOfType('list', constraints).map((c): InputValue => ({ kind: 'collection', collection: c })), weight: 1 },
        ...none,
      );
    }
    if (type === 'data_collection_input') {
      const collectionType = (state.collection_type ?? 'list').split(',')[0]!.trim() || 'list';
      return fc.oneof({ withCrossShrink: true }, { arbitrary: collectionOfType(collectionType, constraints).map((c): InputValue => ({ kind: 'collection', collection: c })), weight: 4 }, ...none);
    }
    const parameterType = state.parameter_type ?? 'text';
    const value: fc.Arbitrary<JsonValue> = parameterType === 'boolean' ? fc.boolean() : parameterType === 'integer' ? fc.integer({ min: 0, max: 3 }) : parameterType === 'float' ? fc.double({ min: 0, max: 1, noNaN: true }) : fc.constantFrom('a', 'b');
    return fc.oneof({ withCrossShrink: true }, { arbitrary: value.map((v): InputValue => ({ kind: 'parameter', value: v })), weight: 4 }, ...none);
  };
  const one = fc.tuple(...inputSteps.map((s) => valueFor(s.tool_state, s.type)));
  const spec: fc.Arbitrary<FileCaseSpec> = fc.record({
    // Several value sets: a linked batch, one invocation per set.
    values: fc.oneof({ withCrossShrink: true }, { arbitrary: one.map((v) => [v]), weight: 4 }, { arbitrary: fc.array(one, { minLength: 2, maxLength: 3 }), weight: 1 }),
    jobsPerIteration: fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 1 }),
  });
  return spec.map((s) => build(file, inputSteps.map((i) => i.id), s));
}

function build(file: WorkflowFile, inputIds: readonly number[], spec: FileCaseSpec): WorkflowCase {
  const datasets: HistoryDataset[] = [];
  const collections: HistoryCollection[] = [];
  const dataset = (): number => {
    datasets.push({ id: datasets.length + 1 });
    return datasets.length;
  };
  const nested = (c: CollectionSpec): NestedCollection => {
    const identifiers = c.type.startsWith('paired') ? ['forward', 'reverse'] : c.elements.map((_, i) => `e${i}`);
    const inner = c.type.split(':').slice(1).join(':');
    const elements: CollectionElement[] = c.elements.map((e, i) => (e === null ? { identifier: identifiers[i]!, dataset: dataset() } : { identifier: identifiers[i]!, collection: nested({ ...e, type: e.type || inner }) }));
    return { collection_type: c.type, elements };
  };
  const valueOf = (v: InputValue): JsonValue | undefined => {
    if (v.kind === 'dataset') return { src: 'hda', id: dataset() };
    if (v.kind === 'collection') {
      const id = collections.length + 1;
      collections.push({ id, ...nested(v.collection) });
      return { src: 'hdca', id };
    }
    return v.kind === 'parameter' ? v.value : undefined;
  };
  const inputs: Record<string, JsonValue> = {};
  const batched = spec.values.length > 1;
  inputIds.forEach((stepId, i) => {
    // A batch varies the first input over the value sets; the other inputs take the first set's value.
    if (batched && i === 0) {
      inputs[String(stepId)] = { batch: true, values: spec.values.map((set) => valueOf(set[i]!) ?? null) };
      return;
    }
    const value = valueOf(spec.values[0]![i]!);
    if (value !== undefined) inputs[String(stepId)] = value;
  });
  const scheduling: SchedulingOptions = spec.jobsPerIteration === undefined ? {} : { jobs_per_iteration: spec.jobsPerIteration };
  return {
    entry: 'workflow-invocation',
    workflow: file.workflow,
    tools: file.tools,
    history: { datasets, collections },
    invocation: { inputs, ...(batched && inputIds.length > 0 ? { batch: true } : {}) },
    ...(Object.keys(scheduling).length === 0 ? {} : { scheduling }),
  };
}
