import { expandCase } from '../expansion/expand-case.js';
import { expandWorkflowInputs } from '../expansion/expand-workflow-inputs.js';
import type { Expansion, ExpansionSettings } from '../expansion/expansion.js';
import type { Case, JsonValue, RequestInputs } from '../model/case.js';
import { matchConnection, severalConnections, type ConnectedType } from '../model/connection-match.js';
import type { CollectionElement, History, HistoryCollection, HistoryDataset } from '../model/history.js';
import { inputAtPrefixedName, locatePrefixedInput, type Tool } from '../model/tool.js';
import { DEFAULT_SCHEDULING_BUDGET, type SchedulingOptions, type WorkflowCase } from '../model/workflow.js';
import { evaluateWhen } from '../model/when-expression.js';
import { CYCLES_MESSAGE, NON_DATA_CONNECTION, inputOptional, isInputStep, stepOutputNames, subworkflowInputSteps, subworkflowOutputs, type StepNode, type WorkflowGraph } from '../model/workflow-graph.js';
import type { ExecutionRun } from './execution-run.js';
import type { ExecutorRules } from './executor-rules.js';
import { HISTORY_ID, type FixtureIndex } from './history-fixture.js';
import type { Session, SessionRow } from './session.js';
import { startToolStep, toolStepPass, type ToolStepProgress } from './workflow-step.js';

/**
 * A whole workflow invocation, as Galaxy writes it (galaxy-workflows §1–§5):
 *
 * | Galaxy | here |
 * |---|---|
 * | `expand_workflow_inputs` (meta.py): one run config per batch combination | expand-workflow-inputs.ts |
 * | `workflow_run_config_to_request` (run_request.py): the invocation and its request rows, a child invocation per subworkflow step | `queueInvoke` |
 * | `WorkflowInvoker.invoke` (run.py): one scheduling pass over the steps | `invokePass` |
 * | `WorkflowInvoker.__check_implicitly_dependent_steps` (run.py): a non-data connection waits for its step and that step's jobs | `checkImplicitlyDependentSteps` |
 * | `WorkflowProgress.replacement_for_connection` (run.py): a connected value, or a delay | `replacementForConnection` |
 * | `InputModule` / `InputParameterModule` / `ToolModule` / `PauseModule` / `SubWorkflowModule` `.execute` (modules.py) | `executeModule` |
 * | `ToolModule._find_collections_to_match` (modules.py): which connected collections a tool step maps over | `toolStepRequest` |
 * | `WorkflowProgress.set_step_outputs` (run.py) | `setStepOutputs` |
 * | `JobWrapper.fail` (jobs/__init__.py) and the job handler's `__filter_jobs_with_invalid_input_states` (jobs/handler.py): a failed job, and the jobs its outputs then hold | `endJobs` |
 *
 * Pure: rows go through the session; nothing here reads a database.
 */

/** A step output at run time (what `WorkflowProgress.outputs` holds). */
export type StepValue =
  | { readonly kind: 'dataset'; readonly id: number }
  | { readonly kind: 'collection'; readonly id: number; readonly collection: HistoryCollection }
  | { readonly kind: 'parameter'; readonly value: JsonValue }
  | { readonly kind: 'none' };

/** What the model did at one step of one invocation, for the properties and `explain`. */
export interface StepTrace {
  readonly invocationId: number;
  readonly orderIndex: number;
  readonly workflowStepId: number;
  readonly type: StepNode['type'];
  readonly toolId: string | null;
  wisId: number | null;
  state: 'new' | 'ready' | 'scheduled' | 'failed';
  /** Tool steps: the expansion of the step's request, once reached. */
  expansion: Expansion | null;
  request: RequestInputs | null;
  /** Jobs the step made, in order, with the combination each ran and the scheduling pass that made it. */
  readonly jobs: { id: number; combination: number; pass: number }[];
  /** The step's jobs fail (`scheduling.failed_jobs`). */
  readonly failing: boolean;
  icjId: number | null;
  /** Connections into the step: input name → upstream step and output name, and the value that arrived. */
  readonly connections: { readonly input: string; readonly from: number; readonly outputName: string; value: StepValue | null }[];
  /** The step's outputs once recorded. */
  outputs: { readonly name: string; readonly value: StepValue }[] | null;
  /** The scheduling pass in which the step took its connected values (tool and subworkflow steps), once it did. */
  valuesPass: number | null;
  passes: number;
}

export interface InvocationTrace {
  readonly id: number;
  readonly parentId: number | null;
  readonly workflowId: number;
  /** The batch combination this invocation runs (top-level invocations). */
  readonly config: number;
  state: 'new' | 'ready' | 'scheduled' | 'failed' | 'cancelled';
  message: string | null;
}

export interface WorkflowTrace {
  /** Galaxy refused the request before writing anything (a cycle, unequal linked batches), with its message. */
  readonly refused: string | null;
  readonly invocations: InvocationTrace[];
  readonly steps: StepTrace[];
  /** Scheduling passes run. */
  passes: number;
  /** Top-level invocations not finished when the budget was spent and not waiting for a review or for jobs. */
  readonly unfinished: number[];
  /**
   * Top-level invocations not finished when the budget was spent because a
   * step waits for a collection a job fills when it finishes (a tool's own
   * collection output): Galaxy schedules the step once the job is done; the
   * model runs no job to the end, so they are not counted as never finishing.
   */
  readonly waitingForJobs: number[];
  /** History collections an upload populated during the run (`scheduling.populated_at`), with the pass they were populated before. */
  readonly populated: { readonly hdcaId: number; readonly pass: number }[];
  /**
   * Jobs that did not end `ok`, with the state written (`error` for a job
   * that failed, `paused` for one whose input a failed job left in error)
   * and the scheduling pass before which it ended. Every other job is taken
   * to finish `ok`, and keeps the state it was made in.
   */
  readonly endedJobs: { readonly jobId: number; readonly state: 'error' | 'paused'; readonly pass: number }[];
}

/** The stored workflow's rows (written before the request): workflow id per graph, step ids per (graph, order index). */
export interface StoredWorkflow {
  readonly workflowId: number;
  readonly graph: WorkflowGraph;
  readonly stepIds: ReadonlyMap<number, number>;
  readonly subworkflows: ReadonlyMap<number, StoredWorkflow>;
}

/** `WorkflowContentsManager` storing a workflow: a `workflow` row, its steps, their workflow outputs, recursively. */
export function writeStoredWorkflow(session: Session, graph: WorkflowGraph): StoredWorkflow {
  const workflow = session.add('workflow', { name: graph.name });
  const subworkflows = new Map<number, StoredWorkflow>();
  for (const step of graph.steps) if (step.subworkflow !== null) subworkflows.set(step.orderIndex, writeStoredWorkflow(session, step.subworkflow));
  const stepIds = new Map<number, number>();
  for (const step of graph.steps) {
    const row = session.add('workflow_step', {
      workflow_id: workflow.id,
      type: step.type,
      order_index: step.orderIndex,
      label: step.label,
      subworkflow_id: subworkflows.get(step.orderIndex)?.workflowId ?? null,
    });
    stepIds.set(step.orderIndex, row.id);
    for (const o of step.workflowOutputs) session.add('workflow_output', { workflow_step_id: row.id, output_name: o.output_name, label: o.label ?? null });
  }
  return { workflowId: workflow.id, graph, stepIds, subworkflows };
}

