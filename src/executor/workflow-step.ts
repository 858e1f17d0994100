import type { Expansion, ExpansionSuccess } from '../expansion/expansion.js';
import type { TesCaptureState } from '../model/case.js';
import { DEFAULT_SCHEDULING_BUDGET } from '../model/workflow.js';
import { execute, type PassResult, type StepState } from './execute.js';
import type { EntryOutcome, ExecutionRun } from './execution-run.js';
import { mintExecutionState, toolSourceFor } from './execution-state.js';
import { WORKFLOW_INVOCATION_ID, WORKFLOW_STEP_ID } from './history-fixture.js';
import type { SessionRow } from './session.js';

/**
 * Scheduling a workflow tool step: `ToolModule.execute`
 * (lib/galaxy/workflow/modules.py, galaxy-semantics §5), once per scheduling
 * pass that reaches the step. On the first pass the branch's
 * `_capture_workflow_tool_request_state` mints the step's TES (only a
 * validated capture, unless the profile mints bail-outs too, Q7); each pass
 * runs `_execute` with at most `max_num_jobs` jobs, the state capture running
 * again on each re-entry if the profile says so (Q9). Whole invocations
 * (invoke-workflow.ts) and the single-step entry below both schedule tool
 * steps through here.
 */

/** A tool step between scheduling passes. */
export interface ToolStepProgress {
  readonly wis: SessionRow<'workflow_invocation_step'>;
  readonly captureState: TesCaptureState;
  readonly requestJson: string;
  tes: SessionRow<'tool_execution_state'> | null;
  step: StepState;
  passes: number;
  activeOutputs: readonly string[];
}

function capture(run: ExecutionRun, progress: { captureState: TesCaptureState; requestJson: string }): SessionRow<'tool_execution_state'> | null {
  const { rules } = run;
  const state = progress.captureState;
  return rules.tracksExecutionState && (state === 'validated' || rules.mintsUnvalidatedStepState) ? mintExecutionState(run, state, progress.requestJson, toolSourceFor(run)) : null;
}

/** The first time the scheduler reaches the step: its state is captured and its invocation step carries the TES. */
export function startToolStep(run: ExecutionRun, wis: SessionRow<'workflow_invocation_step'>, captureState: TesCaptureState): ToolStepProgress {
  const requestJson = JSON.stringify(run.c.request);
  const tes = capture(run, { captureState, requestJson });
  if (tes !== null) run.session.set(wis, 'tool_execution_state_id', tes.id);
  run.session.commit();
  return { wis, captureState, requestJson, tes, step: { wis, implicit: null }, passes: 0, activeOutputs: [] };
}

/**
 * One scheduling pass of `ToolModule.execute`: `_execute` with `max_num_jobs`.
 * `WorkflowStepExecutionTracker` skips the slices whose output element is
 * already filled (execution-slices.ts), so a mapped step whose tool has no
 * outputs runs its first slices again on every pass and never finishes
 * (hazards-verified §1b): the scheduler's budget, not the model, ends it.
 */
export function toolStepPass(run: ExecutionRun, expansion: ExpansionSuccess, progress: ToolStepProgress, maxJobs: number, skip = false): PassResult {
  if (progress.passes > 0 && run.rules.recapturesOnReentry) {
    const again = capture(run, progress);
    if (again !== null) {
      progress.tes = again;
      run.session.set(progress.wis, 'tool_execution_state_id', again.id);
      run.session.commit();
    }
  }
  const result = execute({ run, expansion, toolRequestId: null, tes: progress.tes, step: progress.step, maxJobs, pass: progress.passes, skip });
  progress.passes++;
  progress.step = result.step!;
  progress.activeOutputs = result.activeOutputs;
  return result;
}

/**
 * The single-step entry: one tool step of a fixed invocation, scheduled pass
 * after pass until it has no slice left or the scheduling budget is spent.
 */
export function workflowStepEntry(run: ExecutionRun, expansion: Expansion): EntryOutcome {
  if (!expansion.ok) return { passes: 0, activeOutputs: [] };
  const wis = run.session.add('workflow_invocation_step', { workflow_invocation_id: WORKFLOW_INVOCATION_ID, workflow_step_id: WORKFLOW_STEP_ID, state: 'new', tool_execution_state_id: null });
  run.session.commit();
  const progress = startToolStep(run, wis, run.c.step?.state ?? 'validated');
  const jobLimit = run.c.step?.job_limit ?? Infinity;
  const budget = run.c.step?.budget ?? DEFAULT_SCHEDULING_BUDGET;
  let finished = false;
  while (progress.passes < budget) {
    const result = toolStepPass(run, expansion, progress, jobLimit);
    if (!result.remaining) {
      finished = true;
      break;
    }
  }
  run.session.set(wis, 'state', finished ? 'scheduled' : 'ready');
  run.session.commit();
  return { passes: progress.passes, activeOutputs: progress.activeOutputs, unfinishedSteps: finished ? 0 : 1 };
}
