import type { ConstraintKind, ConstraintViolation } from '../../case-database.js';
import type { Catalog } from '../../catalog.js';

/**
 * Classifies a PostgreSQL error into a dialect-neutral ConstraintViolation
 * from its SQLSTATE and the fields the server sends with it: the constraint
 * name, the table, the column (NOT NULL) and the detail's key columns.
 */

/** The fields of pg's DatabaseError that classification reads. */
export interface PostgresErrorFields {
  readonly code?: string;
  readonly message: string;
  readonly constraint?: string;
  readonly table?: string;
  readonly column?: string;
  readonly detail?: string;
}

const KIND_BY_SQLSTATE: Readonly<Record<string, ConstraintKind>> = {
  '23505': 'unique',
  '23503': 'foreign-key',
  '23502': 'not-null',
  '23514': 'check',
};

export function isPostgresError(error: unknown): error is PostgresErrorFields {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' && /^[0-9A-Z]{5}$/.test((error as { code: string }).code) && 'severity' in error;
}

/**
 * Whether the server refused a write because of what the schema says: an
 * integrity constraint (class 23), a data exception such as a value too long
 * for its VARCHAR (22), or a trigger that refuses the row (P0, 09, 27, 44).
 * Anything else on a write (a lost connection, a missing prepared statement,
 * a syntax error) is a cardfuzz error, never a finding.
 */
export function isWriteRefusal(error: PostgresErrorFields): boolean {
  return /^(23|22|P0|09|27|44)/.test(error.code ?? '');
}

/**
 * Whether an error says the server, not the statement, is in trouble: the
 * connection (08), resources (53), an operator (57), the system (58, XX), a
 * transaction out of step (25, 40) or a prepared statement gone (26). A
 * migration step failing any other way is the upgrade failing.
 */
export function isServerTrouble(error: PostgresErrorFields): boolean {
  return /^(08|53|57|58|XX|25|40|26)/.test(error.code ?? '');
}

/** SQLSTATEs that end the session: the connection (08), an operator or a crash ending the backend (57P01–57P03). */
const LOST_SQLSTATE = /^(08|57P0[123])/;
/** Socket errors of a connection that died or could not be made again. */
const LOST_ERRNO = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ENOTCONN', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN']);
/** What pg says when its socket ends under it, or when a dead client is given another query. */
const LOST_MESSAGE = /^(Connection terminated|Client has encountered a connection error and is not queryable|Client was closed and is not queryable|timeout exceeded when trying to connect|Connection ended)/;

/**
 * Whether an error says the connection is gone (the server stopped or
 * restarted, the backend was terminated, the socket reset), so the work can
 * be tried again on a new connection. Never a finding.
 */
export function isConnectionLoss(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (LOST_ERRNO.has(code) || ('severity' in error && LOST_SQLSTATE.test(code)))) return true;
  return typeof message === 'string' && LOST_MESSAGE.test(message);
}

export function classifyPostgresError(error: PostgresErrorFields, fallbackTable: string | null, catalog: Catalog): ConstraintViolation {
  let kind: ConstraintKind = KIND_BY_SQLSTATE[error.code ?? ''] ?? 'other';
  const table = error.table ?? fallbackTable;
  const constraint = error.constraint ?? null;
  const message = error.detail ? `${error.message} (${error.detail})` : error.message;
  if (kind === 'not-null') return { kind, table, columns: error.column ? [error.column] : [], constraint: null, message };
  const known = constraint === null ? undefined : findConstraint(catalog, table, constraint);
  if (kind === 'unique' && known?.kind === 'primary-key') kind = 'primary-key';
  const columns = known?.columns ?? keyColumns(error.detail);
  return { kind, table: known?.table ?? table, columns, constraint, message };
}

/** A constraint or unique index by name, in the table the server named (or anywhere). */
function findConstraint(catalog: Catalog, table: string | null, name: string): { kind: 'primary-key' | 'unique' | 'foreign-key'; table: string; columns: readonly string[] } | undefined {
  const tables = table !== null && catalog.has(table) ? [catalog.get(table)!] : [...catalog.values()];
  for (const t of tables) {
    const unique = t.uniques.find((u) => u.name === name);
    if (unique) return { kind: unique.origin === 'primary-key' ? 'primary-key' : 'unique', table: t.name, columns: unique.columns };
    const fk = t.foreignKeys.find((f) => f.name === name);
    if (fk) return { kind: 'foreign-key', table: t.name, columns: fk.columns };
  }
  return undefined;
}

/** `Key (a, b)=(1, 2) already exists.` → [a, b]. */
function keyColumns(detail: string | undefined): string[] {
  const match = /^Key \(([^)]*)\)=/.exec(detail ?? '');
  return match ? match[1]!.split(',').map((c) => c.trim().replace(/^"|"$/g, '')) : [];
}
