import type { WorkflowTrace } from '../src/executor/invoke-workflow.js';
import type { GaConnection, GaWorkflow } from '../src/model/workflow.js';
import { NON_DATA_CONNECTION } from '../src/model/workflow-graph.js';
import type { Snapshot } from '../src/persistence/snapshot.js';
import { defineExecutionProperty, NOT_JUDGED, type Violation } from '../src/runner/property.js';

/**
 * Every connection of a workflow reaches its upstream step's outputs: the
 * upstream invocation step records the output under the connected name
 * (`WorkflowInvocationStep.add_output`), and every job of the downstream step
 * reads that dataset, that collection, or elements of it (the job's input
 * rows). A lost output row, or a job wired to something else, breaks what
 * Galaxy shows as the invocation's graph and what extraction rebuilds.
 *
 * A non-data connection (`$step`) carries an order instead: a step that ran
 * jobs did so only once the step it waits on had its step row `scheduled`
 * and every job of that step was made before its own
 * (`WorkflowInvoker.__check_implicitly_dependent_steps`, run.py). When a job
 * of the step waited on ended in `error` (as the database holds it), the
 * waiting step never runs: it has no step row (the check comes before one is
 * made), its invocation is not `scheduled`, and a `job_failed` message names
 * a job that failed (`__check_implicitly_dependent_step`, run.py).
 *
 * A connection reaches an input collection an upload is still populating
 * only once it is populated: a step takes such a collection no earlier than
 * the pass the case's `scheduling.populated_at` populates it before, and never
 * one that stays unpopulated or whose population failed
 * (`WorkflowProgress.replacement_for_connection`, run.py).
 */
