import { defineExecutionProperty, NOT_JUDGED } from '../src/runner/property.js';

/**
 * An invocation step records each of its outputs once. Galaxy's
 * `WorkflowInvocationStep.add_output` never deduplicates and nothing in the
 * schema is unique on (step, output name): on a tool step's first pass the
 * execution tracker adds its outputs (`record_success` for a job's datasets,
 * `ensure_implicit_collections_populated` for implicit collections) and
 * `ToolModule.execute` adds them again through `set_step_outputs` while the
 * step is still new (hazards-verified §4); and an approved pause step adds its
 * output again on every later pass (`PauseModule.recover_mapping` calls
 * `set_step_outputs` without `already_persisted`). The API collapses them by
 * name; a model-store export (`_serialize`) lists both.
 */
export const oneOutputRowPerStepOutput = defineExecutionProperty({
  id: 'one-output-row-per-step-output',
  summary: 'an invocation step records each output name once',
  hazard: 'upstream workflow scheduler: a tool step finished on its first pass records its outputs twice (execute.py WorkflowStepExecutionTracker and run.py set_step_outputs both call WorkflowInvocationStep.add_output), and an approved pause step once more on every later pass (modules.py PauseModule.recover_mapping)',
  workflowOnly: true,
  needs: { columns: [['workflow_invocation_step_output_dataset_association', 'output_name'], ['workflow_invocation_step_output_dataset_collection_association', 'output_name']] },
  check({ plan, outcome }) {
    const snapshot = outcome.snapshot;
    if (plan.workflow === null || snapshot === null) return NOT_JUDGED;
    const rows = [
      ...snapshot.stepOutputs.map((o) => ({ wisId: o.wisId, name: o.outputName, table: 'workflow_invocation_step_output_dataset_association' })),
      ...snapshot.stepOutputCollections.map((o) => ({ wisId: o.wisId, name: o.outputName, table: 'workflow_invocation_step_output_dataset_collection_association' })),
    ];
    if (rows.length === 0) return NOT_JUDGED;
    const seen = new Set<string>();
    for (const row of rows) {
      const key = `${row.wisId}\u0000${row.name}`;
      if (seen.has(key)) {
        return {
          kind: 'duplicate-output-rows',
          table: row.table,
          columns: ['workflow_invocation_step_id', 'output_name'],
          constraint: 'WorkflowInvocationStep.add_output',
          message: `invocation step ${row.wisId} records its output '${row.name}' more than once`,
        };
      }
      seen.add(key);
    }
    return null;
  },
});
