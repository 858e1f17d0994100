import fc from 'fast-check';
import type { JsonValue } from '../src/model/case.js';
import type { CollectionElement, HistoryCollection, HistoryDataset, NestedCollection } from '../src/model/history.js';
import type { Tool, ToolInput } from '../src/model/tool.js';
import type { GaWorkflow, SchedulingOptions, WorkflowCase } from '../src/model/workflow.js';
import type { CollectionSpec } from './case-spec.js';
import { collectionOfType } from './collection.js';
import { DEFAULT_CONSTRAINTS, type GeneratorConstraints } from './constraints.js';
import { WorkflowBuilder, type Source } from './workflow-builder.js';

/**
 * Whole workflow invocations: a workflow as a DAG of typed steps (data,
 * collection and boolean parameter inputs; tool steps, some conditional; pause
 * steps; subworkflow steps), the history its inputs come from, the invocation
 * request (one set of inputs, or a linked or `product` batch of several) and
 * the scheduling options (a job cap per pass, a review of pauses).
 *
 * A step only connects to an earlier step (a DAG by construction), and a
 * connection is chosen among the earlier outputs whose type the input
 * accepts: a dataset or any collection for a `data` input (mapped over), a
 * dataset, a `list` (reduced) or a `list:list` (mapped over its outer level)
 * for a `multiple="true"` input, a collection of the declared type or holding
 * it (subcollection mapping) for a collection input. What Galaxy then does
 * with it (mapping, matching, failing) is the model's business.
 *
 * Shrinks towards: fewer steps, fewer inputs and parameters, connections to
 * the first compatible output, plain datasets, smaller collections, a single
 * invocation, no job cap.
 */

type InputSpec = { readonly kind: 'dataset' } | { readonly kind: 'collection'; readonly collection: CollectionSpec } | { readonly kind: 'boolean'; readonly value: boolean };

interface ParamSpec {
  readonly kind: 'data' | 'multiple' | 'collection';
  readonly collectionType: 'list' | 'paired';
  readonly source: number;
}

interface ToolStepSpec {
  readonly kind: 'tool';
  readonly params: readonly ParamSpec[];
  readonly outputs: number;
  /** A conditional step, fed by the n-th boolean input (if there is one). */
  readonly when: number | null;
}

type StepSpec =
  | ToolStepSpec
  | { readonly kind: 'pause'; readonly source: number }
  | { readonly kind: 'subworkflow'; readonly source: number; readonly inner: readonly ToolStepSpec[] };

export interface WorkflowSpec {
  readonly inputs: readonly InputSpec[];
  readonly steps: readonly StepSpec[];
  readonly batch: { readonly kind: 'none' } | { readonly kind: 'linked' | 'product'; readonly count: number };
  readonly jobsPerIteration: number | undefined;
  readonly review: 'approve' | 'cancel' | undefined;
}

const WORKFLOW_COLLECTION_TYPES = ['list', 'paired', 'list:paired', 'list:list'] as const;

function weighted<T>(...options: readonly (readonly [T, number])[]): fc.Arbitrary<T> {
  return fc.oneof({ withCrossShrink: true }, ...options.map(([value, weight]) => ({ arbitrary: fc.constant(value), weight })));
}

export function workflowSpecArbitrary(constraints: GeneratorConstraints = DEFAULT_CONSTRAINTS): fc.Arbitrary<WorkflowSpec> {
  const collection = fc.oneof({ withCrossShrink: true }, ...WORKFLOW_COLLECTION_TYPES.map((t, i) => ({ arbitrary: collectionOfType(t, constraints), weight: i === 0 ? 4 : 1 })));
  const dataInput: fc.Arbitrary<InputSpec> = fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.constant<InputSpec>({ kind: 'dataset' }), weight: 3 },
    { arbitrary: collection.map((c): InputSpec => ({ kind: 'collection', collection: c })), weight: 3 },
  );
  const input: fc.Arbitrary<InputSpec> = fc.oneof(
    { withCrossShrink: true },
    { arbitrary: dataInput, weight: 5 },
    { arbitrary: fc.boolean().map((value): InputSpec => ({ kind: 'boolean', value })), weight: 1 },
  );
  const param: fc.Arbitrary<ParamSpec> = fc.record({
    kind: weighted<ParamSpec['kind']>(['data', 5], ['multiple', 1], ['collection', 2]),
    collectionType: weighted<ParamSpec['collectionType']>(['list', 2], ['paired', 1]),
    source: fc.nat({ max: 7 }),
  });
  const toolStep: fc.Arbitrary<ToolStepSpec> = fc.record({
    kind: fc.constant('tool' as const),
    params: fc.array(param, { minLength: 1, maxLength: 2 }),
    outputs: weighted([1, 6], [2, 2], [0, 1]),
    when: fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant(null), weight: 6 }, { arbitrary: fc.nat({ max: 2 }), weight: 1 }),
  });
  const step: fc.Arbitrary<StepSpec> = fc.oneof(
    { withCrossShrink: true },
    { arbitrary: toolStep, weight: 8 },
    { arbitrary: fc.record({ kind: fc.constant('pause' as const), source: fc.nat({ max: 7 }) }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('subworkflow' as const), source: fc.nat({ max: 7 }), inner: fc.array(toolStep, { minLength: 1, maxLength: 2 }) }), weight: 2 },
  );
  return fc.record({
    inputs: fc.tuple(dataInput, fc.array(input, { maxLength: 2 })).map(([first, rest]) => [first, ...rest]),
    steps: fc.array(step, { minLength: 1, maxLength: 4 }),
    batch: fc.oneof(
      { withCrossShrink: true },
      { arbitrary: fc.constant({ kind: 'none' as const }), weight: 6 },
      { arbitrary: fc.record({ kind: weighted<'linked' | 'product'>(['linked', 2], ['product', 1]), count: fc.integer({ min: 2, max: 3 }) }), weight: 2 },
    ),
    jobsPerIteration: fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 1 }),
    review: weighted<'approve' | 'cancel' | undefined>([undefined, 2], ['approve', 2], ['cancel', 1]),
  });
}

