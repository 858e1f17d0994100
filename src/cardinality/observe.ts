import { BUCKETS, type CardinalityBucket, type Relationship } from '../coverage/coverage.js';
import { shapeBits, shapesIn } from '../expansion/shape-classes.js';
import type { ExecutionPlan } from '../executor/execution.js';
import type { Layouts, TableName } from '../executor/tables.js';
import type { Case } from '../model/case.js';

/**
 * What the cardinality map observes over a campaign, case by case, from the
 * rows the model writes: per foreign key, how many children its parents had
 * (the coverage buckets, the most seen, the shapes of the cases that wrote a
 * parent), the first small case giving one parent two children (the witness
 * candidate), and per column of the rows the executions wrote, how often it
 * was left NULL. Plain counts: observations merge by addition.
 */

export interface RelationshipObservation {
  /** Parent rows written. */
  parents: number;
  /** Child rows pointing at one of them. */
  children: number;
  mostChildren: number;
  buckets: Record<CardinalityBucket, number>;
  /** Cases that wrote a parent row. */
  cases: number;
  /** Shapes of the cases that wrote a parent row, with their counts. */
  shapes: Record<string, number>;
}

export interface ColumnObservation {
  /** Rows the executions inserted (history fixture rows are not the writer's). */
  rows: number;
  nulls: number;
}

export interface CardinalityObservation {
  cases: number;
  shapes: Record<string, number>;
  relationships: Record<string, RelationshipObservation>;
  /** `table.column`. */
  columns: Record<string, ColumnObservation>;
}

export interface WitnessCandidate {
  readonly case: Case;
  /** Statements its plan writes: the smaller, the cheaper to shrink. */
  readonly size: number;
}

export function emptyObservation(relationships: readonly Relationship[], layouts: Layouts, tables: readonly string[]): CardinalityObservation {
  const columns: Record<string, ColumnObservation> = {};
  for (const table of tables) for (const column of layouts[table as TableName]?.columns.slice(1) ?? []) columns[`${table}.${column}`] = { rows: 0, nulls: 0 };
  return {
    cases: 0,
    shapes: {},
    relationships: Object.fromEntries(relationships.map((r) => [r.name, { parents: 0, children: 0, mostChildren: 0, buckets: { '0': 0, '1': 0, '2': 0, many: 0 }, cases: 0, shapes: {} }])),
    columns,
  };
}

const BUCKET_KEYS = ['0', '1', '2', 'many'] as const;
const bucketIndex = (n: number): number => (n >= 3 ? 3 : n);

/** One relationship's counts while observing; its shapes counted by shape set (`#comboOf`). */
interface RelationshipCounts {
  readonly name: string;
  readonly child: number;
  /** The foreign key's position in the child table's layout (-1: the layout lacks it). */
  readonly column: number;
  readonly parent: number;
  parents: number;
  children: number;
  mostChildren: number;
  readonly buckets: [number, number, number, number];
  cases: number;
  /** Cases by shape set number. */
  readonly combos: number[];
}

/**
 * One table's rows in the plan being observed; reused from case to case (the
 * first `count` entries are this case's; the rest, up to the largest case
 * seen, still point at earlier plans' arrays until overwritten).
 */
interface TableRows {
  readonly index: ReadonlyMap<string, number>;
  count: number;
  /** Each row's values (the insert's array, copied on its first update). */
  readonly values: (readonly unknown[])[];
  readonly fixture: boolean[];
  readonly copied: boolean[];
  /** Row id to position in `values`, built only once an update or an out-of-order id needs it. */
  readonly slots: Map<unknown, number>;
  indexed: boolean;
  /** The last id inserted: ids usually rise, so a new row needs no lookup. */
  lastId: number;
}

/**
 * Observes case after case. It is on the campaign's hot path (every
 * generated case), so it keeps plain counters and reusable per-table row
 * lists instead of the records of `CardinalityObservation`, which it builds
 * on demand; the counts are those of `planRows` and `childrenPerParent`
 * (test/cardinality/observe.test.ts checks the two agree).
 */
export class CardinalityObserver {
  /** Per relationship, the smallest case seen giving one parent two or more children. */
  readonly candidates = new Map<string, WitnessCandidate>();
  readonly #witnessed: readonly boolean[];
  readonly #relationships: readonly RelationshipCounts[];
  /** Table name to its number (a plain object: looked up for every statement of every case). */
  readonly #tableNumbers: Record<string, number> = Object.create(null) as Record<string, number>;
  readonly #tables: TableRows[] = [];
  /** Tables whose columns are counted: table number, row count, NULLs per column. */
  readonly #columns: readonly { readonly table: number; readonly name: string; readonly columns: readonly string[]; rows: number; readonly nulls: number[] }[];
  /** The shape sets cases had (`shapeBits`), numbered in order of first sight. */
  readonly #combos: number[] = [];
  readonly #comboNumbers = new Map<number, number>();
  readonly #comboCounts: number[] = [];
  readonly #touched: number[] = [];
  #children = new Int32Array(256);
  #cases = 0;
  #observation: CardinalityObservation | null = null;

