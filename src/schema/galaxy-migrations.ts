import type { ColumnDef, Migration, SchemaOp } from './schema-ops.js';

/**
 * Galaxy's schema for the tables the executor model writes, as a chain of
 * migrations named by Galaxy's alembic revision ids (galaxy-semantics §1,
 * lib/galaxy/model/migrations/alembic/versions_gxy/). Only the columns that
 * matter for cardinality are modelled; constraint names follow Galaxy's
 * (`<table>_<column>_fkey`, `ix_<table>_<column>`, and the names the
 * migrations give).
 */

const id: ColumnDef = { name: 'id', type: 'integer', primaryKey: true, nullable: false };

function ref(child: string, column: string, parent: string, options: { nullable?: boolean; index?: boolean; fkName?: string } = {}): ColumnDef {
  return {
    name: column,
    type: 'integer',
    nullable: options.nullable ?? true,
    index: options.index ?? true,
    references: { table: parent, name: options.fkName ?? `${child}_${column}_fkey` },
  };
}

function str(name: string, length = 255, nullable = true): ColumnDef {
  return { name, type: 'string', length, nullable };
}

function table(name: string, columns: readonly ColumnDef[]): SchemaOp {
  return { op: 'createTable', table: name, columns: [id, ...columns] };
}

/** The core tables as they were before Galaxy's alembic gxy branch began (e7b6dcb09efd is an empty base). */
const baseline: Migration = {
  revision: 'baseline',
  title: 'core tables that predate the alembic gxy branch (history, datasets, collections, jobs, ICJ, workflow invocations)',
  ops: [
    table('history', [str('name')]),
    table('dynamic_tool', [str('uuid', 32)]),
    table('history_dataset_association', [ref('history_dataset_association', 'history_id', 'history'), str('name')]),
    table('dataset_collection', [str('collection_type', 255, false), str('populated_state', 64, false), { name: 'element_count', type: 'integer' }]),
    table('dataset_collection_element', [
      ref('dataset_collection_element', 'dataset_collection_id', 'dataset_collection', { nullable: false }),
      ref('dataset_collection_element', 'hda_id', 'history_dataset_association'),
      ref('dataset_collection_element', 'child_collection_id', 'dataset_collection'),
      { name: 'element_index', type: 'integer' },
      str('element_identifier'),
    ]),
    table('job', [ref('job', 'history_id', 'history'), str('tool_id'), { ...str('state', 64), index: true }]),
    table('implicit_collection_jobs', [str('populated_state', 64, false)]),
    table('history_dataset_collection_association', [
      ref('history_dataset_collection_association', 'collection_id', 'dataset_collection'),
      ref('history_dataset_collection_association', 'history_id', 'history'),
      str('name'),
      ref('history_dataset_collection_association', 'job_id', 'job'),
      ref('history_dataset_collection_association', 'implicit_collection_jobs_id', 'implicit_collection_jobs'),
      str('implicit_output_name'),
    ]),
    table('implicit_collection_jobs_job_association', [
      ref('implicit_collection_jobs_job_association', 'implicit_collection_jobs_id', 'implicit_collection_jobs'),
      ref('implicit_collection_jobs_job_association', 'job_id', 'job'),
      { name: 'order_index', type: 'integer', nullable: false },
    ]),
    table('job_to_input_dataset', [ref('job_to_input_dataset', 'job_id', 'job'), ref('job_to_input_dataset', 'dataset_id', 'history_dataset_association'), str('name')]),
    table('job_to_input_dataset_collection', [
      ref('job_to_input_dataset_collection', 'job_id', 'job'),
      ref('job_to_input_dataset_collection', 'dataset_collection_id', 'history_dataset_collection_association'),
      str('name'),
    ]),
    table('job_to_input_dataset_collection_element', [
      ref('job_to_input_dataset_collection_element', 'job_id', 'job'),
      ref('job_to_input_dataset_collection_element', 'dataset_collection_element_id', 'dataset_collection_element'),
      str('name'),
    ]),
    table('job_to_output_dataset', [ref('job_to_output_dataset', 'job_id', 'job'), ref('job_to_output_dataset', 'dataset_id', 'history_dataset_association'), str('name')]),
    table('job_to_output_dataset_collection', [
      ref('job_to_output_dataset_collection', 'job_id', 'job'),
      ref('job_to_output_dataset_collection', 'dataset_collection_id', 'history_dataset_collection_association'),
      str('name'),
    ]),
    table('job_to_implicit_output_dataset_collection', [
      ref('job_to_implicit_output_dataset_collection', 'job_id', 'job'),
      ref('job_to_implicit_output_dataset_collection', 'dataset_collection_id', 'dataset_collection'),
      str('name'),
    ]),
    table('implicitly_created_dataset_collection_inputs', [
      ref('implicitly_created_dataset_collection_inputs', 'dataset_collection_id', 'history_dataset_collection_association'),
      ref('implicitly_created_dataset_collection_inputs', 'input_dataset_collection_id', 'history_dataset_collection_association'),
      str('name'),
    ]),
    table('workflow', [str('name')]),
    table('workflow_step', [ref('workflow_step', 'workflow_id', 'workflow', { nullable: false }), str('type', 64)]),
    table('workflow_invocation', [
      ref('workflow_invocation', 'workflow_id', 'workflow', { nullable: false }),
      ref('workflow_invocation', 'history_id', 'history'),
      str('state', 64),
    ]),
    table('workflow_invocation_step', [
      ref('workflow_invocation_step', 'workflow_invocation_id', 'workflow_invocation', { nullable: false }),
      ref('workflow_invocation_step', 'workflow_step_id', 'workflow_step', { nullable: false }),
      { ...str('state', 64), index: true },
      ref('workflow_invocation_step', 'job_id', 'job'),
      ref('workflow_invocation_step', 'implicit_collection_jobs_id', 'implicit_collection_jobs'),
      { name: 'action', type: 'json' },
    ]),
    table('workflow_invocation_step_output_dataset_association', [
      ref('workflow_invocation_step_output_dataset_association', 'workflow_invocation_step_id', 'workflow_invocation_step'),
      ref('workflow_invocation_step_output_dataset_association', 'dataset_id', 'history_dataset_association'),
      str('output_name'),
    ]),
    table('workflow_invocation_step_output_dataset_collection_association', [
      ref('workflow_invocation_step_output_dataset_collection_association', 'workflow_invocation_step_id', 'workflow_invocation_step'),
      ref('workflow_invocation_step_output_dataset_collection_association', 'dataset_collection_id', 'history_dataset_collection_association'),
      str('output_name'),
    ]),
  ],
};

