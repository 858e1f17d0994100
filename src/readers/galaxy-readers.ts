import type { Compilable, Kysely } from 'kysely';
import type { ReaderQuery, ReaderRequest as QueryRequest } from '../persistence/case-database.js';
import { param } from '../persistence/compiled-query.js';
import type { ColumnOf, DeclaredTable, GalaxyDatabase } from '../schema/galaxy-schema.js';

/**
 * Galaxy's reader queries over the persisted rows (galaxy-semantics §1, §1.15,
 * §5), each as the SQL the ORM issues for it, built with kysely. `calls` says
 * how Galaxy consumes the rows: a list, a scalar back-populate (SQLAlchemy
 * warns and picks one when it finds several), `one()` (raises on 0 or 2+) or
 * `scalar_one_or_none()` (raises on 2+). Queries are written against the
 * typed `GalaxyDatabase` (schema/galaxy-schema.ts): a misspelt table or
 * column does not compile. `requires` names the declared columns a query
 * reads; a schema that lacks one cannot run it, and the run says so.
 */

export type ReaderCalls = 'list' | 'scalar' | 'one' | 'one-or-none';

export type ReaderId =
  | 'ToolRequest.jobs'
  | 'ToolRequest.implicit_collections'
  | 'ToolExecutionState.tool_request'
  | 'ToolExecutionState.job'
  | 'ToolExecutionState.workflow_invocation_step'
  | 'ToolExecutionState.implicit_collection_jobs'
  | 'ToolExecutionState.output_collections'
  | 'ImplicitCollectionJobs.job_list'
  | 'ImplicitCollectionJobs.representative_job'
  | 'Job.implicit_collection_jobs_association'
  | 'Job.workflow_invocation_step'
  | 'Job.effective_workflow_invocation_step(via ICJ)'
  | 'WorkflowInvocationStep.implicit_collection_jobs.job_list';

/** A declared column, as a [table, column] pair. */
export type DeclaredColumn = { readonly [T in DeclaredTable]: readonly [T, ColumnOf<T>] }[DeclaredTable];

export interface ReaderDefinition extends ReaderQuery {
  readonly id: ReaderId;
  /** Where Galaxy reads it (for reports). */
  readonly galaxy: string;
  /** How Galaxy consumes the rows; a scalar back-populate may be a list on profiles that declare it so. */
  readonly calls: ReaderCalls;
  /** The argument the query takes. */
  readonly argument: 'toolRequestId' | 'tesId' | 'icjId' | 'jobId' | 'wisId';
  readonly requires: readonly DeclaredColumn[];
  build(db: Kysely<GalaxyDatabase>): Compilable;
}

/** The argument every reader query takes. */
const arg = () => param<number>('arg');

