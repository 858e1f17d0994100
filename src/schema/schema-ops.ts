/**
 * Migrations as data: a small vocabulary of schema operations, rendered to
 * SQL per dialect (render-sqlite.ts, render-postgres.ts). Backfills are SQL
 * text per dialect, as Galaxy's alembic migrations run them.
 */

export type ColumnType = 'integer' | 'string' | 'text' | 'json' | 'datetime';

export interface ColumnDef {
  readonly name: string;
  readonly type: ColumnType;
  readonly length?: number;
  /** Default true. */
  readonly nullable?: boolean;
  readonly primaryKey?: boolean;
  /** A foreign key to `table.id`, with its constraint name. */
  readonly references?: { readonly table: string; readonly name: string };
  /** Creates the index `ix_<table>_<column>`. */
  readonly index?: boolean;
}

export type SchemaOp =
  | { readonly op: 'createTable'; readonly table: string; readonly columns: readonly ColumnDef[] }
  | { readonly op: 'addColumn'; readonly table: string; readonly column: ColumnDef }
  | { readonly op: 'createIndex'; readonly name: string; readonly table: string; readonly columns: readonly string[] }
  | {
      readonly op: 'addUniqueConstraint';
      readonly name: string;
      readonly table: string;
      readonly columns: readonly string[];
      /** Whether the ORM metadata declares it too (then a `create_all` database has it). */
      readonly declaredInModel: boolean;
    }
  | { readonly op: 'dropColumn'; readonly table: string; readonly column: string }
  | { readonly op: 'setNotNull'; readonly table: string; readonly column: string }
  | { readonly op: 'dropTable'; readonly table: string }
  | { readonly op: 'sql'; readonly purpose: string; readonly sqlite: string; readonly postgres: string };

export interface Migration {
  /** Galaxy's alembic revision id where known (`baseline` for the tables that predate the gxy branch). */
  readonly revision: string;
  readonly title: string;
  readonly ops: readonly SchemaOp[];
}

/** Where the schema of a run comes from (setting `schema.source`). */
export type SchemaSource = 'migrations' | 'orm';

