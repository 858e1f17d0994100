import type { WorkflowTrace } from '../src/executor/invoke-workflow.js';
import { defineExecutionProperty, NOT_JUDGED, type Judgement } from '../src/runner/property.js';

/**
 * Every parameter combination of an expansion runs exactly once. Galaxy's
 * executor zips combinations with the map-over structure, so a map-over plus
 * an unlinked plain Batch silently drops combinations (S14, §7.1 Q5); a
 * redelivered queue_jobs task (Q8) or a workflow step that cannot see its
 * finished slices (no outputs, partial scheduling) runs some twice.
 */
export const everyCombinationRunsOnce = defineExecutionProperty({
  id: 'every-combination-runs-once',
  summary: 'every parameter combination runs exactly once',
  hazard: 'upstream executor: S14 truncation (execute.py new_collection_execution_slices zips combinations with the structure); re-runs when a step has no outputs to mark finished slices',
  needs: {},
  check({ plan }) {
    if (plan.workflow !== null) return workflowStepsRunOnce(plan.workflow);
    const { intent, expansion } = plan;
    if (!expansion.ok) return NOT_JUDGED; // Galaxy rejects the request: no combination to run
    const runs = new Array<number>(intent.combinations).fill(0);
    for (const job of intent.jobs) runs[job.combination] = (runs[job.combination] ?? 0) + 1;
    const never = runs.flatMap((n, i) => (n === 0 ? [i] : []));
    const twice = runs.flatMap((n, i) => (n > 1 ? [i] : []));
    if (twice.length > 0) {
      return {
        kind: 'combination-ran-twice',
        table: 'job',
        columns: [],
        constraint: intent.passes > 1 ? 'repeated _execute pass' : 'execution slices',
        message: `combination${twice.length === 1 ? '' : 's'} ${twice.join(', ')} of ${intent.combinations} ran more than once (${intent.jobs.length} jobs over ${intent.passes} execution pass${intent.passes === 1 ? '' : 'es'})`,
      };
    }
    if (never.length > 0) {
      return {
        kind: 'combination-never-ran',
        table: 'job',
        columns: [],
        constraint: 'execution slices',
        message: `${never.length} of ${intent.combinations} combinations never ran: ${intent.jobs.length} jobs for ${intent.combinations} combinations${expansion.mapOver ? ` zipped with a map-over of ${expansion.mapOver.leafCount} elements` : ''}`,
      };
    }
    return null;
  },
});

/** In a workflow invocation, per tool step: each combination of the step's expansion runs once (a step left unfinished is judged on what ran). */
function workflowStepsRunOnce(trace: WorkflowTrace): Judgement {
  let judged = 0;
  for (const step of trace.steps) {
    if (step.type !== 'tool' || step.expansion === null || !step.expansion.ok) continue;
    judged++;
    const combinations = step.expansion.combinations.length;
    const runs = new Array<number>(combinations).fill(0);
    for (const job of step.jobs) runs[job.combination] = (runs[job.combination] ?? 0) + 1;
    const twice = runs.flatMap((n, i) => (n > 1 ? [i] : []));
    if (twice.length > 0) {
      return {
        kind: 'combination-ran-twice',
        table: 'job',
        columns: [],
        constraint: step.passes > 1 ? 'repeated _execute pass' : 'execution slices',
        message: `step ${step.orderIndex} of invocation ${step.invocationId}: combination${twice.length === 1 ? '' : 's'} ${twice.join(', ')} of ${combinations} ran more than once (${step.jobs.length} jobs over ${step.passes} scheduling pass${step.passes === 1 ? '' : 'es'})`,
      };
    }
    const never = runs.flatMap((n, i) => (n === 0 ? [i] : []));
    if (never.length > 0 && step.state === 'scheduled') {
      return {
        kind: 'combination-never-ran',
        table: 'job',
        columns: [],
        constraint: 'execution slices',
        message: `step ${step.orderIndex} of invocation ${step.invocationId}: ${never.length} of ${combinations} combinations never ran`,
      };
    }
  }
  return judged === 0 ? NOT_JUDGED : null;
}
