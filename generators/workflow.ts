import fc from 'fast-check';
import type { JsonValue } from '../src/model/case.js';
import type { CollectionElement, HistoryCollection, HistoryDataset, NestedCollection } from '../src/model/history.js';
import { matchConnection, type ConnectedType, type ConnectionMatch } from '../src/model/connection-match.js';
import { collectionTypeSegments } from '../src/model/collection-types.js';
import type { DatasetInput, Tool, ToolInput } from '../src/model/tool.js';
import type { GaWorkflow, SchedulingOptions, WorkflowCase } from '../src/model/workflow.js';
import type { CollectionSpec } from './case-spec.js';
import { collectionOfType } from './collection.js';
import { DEFAULT_CONSTRAINTS, type GeneratorConstraints } from './constraints.js';
import { WorkflowBuilder, type Source } from './workflow-builder.js';
import { freshCollectionType, realToolSpecArbitrary, realToolState, type RealToolSpec } from './workflow-tool-steps.js';
import type { ParameterInputType } from '../src/model/connection-match.js';
import { NON_DATA_CONNECTION } from '../src/model/workflow-graph.js';

/**
 * Whole workflow invocations: a workflow as a DAG of typed steps (data,
 * collection, and boolean, integer and text parameter inputs; tool steps, some
 * conditional, some with a scalar parameter fed by a parameter input, some
 * waiting on an earlier tool step by a non-data `$step` connection; pause
 * steps; subworkflow steps, some conditional), the history its inputs come from, the invocation
 * request (one set of inputs, or a linked or `product` batch of several) and
 * the scheduling options (a job cap per pass, a review of pauses, an input
 * collection an upload is still populating: populated before a later pass,
 * never, or failed).
 *
 * A step only connects to an earlier step (a DAG by construction), and a
 * connection is chosen among the earlier outputs whose type the input
 * accepts: a dataset or any collection for a `data` input (mapped over), a
 * dataset, a `list` (reduced) or a `list:list` (mapped over its outer level)
 * for a `multiple="true"` input, a collection of the declared type or holding
 * it (subcollection mapping) for a collection input — Galaxy's rules as
 * src/model/connection-match.ts states them. What Galaxy then does with a
 * generated tool's connections (mapping, matching, failing) is the model's
 * business.
 *
 * Given a pool of real tools (read from tool XML), a tool step may run one of
 * them instead (workflow-tool-steps.ts): its state follows the tool's
 * parameter tree, and each dataset parameter it reaches is connected to an
 * output it accepts, mapping along one axis only (values mapped together
 * share their elements), or to a new input step of its type; some of its
 * scalar parameters (top level or nested) are fed by a new parameter input
 * of the type Galaxy lets connect to them, given a value the parameter takes.
 *
 * Shrinks towards: fewer steps, fewer inputs and parameters, no `$step`
 * connection, generated tools
 * rather than real ones (unless the pool is all there is), connections to
 * the first compatible output, plain datasets, smaller collections, a single
 * invocation, no job cap, every input collection populated.
 */

type InputSpec =
  | { readonly kind: 'dataset' }
  | { readonly kind: 'collection'; readonly collection: CollectionSpec }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'integer'; readonly value: number }
  | { readonly kind: 'text'; readonly value: string };

/** A scalar parameter of a generated tool: fed by a parameter input of its type (the n-th, if there is one), else set in the step's state. */
interface ScalarSpec {
  readonly kind: 'integer' | 'text';
  readonly source: number;
}

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
  /** A generated tool's scalar parameter. */
  readonly scalar?: ScalarSpec | null;
  /** A non-data connection (`$step`) to the n-th earlier tool step of its workflow, if there is one. */
  readonly after?: number | null;
  /** The step runs this real tool (its state and connections) instead of a tool of its own made from `params` and `outputs`. */
  readonly real?: RealToolSpec;
}

/**
 * Real tools (read from tool XML) the tool steps may run. With `only`, every
 * tool step runs one of them; otherwise a step runs a generated tool or one
 * of them, and shrinking prefers the generated tool.
 */
export interface WorkflowToolPool {
  readonly tools: readonly Tool[];
  readonly only?: boolean;
}