/** 7ffd33d5d144 "implement structured tool state": tool_source, tool_request, job.tool_request_id. */
const structuredToolState: Migration = {
  revision: '7ffd33d5d144',
  title: 'implement structured tool state (tool_source, tool_request, job.tool_request_id)',
  ops: [
    table('tool_source', [{ ...str('hash'), index: true }, { name: 'source', type: 'json' }]),
    table('tool_request', [
      { name: 'request', type: 'json' },
      str('state', 32),
      { name: 'state_message', type: 'json' },
      ref('tool_request', 'tool_source_id', 'tool_source', { fkName: 'foreign_key_tool_source_id' }),
      ref('tool_request', 'history_id', 'history', { fkName: 'foreign_key_history_id' }),
    ]),
    { op: 'addColumn', table: 'job', column: ref('job', 'tool_request_id', 'tool_request', { fkName: 'foreign_key_tool_request_id' }) },
  ],
};

/** 1d1d7bf6ac02 "Track tool request implicit output collections" (TRICA). */
const toolRequestImplicitOutputs: Migration = {
  revision: '1d1d7bf6ac02',
  title: 'track tool request implicit output collections (TRICA)',
  ops: [
    table('tool_request_implicit_collection_association', [
      ref('tool_request_implicit_collection_association', 'tool_request_id', 'tool_request', { fkName: 'fk_trica_tri' }),
      ref('tool_request_implicit_collection_association', 'dataset_collection_id', 'history_dataset_collection_association', { fkName: 'fk_trica_dci' }),
      str('output_name', 255, false),
    ]),
  ],
};

/** 0b49ffb1e890: tool identity columns on tool_source (branch). */
const toolSourceIdentity: Migration = {
  revision: '0b49ffb1e890',
  title: 'tool identity columns on tool_source (tool_id, tool_version, dynamic_tool_id)',
  ops: [
    { op: 'addColumn', table: 'tool_source', column: { ...str('tool_id'), index: true } },
    { op: 'addColumn', table: 'tool_source', column: str('tool_version') },
    { op: 'addColumn', table: 'tool_source', column: ref('tool_source', 'dynamic_tool_id', 'dynamic_tool') },
  ],
};

const TES_PEERS = ['tool_request', 'job', 'workflow_invocation_step', 'implicit_collection_jobs'] as const;

