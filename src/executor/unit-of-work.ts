import { relationshipKey, type RelationshipDeclaration, type ScalarReplace } from './relationships.js';
import type { CellOf, CellsOf } from '../schema/galaxy-schema.js';
import type { Cell, ColumnOf, Layouts, TableName } from './tables.js';

/**
 * An ordered list of writes, as the database receives them: inserts in flush
 * order and single-column updates of rows flushed earlier.
 */
export type RowStatement =
  | { readonly op: 'insert'; readonly table: TableName; readonly values: readonly Cell[] }
  | { readonly op: 'update'; readonly table: TableName; readonly column: string; readonly id: number; readonly value: Cell };

export interface RowHandle<T extends TableName = TableName> {
  readonly table: T;
  readonly id: number;
  readonly values: Cell[];
  flushed: boolean;
}

interface ScalarLink {
  readonly key: string;
  readonly columnIndex: number;
  readonly column: string;
}

/**
 * A tiny model of SQLAlchemy's unit of work: rows are pending until
 * `commit()` flushes them in the order they were added; changes to flushed
 * rows become UPDATEs at the next commit. Assigning a foreign key that a
 * scalar relationship (`uselist=False`) reads follows the profile's
 * `scalarReplace` semantics: `raise` writes it as is (a database constraint,
 * if any, rejects the duplicate), `repoint` first unlinks the earlier child
 * (its foreign key becomes NULL), as SQLAlchemy's backref replacement does.
 */
export class UnitOfWork {
  readonly statements: RowStatement[] = [];
  readonly #layouts: Layouts;
  readonly #replace: ScalarReplace;
  readonly #scalarLinks: ReadonlyMap<TableName, readonly ScalarLink[]>;
  readonly #holders = new Map<string, Map<number, RowHandle>>();
  #pending: RowHandle[] = [];
  #updates: { row: RowHandle; column: string }[] = [];

  constructor(layouts: Layouts, scalarLinks: ReadonlyMap<TableName, readonly ScalarLink[]>, replace: ScalarReplace) {
    this.#layouts = layouts;
    this.#scalarLinks = scalarLinks;
    this.#replace = replace;
  }

  /**
   * Adds a pending row; missing columns are NULL. `cells` names declared
   * columns only (schema/galaxy-schema.ts), each with a value of its type: an
   * unknown column is a compile error. A declared column the variant's
   * revision does not have (the upstream tool request's `request` on the
   * branch, which dropped it) is not part of its layout and is not written.
   */
  add<T extends TableName>(table: T, id: number, cells: CellsOf<T>): RowHandle<T> {
    const layout: Layouts[TableName] = this.#layouts[table];
    const values: Cell[] = new Array<Cell>(layout.columns.length).fill(null);
    values[0] = id;
    const written = cells as Readonly<Record<string, Cell | undefined>>;
    for (const key in written) {
      const index = layout.index.get(key);
      if (index === undefined) continue;
      values[index] = written[key] ?? null;
    }
    const row: RowHandle<T> = { table, id, values, flushed: false };
    const links = this.#scalarLinks.get(table);
    if (links) {
      for (const link of links) {
        const parent = values[link.columnIndex];
        if (typeof parent === 'number') this.#claim(link, row, parent);
      }
    }
    this.#pending.push(row);
    return row;
  }

  /** Whether this variant writes `column` into `table`. */
  has<T extends TableName>(table: T, column: ColumnOf<T>): boolean {
    return this.#layouts[table].index.has(column);
  }

  /** Reads one column of a row as the session currently holds it. */
  get<T extends TableName>(row: RowHandle<T>, column: ColumnOf<T>): Cell {
    const index = this.#layouts[row.table].index.get(column);
    return index === undefined ? null : (row.values[index] ?? null);
  }

  /** Sets one column of a row, pending or flushed. */
  set<T extends TableName, C extends ColumnOf<T>>(row: RowHandle<T>, column: C, value: CellOf<T, C>): void {
    const index = this.#layouts[row.table].index.get(column);
    if (index === undefined) return;
    const link = this.#scalarLinks.get(row.table)?.find((l) => l.columnIndex === index);
    if (link) {
      const previous = row.values[index];
      const holders = this.#holders.get(link.key);
      if (typeof previous === 'number' && holders?.get(previous) === row) holders.delete(previous);
      if (typeof value === 'number') this.#claim(link, row, value);
    }
    this.#write(row, index, column, value);
  }

  /** Flushes pending rows (inserts) and changes to flushed rows (updates). */
  commit(): void {
    for (const row of this.#pending) {
      this.statements.push({ op: 'insert', table: row.table, values: row.values.slice() });
      row.flushed = true;
    }
    this.#pending = [];
    for (const { row, column } of this.#updates) {
      const index = this.#layouts[row.table].index.get(column)!;
      this.statements.push({ op: 'update', table: row.table, column, id: row.id, value: row.values[index] ?? null });
    }
    this.#updates = [];
  }

  #write(row: RowHandle, index: number, column: string, value: Cell): void {
    row.values[index] = value;
    if (row.flushed && !this.#updates.some((u) => u.row === row && u.column === column)) this.#updates.push({ row, column });
  }

  #claim(link: ScalarLink, row: RowHandle, parent: number): void {
    let holders = this.#holders.get(link.key);
    if (holders === undefined) {
      holders = new Map();
      this.#holders.set(link.key, holders);
    }
    const previous = holders.get(parent);
    if (previous !== undefined && previous !== row && this.#replace === 'repoint') {
      this.#write(previous, link.columnIndex, link.column, null);
    }
    holders.set(parent, row);
  }
}

/** Precomputes, per child table, the foreign-key columns that scalar relationships read. */
export function scalarLinksOf(layouts: Layouts, relationships: readonly RelationshipDeclaration[]): Map<TableName, ScalarLink[]> {
  const links = new Map<TableName, ScalarLink[]>();
  for (const r of relationships) {
    if (r.uselist) continue;
    const index = layouts[r.childTable].index.get(r.column);
    if (index === undefined) continue;
    const list = links.get(r.childTable) ?? [];
    list.push({ key: relationshipKey(r.childTable, r.column), columnIndex: index, column: r.column });
    links.set(r.childTable, list);
  }
  return links;
}
