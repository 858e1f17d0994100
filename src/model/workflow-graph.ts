import type { RequestInputs } from './case.js';
import type { Tool, ToolOutput } from './tool.js';
import { readWhenExpression, type WhenExpression } from './when-expression.js';
import type { GaConnection, GaStep, GaWorkflow, GaWorkflowOutput, WorkflowStepType } from './workflow.js';

/**
 * A `.ga` workflow as Galaxy's workflow manager builds it into steps
 * (lib/galaxy/managers/workflows.py `WorkflowContentsManager._workflow_from_raw_description`
 * and `__module_from_dict`): steps in order-index order, each with its
 * connections by input name, its tool, its outputs and, for a subworkflow
 * step, the inner workflow. What Galaxy refuses when a workflow is built is
 * refused here with Galaxy's reason (`WorkflowRefused`); what Galaxy accepts
 * and only fails on at invocation is kept, for the scheduler to fail as
 * Galaxy records it.
 */

export interface StepNode {
  readonly orderIndex: number;
  readonly type: WorkflowStepType;
  readonly label: string | null;
  /** Tool steps: the tool (`ToolModule`); null otherwise. */
  readonly tool: Tool | null;
  /** Tool steps: the values of unconnected parameters; input steps: their options. */
  readonly state: RequestInputs;
  /** Connections by input name, in `.ga` order. */
  readonly connections: ReadonlyMap<string, readonly GaConnection[]>;
  readonly workflowOutputs: readonly GaWorkflowOutput[];
  readonly subworkflow: WorkflowGraph | null;
  /** A conditional step (`when` set). */
  readonly conditional: boolean;
  /** Its `when` as cardfuzz reads it (when-expression.ts); `unread` for an expression it does not read. */
  readonly when: WhenExpression | 'unread' | null;
}

export interface WorkflowGraph {
  readonly name: string;
  readonly steps: readonly StepNode[];
  /**
   * Galaxy imports a workflow with a cycle (`attach_ordered_steps` only sets
   * `workflow.has_cycles`, lib/galaxy/managers/workflows.py) and refuses to
   * run it (run_request.py `build_workflow_run_configs`).
   */
  readonly hasCycles: boolean;
}

/** run_request.py `build_workflow_run_configs`: the MessageException for a workflow with cycles. */
export const CYCLES_MESSAGE = 'Workflow cannot be run because it contains cycles';

/**
 * `WorkflowStepConnection.NON_DATA_CONNECTION` (model/__init__.py): the input
 * name of a connection that carries no data, only an order (gxformat2
 * `$step`): the step waits for the upstream step and its jobs
 * (`WorkflowInvoker.__check_implicitly_dependent_steps`, run.py).
 */
export const NON_DATA_CONNECTION = '__NO_INPUT_OUTPUT_NAME__';

/** Galaxy would not build or import this workflow; `reason` is Galaxy's. */
export class WorkflowRefused extends Error {}

/** Steps whose `when` expression cardfuzz does not read (when-expression.ts), one line each, for the readers to say "not modelled". */
export function unreadWhenExpressions(graph: WorkflowGraph, path = ''): string[] {
  const found: string[] = [];
  for (const step of graph.steps) {
    if (step.when === 'unread') found.push(`${path}step ${step.orderIndex}: a when expression other than $(inputs.NAME), $(!inputs.NAME), $(true) or $(false)`);
    if (step.subworkflow !== null) found.push(...unreadWhenExpressions(step.subworkflow, `${path}step ${step.orderIndex} > `));
  }
  return found;
}

/** Step outputs as `module.get_all_outputs()` names them. */
export function stepOutputNames(step: StepNode): readonly string[] {
  switch (step.type) {
    case 'data_input':
    case 'data_collection_input':
    case 'parameter_input':
    case 'pause':
      return ['output'];
    case 'tool':
      return (step.tool?.outputs ?? []).map((o: ToolOutput) => o.name);
    case 'subworkflow':
      return subworkflowOutputLabels(step.subworkflow!);
  }
}

/**
 * `SubWorkflowModule.get_all_outputs` (modules.py @103deff4): a subworkflow
 * step's outputs are the inner workflow's outputs, named by their label, or
 * `"{order_index}:{output_name}"` when unlabelled.
 */
export function subworkflowOutputLabels(graph: WorkflowGraph): string[] {
  return subworkflowOutputs(graph).map((o) => o.name);
}

export function subworkflowOutputs(graph: WorkflowGraph): { readonly name: string; readonly step: StepNode; readonly outputName: string }[] {
  const out: { name: string; step: StepNode; outputName: string }[] = [];
  for (const step of graph.steps) for (const o of step.workflowOutputs) out.push({ name: o.label ? o.label : `${step.orderIndex}:${o.output_name}`, step, outputName: o.output_name });
  return out;
}