  /** `witnessed`: relationships that already have a witness; no candidate is kept for them. */
  constructor(relationships: readonly Relationship[], layouts: Layouts, tables: readonly string[], witnessed: ReadonlySet<string> = new Set()) {
    const tableNumber = (table: string): number => {
      return this.#tableNumber(table, layouts[table as TableName]?.index ?? new Map());
    };
    for (const table of Object.keys(layouts)) tableNumber(table);
    this.#relationships = relationships.map((r) => ({
      name: r.name,
      child: tableNumber(r.childTable),
      column: layouts[r.childTable as TableName]?.index.get(r.column) ?? -1,
      parent: tableNumber(r.parentTable),
      parents: 0,
      children: 0,
      mostChildren: 0,
      buckets: [0, 0, 0, 0],
      cases: 0,
      combos: [],
    }));
    this.#witnessed = relationships.map((r) => witnessed.has(r.name));
    this.#columns = tables.map((table) => {
      const columns = (layouts[table as TableName]?.columns ?? []).slice(1) as string[];
      return { table: tableNumber(table), name: table, columns, rows: 0, nulls: columns.map(() => 0) };
    });
  }

  /** The counts so far, as plain records (built once per change). */
  get observation(): CardinalityObservation {
    if (this.#observation !== null) return this.#observation;
    const shapes = (counts: readonly number[]): Record<string, number> => {
      const out: Record<string, number> = {};
      counts.forEach((n, combo) => {
        if (n > 0) for (const shape of shapesIn(this.#combos[combo]!, 'tool-request')) out[shape] = (out[shape] ?? 0) + n;
      });
      return out;
    };
    const relationships: Record<string, RelationshipObservation> = {};
    for (const r of this.#relationships) {
      const buckets = Object.fromEntries(BUCKET_KEYS.map((k, i) => [k, r.buckets[i]!])) as Record<CardinalityBucket, number>;
      relationships[r.name] = { parents: r.parents, children: r.children, mostChildren: r.mostChildren, buckets, cases: r.cases, shapes: shapes(r.combos) };
    }
    const columns: Record<string, ColumnObservation> = {};
    for (const t of this.#columns) t.columns.forEach((c, i) => (columns[`${t.name}.${c}`] = { rows: t.rows, nulls: t.nulls[i]! }));
    this.#observation = { cases: this.#cases, shapes: shapes(this.#comboCounts), relationships, columns };
    return this.#observation;
  }

  record(c: Case, plan: ExecutionPlan): void {
    this.#observation = null;
    this.#cases++;
    const combo = this.#comboOf(c, plan);
    this.#collectRows(plan);
    const tables = this.#tables;
    for (let k = 0; k < this.#relationships.length; k++) {
      const r = this.#relationships[k]!;
      const parents = tables[r.parent]!;
      if (parents.count === 0) continue;
      r.parents += parents.count;
      r.cases++;
      r.combos[combo]!++;
      const most = this.#countChildren(r, parents);
      if (most > r.mostChildren) r.mostChildren = most;
      if (most >= 2 && !this.#witnessed[k]) {
        const seen = this.candidates.get(r.name);
        if (seen === undefined || plan.statements.length < seen.size) this.candidates.set(r.name, { case: c, size: plan.statements.length });
      }
    }
    for (const t of this.#columns) {
      const rows = tables[t.table]!;
      const nulls = t.nulls;
      for (let j = 0; j < rows.count; j++) {
        if (rows.fixture[j]) continue;
        t.rows++;
        const values = rows.values[j]!;
        for (let i = 0; i < nulls.length; i++) {
          const v = values[i + 1];
          if (v === null || v === undefined) nulls[i]!++;
        }
      }
    }
    this.#clearRows();
  }

  #tableNumber(table: string, index: ReadonlyMap<string, number>): number {
    let n = this.#tableNumbers[table];
    if (n === undefined) {
      n = this.#tables.length;
      this.#tableNumbers[table] = n;
      this.#tables.push({ index, count: 0, values: [], fixture: [], copied: [], slots: new Map(), indexed: false, lastId: -Infinity });
    }
    return n;
  }

  /** The number of the case's shape set: one count per relationship per case, whatever the number of shapes (their order does not matter to counts). */
  #comboOf(c: Case, plan: ExecutionPlan): number {
    const bits = shapeBits(c, plan.expansion);
    let combo = this.#comboNumbers.get(bits);
    if (combo === undefined) {
      combo = this.#combos.length;
      this.#comboNumbers.set(bits, combo);
      this.#combos.push(bits);
      this.#comboCounts.push(0);
      for (const r of this.#relationships) r.combos.push(0);
    }
    this.#comboCounts[combo]!++;
    return combo;
  }

  /** The rows the plan leaves behind, as `planRows` gives them (inserts with later updates applied). */
  #collectRows(plan: ExecutionPlan): void {
    const statements = plan.statements;
    for (let i = 0; i < statements.length; i++) {
      const s = statements[i]!;
      const n = this.#tableNumbers[s.table] ?? this.#tableNumber(s.table, new Map());
      const t = this.#tables[n]!;
      if (s.op === 'insert') {
        if (t.count === 0) this.#touched.push(n);
        const id = s.values[0];
        const fixture = i < plan.fixtureStatements;
        const fresh = !t.indexed && typeof id === 'number' && id > t.lastId;
        const slot = fresh ? undefined : this.#slots(t).get(id);
        if (slot !== undefined) {
          // A second insert of the same id replaces the first, as in planRows.
          t.values[slot] = s.values;
          t.fixture[slot] = fixture;
          t.copied[slot] = false;
          continue;
        }
        const next = t.count++;
        if (fresh) t.lastId = id;
        else t.slots.set(id, next);
        t.values[next] = s.values;
        t.fixture[next] = fixture;
        t.copied[next] = false;
      } else {
        const slot = this.#slots(t).get(s.id);
        const index = t.index.get(s.column);
        if (slot === undefined || index === undefined) continue;
        if (!t.copied[slot]) {
          t.values[slot] = t.values[slot]!.slice();
          t.copied[slot] = true;
        }
        (t.values[slot] as unknown[])[index] = s.value;
      }
    }
  }

  #slots(t: TableRows): Map<unknown, number> {
    if (!t.indexed) {
      for (let j = 0; j < t.count; j++) t.slots.set(t.values[j]![0], j);
      t.indexed = true;
    }
    return t.slots;
  }

  #clearRows(): void {
    for (const n of this.#touched) {
      const t = this.#tables[n]!;
      t.count = 0;
      t.lastId = -Infinity;
      if (t.indexed) {
        t.slots.clear();
        t.indexed = false;
      }
    }
    this.#touched.length = 0;
  }

  /** Buckets the parents of one relationship in one case (children in a typed array indexed by parent id, reset after); returns the most children one had. */
  #countChildren(r: RelationshipCounts, parents: TableRows): number {
    const child = this.#tables[r.child]!;
    let any = false;
    if (r.column >= 0) {
      for (let j = 0; j < child.count; j++) {
        if (child.fixture[j]) continue;
        const v = child.values[j]![r.column];
        if (typeof v !== 'number') continue;
        if (v >= this.#children.length) {
          const grown = new Int32Array(Math.max(v + 1, this.#children.length * 2));
          grown.set(this.#children);
          this.#children = grown;
        }
        this.#children[v]!++;
        any = true;
      }
    }
    if (!any) {
      r.buckets[0] += parents.count;
      return 0;
    }
    const counts = this.#children;
    let most = 0;
    for (let j = 0; j < parents.count; j++) {
      const id = parents.values[j]![0] as number;
      const n = id < counts.length ? counts[id]! : 0;
      r.buckets[bucketIndex(n)]!++;
      r.children += n;
      if (n > most) most = n;
    }
    for (let j = 0; j < child.count; j++) {
      const v = child.values[j]![r.column];
      if (typeof v === 'number') counts[v] = 0;
    }
    return most;
  }
}

/** Adds observations (workers, shards). */
export function mergeObservations(a: CardinalityObservation, b: CardinalityObservation): CardinalityObservation {
  const add = (x: Record<string, number>, y: Record<string, number>): Record<string, number> => {
    const out = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  const relationships: Record<string, RelationshipObservation> = {};
  for (const name of new Set([...Object.keys(a.relationships), ...Object.keys(b.relationships)])) {
    const x = a.relationships[name];
    const y = b.relationships[name];
    if (x === undefined || y === undefined) {
      relationships[name] = structuredClone((x ?? y)!);
      continue;
    }
    const buckets = Object.fromEntries(BUCKETS.map((k) => [k, x.buckets[k] + y.buckets[k]])) as Record<CardinalityBucket, number>;
    relationships[name] = { parents: x.parents + y.parents, children: x.children + y.children, mostChildren: Math.max(x.mostChildren, y.mostChildren), buckets, cases: x.cases + y.cases, shapes: add(x.shapes, y.shapes) };
  }
  const columns: Record<string, ColumnObservation> = {};
  for (const name of new Set([...Object.keys(a.columns), ...Object.keys(b.columns)])) {
    const x = a.columns[name] ?? { rows: 0, nulls: 0 };
    const y = b.columns[name] ?? { rows: 0, nulls: 0 };
    columns[name] = { rows: x.rows + y.rows, nulls: x.nulls + y.nulls };
  }
  return { cases: a.cases + b.cases, shapes: add(a.shapes, b.shapes), relationships, columns };
}