export function workflowCaseArbitrary(constraints: GeneratorConstraints = DEFAULT_CONSTRAINTS): fc.Arbitrary<WorkflowCase> {
  return workflowSpecArbitrary(constraints).map(buildWorkflowCase);
}

/** What flows along a connection, as far as choosing a compatible one goes: a dataset, a collection of a type, or a boolean. */
type StaticType = 'dataset' | 'boolean' | `collection:${string}`;

interface Available {
  readonly source: Source;
  readonly type: StaticType;
}

function collectionTypeOf(type: StaticType): string | null {
  return type.startsWith('collection:') ? type.slice('collection:'.length) : null;
}

function accepts(param: ParamSpec, type: StaticType): boolean {
  if (type === 'boolean') return false;
  const ct = collectionTypeOf(type);
  if (param.kind === 'data') return true;
  if (param.kind === 'multiple') return ct === null || ct === 'list' || ct === 'list:list';
  return ct !== null && (ct === param.collectionType || ct.endsWith(`:${param.collectionType}`));
}

/** The collection type a step maps over for one connected value, or null (the value is consumed whole). */
function mappedType(param: ParamSpec, type: StaticType): string | null {
  const ct = collectionTypeOf(type);
  if (ct === null) return null;
  if (param.kind === 'data') return ct;
  if (param.kind === 'multiple') return ct === 'list:list' ? 'list' : null;
  return ct === param.collectionType ? null : ct.slice(0, ct.length - param.collectionType.length - 1);
}

class WorkflowCaseBuilder {
  readonly datasets: HistoryDataset[] = [];
  readonly collections: HistoryCollection[] = [];
  readonly tools: Tool[] = [];

  dataset(): number {
    const id = this.datasets.length + 1;
    this.datasets.push({ id });
    return id;
  }

  collection(spec: CollectionSpec): number {
    const id = this.collections.length + 1;
    this.collections.push({ id, ...this.nested(spec) });
    return id;
  }

  nested(spec: CollectionSpec): NestedCollection {
    const identifiers = spec.type.startsWith('paired') ? ['forward', 'reverse'] : spec.elements.map((_, i) => `e${i}`);
    const inner = spec.type.split(':').slice(1).join(':');
    const elements: CollectionElement[] = spec.elements.map((e, i) =>
      e === null ? { identifier: identifiers[i]!, dataset: this.dataset() } : { identifier: identifiers[i]!, collection: this.nested({ ...e, type: e.type || inner }) },
    );
    return { collection_type: spec.type, elements };
  }