/** Everything one invocation case shares. */
interface Invoker {
  readonly c: WorkflowCase;
  readonly session: Session;
  readonly rules: ExecutorRules;
  readonly expansionSettings: ExpansionSettings;
  /** The history as it grows: the fixture, then every output the steps make. */
  readonly datasets: HistoryDataset[];
  readonly collections: HistoryCollection[];
  readonly elements: Map<string, number>;
  readonly fixture: FixtureIndex;
  readonly toolSources: Map<string, { current: number | null }>;
  readonly trace: WorkflowTrace;
  /** The history as the last step saw it, reused until a step adds to it (the expansion indexes a history once). */
  history: History | null;
  /** Every job the steps made, in order, for `endJobs`. */
  readonly jobs: MadeJob[];
  /** Jobs that ended other than `ok`, and the state each ended in. */
  readonly jobEnds: Map<number, 'error' | 'paused'>;
  /** Datasets a failed or paused job left in that state (`Dataset.state`; the modelled schema has no column for it). */
  readonly datasetStates: Map<number, 'error' | 'paused'>;
}

/** A job as `endJobs` needs it: its row, the pass that made it, whether its step's jobs fail, whether it was made skipped. */
interface MadeJob {
  readonly row: SessionRow<'job'>;
  readonly pass: number;
  readonly fails: boolean;
  readonly skipped: boolean;
  ended: boolean;
}

/** One invocation being scheduled (`WorkflowInvocation` with its `WorkflowProgress`). */
interface Invocation {
  readonly trace: InvocationTrace;
  readonly row: SessionRow<'workflow_invocation'>;
  readonly stored: StoredWorkflow;
  /** Values given to input steps: the request's (top level) or the parent step's connections (child). */
  readonly inputs: Map<number, StepValue>;
  readonly steps: Map<number, StepRun>;
  readonly children: Map<number, Invocation>;
  /** `max_jobs_to_schedule` applies (top-level invocations; run.py `subworkflow_progress` builds children without it). */
  readonly capped: boolean;
  /** In the last pass a step waited for a collection a job has not filled yet (here or in a subworkflow). */
  waitsForJobs: boolean;
  /**
   * A subworkflow invocation whose step's `when` was false, or inside one
   * (`WorkflowProgress.when_values == [False]`, run.py): its tool steps make
   * skipped jobs without evaluating their own `when`.
   */
  whenFalse: boolean;
}

interface StepRun {
  readonly trace: StepTrace;
  readonly wis: SessionRow<'workflow_invocation_step'>;
  scheduled: boolean;
  /** Outputs once recorded; null while delayed. */
  outputs: Map<string, StepValue> | null;
  tool: ToolStepProgress | null;
  run: ExecutionRun | null;
  expansion: Expansion | null;
  /** A conditional step whose `when` is false: its jobs are made skipped. */
  skip: boolean;
  /** The scheduling pass that last made jobs for this step (their jobs finish before the next one). */
  lastJobPass: number | null;
  /** A pause step: the pass that approved it and recorded its output. */
  outputsPass: number | null;
}

function elementKey(hdcaId: number, path: readonly string[]): string {
  return `${hdcaId}\u0000${path.join('\u0000')}`;
}

export function invokeWorkflow(
  c: WorkflowCase,
  stored: StoredWorkflow,
  session: Session,
  fixture: FixtureIndex,
  rules: ExecutorRules,
  expansionSettings: ExpansionSettings,
): WorkflowTrace {
  const graph = stored.graph;
  const trace: WorkflowTrace = { refused: null, invocations: [], steps: [], passes: 0, unfinished: [], waitingForJobs: [], populated: [], endedJobs: [] };
  if (graph.hasCycles) return { ...trace, refused: CYCLES_MESSAGE };
  const expanded = expandWorkflowInputs(c.invocation.inputs);
  if (!expanded.ok) return { ...trace, refused: expanded.message };
  for (const config of expanded.configs) {
    const missing = missingRequiredInput(stored, config);
    if (missing !== null) return { ...trace, refused: missing };
  }
  const elements = new Map<string, number>();
  const invoker: Invoker = {
    c,
    session,
    rules,
    expansionSettings,
    datasets: [...c.history.datasets],
    collections: [...c.history.collections],
    elements,
    fixture: { elementId: (hdcaId, path) => elements.get(elementKey(hdcaId, path)) ?? fixture.elementId(hdcaId, path), collectionRow: fixture.collectionRow },
    toolSources: new Map(),
    trace,
    history: null,
    jobs: [],
    jobEnds: new Map(),
    datasetStates: new Map(),
  };
  // Each run config goes through queue_invoke: K independent invocations, each with its own request rows.
  const invocations = expanded.configs.map((config, index) => queueInvoke(invoker, stored, config, index));
  const scheduling: SchedulingOptions = c.scheduling ?? {};
  const budget = scheduling.budget ?? DEFAULT_SCHEDULING_BUDGET;
  for (let pass = 0; pass < budget; pass++) {
    const active = invocations.filter((i) => i.trace.state === 'new' || i.trace.state === 'ready');
    if (active.length === 0) break;
    trace.passes = pass + 1;
    endJobs(invoker, pass);
    populateInputCollections(invoker, scheduling, pass);
    for (const invocation of active) invokePass(invoker, invocation, pass, scheduling);
  }
  // The jobs of the last pass still run after the scheduler is done with the invocation.
  endJobs(invoker, trace.passes);
  for (const i of invocations) {
    if ((i.trace.state !== 'new' && i.trace.state !== 'ready') || waitsForReview(i, scheduling)) continue;
    if (waitsForJobs(i)) trace.waitingForJobs.push(i.trace.id);
    else trace.unfinished.push(i.trace.id);
  }
  return trace;
}

/**
 * `_normalize_inputs` (run_request.py), per run config: an input step given
 * no value (or null), with no default and not optional, refuses the request
 * with Galaxy's MessageException, which names the step by its row id and
 * label (Python's `None` for no label). A parameter input's default is its
 * state's `default`; a data input's default (a step input default) is not
 * read by cardfuzz, so it counts as none.
 */
function missingRequiredInput(stored: StoredWorkflow, config: { readonly [key: string]: JsonValue }): string | null {
  for (const step of stored.graph.steps) {
    if (!isInputStep(step)) continue;
    const value = config[String(step.orderIndex)];
    if (value !== undefined && value !== null) continue;
    if (step.type === 'parameter_input' && step.state['default'] !== undefined) continue;
    if (inputOptional(step.state)) continue;
    return `Workflow cannot be run because input step '${stored.stepIds.get(step.orderIndex)!}' (${step.label ?? 'None'}) is not optional and no input provided.`;
  }
  return null;
}

/**
 * Inputs not yet populated (`scheduling.populated_at`): a history collection
 * the request names while an upload still fills it is `new`; the upload's
 * job finishing marks it populated (`DatasetCollection.mark_as_populated`,
 * model/__init__.py) between two scheduling passes, and from the next pass
 * the steps reading it are no longer delayed (`replacementForConnection`).
 */
function populateInputCollections(invoker: Invoker, scheduling: SchedulingOptions, pass: number): void {
  if (scheduling.populated_at === undefined) return;
  for (const [key, at] of Object.entries(scheduling.populated_at)) {
    if (at !== pass) continue;
    const hdcaId = Number(key);
    const index = invoker.collections.findIndex((h) => h.id === hdcaId);
    if (index < 0 || invoker.collections[index]!.populated_state !== 'new') continue;
    const { populated_state: _new, ...populated } = invoker.collections[index]!;
    invoker.collections[index] = populated;
    invoker.history = null;
    const row = invoker.fixture.collectionRow(hdcaId);
    if (row !== null) invoker.session.set(row, 'populated_state', 'ok');
    invoker.trace.populated.push({ hdcaId, pass });
  }
  invoker.session.commit();
}

