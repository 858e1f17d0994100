import { columnDef, type ColumnOf, type DeclaredTable } from './galaxy-schema.js';
import type { Migration, SchemaOp } from './schema-ops.js';

/**
 * Galaxy's schema for the tables the executor model writes, as a chain of
 * migrations named by Galaxy's alembic revision ids (galaxy-semantics §1,
 * lib/galaxy/model/migrations/alembic/versions_gxy/). The migrations are
 * typed operations on the declaration in galaxy-schema.ts: they name the
 * declared columns each revision creates, adds, tightens or drops, and the
 * declaration alone defines each column's type, nullability, foreign key and
 * index. A revision's state is its chain replayed (`schemaStateOf`).
 */

/** CREATE TABLE with `id` and the given declared columns, in that order. */
function createTable<T extends DeclaredTable>(table: T, columns: readonly Exclude<ColumnOf<T>, 'id'>[]): SchemaOp {
  return { op: 'createTable', table, columns: [columnDef(table, 'id' as ColumnOf<T>), ...columns.map((c) => columnDef(table, c))] };
}

function addColumn<T extends DeclaredTable>(table: T, column: ColumnOf<T>): SchemaOp {
  return { op: 'addColumn', table, column: columnDef(table, column) };
}

function dropColumn<T extends DeclaredTable>(table: T, column: ColumnOf<T>): SchemaOp {
  return { op: 'dropColumn', table, column };
}

function setNotNull<T extends DeclaredTable>(table: T, column: ColumnOf<T>): SchemaOp {
  return { op: 'setNotNull', table, column };
}

function addUniqueConstraint<T extends DeclaredTable>(name: string, table: T, columns: readonly ColumnOf<T>[], declaredInModel: boolean): SchemaOp {
  return { op: 'addUniqueConstraint', name, table, columns, declaredInModel };
}

/** The core tables as they were before Galaxy's alembic gxy branch began (e7b6dcb09efd is an empty base). */
const baseline: Migration = {
  revision: 'baseline',
  title: 'core tables that predate the alembic gxy branch (history, datasets, collections, jobs, ICJ, workflow invocations)',
  ops: [
    createTable('history', ['name']),
    createTable('dynamic_tool', ['uuid']),
    createTable('history_dataset_association', ['history_id', 'name']),
    createTable('dataset_collection', ['collection_type', 'populated_state', 'element_count']),
    createTable('dataset_collection_element', ['dataset_collection_id', 'hda_id', 'child_collection_id', 'element_index', 'element_identifier']),
    createTable('job', ['history_id', 'tool_id', 'state']),
    createTable('implicit_collection_jobs', ['populated_state']),
    createTable('history_dataset_collection_association', ['collection_id', 'history_id', 'name', 'job_id', 'implicit_collection_jobs_id', 'implicit_output_name']),
    createTable('implicit_collection_jobs_job_association', ['implicit_collection_jobs_id', 'job_id', 'order_index']),
    createTable('job_to_input_dataset', ['job_id', 'dataset_id', 'name']),
    createTable('job_to_input_dataset_collection', ['job_id', 'dataset_collection_id', 'name']),
    createTable('job_to_input_dataset_collection_element', ['job_id', 'dataset_collection_element_id', 'name']),
    createTable('job_to_output_dataset', ['job_id', 'dataset_id', 'name']),
    createTable('job_to_output_dataset_collection', ['job_id', 'dataset_collection_id', 'name']),
    createTable('job_to_implicit_output_dataset_collection', ['job_id', 'dataset_collection_id', 'name']),
    createTable('implicitly_created_dataset_collection_inputs', ['dataset_collection_id', 'input_dataset_collection_id', 'name']),
    createTable('workflow', ['name']),
    createTable('workflow_step', ['workflow_id', 'type', 'order_index', 'label', 'subworkflow_id']),
    createTable('workflow_output', ['workflow_step_id', 'output_name', 'label']),
    createTable('workflow_invocation', ['workflow_id', 'history_id', 'state']),
    createTable('workflow_request_step_states', ['workflow_invocation_id', 'workflow_step_id', 'value']),
    createTable('workflow_request_input_parameters', ['workflow_invocation_id', 'name', 'value', 'type']),
    createTable('workflow_request_to_input_dataset', ['name', 'workflow_invocation_id', 'workflow_step_id', 'dataset_id']),
    createTable('workflow_request_to_input_collection_dataset', ['name', 'workflow_invocation_id', 'workflow_step_id', 'dataset_collection_id']),
    createTable('workflow_request_input_step_parameter', ['workflow_invocation_id', 'workflow_step_id', 'parameter_value']),
    createTable('workflow_invocation_to_subworkflow_invocation_association', ['workflow_invocation_id', 'subworkflow_invocation_id', 'workflow_step_id']),
    createTable('workflow_invocation_message', ['workflow_invocation_id', 'reason', 'details', 'output_name', 'workflow_step_id', 'dependent_workflow_step_id', 'job_id', 'hda_id', 'hdca_id']),
    createTable('workflow_invocation_step', ['workflow_invocation_id', 'workflow_step_id', 'state', 'job_id', 'implicit_collection_jobs_id', 'action']),
    createTable('workflow_invocation_step_output_dataset_association', ['workflow_invocation_step_id', 'dataset_id', 'output_name']),
    createTable('workflow_invocation_step_output_dataset_collection_association', ['workflow_invocation_step_id', 'dataset_collection_id', 'output_name']),
    createTable('workflow_invocation_output_dataset_association', ['workflow_invocation_id', 'workflow_step_id', 'dataset_id', 'workflow_output_id']),
    createTable('workflow_invocation_output_dataset_collection_association', ['workflow_invocation_id', 'workflow_step_id', 'dataset_collection_id', 'workflow_output_id']),
  ],
};

