import { randomBytes } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { DatabaseUnavailableError, SchemaError } from '../../../errors.js';
import type { CatalogDatabase } from '../../compiled-query.js';
import type { SchemaStep } from '../../case-database.js';
import { checkDatabaseUrl, redact } from '../../database-url.js';
import { isConnectionLoss } from './postgres-errors.js';
import { adaptPgDump, isPgDump } from './postgres-schema-dump.js';

/**
 * One PostgreSQL connection per case database (one per worker), in a schema
 * of its own that is created when the database opens and dropped when it
 * closes, so that workers, and runs sharing a server, never see each other's
 * rows. kysely's PostgresDialect over a pg pool of one connection runs the
 * schema's set-up, the catalog queries and the statement-by-statement replay;
 * the per-case fast path takes the same connection for its single round trip.
 */

/** How long a connection attempt may take before the database counts as unreachable. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Attempts in a row that may lose the connection before the run stops: the
 * first try and five more on a new connection, waiting 0.25, 0.5, 1, 2 and
 * 2 s between them (enough for a server restart, not for an outage).
 */
export const CONNECTION_ATTEMPTS = 6;
const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 2000];

/**
 * The advisory lock every cardfuzz session takes for its schema's DDL (build
 * and drop), so that sessions sharing a server do it one at a time: building
 * or dropping a real-size schema (a thousand objects or more) locks every
 * object in one transaction, and several at once exhaust the server's lock
 * table (`out of shared memory`, max_locks_per_transaction).
 */
export const SCHEMA_DDL_LOCK = 'SELECT pg_advisory_xact_lock(7364912105)';

export interface PostgresSession {
  readonly schema: string;
  readonly db: Kysely<CatalogDatabase>;
  readonly pool: pg.Pool;
  /** Sends one simple-protocol query text (several statements allowed) and returns one result per statement. */
  simple(text: string): Promise<pg.QueryResult[]>;
  /**
   * Runs `attempt`, and again on a new connection when the connection is
   * lost (the server stopped or restarted, the backend was terminated). After
   * CONNECTION_ATTEMPTS losses in a row it gives up with a
   * DatabaseUnavailableError; any other error is thrown as it is.
   */
  retry<T>(attempt: () => Promise<T>): Promise<T>;
  /**
   * Runs session-level statements (PREPARE) now, and again on every
   * connection the pool opens later: a connection the server drops is
   * replaced by one that knows the same prepared statements.
   */
  onEveryConnection(statements: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

// 64-bit counts (count(*)) as numbers, like SQLite returns them.
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)),
};

/** What a failed connection attempt means, in one line. */
function connectionProblem(error: unknown, url: string): string {
  const e = error as { code?: string; message?: string };
  const where = redact(url);
  switch (e.code) {
    case 'ECONNREFUSED':
      return `cannot connect to PostgreSQL at ${where}: connection refused (is the server running and listening there?)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot connect to PostgreSQL at ${where}: unknown host`;
    case 'ETIMEDOUT':
      return `cannot connect to PostgreSQL at ${where}: timed out`;
    case '28P01':
    case '28000':
      return `cannot connect to PostgreSQL at ${where}: authentication failed (${e.message ?? ''})`;
    case '3D000':
      return `cannot connect to PostgreSQL at ${where}: ${e.message ?? 'database does not exist'}`;
    default:
      if (/timeout/i.test(e.message ?? '')) return `cannot connect to PostgreSQL at ${where}: no answer within ${CONNECT_TIMEOUT_MS / 1000} s`;
      return `cannot connect to PostgreSQL at ${where}: ${e.message ?? String(error)}`;
  }
}

/** A schema name unique to this process, thread and database. */
function schemaName(): string {
  return `cardfuzz_${process.pid}_${threadId}_${randomBytes(3).toString('hex')}`;
}

/** The names schemaName gives, with the process id they carry. */
export const SCHEMA_NAME = /^cardfuzz_(\d+)_(\d+)_[0-9a-f]{6}$/;

/** One plain connection (no schema of its own), for work on the server's catalog. */
export async function connectClient(url: string): Promise<pg.Client> {
  checkDatabaseUrl(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'cardfuzz' });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new DatabaseUnavailableError(connectionProblem(error, url));
  }
  return client;
}