/** An invocation whose last pass waited only for collections jobs fill (no tool step part-way through its slices) is waiting for its jobs, not stuck. */
function waitsForJobs(invocation: Invocation): boolean {
  const toolsStuck = [...invocation.steps.values()].some((s) => s.tool !== null && !s.scheduled && s.tool.passes > 0);
  return invocation.waitsForJobs && !toolsStuck;
}

/** An invocation held only by a pause step nobody reviewed is waiting for a person, not stuck. */
function waitsForReview(invocation: Invocation, scheduling: SchedulingOptions): boolean {
  if (scheduling.review !== undefined) return false;
  const pausedOpen = [...invocation.steps.values()].some((s) => s.trace.type === 'pause');
  const toolsStuck = [...invocation.steps.values()].some((s) => s.tool !== null && !s.scheduled && s.tool.passes > 0);
  return pausedOpen && !toolsStuck;
}

/**
 * `workflow_run_config_to_request` (run_request.py): the invocation (state
 * `new`), one `workflow_request_step_states` row per step, the meta request
 * parameters, one request row per input step given a value
 * (`WorkflowInvocation.add_input` dispatches on the content's type), and a
 * child invocation with its association row per subworkflow step, recursively
 * (children get no input rows: `inputs={}`; their state stays NULL until
 * first scheduled).
 */
function queueInvoke(invoker: Invoker, stored: StoredWorkflow, config: { readonly [key: string]: JsonValue }, index: number): Invocation {
  const { session } = invoker;
  const invocation = createInvocation(invoker, stored, null, index, 'new');
  for (const name of ['copy_inputs_to_history', 'use_cached_job']) {
    session.add('workflow_request_input_parameters', { workflow_invocation_id: invocation.row.id, name, value: 'false', type: 'meta' });
  }
  for (const step of stored.graph.steps) {
    if (!isInputStep(step)) continue;
    const raw = config[String(step.orderIndex)];
    const stepId = stored.stepIds.get(step.orderIndex)!;
    const value = raw === undefined ? { kind: 'none' as const } : dereferenceInput(invoker, step, raw);
    invocation.inputs.set(step.orderIndex, value);
    if (value.kind === 'dataset') session.add('workflow_request_to_input_dataset', { name: null, workflow_invocation_id: invocation.row.id, workflow_step_id: stepId, dataset_id: value.id });
    else if (value.kind === 'collection') session.add('workflow_request_to_input_collection_dataset', { name: null, workflow_invocation_id: invocation.row.id, workflow_step_id: stepId, dataset_collection_id: value.id });
    else if (value.kind === 'parameter') session.add('workflow_request_input_step_parameter', { workflow_invocation_id: invocation.row.id, workflow_step_id: stepId, parameter_value: JSON.stringify(value.value) });
  }
  session.commit();
  return invocation;
}

function createInvocation(invoker: Invoker, stored: StoredWorkflow, parent: { invocation: Invocation; stepId: number } | null, config: number, state: 'new' | null): Invocation {
  const { session } = invoker;
  const row = session.add('workflow_invocation', { workflow_id: stored.workflowId, history_id: HISTORY_ID, state });
  const trace: InvocationTrace = { id: row.id, parentId: parent?.invocation.row.id ?? null, workflowId: stored.workflowId, config, state: 'new', message: null };
  invoker.trace.invocations.push(trace);
  const invocation: Invocation = { trace, row, stored, inputs: new Map(), steps: new Map(), children: new Map(), capped: parent === null, waitsForJobs: false, whenFalse: false };
  for (const step of stored.graph.steps) {
    session.add('workflow_request_step_states', { workflow_invocation_id: row.id, workflow_step_id: stored.stepIds.get(step.orderIndex)!, value: JSON.stringify(step.state) });
  }
  if (parent !== null) {
    session.add('workflow_invocation_to_subworkflow_invocation_association', { workflow_invocation_id: parent.invocation.row.id, subworkflow_invocation_id: row.id, workflow_step_id: parent.stepId });
  }
  for (const step of stored.graph.steps) {
    const sub = stored.subworkflows.get(step.orderIndex);
    if (sub !== undefined) invocation.children.set(step.orderIndex, createInvocation(invoker, sub, { invocation, stepId: stored.stepIds.get(step.orderIndex)! }, config, null));
  }
  return invocation;
}

/** A request value for an input step: `{"src": "hda"|"hdca", "id": n}` or a parameter value (run_request.py `dereference_input`). */
function dereferenceInput(invoker: Invoker, step: StepNode, raw: JsonValue): StepValue {
  if (step.type === 'parameter_input') return { kind: 'parameter', value: raw };
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const ref = raw as { readonly [key: string]: JsonValue };
    if (ref['src'] === 'hda' && typeof ref['id'] === 'number') return { kind: 'dataset', id: ref['id'] };
    if (ref['src'] === 'hdca' && typeof ref['id'] === 'number') {
      const collection = invoker.collections.find((h) => h.id === ref['id']);
      if (collection !== undefined) return { kind: 'collection', id: collection.id, collection };
    }
  }
  return { kind: 'none' };
}

/**
 * `WorkflowInvoker.invoke` (run.py): one pass over the steps in order. Before
 * each step the job cap is checked (`max_jobs_to_schedule <= 0` breaks the
 * loop, so later steps get no invocation step this pass); a step reached for
 * the first time gets its invocation step (state `new`); its module runs; a
 * delayed step keeps its invocation step as it is, a partial one becomes
 * `ready`, a finished one `scheduled`. A failure fails the invocation with a
 * message row. At the end the invocation is `scheduled` when every step is,
 * else `ready`.
 */
function invokePass(invoker: Invoker, invocation: Invocation, pass: number, scheduling: SchedulingOptions): void {
  const { session } = invoker;
  let jobsLeft = invocation.capped ? (scheduling.jobs_per_iteration ?? Infinity) : Infinity;
  if (invocation.trace.state === 'new' && invocation.row.cells['state'] === null) session.set(invocation.row, 'state', 'new');
  invocation.waitsForJobs = false;
  recoverPauseOutputs(invoker, invocation, pass);
  for (const step of invocation.stored.graph.steps) {
    const existing = invocation.steps.get(step.orderIndex);
    if (existing?.scheduled) continue;
    if (jobsLeft <= 0) break;
    if (invoker.rules.checksImplicitDependencies) {
      const dependency = checkImplicitlyDependentSteps(invoker, invocation, step, pass);
      if (dependency === 'delayed') continue;
      if (dependency !== 'ready') {
        fail(invoker, invocation, dependency, step);
        return;
      }
    }
    const run = existing ?? newStepRun(invoker, invocation, step);
    const outcome = executeModule(invoker, invocation, step, run, pass, jobsLeft, scheduling);
    if (outcome.kind === 'failed') {
      fail(invoker, invocation, outcome, step);
      return;
    }
    if (outcome.kind === 'cancelled') {
      invocation.trace.state = 'cancelled';
      session.set(invocation.row, 'state', 'cancelled');
      session.add('workflow_invocation_message', { workflow_invocation_id: invocation.row.id, reason: outcome.reason, details: null, workflow_step_id: invocation.stored.stepIds.get(step.orderIndex)!, dependent_workflow_step_id: null });
      session.commit();
      return;
    }
    jobsLeft -= outcome.jobs;
    if (outcome.jobs > 0) run.lastJobPass = pass;
    if (outcome.kind === 'scheduled') {
      run.scheduled = true;
      run.trace.state = 'scheduled';
      session.set(run.wis, 'state', 'scheduled');
    } else if (outcome.kind === 'partial') {
      run.trace.state = 'ready';
      session.set(run.wis, 'state', 'ready');
    }
    session.commit();
  }
  const done = invocation.stored.graph.steps.every((s) => invocation.steps.get(s.orderIndex)?.scheduled === true);
  invocation.trace.state = done ? 'scheduled' : 'ready';
  session.set(invocation.row, 'state', invocation.trace.state);
  session.commit();
}

