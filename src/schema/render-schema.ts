import { createHash } from 'node:crypto';
import type { ColumnDef, Migration, SchemaOp, SchemaSource } from './schema-ops.js';

/**
 * Renders migrations to SQL statements for one dialect, tracking the tables
 * as they evolve so that SQLite, which cannot alter a column's nullability
 * or drop a referenced column in place, gets the table rebuild alembic's
 * batch mode would do.
 */

export type SqlDialectName = 'sqlite' | 'postgres';

/**
 * What rendering DDL asks of a dialect (each dialect's object is in
 * src/persistence/dialects/), instead of comparing its name.
 */
export interface DdlDialect {
  readonly name: SqlDialectName;
  /** The column type of a date and time. */
  readonly timestampType: string;
  /** The type and clause of an auto-numbered integer primary key. */
  readonly serialPrimaryKey: string;
  /** UNIQUE is a named table constraint (as alembic creates it on PostgreSQL), not a unique index. */
  readonly uniqueAsConstraint: boolean;
  /** ALTER TABLE can drop a column and set NOT NULL in place; otherwise the table is rebuilt (alembic's batch mode). */
  readonly altersColumnsInPlace: boolean;
}

interface TableState {
  columns: ColumnDef[];
  indexes: { name: string; columns: readonly string[]; unique: boolean }[];
}

export interface RenderedMigration {
  readonly revision: string;
  readonly title: string;
  readonly statements: readonly string[];
}

const q = (name: string): string => `"${name}"`;

/** PostgreSQL keeps 63 bytes of an identifier; longer names would collide once cut. */
const MAX_IDENTIFIER_LENGTH = 63;

/**
 * A constraint or index name as Galaxy's database holds it: SQLAlchemy cuts a
 * naming-convention name longer than the dialect allows to its first
 * (limit - 8) characters, `_` and the last four hex digits of its md5. The
 * same name is used on every dialect, so a finding names a constraint alike
 * on SQLite and PostgreSQL.
 */
export function constraintName(name: string): string {
  if (name.length <= MAX_IDENTIFIER_LENGTH) return name;
  return `${name.slice(0, MAX_IDENTIFIER_LENGTH - 8)}_${createHash('md5').update(name).digest('hex').slice(-4)}`;
}

const qn = (name: string): string => q(constraintName(name));

function columnType(column: ColumnDef, dialect: DdlDialect): string {
  switch (column.type) {
    case 'integer':
      return 'INTEGER';
    case 'string':
      return `VARCHAR(${column.length ?? 255})`;
    case 'text':
    case 'json':
      return 'TEXT';
    case 'datetime':
      return dialect.timestampType;
  }
}

function columnSql(column: ColumnDef, dialect: DdlDialect, inline: boolean): string {
  if (column.primaryKey) return `${q(column.name)} ${dialect.serialPrimaryKey}`;
  let sql = `${q(column.name)} ${columnType(column, dialect)}`;
  if (column.nullable === false) sql += ' NOT NULL';
  if (inline && column.references) sql += ` CONSTRAINT ${qn(column.references.name)} REFERENCES ${q(column.references.table)} (${q('id')})`;
  return sql;
}

function createTableSql(table: string, state: TableState, dialect: DdlDialect): string {
  const parts = state.columns.map((c) => columnSql(c, dialect, false));
  for (const c of state.columns) {
    if (c.references) parts.push(`CONSTRAINT ${qn(c.references.name)} FOREIGN KEY (${q(c.name)}) REFERENCES ${q(c.references.table)} (${q('id')})`);
  }
  if (dialect.uniqueAsConstraint) {
    for (const ix of state.indexes.filter((i) => i.unique)) parts.push(`CONSTRAINT ${qn(ix.name)} UNIQUE (${ix.columns.map(q).join(', ')})`);
  }
  return `CREATE TABLE ${q(table)} (${parts.join(', ')})`;
}