/** 7ffd33d5d144 "implement structured tool state": tool_source, tool_request, job.tool_request_id. */
const structuredToolState: Migration = {
  revision: '7ffd33d5d144',
  title: 'implement structured tool state (tool_source, tool_request, job.tool_request_id)',
  ops: [
    createTable('tool_source', ['hash', 'source']),
    createTable('tool_request', ['request', 'state', 'state_message', 'tool_source_id', 'history_id']),
    addColumn('job', 'tool_request_id'),
  ],
};

/** 1d1d7bf6ac02 "Track tool request implicit output collections" (TRICA). */
const toolRequestImplicitOutputs: Migration = {
  revision: '1d1d7bf6ac02',
  title: 'track tool request implicit output collections (TRICA)',
  ops: [
    createTable('tool_request_implicit_collection_association', ['tool_request_id', 'dataset_collection_id', 'output_name']),
  ],
};

/** 0b49ffb1e890: tool identity columns on tool_source (branch). */
const toolSourceIdentity: Migration = {
  revision: '0b49ffb1e890',
  title: 'tool identity columns on tool_source (tool_id, tool_version, dynamic_tool_id)',
  ops: [
    addColumn('tool_source', 'tool_id'),
    addColumn('tool_source', 'tool_version'),
    addColumn('tool_source', 'dynamic_tool_id'),
  ],
};

const TES_PEERS = ['tool_request', 'job', 'workflow_invocation_step', 'implicit_collection_jobs'] as const;