/** 28885b317f78 "Add tool_execution_state table, execution-state FKs, and backfill from tool_request" (branch). */
const addToolExecutionState: Migration = {
  revision: '28885b317f78',
  title: 'add tool_execution_state, the four execution-state FKs, and backfill from tool_request',
  ops: [
    {
      op: 'createTable',
      table: 'tool_execution_state',
      columns: [id, { name: 'create_time', type: 'datetime' }, { name: 'update_time', type: 'datetime' }, { name: 'request', type: 'json' }, { ...str('state', 32), index: true }],
    },
    ...TES_PEERS.map((t): SchemaOp => ({ op: 'addColumn', table: t, column: ref(t, 'tool_execution_state_id', 'tool_execution_state') })),
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
    { op: 'dropColumn', table: 'tool_request', column: 'request' },
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
    { op: 'addColumn', table: 'tool_source', column: str('source_class') },
    { op: 'addColumn', table: 'tool_source', column: str('identity_hash') },
    sql(
      'backfill identity_hash',
      "UPDATE tool_source SET identity_hash = CASE WHEN dynamic_tool_id IS NOT NULL THEN 'dynamic:' || dynamic_tool_id ELSE 'static:' || COALESCE(tool_id, '') || ':' || COALESCE(tool_version, '') END",
    ),
    { op: 'setNotNull', table: 'tool_source', column: 'identity_hash' },
    {
      op: 'sql',
      purpose: 'repoint tool requests to the surviving tool source',
      sqlite:
        'UPDATE tool_request SET tool_source_id = (SELECT MIN(t2.id) FROM tool_source t1 JOIN tool_source t2 ON t2.hash IS t1.hash AND t2.source_class IS t1.source_class AND t2.identity_hash = t1.identity_hash WHERE t1.id = tool_request.tool_source_id) WHERE tool_source_id IS NOT NULL',
      postgres:
        'UPDATE tool_request SET tool_source_id = (SELECT MIN(t2.id) FROM tool_source t1 JOIN tool_source t2 ON t2.hash IS NOT DISTINCT FROM t1.hash AND t2.source_class IS NOT DISTINCT FROM t1.source_class AND t2.identity_hash = t1.identity_hash WHERE t1.id = tool_request.tool_source_id) WHERE tool_source_id IS NOT NULL',
    },
    sql('delete duplicate tool sources', 'DELETE FROM tool_source WHERE id NOT IN (SELECT MIN(id) FROM tool_source GROUP BY hash, source_class, identity_hash)'),
    { op: 'addUniqueConstraint', name: 'uq_tool_source_hash_source_class_identity_hash', table: 'tool_source', columns: ['hash', 'source_class', 'identity_hash'], declaredInModel: true },
  ],
};

/** 395148707459 "Move tool_source_id from tool_request to tool_execution_state". */
const moveToolSource: Migration = {
  revision: '395148707459',
  title: 'move tool_source_id from tool_request to tool_execution_state',
  ops: [
    { op: 'addColumn', table: 'tool_execution_state', column: ref('tool_execution_state', 'tool_source_id', 'tool_source') },
    sql(
      'copy each TES its tool request’s tool source',
      'UPDATE tool_execution_state SET tool_source_id = (SELECT tool_request.tool_source_id FROM tool_request WHERE tool_request.tool_execution_state_id = tool_execution_state.id LIMIT 1) WHERE EXISTS (SELECT 1 FROM tool_request WHERE tool_request.tool_execution_state_id = tool_execution_state.id)',
    ),
    sql(
      'unlink invocation steps from TES rows without a tool source',
      'UPDATE workflow_invocation_step SET tool_execution_state_id = NULL WHERE tool_execution_state_id IN (SELECT id FROM tool_execution_state WHERE tool_source_id IS NULL)',
    ),
    sql('delete TES rows without a tool source', 'DELETE FROM tool_execution_state WHERE tool_source_id IS NULL'),
    { op: 'setNotNull', table: 'tool_execution_state', column: 'tool_source_id' },
    { op: 'dropColumn', table: 'tool_request', column: 'tool_source_id' },
  ],
};

function replaceTricaWithTeica(uniqueTables: readonly string[], title: string): Migration {
  return {
    revision: '10c4cd393d5a',
    title,
    ops: [
      table('tool_execution_implicit_collection_association', [
        ref('tool_execution_implicit_collection_association', 'tool_execution_state_id', 'tool_execution_state', { nullable: false, fkName: 'fk_teica_tesi' }),
        ref('tool_execution_implicit_collection_association', 'dataset_collection_id', 'history_dataset_collection_association', { nullable: false, fkName: 'fk_teica_dci' }),
        str('output_name', 255, false),
      ]),
      sql(
        'backfill TEICA from TRICA through the tool request’s TES',
        'INSERT INTO tool_execution_implicit_collection_association (tool_execution_state_id, dataset_collection_id, output_name) SELECT tr.tool_execution_state_id, trica.dataset_collection_id, trica.output_name FROM tool_request_implicit_collection_association trica JOIN tool_request tr ON tr.id = trica.tool_request_id WHERE tr.tool_execution_state_id IS NOT NULL',
      ),
      { op: 'dropTable', table: 'tool_request_implicit_collection_association' },
      ...uniqueTables.map(
        (t): SchemaOp => ({ op: 'addUniqueConstraint', name: `uq_${t}_tool_execution_state_id`, table: t, columns: ['tool_execution_state_id'], declaredInModel: false }),
      ),
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