type StepSpec =
  | ToolStepSpec
  | { readonly kind: 'pause'; readonly source: number }
  /** A subworkflow step, conditional (`when`) on the n-th boolean input if there is one. */
  | { readonly kind: 'subworkflow'; readonly source: number; readonly inner: readonly ToolStepSpec[]; readonly when: number | null };

/**
 * An input collection an upload is still populating (`scheduling.populated_at`):
 * the n-th collection the request names, populated before a scheduling pass,
 * never during the run, or whose population failed.
 */
interface UploadSpec {
  readonly collection: number;
  readonly populated: number | 'never' | 'failed';
}

export interface WorkflowSpec {
  readonly inputs: readonly InputSpec[];
  readonly steps: readonly StepSpec[];
  readonly batch: { readonly kind: 'none' } | { readonly kind: 'linked' | 'product'; readonly count: number };
  readonly jobsPerIteration: number | undefined;
  readonly review: 'approve' | 'cancel' | undefined;
  readonly upload: UploadSpec | null;
  /** Top-level tool steps whose jobs fail (`scheduling.failed_jobs`), each the n-th tool step of the workflow. */
  readonly failedJobs?: readonly number[];
}

const WORKFLOW_COLLECTION_TYPES = ['list', 'paired', 'list:paired', 'list:list'] as const;

function weighted<T>(...options: readonly (readonly [T, number])[]): fc.Arbitrary<T> {
  return fc.oneof({ withCrossShrink: true }, ...options.map(([value, weight]) => ({ arbitrary: fc.constant(value), weight })));
}

export function workflowSpecArbitrary(constraints: GeneratorConstraints = DEFAULT_CONSTRAINTS, pool: WorkflowToolPool = { tools: [] }): fc.Arbitrary<WorkflowSpec> {
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
    { arbitrary: fc.integer({ min: 0, max: 9 }).map((value): InputSpec => ({ kind: 'integer', value })), weight: 1 },
    { arbitrary: fc.constantFrom('a', 'b c', '').map((value): InputSpec => ({ kind: 'text', value })), weight: 1 },
  );
  const param: fc.Arbitrary<ParamSpec> = fc.record({
    kind: weighted<ParamSpec['kind']>(['data', 5], ['multiple', 1], ['collection', 2]),
    collectionType: weighted<ParamSpec['collectionType']>(['list', 2], ['paired', 1]),
    source: fc.nat({ max: 7 }),
  });
  const when = fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant(null), weight: 6 }, { arbitrary: fc.nat({ max: 2 }), weight: 1 });
  const scalar = fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.constant(null), weight: 4 },
    { arbitrary: fc.record({ kind: weighted<ScalarSpec['kind']>(['integer', 1], ['text', 1]), source: fc.nat({ max: 2 }) }), weight: 1 },
  );
  const after = fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant(null), weight: 6 }, { arbitrary: fc.nat({ max: 2 }), weight: 1 });
  const generatedStep: fc.Arbitrary<ToolStepSpec> = fc.record({
    kind: fc.constant('tool' as const),
    params: fc.array(param, { minLength: 1, maxLength: 2 }),
    outputs: weighted([1, 6], [2, 2], [0, 1]),
    when,
    scalar,
    after,
  });
  // A real tool step: the pool's first tool first when shrinking.
  const realSteps = pool.tools.map((tool) =>
    fc.record({ real: realToolSpecArbitrary(tool, constraints), when }).map(({ real, when: w }): ToolStepSpec => ({ kind: 'tool', params: [], outputs: 0, when: w, real })),
  );
  const toolStep: fc.Arbitrary<ToolStepSpec> =
    realSteps.length === 0
      ? generatedStep
      : pool.only
        ? fc.oneof({ withCrossShrink: true }, ...realSteps)
        : fc.oneof({ withCrossShrink: true }, { arbitrary: generatedStep, weight: 1 }, { arbitrary: fc.oneof({ withCrossShrink: true }, ...realSteps), weight: 1 });
  const step: fc.Arbitrary<StepSpec> = fc.oneof(
    { withCrossShrink: true },
    { arbitrary: toolStep, weight: 8 },
    { arbitrary: fc.record({ kind: fc.constant('pause' as const), source: fc.nat({ max: 7 }) }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('subworkflow' as const), source: fc.nat({ max: 7 }), inner: fc.array(toolStep, { minLength: 1, maxLength: 2 }), when }), weight: 2 },
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
    upload: fc.oneof(
      { withCrossShrink: true },
      { arbitrary: fc.constant(null), weight: 6 },
      { arbitrary: fc.record({ collection: fc.nat({ max: 3 }), populated: weighted<UploadSpec['populated']>([1, 2], [2, 1], [0, 1], ['never', 1], ['failed', 1]) }), weight: 1 },
    ),
    failedJobs: failedJobsArbitrary(),
  });
}