/**
 * `WorkflowInvoker.__check_implicitly_dependent_steps` (run.py), before the
 * step gets its invocation step: for each non-data connection (`$step`) the
 * upstream step must have an invocation step, be `scheduled`, and its jobs
 * must have finished; else the step is delayed (no step row is created).
 * [INFER] cardfuzz runs no jobs: a job ends before the next scheduling pass
 * (`endJobs`), so a step waits one pass after the step it depends on made
 * jobs (none when that step made no job). Then, in the order of the upstream
 * step row's jobs (`WorkflowInvocationStep.jobs`: its job, or its ICJ's
 * jobs), `__check_implicitly_dependent_step`: a job not finished (`paused`,
 * waiting for a person to resume it) delays the step; a job finished but not
 * `ok` (`error`) fails the invocation with `job_failed`
 * (`InvocationFailureJobFailed`), naming the job, the step and the step it
 * depends on. A profile whose scheduler ignores failed jobs
 * (`workflow.failedJobs=ignored`) takes it as `ok`.
 */
function checkImplicitlyDependentSteps(invoker: Invoker, invocation: Invocation, step: StepNode, pass: number): 'ready' | 'delayed' | Failure {
  for (const connection of step.connections.get(NON_DATA_CONNECTION) ?? []) {
    const upstream = invocation.steps.get(connection.id);
    if (upstream === undefined || !upstream.scheduled) return 'delayed';
    if (upstream.lastJobPass !== null && upstream.lastJobPass >= pass) return 'delayed';
    for (const jobId of stepRowJobs(upstream)) {
      const end = invoker.jobEnds.get(jobId);
      if (end === 'paused') {
        invocation.waitsForJobs = true;
        return 'delayed';
      }
      if (end === 'error' && invoker.rules.failsOnFailedDependency) return { reason: 'job_failed', details: null, dependent: connection.id, jobId };
    }
  }
  return 'ready';
}

/** `WorkflowInvocationStep.jobs` (model/__init__.py): the step row's job, or its ICJ's jobs; none for a mapped step without an ICJ on its row (a tool without outputs). */
function stepRowJobs(run: StepRun): number[] {
  if (run.tool === null) return [];
  if (run.tool.step.implicit !== null && run.trace.icjId === null) return [];
  return run.trace.jobs.map((j) => j.id);
}

/**
 * Jobs ending between two scheduling passes (before `pass`), in the order
 * they were made. A job of a step `scheduling.failed_jobs` names fails:
 * `JobWrapper.fail` (jobs/__init__.py) sets the job `error` and each of its
 * output datasets `error`; it does not touch its output collections, which
 * stay unpopulated (`DatasetCollection.handle_population_failed` is called
 * only when discovering a collection's elements fails, in
 * job_execution/output_collect.py, and a failed job discovers nothing), so a
 * step reading one fails with `collection_failed` (`replacementForConnection`).
 * A job that reads a dataset in `error` or `paused` never runs: `JobWrapper.fail`
 * pauses the jobs already made that depend on a failed output, and the job
 * handler's `__filter_jobs_with_invalid_input_states` (jobs/handler.py)
 * pauses those made later; a paused job's outputs are paused too
 * (`JobWrapper.pause`). The scheduler does not check this: such jobs are
 * made, their step is `scheduled`, and only the job handler pauses them
 * (`test_workflow_resume_from_failed_step`). A job made skipped (a `when`
 * that is false) never runs and stays `skipped`. Every other job is taken to
 * finish `ok` and keeps its row as made. Dataset states are kept here: the
 * modelled schema has no column for them.
 */
function endJobs(invoker: Invoker, pass: number): void {
  const failing = (invoker.c.scheduling?.failed_jobs?.length ?? 0) > 0;
  const { session } = invoker;
  let inputs: Map<number, number[]> | null = null;
  // Jobs are made in pass order: those not ended yet are a suffix of the list.
  let first = invoker.jobs.length;
  while (first > 0 && !invoker.jobs[first - 1]!.ended) first--;
  for (let i = first; i < invoker.jobs.length; i++) {
    const job = invoker.jobs[i]!;
    if (job.pass >= pass) break;
    job.ended = true;
    if (job.skipped || !failing) continue;
    if (inputs === null) {
      inputs = new Map();
      for (const row of session.rows) {
        if (row.table !== 'job_to_input_dataset' || typeof row.cells['dataset_id'] !== 'number') continue;
        const jobId = row.cells['job_id'] as number;
        inputs.set(jobId, [...(inputs.get(jobId) ?? []), row.cells['dataset_id']]);
      }
    }
    const held = (inputs.get(job.row.id) ?? []).some((d) => invoker.datasetStates.has(d));
    const state = held ? 'paused' : job.fails ? 'error' : null;
    if (state === null) continue;
    session.set(job.row, 'state', state);
    invoker.jobEnds.set(job.row.id, state);
    invoker.trace.endedJobs.push({ jobId: job.row.id, state, pass });
    for (const row of session.rows) {
      if (row.table === 'job_to_output_dataset' && row.cells['job_id'] === job.row.id) invoker.datasetStates.set(row.cells['dataset_id'] as number, state);
    }
  }
  session.commit();
}

/**
 * `WorkflowProgress.remaining_steps` (run.py) begins every pass by recovering
 * the steps already scheduled (`_recover_mapping`). The modules recover their
 * outputs with `set_step_outputs(..., already_persisted=True)`, but
 * `PauseModule.recover_mapping` (modules.py) calls `set_step_outputs` without
 * it: an approved pause records its output (and its workflow outputs) once
 * more on every pass after the one that approved it, while its invocation is
 * still being scheduled. A profile modelling a fixed Galaxy
 * (`workflow.stepOutputRows=once`) records it once.
 */
function recoverPauseOutputs(invoker: Invoker, invocation: Invocation, pass: number): void {
  if (!invoker.rules.recordsStepOutputsTwice) return;
  for (const step of invocation.stored.graph.steps) {
    if (step.type !== 'pause') continue;
    const run = invocation.steps.get(step.orderIndex);
    if (run === undefined || !run.scheduled || run.outputs === null || run.outputsPass === null || run.outputsPass >= pass) continue;
    setStepOutputs(invoker, invocation, step, run, run.outputs);
  }
  invoker.session.commit();
}

