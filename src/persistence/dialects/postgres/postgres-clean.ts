import { DatabaseUnavailableError } from '../../../errors.js';
import { redact } from '../../database-url.js';
import { connectClient, SCHEMA_DDL_LOCK, SCHEMA_NAME } from './postgres-connection.js';

/**
 * The schemas cardfuzz left on a server: every database cardfuzz opens
 * creates `cardfuzz_<pid>_<thread>_<random>` and drops it on close, but a run
 * killed outright (kill -9, a second Ctrl-C, a lost server) cannot. These are
 * listed with the process id they carry and whether a connection still uses
 * them (a live session names itself `cardfuzz <schema>`), and dropped one at
 * a time under the same advisory lock as every schema's build and drop.
 */
export interface LeftSchema {
  readonly name: string;
  readonly pid: number;
  /** A connection of a running cardfuzz still uses it. */
  readonly inUse: boolean;
}

export interface SchemaCleaner {
  list(): Promise<LeftSchema[]>;
  /** Drops one schema; a failure is thrown with the schema named. */
  drop(name: string): Promise<void>;
  close(): Promise<void>;
}

/** How long a drop waits for a lock another session holds before it is reported as failed. */
const LOCK_TIMEOUT = '10s';

export async function openSchemaCleaner(url: string): Promise<SchemaCleaner> {
  const client = await connectClient(url);
  return {
    async list() {
      const { rows } = await client.query<{ name: string; in_use: boolean }>(
        `SELECT n.nspname AS name, EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.application_name = 'cardfuzz ' || n.nspname) AS in_use
         FROM pg_namespace n WHERE n.nspname LIKE 'cardfuzz\\_%' ORDER BY n.nspname`,
      );
      return rows.flatMap((r) => {
        const match = SCHEMA_NAME.exec(r.name);
        return match === null ? [] : [{ name: r.name, pid: Number(match[1]), inUse: r.in_use }];
      });
    },
    async drop(name) {
      if (!SCHEMA_NAME.test(name)) throw new DatabaseUnavailableError(`${name} is not a schema cardfuzz creates; not dropped`);
      try {
        await client.query(`SET lock_timeout = '${LOCK_TIMEOUT}'; BEGIN; ${SCHEMA_DDL_LOCK}; DROP SCHEMA IF EXISTS "${name}" CASCADE; COMMIT`);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new DatabaseUnavailableError(`could not drop schema ${name} on ${redact(url)}: ${(error as Error).message}`);
      }
    },
    async close() {
      await client.end().catch(() => undefined);
    },
  };
}
