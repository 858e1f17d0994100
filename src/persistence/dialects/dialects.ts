import type { SqlDialectName } from '../../schema/render-schema.js';
import type { SqlDialect } from '../dialect.js';
import { POSTGRES_DIALECT } from './postgres/postgres-dialect.js';
import { SQLITE_DIALECT } from './sqlite/sqlite-dialect.js';

const DIALECTS: Readonly<Record<SqlDialectName, SqlDialect>> = { sqlite: SQLITE_DIALECT, postgres: POSTGRES_DIALECT };

/** The capability object of a dialect (see SqlDialect). */
export function sqlDialect(name: SqlDialectName): SqlDialect {
  return DIALECTS[name];
}
