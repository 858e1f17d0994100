import Database from 'better-sqlite3';
import type { Layouts } from '../../../executor/tables.js';
import type { RowStatement } from '../../../executor/unit-of-work.js';
import type { ConstraintKind, ConstraintViolation } from '../../case-database.js';
import { findUnique, type Catalog } from '../../catalog.js';

/**
 * Classifies a better-sqlite3 error raised by one of a case's writes into a
 * dialect-neutral ConstraintViolation. SQLite names the columns of a UNIQUE
 * or NOT NULL failure but not the constraint, and nothing of a foreign-key
 * failure; the catalog and the failing statement fill in the rest.
 */
type SqliteError = InstanceType<typeof Database.SqliteError>;

export function isSqliteError(error: unknown): error is SqliteError {
  return error instanceof Database.SqliteError;
}

const KIND_BY_CODE: Readonly<Record<string, ConstraintKind>> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'primary-key',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign-key',
  SQLITE_CONSTRAINT_NOTNULL: 'not-null',
  SQLITE_CONSTRAINT_CHECK: 'check',
};

export function classifySqliteError(
  error: SqliteError,
  statement: RowStatement,
  catalog: Catalog,
  layouts: Layouts,
  parentExists: (table: string, column: string, value: unknown) => boolean,
): ConstraintViolation {
  const kind = KIND_BY_CODE[error.code] ?? 'other';
  if (kind !== 'foreign-key') return classifyByMessage(kind, error.message, statement.table, catalog, null);
  const fks = catalog.get(statement.table)?.foreignKeys ?? [];
  const layout = layouts[statement.table];
  const failing = fks.find((fk) => {
    if (fk.columns.length !== 1) return false;
    const column = fk.columns[0]!;
    const value = statement.op === 'insert' ? statement.values[layout.index.get(column) ?? -1] : statement.column === column ? statement.value : null;
    return value !== null && value !== undefined && !parentExists(fk.parentTable, fk.parentColumns[0] ?? 'id', value);
  });
  return { kind, table: statement.table, columns: failing?.columns ?? [], constraint: failing?.name ?? null, message: error.message };
}

/** An error raised by a schema step (a migration's DDL or backfill): the step's SQL names what it creates and touches. */
export function classifySqliteStepError(error: SqliteError, sql: string, catalog: Catalog): ConstraintViolation {
  const kind = KIND_BY_CODE[error.code] ?? 'other';
  const created = /(?:UNIQUE INDEX|CONSTRAINT)\s+"([^"]+)"/i.exec(sql)?.[1] ?? null;
  const touched = /(?:\bON|ALTER TABLE|INSERT INTO|UPDATE|DELETE FROM)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?/i.exec(sql)?.[1] ?? null;
  return classifyByMessage(kind, error.message, touched, catalog, created);
}

function classifyByMessage(kind: ConstraintKind, message: string, fallbackTable: string | null, catalog: Catalog, created: string | null): ConstraintViolation {
  switch (kind) {
    case 'unique':
    case 'primary-key': {
      const indexMatch = /index '([^']+)'/.exec(message);
      if (indexMatch) {
        for (const table of catalog.values()) {
          const u = table.uniques.find((x) => x.name === indexMatch[1]);
          if (u) return { kind, table: table.name, columns: u.columns, constraint: u.name, message };
        }
        return { kind, table: fallbackTable, columns: [], constraint: indexMatch[1]!, message };
      }
      const { table, columns } = tableColumns(message, fallbackTable);
      return { kind, table, columns, constraint: created ?? (table === null ? null : (findUnique(catalog, table, columns)?.name ?? null)), message };
    }
    case 'not-null': {
      const { table, columns } = tableColumns(message, fallbackTable);
      return { kind, table, columns, constraint: null, message };
    }
    case 'check':
      return { kind, table: fallbackTable, columns: [], constraint: /CHECK constraint failed: (.+)$/.exec(message)?.[1] ?? null, message };
    default:
      return { kind, table: fallbackTable, columns: [], constraint: created, message };
  }
}

/** Parses `...: table.a, table.b` into the table and its columns. */
function tableColumns(message: string, fallbackTable: string | null): { table: string | null; columns: string[] } {
  const list = message.split(': ').slice(1).join(': ');
  const parts = list.split(',').map((p) => p.trim()).filter((p) => p.includes('.'));
  if (parts.length === 0) return { table: fallbackTable, columns: [] };
  const table = parts[0]!.slice(0, parts[0]!.indexOf('.'));
  return { table, columns: parts.map((p) => p.slice(p.indexOf('.') + 1)) };
}
