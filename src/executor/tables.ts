import { GALAXY_SCHEMA, declaredColumns, isWritten, WRITTEN_TABLES, type ColumnOf, type DeclaredTable } from '../schema/galaxy-schema.js';
import { BRANCH_FIXED_MIGRATIONS, UPSTREAM_MIGRATIONS } from '../schema/galaxy-migrations.js';
import { schemaStateOf } from '../schema/schema-state.js';

/**
 * The Galaxy tables the executor model writes, and the columns it writes into
 * each (its "layout"), derived from the schema declaration
 * (schema/galaxy-schema.ts). Columns a schema has beyond these get their
 * defaults. Two executor variants differ in columns: upstream (tool request
 * without a ToolExecutionState, TRICA) writes the columns public Galaxy's
 * revision has, the workflow_state_backfill branch (TES, TEICA) those of the
 * branch's revision; a table a revision lacks keeps all its declared columns
 * (a profile may still ask the variant to write it, and the schema check then
 * names what is missing).
 */

type Declared = typeof GALAXY_SCHEMA;

/** A table the executor writes. */
export type TableName = { [T in DeclaredTable]: Declared[T] extends { readonly written: false } ? never : T }[DeclaredTable];

export const TABLE_NAMES: readonly TableName[] = WRITTEN_TABLES as TableName[];

export type { ColumnOf };

/** A cell value the executor writes: integers, text (JSON as text) or NULL. */
export type Cell = number | string | null;

export type ExecutionStateVariant = 'none' | 'tes';
export type OutputCollectionLink = 'trica' | 'teica';

export interface TableLayout<T extends TableName = TableName> {
  readonly table: T;
  readonly columns: readonly ColumnOf<T>[];
  readonly index: ReadonlyMap<string, number>;
}

export type Layouts = { readonly [T in TableName]: TableLayout<T> };

function layout<T extends TableName>(table: T, columns: readonly ColumnOf<T>[]): TableLayout<T> {
  return { table, columns, index: new Map(columns.map((c, i) => [c, i])) };
}

/** The revision each executor variant models. */
const VARIANT_REVISIONS = {
  none: schemaStateOf(UPSTREAM_MIGRATIONS),
  tes: schemaStateOf(BRANCH_FIXED_MIGRATIONS),
} as const satisfies Record<ExecutionStateVariant, unknown>;

/** The columns written per table for an executor variant: the declared, written columns its revision has. */
export function tableLayouts(variant: ExecutionStateVariant): Layouts {
  const state = VARIANT_REVISIONS[variant];
  const of = <T extends TableName>(table: T): TableLayout<T> => {
    const present = state.get(table);
    return layout(
      table,
      declaredColumns(table).filter((c) => isWritten(table, c) && (present === undefined || present.includes(c))),
    );
  };
  return Object.fromEntries(TABLE_NAMES.map((t) => [t, of(t)])) as unknown as Layouts;
}