/** 28885b317f78 "Add tool_execution_state table, execution-state FKs, and backfill from tool_request" (branch). */
const addToolExecutionState: Migration = {
  revision: '28885b317f78',
  title: 'add tool_execution_state, the four execution-state FKs, and backfill from tool_request',
  ops: [
    createTable('tool_execution_state', ['create_time', 'update_time', 'request', 'state']),
    ...TES_PEERS.map((t) => addColumn(t, 'tool_execution_state_id')),
    sql(
      'mint one TES per tool request, reusing its id',
      "INSERT INTO tool_execution_state (id, request, state, create_time, update_time) SELECT id, request, 'validated', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM tool_request WHERE request IS NOT NULL",
    ),
    sql('point tool requests at their TES', 'UPDATE tool_request SET tool_execution_state_id = id WHERE request IS NOT NULL'),
    sql('stamp every job of a tool request with its TES', 'UPDATE job SET tool_execution_state_id = tool_request_id WHERE tool_request_id IN (SELECT id FROM tool_execution_state)'),
    sql(
      'move the TES of mapped jobs onto their ICJ when they agree',
      'UPDATE implicit_collection_jobs SET tool_execution_state_id = (SELECT MIN(j.tool_execution_state_id) FROM implicit_collection_jobs_job_association a JOIN job j ON j.id = a.job_id WHERE a.implicit_collection_jobs_id = implicit_collection_jobs.id AND j.tool_execution_state_id IS NOT NULL GROUP BY a.implicit_collection_jobs_id HAVING COUNT(DISTINCT j.tool_execution_state_id) = 1)',
    ),
    sql(
      'clear the TES of jobs whose ICJ carries it',
      'UPDATE job SET tool_execution_state_id = NULL WHERE id IN (SELECT a.job_id FROM implicit_collection_jobs_job_association a JOIN implicit_collection_jobs icj ON icj.id = a.implicit_collection_jobs_id WHERE icj.tool_execution_state_id IS NOT NULL)',
    ),
    {
      op: 'sql',
      purpose: 'advance the TES id sequence',
      sqlite: '',
      postgres: "SELECT setval(pg_get_serial_sequence('tool_execution_state', 'id'), MAX(id)) FROM tool_execution_state HAVING MAX(id) IS NOT NULL",
    },
    dropColumn('tool_request', 'request'),
  ],
};

/**
 * 29fe58dda936: identity_hash on tool_source, deduplicated, then unique. The
 * branch hashes identities with sha256 in Python; the SQL here builds the same
 * identity as readable text. Where `source_class` is added could not be
 * located; it is added here.
 */
const toolSourceIdentityHash: Migration = {
  revision: '29fe58dda936',
  title: 'tool_source identity_hash, deduplicated and unique (hash, source_class, identity_hash)',
  ops: [
    addColumn('tool_source', 'source_class'),
    addColumn('tool_source', 'identity_hash'),
    sql(
      'backfill identity_hash',
      "UPDATE tool_source SET identity_hash = CASE WHEN dynamic_tool_id IS NOT NULL THEN 'dynamic:' || dynamic_tool_id ELSE 'static:' || COALESCE(tool_id, '') || ':' || COALESCE(tool_version, '') END",
    ),
    setNotNull('tool_source', 'identity_hash'),
    {
      op: 'sql',
      purpose: 'repoint tool requests to the surviving tool source',
      sqlite:
        'UPDATE tool_request SET tool_source_id = (SELECT MIN(t2.id) FROM tool_source t1 JOIN tool_source t2 ON t2.hash IS t1.hash AND t2.source_class IS t1.source_class AND t2.identity_hash = t1.identity_hash WHERE t1.id = tool_request.tool_source_id) WHERE tool_source_id IS NOT NULL',
      postgres:
        'UPDATE tool_request SET tool_source_id = (SELECT MIN(t2.id) FROM tool_source t1 JOIN tool_source t2 ON t2.hash IS NOT DISTINCT FROM t1.hash AND t2.source_class IS NOT DISTINCT FROM t1.source_class AND t2.identity_hash = t1.identity_hash WHERE t1.id = tool_request.tool_source_id) WHERE tool_source_id IS NOT NULL',
    },
    sql('delete duplicate tool sources', 'DELETE FROM tool_source WHERE id NOT IN (SELECT MIN(id) FROM tool_source GROUP BY hash, source_class, identity_hash)'),
    addUniqueConstraint('uq_tool_source_hash_source_class_identity_hash', 'tool_source', ['hash', 'source_class', 'identity_hash'], true),
  ],
};

