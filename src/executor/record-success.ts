import type { JobContext } from './execute.js';
import type { ExecutionSlice } from './execution-slices.js';
import type { SessionRow } from './session.js';
import type { JobOutputs } from './tool-action.js';

/**
 * `record_success` (lib/galaxy/tools/execute.py, galaxy-semantics §3.3, §5)
 * for one successful job.
 *
 * `ExecutionTracker.record_success` (l.792-809): under a map-over with
 * implicit collections, one JTODCA per implicit output HDCA and one ICJJA
 * (`order_index = slice.job_index`).
 * `WorkflowStepExecutionTracker.record_success` (l.876-881): an unmapped
 * workflow step records the job's outputs on the invocation step and sets
 * `invocation_step.job = job`.
 */
export function recordSuccess(job: JobContext, row: SessionRow<'job'>, slice: ExecutionSlice, outputs: JobOutputs): void {
  const { session } = job.pass.run;
  const implicit = job.implicit;
  if (job.collectionInfo && implicit !== null && implicit.outputs.length > 0) {
    for (const out of implicit.outputs) {
      session.add('job_to_output_dataset_collection', { job_id: row.id, dataset_collection_id: out.hdca.id, name: out.output.name });
    }
    session.add('implicit_collection_jobs_job_association', { implicit_collection_jobs_id: implicit.icj.persisted ? implicit.icj.id : null, job_id: row.id, order_index: slice.index });
  }
  const step = job.step;
  if (step !== null && !job.collectionInfo) {
    for (const { output, hdaId } of outputs.datasets) {
      session.add('workflow_invocation_step_output_dataset_association', { workflow_invocation_step_id: step.wis.id, dataset_id: hdaId, output_name: output.name });
    }
    for (const { output, hdcaId } of outputs.collections) {
      session.add('workflow_invocation_step_output_dataset_collection_association', { workflow_invocation_step_id: step.wis.id, dataset_collection_id: hdcaId, output_name: output.name });
    }
    session.set(step.wis, 'job_id', row.id);
  }
}