function indexSql(table: string, index: TableState['indexes'][number], dialect: DdlDialect): string {
  if (index.unique && dialect.uniqueAsConstraint) return `ALTER TABLE ${q(table)} ADD CONSTRAINT ${qn(index.name)} UNIQUE (${index.columns.map(q).join(', ')})`;
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${qn(index.name)} ON ${q(table)} (${index.columns.map(q).join(', ')})`;
}

/** Renders a migration chain; the state carries over from migration to migration. */
export class SchemaRenderer {
  readonly #tables = new Map<string, TableState>();
  readonly #dialect: DdlDialect;
  readonly #source: SchemaSource;

  constructor(dialect: DdlDialect, source: SchemaSource) {
    this.#dialect = dialect;
    this.#source = source;
  }

  render(migration: Migration): RenderedMigration {
    const statements: string[] = [];
    for (const op of migration.ops) statements.push(...this.#renderOp(op));
    return { revision: migration.revision, title: migration.title, statements };
  }

  #table(name: string): TableState {
    const t = this.#tables.get(name);
    if (t === undefined) throw new Error(`migration refers to unknown table ${name}`);
    return t;
  }

  #renderOp(op: SchemaOp): string[] {
    const d = this.#dialect;
    switch (op.op) {
      case 'createTable': {
        const state: TableState = { columns: [...op.columns], indexes: [] };
        this.#tables.set(op.table, state);
        const indexes = op.columns.filter((c) => c.index).map((c) => ({ name: `ix_${op.table}_${c.name}`, columns: [c.name], unique: false }));
        state.indexes.push(...indexes);
        return [createTableSql(op.table, { columns: state.columns, indexes: [] }, d), ...indexes.map((ix) => indexSql(op.table, ix, d))];
      }
      case 'addColumn': {
        const state = this.#table(op.table);
        state.columns.push(op.column);
        const out = [`ALTER TABLE ${q(op.table)} ADD COLUMN ${columnSql(op.column, d, true)}`];
        if (op.column.index) {
          const ix = { name: `ix_${op.table}_${op.column.name}`, columns: [op.column.name], unique: false };
          state.indexes.push(ix);
          out.push(indexSql(op.table, ix, d));
        }
        return out;
      }
      case 'createIndex': {
        const ix = { name: op.name, columns: op.columns, unique: false };
        this.#table(op.table).indexes.push(ix);
        return [indexSql(op.table, ix, d)];
      }
      case 'addUniqueConstraint': {
        if (this.#source === 'orm' && !op.declaredInModel) return [];
        const ix = { name: op.name, columns: op.columns, unique: true };
        this.#table(op.table).indexes.push(ix);
        return [indexSql(op.table, ix, d)];
      }
      case 'dropColumn': {
        const state = this.#table(op.table);
        const column = state.columns.find((c) => c.name === op.column);
        state.columns = state.columns.filter((c) => c.name !== op.column);
        const dependentIndexes = state.indexes.filter((ix) => ix.columns.includes(op.column));
        state.indexes = state.indexes.filter((ix) => !ix.columns.includes(op.column));
        if (d.altersColumnsInPlace) return [`ALTER TABLE ${q(op.table)} DROP COLUMN ${q(op.column)}`];
        if (column?.references === undefined && dependentIndexes.length === 0) return [`ALTER TABLE ${q(op.table)} DROP COLUMN ${q(op.column)}`];
        return this.#rebuildTable(op.table, state);
      }
      case 'setNotNull': {
        const state = this.#table(op.table);
        state.columns = state.columns.map((c) => (c.name === op.column ? { ...c, nullable: false } : c));
        if (d.altersColumnsInPlace) return [`ALTER TABLE ${q(op.table)} ALTER COLUMN ${q(op.column)} SET NOT NULL`];
        return this.#rebuildTable(op.table, state);
      }
      case 'dropTable':
        this.#tables.delete(op.table);
        return [`DROP TABLE ${q(op.table)}`];
      case 'sql': {
        const text = op[d.name];
        return text === '' ? [] : [text];
      }
    }
  }

  /** The twelve-step table change of a dialect that cannot alter columns in place (SQLite; alembic batch mode): new table, copy, drop, rename, re-index. */
  #rebuildTable(table: string, state: TableState): string[] {
    const tmp = `_cardfuzz_rebuild_${table}`;
    const columns = state.columns.map((c) => q(c.name)).join(', ');
    return [
      createTableSql(tmp, { columns: state.columns, indexes: [] }, this.#dialect),
      `INSERT INTO ${q(tmp)} (${columns}) SELECT ${columns} FROM ${q(table)}`,
      `DROP TABLE ${q(table)}`,
      `ALTER TABLE ${q(tmp)} RENAME TO ${q(table)}`,
      ...state.indexes.map((ix) => indexSql(table, ix, this.#dialect)),
    ];
  }
}

/** Renders a whole chain of migrations for one dialect. */
export function renderMigrations(migrations: readonly Migration[], dialect: DdlDialect, source: SchemaSource): RenderedMigration[] {
  const renderer = new SchemaRenderer(dialect, source);
  return migrations.map((m) => renderer.render(m));
}
