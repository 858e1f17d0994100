import { defineExecutionProperty, NOT_JUDGED } from '../src/runner/property.js';
import { ascending, readingOf } from './support/readings.js';

/**
 * Every job of a tool request is reachable from the request's execution
 * state, directly (`TES.job`) or through its ICJ (`TES.implicit_collection_jobs`
 * → `job_list`). It fails when the ORM re-points a scalar `TES.job`, and when a
 * map-over of a tool without outputs never persists the ICJ that carries the
 * TES (§7.1 Q4: upstream's precreate_output_collections attaches the ICJ to
 * output collections only).
 */
export const executionStateReachesItsJobs = defineExecutionProperty({
  id: 'execution-state-reaches-its-jobs',
  summary: 'every job of a tool request is reachable from its execution state, directly or through its ICJ',
  hazard: 'upstream executor: a map-over whose tool has no unfiltered outputs never persists its ICJ, so the TES reaches none of its jobs (Q4)',
  // A request's TES and the readers it reaches jobs with: a schema without them makes it not applicable.
  needs: {
    columns: [['tool_request', 'tool_execution_state_id'], ['job', 'tool_execution_state_id'], ['implicit_collection_jobs', 'tool_execution_state_id']],
    readers: ['ToolRequest.jobs', 'ToolExecutionState.job', 'ToolExecutionState.implicit_collection_jobs', 'ImplicitCollectionJobs.job_list'],
  },
  check({ outcome }) {
    const snapshot = outcome.snapshot;
    if (snapshot === null) return NOT_JUDGED;
    let judged = 0;
    for (const tr of snapshot.toolRequests) {
      if (tr.tesId === null) continue; // no execution state to reach from
      const jobs = readingOf(outcome, 'ToolRequest.jobs', tr.id);
      const direct = readingOf(outcome, 'ToolExecutionState.job', tr.tesId);
      const icjs = readingOf(outcome, 'ToolExecutionState.implicit_collection_jobs', tr.tesId);
      if (jobs === undefined || direct === undefined || icjs === undefined) continue; // the schema cannot run a reader (reported at the start)
      judged++;
      const viaIcj = icjs.flatMap((icj) => readingOf(outcome, 'ImplicitCollectionJobs.job_list', icj) ?? []);
      const reached = new Set([...direct, ...viaIcj]);
      const missed = ascending(jobs.filter((j) => !reached.has(j)));
      if (missed.length > 0) {
        return {
          kind: 'unreachable-job',
          table: 'job',
          columns: ['tool_execution_state_id'],
          constraint: 'ToolExecutionState.job / implicit_collection_jobs',
          message: `tool request ${tr.id} has jobs [${jobs.join(', ')}] but its TES ${tr.tesId} reaches only [${ascending([...reached]).join(', ')}]; jobs [${missed.join(', ')}] are lost to it`,
        };
      }
    }
    return judged === 0 ? NOT_JUDGED : null;
  },
});
