import type { ColumnDef, ColumnType } from './schema-ops.js';

/**
 * Galaxy's tables as cardfuzz models them, declared once: every table and
 * column that any modelled revision has (galaxy-semantics §1,
 * lib/galaxy/model/__init__.py and the alembic revisions in
 * lib/galaxy/model/migrations/alembic/versions_gxy/), with its type,
 * nullability as created, foreign key and index. Everything else is derived
 * from this declaration:
 *
 * - the migrations' DDL (galaxy-migrations.ts names columns, this file
 *   defines them; each revision's state is the migrations replayed);
 * - the executor's row layouts (executor/tables.ts);
 * - the snapshot scans and reader queries, typed through `GalaxyDatabase`;
 * - typed writes (`UnitOfWork.add(table, id, cells)` accepts only declared
 *   columns, with values of their type).
 *
 * Only the columns that matter for cardinality are modelled. Constraint names
 * follow Galaxy's (`<table>_<column>_fkey`, `ix_<table>_<column>`, or the name
 * the migration gives).
 */

export interface ColumnSpec {
  readonly type: ColumnType;
  readonly length?: number;
  /** As the column is created; a later `setNotNull` migration op may tighten it. Default true. */
  readonly nullable?: boolean;
  readonly primaryKey?: boolean;
  /** A foreign key to `<table>.id`; its constraint is named `fkName` or `<table>_<column>_fkey`. */
  readonly references?: { readonly table: string; readonly fkName?: string };
  /** Creates the index `ix_<table>_<column>`. */
  readonly index?: boolean;
  /** False for a column the executor model never writes (it keeps its default). */
  readonly written?: false;
}

export interface TableSpec {
  readonly columns: { readonly id: ColumnSpec } & Readonly<Record<string, ColumnSpec>>;
  /** False for a table the executor model never writes. */
  readonly written?: false;
}

const id = { type: 'integer', primaryKey: true, nullable: false } as const;

function fk<P extends string>(table: P): { readonly type: 'integer'; readonly index: true; readonly references: { readonly table: P } };
function fk<P extends string, O extends { readonly nullable?: boolean; readonly fkName?: string }>(
  table: P,
  options: O,
): { readonly type: 'integer'; readonly index: true; readonly nullable: O['nullable'] extends false ? false : true; readonly references: { readonly table: P; readonly fkName?: string } };
function fk(table: string, options: { readonly nullable?: boolean; readonly fkName?: string } = {}): ColumnSpec {
  return {
    type: 'integer',
    index: true,
    ...(options.nullable === false ? { nullable: false } : {}),
    references: options.fkName === undefined ? { table } : { table, fkName: options.fkName },
  };
}

const str = (length = 255) => ({ type: 'string', length }) as const;
const requiredStr = (length = 255) => ({ type: 'string', length, nullable: false }) as const;
const int = { type: 'integer' } as const;
const json = { type: 'json' } as const;

