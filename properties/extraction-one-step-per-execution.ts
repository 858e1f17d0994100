import { extractWorkflow, selectedOutputs, selectionsFor, type ExtractionInput } from '../src/extraction/extract-workflow.js';
import type { Snapshot } from '../src/persistence/snapshot.js';
import { defineExecutionProperty, NOT_JUDGED, type CaseEvaluation } from '../src/runner/property.js';

/**
 * Workflow extraction by ids yields one step per `(tier, source_id)` key and
 * keeps every extracted output connectable (galaxy-semantics §4.4): dropping
 * duplicate work items is not enough when each carries its own job's outputs.
 * Checked for each selection a client sends (see `selectionsFor`).
 */
export const extractionOneStepPerExecution = defineExecutionProperty({
  id: 'extraction-one-step-per-execution',
  summary: 'workflow extraction yields one step per (tier, source_id), and every extracted output stays connectable',
  needs: {},
  check(evaluation) {
    const snapshot = evaluation.outcome.snapshot;
    if (snapshot === null) return NOT_JUDGED;
    const input = extractionInput(evaluation, snapshot);
    const settings = { dedup: evaluation.system.settings['extraction.dedup'], batchStep: evaluation.system.settings['extraction.batchStep'] };
    const selections = selectionsFor(input);
    if (selections.length === 0) return NOT_JUDGED; // nothing a client could extract
    for (const selection of selections) {
      const result = extractWorkflow(input, selection, settings);
      const described = (): string =>
        `extracting by ${selection.label} (jobs [${selection.jobIds.join(', ')}], ICJs [${selection.icjIds.join(', ')}], tool requests [${selection.toolRequestIds.join(', ')}])`;
      if (!result.ok) {
        return { kind: 'extraction-error', table: 'workflow_step', columns: [], constraint: 'extract_steps_by_ids', message: `${described()} fails: ${result.error}` };
      }
      if (result.steps.length !== result.keys) {
        return {
          kind: 'duplicate-steps',
          table: 'workflow_step',
          columns: [],
          constraint: 'extract_steps_by_ids',
          message: `${described()} yields ${result.steps.length} steps for ${result.keys} distinct (tier, source_id) key${result.keys === 1 ? '' : 's'} (dedup ${settings.dedup})`,
        };
      }
      const registered = new Set(result.steps.flatMap((s) => s.outputs));
      const required = [...new Set(selectedOutputs(input, selection))];
      const lost = required.filter((o) => !registered.has(o));
      if (lost.length > 0) {
        return {
          kind: 'lost-connection',
          table: 'workflow_step',
          columns: [],
          constraint: 'extract_steps_by_ids',
          message: `${described()} leaves ${lost.join(', ')} without a step that produces it (dedup ${settings.dedup}); downstream steps lose their connections`,
        };
      }
    }
    return null;
  },
});

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list === undefined) groups.set(k, [item]);
    else list.push(item);
  }
  return groups;
}

/** The persisted rows as extraction reads them. */
export function extractionInput({ plan, system }: CaseEvaluation, snapshot: Snapshot): ExtractionInput {
  const icjOf = new Map(snapshot.icjJobs.map((a) => [a.jobId, a.icjId]));
  const stepOfJob = new Map(snapshot.steps.filter((s) => s.jobId !== null).map((s) => [s.jobId!, s]));
  const datasetsOfJob = groupBy(snapshot.jobOutputs, (o) => o.jobId);
  const collectionsOfJob = groupBy(snapshot.outputCollections, (o) => o.jobId);
  const collectionsOfIcj = groupBy(snapshot.outputCollections, (o) => o.icjId);
  const membersOfIcj = groupBy(snapshot.icjJobs, (a) => a.icjId);
  const jobById = new Map(snapshot.jobs.map((j) => [j.id, j]));
  const requestsWithJobs = new Set(snapshot.jobs.map((j) => j.toolRequestId));
  const teicasOfTes = groupBy(snapshot.teicas, (t) => t.tesId);
  const jobs = snapshot.jobs.map((job) => ({
    id: job.id,
    tesId: job.tesId,
    icjId: icjOf.get(job.id) ?? null,
    stepTesId: stepOfJob.get(job.id)?.tesId ?? null,
    outputs: [
      ...(datasetsOfJob.get(job.id) ?? []).map((o) => `dataset:${o.datasetId}`),
      ...(collectionsOfJob.get(job.id) ?? []).map((o) => `collection:${o.id}`),
    ],
  }));
  const toolRequestOfTes = new Map(snapshot.toolRequests.filter((t) => t.tesId !== null).map((t) => [t.tesId!, t.id]));
  const icjs = snapshot.icjs.map((icj) => {
    const members = [...(membersOfIcj.get(icj.id) ?? [])].sort((a, b) => (a.orderIndex ?? 0) - (b.orderIndex ?? 0));
    const jobRequest = members[0]?.jobId != null ? (jobById.get(members[0].jobId)?.toolRequestId ?? null) : null;
    return {
      id: icj.id,
      tesId: icj.tesId,
      jobIds: members.flatMap((a) => (a.jobId === null ? [] : [a.jobId])),
      outputs: (collectionsOfIcj.get(icj.id) ?? []).map((o) => `collection:${o.id}`),
      toolRequestId: (icj.tesId !== null ? toolRequestOfTes.get(icj.tesId) : undefined) ?? jobRequest,
    };
  });
  const toolRequests = snapshot.toolRequests.map((tr) => ({
    id: tr.id,
    tesId: tr.tesId,
    jobless: !requestsWithJobs.has(tr.id),
    failed: tr.state === 'failed',
    outputs: tr.tesId === null ? [] : (teicasOfTes.get(tr.tesId) ?? []).map((t) => `collection:${t.hdcaId}`),
  }));
  return {
    jobs,
    icjs,
    toolRequests,
    tesStates: new Map(snapshot.tes.map((t) => [t.id, t.state ?? ''])),
    plainBatchPayload: plan.expansion.params.some((p) => p.classification !== 'single' && p.mapOver === null && (p.batchValues ?? 0) >= 2),
    hasExecutionState: system.settings['executor.executionState'] === 'tes',
  };
}
