import type { SqlDialect } from '../../dialect.js';

/** SQLite: embedded and in memory, one database per process or worker; columns are altered by rebuilding the table. */
export const SQLITE_DIALECT: SqlDialect = {
  name: 'sqlite',
  ddl: { name: 'sqlite', timestampType: 'DATETIME', serialPrimaryKey: 'INTEGER PRIMARY KEY', uniqueAsConstraint: false, altersColumnsInPlace: false },
  needsServer: false,
  async openCaseDatabase(spec) {
    const { SqliteCaseDatabase } = await import('./sqlite-case-database.js');
    return new SqliteCaseDatabase(spec);
  },
  async openUpgradeDatabase(previous, steps) {
    const { SqliteUpgradeDatabase } = await import('./sqlite-upgrade-database.js');
    return new SqliteUpgradeDatabase(previous, steps);
  },
};
