/**
 * The Galaxy tables the executor model writes, and the columns it writes into
 * each (its "layout"). Columns a schema has beyond these get their defaults.
 * Two executor variants differ in columns: upstream (tool request without a
 * ToolExecutionState, TRICA) and the workflow_state_backfill branch (TES,
 * TEICA).
 */

export const TABLE_NAMES = [
  'history',
  'history_dataset_association',
  'dataset_collection',
  'dataset_collection_element',
  'history_dataset_collection_association',
  'tool_source',
  'tool_execution_state',
  'tool_request',
  'job',
  'implicit_collection_jobs',
  'implicit_collection_jobs_job_association',
  'tool_request_implicit_collection_association',
  'tool_execution_implicit_collection_association',
  'job_to_input_dataset',
  'job_to_input_dataset_collection',
  'job_to_input_dataset_collection_element',
  'job_to_output_dataset',
  'job_to_output_dataset_collection',
  'job_to_implicit_output_dataset_collection',
  'implicitly_created_dataset_collection_inputs',
  'workflow',
  'workflow_step',
  'workflow_invocation',
  'workflow_invocation_step',
  'workflow_invocation_step_output_dataset_association',
  'workflow_invocation_step_output_dataset_collection_association',
] as const;

export type TableName = (typeof TABLE_NAMES)[number];

/** A cell value the executor writes: integers, text (JSON as text) or NULL. */
export type Cell = number | string | null;

export type ExecutionStateVariant = 'none' | 'tes';
export type OutputCollectionLink = 'trica' | 'teica';

export interface TableLayout {
  readonly table: TableName;
  readonly columns: readonly string[];
  readonly index: ReadonlyMap<string, number>;
}

export type Layouts = Readonly<Record<TableName, TableLayout>>;

function layout(table: TableName, columns: readonly string[]): TableLayout {
  return { table, columns, index: new Map(columns.map((c, i) => [c, i])) };
}

/** The columns written per table for an executor variant. */
export function tableLayouts(variant: ExecutionStateVariant): Layouts {
  const tes = variant === 'tes';
  const columns: Record<TableName, readonly string[]> = {
    history: ['id', 'name'],
    history_dataset_association: ['id', 'history_id', 'name'],
    dataset_collection: ['id', 'collection_type', 'populated_state', 'element_count'],
    dataset_collection_element: ['id', 'dataset_collection_id', 'hda_id', 'child_collection_id', 'element_index', 'element_identifier'],
    history_dataset_collection_association: ['id', 'collection_id', 'history_id', 'name', 'job_id', 'implicit_collection_jobs_id', 'implicit_output_name'],
    tool_source: tes ? ['id', 'hash', 'source', 'source_class', 'identity_hash', 'tool_id', 'tool_version'] : ['id', 'hash', 'source'],
    tool_execution_state: ['id', 'request', 'state', 'tool_source_id'],
    tool_request: tes ? ['id', 'history_id', 'state', 'tool_execution_state_id'] : ['id', 'request', 'state', 'tool_source_id', 'history_id'],
    job: tes ? ['id', 'history_id', 'tool_id', 'state', 'tool_request_id', 'tool_execution_state_id'] : ['id', 'history_id', 'tool_id', 'state', 'tool_request_id'],
    implicit_collection_jobs: tes ? ['id', 'populated_state', 'tool_execution_state_id'] : ['id', 'populated_state'],
    implicit_collection_jobs_job_association: ['id', 'implicit_collection_jobs_id', 'job_id', 'order_index'],
    tool_request_implicit_collection_association: ['id', 'tool_request_id', 'dataset_collection_id', 'output_name'],
    tool_execution_implicit_collection_association: ['id', 'tool_execution_state_id', 'dataset_collection_id', 'output_name'],
    job_to_input_dataset: ['id', 'job_id', 'dataset_id', 'name'],
    job_to_input_dataset_collection: ['id', 'job_id', 'dataset_collection_id', 'name'],
    job_to_input_dataset_collection_element: ['id', 'job_id', 'dataset_collection_element_id', 'name'],
    job_to_output_dataset: ['id', 'job_id', 'dataset_id', 'name'],
    job_to_output_dataset_collection: ['id', 'job_id', 'dataset_collection_id', 'name'],
    job_to_implicit_output_dataset_collection: ['id', 'job_id', 'dataset_collection_id', 'name'],
    implicitly_created_dataset_collection_inputs: ['id', 'dataset_collection_id', 'input_dataset_collection_id', 'name'],
    workflow: ['id', 'name'],
    workflow_step: ['id', 'workflow_id', 'type'],
    workflow_invocation: ['id', 'workflow_id', 'history_id', 'state'],
    workflow_invocation_step: tes
      ? ['id', 'workflow_invocation_id', 'workflow_step_id', 'state', 'job_id', 'implicit_collection_jobs_id', 'tool_execution_state_id']
      : ['id', 'workflow_invocation_id', 'workflow_step_id', 'state', 'job_id', 'implicit_collection_jobs_id'],
    workflow_invocation_step_output_dataset_association: ['id', 'workflow_invocation_step_id', 'dataset_id', 'output_name'],
    workflow_invocation_step_output_dataset_collection_association: ['id', 'workflow_invocation_step_id', 'dataset_collection_id', 'output_name'],
  };
  return Object.fromEntries(TABLE_NAMES.map((t) => [t, layout(t, columns[t])])) as Layouts;
}