/** Sometimes the jobs of one or two tool steps fail; shrinks toward none. */
function failedJobsArbitrary(): fc.Arbitrary<readonly number[]> {
  return fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant([]), weight: 3 }, { arbitrary: fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 2 }), weight: 1 });
}

/**
 * `scheduling.failed_jobs`: the order indexes of the tool steps the spec
 * makes fail, each once: the n-th of the top-level tool steps, those another
 * step waits on (`$step`) first, so that the first one fails a dependent.
 */
function failedJobsOf(spec: WorkflowSpec, toolSteps: readonly number[], workflow: GaWorkflow): Pick<SchedulingOptions, 'failed_jobs'> {
  if (spec.failedJobs === undefined || spec.failedJobs.length === 0 || toolSteps.length === 0) return {};
  const waitedOn = new Set(Object.values(workflow.steps).flatMap((st) => [st.input_connections?.[NON_DATA_CONNECTION] ?? []].flat().map((c) => c.id)));
  const ordered = [...toolSteps.filter((t) => waitedOn.has(t)), ...toolSteps.filter((t) => !waitedOn.has(t))];
  return { failed_jobs: [...new Set(spec.failedJobs.map((n) => ordered[n % ordered.length]!))] };
}

export function workflowCaseArbitrary(constraints: GeneratorConstraints = DEFAULT_CONSTRAINTS, pool?: WorkflowToolPool): fc.Arbitrary<WorkflowCase> {
  return workflowSpecArbitrary(constraints, pool).map(buildWorkflowCase);
}

/** What flows along a connection, as far as choosing a compatible one goes: a dataset, a collection of a type, or a boolean. */
type StaticType = 'dataset' | 'boolean' | `collection:${string}`;

/**
 * Which collection's elements a value's outer levels are: `known` outer
 * levels have the elements of the collection `root` (an input, or an output
 * whose elements are not known). Two values a step maps over together must
 * share them, or Galaxy cannot match them.
 */
interface Structure {
  readonly root: string;
  readonly known: number;
}

interface Available {
  readonly source: Source;
  readonly type: StaticType;
  readonly structure: Structure | null;
}

function collectionTypeOf(type: StaticType): string | null {
  return type.startsWith('collection:') ? type.slice('collection:'.length) : null;
}

function connectedType(type: StaticType): ConnectedType | null {
  if (type === 'boolean') return null;
  const ct = collectionTypeOf(type);
  return ct === null ? { kind: 'dataset' } : { kind: 'collection', collectionType: ct };
}

function staticType(type: ConnectedType): StaticType {
  return type.kind === 'dataset' ? 'dataset' : `collection:${type.collectionType}`;
}

/** How a value of `type` meets a tool parameter on a connection (Galaxy's rules, connection-match.ts). */
function match(input: DatasetInput, type: StaticType): ConnectionMatch | null {
  const given = connectedType(type);
  return given === null ? null : matchConnection(input, given);
}

/** A generated parameter as the tool declares it. */
function paramInput(name: string, param: ParamSpec): DatasetInput {
  return param.kind === 'collection' ? { name, type: 'data_collection', collection_type: param.collectionType } : { name, type: 'data', ...(param.kind === 'multiple' ? { multiple: true } : {}) };
}

/** The mapped axis of a step: its type and the structure of its elements. */
interface Axis {
  readonly type: string;
  readonly structure: Structure | null;
}

function axisOf(chosen: Available, m: ConnectionMatch): Axis | null {
  if (m.kind !== 'map') return null;
  const depth = collectionTypeSegments(m.mapped).length;
  return { type: m.mapped, structure: chosen.structure !== null && chosen.structure.known >= depth ? { root: chosen.structure.root, known: depth } : null };
}

/** Whether a value mapped along `b` can be matched with the step's axis `a`: the same type over the same elements. */
function sameAxis(a: Axis, b: Axis): boolean {
  return a.type === b.type && a.structure !== null && b.structure !== null && a.structure.root === b.structure.root && a.structure.known === b.structure.known;
}

