import type { ExecutionIntent } from '../src/executor/execution.js';
import type { Snapshot } from '../src/persistence/snapshot.js';
import { defineExecutionProperty, NOT_JUDGED, type Violation } from '../src/runner/property.js';

/**
 * The rows in the database equal what the executor model says Galaxy's code
 * writes: jobs (one per executed combination) with their tool request and
 * TES stamps, one ICJ per map-over with its TES, one ICJ-job row per mapped
 * job, the TES rows, TEICA/TRICA rows per output collection, and the
 * invocation step's links. A re-pointing ORM, a trigger or a lost write shows
 * up here even when no constraint fires.
 */
export const rowsMatchModel = defineExecutionProperty({
  id: 'rows-match-model',
  summary: 'row counts and links equal what the executor model predicts',
  needs: {},
  check({ plan, outcome }) {
    if (outcome.snapshot === null) return NOT_JUDGED; // a refused write is persists-without-constraint-violations' finding
    return compareRows(plan.intent, outcome.snapshot);
  },
});

type Key = string | number | null;

function mismatch(table: string, column: string | null, what: string, expected: readonly Key[], actual: readonly Key[]): Violation {
  const show = (xs: readonly Key[]): string => (xs.length === 0 ? 'none' : xs.map((x) => (x === null ? 'NULL' : String(x))).join(', '));
  return {
    kind: column === null ? 'count-mismatch' : 'link-mismatch',
    table,
    columns: column === null ? [] : [column],
    constraint: null,
    message: `${table}${column === null ? '' : `.${column}`}: ${what} — the model expects [${show(expected)}], the database holds [${show(actual)}]`,
  };
}

function same(a: readonly Key[], b: readonly Key[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Compares one table: row ids first, then each linked column by row id. */
function compareTable<R extends { id: number }>(
  table: string,
  expected: readonly R[],
  actual: readonly R[],
  columns: readonly (readonly [keyof R & string, string])[],
): Violation | null {
  const expectedIds = expected.map((r) => r.id);
  const actualIds = actual.map((r) => r.id);
  if (!same(expectedIds, actualIds)) return mismatch(table, null, 'rows', expectedIds, actualIds);
  for (const [key, column] of columns) {
    const e = expected.map((r) => r[key] as Key);
    const a = actual.map((r) => r[key] as Key);
    if (!same(e, a)) return mismatch(table, column, `per row ${expectedIds.join(', ')}`, e, a);
  }
  return null;
}

export function compareRows(intent: ExecutionIntent, snapshot: Snapshot): Violation | null {
  const byId = <T extends { id: number }>(rows: readonly T[]): T[] => [...rows].sort((a, b) => a.id - b.id);
  const jobs = byId(intent.jobs).map((j) => ({ id: j.id, toolRequestId: j.toolRequestId, tesId: j.tesId }));
  const icjs = byId(intent.icjs.filter((i) => i.persisted)).map((i) => ({ id: i.id, tesId: i.tesId }));
  const icjJobs = intent.jobs
    .filter((j) => j.icjId !== null)
    .map((j) => ({ icjId: j.icjId, jobId: j.id, orderIndex: j.orderIndex }))
    .sort((a, b) => a.jobId - b.jobId);
  const toolRequests = intent.toolRequest ? [{ id: intent.toolRequest.id, tesId: intent.toolRequest.tesId, state: intent.toolRequest.state }] : [];
  const tes = byId(intent.tes).map((t) => ({ id: t.id, state: t.state as string }));
  const steps = byId(intent.steps).map((w) => ({ id: w.id, jobId: w.jobId, icjId: w.icjId, tesId: w.tesId }));
  const outputs = byId(intent.outputCollections.map((o) => ({ id: o.hdcaId, jobId: o.jobId, icjId: o.icjId === null || icjs.some((i) => i.id === o.icjId) ? o.icjId : null })));
  return (
    compareTable('job', jobs, snapshot.jobs, [
      ['toolRequestId', 'tool_request_id'],
      ['tesId', 'tool_execution_state_id'],
    ]) ??
    compareTable('tool_execution_state', tes, snapshot.tes, [['state', 'state']]) ??
    compareTable('tool_request', toolRequests, snapshot.toolRequests, [
      ['tesId', 'tool_execution_state_id'],
      ['state', 'state'],
    ]) ??
    compareTable('implicit_collection_jobs', icjs, snapshot.icjs, [['tesId', 'tool_execution_state_id']]) ??
    compareAssociations(icjJobs, snapshot) ??
    compareTable('workflow_invocation_step', steps, snapshot.steps, [
      ['jobId', 'job_id'],
      ['icjId', 'implicit_collection_jobs_id'],
      ['tesId', 'tool_execution_state_id'],
    ]) ??
    compareTable('history_dataset_collection_association', outputs, snapshot.outputCollections, [
      ['jobId', 'job_id'],
      ['icjId', 'implicit_collection_jobs_id'],
    ]) ??
    compareLinks(
      'tool_execution_implicit_collection_association',
      intent.outputCollections.filter((o) => o.teicaTesId !== null).map((o) => `${o.teicaTesId}:${o.hdcaId}:${o.outputName}`),
      snapshot.teicas.map((t) => `${t.tesId}:${t.hdcaId}:${t.outputName}`),
    ) ??
    compareLinks(
      'tool_request_implicit_collection_association',
      intent.outputCollections.filter((o) => o.tricaToolRequestId !== null).map((o) => `${o.tricaToolRequestId}:${o.hdcaId}:${o.outputName}`),
      snapshot.tricas.map((t) => `${t.toolRequestId}:${t.hdcaId}:${t.outputName}`),
    )
  );
}

function compareAssociations(expected: readonly { icjId: number | null; jobId: number; orderIndex: number | null }[], snapshot: Snapshot): Violation | null {
  const e = expected.map((a) => `${a.icjId}:${a.jobId}:${a.orderIndex}`);
  const a = [...snapshot.icjJobs].sort((x, y) => (x.jobId ?? 0) - (y.jobId ?? 0)).map((r) => `${r.icjId}:${r.jobId}:${r.orderIndex}`);
  return same(e, a) ? null : mismatch('implicit_collection_jobs_job_association', null, 'rows as icj:job:order_index', e, a);
}

function compareLinks(table: string, expected: readonly string[], actual: readonly string[]): Violation | null {
  const e = [...expected].sort();
  const a = [...actual].sort();
  return same(e, a) ? null : mismatch(table, null, 'rows as owner:collection:output', e, a);
}
