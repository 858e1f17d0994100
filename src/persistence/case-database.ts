import type { Compilable, Kysely } from 'kysely';
import type { ExecutionPlan } from '../executor/execution.js';
import type { RelationshipDeclaration } from '../executor/relationships.js';
import type { Layouts, TableName } from '../executor/tables.js';
import type { RowStatement } from '../executor/unit-of-work.js';
import type { GalaxyDatabase } from '../schema/galaxy-schema.js';
import type { SqlDialectName } from '../schema/render-schema.js';
import type { Catalog } from './catalog.js';
import type { Snapshot } from './snapshot.js';

/**
 * The one interface dialects implement. A CaseDatabase holds one migrated
 * database (one per worker) and runs each case in isolation: write the plan's
 * statements, read back, roll back. Properties never see a dialect.
 */

/** A query the database runs after a complete write (Galaxy's are in readers/galaxy-readers.ts). */
export interface ReaderQuery {
  readonly id: string;
  /** The columns it reads: a schema that lacks one cannot run it. */
  readonly requires: readonly (readonly [string, string])[];
  /** The query, over Galaxy's declared tables, with its argument as `param('arg')`. */
  build(db: Kysely<GalaxyDatabase>): Compilable;
}

export interface ReaderRequest {
  readonly reader: string;
  readonly argument: number;
}

export interface ReaderResult extends ReaderRequest {
  /** Row ids the query returned, in its order. */
  readonly ids: readonly number[];
}

export type ConstraintKind = 'unique' | 'foreign-key' | 'not-null' | 'check' | 'primary-key' | 'other';

export interface ConstraintViolation {
  readonly kind: ConstraintKind;
  readonly table: string | null;
  readonly columns: readonly string[];
  /** The constraint or index name as the schema calls it, when the schema names it. */
  readonly constraint: string | null;
  /** The driver's own message. */
  readonly message: string;
}

export interface WriteFailure {
  readonly statementIndex: number;
  readonly statement: RowStatement;
  readonly violation: ConstraintViolation;
}

export interface CaseOutcome {
  /** The first write the database refused, or null when every statement persisted. */
  readonly failure: WriteFailure | null;
  /** Execution tables read back after a complete write (null after a failure). */
  readonly snapshot: Snapshot | null;
  /** Galaxy's reader queries, run after a complete write when requested. */
  readonly readings: readonly ReaderResult[] | null;
  /** Parents holding two or more children through a relationship declared scalar (after a complete write, when requested). */
  readonly overfull: readonly OverfullRelationship[] | null;
}

export interface OverfullRelationship {
  /** The declaration's name, e.g. `ToolExecutionState.job`. */
  readonly relationship: string;
  readonly parentId: number;
  readonly children: number;
}

export interface CaseRunOptions {
  /** Reader queries to run after a complete write. */
  readonly readers?: (snapshot: Snapshot) => readonly ReaderRequest[];
  /** Count children per parent for every relationship the profile declares scalar. */
  readonly overfull?: boolean;
}

export interface CaseDatabase {
  readonly dialect: SqlDialectName;
  readonly catalog: Catalog;
  /** Runs one case in isolation; never leaves rows behind. */
  runCase(plan: ExecutionPlan, options?: CaseRunOptions): Promise<CaseOutcome>;
  /** The same, synchronously, for embedded databases whose driver is synchronous (the fast path). */
  runCaseSync?(plan: ExecutionPlan, options?: CaseRunOptions): CaseOutcome;
  close(): Promise<void>;
}

/** What happened when a history written under the previous profile was upgraded. */
export interface UpgradeOutcome {
  /** A write of the old history was refused: such a history cannot exist under the previous profile. */
  readonly historyFailure: WriteFailure | null;
  /** The first upgrade step that failed. */
  readonly upgradeFailure: { readonly step: string; readonly revision: string; readonly title: string; readonly violation: ConstraintViolation } | null;
  /** Rows whose foreign key points at nothing after the upgrade. */
  readonly danglingRows: readonly { readonly table: string; readonly rowid: number; readonly parent: string }[];
}

/** A database built by the previous profile's schema, that writes histories and upgrades them in isolation. */
export interface UpgradeDatabase {
  readonly dialect: SqlDialectName;
  readonly catalog: Catalog;
  runUpgrade(plans: readonly ExecutionPlan[]): Promise<UpgradeOutcome>;
  runUpgradeSync?(plans: readonly ExecutionPlan[]): UpgradeOutcome;
  close(): Promise<void>;
}

/** One step of building a schema: a labelled SQL text (one statement, or a whole dump). */
export interface SchemaStep {
  readonly label: string;
  readonly sql: string;
}

export interface UpgradeStep extends SchemaStep {
  readonly revision: string;
  readonly title: string;
}

/** What a dialect needs to open a case database: the schema to build and the rows it must host. */
export interface CaseDatabaseSpec {
  readonly schemaSteps: readonly SchemaStep[];
  /** Names the schema in errors: the profile, file or dump it came from. */
  readonly schemaLabel: string;
  readonly layouts: Layouts;
  readonly tablesUsed: readonly TableName[];
  readonly relationships: readonly RelationshipDeclaration[];
  /** The reader queries to compile (those the schema can run). */
  readonly readers: readonly ReaderQuery[];
}
