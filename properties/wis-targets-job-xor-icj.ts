import { defineExecutionProperty, NOT_JUDGED } from '../src/runner/property.js';

/**
 * One invocation step is one execution: it points at a job (a step that is
 * not mapped) or at an ICJ (a mapped step), never both, and no job or ICJ
 * belongs to two steps (galaxy-semantics §5, §7 invariant 4).
 */
export const wisTargetsJobXorIcj = defineExecutionProperty({
  id: 'wis-targets-job-xor-icj',
  summary: 'an invocation step points at a job or an implicit collection jobs row, never both, and never shares them',
  needs: {},
  check({ outcome }) {
    const steps = outcome.snapshot?.steps ?? [];
    if (steps.length === 0) return NOT_JUDGED; // no invocation step persisted
    for (const step of steps) {
      if (step.jobId !== null && step.icjId !== null) {
        return {
          kind: 'both-targets',
          table: 'workflow_invocation_step',
          columns: ['job_id', 'implicit_collection_jobs_id'],
          constraint: 'WorkflowInvocationStep job XOR implicit_collection_jobs',
          message: `invocation step ${step.id} points at job ${step.jobId} and at implicit collection jobs ${step.icjId}`,
        };
      }
    }
    for (const column of ['jobId', 'icjId'] as const) {
      const seen = new Map<number, number>();
      for (const step of steps) {
        const target = step[column];
        if (target === null) continue;
        const other = seen.get(target);
        if (other !== undefined) {
          const name = column === 'jobId' ? 'job_id' : 'implicit_collection_jobs_id';
          return {
            kind: 'shared-target',
            table: 'workflow_invocation_step',
            columns: [name],
            constraint: column === 'jobId' ? 'Job.workflow_invocation_step' : 'ImplicitCollectionJobs.workflow_invocation_step',
            message: `invocation steps ${other} and ${step.id} both point at ${name} ${target}`,
          };
        }
        seen.set(target, step.id);
      }
    }
    return null;
  },
});
