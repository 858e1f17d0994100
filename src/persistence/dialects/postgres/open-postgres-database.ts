import { SchemaError } from '../../../errors.js';
import { planColumnFills, type Catalog, type ColumnFills } from '../../catalog.js';
import type { CaseDatabaseSpec, SchemaStep } from '../../case-database.js';
import { postgresLiteral } from './postgres-literal-sql.js';
import { readPostgresCatalog, type PostgresCatalog } from './postgres-catalog.js';
import { applyPostgresSchema, openPostgresSession, type PostgresSession } from './postgres-connection.js';

/**
 * The opening both PostgreSQL databases share: a session in a schema of its
 * own, the schema built from its steps, the constraints read back, and the
 * database's statements prepared on this and every later connection. The
 * session is closed (its schema dropped) if any of it fails.
 */
export async function openPreparedDatabase<T extends { readonly prepareSql: readonly string[] }>(
  url: string,
  steps: readonly SchemaStep[],
  build: (session: PostgresSession, catalog: PostgresCatalog) => T | Promise<T>,
): Promise<T> {
  const session = await openPostgresSession(url);
  try {
    await applyPostgresSchema(session, steps);
    const database = await build(session, await readPostgresCatalog(session));
    await session.onEveryConnection(database.prepareSql);
    return database;
  } catch (error) {
    // A schema that cannot be dropped after a failed build is named with the failure.
    const left = await session.close().then(
      () => null,
      (e: Error) => e.message,
    );
    if (left !== null && error instanceof Error) error.message = `${error.message}; ${left}`;
    throw error;
  }
}

/**
 * The neutral values for NOT NULL columns cardfuzz does not model, checked
 * against the server once: a value its type refuses (an interval, an array,
 * a domain with a CHECK) is reported by table and column, not left to fail
 * every case.
 */
export async function planPostgresFills(session: PostgresSession, catalog: Catalog, spec: CaseDatabaseSpec): Promise<ColumnFills> {
  const fills = planColumnFills(catalog, spec.layouts, spec.tablesUsed, spec.schemaLabel, { booleanFalse: false });
  const problems: string[] = [];
  for (const [table, columns] of fills) {
    for (const fill of columns) {
      const type = catalog.get(table)?.columns.find((c) => c.name === fill.column)?.type.toLowerCase() ?? 'text';
      try {
        await session.simple(`SELECT CAST(${postgresLiteral(fill.value)} AS ${type})`);
      } catch (error) {
        problems.push(`${table}.${fill.column} is NOT NULL without a default and cardfuzz cannot fill it (type ${type}: ${(error as Error).message})`);
      }
    }
  }
  if (problems.length > 0) throw new SchemaError(`${spec.schemaLabel} cannot host the rows cardfuzz writes: ${problems.join('; ')}`);
  return fills;
}
