import { randomBytes } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { DatabaseUnavailableError, SchemaError } from '../../../errors.js';
import type { AnyDatabase } from '../../compiled-query.js';
import type { SchemaStep } from '../../schema-plan.js';
import { checkDatabaseUrl, redact } from '../../database-url.js';
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

export interface PostgresSession {
  readonly schema: string;
  readonly db: Kysely<AnyDatabase>;
  readonly pool: pg.Pool;
  /** Sends one simple-protocol query text (several statements allowed) and returns one result per statement. */
  simple(text: string): Promise<pg.QueryResult[]>;
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
  // An idle connection the server drops must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DatabaseUnavailableError(connectionProblem(error, url));
  }
  const db = new Kysely<AnyDatabase>({ dialect: new PostgresDialect({ pool }) });
  try {
    await db.executeQuery(CompiledQuery.raw(`CREATE SCHEMA "${schema}"`));
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw new DatabaseUnavailableError(`cannot create schema ${schema} on ${redact(url)}: ${(error as Error).message}`);
  }
  let closed = false;
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
  return {
    schema,
    db,
    pool,
    simple,
    async onEveryConnection(statements) {
      const text = statements.join(';\n');
      if (text !== '') await simple(text);
      sessionSql = text;
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.executeQuery(CompiledQuery.raw('ROLLBACK')).catch(() => undefined);
        await db.executeQuery(CompiledQuery.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
      } finally {
        await db.destroy();
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
      await session.simple(text);
    } catch (error) {
      throw new SchemaError(`${step.label}: ${(error as Error).message}`);
    }
  }
  // A dump's SET lines (client_encoding, standard_conforming_strings, ...) must not outlive it:
  // back to the connection's own settings, search_path included.
  await session.simple('RESET ALL');
}
