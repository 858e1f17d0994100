import { DatabaseUnavailableError } from '../errors.js';
import type { RelationshipDeclaration } from '../executor/relationships.js';
import { TABLE_NAMES, type Layouts, type TableName } from '../executor/tables.js';
import type { ExecutorSettings } from '../executor/execution.js';
import type { SqlDialectName } from '../schema/render-schema.js';
import type { CaseDatabase, UpgradeDatabase } from './case-database.js';
import type { SchemaStep, UpgradeStep } from './schema-plan.js';

/** What a dialect needs to open a case database: the schema to build and the rows it must host. */
export interface CaseDatabaseSpec {
  readonly schemaSteps: readonly SchemaStep[];
  /** Names the schema in errors: the profile, file or dump it came from. */
  readonly schemaLabel: string;
  readonly layouts: Layouts;
  readonly tablesUsed: readonly TableName[];
  readonly relationships: readonly RelationshipDeclaration[];
}

export interface DialectOptions {
  readonly dialect: SqlDialectName;
  /** PostgreSQL connection URL (dialect postgres only). */
  readonly databaseUrl?: string;
}

/** The tables an executor variant writes (upstream writes TRICA, the branch TES and TEICA). */
export function tablesUsedBy(settings: ExecutorSettings): TableName[] {
  return TABLE_NAMES.filter((t) => {
    if (t === 'tool_execution_state') return settings.executionState === 'tes';
    if (t === 'tool_execution_implicit_collection_association') return settings.outputCollectionLink === 'teica';
    if (t === 'tool_request_implicit_collection_association') return settings.outputCollectionLink === 'trica';
    return true;
  });
}

/** Opens a case database for the dialect; only the chosen dialect's driver is loaded. */
export async function openCaseDatabase(spec: CaseDatabaseSpec, options: DialectOptions): Promise<CaseDatabase> {
  if (options.dialect === 'sqlite') {
    const { SqliteCaseDatabase } = await import('./dialects/sqlite/sqlite-case-database.js');
    return new SqliteCaseDatabase(spec);
  }
  if (options.databaseUrl === undefined) throw new DatabaseUnavailableError('--dialect postgres needs --database-url postgres://user@host:port/database');
  const { openPostgresCaseDatabase } = await import('./dialects/postgres/postgres-case-database.js');
  return openPostgresCaseDatabase(spec, options.databaseUrl);
}

/** Opens a database at the previous profile's schema that upgrades histories with `steps`. */
export async function openUpgradeDatabase(previous: CaseDatabaseSpec, steps: readonly UpgradeStep[], options: DialectOptions): Promise<UpgradeDatabase> {
  if (options.dialect === 'sqlite') {
    const { SqliteUpgradeDatabase } = await import('./dialects/sqlite/sqlite-upgrade-database.js');
    return new SqliteUpgradeDatabase(previous, steps);
  }
  if (options.databaseUrl === undefined) throw new DatabaseUnavailableError('--dialect postgres needs --database-url postgres://user@host:port/database');
  const { openPostgresUpgradeDatabase } = await import('./dialects/postgres/postgres-upgrade-database.js');
  return openPostgresUpgradeDatabase(previous, steps, options.databaseUrl);
}

/** Lists and drops the schemas killed runs left on a PostgreSQL server (`cardfuzz clean`). */
export async function openSchemaCleaner(databaseUrl: string): Promise<import('./dialects/postgres/postgres-clean.js').SchemaCleaner> {
  const { openSchemaCleaner: open } = await import('./dialects/postgres/postgres-clean.js');
  return open(databaseUrl);
}
