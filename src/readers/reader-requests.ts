import type { Snapshot } from '../persistence/snapshot.js';
import type { ReaderRequest } from './galaxy-readers.js';

/** Every reader Galaxy offers for the rows a case wrote: per tool request, TES, ICJ, job and invocation step. */
export function readerRequestsFor(snapshot: Snapshot): ReaderRequest[] {
  const requests: ReaderRequest[] = [];
  for (const tr of snapshot.toolRequests) {
    requests.push({ reader: 'ToolRequest.jobs', argument: tr.id }, { reader: 'ToolRequest.implicit_collections', argument: tr.id });
  }
  for (const tes of snapshot.tes) {
    requests.push(
      { reader: 'ToolExecutionState.tool_request', argument: tes.id },
      { reader: 'ToolExecutionState.job', argument: tes.id },
      { reader: 'ToolExecutionState.workflow_invocation_step', argument: tes.id },
      { reader: 'ToolExecutionState.implicit_collection_jobs', argument: tes.id },
      { reader: 'ToolExecutionState.output_collections', argument: tes.id },
    );
  }
  for (const icj of snapshot.icjs) {
    requests.push({ reader: 'ImplicitCollectionJobs.job_list', argument: icj.id }, { reader: 'ImplicitCollectionJobs.representative_job', argument: icj.id });
  }
  for (const job of snapshot.jobs) {
    requests.push(
      { reader: 'Job.implicit_collection_jobs_association', argument: job.id },
      { reader: 'Job.workflow_invocation_step', argument: job.id },
      { reader: 'Job.effective_workflow_invocation_step(via ICJ)', argument: job.id },
    );
  }
  for (const step of snapshot.steps) requests.push({ reader: 'WorkflowInvocationStep.implicit_collection_jobs.job_list', argument: step.id });
  return requests;
}
