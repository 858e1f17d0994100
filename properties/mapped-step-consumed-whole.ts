import { collectionTypeSegments } from '../src/model/collection-types.js';
import type { Snapshot } from '../src/persistence/snapshot.js';
import { defineExecutionProperty, NOT_JUDGED } from '../src/runner/property.js';
import { leafDatasetsOf } from './connections-reach-upstream-outputs.js';

/**
 * A mapped step's implicit collection has one element per element it mapped
 * over (`precreate_output_collections` gives it the map-over's structure, one
 * job fills each leaf: with a dataset, or with the job's own collection for
 * a collection output), and the next step consumes it whole: mapping over it
 * again reads every element once, reducing it reads every element in one job
 * (galaxy-workflows §1.6, §1.7, §2).
 */
export const mappedStepConsumedWhole = defineExecutionProperty({
  id: 'mapped-step-consumed-whole',
  summary: "a mapped step's implicit collection has one element per mapped element, and the next step reads all of them",
  workflowOnly: true,
  needs: { columns: [['dataset_collection_element', 'hda_id'], ['history_dataset_collection_association', 'collection_id']] },
  check({ plan, outcome }) {
    const trace = plan.workflow;
    const snapshot = outcome.snapshot;
    if (trace === null || snapshot === null) return NOT_JUDGED;
    let judged = 0;
    for (const step of trace.steps) {
      if (step.type !== 'tool' || step.state !== 'scheduled' || step.expansion === null || !step.expansion.ok || step.expansion.mapOver === null) continue;
      const mappedOver = step.expansion.mapOver.leafCount;
      const depth = collectionTypeSegments(step.expansion.mapOver.structure.collectionType).length;
      for (const output of step.outputs ?? []) {
        if (output.value.kind !== 'collection') continue;
        judged++;
        const leaves = leafDatasetsOf(snapshot, output.value.id);
        const filled = filledUnits(snapshot, output.value.id, depth);
        if (filled !== Math.min(mappedOver, step.expansion.combinations.length)) {
          return {
            kind: 'element-count-mismatch',
            table: 'dataset_collection_element',
            columns: ['dataset_collection_id'],
            constraint: null,
            message: `step ${step.orderIndex} mapped over ${mappedOver} elements but its output '${output.name}' (collection ${output.value.id}) has ${filled} filled`,
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

/** Elements at the map-over's depth (its leaves) of an HDCA's collection that a job filled, with a dataset or a collection of its own. */
function filledUnits(snapshot: Snapshot, hdcaId: number, depth: number): number {
  const root = snapshot.collections.find((c) => c.id === hdcaId)?.collectionId ?? null;
  if (root === null) return 0;
  let level = [root];
  for (let d = 1; d < depth; d++) level = snapshot.elements.filter((e) => e.collectionId !== null && level.includes(e.collectionId) && e.childId !== null).map((e) => e.childId!);
  return snapshot.elements.filter((e) => e.collectionId !== null && level.includes(e.collectionId) && (e.hdaId !== null || e.childId !== null)).length;
}