/** Makes a new input step for a value no upstream output provides (its type), and returns its output. */
type FreshInput = (label: string, fresh: CollectionSpec | null) => Available;

/** Makes a new parameter input step of a type, given a value, for a real tool's scalar parameter, and returns its output. */
type FreshParameter = (label: string, type: ParameterInputType, value: JsonValue) => Source;

class WorkflowCaseBuilder {
  readonly datasets: HistoryDataset[] = [];
  readonly collections: HistoryCollection[] = [];
  readonly tools: Tool[] = [];
  /** Outputs whose elements are not known (a real tool's own collections) each get a structure of their own. */
  #ownStructures = 0;
  /** Per workflow being built: its integer and text parameter inputs, and its tool steps so far (for `$step` connections). */
  readonly parameters = new Map<WorkflowBuilder, readonly { readonly source: Source; readonly kind: ScalarSpec['kind'] }[]>();
  readonly #toolSteps = new Map<WorkflowBuilder, number[]>();

  /** The tool steps made so far in a workflow, by order index. */
  toolStepsOf(w: WorkflowBuilder): readonly number[] {
    return this.#toolSteps.get(w) ?? [];
  }

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

  /** A tool step: its tool, its connections, and the static type of its outputs. */
  toolStep(w: WorkflowBuilder, spec: ToolStepSpec, available: readonly Available[], booleans: readonly Available[], labelOutputs: string | null, fresh: FreshInput, freshParameter: FreshParameter): Available[] {
    return spec.real === undefined ? this.generatedStep(w, spec, available, booleans, labelOutputs) : this.realStep(w, spec, spec.real, available, booleans, labelOutputs, fresh, freshParameter);
  }

  /** A step with a tool of its own (one per step), made from the spec's parameters and outputs. */
  generatedStep(w: WorkflowBuilder, spec: ToolStepSpec, available: readonly Available[], booleans: readonly Available[], labelOutputs: string | null): Available[] {
    const inputs: ToolInput[] = [];
    const connections: Record<string, Source> = {};
    let axis: Axis | null = null;
    spec.params.forEach((p, i) => {
      const name = `in${i + 1}`;
      let input = paramInput(name, p);
      let choices = available.filter((a) => match(input, a.type) !== null);
      if (choices.length === 0) {
        input = paramInput(name, { ...p, kind: 'data' });
        choices = available.filter((a) => match(input, a.type) !== null);
      }
      const chosen = choices[p.source % choices.length];
      if (chosen === undefined) return;
      inputs.push(input);
      connections[name] = chosen.source;
      axis ??= axisOf(chosen, match(input, chosen.type)!);
    });
    const toolId = `wf_tool_${this.tools.length + 1}`;
    const outputs = Array.from({ length: spec.outputs }, (_, i) => `out${i + 1}`);
    const allInputs: ToolInput[] = [...inputs];
    const state: Record<string, JsonValue> = {};
    if (spec.scalar != null) {
      // A scalar parameter: connected to a parameter input of its type when the workflow has one, else a value in the state.
      const kind = spec.scalar.kind;
      allInputs.push(kind === 'integer' ? { name: 'p1', type: 'integer', value: 0 } : { name: 'p1', type: 'text', value: '' });
      const fed = (this.parameters.get(w) ?? []).filter((p) => p.kind === kind);
      const chosen = fed[spec.scalar.source % Math.max(1, fed.length)];
      if (chosen === undefined) state['p1'] = kind === 'integer' ? 0 : '';
      else connections['p1'] = chosen.source;
    }
    this.tools.push({ id: toolId, inputs: allInputs, outputs: outputs.map((name) => ({ name, type: 'data' as const })) });
    const step = this.addStep(w, toolId, connections, state, spec, booleans, labelOutputs, outputs);
    const out = axis as Axis | null;
    const type: StaticType = out === null ? 'dataset' : `collection:${out.type}`;
    return outputs.map((o) => ({ source: [step, o] as const, type, structure: out?.structure ?? null }));
  }