export async function openPostgresSession(url: string): Promise<PostgresSession> {
  checkDatabaseUrl(url);
  const schema = schemaName();
  const pool = new pg.Pool({
    connectionString: url,
    max: 1,
    idleTimeoutMillis: 0,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // Every statement runs in this run's own schema; string literals are standard.
    options: `-c search_path=${schema} -c standard_conforming_strings=on -c client_min_messages=warning`,
    types,
    // Names the connection after its schema, so that pg_stat_activity tells whose it is.
    application_name: `cardfuzz ${schema}`,
  });
  // A connection the server drops must not crash the process, idle in the pool ('error' on the pool)
  // or checked out (pg emits 'error' on the client after failing its queries): the query in flight,
  // or the next one, reports the loss and the case is retried on a new connection.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DatabaseUnavailableError(connectionProblem(error, url));
  }
  const db = new Kysely<CatalogDatabase>({ dialect: new PostgresDialect({ pool }) });
  try {
    await db.executeQuery(CompiledQuery.raw(`CREATE SCHEMA "${schema}"`));
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw new DatabaseUnavailableError(`cannot create schema ${schema} on ${redact(url)}: ${(error as Error).message}`);
  }
  let closed = false;
  let gaveUp = false;
  let lossesInARow = 0;
  let sessionSql = '';
  pool.on('connect', (client) => {
    // pg runs queries in order: this one runs before anything the new connection is given.
    if (sessionSql !== '') client.query(sessionSql).catch(() => undefined);
  });
  const simple = async (text: string): Promise<pg.QueryResult[]> => {
    const client = await pool.connect();
    try {
      const result = (await client.query(text)) as pg.QueryResult | pg.QueryResult[];
      return Array.isArray(result) ? result : [result];
    } finally {
      client.release();
    }
  };
  const retry = async <T>(attempt: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        const result = await attempt();
        lossesInARow = 0;
        gaveUp = false;
        return result;
      } catch (error) {
        if (!isConnectionLoss(error)) throw error;
        lossesInARow++;
        if (gaveUp || lossesInARow >= CONNECTION_ATTEMPTS) {
          gaveUp = true;
          throw new DatabaseUnavailableError(`lost the connection to PostgreSQL at ${redact(url)} and ${CONNECTION_ATTEMPTS} attempts in a row on a new connection failed (last: ${(error as Error).message})`);
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[lossesInARow - 1] ?? RETRY_DELAYS_MS.at(-1)));
      }
    }
  };
  return {
    schema,
    db,
    pool,
    simple,
    retry,
    async onEveryConnection(statements) {
      const text = statements.join(';\n');
      if (text !== '') await simple(text);
      sessionSql = text;
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        if (!gaveUp) await simple('ROLLBACK').catch(() => undefined);
        // Once the session has given up on the server, one more try is enough to know.
        const drop = () => simple(`${SCHEMA_DDL_LOCK};\nDROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await (gaveUp ? drop() : retry(drop));
      } catch (error) {
        const cause = error instanceof DatabaseUnavailableError ? 'the connection is lost' : (error as Error).message;
        throw new DatabaseUnavailableError(`could not drop schema ${schema} on ${redact(url)} (${cause}); drop it later with cardfuzz clean --database-url ${redact(url)}`);
      } finally {
        await db.destroy().catch(() => undefined);
      }
    },
  };
}

/**
 * Builds a schema from its steps inside the session's schema. A pg_dump
 * (`--schema-sql`) is first adapted: its own search_path, owners and psql
 * meta-commands are dropped, and `public.` names moved into the session's
 * schema.
 */
export async function applyPostgresSchema(session: PostgresSession, steps: readonly SchemaStep[]): Promise<void> {
  for (const step of steps) {
    const text = isPgDump(step.sql) ? adaptPgDump(step.sql, session.schema, step.label) : step.sql;
    try {
      // One step is one implicit transaction: a dump's thousand objects are locked together.
      await session.simple(`${SCHEMA_DDL_LOCK};\n${text}`);
    } catch (error) {
      if (isConnectionLoss(error)) throw new DatabaseUnavailableError(`lost the connection to PostgreSQL while building the schema (${step.label}): ${(error as Error).message}`);
      throw new SchemaError(`${step.label}: ${(error as Error).message}`);
    }
  }
  // A dump's SET lines (client_encoding, standard_conforming_strings, ...) must not outlive it:
  // back to the connection's own settings, search_path included.
  await session.simple('RESET ALL');
}
