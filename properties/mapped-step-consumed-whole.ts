import { defineExecutionProperty, NOT_JUDGED } from '../src/runner/property.js';
import { leafDatasetsOf } from './connections-reach-upstream-outputs.js';

/**
 * A mapped step's implicit collection has one element per element it mapped
 * over (`precreate_output_collections` gives it the map-over's structure, one
 * job fills each leaf), and the next step consumes it whole: mapping over it
 * again reads every element once, reducing it reads every element in one job
 * (galaxy-workflows §1.6, §1.7, §2).
 *
 * Judged on the tool's data outputs. A collection output mapped over gives a
 * nested implicit collection whose per-job element is itself a collection,
 * filled by the job (its static elements, or discovered ones once it ran);
 * cardfuzz writes that level without elements (executor/output-collections.ts),
 * so its datasets are not there to count, and such an output is not judged.
 */
export const mappedStepConsumedWhole = defineExecutionProperty({
  id: 'mapped-step-consumed-whole',
  summary: "a mapped step's implicit collection has one element per mapped element, and the next step reads all of them",
  workflowOnly: true,
  needs: { columns: [['dataset_collection_element', 'hda_id'], ['history_dataset_collection_association', 'collection_id']] },
  check({ case: c, plan, outcome }) {
    const trace = plan.workflow;
    const tools = c.entry === 'workflow-invocation' ? c.tools : [];
    const snapshot = outcome.snapshot;
    if (trace === null || snapshot === null) return NOT_JUDGED;
    let judged = 0;
    for (const step of trace.steps) {
      if (step.type !== 'tool' || step.state !== 'scheduled' || step.expansion === null || !step.expansion.ok || step.expansion.mapOver === null) continue;
      const mappedOver = step.expansion.mapOver.leafCount;
      for (const output of step.outputs ?? []) {
        if (output.value.kind !== 'collection') continue;
        const declared = tools.find((t) => t.id === step.toolId)?.outputs.find((o) => o.name === output.name);
        if (declared?.type === 'collection') continue;
        judged++;
        const leaves = leafDatasetsOf(snapshot, output.value.id);
        if (leaves.length !== Math.min(mappedOver, step.expansion.combinations.length)) {
          return {
            kind: 'element-count-mismatch',
            table: 'dataset_collection_element',
            columns: ['dataset_collection_id'],
            constraint: null,
            message: `step ${step.orderIndex} mapped over ${mappedOver} elements but its output '${output.name}' (collection ${output.value.id}) holds ${leaves.length} datasets`,
          };
        }
        for (const consumer of trace.steps) {
          if (consumer.invocationId !== step.invocationId || consumer.type !== 'tool' || consumer.state !== 'scheduled' || consumer.jobs.length === 0) continue;
          if (!consumer.connections.some((c) => c.from === step.orderIndex && c.outputName === output.name)) continue;
          const read = new Set(snapshot.jobInputs.filter((i) => consumer.jobs.some((j) => j.id === i.jobId) && i.datasetId !== null).map((i) => i.datasetId!));
          const unread = leaves.filter((d) => !read.has(d));
          if (unread.length > 0) {
            return {
              kind: 'elements-not-consumed',
              table: 'job_to_input_dataset',
              columns: ['job_id', 'dataset_id'],
              constraint: null,
              message: `step ${consumer.orderIndex} reads step ${step.orderIndex}'s '${output.name}' but ${unread.length} of its ${leaves.length} elements (datasets ${unread.join(', ')}) reach none of its ${consumer.jobs.length} jobs`,
            };
          }
        }
      }
    }
    return judged === 0 ? NOT_JUDGED : null;
  },
});
