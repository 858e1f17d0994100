import { sql, type Compilable } from 'kysely';
import type { SqlDialectName } from '../schema/render-schema.js';
import { hasColumn, type Catalog } from './catalog.js';
import type { ColumnOf, DeclaredTable } from '../schema/galaxy-schema.js';
import { catalogQueryBuilder, compileStatement, type CompiledStatement } from './compiled-query.js';

/**
 * The execution's rows read back from the database after a case wrote them:
 * the tables whose cardinality the properties check. Each case runs in an
 * otherwise empty database, so a whole-table read is the case's rows.
 */
export interface Snapshot {
  readonly jobs: readonly { readonly id: number; readonly toolRequestId: number | null; readonly tesId: number | null; readonly state: string | null }[];
  readonly icjs: readonly { readonly id: number; readonly tesId: number | null; readonly populatedState: string | null }[];
  readonly icjJobs: readonly { readonly id: number; readonly icjId: number | null; readonly jobId: number | null; readonly orderIndex: number | null }[];
  readonly toolRequests: readonly { readonly id: number; readonly tesId: number | null; readonly state: string | null }[];
  readonly tes: readonly { readonly id: number; readonly state: string | null }[];
  readonly teicas: readonly { readonly id: number; readonly tesId: number | null; readonly hdcaId: number | null; readonly outputName: string | null }[];
  readonly tricas: readonly { readonly id: number; readonly toolRequestId: number | null; readonly hdcaId: number | null; readonly outputName: string | null }[];
  readonly steps: readonly {
    readonly id: number;
    readonly invocationId: number | null;
    readonly workflowStepId: number | null;
    readonly jobId: number | null;
    readonly icjId: number | null;
    readonly tesId: number | null;
    readonly state: string | null;
  }[];
  /** Output datasets of jobs (job_to_output_dataset). */
  readonly jobOutputs: readonly { readonly id: number; readonly jobId: number | null; readonly datasetId: number | null; readonly name: string | null }[];
  /** Output collections: HDCAs that a job or an ICJ produced. */
  readonly outputCollections: readonly { readonly id: number; readonly jobId: number | null; readonly icjId: number | null; readonly implicitOutputName: string | null }[];
  // Read for workflow invocation cases only (`workflowOnly` scans): empty for a tool execution.
  readonly invocations: readonly { readonly id: number; readonly workflowId: number | null; readonly state: string | null }[];
  /** `workflow_invocation_message`: why an invocation failed or was cancelled, and the step, step depended on and job it names. */
  readonly invocationMessages: readonly {
    readonly id: number;
    readonly invocationId: number | null;
    readonly reason: string | null;
    readonly workflowStepId: number | null;
    readonly dependentStepId: number | null;
    readonly jobId: number | null;
  }[];
  readonly stepOutputs: readonly { readonly id: number; readonly wisId: number | null; readonly datasetId: number | null; readonly outputName: string | null }[];
  readonly stepOutputCollections: readonly { readonly id: number; readonly wisId: number | null; readonly hdcaId: number | null; readonly outputName: string | null }[];
  readonly jobInputs: readonly { readonly id: number; readonly jobId: number | null; readonly datasetId: number | null; readonly name: string | null }[];
  readonly jobInputCollections: readonly { readonly id: number; readonly jobId: number | null; readonly hdcaId: number | null; readonly name: string | null }[];
  readonly jobInputElements: readonly { readonly id: number; readonly jobId: number | null; readonly elementId: number | null; readonly name: string | null }[];
  readonly collections: readonly { readonly id: number; readonly collectionId: number | null }[];
  /** `implicitly_created_dataset_collection_inputs`: the collection each implicit output was mapped over, by input name. */
  readonly implicitInputs: readonly { readonly id: number; readonly hdcaId: number | null; readonly inputHdcaId: number | null; readonly name: string | null }[];
  readonly elements: readonly { readonly id: number; readonly collectionId: number | null; readonly hdaId: number | null; readonly childId: number | null }[];
}

type SnapshotKey = keyof Snapshot;

interface ScanDefinition {
  readonly key: SnapshotKey;
  readonly table: DeclaredTable;
  /** [property name, column] pairs; a column the schema lacks reads as NULL. */
  readonly columns: readonly (readonly [string, string])[];
  readonly producedOnly?: boolean;
  /** Read only for a workflow invocation case. */
  readonly workflowOnly?: boolean;
}

/**
 * One scan: every field of the snapshot's row type read from a declared
 * column of the table (a misspelt column, or a field left out, does not
 * compile).
 */
function scan<K extends SnapshotKey, T extends DeclaredTable>(
  key: K,
  table: T,
  columns: { readonly [F in keyof Snapshot[K][number]]-?: ColumnOf<T> },
  producedOnly = false,
  workflowOnly = false,
): ScanDefinition {
  return { key, table, columns: Object.entries(columns) as [string, string][], ...(producedOnly ? { producedOnly } : {}), ...(workflowOnly ? { workflowOnly } : {}) };
}