function fail(invoker: Invoker, invocation: Invocation, failure: Failure, step: StepNode): void {
  const { session } = invoker;
  const { reason, details, dependent } = failure;
  invocation.trace.state = 'failed';
  invocation.trace.message = `${reason}${details === null ? '' : `: ${details}`}`;
  session.set(invocation.row, 'state', 'failed');
  session.add('workflow_invocation_message', {
    workflow_invocation_id: invocation.row.id,
    reason,
    details: details === null ? null : details.slice(0, 255),
    output_name: failure.outputName ?? null,
    workflow_step_id: invocation.stored.stepIds.get(step.orderIndex)!,
    dependent_workflow_step_id: dependent === null ? null : (invocation.stored.stepIds.get(dependent) ?? null),
    job_id: failure.jobId ?? null,
    hda_id: failure.hdaId ?? null,
    hdca_id: failure.hdcaId ?? null,
  });
  session.commit();
}

function newStepRun(invoker: Invoker, invocation: Invocation, step: StepNode): StepRun {
  const wis = invoker.session.add('workflow_invocation_step', {
    workflow_invocation_id: invocation.row.id,
    workflow_step_id: invocation.stored.stepIds.get(step.orderIndex)!,
    state: 'new',
    tool_execution_state_id: null,
  });
  invoker.session.commit();
  const trace: StepTrace = {
    invocationId: invocation.row.id,
    orderIndex: step.orderIndex,
    workflowStepId: invocation.stored.stepIds.get(step.orderIndex)!,
    type: step.type,
    toolId: step.tool?.id ?? null,
    wisId: wis.id,
    state: 'new',
    expansion: null,
    request: null,
    jobs: [],
    // Only a top-level invocation's steps: `failed_jobs` names steps of the workflow invoked.
    failing: invocation.trace.parentId === null && step.type === 'tool' && (invoker.c.scheduling?.failed_jobs ?? []).includes(step.orderIndex),
    icjId: null,
    connections: [...step.connections].flatMap(([input, cs]) => cs.map((c) => ({ input, from: c.id, outputName: c.output_name, value: null }))),
    outputs: null,
    valuesPass: null,
    passes: 0,
  };
  invoker.trace.steps.push(trace);
  const run: StepRun = { trace, wis, scheduled: false, outputs: null, tool: null, run: null, expansion: null, skip: false, lastJobPass: null, outputsPass: null };
  invocation.steps.set(step.orderIndex, run);
  return run;
}

type ModuleOutcome =
  | { readonly kind: 'scheduled'; readonly jobs: number }
  | { readonly kind: 'partial'; readonly jobs: number }
  | { readonly kind: 'delayed'; readonly jobs: number }
  | ({ readonly kind: 'failed' } & Failure)
  | { readonly kind: 'cancelled'; readonly reason: string };

/**
 * What a `FailWorkflowEvaluation` records (`InvocationFailure*`, schema
 * invocation.py, written as a `workflow_invocation_message`): its reason, the
 * step it failed at, the step it depended on, and the output, job, dataset or
 * collection it names.
 */
interface Failure {
  readonly reason: string;
  readonly details: string | null;
  readonly dependent: number | null;
  readonly outputName?: string;
  readonly jobId?: number;
  readonly hdaId?: number;
  readonly hdcaId?: number;
}

const DELAYED = { kind: 'delayed', jobs: 0 } as const;

type Replacement = { readonly ok: true; readonly value: StepValue } | { readonly ok: false; readonly outcome: ModuleOutcome };

/**
 * `WorkflowProgress.replacement_for_connection` (run.py): the upstream step's
 * output, or a delay while the upstream step is not scheduled (a pause not
 * reviewed, a partial map-over); an output the upstream step does not have
 * fails the invocation with `output_not_found`
 * (`InvocationFailureOutputNotFound`). A collection not populated delays the
 * step while it is waiting for elements; else it will never be populated and
 * the invocation fails with `collection_failed`
 * (`InvocationFailureCollectionFailed`, naming the HDCA). Galaxy's
 * `HistoryDatasetCollectionAssociation.waiting_for_elements`
 * (model/__init__.py) is `DatasetCollection.waiting_for_elements` (the
 * collection, or one nested in it, is `new`) unless all of the HDCA's jobs
 * have ended (`job_state_summary`: its job, or its ICJ's jobs, every one
 * `ok`, `error`, `failed` or `deleted`); here only a failed job ends that
 * way (`endJobs`: a job taken to finish `ok` never fills its collection), so
 * a collection every job of which failed is never populated and the step
 * fails with `collection_failed`. The collection's state is read as it is
 * now: an upload may have populated it since the upstream step recorded it.
 */
function replacementForConnection(invoker: Invoker, invocation: Invocation, from: number, outputName: string, isData = true): Replacement {
  const upstream = invocation.steps.get(from);
  const node = invocation.stored.graph.steps.find((s) => s.orderIndex === from)!;
  if (!stepOutputNames(node).includes(outputName)) return { ok: false, outcome: { kind: 'failed', reason: 'output_not_found', details: `${outputName} of step ${from}`, dependent: from, outputName } };
  if (upstream === undefined || upstream.outputs === null) return { ok: false, outcome: DELAYED };
  let value = upstream.outputs.get(outputName) ?? { kind: 'none' as const };
  // A collection recorded unpopulated is read as it is now: an upload or a job may have populated it since (never the reverse).
  if (value.kind === 'collection' && (value.collection.populated_state ?? 'ok') !== 'ok') {
    const hdcaId = value.id;
    const current = invoker.collections.find((h) => h.id === hdcaId) ?? value.collection;
    if (current !== value.collection) value = { kind: 'collection', id: hdcaId, collection: current };
    const state = current.populated_state ?? 'ok';
    // A profile's scheduler that does not wait for an upload takes an input collection as it is (a planted bug).
    if (state !== 'ok' && (invoker.rules.waitsForUnpopulatedInputs || !invoker.c.history.collections.some((h) => h.id === hdcaId))) {
      if (state !== 'new' || !waitingForElements(invoker, hdcaId)) return { ok: false, outcome: { kind: 'failed', reason: 'collection_failed', details: null, dependent: from, hdcaId } };
      invocation.waitsForJobs = true;
      return { ok: false, outcome: DELAYED };
    }
  }
  if (!isData) {
    const datasets = value.kind === 'dataset' ? [value.id] : value.kind === 'collection' ? leafDatasets(value.collection.elements) : [];
    for (const d of datasets) {
      // Galaxy names the collection's own id as `hda_id` when an element of a collection fails.
      if (failedDataset(invoker, d)) return { ok: false, outcome: { kind: 'failed', reason: 'dataset_failed', details: null, dependent: from, hdaId: value.kind === 'collection' ? value.id : d } };
    }
    if (datasets.some((d) => pendingDataset(invoker, d))) return { ok: false, outcome: DELAYED };
  }
  return { ok: true, value };
}

function leafDatasets(elements: readonly CollectionElement[]): number[] {
  return elements.flatMap((e) => ('dataset' in e && typeof e.dataset === 'number' ? [e.dataset] : 'collection' in e && e.collection !== undefined ? leafDatasets(e.collection.elements) : []));
}

/** Not `ok` and not pending: left in `error` or `paused` by a failed job, or a history dataset in `error` or `discarded`. */
function failedDataset(invoker: Invoker, hdaId: number): boolean {
  if (invoker.datasetStates.has(hdaId)) return true;
  const state = invoker.c.history.datasets.find((d) => d.id === hdaId)?.state;
  return state === 'error' || state === 'discarded';
}

