import { defineExecutionProperty, NOT_JUDGED } from '../src/runner/property.js';

/**
 * An ICJ supersedes its jobs' execution-state links (galaxy-semantics §7,
 * invariant 3; Galaxy checks it before flush in tests): a job that belongs to
 * an ICJ carries no TES of its own, the ICJ carries it.
 */
export const icjSupersedesJobTes = defineExecutionProperty({
  id: 'icj-supersedes-job-tes',
  summary: 'a job under an implicit collection jobs row never carries a TES of its own',
  // Without a TES column on job there is nothing to supersede: not applicable (upstream Galaxy).
  needs: { columns: [['job', 'tool_execution_state_id']] },
  check({ outcome, system }) {
    const snapshot = outcome.snapshot;
    // Judged on a write that persisted a mapped job, where jobs carry a TES.
    if (snapshot === null || snapshot.icjJobs.length === 0 || !system.executor.layouts.job.index.has('tool_execution_state_id')) return NOT_JUDGED;
    for (const association of snapshot.icjJobs) {
      const job = snapshot.jobs.find((j) => j.id === association.jobId);
      if (job?.tesId === null || job === undefined) continue;
      const icj = snapshot.icjs.find((i) => i.id === association.icjId);
      return {
        kind: 'superseded-link',
        table: 'job',
        columns: ['tool_execution_state_id'],
        constraint: 'ImplicitCollectionJobs supersedes Job.tool_execution_state',
        message: `job ${job.id} belongs to implicit collection jobs ${association.icjId}${icj?.tesId != null ? ` (TES ${icj.tesId})` : ''} yet carries TES ${job.tesId} itself`,
      };
    }
    return null;
  },
});
