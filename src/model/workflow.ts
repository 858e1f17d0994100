import type { History } from './history.js';
import type { JsonValue } from './case.js';
import type { Tool } from './tool.js';

/**
 * A workflow invocation case: a workflow as Galaxy exports it (`.ga` JSON,
 * format-version 0.1, the subset that decides what an invocation writes),
 * the tools its tool steps run, the history the invocation runs in, the
 * invocation request (`POST /api/workflows/{id}/invocations`) and the
 * scheduler's options. Plain JSON data, so a finding can be printed, saved,
 * replayed and imported into Galaxy.
 */

/** The step types Galaxy's `.ga` export writes (lib/galaxy/workflow/modules.py `module_types`). */
export const WORKFLOW_STEP_TYPES = ['data_input', 'data_collection_input', 'parameter_input', 'tool', 'pause', 'subworkflow'] as const;
export type WorkflowStepType = (typeof WORKFLOW_STEP_TYPES)[number];

/** One connection into a step input: the upstream step's order index and output name (`.ga` `input_connections`). */
export interface GaConnection {
  readonly id: number;
  readonly output_name: string;
  /** Into a subworkflow step: the inner input step it feeds (run.py `subworkflow_progress` binds by it). */
  readonly input_subworkflow_step_id?: number;
}

/** A step output marked as a workflow output (`.ga` `workflow_outputs`). */
export interface GaWorkflowOutput {
  readonly output_name: string;
  readonly label?: string | null;
}

export interface GaStep {
  /** The step's order index (its key in `steps`). */
  readonly id: number;
  readonly type: WorkflowStepType;
  readonly label?: string | null;
  /** Tool steps: the tool's id, one of the case's tools. */
  readonly tool_id?: string | null;
  readonly tool_version?: string | null;
  /**
   * The step's state as JSON text, as `.ga` stores it. Tool steps: the values of
   * the tool's unconnected parameters. Input steps: `optional`, `collection_type`
   * (collection inputs) and `parameter_type` (parameter inputs).
   */
  readonly tool_state?: string | null;
  /** Per input name (a subworkflow step: the inner input step's label, or `"{order_index}:{name}"`), the connection or connections feeding it. */
  readonly input_connections?: { readonly [input: string]: GaConnection | readonly GaConnection[] };
  readonly workflow_outputs?: readonly GaWorkflowOutput[];
  readonly subworkflow?: GaWorkflow;
  /** A conditional step: the expression `$(inputs.when)`, with a boolean connected as the input `when`. */
  readonly when?: string | null;
}

export interface GaWorkflow {
  readonly a_galaxy_workflow?: 'true';
  readonly 'format-version'?: '0.1';
  readonly name: string;
  readonly steps: { readonly [orderIndex: string]: GaStep };
}

/**
 * The invocation request body: `inputs` keyed by step order index
 * (`inputs_by: "step_index"`), each a `{"src": "hda"|"hdca", "id": n}`, a
 * parameter value, or a batch `{"batch": true, "values": [...], "product"?: true}`;
 * `batch: true` when any input is a batch (`expand_workflow_inputs`,
 * lib/galaxy/tools/parameters/meta.py).
 */
export interface InvocationRequest {
  readonly inputs: { readonly [orderIndex: string]: JsonValue };
  readonly batch?: boolean;
}

/** What the scheduler does between passes (galaxy-workflows §5). */
export interface SchedulingOptions {
  /** `maximum_workflow_jobs_per_scheduling_iteration`: jobs the scheduler creates per pass, counted across steps; absent = unlimited. */
  readonly jobs_per_iteration?: number;
  /** Scheduler passes before the run stops looking (Galaxy's bound is `maximum_workflow_invocation_duration`); an invocation not finished by then is reported as never finishing. Default 24. */
  readonly budget?: number;
  /** The action taken on every pause step after its first pass (`PUT .../steps/{id}`); absent = never reviewed. */
  readonly review?: 'approve' | 'cancel';
  /**
   * Inputs not yet populated: history collections the request names while
   * they are still being filled (`populated_state: "new"` in the history, as
   * an upload into a new collection leaves them until its job finishes), each
   * with the scheduling pass before which it becomes populated. A `new`
   * collection not named here stays unpopulated for the whole run.
   */
  readonly populated_at?: { readonly [hdcaId: string]: number };
  /**
   * Failed jobs: the order indexes of top-level tool steps whose jobs fail.
   * Each such job ends in `error` before the scheduling pass after the one
   * that made it (as a job the model takes to finish `ok` does); a skipped job
   * (a `when` that is false) never runs, so it does not fail.
   */
  readonly failed_jobs?: readonly number[];
}

export const DEFAULT_SCHEDULING_BUDGET = 24;

export interface WorkflowCase {
  readonly entry: 'workflow-invocation';
  readonly workflow: GaWorkflow;
  /** The tools the tool steps name by `tool_id`. */
  readonly tools: readonly Tool[];
  readonly history: History;
  readonly invocation: InvocationRequest;
  readonly scheduling?: SchedulingOptions;
}