/** `DatasetInstance.is_pending`: the job that makes the dataset has not ended (it was made this pass). */
function pendingDataset(invoker: Invoker, hdaId: number): boolean {
  const unended = new Set(invoker.jobs.filter((j) => !j.ended && !j.skipped).map((j) => j.row.id));
  if (unended.size === 0) return false;
  return invoker.session.rows.some((r) => r.table === 'job_to_output_dataset' && r.cells['dataset_id'] === hdaId && unended.has(r.cells['job_id'] as number));
}

/** `HistoryDatasetCollectionAssociation.waiting_for_elements` for a collection that is `new`: false once every one of its jobs (at least one) has failed. */
function waitingForElements(invoker: Invoker, hdcaId: number): boolean {
  if (invoker.jobEnds.size === 0) return true;
  const { rows } = invoker.session;
  const hdca = rows.find((r) => r.table === 'history_dataset_collection_association' && r.id === hdcaId);
  if (hdca === undefined) return true;
  const icj = hdca.cells['implicit_collection_jobs_id'];
  const jobs =
    typeof hdca.cells['job_id'] === 'number'
      ? [hdca.cells['job_id']]
      : typeof icj === 'number'
        ? rows.filter((r) => r.table === 'implicit_collection_jobs_job_association' && r.cells['implicit_collection_jobs_id'] === icj).map((r) => r.cells['job_id'] as number)
        : [];
  return jobs.length === 0 || !jobs.every((j) => invoker.jobEnds.get(j) === 'error');
}

function executeModule(invoker: Invoker, invocation: Invocation, step: StepNode, run: StepRun, pass: number, jobsLeft: number, scheduling: SchedulingOptions): ModuleOutcome {
  run.trace.passes++;
  switch (step.type) {
    case 'data_input':
    case 'data_collection_input':
    case 'parameter_input':
      return inputModule(invoker, invocation, step, run);
    case 'pause':
      return pauseModule(invoker, invocation, step, run, pass, scheduling);
    case 'subworkflow':
      return subworkflowModule(invoker, invocation, step, run, pass, scheduling);
    case 'tool':
      return toolModule(invoker, invocation, step, run, jobsLeft, pass);
  }
}

/**
 * `InputModule.execute` / `InputParameterModule.execute` (modules.py): no job;
 * the step's output is the value given to it, recorded by `set_step_outputs`
 * (history content only: a parameter gets no output row).
 */
function inputModule(invoker: Invoker, invocation: Invocation, step: StepNode, run: StepRun): ModuleOutcome {
  const value = invocation.inputs.get(step.orderIndex) ?? { kind: 'none' as const };
  setStepOutputs(invoker, invocation, step, run, new Map([['output', value]]));
  return { kind: 'scheduled', jobs: 0 };
}

/**
 * `PauseModule.execute` (modules.py): the first pass marks the outputs delayed
 * (the step itself is `scheduled`, `action` NULL). Later passes
 * (`PauseModule.recover_mapping`): approved, the output is the connected
 * value, recorded then; refused, the invocation is cancelled with
 * `cancelled_on_review`; not reviewed, it stays delayed.
 */
function pauseModule(invoker: Invoker, invocation: Invocation, step: StepNode, run: StepRun, pass: number, scheduling: SchedulingOptions): ModuleOutcome {
  if (run.trace.passes === 1) {
    const connection = step.connections.get('input')?.[0];
    if (connection !== undefined) {
      const replacement = replacementForConnection(invoker, invocation, connection.id, connection.output_name);
      if (!replacement.ok) {
        run.trace.passes = 0; // not reached yet: the pause starts once its input is there
        return replacement.outcome;
      }
    }
    run.scheduled = false;
    invoker.session.set(run.wis, 'state', 'scheduled');
    run.trace.state = 'scheduled';
    return { kind: 'delayed', jobs: 0 };
  }
  if (scheduling.review === undefined) return DELAYED;
  if (scheduling.review === 'cancel') return { kind: 'cancelled', reason: 'cancelled_on_review' };
  const connection = step.connections.get('input')?.[0];
  const value = connection === undefined ? { kind: 'none' as const } : (invocation.steps.get(connection.id)?.outputs?.get(connection.output_name) ?? { kind: 'none' as const });
  // recover_mapping records the approved output; later passes record it again (recoverPauseOutputs).
  setStepOutputs(invoker, invocation, step, run, new Map([['output', value]]));
  run.outputsPass = pass;
  return { kind: 'scheduled', jobs: 0 };
}

/**
 * `SubWorkflowModule.execute` (modules.py) → `WorkflowProgress.subworkflow_invoker`
 * (run.py): the parent step has no job; the child invocation (made at request
 * time) is scheduled with the connected values as its inputs, without the job
 * cap; the step's outputs are the child's workflow outputs, the same objects
 * (no copies), once the child has scheduled them. A mapped subworkflow is one
 * child whose inner steps map over the collection they receive.
 */
function subworkflowModule(invoker: Invoker, invocation: Invocation, step: StepNode, run: StepRun, pass: number, scheduling: SchedulingOptions): ModuleOutcome {
  const child = invocation.children.get(step.orderIndex)!;
  if (child.inputs.size === 0) {
    for (const inner of subworkflowInputSteps(step.subworkflow!)) {
      const connection = [...step.connections.values()].flat().find((c) => c.input_subworkflow_step_id === inner.orderIndex) ?? step.connections.get(inner.label ?? '')?.[0];
      if (connection === undefined) {
        // subworkflow_progress: a required inner input nothing feeds fails with output_not_found, naming the
        // output and step of the step's last connection (the loop variable Galaxy's message reads).
        const last = [...step.connections.values()].flat().at(-1);
        if (!inputOptional(inner.state) && last !== undefined) {
          child.inputs.clear();
          return { kind: 'failed', reason: 'output_not_found', details: `${last.output_name} of step ${last.id}`, dependent: last.id, outputName: last.output_name };
        }
        child.inputs.set(inner.orderIndex, { kind: 'none' });
        continue;
      }
      const replacement = replacementForConnection(invoker, invocation, connection.id, connection.output_name);
      if (!replacement.ok) {
        child.inputs.clear();
        return replacement.outcome;
      }
      child.inputs.set(inner.orderIndex, replacement.value);
      for (const traced of run.trace.connections) if (traced.from === connection.id && traced.outputName === connection.output_name) traced.value = replacement.value;
    }
    // SubWorkflowModule.execute: a step skipped by its parent passes False on; else its own `when` is evaluated over its inputs.
    if (invocation.whenFalse) child.whenFalse = true;
    else if (step.when !== null) {
      const named = new Map<string, StepValue>();
      for (const [name, cs] of step.connections) {
        if (name === NON_DATA_CONNECTION || cs[0] === undefined) continue;
        const replacement = replacementForConnection(invoker, invocation, cs[0].id, cs[0].output_name);
        if (!replacement.ok) {
          child.inputs.clear();
          return replacement.outcome;
        }
        named.set(name, replacement.value);
      }
      const value = whenValue(step, named);
      if (value === null) return { kind: 'failed', reason: 'when_not_boolean', details: null, dependent: null };
      child.whenFalse = !value;
    }
    run.trace.valuesPass ??= pass;
  }
  invokePass(invoker, child, pass, scheduling);
  if (child.trace.state === 'failed') return { kind: 'failed', reason: 'unexpected_failure', details: `subworkflow invocation ${child.row.id} failed: ${child.trace.message ?? ''}`, dependent: null };
  if (child.trace.state === 'cancelled') return { kind: 'cancelled', reason: 'cancelled_on_review' };
  if (child.trace.state !== 'scheduled') {
    if (child.waitsForJobs) invocation.waitsForJobs = true;
    return DELAYED;
  }
  const outputs = new Map<string, StepValue>();
  for (const o of subworkflowOutputs(step.subworkflow!)) {
    outputs.set(o.name, child.steps.get(o.step.orderIndex)?.outputs?.get(o.outputName) ?? { kind: 'none' });
  }
  setStepOutputs(invoker, invocation, step, run, outputs);
  return { kind: 'scheduled', jobs: 0 };
}

