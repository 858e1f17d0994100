import { defineExecutionProperty, NOT_JUDGED } from '../src/runner/property.js';

/**
 * A mapped invocation step and its ICJ share one execution state. If state
 * capture runs again when partial scheduling re-enters the step (§7.1 Q9),
 * the step is re-pointed at a new TES while the ICJ keeps the first.
 */
export const stepExecutionKeepsOneState = defineExecutionProperty({
  id: 'step-execution-keeps-one-state',
  summary: 'a mapped invocation step and its implicit collection jobs point at the same execution state',
  // Both ends of the comparison: a schema without them (upstream Galaxy) makes it not applicable.
  needs: { columns: [['workflow_invocation_step', 'tool_execution_state_id'], ['implicit_collection_jobs', 'tool_execution_state_id']] },
  check({ outcome }) {
    const snapshot = outcome.snapshot;
    if (snapshot === null) return NOT_JUDGED;
    let compared = 0;
    for (const step of snapshot.steps) {
      const icj = snapshot.icjs.find((i) => i.id === step.icjId);
      if (icj === undefined || step.tesId === null || icj.tesId === null) continue; // nothing to compare
      compared++;
      if (icj.tesId === step.tesId) continue;
      return {
        kind: 'split-state',
        table: 'workflow_invocation_step',
        columns: ['tool_execution_state_id'],
        constraint: 'WorkflowInvocationStep.tool_execution_state',
        message: `invocation step ${step.id} points at TES ${step.tesId} but its implicit collection jobs ${icj.id} keeps TES ${icj.tesId}`,
      };
    }
    return compared === 0 ? NOT_JUDGED : null;
  },
});