  /**
   * A step running a real tool: each dataset parameter its state reaches is
   * connected to an upstream output it accepts by Galaxy's rules — one that
   * is consumed whole, or that maps the step along the axis it already maps
   * along (so that Galaxy can match them) — or, when none fits and the
   * parameter is required, to a new input step of its type. An optional
   * parameter may stay unconnected. A scalar parameter the spec connects is
   * fed by a new parameter input of the type Galaxy lets connect to it
   * (connection-match.ts `parameterInputTypeFor`), whose value the
   * invocation gives.
   */
  realStep(w: WorkflowBuilder, spec: ToolStepSpec, real: RealToolSpec, available: readonly Available[], booleans: readonly Available[], labelOutputs: string | null, fresh: FreshInput, freshParameter: FreshParameter): Available[] {
    const tool = real.tool;
    const { state, leaves, scalars } = realToolState(real);
    const connections: Record<string, Source> = {};
    const each = new Map<string, { readonly type: ConnectedType; readonly structure: Structure | null }>();
    let axis: Axis | null = null;
    for (const leaf of leaves) {
      const fits = (a: Available): ConnectionMatch | null => {
        const m = match(leaf.input, a.type);
        if (m === null || m.kind === 'whole') return m;
        const along = axisOf(a, m)!;
        return axis === null || sameAxis(axis, along) ? m : null;
      };
      const choices = available.filter((a) => fits(a) !== null);
      let chosen = choices[leaf.spec.source % Math.max(1, choices.length)];
      if (!leaf.spec.connect) continue;
      if (chosen === undefined) {
        if (leaf.input.optional) continue;
        chosen = fresh(`${tool.id} ${leaf.name}`, freshCollectionType(leaf.input) === null ? null : leaf.spec.fresh);
      }
      const m = fits(chosen);
      if (m === null) continue;
      connections[leaf.name] = chosen.source;
      if (m.kind === 'map') {
        axis ??= axisOf(chosen, m);
        each.set(leaf.name, { type: m.each, structure: null });
      } else each.set(leaf.name, { type: connectedType(chosen.type)!, structure: chosen.structure });
    }
    for (const scalar of scalars) connections[scalar.name] = freshParameter(`${tool.id} ${scalar.name}`, scalar.type, scalar.value);
    if (!this.tools.some((t) => t.id === tool.id)) this.tools.push(tool);
    const outputs = tool.outputs.map((o) => o.name);
    const step = this.addStep(w, tool.id, connections, state, spec, booleans, labelOutputs, outputs);
    const made: Available[] = [];
    const mapped = axis as Axis | null;
    for (const output of tool.outputs) {
      // An output a filter may remove is not offered downstream: the step may not have it.
      if (output.filter !== undefined || (output.filters ?? []).length > 0) continue;
      let inner: { readonly type: ConnectedType; readonly structure: Structure | null } | undefined;
      if (output.type === 'data') inner = { type: { kind: 'dataset' }, structure: null };
      else if (output.collection_type !== undefined) inner = { type: { kind: 'collection', collectionType: output.collection_type }, structure: null };
      else {
        const from = output.structured_like ?? output.type_source;
        const source = from === undefined ? undefined : [...each].find(([name]) => name === from || name.endsWith(`|${from}`))?.[1];
        if (source !== undefined && source.type.kind === 'collection') inner = { type: source.type, structure: output.structured_like !== undefined ? source.structure : null };
      }
      if (inner === undefined) continue;
      const own: Structure = { root: `output ${++this.#ownStructures}`, known: Number.MAX_SAFE_INTEGER };
      if (mapped === null) {
        made.push({ source: [step, output.name], type: staticType(inner.type), structure: inner.type.kind === 'dataset' ? null : (inner.structure ?? own) });
      } else {
        const type = inner.type.kind === 'dataset' ? mapped.type : `${mapped.type}:${inner.type.collectionType}`;
        made.push({ source: [step, output.name], type: `collection:${type}`, structure: mapped.structure });
      }
    }
    return made;
  }