/**
 * `ToolModule.execute` (modules.py): the connected values become the step's
 * request (mapping where `_find_collections_to_match` says), the step is
 * expanded and executed with at most `max_num_jobs` jobs this pass
 * (workflow-step.ts); a step with slices left is partial. A request Galaxy
 * cannot expand fails the invocation (`unexpected_failure` with the message,
 * as the scheduler's catch-all records a MessageException).
 */
function toolModule(invoker: Invoker, invocation: Invocation, step: StepNode, run: StepRun, jobsLeft: number, pass: number): ModuleOutcome {
  if (run.tool === null) {
    const values = new Map<string, StepValue[]>();
    for (const connection of run.trace.connections) {
      // A non-data connection is no tool input: the tool's inputs never ask for it (`replacement_for_input`).
      if (connection.input === NON_DATA_CONNECTION) continue;
      // `replacement_for_input`: a connection into a parameter that is not data (or into `when`) is read with `is_data=False`.
      const into = connection.input === 'when' ? undefined : inputAtPrefixedName(step.tool!.inputs, connection.input, step.state);
      const whenOnly = into === undefined && (connection.input === 'when' || (step.when !== null && step.when !== 'unread' && step.when.kind === 'input' && step.when.name === connection.input));
      const isData = !whenOnly && (into === undefined || into.type === 'data' || into.type === 'data_collection');
      const replacement = replacementForConnection(invoker, invocation, connection.from, connection.outputName, isData);
      if (!replacement.ok) return replacement.outcome;
      connection.value = replacement.value;
      values.set(connection.input, [...(values.get(connection.input) ?? []), replacement.value]);
    }
    run.trace.valuesPass = pass;
    const tool = step.tool!;
    let skip = false;
    if (step.when !== null) {
      // Step inputs that are no tool input (the ones the expression reads) reach only the expression.
      const named = new Map([...values].map(([name, vs]) => [name, vs[0]!]));
      for (const name of named.keys()) if (!name.includes('|') && !tool.inputs.some((i) => i.name === name)) values.delete(name);
      // ToolModule.execute: a slice whose when_value is False is skipped without evaluating the step's own `when`.
      if (!invocation.whenFalse) {
        const value = whenValue(step, named);
        if (value === null) return { kind: 'failed', reason: 'when_not_boolean', details: null, dependent: null };
        skip = !value;
      }
    }
    if (invocation.whenFalse) skip = true;
    const request = toolStepRequest(tool, step.state, values);
    // Of several connections into an input that takes the first only, the others carry nothing into the step.
    for (const [name, vs] of values) {
      if (vs.length < 2) continue;
      if (severalConnections(inputAtPrefixedName(tool.inputs, name, request)) === 'all') continue;
      let first = true;
      for (const connection of run.trace.connections) {
        if (connection.input !== name) continue;
        if (!first) connection.value = null;
        first = false;
      }
    }
    const stepCase: Case = { tool, history: currentHistory(invoker), entry: 'workflow-step', request };
    const expansion = expandCase(stepCase, invoker.expansionSettings);
    run.trace.expansion = expansion;
    run.trace.request = request;
    run.expansion = expansion;
    if (!expansion.ok) return { kind: 'failed', reason: 'unexpected_failure', details: expansion.error.message, dependent: null };
    let toolSource = invoker.toolSources.get(tool.id);
    if (toolSource === undefined) {
      toolSource = { current: null };
      invoker.toolSources.set(tool.id, toolSource);
    }
    run.run = { c: stepCase, rules: invoker.rules, session: invoker.session, fixture: invoker.fixture, toolSource };
    run.tool = startToolStep(run.run, run.wis, 'validated');
    run.skip = skip;
  }
  const expansion = run.expansion!;
  if (!expansion.ok) return { kind: 'failed', reason: 'unexpected_failure', details: expansion.error.message, dependent: null };
  const before = invoker.session.rows.length;
  const result = toolStepPass(run.run!, expansion, run.tool, jobsLeft, run.skip);
  const created = invoker.session.rows.slice(before);
  for (const row of created) {
    if (row.table !== 'job') continue;
    run.trace.jobs.push({ id: row.id, combination: row.slice?.combination ?? 0, pass });
    invoker.jobs.push({ row: row as SessionRow<'job'>, pass, fails: run.trace.failing, skipped: run.skip, ended: false });
  }
  const implicit = run.tool.step.implicit;
  run.trace.icjId = implicit !== null && implicit.icj.persisted && implicit.outputs.length > 0 ? implicit.icj.id : null;
  if (result.remaining) return { kind: 'partial', jobs: result.executed };
  setStepOutputs(invoker, invocation, step, run, toolOutputs(invoker, run));
  return { kind: 'scheduled', jobs: result.executed };
}

/**
 * `evaluate_value_from_expressions` (modules.py) for a step's `when`, over
 * the values connected to the step's inputs by name (a parameter's value; a
 * dataset or collection is an object): true, false, or null when the result is
 * not a boolean (`when_not_boolean`). An expression cardfuzz does not read
 * never reaches here (the readers say "not modelled").
 */
function whenValue(step: StepNode, named: ReadonlyMap<string, StepValue>): boolean | null {
  if (step.when === null || step.when === 'unread') return null;
  const inputs = new Map<string, unknown>();
  for (const [name, value] of named) inputs.set(name, value.kind === 'parameter' ? value.value : value.kind === 'none' ? null : {});
  return evaluateWhen(step.when, inputs);
}

/** The history a step's request is expanded against: the fixture and every output made so far. */
function currentHistory(invoker: Invoker): History {
  invoker.history ??= { datasets: [...invoker.datasets], collections: [...invoker.collections] };
  return invoker.history;
}

/**
 * `ToolModule._find_collections_to_match` (modules.py): which connected
 * collections the step maps over, as connection-match.ts states Galaxy's
 * rules. In the step's request a mapped value is a Batch of one collection,
 * as the workflow-step entry writes it. A connection into a nested parameter
 * is named by its prefixed key, as a `.ga` names it (`sect|input`,
 * `cond|input` for the when the step's state selects, `queries_0|input`); its
 * value goes into the nested request there.
 */