export const GALAXY_SCHEMA = {
  history: { columns: { id, name: str() } },
  dynamic_tool: { columns: { id, uuid: str(32) }, written: false },
  history_dataset_association: { columns: { id, history_id: fk('history'), name: str() } },
  dataset_collection: { columns: { id, collection_type: requiredStr(), populated_state: requiredStr(64), element_count: int } },
  dataset_collection_element: {
    columns: {
      id,
      dataset_collection_id: fk('dataset_collection', { nullable: false }),
      hda_id: fk('history_dataset_association'),
      child_collection_id: fk('dataset_collection'),
      element_index: int,
      element_identifier: str(),
    },
  },
  history_dataset_collection_association: {
    columns: {
      id,
      collection_id: fk('dataset_collection'),
      history_id: fk('history'),
      name: str(),
      job_id: fk('job'),
      implicit_collection_jobs_id: fk('implicit_collection_jobs'),
      implicit_output_name: str(),
    },
  },
  tool_source: {
    columns: {
      id,
      hash: { ...str(), index: true },
      source: json,
      source_class: str(),
      identity_hash: str(),
      tool_id: { ...str(), index: true },
      tool_version: str(),
      dynamic_tool_id: { ...fk('dynamic_tool'), written: false },
    },
  },
  tool_execution_state: {
    columns: {
      id,
      create_time: { type: 'datetime', written: false },
      update_time: { type: 'datetime', written: false },
      request: json,
      state: { ...str(32), index: true },
      tool_source_id: fk('tool_source'),
    },
  },
  tool_request: {
    columns: {
      id,
      request: json,
      state: str(32),
      state_message: { ...json, written: false },
      tool_source_id: fk('tool_source', { fkName: 'foreign_key_tool_source_id' }),
      history_id: fk('history', { fkName: 'foreign_key_history_id' }),
      tool_execution_state_id: fk('tool_execution_state'),
    },
  },
  job: {
    columns: {
      id,
      history_id: fk('history'),
      tool_id: str(),
      state: { ...str(64), index: true },
      tool_request_id: fk('tool_request', { fkName: 'foreign_key_tool_request_id' }),
      tool_execution_state_id: fk('tool_execution_state'),
    },
  },
  implicit_collection_jobs: { columns: { id, populated_state: requiredStr(64), tool_execution_state_id: fk('tool_execution_state') } },
  implicit_collection_jobs_job_association: {
    columns: { id, implicit_collection_jobs_id: fk('implicit_collection_jobs'), job_id: fk('job'), order_index: { type: 'integer', nullable: false } },
  },
  tool_request_implicit_collection_association: {
    columns: {
      id,
      tool_request_id: fk('tool_request', { fkName: 'fk_trica_tri' }),
      dataset_collection_id: fk('history_dataset_collection_association', { fkName: 'fk_trica_dci' }),
      output_name: requiredStr(),
    },
  },
  tool_execution_implicit_collection_association: {
    columns: {
      id,
      tool_execution_state_id: fk('tool_execution_state', { nullable: false, fkName: 'fk_teica_tesi' }),
      dataset_collection_id: fk('history_dataset_collection_association', { nullable: false, fkName: 'fk_teica_dci' }),
      output_name: requiredStr(),
    },
  },
  job_to_input_dataset: { columns: { id, job_id: fk('job'), dataset_id: fk('history_dataset_association'), name: str() } },
  job_to_input_dataset_collection: { columns: { id, job_id: fk('job'), dataset_collection_id: fk('history_dataset_collection_association'), name: str() } },
  job_to_input_dataset_collection_element: { columns: { id, job_id: fk('job'), dataset_collection_element_id: fk('dataset_collection_element'), name: str() } },
  job_to_output_dataset: { columns: { id, job_id: fk('job'), dataset_id: fk('history_dataset_association'), name: str() } },
  job_to_output_dataset_collection: { columns: { id, job_id: fk('job'), dataset_collection_id: fk('history_dataset_collection_association'), name: str() } },
  job_to_implicit_output_dataset_collection: { columns: { id, job_id: fk('job'), dataset_collection_id: fk('dataset_collection'), name: str() } },
  implicitly_created_dataset_collection_inputs: {
    columns: {
      id,
      dataset_collection_id: fk('history_dataset_collection_association'),
      input_dataset_collection_id: fk('history_dataset_collection_association'),
      name: str(),
    },
  },
  workflow: { columns: { id, name: str() } },
  workflow_step: {
    columns: {
      id,
      workflow_id: fk('workflow', { nullable: false }),
      type: str(64),
      order_index: int,
      label: str(),
      subworkflow_id: fk('workflow'),
    },
  },
  /** `WorkflowOutput`: a step output marked as an output of the workflow. */
  workflow_output: { columns: { id, workflow_step_id: fk('workflow_step', { nullable: false }), output_name: str(), label: str() } },
  workflow_invocation: { columns: { id, workflow_id: fk('workflow', { nullable: false }), history_id: fk('history'), state: str(64) } },
  /** `WorkflowRequestStepState`: the encoded runtime state of each step, written at request time (run_request.py `workflow_run_config_to_request`). */
  workflow_request_step_states: {
    columns: { id, workflow_invocation_id: fk('workflow_invocation'), workflow_step_id: fk('workflow_step'), value: json },
  },
  /** `WorkflowRequestInputParameter`: `meta` rows (`copy_inputs_to_history`, `use_cached_job`) and replacement/step parameters. */
  workflow_request_input_parameters: {
    columns: { id, workflow_invocation_id: fk('workflow_invocation'), name: str(), value: json, type: str() },
  },
  /** `WorkflowRequestToInputDatasetAssociation`: a data input step's dataset (`WorkflowInvocation.add_input`). */
  workflow_request_to_input_dataset: {
    columns: { id, name: str(), workflow_invocation_id: fk('workflow_invocation'), workflow_step_id: fk('workflow_step'), dataset_id: fk('history_dataset_association') },
  },
  /** `WorkflowRequestToInputDatasetCollectionAssociation`: a collection given to an input step. */
  workflow_request_to_input_collection_dataset: {
    columns: {
      id,
      name: str(),
      workflow_invocation_id: fk('workflow_invocation'),
      workflow_step_id: fk('workflow_step'),
      dataset_collection_id: fk('history_dataset_collection_association'),
    },
  },
  /** `WorkflowRequestInputStepParameter`: a parameter input step's value. */
  workflow_request_input_step_parameter: {
    columns: { id, workflow_invocation_id: fk('workflow_invocation'), workflow_step_id: fk('workflow_step'), parameter_value: json },
  },
  /** `WorkflowInvocationToSubworkflowInvocationAssociation` (`attach_subworkflow_invocation_for_step`). */
  workflow_invocation_to_subworkflow_invocation_association: {
    columns: {
      id,
      workflow_invocation_id: fk('workflow_invocation', { fkName: 'fk_wfi_swi_wfi' }),
      subworkflow_invocation_id: fk('workflow_invocation', { fkName: 'fk_wfi_swi_swi' }),
      workflow_step_id: fk('workflow_step', { fkName: 'fk_wfi_swi_ws' }),
    },
  },
  /** `WorkflowInvocationMessage`: why an invocation failed, was cancelled or warned (`WorkflowInvocation.add_message`). */
  workflow_invocation_message: {
    columns: {
      id,
      workflow_invocation_id: fk('workflow_invocation', { nullable: false }),
      reason: str(),
      details: str(),
      output_name: str(),
      workflow_step_id: fk('workflow_step'),
      dependent_workflow_step_id: fk('workflow_step'),
      job_id: fk('job'),
      hda_id: fk('history_dataset_association'),
      hdca_id: fk('history_dataset_collection_association'),
    },
  },
  workflow_invocation_step: {
    columns: {
      id,
      workflow_invocation_id: fk('workflow_invocation', { nullable: false }),
      workflow_step_id: fk('workflow_step', { nullable: false }),
      state: { ...str(64), index: true },
      job_id: fk('job'),
      implicit_collection_jobs_id: fk('implicit_collection_jobs'),
      action: { ...json, written: false },
      tool_execution_state_id: fk('tool_execution_state'),
    },
  },
  workflow_invocation_step_output_dataset_association: {
    columns: { id, workflow_invocation_step_id: fk('workflow_invocation_step'), dataset_id: fk('history_dataset_association'), output_name: str() },
  },
  workflow_invocation_step_output_dataset_collection_association: {
    columns: { id, workflow_invocation_step_id: fk('workflow_invocation_step'), dataset_collection_id: fk('history_dataset_collection_association'), output_name: str() },
  },
  /** `WorkflowInvocationOutputDatasetAssociation`: a workflow output's dataset, once per invocation (`WorkflowInvocation.add_output`). */
  workflow_invocation_output_dataset_association: {
    columns: { id, workflow_invocation_id: fk('workflow_invocation'), workflow_step_id: fk('workflow_step'), dataset_id: fk('history_dataset_association'), workflow_output_id: fk('workflow_output') },
  },
  /** `WorkflowInvocationOutputDatasetCollectionAssociation`. */
  workflow_invocation_output_dataset_collection_association: {
    columns: {
      id,
      workflow_invocation_id: fk('workflow_invocation'),
      workflow_step_id: fk('workflow_step'),
      dataset_collection_id: fk('history_dataset_collection_association'),
      workflow_output_id: fk('workflow_output'),
    },
  },
} as const satisfies Readonly<Record<string, TableSpec>>;

