import type { ParamValue } from '../expansion/expansion.js';
import type { JobContext } from './execute.js';

/**
 * `ExecutionTracker.new_execution_slices` (lib/galaxy/tools/execute.py
 * l.783-790, galaxy-semantics §3.3).
 *
 * Without `collection_info` (no map-over) there is one slice per parameter
 * combination: **a Batch over plain datasets makes one job per value** (S2,
 * S3, S5, S6, S18), each stamped with the request's one TES
 * (execute-single-job.ts, `stampExecutionState`). With a map-over,
 * `ToolExecutionTracker.new_collection_execution_slices` (read at 02d6db70)
 * enumerates `zip(param_combinations, walk_implicit_collections())`: slice i
 * runs combination i and fills leaf i of the output structure
 * (tool-action.ts), and the zip stops at the shorter. S14's M×N
 * combinations are element-major (`permutations.expand_multi_inputs`), so M
 * jobs run and leaf i holds the result of element ⌊i/N⌋ (the S14 hazard:
 * truncation and wrong pairing, hazards-verified §1a); `WorkflowStepExecutionTracker` (l.883-901) skips a
 * slice whose output element is already populated, or, unmapped, a step that
 * already has its job.
 */
export interface ExecutionSlice {
  /** `slice.job_index`: the combination's index, the ICJJA's `order_index`. */
  readonly index: number;
  readonly combination: readonly ParamValue[];
}

export function* newExecutionSlices(job: JobContext): Generator<ExecutionSlice> {
  const { combinations, mapOver } = job.pass.expansion;
  const count = mapOver === null ? combinations.length : Math.min(combinations.length, mapOver.leafCount);
  for (let index = 0; index < count; index++) {
    if (job.step !== null && sliceAlreadyRan(job, index)) continue;
    yield { index, combination: combinations[index]! };
  }
}

function sliceAlreadyRan(job: JobContext, index: number): boolean {
  const { step, implicit } = job;
  if (step === null) return false;
  if (implicit === null) return step.wis.cells['job_id'] != null;
  const first = implicit.outputs[0];
  // No outputs: nothing shows Galaxy's tracker the work was done; a fixed tracker would know the slice by its job.
  if (first === undefined) return job.pass.run.rules.knowsSlicesByJob && (step.ran?.has(index) ?? false);
  const leaf = first.leaves[index];
  const { session } = job.pass.run;
  return leaf !== undefined && (session.get(leaf, 'hda_id') !== null || session.get(leaf, 'child_collection_id') !== null);
}