export function toolStepRequest(tool: Tool, state: RequestInputs, values: ReadonlyMap<string, readonly StepValue[]>): RequestInputs {
  const request = structuredClone(state) as Record<string, JsonValue>;
  const ref = (v: StepValue): JsonValue => (v.kind === 'dataset' ? { src: 'hda', id: v.id } : v.kind === 'collection' ? { src: 'hdca', id: v.id } : null);
  const mapped = (v: StepValue, mapOverType?: string): JsonValue => ({ __class__: 'Batch', values: [mapOverType === undefined ? ref(v) : { src: 'hdca', id: v.kind === 'collection' ? v.id : 0, map_over_type: mapOverType }] });
  for (const [name, vs] of values) {
    const present = vs.filter((v) => v.kind !== 'none');
    if (present.length === 0) continue;
    const located = locatePrefixedInput(tool.inputs, request, name);
    if (located === undefined) {
      request[name] = present[0]!.kind === 'parameter' ? (present[0] as { value: JsonValue }).value : ref(present[0]!);
      continue;
    }
    const { input, level, key } = located;
    if (present.length > 1 && severalConnections(input) === 'all') {
      level[key] = present.map(ref);
      continue;
    }
    const v = present[0]!;
    if (v.kind === 'parameter') {
      level[key] = v.value;
      continue;
    }
    if (input.type !== 'data' && input.type !== 'data_collection') {
      level[key] = ref(v);
      continue;
    }
    const given: ConnectedType | null = v.kind === 'dataset' ? { kind: 'dataset' } : v.kind === 'collection' ? { kind: 'collection', collectionType: v.collection.collection_type } : null;
    const match = given === null ? null : matchConnection(input, given);
    level[key] = match?.kind === 'map' ? mapped(v, match.mapOverType) : ref(v);
  }
  return request;
}

/** The step's outputs after its last pass: the job's datasets and collections, or the implicit collections of a map-over. */
function toolOutputs(invoker: Invoker, run: StepRun): Map<string, StepValue> {
  const outputs = new Map<string, StepValue>();
  const { session } = invoker;
  const implicit = run.tool!.step.implicit;
  if (implicit !== null) {
    for (const out of implicit.outputs) outputs.set(out.output.name, collectionValue(invoker, out.hdca));
    return outputs;
  }
  const jobId = run.trace.jobs[0]?.id;
  if (jobId === undefined) return outputs;
  for (const row of session.rows) {
    if (row.table === 'job_to_output_dataset' && row.cells['job_id'] === jobId) {
      const id = row.cells['dataset_id'] as number;
      outputs.set(String(row.cells['name']), { kind: 'dataset', id });
      invoker.datasets.push({ id });
      invoker.history = null;
    } else if (row.table === 'job_to_output_dataset_collection' && row.cells['job_id'] === jobId) {
      const hdca = session.rows.find((r) => r.table === 'history_dataset_collection_association' && r.id === row.cells['dataset_collection_id']);
      if (hdca !== undefined) outputs.set(String(row.cells['name']), collectionValue(invoker, hdca as SessionRow<'history_dataset_collection_association'>));
    }
  }
  return outputs;
}

/**
 * A collection the steps made, as the next step's expansion sees it: its
 * elements read back from the rows the code wrote (identifiers, datasets,
 * nested collections), its populated state, and each element's row id for the
 * job input associations. Added to the growing history.
 */
function collectionValue(invoker: Invoker, hdca: SessionRow<'history_dataset_collection_association'>): StepValue {
  const { session } = invoker;
  const dcs = new Map<number, SessionRow>();
  const dces = new Map<number, SessionRow[]>();
  for (const row of session.rows) {
    if (row.table === 'dataset_collection') dcs.set(row.id, row);
    else if (row.table === 'dataset_collection_element') {
      const parent = row.cells['dataset_collection_id'] as number;
      const list = dces.get(parent);
      if (list === undefined) dces.set(parent, [row]);
      else list.push(row);
    }
  }
  const build = (dcId: number, path: readonly string[]): { collection_type: string; elements: CollectionElement[]; populated: boolean } => {
    const dc = dcs.get(dcId)!;
    let populated = dc.cells['populated_state'] === 'ok';
    const elements: CollectionElement[] = [];
    for (const dce of dces.get(dcId) ?? []) {
      const identifier = String(dce.cells['element_identifier']);
      const elementPath = [...path, identifier];
      invoker.elements.set(elementKey(hdca.id, elementPath), dce.id);
      const child = dce.cells['child_collection_id'];
      const hda = dce.cells['hda_id'];
      if (typeof child === 'number') {
        const inner = build(child, elementPath);
        populated &&= inner.populated;
        elements.push({ identifier, collection: { collection_type: inner.collection_type, elements: inner.elements } });
      } else if (typeof hda === 'number') {
        elements.push({ identifier, dataset: hda });
        if (!invoker.datasets.some((d) => d.id === hda)) invoker.datasets.push({ id: hda });
        invoker.history = null;
      } else populated = false;
    }
    return { collection_type: String(dc.cells['collection_type']), elements, populated };
  };
  const built = build(hdca.cells['collection_id'] as number, []);
  const collection: HistoryCollection = { id: hdca.id, collection_type: built.collection_type, elements: built.elements, ...(built.populated ? {} : { populated_state: 'new' }) };
  invoker.history = null;
  const at = invoker.collections.findIndex((h) => h.id === hdca.id);
  if (at >= 0) invoker.collections[at] = collection;
  else invoker.collections.push(collection);
  return { kind: 'collection', id: hdca.id, collection };
}

/**
 * `WorkflowProgress.set_step_outputs` (run.py): the step's outputs become
 * available to later steps; history content is recorded on the invocation
 * step with `WorkflowInvocationStep.add_output`, which never deduplicates. On
 * a tool step's first pass the execution tracker has already added the same
 * rows (`record_success` for a job's datasets,
 * `ensure_implicit_collections_populated` for implicit collections) and the
 * step is still `new` (`already_persisted = not is_new`), so those outputs get
 * a second row (hazards-verified §4). Each output marked as a workflow output
 * gets one invocation output row (`WorkflowInvocation.add_output`).
 */
function setStepOutputs(invoker: Invoker, invocation: Invocation, step: StepNode, run: StepRun, outputs: Map<string, StepValue>): void {
  const { session } = invoker;
  run.outputs = outputs;
  run.trace.outputs = [...outputs].map(([name, value]) => ({ name, value }));
  // The tracker's first-pass rows are written again unless the profile models a fixed Galaxy, which records them once.
  const alreadyPersisted = run.tool !== null && (run.tool.passes > 1 || !invoker.rules.recordsStepOutputsTwice);
  if (!alreadyPersisted) {
    for (const [name, value] of outputs) {
      if (value.kind === 'dataset') session.add('workflow_invocation_step_output_dataset_association', { workflow_invocation_step_id: run.wis.id, dataset_id: value.id, output_name: name });
      else if (value.kind === 'collection') {
        // A job's own (explicit) collection outputs come only through `output_collections`: Galaxy writes one row.
        // record-success.ts already wrote it, so it is not written again here.
        if (run.tool !== null && run.tool.step.implicit === null) continue;
        session.add('workflow_invocation_step_output_dataset_collection_association', { workflow_invocation_step_id: run.wis.id, dataset_collection_id: value.id, output_name: name });
      }
    }
  }
  const stepId = invocation.stored.stepIds.get(step.orderIndex)!;
  for (const o of step.workflowOutputs) {
    const value = outputs.get(o.output_name);
    if (value === undefined || value.kind === 'none' || value.kind === 'parameter') continue;
    if (value.kind === 'dataset') session.add('workflow_invocation_output_dataset_association', { workflow_invocation_id: invocation.row.id, workflow_step_id: stepId, dataset_id: value.id, workflow_output_id: null });
    else session.add('workflow_invocation_output_dataset_collection_association', { workflow_invocation_id: invocation.row.id, workflow_step_id: stepId, dataset_collection_id: value.id, workflow_output_id: null });
  }
}
