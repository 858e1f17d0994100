import { TABLE_NAMES, type TableName } from '../executor/tables.js';
import type { ExecutorSettings } from '../executor/execution.js';
import type { SqlDialectName } from '../schema/render-schema.js';
import type { CaseDatabase, CaseDatabaseSpec, UpgradeDatabase, UpgradeStep } from './case-database.js';
import { sqlDialect } from './dialects/dialects.js';

export type { CaseDatabaseSpec } from './case-database.js';

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
export function openCaseDatabase(spec: CaseDatabaseSpec, options: DialectOptions): Promise<CaseDatabase> {
  return sqlDialect(options.dialect).openCaseDatabase(spec, options.databaseUrl);
}

/** Opens a database at the previous profile's schema that upgrades histories with `steps`. */
export function openUpgradeDatabase(previous: CaseDatabaseSpec, steps: readonly UpgradeStep[], options: DialectOptions): Promise<UpgradeDatabase> {
  return sqlDialect(options.dialect).openUpgradeDatabase(previous, steps, options.databaseUrl);
}

/** Lists and drops the schemas killed runs left on a PostgreSQL server (`cardfuzz clean`). */
export async function openSchemaCleaner(databaseUrl: string): Promise<import('./dialects/postgres/postgres-clean.js').SchemaCleaner> {
  const { openSchemaCleaner: open } = await import('./dialects/postgres/postgres-clean.js');
  return open(databaseUrl);
}