  addStep(
    w: WorkflowBuilder,
    toolId: string,
    connections: Record<string, Source>,
    state: Record<string, JsonValue>,
    spec: ToolStepSpec,
    booleans: readonly Available[],
    labelOutputs: string | null,
    outputs: readonly string[],
  ): number {
    const when = spec.when !== null && booleans.length > 0 ? booleans[spec.when % booleans.length]!.source : undefined;
    const earlier = this.#toolSteps.get(w) ?? [];
    const after = spec.after != null && earlier.length > 0 ? earlier[spec.after % earlier.length]! : undefined;
    // `$step`: an order only (run.py `__check_implicitly_dependent_steps`), no data.
    const all: Record<string, Source> = after === undefined ? connections : { ...connections, [NON_DATA_CONNECTION]: [after, NON_DATA_CONNECTION] };
    const step = w.tool(toolId, all, {
      ...(Object.keys(state).length === 0 ? {} : { state }),
      ...(when === undefined ? {} : { when }),
      ...(labelOutputs === null ? {} : { outputs: outputs.map((o) => ({ output_name: o, label: `${labelOutputs}_${o}` })) }),
    });
    this.#toolSteps.set(w, [...earlier, step]);
    return step;
  }
}

export function buildWorkflowCase(spec: WorkflowSpec): WorkflowCase {
  const b = new WorkflowCaseBuilder();
  const w = new WorkflowBuilder();
  const available: Available[] = [];
  const booleans: Available[] = [];
  const inputs: Record<string, JsonValue> = {};
  const parameters: { source: Source; kind: ScalarSpec['kind'] }[] = [];
  b.parameters.set(w, parameters);
  const valueOf = (input: InputSpec): JsonValue =>
    input.kind === 'dataset' ? { src: 'hda', id: b.dataset() } : input.kind === 'collection' ? { src: 'hdca', id: b.collection(input.collection) } : input.value;
  let batched = 0;
  spec.inputs.forEach((input, i) => {
    const label = `input${i + 1}`;
    const step =
      input.kind === 'dataset' ? w.dataInput(label) : input.kind === 'collection' ? w.collectionInput(label, input.collection.type) : w.parameterInput(label, input.kind);
    if (input.kind === 'integer' || input.kind === 'text') {
      parameters.push({ source: [step, 'output'], kind: input.kind });
      inputs[String(step)] = input.value;
      return;
    }
    const type: StaticType = input.kind === 'dataset' ? 'dataset' : input.kind === 'collection' ? `collection:${input.collection.type}` : 'boolean';
    (input.kind === 'boolean' ? booleans : available).push({ source: [step, 'output'], type, structure: input.kind === 'collection' ? { root: label, known: Number.MAX_SAFE_INTEGER } : null });
    // A batch runs the workflow once per value: the first data input, or (product) every data input.
    const batch = spec.batch;
    if (batch.kind !== 'none' && input.kind !== 'boolean' && (batched === 0 || batch.kind === 'product')) {
      batched++;
      const values = Array.from({ length: batch.count }, () => valueOf(input));
      inputs[String(step)] = { batch: true, ...(batch.kind === 'product' ? { product: true } : {}), values };
    } else inputs[String(step)] = valueOf(input);
  });
  // A new input step of the top-level workflow, for a real tool's parameter nothing upstream fits.
  let freshCount = 0;
  const freshTop = (w2: WorkflowBuilder) => (label: string, fresh: CollectionSpec | null): Available => {
    freshCount++;
    const name = `fresh${freshCount}`;
    const step = fresh === null ? w2.dataInput(`${name} (${label})`) : w2.collectionInput(`${name} (${label})`, fresh.type);
    inputs[String(step)] = fresh === null ? { src: 'hda', id: b.dataset() } : { src: 'hdca', id: b.collection(fresh) };
    return { source: [step, 'output'], type: fresh === null ? 'dataset' : `collection:${fresh.type}`, structure: fresh === null ? null : { root: name, known: Number.MAX_SAFE_INTEGER } };
  };
  // A new parameter input of the top-level workflow, for a real tool's scalar parameter, given the value the spec chose.
  let parameterCount = 0;
  const freshTopParameter = (w2: WorkflowBuilder) => (label: string, type: ParameterInputType, value: JsonValue): Source => {
    parameterCount++;
    const step = w2.parameterInput(`parameter${parameterCount} (${label})`, type);
    inputs[String(step)] = value;
    return [step, 'output'];
  };
  const lastTool = spec.steps.reduce((last, s, i) => (s.kind === 'tool' ? i : last), -1);
  spec.steps.forEach((s, index) => {
    if (s.kind === 'tool') {
      available.push(...b.toolStep(w, s, available, booleans, index === lastTool ? `output${index}` : null, freshTop(w), freshTopParameter(w)));
      return;
    }
    const data = available.filter((a) => a.type !== 'boolean');
    const chosen = data[s.source % data.length]!;
    if (s.kind === 'pause') {
      const step = w.pause(chosen.source);
      available.push({ source: [step, 'output'], type: chosen.type, structure: chosen.structure });
      return;
    }
    const inner = new WorkflowBuilder(`subworkflow ${index}`);
    const innerInput = inner.dataInput('inner_input');
    const innerAvailable: Available[] = [{ source: [innerInput, 'output'], type: chosen.type, structure: chosen.structure }];
    // A new input a real tool inside needs: an inner input step, fed by a new top-level input step made before the subworkflow step.
    const outerFresh: { label: string; fresh: CollectionSpec | null }[] = [];
    const freshInner = (label: string, fresh: CollectionSpec | null): Available => {
      const innerLabel = `inner_fresh${outerFresh.length + 1}`;
      outerFresh.push({ label, fresh });
      const step = fresh === null ? inner.dataInput(innerLabel) : inner.collectionInput(innerLabel, fresh.type);
      return { source: [step, 'output'], type: fresh === null ? 'dataset' : `collection:${fresh.type}`, structure: fresh === null ? null : { root: `${index} ${innerLabel}`, known: Number.MAX_SAFE_INTEGER } };
    };
    // A parameter a real tool inside takes: an inner parameter input, fed by a new top-level one made before the subworkflow step.
    const outerParameters: { label: string; type: ParameterInputType; value: JsonValue }[] = [];
    const freshInnerParameter = (label: string, type: ParameterInputType, value: JsonValue): Source => {
      outerParameters.push({ label, type, value });
      return [inner.parameterInput(`inner_parameter${outerParameters.length}`, type), 'output'];
    };
    const innerLast = s.inner.length - 1;
    let exported: Available[] = [];
    s.inner.forEach((t, j) => {
      const made = b.toolStep(inner, { ...t, when: null }, innerAvailable, [], j === innerLast ? `sub${index}` : null, freshInner, freshInnerParameter);
      innerAvailable.push(...made);
      if (j === innerLast) exported = made;
    });
    const connections: Record<string, Source> = { inner_input: chosen.source };
    outerFresh.forEach((f, k) => {
      connections[`inner_fresh${k + 1}`] = freshTop(w)(f.label, f.fresh).source;
    });
    outerParameters.forEach((p, k) => {
      connections[`inner_parameter${k + 1}`] = freshTopParameter(w)(p.label, p.type, p.value);
    });
    const when = s.when !== null && booleans.length > 0 ? booleans[s.when % booleans.length]!.source : undefined;
    const step = w.subworkflow(inner.build(), connections, [], when);
    // Outputs keep their type; a structure known only inside the subworkflow is not matched outside.
    for (const e of exported) available.push({ source: [step, `sub${index}_${e.source[1]}`], type: e.type, structure: e.structure?.root.startsWith(`${index} inner_fresh`) ? null : e.structure });
  });
  const populatedAt = uploading(b.collections, spec.upload);
  const workflow: GaWorkflow = w.build();
  const scheduling: SchedulingOptions = {
    ...(spec.jobsPerIteration === undefined ? {} : { jobs_per_iteration: spec.jobsPerIteration }),
    ...(spec.review === undefined || !spec.steps.some((s) => s.kind === 'pause') ? {} : { review: spec.review }),
    ...(populatedAt === null ? {} : { populated_at: populatedAt }),
    ...failedJobsOf(spec, b.toolStepsOf(w), workflow),
  };
  return {
    entry: 'workflow-invocation',
    workflow,
    tools: b.tools,
    history: { datasets: b.datasets, collections: b.collections },
    invocation: { inputs, ...(batched > 0 ? { batch: true } : {}) },
    ...(Object.keys(scheduling).length === 0 ? {} : { scheduling }),
  };
}

/** Marks the upload's collection not yet populated (or failed) in the history; its `populated_at` entry, if it is populated during the run. */
function uploading(collections: HistoryCollection[], upload: UploadSpec | null): { [hdcaId: string]: number } | null {
  if (upload === null || collections.length === 0) return null;
  const index = upload.collection % collections.length;
  const target = collections[index]!;
  collections[index] = { ...target, populated_state: upload.populated === 'failed' ? 'failed' : 'new' };
  return typeof upload.populated === 'number' ? { [String(target.id)]: upload.populated } : null;
}
