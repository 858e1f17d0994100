import type { WorkflowTrace } from '../src/executor/invoke-workflow.js';
import { defineExecutionProperty, NOT_JUDGED, type Judgement, type Violation } from '../src/runner/property.js';
import type { CaseEvaluation } from '../src/runner/property.js';
import { axisPaths, mappedPathOf } from '../src/expansion/pairing.js';
import { filledOutputElements } from './support/output-elements.js';

/**
 * Every parameter combination of an expansion runs exactly once, and under a
 * map-over every output element holds the result of its own input elements.
 *
 * Galaxy's `ToolExecutionTracker.new_collection_execution_slices`
 * (lib/galaxy/tools/execute.py, read at 02d6db70; hazards-verified §1a)
 * zips combinations with the map-over structure's leaves, so a map-over plus
 * an unlinked plain Batch (S14, §7.1 Q5) runs M of its M×N combinations,
 * and slice i writes combination i (element ⌊i/N⌋, Batch value i mod N) into
 * output element i: elements hold results computed from other elements. A
 * redelivered queue_jobs task (Q8) or a workflow step that cannot see its
 * finished slices (no outputs, partial scheduling) runs some twice.
 */
export const everyCombinationRunsOnce = defineExecutionProperty({
  id: 'every-combination-runs-once',
  summary: 'every parameter combination runs exactly once, into the output element of its own inputs',
  hazard: 'upstream executor: S14 truncation and wrong pairing (execute.py new_collection_execution_slices zips combinations with the structure); re-runs when a step has no outputs to mark finished slices',
  needs: {},
  check(evaluation) {
    if (evaluation.plan.workflow !== null) return workflowStepsRunOnce(evaluation.plan.workflow);
    const { intent, expansion } = evaluation.plan;
    if (!expansion.ok) return NOT_JUDGED; // Galaxy rejects the request: no combination to run
    const runs = new Array<number>(intent.combinations).fill(0);
    for (const job of intent.jobs) runs[job.combination] = (runs[job.combination] ?? 0) + 1;
    const never = runs.flatMap((n, i) => (n === 0 ? [i] : []));
    const twice = runs.flatMap((n, i) => (n > 1 ? [i] : []));
    const misplaced = wrongPairing(evaluation, never.length);
    if (misplaced !== null) return misplaced;
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

/** An output element holding the result of a job that ran on another input element (the user sees wrong data under that element's name). */
function wrongPairing({ plan, system }: CaseEvaluation, neverRan: number): Violation | null {
  const { expansion, intent } = plan;
  if (!expansion.ok || expansion.mapOver === null) return null;
  const combinationOf = new Map(intent.jobs.map((j) => [j.id, j.combination]));
  const filled = filledOutputElements(plan, system.executor.layouts);
  const wrong: string[] = [];
  for (const element of filled) {
    const combination = expansion.combinations[combinationOf.get(element.jobId) ?? -1];
    const expected = axisPaths(expansion, element.path);
    if (combination === undefined || expected === null) continue;
    for (const mapped of expansion.mapOver.collections) {
      const i = expansion.params.findIndex((p) => p.key === mapped.key);
      const ran = mappedPathOf(combination[i], mapped);
      const own = expected.get(mapped.key);
      if (ran === null || own === undefined || ran.join('/') === own.join('/')) continue;
      wrong.push(`${element.outputName} element ${element.path.join('/')} holds job ${element.jobId}'s result, computed from ${mapped.key} element ${ran.join('/')}`);
      break;
    }
  }
  if (wrong.length === 0) return null;
  const elements = new Set(filled.map((e) => `${e.outputName}\u0000${e.path.join('/')}`)).size;
  return {
    kind: 'output-from-another-element',
    table: 'dataset_collection_element',
    columns: [],
    constraint: 'execution slices',
    message: `${wrong.length} of ${elements} output elements hold a result computed from another input element: ${wrong.join('; ')}${neverRan > 0 ? ` (and ${neverRan} of ${intent.combinations} combinations never ran)` : ''}`,
  };
}
