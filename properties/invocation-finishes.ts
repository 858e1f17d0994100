import { defineExecutionProperty, NOT_JUDGED } from '../src/runner/property.js';

/**
 * An invocation that waits for no one finishes scheduling. A mapped step
 * whose tool has no outputs cannot mark its finished slices (Galaxy's
 * tracker looks for a filled output element), so under a job cap every pass
 * runs its first slices again and the step never finishes until
 * `maximum_workflow_invocation_duration` fails the invocation
 * (hazards-verified §1b). The model schedules within the case's budget of
 * passes and reports what is still unfinished then; an invocation held by a
 * pause nobody reviewed is waiting for a person, not judged.
 */
export const invocationFinishes = defineExecutionProperty({
  id: 'invocation-finishes',
  summary: 'a workflow invocation that waits for no review finishes scheduling',
  hazard: 'upstream scheduler: a mapped step whose tool has no outputs re-runs its first slices on every pass under a job cap and never finishes (execute.py WorkflowStepExecutionTracker, new_collection_execution_slices)',
  workflowOnly: true,
  needs: {},
  check({ plan }) {
    const trace = plan.workflow;
    if (trace === null || trace.refused !== null || trace.invocations.length === 0) return NOT_JUDGED;
    const stuck = trace.unfinished;
    if (stuck.length === 0) return null;
    const steps = trace.steps.filter((s) => stuck.includes(s.invocationId) && s.type === 'tool' && s.state !== 'scheduled' && s.jobs.length > 0);
    return {
      kind: 'never-finishes',
      table: 'workflow_invocation_step',
      columns: ['state'],
      constraint: 'WorkflowInvoker.invoke',
      message: `invocation${stuck.length === 1 ? '' : 's'} ${stuck.join(', ')} still unfinished after ${trace.passes} scheduling passes${steps.length > 0 ? `: step ${steps.map((s) => `${s.orderIndex} (${s.jobs.length} jobs for ${s.expansion?.ok ? s.expansion.combinations.length : '?'} elements)`).join(', ')}` : ''}`,
    };
  },
});
