import type { Expansion } from '../expansion/expansion.js';
import type { Case, TesCaptureState } from '../model/case.js';
import type { EntryOutcome } from './execution-run.js';
import type { ExecutionIntent, IcjIntent, JobIntent, OutputCollectionIntent, TesIntent, ToolRequestIntent, WisIntent } from './execution.js';
import type { Session, SessionRow } from './session.js';
import type { Cell, TableName } from './tables.js';

/**
 * The executor's intent — the links Galaxy's code means to write — read off
 * the rows as the code wrote them through the session, before the ORM
 * semantics (a scalar relationship re-pointing, an object never inserted)
 * changed what reaches the database. Nothing here restates a Galaxy rule:
 * each link is a column the code assigned.
 */
export function deriveIntent(session: Session, entry: Case['entry'], expansion: Expansion, outcome: EntryOutcome): ExecutionIntent {
  const rows = byTable(session.rows);
  const num = (row: SessionRow, column: string): number | null => asId(row.cells[column]);
  const icjjaOfJob = new Map<number, SessionRow>();
  const jobsOfIcj = new Map<number, number[]>();
  for (const a of rows('implicit_collection_jobs_job_association')) {
    const jobId = num(a, 'job_id')!;
    icjjaOfJob.set(jobId, a);
    const icjId = num(a, 'implicit_collection_jobs_id');
    if (icjId !== null) push(jobsOfIcj, icjId, jobId);
  }
  const datasetsOfJob = new Map<number, number[]>();
  for (const o of rows('job_to_output_dataset')) push(datasetsOfJob, num(o, 'job_id')!, num(o, 'dataset_id')!);
  const outputNameOf = new Map<number, string>();
  for (const o of rows('job_to_output_dataset_collection')) outputNameOf.set(num(o, 'dataset_collection_id')!, String(o.cells['name']));
  const teicaOf = new Map<number, number>();
  for (const t of rows('tool_execution_implicit_collection_association')) teicaOf.set(num(t, 'dataset_collection_id')!, num(t, 'tool_execution_state_id')!);
  const tricaOf = new Map<number, number>();
  for (const t of rows('tool_request_implicit_collection_association')) tricaOf.set(num(t, 'dataset_collection_id')!, num(t, 'tool_request_id')!);

  const outputCollections: OutputCollectionIntent[] = [];
  const collectionsOfJob = new Map<number, number[]>();
  const collectionsOfIcj = new Map<number, number[]>();
  for (const hdca of rows('history_dataset_collection_association')) {
    const jobId = num(hdca, 'job_id');
    const icjId = jobId === null ? num(hdca, 'implicit_collection_jobs_id') : null;
    if (jobId !== null) push(collectionsOfJob, jobId, hdca.id);
    if (icjId !== null) push(collectionsOfIcj, icjId, hdca.id);
    outputCollections.push({
      hdcaId: hdca.id,
      outputName: jobId !== null ? (outputNameOf.get(hdca.id) ?? '') : String(hdca.cells['implicit_output_name']),
      icjId,
      jobId,
      teicaTesId: teicaOf.get(hdca.id) ?? null,
      tricaToolRequestId: tricaOf.get(hdca.id) ?? null,
    });
  }

  // The invocation step whose `job` the code set to each job (an unmapped step's `invocation_step.job = job`).
  const wisOfJob = new Map<number, number>();
  for (const a of session.assignments) if (a.row.table === 'workflow_invocation_step' && a.column === 'job_id' && typeof a.value === 'number') wisOfJob.set(a.value, a.row.id);

  const origin: TesIntent['origin'] = entry === 'tool-request' ? 'tool-request' : 'workflow-step';
  const tes: TesIntent[] = rows('tool_execution_state').map((t) => ({ id: t.id, state: t.cells['state'] as TesCaptureState, origin }));
  const jobs: JobIntent[] = rows('job').map((job) => {
    const icjja = icjjaOfJob.get(job.id);
    return {
      id: job.id,
      combination: job.slice?.combination ?? 0,
      toolRequestId: num(job, 'tool_request_id'),
      tesId: num(job, 'tool_execution_state_id'),
      icjId: icjja === undefined ? null : num(icjja, 'implicit_collection_jobs_id'),
      orderIndex: icjja === undefined ? null : num(icjja, 'order_index'),
      wisId: wisOfJob.get(job.id) ?? null,
      pass: job.slice?.pass ?? 0,
      outputDatasetIds: datasetsOfJob.get(job.id) ?? [],
      outputCollectionIds: collectionsOfJob.get(job.id) ?? [],
    };
  });
  const icjs: IcjIntent[] = rows('implicit_collection_jobs').map((icj) => ({
    id: icj.id,
    persisted: icj.persisted,
    tesId: num(icj, 'tool_execution_state_id'),
    jobIds: jobsOfIcj.get(icj.id) ?? [],
    outputCollectionIds: collectionsOfIcj.get(icj.id) ?? [],
  }));
  const tr = rows('tool_request')[0];
  const toolRequest: ToolRequestIntent | null =
    tr === undefined ? null : { id: tr.id, tesId: num(tr, 'tool_execution_state_id'), state: tr.cells['state'] as ToolRequestIntent['state'] };
  const steps: WisIntent[] = rows('workflow_invocation_step').map((step) => ({
    id: step.id,
    tesId: num(step, 'tool_execution_state_id'),
    jobId: num(step, 'job_id'),
    icjId: num(step, 'implicit_collection_jobs_id'),
  }));
  return {
    entry,
    toolRequest,
    tes,
    jobs,
    icjs,
    steps,
    outputCollections,
    combinations: expansion.ok ? expansion.combinations.length : 0,
    mapped: expansion.ok && expansion.mapOver !== null,
    activeOutputs: outcome.activeOutputs,
    passes: outcome.passes,
  };
}

function byTable(rows: readonly SessionRow[]): (table: TableName) => readonly SessionRow[] {
  const groups = new Map<TableName, SessionRow[]>();
  for (const row of rows) push(groups, row.table, row);
  return (table) => groups.get(table) ?? [];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function asId(cell: Cell | undefined): number | null {
  return typeof cell === 'number' ? cell : null;
}