  /** A tool step: its tool (one per step), its connections, and the static type of its outputs. */
  toolStep(w: WorkflowBuilder, spec: ToolStepSpec, available: readonly Available[], booleans: readonly Available[], labelOutputs: string | null): Available[] {
    const inputs: ToolInput[] = [];
    const connections: Record<string, Source> = {};
    let mapped: string | null = null;
    spec.params.forEach((p, i) => {
      let param = p;
      let choices = available.filter((a) => accepts(param, a.type));
      if (choices.length === 0) {
        param = { ...p, kind: 'data' };
        choices = available.filter((a) => accepts(param, a.type));
      }
      const chosen = choices[p.source % choices.length];
      if (chosen === undefined) return;
      const name = `in${i + 1}`;
      inputs.push(
        param.kind === 'collection'
          ? { name, type: 'data_collection', collection_type: param.collectionType }
          : { name, type: 'data', ...(param.kind === 'multiple' ? { multiple: true } : {}) },
      );
      connections[name] = chosen.source;
      mapped ??= mappedType(param, chosen.type);
    });
    const toolId = `wf_tool_${this.tools.length + 1}`;
    const outputs = Array.from({ length: spec.outputs }, (_, i) => `out${i + 1}`);
    this.tools.push({ id: toolId, inputs, outputs: outputs.map((name) => ({ name, type: 'data' as const })) });
    const when = spec.when !== null && booleans.length > 0 ? booleans[spec.when % booleans.length]!.source : undefined;
    const step = w.tool(toolId, connections, {
      ...(when === undefined ? {} : { when }),
      ...(labelOutputs === null ? {} : { outputs: outputs.map((o) => ({ output_name: o, label: `${labelOutputs}_${o}` })) }),
    });
    const type: StaticType = mapped === null ? 'dataset' : `collection:${mapped}`;
    return outputs.map((o) => ({ source: [step, o] as const, type }));
  }
}

export function buildWorkflowCase(spec: WorkflowSpec): WorkflowCase {
  const b = new WorkflowCaseBuilder();
  const w = new WorkflowBuilder();
  const available: Available[] = [];
  const booleans: Available[] = [];
  const inputs: Record<string, JsonValue> = {};
  const valueOf = (input: InputSpec): JsonValue =>
    input.kind === 'dataset' ? { src: 'hda', id: b.dataset() } : input.kind === 'collection' ? { src: 'hdca', id: b.collection(input.collection) } : input.value;
  let batched = 0;
  spec.inputs.forEach((input, i) => {
    const label = `input${i + 1}`;
    const step =
      input.kind === 'dataset' ? w.dataInput(label) : input.kind === 'collection' ? w.collectionInput(label, input.collection.type) : w.parameterInput(label, 'boolean');
    const type: StaticType = input.kind === 'dataset' ? 'dataset' : input.kind === 'collection' ? `collection:${input.collection.type}` : 'boolean';
    (input.kind === 'boolean' ? booleans : available).push({ source: [step, 'output'], type });
    // A batch runs the workflow once per value: the first data input, or (product) every data input.
    const batch = spec.batch;
    if (batch.kind !== 'none' && input.kind !== 'boolean' && (batched === 0 || batch.kind === 'product')) {
      batched++;
      const values = Array.from({ length: batch.count }, () => valueOf(input));
      inputs[String(step)] = { batch: true, ...(batch.kind === 'product' ? { product: true } : {}), values };
    } else inputs[String(step)] = valueOf(input);
  });
  const lastTool = spec.steps.reduce((last, s, i) => (s.kind === 'tool' ? i : last), -1);
  spec.steps.forEach((s, index) => {
    if (s.kind === 'tool') {
      available.push(...b.toolStep(w, s, available, booleans, index === lastTool ? `output${index}` : null));
      return;
    }
    const data = available.filter((a) => a.type !== 'boolean');
    const chosen = data[s.source % data.length]!;
    if (s.kind === 'pause') {
      const step = w.pause(chosen.source);
      available.push({ source: [step, 'output'], type: chosen.type });
      return;
    }
    const inner = new WorkflowBuilder(`subworkflow ${index}`);
    const innerInput = inner.dataInput('inner_input');
    const innerAvailable: Available[] = [{ source: [innerInput, 'output'], type: chosen.type }];
    const innerLast = s.inner.length - 1;
    let exported: Available[] = [];
    s.inner.forEach((t, j) => {
      const made = b.toolStep(inner, { ...t, when: null }, innerAvailable, [], j === innerLast ? `sub${index}` : null);
      innerAvailable.push(...made);
      if (j === innerLast) exported = made;
    });
    const step = w.subworkflow(inner.build(), { inner_input: chosen.source });
    for (const e of exported) available.push({ source: [step, `sub${index}_${e.source[1]}`], type: e.type });
  });
  const scheduling: SchedulingOptions = {
    ...(spec.jobsPerIteration === undefined ? {} : { jobs_per_iteration: spec.jobsPerIteration }),
    ...(spec.review === undefined || !spec.steps.some((s) => s.kind === 'pause') ? {} : { review: spec.review }),
  };
  const workflow: GaWorkflow = w.build();
  return {
    entry: 'workflow-invocation',
    workflow,
    tools: b.tools,
    history: { datasets: b.datasets, collections: b.collections },
    invocation: { inputs, ...(batched > 0 ? { batch: true } : {}) },
    ...(Object.keys(scheduling).length === 0 ? {} : { scheduling }),
  };
}
