import { sql, type Compilable } from 'kysely';
import type { SqlDialectName } from '../schema/render-schema.js';
import { hasColumn, type Catalog } from './catalog.js';
import { compileStatement, queryBuilder, type CompiledStatement } from './compiled-query.js';

/**
 * The execution's rows read back from the database after a case wrote them:
 * the tables whose cardinality the properties check. Each case runs in an
 * otherwise empty database, so a whole-table read is the case's rows.
 */
export interface Snapshot {
  readonly jobs: readonly { readonly id: number; readonly toolRequestId: number | null; readonly tesId: number | null }[];
  readonly icjs: readonly { readonly id: number; readonly tesId: number | null; readonly populatedState: string | null }[];
  readonly icjJobs: readonly { readonly id: number; readonly icjId: number | null; readonly jobId: number | null; readonly orderIndex: number | null }[];
  readonly toolRequests: readonly { readonly id: number; readonly tesId: number | null; readonly state: string | null }[];
  readonly tes: readonly { readonly id: number; readonly state: string | null }[];
  readonly teicas: readonly { readonly id: number; readonly tesId: number | null; readonly hdcaId: number | null; readonly outputName: string | null }[];
  readonly tricas: readonly { readonly id: number; readonly toolRequestId: number | null; readonly hdcaId: number | null; readonly outputName: string | null }[];
  readonly steps: readonly { readonly id: number; readonly jobId: number | null; readonly icjId: number | null; readonly tesId: number | null; readonly state: string | null }[];
  /** Output datasets of jobs (job_to_output_dataset). */
  readonly jobOutputs: readonly { readonly id: number; readonly jobId: number | null; readonly datasetId: number | null; readonly name: string | null }[];
  /** Output collections: HDCAs that a job or an ICJ produced. */
  readonly outputCollections: readonly { readonly id: number; readonly jobId: number | null; readonly icjId: number | null; readonly implicitOutputName: string | null }[];
}

type SnapshotKey = keyof Snapshot;

interface ScanDefinition {
  readonly key: SnapshotKey;
  readonly table: string;
  /** [property name, column] pairs; a column the schema lacks reads as NULL. */
  readonly columns: readonly (readonly [string, string])[];
  readonly producedOnly?: boolean;
}

const SCANS: readonly ScanDefinition[] = [
  { key: 'jobs', table: 'job', columns: [['id', 'id'], ['toolRequestId', 'tool_request_id'], ['tesId', 'tool_execution_state_id']] },
  { key: 'icjs', table: 'implicit_collection_jobs', columns: [['id', 'id'], ['tesId', 'tool_execution_state_id'], ['populatedState', 'populated_state']] },
  {
    key: 'icjJobs',
    table: 'implicit_collection_jobs_job_association',
    columns: [['id', 'id'], ['icjId', 'implicit_collection_jobs_id'], ['jobId', 'job_id'], ['orderIndex', 'order_index']],
  },
  { key: 'toolRequests', table: 'tool_request', columns: [['id', 'id'], ['tesId', 'tool_execution_state_id'], ['state', 'state']] },
  { key: 'tes', table: 'tool_execution_state', columns: [['id', 'id'], ['state', 'state']] },
  {
    key: 'teicas',
    table: 'tool_execution_implicit_collection_association',
    columns: [['id', 'id'], ['tesId', 'tool_execution_state_id'], ['hdcaId', 'dataset_collection_id'], ['outputName', 'output_name']],
  },
  {
    key: 'tricas',
    table: 'tool_request_implicit_collection_association',
    columns: [['id', 'id'], ['toolRequestId', 'tool_request_id'], ['hdcaId', 'dataset_collection_id'], ['outputName', 'output_name']],
  },
  {
    key: 'steps',
    table: 'workflow_invocation_step',
    columns: [['id', 'id'], ['jobId', 'job_id'], ['icjId', 'implicit_collection_jobs_id'], ['tesId', 'tool_execution_state_id'], ['state', 'state']],
  },
  {
    key: 'jobOutputs',
    table: 'job_to_output_dataset',
    columns: [['id', 'id'], ['jobId', 'job_id'], ['datasetId', 'dataset_id'], ['name', 'name']],
  },
  {
    key: 'outputCollections',
    table: 'history_dataset_collection_association',
    columns: [['id', 'id'], ['jobId', 'job_id'], ['icjId', 'implicit_collection_jobs_id'], ['implicitOutputName', 'implicit_output_name']],
    producedOnly: true,
  },
];

export interface CompiledScan {
  readonly key: SnapshotKey;
  readonly statement: CompiledStatement;
}

/** The snapshot's table scans compiled for a dialect and a schema (missing tables are skipped). */
export function compileSnapshotScans(dialect: SqlDialectName, catalog: Catalog): CompiledScan[] {
  const db = queryBuilder(dialect);
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
    scans.push({ key: scan.key, statement: compileStatement(query.orderBy('id') as Compilable, []) });
  }
  return scans;
}

export function emptySnapshot(): { -readonly [K in SnapshotKey]: Snapshot[K] } {
  return { jobs: [], icjs: [], icjJobs: [], toolRequests: [], tes: [], teicas: [], tricas: [], steps: [], jobOutputs: [], outputCollections: [] };
}
