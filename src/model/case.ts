import type { History } from './history.js';
import type { Tool } from './tool.js';
import type { WorkflowCase } from './workflow.js';

/**
 * One fuzz case (case format version 1): a tool, the history it runs in, the
 * entry point and the request in Galaxy's own inputs syntax.
 *
 * Request values:
 * - `{"src": "hda", "id": n}`, `{"src": "hdca", "id": n, "map_over_type"?: t}`,
 * - `{"src": "dce", "id": <collection id>, "element_path": ["outer", "inner"], "map_over_type"?: t}`:
 *   an element of a history collection addressed by its identifiers,
 * - a Batch: `{"__class__": "Batch", "values": [...], "linked"?: boolean | null}` (tool request API)
 *   or `{"batch": true, "values": [...], "linked"?: boolean}` (legacy `POST /api/tools`),
 * - a list of references for a `multiple="true"` data parameter,
 * - scalars; conditionals and sections as objects, repeats as arrays (nested);
 *   the legacy entry also accepts flat `a|b` and `r_0|x` keys.
 */
export type Entry = 'tool-request' | 'legacy' | 'workflow-step';

export const ENTRIES: readonly Entry[] = ['tool-request', 'legacy', 'workflow-step'];

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type RequestInputs = { readonly [key: string]: JsonValue };

export type TesCaptureState = 'validated' | 'not_validated' | 'validation_failed';

/** Scheduling of a workflow tool step (entry `workflow-step` only). */
export interface WorkflowStepOptions {
  /** State the branch's step-state capture reaches (galaxy-semantics §5). */
  readonly state?: TesCaptureState;
  /** Jobs scheduled per scheduling iteration (`max_num_jobs`); absent = all at once. */
  readonly job_limit?: number;
  /** Scheduling passes before the scheduler stops looking (Galaxy's bound is `maximum_workflow_invocation_duration`); default 24. */
  readonly budget?: number;
}

export interface ToolCase {
  readonly tool: Tool;
  readonly history: History;
  readonly entry: Entry;
  readonly request: RequestInputs;
  /** `rerun_remap_job_id` of the request; more than one combination with it is refused. */
  readonly rerun_remap_job_id?: number;
  readonly step?: WorkflowStepOptions;
}

/** A fuzz case: one tool execution (tool request, legacy or single workflow step) or a whole workflow invocation. */
export type Case = ToolCase | WorkflowCase;

export function isWorkflowCase(c: Case): c is WorkflowCase {
  return c.entry === 'workflow-invocation';
}

export const CASE_FORMAT_VERSION = 1;