export const READERS: readonly ReaderDefinition[] = [
  {
    id: 'ToolRequest.jobs',
    galaxy: 'ToolRequest.jobs (relationship, order_by Job.id)',
    calls: 'list',
    argument: 'toolRequestId',
    requires: [['job', 'tool_request_id']],
    build: (db) => db.selectFrom('job').select('id').where('tool_request_id', '=', arg()).orderBy('id'),
  },
  {
    id: 'ToolRequest.implicit_collections',
    galaxy: 'ToolRequest.implicit_collections (TRICA, upstream)',
    calls: 'list',
    argument: 'toolRequestId',
    requires: [['tool_request_implicit_collection_association', 'tool_request_id']],
    build: (db) =>
      db.selectFrom('tool_request_implicit_collection_association').select('dataset_collection_id as id').where('tool_request_id', '=', arg()).orderBy('id'),
  },
  {
    id: 'ToolExecutionState.tool_request',
    galaxy: 'ToolExecutionState.tool_request (back-populate)',
    calls: 'scalar',
    argument: 'tesId',
    requires: [['tool_request', 'tool_execution_state_id']],
    build: (db) => db.selectFrom('tool_request').select('id').where('tool_execution_state_id', '=', arg()).orderBy('id'),
  },
  {
    id: 'ToolExecutionState.job',
    galaxy: 'ToolExecutionState.job (back-populate; model/__init__.py:1485)',
    calls: 'scalar',
    argument: 'tesId',
    requires: [['job', 'tool_execution_state_id']],
    build: (db) => db.selectFrom('job').select('id').where('tool_execution_state_id', '=', arg()).orderBy('id'),
  },
  {
    id: 'ToolExecutionState.workflow_invocation_step',
    galaxy: 'ToolExecutionState.workflow_invocation_step (back-populate)',
    calls: 'scalar',
    argument: 'tesId',
    requires: [['workflow_invocation_step', 'tool_execution_state_id']],
    build: (db) => db.selectFrom('workflow_invocation_step').select('id').where('tool_execution_state_id', '=', arg()).orderBy('id'),
  },
  {
    id: 'ToolExecutionState.implicit_collection_jobs',
    galaxy: 'ToolExecutionState.implicit_collection_jobs (back-populate)',
    calls: 'scalar',
    argument: 'tesId',
    requires: [['implicit_collection_jobs', 'tool_execution_state_id']],
    build: (db) => db.selectFrom('implicit_collection_jobs').select('id').where('tool_execution_state_id', '=', arg()).orderBy('id'),
  },
  {
    id: 'ToolExecutionState.output_collections',
    galaxy: 'ToolExecutionState.output_collections (TEICA walk, branch)',
    calls: 'list',
    argument: 'tesId',
    requires: [['tool_execution_implicit_collection_association', 'tool_execution_state_id']],
    build: (db) =>
      db.selectFrom('tool_execution_implicit_collection_association').select('dataset_collection_id as id').where('tool_execution_state_id', '=', arg()).orderBy('id'),
  },
  {
    id: 'ImplicitCollectionJobs.job_list',
    galaxy: 'ImplicitCollectionJobs.job_list',
    calls: 'list',
    argument: 'icjId',
    requires: [['implicit_collection_jobs_job_association', 'implicit_collection_jobs_id']],
    build: (db) =>
      db
        .selectFrom('job')
        .innerJoin('implicit_collection_jobs_job_association as a', 'a.job_id', 'job.id')
        .select('job.id as id')
        .where('a.implicit_collection_jobs_id', '=', arg())
        .orderBy('a.order_index')
        .orderBy('job.id'),
  },
  {
    id: 'ImplicitCollectionJobs.representative_job',
    galaxy: 'ImplicitCollectionJobs.representative_job (.limit(1).one())',
    calls: 'one',
    argument: 'icjId',
    requires: [['implicit_collection_jobs_job_association', 'implicit_collection_jobs_id']],
    build: (db) =>
      db
        .selectFrom('job')
        .innerJoin('implicit_collection_jobs_job_association as a', 'a.job_id', 'job.id')
        .select('job.id as id')
        .where('a.implicit_collection_jobs_id', '=', arg())
        .orderBy('a.order_index')
        .orderBy('job.id')
        .limit(1),
  },
  {
    id: 'Job.implicit_collection_jobs_association',
    galaxy: 'Job.implicit_collection_jobs_association (uselist=False)',
    calls: 'scalar',
    argument: 'jobId',
    requires: [['implicit_collection_jobs_job_association', 'job_id']],
    build: (db) => db.selectFrom('implicit_collection_jobs_job_association').select('implicit_collection_jobs_id as id').where('job_id', '=', arg()).orderBy('id'),
  },
  {
    id: 'Job.workflow_invocation_step',
    galaxy: 'Job.workflow_invocation_step (uselist=False)',
    calls: 'scalar',
    argument: 'jobId',
    requires: [['workflow_invocation_step', 'job_id']],
    build: (db) => db.selectFrom('workflow_invocation_step').select('id').where('job_id', '=', arg()).orderBy('id'),
  },
  {
    id: 'Job.effective_workflow_invocation_step(via ICJ)',
    galaxy: 'Job.effective_workflow_invocation_step: select(WIS).where(WIS.implicit_collection_jobs_id == icj_id).scalar_one_or_none()',
    calls: 'one-or-none',
    argument: 'jobId',
    requires: [
      ['workflow_invocation_step', 'implicit_collection_jobs_id'],
      ['implicit_collection_jobs_job_association', 'job_id'],
    ],
    build: (db) =>
      db
        .selectFrom('workflow_invocation_step as s')
        .innerJoin('implicit_collection_jobs_job_association as a', 'a.implicit_collection_jobs_id', 's.implicit_collection_jobs_id')
        .select('s.id as id')
        .where('a.job_id', '=', arg())
        .orderBy('s.id'),
  },
  {
    id: 'WorkflowInvocationStep.implicit_collection_jobs.job_list',
    galaxy: 'WorkflowInvocationStep.jobs for a mapped step (icj.job_list)',
    calls: 'list',
    argument: 'wisId',
    requires: [['workflow_invocation_step', 'implicit_collection_jobs_id']],
    build: (db) =>
      db
        .selectFrom('workflow_invocation_step as s')
        .innerJoin('implicit_collection_jobs_job_association as a', 'a.implicit_collection_jobs_id', 's.implicit_collection_jobs_id')
        .select('a.job_id as id')
        .where('s.id', '=', arg())
        .orderBy('a.order_index')
        .orderBy('a.job_id'),
  },
];

export interface ReaderRequest extends QueryRequest {
  readonly reader: ReaderId;
}

const READERS_BY_ID = new Map(READERS.map((r) => [r.id, r] as const));

export function findReader(id: ReaderId): ReaderDefinition {
  const reader = READERS_BY_ID.get(id);
  if (reader === undefined) throw new Error(`unknown reader ${id}`);
  return reader;
}