export const connectionsReachUpstreamOutputs = defineExecutionProperty({
  id: 'connections-reach-upstream-outputs',
  summary: 'every workflow connection reaches the outputs its upstream step recorded, and the downstream jobs read them',
  workflowOnly: true,
  needs: { columns: [['workflow_invocation_step_output_dataset_association', 'output_name'], ['workflow_invocation_step_output_dataset_collection_association', 'output_name'], ['workflow_invocation_step', 'state'], ['job', 'state'], ['workflow_invocation_message', 'job_id']] },
  check({ case: c, plan, outcome }) {
    const trace = plan.workflow;
    const snapshot = outcome.snapshot;
    if (trace === null || snapshot === null) return NOT_JUDGED;
    let judged = 0;
    if (c.entry === 'workflow-invocation') {
      for (const step of trace.steps) {
        if (step.valuesPass === null) continue;
        for (const connection of step.connections) {
          const value = connection.value;
          if (value?.kind !== 'collection') continue;
          const given = c.history.collections.find((h) => h.id === value.id);
          if (given === undefined || (given.populated_state ?? 'ok') === 'ok') continue;
          judged++;
          const at = given.populated_state === 'new' ? c.scheduling?.populated_at?.[String(value.id)] : undefined;
          if (at !== undefined && step.valuesPass >= at) continue;
          return {
            kind: 'input-not-populated',
            table: 'dataset_collection',
            columns: ['populated_state'],
            constraint: 'WorkflowProgress.replacement_for_connection',
            message: `step ${step.orderIndex} of invocation ${step.invocationId} took collection ${value.id} on pass ${step.valuesPass}, though ${at === undefined ? (given.populated_state === 'new' ? 'its upload never populates it' : `its population ${given.populated_state}`) : `its upload populates it only before pass ${at}`}`,
          };
        }
      }
    }
    const failedDependency = c.entry === 'workflow-invocation' ? checkFailedDependencies(c.workflow, trace, snapshot) : { judged: 0, violation: null };
    if (failedDependency.violation !== null) return failedDependency.violation;
    judged += failedDependency.judged;
    for (const step of trace.steps) {
      if (step.type !== 'tool' || step.jobs.length === 0) continue;
      for (const connection of step.connections) {
        if (connection.input === NON_DATA_CONNECTION) {
          const upstream = trace.steps.find((s) => s.invocationId === step.invocationId && s.orderIndex === connection.from);
          judged++;
          const row = upstream?.wisId == null ? undefined : snapshot.steps.find((s) => s.id === upstream.wisId);
          if (row === undefined || row.state !== 'scheduled') {
            return {
              kind: 'dependency-not-scheduled',
              table: 'workflow_invocation_step',
              columns: ['state'],
              constraint: 'WorkflowInvoker.__check_implicitly_dependent_steps',
              message: `step ${step.orderIndex} of invocation ${step.invocationId} ran ${step.jobs.length} job${step.jobs.length === 1 ? '' : 's'} though step ${connection.from}, which it waits on ($step), ${row === undefined ? 'has no step row' : `is ${row.state ?? 'without a state'}`}`,
            };
          }
          const upstreamJobs = row.icjId !== null ? snapshot.icjJobs.filter((a) => a.icjId === row.icjId && a.jobId !== null).map((a) => a.jobId!) : row.jobId !== null ? [row.jobId] : [];
          const first = Math.min(...step.jobs.map((j) => j.id));
          const late = upstreamJobs.filter((j) => j > first);
          if (late.length > 0) {
            return {
              kind: 'dependency-not-finished',
              table: 'job',
              columns: ['id'],
              constraint: 'WorkflowInvoker.__check_implicitly_dependent_steps',
              message: `step ${step.orderIndex} of invocation ${step.invocationId} made job ${first} before step ${connection.from}, which it waits on ($step), made job ${late[0]}`,
            };
          }
          continue;
        }
        if (connection.input === 'when' || connection.value === null || connection.value.kind === 'parameter' || connection.value.kind === 'none') continue;
        const upstream = trace.steps.find((s) => s.invocationId === step.invocationId && s.orderIndex === connection.from);
        if (upstream === undefined || upstream.wisId === null) continue;
        judged++;
        const datasets = snapshot.stepOutputs.filter((o) => o.wisId === upstream.wisId && o.outputName === connection.outputName).map((o) => o.datasetId);
        const collections = snapshot.stepOutputCollections.filter((o) => o.wisId === upstream.wisId && o.outputName === connection.outputName).map((o) => o.hdcaId);
        if (datasets.length === 0 && collections.length === 0) {
          return {
            kind: 'output-not-recorded',
            table: 'workflow_invocation_step_output_dataset_association',
            columns: ['workflow_invocation_step_id', 'output_name'],
            constraint: 'WorkflowInvocationStep.add_output',
            message: `step ${connection.from} of invocation ${step.invocationId} (step row ${upstream.wisId}) recorded no output '${connection.outputName}', which step ${step.orderIndex} reads as '${connection.input}'`,
          };
        }
        const reachable = new Set<number>(datasets.filter((d): d is number => d !== null));
        const hdcas = new Set<number>(collections.filter((h): h is number => h !== null));
        const elements = new Set<number>();
        for (const hdca of hdcas) {
          for (const d of leafDatasetsOf(snapshot, hdca)) reachable.add(d);
          for (const e of elementsOf(snapshot, hdca)) elements.add(e);
        }
        for (const job of step.jobs) {
          const reads = snapshot.jobInputs.filter((i) => i.jobId === job.id && i.datasetId !== null).map((i) => i.datasetId!);
          const readsCollections = snapshot.jobInputCollections.filter((i) => i.jobId === job.id && i.hdcaId !== null).map((i) => i.hdcaId!);
          const readsElements = snapshot.jobInputElements.filter((i) => i.jobId === job.id && i.elementId !== null).map((i) => i.elementId!);
          if (reads.some((d) => reachable.has(d)) || readsCollections.some((h) => hdcas.has(h)) || readsElements.some((e) => elements.has(e))) continue;
          return {
            kind: 'connection-not-read',
            table: 'job_to_input_dataset',
            columns: ['job_id', 'dataset_id'],
            constraint: null,
            message: `job ${job.id} of step ${step.orderIndex} reads none of what step ${connection.from} output as '${connection.outputName}' (datasets ${[...reachable].join(', ') || 'none'}; it reads ${reads.join(', ') || 'no dataset'})`,
          };
        }
      }
    }
    return judged === 0 ? NOT_JUDGED : null;
  },
});

/**
 * `$step` connections of top-level steps to a step whose step row has a job
 * in `error`: the waiting step has no step row and its invocation is not
 * `scheduled`; a `job_failed` message names a job in `error`.
 */