/**
 * `SubWorkflowModule.get_all_inputs` (modules.py): a subworkflow step's inputs
 * are the inner workflow's input steps; a connection names the one it feeds by
 * `input_subworkflow_step_id` (run.py `subworkflow_progress`).
 */
export function subworkflowInputSteps(graph: WorkflowGraph): readonly StepNode[] {
  return graph.steps.filter((s) => s.type === 'data_input' || s.type === 'data_collection_input' || s.type === 'parameter_input');
}

/** `WorkflowStep.input_optional` (model/__init__.py): an input step's state says `optional`; absent, it is required. */
export function inputOptional(state: { readonly [key: string]: unknown }): boolean {
  return state['optional'] === true;
}

export function isInputStep(step: StepNode): boolean {
  return step.type === 'data_input' || step.type === 'data_collection_input' || step.type === 'parameter_input';
}

/** Builds the steps of a `.ga` workflow whose tool steps run the given tools; throws WorkflowRefused where Galaxy refuses. */
export function workflowGraph(workflow: GaWorkflow, tools: readonly Tool[], depth = 0): WorkflowGraph {
  if (depth > 4) throw new WorkflowRefused('subworkflows nested deeper than 4 levels');
  const byId = new Map(tools.map((t) => [t.id, t]));
  const entries = Object.entries(workflow.steps).map(([key, step]) => ({ key, step }));
  const steps: StepNode[] = entries
    .map(({ key, step }) => readStep(key, step, byId, tools, depth))
    .sort((a, b) => a.orderIndex - b.orderIndex);
  const indices = new Set(steps.map((s) => s.orderIndex));
  for (const step of steps) {
    for (const [input, connections] of step.connections) {
      for (const c of connections) {
        if (!indices.has(c.id)) throw new WorkflowRefused(`step ${step.orderIndex} input '${input}' is connected to step ${c.id}, which the workflow does not have`);
      }
    }
  }
  return { name: workflow.name, steps, hasCycles: hasCycles(steps) };
}

function readStep(key: string, step: GaStep, tools: ReadonlyMap<string, Tool>, allTools: readonly Tool[], depth: number): StepNode {
  const orderIndex = step.id;
  if (String(orderIndex) !== key) throw new WorkflowRefused(`step "${key}" has id ${orderIndex}; a .ga step's key is its order index`);
  const connections = new Map<string, readonly GaConnection[]>();
  for (const [input, value] of Object.entries(step.input_connections ?? {})) {
    connections.set(input, Array.isArray(value) ? (value as readonly GaConnection[]) : [value as GaConnection]);
  }
  let tool: Tool | null = null;
  if (step.type === 'tool') {
    // `ToolModule.from_dict`: a tool Galaxy cannot find makes the step unusable (`ToolMissingException`).
    tool = tools.get(step.tool_id ?? '') ?? null;
    if (tool === null) throw new WorkflowRefused(`Tool ${step.tool_id ?? '(none)'} missing: the step ${orderIndex} tool is not installed`);
  }
  if (step.type === 'subworkflow' && step.subworkflow === undefined) throw new WorkflowRefused(`subworkflow step ${orderIndex} has no subworkflow`);
  const subworkflow = step.type === 'subworkflow' ? workflowGraph(step.subworkflow!, allTools, depth + 1) : null;
  const state = step.tool_state ? (JSON.parse(step.tool_state) as RequestInputs) : {};
  return {
    orderIndex,
    type: step.type,
    label: step.label ?? null,
    tool,
    state,
    connections,
    workflowOutputs: step.workflow_outputs ?? [],
    subworkflow,
    conditional: step.when !== undefined && step.when !== null && step.when !== '',
    when: step.when === undefined || step.when === null || step.when === '' ? null : (readWhenExpression(step.when) ?? 'unread'),
  };
}

/** Whether the connections form a cycle (Galaxy's `order_workflow_steps` then fails and `has_cycles` is set). */
function hasCycles(steps: readonly StepNode[]): boolean {
  const state = new Map<number, 'visiting' | 'done'>();
  const byIndex = new Map(steps.map((s) => [s.orderIndex, s]));
  const visit = (step: StepNode): boolean => {
    const now = state.get(step.orderIndex);
    if (now === 'done') return false;
    if (now === 'visiting') return true;
    state.set(step.orderIndex, 'visiting');
    for (const connections of step.connections.values()) for (const c of connections) if (visit(byIndex.get(c.id)!)) return true;
    state.set(step.orderIndex, 'done');
    return false;
  };
  return steps.some((step) => visit(step));
}