/** 395148707459 "Move tool_source_id from tool_request to tool_execution_state". */
const moveToolSource: Migration = {
  revision: '395148707459',
  title: 'move tool_source_id from tool_request to tool_execution_state',
  ops: [
    addColumn('tool_execution_state', 'tool_source_id'),
    sql(
      'copy each TES its tool request’s tool source',
      'UPDATE tool_execution_state SET tool_source_id = (SELECT tool_request.tool_source_id FROM tool_request WHERE tool_request.tool_execution_state_id = tool_execution_state.id LIMIT 1) WHERE EXISTS (SELECT 1 FROM tool_request WHERE tool_request.tool_execution_state_id = tool_execution_state.id)',
    ),
    sql(
      'unlink invocation steps from TES rows without a tool source',
      'UPDATE workflow_invocation_step SET tool_execution_state_id = NULL WHERE tool_execution_state_id IN (SELECT id FROM tool_execution_state WHERE tool_source_id IS NULL)',
    ),
    sql('delete TES rows without a tool source', 'DELETE FROM tool_execution_state WHERE tool_source_id IS NULL'),
    setNotNull('tool_execution_state', 'tool_source_id'),
    dropColumn('tool_request', 'tool_source_id'),
  ],
};

function replaceTricaWithTeica(uniqueTables: readonly (typeof TES_PEERS)[number][], title: string): Migration {
  return {
    revision: '10c4cd393d5a',
    title,
    ops: [
      createTable('tool_execution_implicit_collection_association', ['tool_execution_state_id', 'dataset_collection_id', 'output_name']),
      sql(
        'backfill TEICA from TRICA through the tool request’s TES',
        'INSERT INTO tool_execution_implicit_collection_association (tool_execution_state_id, dataset_collection_id, output_name) SELECT tr.tool_execution_state_id, trica.dataset_collection_id, trica.output_name FROM tool_request_implicit_collection_association trica JOIN tool_request tr ON tr.id = trica.tool_request_id WHERE tr.tool_execution_state_id IS NOT NULL',
      ),
      { op: 'dropTable', table: 'tool_request_implicit_collection_association' },
      ...uniqueTables.map((t) => addUniqueConstraint(`uq_${t}_tool_execution_state_id`, t, ['tool_execution_state_id'], false)),
    ],
  };
}

function sql(purpose: string, statement: string): SchemaOp {
  return { op: 'sql', purpose, sqlite: statement, postgres: statement };
}

/** Public Galaxy: tool requests and TRICA, no execution state. */
export const UPSTREAM_MIGRATIONS: readonly Migration[] = [baseline, structuredToolState, toolRequestImplicitOutputs];

const BRANCH_PREFIX: readonly Migration[] = [...UPSTREAM_MIGRATIONS, toolSourceIdentity, addToolExecutionState, toolSourceIdentityHash, moveToolSource];

/** jmchilton/galaxy@1f87eebce: TES-keyed TEICA and UNIQUE(tool_execution_state_id) on all four peers. */
export const BRANCH_1F87EEBCE_MIGRATIONS: readonly Migration[] = [
  ...BRANCH_PREFIX,
  replaceTricaWithTeica(TES_PEERS, 'replace TRICA with TES-keyed TEICA; UNIQUE(tool_execution_state_id) on tool_request, job, implicit_collection_jobs, workflow_invocation_step'),
];

/** The ledger's fix: 10c4cd393d5a without the job UNIQUE. */
export const BRANCH_FIXED_MIGRATIONS: readonly Migration[] = [
  ...BRANCH_PREFIX,
  replaceTricaWithTeica(
    TES_PEERS.filter((t) => t !== 'job'),
    'replace TRICA with TES-keyed TEICA; UNIQUE(tool_execution_state_id) on tool_request, implicit_collection_jobs, workflow_invocation_step (job left 1:N, the ledger’s fix)',
  ),
];