function checkFailedDependencies(workflow: GaWorkflow, trace: WorkflowTrace, snapshot: Snapshot): { judged: number; violation: Violation | null } {
  const failed = new Set(snapshot.jobs.filter((j) => j.state === 'error').map((j) => j.id));
  let judged = 0;
  for (const m of snapshot.invocationMessages) {
    if (m.reason !== 'job_failed') continue;
    judged++;
    if (m.jobId === null || !failed.has(m.jobId)) {
      return {
        judged,
        violation: {
          kind: 'job-failed-names-no-failed-job',
          table: 'workflow_invocation_message',
          columns: ['reason', 'job_id'],
          constraint: 'WorkflowInvoker.__check_implicitly_dependent_step',
          message: `invocation ${m.invocationId} failed with job_failed naming job ${m.jobId ?? 'none'}, which is ${m.jobId === null ? 'no job' : `in state ${snapshot.jobs.find((j) => j.id === m.jobId)?.state ?? 'unknown'}`}, not error`,
        },
      };
    }
  }
  if (failed.size === 0) return { judged, violation: null };
  for (const invocation of trace.invocations) {
    if (invocation.parentId !== null) continue;
    for (const step of Object.values(workflow.steps)) {
      const raw = step.input_connections?.[NON_DATA_CONNECTION];
      const connections = raw === undefined ? [] : Array.isArray(raw) ? (raw as readonly GaConnection[]) : [raw as GaConnection];
      for (const connection of connections) {
        const upstream = trace.steps.find((s) => s.invocationId === invocation.id && s.orderIndex === connection.id);
        const row = upstream?.wisId == null ? undefined : snapshot.steps.find((s) => s.id === upstream.wisId);
        if (row === undefined) continue;
        const jobs = row.icjId !== null ? snapshot.icjJobs.filter((a) => a.icjId === row.icjId && a.jobId !== null).map((a) => a.jobId!) : row.jobId !== null ? [row.jobId] : [];
        const error = jobs.find((j) => failed.has(j));
        if (error === undefined) continue;
        judged++;
        const waiting = trace.steps.find((s) => s.invocationId === invocation.id && s.orderIndex === step.id);
        const state = snapshot.invocations.find((i) => i.id === invocation.id)?.state ?? null;
        if (waiting?.wisId == null && state !== 'scheduled') continue;
        return {
          judged,
          violation: {
            kind: 'dependency-failed',
            table: waiting?.wisId == null ? 'workflow_invocation' : 'workflow_invocation_step',
            columns: ['state'],
            constraint: 'WorkflowInvoker.__check_implicitly_dependent_step',
            message:
              waiting?.wisId == null
                ? `invocation ${invocation.id} is scheduled though step ${step.id} waits ($step) on step ${connection.id}, whose job ${error} failed`
                : `step ${step.id} of invocation ${invocation.id} got step row ${waiting.wisId}${waiting.jobs.length > 0 ? ` and ran ${waiting.jobs.length} job${waiting.jobs.length === 1 ? '' : 's'}` : ''} though it waits ($step) on step ${connection.id}, whose job ${error} failed`,
          },
        };
      }
    }
  }
  return { judged, violation: null };
}

/** The datasets at the leaves of an HDCA's collection, as the database holds them. */
export function leafDatasetsOf(snapshot: Snapshot, hdcaId: number): number[] {
  return walkElements(snapshot, hdcaId).flatMap((e) => (e.hdaId === null ? [] : [e.hdaId]));
}

/** Every element row (any depth) of an HDCA's collection. */
function elementsOf(snapshot: Snapshot, hdcaId: number): number[] {
  return walkElements(snapshot, hdcaId).map((e) => e.id);
}

function walkElements(snapshot: Snapshot, hdcaId: number): Snapshot['elements'][number][] {
  const root = snapshot.collections.find((c) => c.id === hdcaId)?.collectionId ?? null;
  const out: Snapshot['elements'][number][] = [];
  const walk = (dc: number, depth: number): void => {
    if (depth > 8) return;
    for (const e of snapshot.elements) {
      if (e.collectionId !== dc) continue;
      out.push(e);
      if (e.hdaId === null && e.childId !== null) walk(e.childId, depth + 1);
    }
  };
  if (root !== null) walk(root, 0);
  return out;
}
