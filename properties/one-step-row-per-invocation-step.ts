import { defineExecutionProperty, NOT_JUDGED } from '../src/runner/property.js';

/**
 * One invocation step row per (invocation, workflow step). Galaxy creates a
 * step row lazily, the first time the scheduler reaches the step, and reuses
 * it on later passes (run.py `WorkflowInvoker.invoke`); nothing in the schema
 * enforces it, and `WorkflowInvocation.step_invocations_by_step_id` asserts it
 * when reading. An invocation the model scheduled to the end has a step row
 * for every step of its workflow.
 */
export const oneStepRowPerInvocationStep = defineExecutionProperty({
  id: 'one-step-row-per-invocation-step',
  summary: 'each workflow step has at most one invocation step row per invocation, and a scheduled invocation has one for every step',
  workflowOnly: true,
  needs: { columns: [['workflow_invocation_step', 'workflow_invocation_id'], ['workflow_invocation_step', 'workflow_step_id']] },
  check({ plan, outcome }) {
    const trace = plan.workflow;
    const snapshot = outcome.snapshot;
    if (trace === null || snapshot === null || trace.invocations.length === 0) return NOT_JUDGED;
    const seen = new Map<string, number>();
    for (const step of snapshot.steps) {
      const key = `${step.invocationId}:${step.workflowStepId}`;
      const other = seen.get(key);
      if (other !== undefined) {
        return {
          kind: 'duplicate-step-row',
          table: 'workflow_invocation_step',
          columns: ['workflow_invocation_id', 'workflow_step_id'],
          constraint: 'WorkflowInvocation.step_invocations_by_step_id',
          message: `invocation ${step.invocationId} has two step rows (${other} and ${step.id}) for workflow step ${step.workflowStepId}`,
        };
      }
      seen.set(key, step.id);
    }
    for (const invocation of trace.invocations) {
      if (invocation.state !== 'scheduled') continue;
      const expected = trace.steps.filter((s) => s.invocationId === invocation.id).map((s) => s.workflowStepId);
      const missing = expected.filter((stepId) => !seen.has(`${invocation.id}:${stepId}`));
      if (missing.length > 0) {
        return {
          kind: 'missing-step-row',
          table: 'workflow_invocation_step',
          columns: ['workflow_invocation_id', 'workflow_step_id'],
          constraint: null,
          message: `invocation ${invocation.id} is scheduled but has no step row for workflow step${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`,
        };
      }
    }
    return null;
  },
});