type Declared = typeof GALAXY_SCHEMA;

/** Every table the declaration knows. */
export type DeclaredTable = keyof Declared;

/** The columns of one declared table (distributes over a union of tables). */
export type ColumnOf<T extends DeclaredTable> = T extends DeclaredTable ? keyof Declared[T]['columns'] & string : never;

/** The declaration of column C, in whichever of the tables T has it (distributes over a union of tables). */
type SpecOf<T extends DeclaredTable, C extends string> = T extends DeclaredTable ? (C extends keyof Declared[T]['columns'] ? Declared[T]['columns'][C] : never) : never;

/** The TypeScript type of a column's values as the database returns them. */
type ValueOfSpec<S> = (S extends { readonly type: 'integer' } ? number : string) | (S extends { readonly nullable: false } ? never : null);

/**
 * The typed kysely database of Galaxy's tables: reader queries and snapshot
 * scans are written against it, so a misspelt table or column, or a value of
 * the wrong type, is a compile error.
 */
export type GalaxyDatabase = {
  [T in DeclaredTable]: { [C in ColumnOf<T>]: ValueOfSpec<SpecOf<T, C>> };
};

/** The value a write puts in a column: of the column's type, or NULL. */
export type CellOf<T extends DeclaredTable, C extends string> = WriteValueOfSpec<SpecOf<T, C>> | null;

