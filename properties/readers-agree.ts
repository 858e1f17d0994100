import type { ExecutionIntent } from '../src/executor/execution.js';
import { READERS, type ReaderId } from '../src/readers/galaxy-readers.js';
import { defineExecutionProperty, NOT_JUDGED, type CaseEvaluation, type Violation } from '../src/runner/property.js';
import { ascending, callsOf, readingOf, sameIds, tableOf } from './support/readings.js';

/**
 * Galaxy's readers agree with the model and with each other: a tool
 * request's jobs, a TES's back-populates, an ICJ's job list and
 * representative job, a job's (effective) invocation step, an invocation
 * step's jobs and the output collections of a TES or tool request return
 * exactly the rows Galaxy's code meant to link. A reader Galaxy consumes as a
 * scalar never sees two rows (SQLAlchemy warns and picks one), and one
 * consumed with one()/scalar_one_or_none() never sees two (it raises).
 */
export const readersAgree = defineExecutionProperty({
  id: 'readers-agree',
  summary: 'Galaxy’s readers return exactly the rows the model links, and never two where Galaxy expects one',
  needs: { readers: READERS.map((r) => r.id) },
  check(evaluation) {
    if (evaluation.outcome.snapshot === null) return NOT_JUDGED;
    let compared = 0;
    for (const [reader, argument, expected] of expectations(evaluation.plan.intent)) {
      const ids = readingOf(evaluation.outcome, reader, argument);
      if (ids === undefined) continue; // the schema cannot run this reader (reported at the start of the run)
      compared++;
      const violation = judge(evaluation, reader, argument, ids, expected);
      if (violation) return violation;
    }
    return compared === 0 ? NOT_JUDGED : null;
  },
});

type Expectation = readonly [ReaderId, number, readonly number[]];

function judge(evaluation: CaseEvaluation, reader: ReaderId, argument: number, ids: readonly number[], expected: readonly number[]): Violation | null {
  // How Galaxy consumes the reader matters only for two rows or more; the table only for a violation.
  const calls = ids.length >= 2 ? callsOf(evaluation.system.profile, reader) : 'list';
  if (calls !== 'list') {
    return {
      kind: calls === 'scalar' ? 'ambiguous-scalar' : 'would-raise',
      table: tableOf(reader),
      columns: [],
      constraint: reader,
      message: `${reader}(${argument}) ${calls === 'scalar' ? 'is a scalar back-populate but' : 'is read with one()/scalar_one_or_none() and'} finds ${ids.length} rows [${ids.join(', ')}]${calls === 'scalar' ? ' (SQLAlchemy warns and keeps one)' : ' (MultipleResultsFound)'}`,
    };
  }
  if (!sameIds(ids, expected)) {
    return {
      kind: 'reader-mismatch',
      table: tableOf(reader),
      columns: [],
      constraint: reader,
      message: `${reader}(${argument}) returns [${ids.join(', ')}]; the model links [${expected.join(', ')}]`,
    };
  }
  return null;
}

function expectations(intent: ExecutionIntent): Expectation[] {
  const out: Expectation[] = [];
  const tr = intent.toolRequest;
  const persistedIcjs = intent.icjs.filter((i) => i.persisted);
  if (tr !== null) {
    out.push(['ToolRequest.jobs', tr.id, ascending(intent.jobs.filter((j) => j.toolRequestId === tr.id).map((j) => j.id))]);
    out.push(['ToolRequest.implicit_collections', tr.id, ascending(intent.outputCollections.filter((o) => o.tricaToolRequestId === tr.id).map((o) => o.hdcaId))]);
  }
  for (const tes of intent.tes) {
    out.push(['ToolExecutionState.tool_request', tes.id, tr !== null && tr.tesId === tes.id ? [tr.id] : []]);
    out.push(['ToolExecutionState.job', tes.id, ascending(intent.jobs.filter((j) => j.tesId === tes.id).map((j) => j.id))]);
    out.push(['ToolExecutionState.workflow_invocation_step', tes.id, ascending(intent.steps.filter((w) => w.tesId === tes.id).map((w) => w.id))]);
    out.push(['ToolExecutionState.implicit_collection_jobs', tes.id, ascending(persistedIcjs.filter((i) => i.tesId === tes.id).map((i) => i.id))]);
    out.push(['ToolExecutionState.output_collections', tes.id, ascending(intent.outputCollections.filter((o) => o.teicaTesId === tes.id).map((o) => o.hdcaId))]);
  }
  const jobsOf = (icjId: number): number[] =>
    intent.jobs
      .filter((j) => j.icjId === icjId)
      .sort((a, b) => (a.orderIndex ?? 0) - (b.orderIndex ?? 0) || a.id - b.id)
      .map((j) => j.id);
  for (const icj of persistedIcjs) {
    const jobs = jobsOf(icj.id);
    out.push(['ImplicitCollectionJobs.job_list', icj.id, jobs]);
    out.push(['ImplicitCollectionJobs.representative_job', icj.id, jobs.slice(0, 1)]);
  }
  for (const job of intent.jobs) {
    out.push(['Job.implicit_collection_jobs_association', job.id, job.icjId === null || !persistedIcjs.some((i) => i.id === job.icjId) ? [] : [job.icjId]]);
    out.push(['Job.workflow_invocation_step', job.id, job.wisId === null ? [] : [job.wisId]]);
    out.push(['Job.effective_workflow_invocation_step(via ICJ)', job.id, job.icjId === null ? [] : ascending(intent.steps.filter((w) => w.icjId === job.icjId).map((w) => w.id))]);
  }
  for (const wis of intent.steps) {
    out.push(['WorkflowInvocationStep.implicit_collection_jobs.job_list', wis.id, wis.icjId === null ? [] : jobsOf(wis.icjId)]);
  }
  return out;
}
