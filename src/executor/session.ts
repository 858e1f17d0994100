import type { CellOf, CellsOf } from '../schema/galaxy-schema.js';
import type { Cell, ColumnOf, TableName } from './tables.js';
import type { RowHandle, UnitOfWork } from './unit-of-work.js';

/**
 * The model of Galaxy's `sa_session` as the executor's code uses it: rows are
 * added and columns assigned (typed by the schema declaration), ids are
 * minted per table, and the unit of work decides what reaches the database.
 * The session also keeps every row as the code assigned it — before the ORM
 * semantics re-point or drop anything — which is what the executor's intent
 * is derived from (derive-intent.ts). A row the code creates but no
 * persisted object references is `transient`: kept here, never inserted.
 */

/** A row as Galaxy's code wrote it. */
export interface SessionRow<T extends TableName = TableName> {
  readonly table: T;
  readonly id: number;
  /** The columns as the code assigned them, latest assignment last. */
  readonly cells: { readonly [column: string]: Cell };
  /** False for an object the session never inserts (the ICJ of a map-over without outputs, Q4). */
  readonly persisted: boolean;
  /** For a job: the execution slice it ran (its combination index) and the `_execute` pass. */
  readonly slice: { readonly combination: number; readonly pass: number } | undefined;
  readonly handle: RowHandle<T> | null;
}

/** One assignment to a column of an existing row, in order. */
export interface Assignment {
  readonly row: SessionRow;
  readonly column: string;
  readonly value: Cell;
}

export interface RowOptions {
  /** False for an object the session never inserts. */
  readonly persisted?: boolean;
  readonly slice?: SessionRow['slice'];
}

interface MutableRow extends SessionRow {
  readonly cells: { [column: string]: Cell };
}

export class Session {
  readonly #uow: UnitOfWork;
  readonly #next = new Map<TableName, number>();
  readonly #rows: MutableRow[] = [];
  readonly #assignments: Assignment[] = [];
  #recording = false;

  constructor(uow: UnitOfWork) {
    this.#uow = uow;
  }

  /** Rows written after `record()`, in the order the code added them. */
  get rows(): readonly SessionRow[] {
    return this.#rows;
  }

  get assignments(): readonly Assignment[] {
    return this.#assignments;
  }

  /** From here on, rows are kept for the intent (the history fixture before it is not). */
  record(): void {
    this.#recording = true;
  }

  /** The next id of a table (1, 2, ... unless `startAfter` moved it). */
  nextId(table: TableName): number {
    const id = this.#next.get(table) ?? 1;
    this.#next.set(table, id + 1);
    return id;
  }

  startAfter(table: TableName, max: number): void {
    this.#next.set(table, Math.max(this.#next.get(table) ?? 1, max + 1));
  }

  /** Adds a row with the next id of its table. */
  add<T extends TableName>(table: T, cells: CellsOf<T>, options?: RowOptions): SessionRow<T> {
    return this.addWithId(table, this.nextId(table), cells, options);
  }

  /** Adds a row with a given id (the history fixture's own ids). */
  addWithId<T extends TableName>(table: T, id: number, cells: CellsOf<T>, options?: RowOptions): SessionRow<T> {
    const persisted = options?.persisted ?? true;
    const handle = persisted ? this.#uow.add(table, id, cells) : null;
    const row: MutableRow = { table, id, cells: cells as MutableRow['cells'], persisted, handle, slice: options?.slice };
    if (this.#recording) this.#rows.push(row);
    return row as SessionRow<T>;
  }

  /** Assigns one column of a row (an UPDATE if the row was flushed). */
  set<T extends TableName, C extends ColumnOf<T>>(row: SessionRow<T>, column: C, value: CellOf<T, C>): void {
    if (row.handle !== null) this.#uow.set(row.handle, column, value);
    // The cells object is the one the code passed to `add` (a fresh literal at every call site), now the session's.
    (row as MutableRow).cells[column] = value;
    if (this.#recording) this.#assignments.push({ row, column, value });
  }

  /** A column as the session holds it now (after the ORM semantics): what Galaxy's code reads back. */
  get<T extends TableName>(row: SessionRow<T>, column: ColumnOf<T>): Cell {
    return row.handle === null ? (row.cells[column] ?? null) : this.#uow.get(row.handle, column);
  }

  commit(): void {
    this.#uow.commit();
  }
}
