import { DatabaseUnavailableError } from '../../../errors.js';
import type { SqlDialect } from '../../dialect.js';

const NEEDS_URL = '--dialect postgres needs --database-url postgres://user@host:port/database';

/** PostgreSQL: a server, a schema of its own per database; UNIQUE as named constraints, columns altered in place (as alembic does). */
export const POSTGRES_DIALECT: SqlDialect = {
  name: 'postgres',
  ddl: { name: 'postgres', timestampType: 'TIMESTAMP', serialPrimaryKey: 'SERIAL PRIMARY KEY', uniqueAsConstraint: true, altersColumnsInPlace: true },
  needsServer: true,
  async openCaseDatabase(spec, url) {
    if (url === undefined) throw new DatabaseUnavailableError(NEEDS_URL);
    const { openPostgresCaseDatabase } = await import('./postgres-case-database.js');
    return openPostgresCaseDatabase(spec, url);
  },
  async openUpgradeDatabase(previous, steps, url) {
    if (url === undefined) throw new DatabaseUnavailableError(NEEDS_URL);
    const { openPostgresUpgradeDatabase } = await import('./postgres-upgrade-database.js');
    return openPostgresUpgradeDatabase(previous, steps, url);
  },
};
