import type { Expansion } from '../expansion/expansion.js';
import type { TesCaptureState } from '../model/case.js';
import { execute, type StepState } from './execute.js';
import type { EntryOutcome, ExecutionRun } from './execution-run.js';
import { mintExecutionState, toolSourceFor } from './execution-state.js';
import { WORKFLOW_INVOCATION_ID, WORKFLOW_STEP_ID } from './history-fixture.js';
import type { SessionRow } from './session.js';

/**
 * Scheduling a workflow tool step: `ToolModule.execute`
 * (lib/galaxy/workflow/modules.py, galaxy-semantics §5). The branch's
 * `_capture_workflow_tool_request_state` mints the step's TES (only a
 * validated capture, unless the profile mints bail-outs too, Q7), the
 * invocation step is written, and `_execute` runs in iterations of at most
 * `max_num_jobs` jobs, the state capture running again on each re-entry if
 * the profile says so (Q9).
 */
export function workflowStepEntry(run: ExecutionRun, expansion: Expansion): EntryOutcome {
  if (!expansion.ok) return { passes: 0, activeOutputs: [] };
  const { session, rules } = run;
  const state: TesCaptureState = run.c.step?.state ?? 'validated';
  const requestJson = JSON.stringify(run.c.request);
  const capture = (): SessionRow<'tool_execution_state'> | null =>
    rules.tracksExecutionState && (state === 'validated' || rules.mintsUnvalidatedStepState) ? mintExecutionState(run, state, requestJson, toolSourceFor(run)) : null;
  let tes = capture();
  const wis = session.add('workflow_invocation_step', {
    workflow_invocation_id: WORKFLOW_INVOCATION_ID,
    workflow_step_id: WORKFLOW_STEP_ID,
    state: 'new',
    tool_execution_state_id: tes?.id ?? null,
  });
  session.commit();
  let step: StepState | null = { wis, implicit: null };
  const jobLimit = run.c.step?.job_limit ?? Infinity;
  // A correct scheduler needs ceil(combinations / limit) iterations; stop there even if work remains
  // (a step that re-yields finished slices would otherwise never finish).
  const iterations = Number.isFinite(jobLimit) ? Math.max(1, Math.ceil(expansion.combinations.length / jobLimit)) : 1;
  let passes = 0;
  let activeOutputs: readonly string[] = [];
  for (let pass = 0; pass < iterations; pass++) {
    if (pass > 0 && rules.recapturesOnReentry) {
      const again = capture();
      if (again) {
        tes = again;
        session.set(wis, 'tool_execution_state_id', again.id);
        session.commit();
      }
    }
    const result = execute({ run, expansion, toolRequestId: null, tes, step, maxJobs: jobLimit, pass });
    passes++;
    step = result.step;
    activeOutputs = result.activeOutputs;
    if (!result.remaining) break;
  }
  session.set(wis, 'state', 'scheduled');
  session.commit();
  return { passes, activeOutputs };
}