const SCANS: readonly ScanDefinition[] = [
  scan('jobs', 'job', { id: 'id', toolRequestId: 'tool_request_id', tesId: 'tool_execution_state_id', state: 'state' }),
  scan('icjs', 'implicit_collection_jobs', { id: 'id', tesId: 'tool_execution_state_id', populatedState: 'populated_state' }),
  scan('icjJobs', 'implicit_collection_jobs_job_association', { id: 'id', icjId: 'implicit_collection_jobs_id', jobId: 'job_id', orderIndex: 'order_index' }),
  scan('toolRequests', 'tool_request', { id: 'id', tesId: 'tool_execution_state_id', state: 'state' }),
  scan('tes', 'tool_execution_state', { id: 'id', state: 'state' }),
  scan('teicas', 'tool_execution_implicit_collection_association', { id: 'id', tesId: 'tool_execution_state_id', hdcaId: 'dataset_collection_id', outputName: 'output_name' }),
  scan('tricas', 'tool_request_implicit_collection_association', { id: 'id', toolRequestId: 'tool_request_id', hdcaId: 'dataset_collection_id', outputName: 'output_name' }),
  scan('steps', 'workflow_invocation_step', {
    id: 'id',
    invocationId: 'workflow_invocation_id',
    workflowStepId: 'workflow_step_id',
    jobId: 'job_id',
    icjId: 'implicit_collection_jobs_id',
    tesId: 'tool_execution_state_id',
    state: 'state',
  }),
  scan('jobOutputs', 'job_to_output_dataset', { id: 'id', jobId: 'job_id', datasetId: 'dataset_id', name: 'name' }),
  scan(
    'outputCollections',
    'history_dataset_collection_association',
    { id: 'id', jobId: 'job_id', icjId: 'implicit_collection_jobs_id', implicitOutputName: 'implicit_output_name' },
    true,
  ),
  scan('invocations', 'workflow_invocation', { id: 'id', workflowId: 'workflow_id', state: 'state' }, false, true),
  scan(
    'invocationMessages',
    'workflow_invocation_message',
    { id: 'id', invocationId: 'workflow_invocation_id', reason: 'reason', workflowStepId: 'workflow_step_id', dependentStepId: 'dependent_workflow_step_id', jobId: 'job_id' },
    false,
    true,
  ),
  scan('stepOutputs', 'workflow_invocation_step_output_dataset_association', { id: 'id', wisId: 'workflow_invocation_step_id', datasetId: 'dataset_id', outputName: 'output_name' }, false, true),
  scan(
    'stepOutputCollections',
    'workflow_invocation_step_output_dataset_collection_association',
    { id: 'id', wisId: 'workflow_invocation_step_id', hdcaId: 'dataset_collection_id', outputName: 'output_name' },
    false,
    true,
  ),
  scan('jobInputs', 'job_to_input_dataset', { id: 'id', jobId: 'job_id', datasetId: 'dataset_id', name: 'name' }, false, true),
  scan('jobInputCollections', 'job_to_input_dataset_collection', { id: 'id', jobId: 'job_id', hdcaId: 'dataset_collection_id', name: 'name' }, false, true),
  scan(
    'jobInputElements',
    'job_to_input_dataset_collection_element',
    { id: 'id', jobId: 'job_id', elementId: 'dataset_collection_element_id', name: 'name' },
    false,
    true,
  ),
  scan(
    'implicitInputs',
    'implicitly_created_dataset_collection_inputs',
    { id: 'id', hdcaId: 'dataset_collection_id', inputHdcaId: 'input_dataset_collection_id', name: 'name' },
    false,
    true,
  ),
  scan('collections', 'history_dataset_collection_association', { id: 'id', collectionId: 'collection_id' }, false, true),
  scan('elements', 'dataset_collection_element', { id: 'id', collectionId: 'dataset_collection_id', hdaId: 'hda_id', childId: 'child_collection_id' }, false, true),
];

/** The tables and columns each part of the snapshot reads, for reporting what a schema lacks. */
export function snapshotColumns(): readonly { readonly key: SnapshotKey; readonly table: string; readonly columns: readonly string[] }[] {
  return SCANS.map((s) => ({ key: s.key, table: s.table, columns: s.columns.map(([, c]) => c) }));
}

export interface CompiledScan {
  readonly key: SnapshotKey;
  readonly statement: CompiledStatement;
  readonly workflowOnly: boolean;
}

/** The snapshot's table scans compiled for a dialect and a schema (missing tables are skipped). */
export function compileSnapshotScans(dialect: SqlDialectName, catalog: Catalog): CompiledScan[] {
  const db = catalogQueryBuilder(dialect);
  const scans: CompiledScan[] = [];
  for (const scan of SCANS) {
    if (!catalog.has(scan.table)) continue;
    let query = db.selectFrom(scan.table).select(
      scan.columns.map(([alias, column]) => (hasColumn(catalog, scan.table, column) ? sql.ref(column).as(alias) : sql<null>`NULL`.as(alias))),
    );
    if (scan.producedOnly) {
      query = query.where((eb) =>
        eb.or(
          scan.columns
            .filter(([alias, column]) => alias !== 'id' && hasColumn(catalog, scan.table, column))
            .map(([, column]) => eb(column, 'is not', null)),
        ),
      );
    }
    scans.push({ key: scan.key, statement: compileStatement(query.orderBy('id') as Compilable), workflowOnly: scan.workflowOnly === true });
  }
  return scans;
}

export function emptySnapshot(): { -readonly [K in SnapshotKey]: Snapshot[K] } {
  return {
    jobs: [],
    icjs: [],
    icjJobs: [],
    toolRequests: [],
    tes: [],
    teicas: [],
    tricas: [],
    steps: [],
    jobOutputs: [],
    outputCollections: [],
    invocations: [],
    invocationMessages: [],
    stepOutputs: [],
    stepOutputCollections: [],
    jobInputs: [],
    jobInputCollections: [],
    jobInputElements: [],
    collections: [],
    implicitInputs: [],
    elements: [],
  };
}
