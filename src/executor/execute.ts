import type { ExpansionSuccess, MapOver } from '../expansion/expansion.js';
import type { ToolOutput } from '../model/tool.js';
import { executeSingleJob } from './execute-single-job.js';
import type { ExecutionRun } from './execution-run.js';
import { newExecutionSlices } from './execution-slices.js';
import { ensureImplicitCollectionsPopulated, finalizeDatasetCollections, precreateOutputCollections, type ImplicitCollections } from './implicit-collections.js';
import { activeOutputs } from './output-filters.js';
import type { SessionRow } from './session.js';

/**
 * `_execute` (lib/galaxy/tools/execute.py l.180-370, galaxy-semantics §3.2):
 * one pass over a request's execution slices, shared by the tool request
 * (`execute_async`), the legacy API and workflow steps (`execute`).
 */

/** A workflow step between scheduling passes: its invocation step and, once precreated, its implicit collections. */
export interface StepState {
  readonly wis: SessionRow<'workflow_invocation_step'>;
  readonly implicit: ImplicitCollections | null;
  /** Slices that made a job on an earlier pass (read only where the profile says the tracker knows them by job). */
  readonly ran?: ReadonlySet<number>;
}

/** One `_execute` call. */
export interface PassContext {
  readonly run: ExecutionRun;
  readonly expansion: ExpansionSuccess;
  readonly toolRequestId: number | null;
  /** The tool request's or the invocation step's TES. */
  readonly tes: SessionRow<'tool_execution_state'> | null;
  readonly step: StepState | null;
  /** `max_num_jobs` (partial scheduling, workflow steps only). */
  readonly maxJobs: number;
  /** Which pass this is (queue retries and scheduling iterations count from 0). */
  readonly pass: number;
  /** `execute(..., skip=True)`: a conditional workflow step whose `when` is false still makes its jobs, in state `skipped`. */
  readonly skip?: boolean;
}

/** What every job of a pass shares. */
export interface JobContext {
  readonly pass: PassContext;
  /** `collection_info`: the map-over, or null. */
  readonly collectionInfo: MapOver | null;
  /** The TES stamped on jobs without a map-over (`_tool_execution_state_for_jobs`). */
  readonly tesForJobs: SessionRow<'tool_execution_state'> | null;
  /** Outputs left by `filter_output` for the example parameters. */
  readonly outputs: readonly ToolOutput[];
  readonly implicit: ImplicitCollections | null;
  readonly step: StepState | null;
}

export interface PassResult {
  /** Slices left for another pass (partial scheduling). */
  readonly remaining: boolean;
  /** Jobs this pass created (`execution_tracker.successful_jobs`). */
  readonly executed: number;
  /** The step as the next scheduling pass finds it. */
  readonly step: StepState | null;
  readonly activeOutputs: readonly string[];
}

export function execute(pass: PassContext): PassResult {
  const { run, expansion } = pass;
  const outputs = activeOutputs(run.c.tool, expansion, run.c.history);
  const tesForJobs = toolExecutionStateForJobs(pass);
  const mapOver = expansion.mapOver;
  let implicit: ImplicitCollections | null = null;
  let step = pass.step;
  if (mapOver !== null) {
    const precreate = (): ImplicitCollections =>
      precreateOutputCollections(run, {
        expansion,
        outputs,
        structure: mapOver.structure,
        implicitInputs: mapOver.collections.filter((m) => m.linked).map((m) => ({ hdcaId: m.source.hdcaId, name: m.key })),
        toolRequestId: pass.toolRequestId,
        tes: tesForJobs,
        stepId: step?.wis.id ?? null,
      });
    if (step === null) implicit = precreate();
    else {
      implicit = ensureImplicitCollectionsPopulated(run, { wis: step.wis, stepTes: pass.tes, existing: step.implicit }, precreate);
      step = { ...step, implicit };
    }
  }
  const job: JobContext = { pass, collectionInfo: mapOver, tesForJobs, outputs, implicit, step };
  let executed = 0;
  let remaining = false;
  const ran = new Set(step?.ran ?? []);
  for (const slice of newExecutionSlices(job)) {
    if (executed >= pass.maxJobs) {
      remaining = true;
      break;
    }
    executeSingleJob(slice, job);
    ran.add(slice.index);
    executed++;
  }
  if (step !== null) step = { ...step, ran };
  run.session.commit();
  if (!remaining && implicit !== null) finalizeDatasetCollections(run, implicit);
  return { remaining, executed, step, activeOutputs: outputs.map((o) => o.name) };
}

/**
 * `_tool_execution_state_for_jobs` (execute.py l.373-382): the tool request's
 * TES if it has one; else the invocation step's TES, only if validated.
 */
function toolExecutionStateForJobs(pass: PassContext): SessionRow<'tool_execution_state'> | null {
  if (pass.tes === null) return null;
  if (pass.toolRequestId !== null) return pass.tes;
  return pass.tes.cells['state'] === 'validated' ? pass.tes : null;
}
