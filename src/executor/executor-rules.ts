import type { ExecutorSettings } from './execution.js';

/**
 * What the profile's executor settings mean for the modelled Galaxy code,
 * asked in this one place (galaxy-semantics §3, §5 and the open questions of
 * §7.1). Every module of the executor reads these named rules, never the
 * settings themselves.
 */
export interface ExecutorRules {
  /** The workflow_state_backfill branch: tool requests and workflow steps get a ToolExecutionState. */
  readonly tracksExecutionState: boolean;
  /** The branch's `get_or_create_tool_source` reuses one tool source row per tool; upstream mints one per request. */
  readonly reusesToolSource: boolean;
  /** How a tool request's implicit output collections are linked: TEICA to its TES (branch), TRICA to the request (upstream). */
  readonly outputCollectionLink: 'teica' | 'trica';
  /** Q4: the ICJ of a map-over with no (unfiltered) outputs is inserted although no HDCA holds it. */
  readonly persistsIcjWithoutOutputs: boolean;
  /** Q8: how many times the `queue_jobs` task runs `_execute` for one tool request (redelivery). */
  readonly queueJobsPasses: number;
  /** Q7: a workflow step whose state capture did not validate still mints a TES in that state. */
  readonly mintsUnvalidatedStepState: boolean;
  /** Q9: state capture runs again on each scheduling re-entry of a workflow step. */
  readonly recapturesOnReentry: boolean;
  /** A re-entered mapped step knows its finished slices by their jobs, not only by filled output elements (a fixed Galaxy). */
  readonly knowsSlicesByJob: boolean;
  /** `set_step_outputs` adds a first-pass tool step's outputs again after the tracker did (Galaxy). */
  readonly recordsStepOutputsTwice: boolean;
  /** `__check_implicitly_dependent_steps`: a `$step` connection delays the step until its step and jobs are done. */
  readonly checksImplicitDependencies: boolean;
  /** `replacement_for_connection`: an input collection an upload has not populated yet delays the step. */
  readonly waitsForUnpopulatedInputs: boolean;
  /** `__check_implicitly_dependent_step`: a `$step` dependency on a job that is not `ok` fails the invocation (`job_failed`). */
  readonly failsOnFailedDependency: boolean;
}

export function executorRulesOf(settings: ExecutorSettings): ExecutorRules {
  const branch = settings.executionState === 'tes';
  return {
    tracksExecutionState: branch,
    reusesToolSource: branch,
    outputCollectionLink: settings.outputCollectionLink,
    persistsIcjWithoutOutputs: settings.icjWithoutOutputs === 'persisted',
    queueJobsPasses: settings.queueJobsRuns === 'twice' ? 2 : 1,
    mintsUnvalidatedStepState: settings.captureBailout === 'mint',
    recapturesOnReentry: settings.recaptureOnReentry === 'on',
    knowsSlicesByJob: settings.finishedSlices === 'job',
    recordsStepOutputsTwice: settings.stepOutputRows === 'twice-on-first-pass',
    checksImplicitDependencies: settings.implicitDependencies === 'checked',
    waitsForUnpopulatedInputs: settings.unpopulatedInputs === 'waited-for',
    failsOnFailedDependency: settings.failedJobs === 'fail-dependents',
  };
}