type WriteValueOfSpec<S> = S extends { readonly type: 'integer' } ? number : string;

/** The cells a write may set on a row of table T: any declared column but `id`, each with a value of its type. */
export type CellsOf<T extends DeclaredTable> = { readonly [C in Exclude<ColumnOf<T>, 'id'>]?: CellOf<T, C> };

/** A table's declared columns, in declaration order. */
export function declaredColumns<T extends DeclaredTable>(table: T): ColumnOf<T>[] {
  return Object.keys(GALAXY_SCHEMA[table].columns) as ColumnOf<T>[];
}

/** Whether the executor model writes a column (false for columns left to their default). */
export function isWritten(table: DeclaredTable, column: string): boolean {
  const spec = (GALAXY_SCHEMA[table].columns as Readonly<Record<string, ColumnSpec>>)[column];
  return spec !== undefined && spec.written !== false;
}

/** The tables the executor model writes, in declaration order. */
export const WRITTEN_TABLES = (Object.keys(GALAXY_SCHEMA) as DeclaredTable[]).filter((t) => (GALAXY_SCHEMA[t] as TableSpec).written !== false);

/** The DDL definition of a declared column, as the migrations render it. */
export function columnDef<T extends DeclaredTable>(table: T, column: ColumnOf<T>): ColumnDef {
  const spec = (GALAXY_SCHEMA[table].columns as Readonly<Record<string, ColumnSpec>>)[column];
  if (spec === undefined) throw new Error(`${table}.${column} is not declared`);
  return {
    name: column,
    type: spec.type,
    ...(spec.length === undefined ? {} : { length: spec.length }),
    nullable: spec.nullable ?? true,
    ...(spec.primaryKey ? { primaryKey: true } : {}),
    ...(spec.references ? { references: { table: spec.references.table, name: spec.references.fkName ?? `${table}_${column}_fkey` } } : {}),
    ...(spec.index ? { index: true } : {}),
  };
}
