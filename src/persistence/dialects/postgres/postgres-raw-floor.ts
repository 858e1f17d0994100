import pg from 'pg';
import { DatabaseUnavailableError } from '../../../errors.js';
import { checkDatabaseUrl, redact } from '../../database-url.js';

/**
 * What the server costs before any work: a case on PostgreSQL is two round
 * trips (writes and scans; readers and rollback), so the floor is two empty
 * round trips per case on one connection, measured in the same run.
 */
export async function measurePostgresRoundTrips(url: string, cases: number): Promise<number> {
  const client = await connect(url);
  try {
    for (let i = 0; i < 200; i++) await client.query('SELECT 1');
    const started = performance.now();
    for (let i = 0; i < cases; i++) {
      await client.query('BEGIN; SELECT 1');
      await client.query('SELECT 1; ROLLBACK');
    }
    return cases / ((performance.now() - started) / 1000);
  } finally {
    await client.end();
  }
}

/** The server's version line, for reports. */
export async function postgresServerVersion(url: string): Promise<string> {
  const client = await connect(url);
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return `PostgreSQL ${rows[0]?.server_version ?? 'unknown'}`;
  } finally {
    await client.end();
  }
}

async function connect(url: string): Promise<pg.Client> {
  checkDatabaseUrl(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new DatabaseUnavailableError(`cannot connect to PostgreSQL at ${redact(url)}: ${(error as Error).message}`);
  }
  return client;
}
