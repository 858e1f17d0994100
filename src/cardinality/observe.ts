import { BUCKETS, type CardinalityBucket, type Relationship } from '../coverage/coverage.js';
import { classifyShapes } from '../expansion/shape-classes.js';
import type { ExecutionPlan } from '../executor/execution.js';
import type { Layouts, TableName } from '../executor/tables.js';
import type { Case } from '../model/case.js';
import { planRows, type PlanRow, type PlanRows } from './plan-rows.js';

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

const bucketOf = (n: number): CardinalityBucket => (n === 0 ? '0' : n === 1 ? '1' : n === 2 ? '2' : 'many');

export class CardinalityObserver {
  readonly observation: CardinalityObservation;
  /** Per relationship, the smallest case seen giving one parent two or more children. */
  readonly candidates = new Map<string, WitnessCandidate>();
  readonly #relationships: readonly Relationship[];
  readonly #layouts: Layouts;
  readonly #witnessed: ReadonlySet<string>;
  readonly #counts = { a: new Int32Array(256) };
  readonly #childIndex: ReadonlyMap<string, number>;
  readonly #columns: readonly { readonly table: string; readonly names: readonly (ColumnObservation | undefined)[] }[];

  /** `witnessed`: relationships that already have a witness; no candidate is kept for them. */
  constructor(relationships: readonly Relationship[], layouts: Layouts, tables: readonly string[], witnessed: ReadonlySet<string> = new Set()) {
    this.#relationships = relationships;
    this.#layouts = layouts;
    this.#witnessed = witnessed;
    this.observation = emptyObservation(relationships, layouts, tables);
    this.#childIndex = new Map(relationships.map((r) => [r.name, layouts[r.childTable as TableName]?.index.get(r.column) ?? -1]));
    this.#columns = tables.map((table) => ({ table, names: (layouts[table as TableName]?.columns ?? []).map((c, i) => (i === 0 ? undefined : this.observation.columns[`${table}.${c}`])) }));
  }

  /** Buckets the parents of one relationship in one case; returns the most children one had. */
  #countChildren(rows: PlanRows, r: Relationship, parents: ReadonlyMap<number, PlanRow>, o: RelationshipObservation): number {
    const index = this.#childIndex.get(r.name)!;
    const childRows = rows.get(r.childTable);
    if (index < 0 || !countInto(this.#counts, childRows, index)) {
      o.buckets['0'] += parents.size;
      return 0;
    }
    const counts = this.#counts.a;
    let most = 0;
    for (const id of parents.keys()) {
      const n = id < counts.length ? counts[id]! : 0;
      o.buckets[bucketOf(n)]++;
      o.children += n;
      if (n > most) most = n;
    }
    for (const row of childRows!.values()) {
      const v = row.values[index];
      if (typeof v === 'number') counts[v] = 0;
    }
    return most;
  }

  record(c: Case, plan: ExecutionPlan): void {
    const obs = this.observation;
    obs.cases++;
    const shapes = classifyShapes(c, plan.expansion);
    for (const shape of shapes) obs.shapes[shape] = (obs.shapes[shape] ?? 0) + 1;
    const rows = planRows(plan, this.#layouts);
    for (const r of this.#relationships) {
      const parents = rows.get(r.parentTable);
      if (parents === undefined || parents.size === 0) continue;
      const o = obs.relationships[r.name]!;
      o.parents += parents.size;
      o.cases++;
      for (const shape of shapes) o.shapes[shape] = (o.shapes[shape] ?? 0) + 1;
      const most = this.#countChildren(rows, r, parents, o);
      if (most > o.mostChildren) o.mostChildren = most;
      if (most >= 2 && !this.#witnessed.has(r.name)) {
        const seen = this.candidates.get(r.name);
        if (seen === undefined || plan.statements.length < seen.size) this.candidates.set(r.name, { case: c, size: plan.statements.length });
      }
    }
    for (const { table, names } of this.#columns) {
      for (const row of rows.get(table)?.values() ?? []) {
        if (row.fixture) continue;
        for (let i = 1; i < names.length; i++) {
          const column = names[i]!;
          column.rows++;
          const v = row.values[i];
          if (v === null || v === undefined) column.nulls++;
        }
      }
    }
  }
}

/** Children per parent id, in a typed array indexed by id (ids are small integers per table and case); reset after each use. */
function countInto(counts: { a: Int32Array }, table: ReadonlyMap<number, PlanRow> | undefined, index: number): boolean {
  if (table === undefined) return false;
  let any = false;
  for (const row of table.values()) {
    if (row.fixture) continue;
    const v = row.values[index];
    if (typeof v !== 'number') continue;
    if (v >= counts.a.length) {
      const grown = new Int32Array(Math.max(v + 1, counts.a.length * 2));
      grown.set(counts.a);
      counts.a = grown;
    }
    counts.a[v]!++;
    any = true;
  }
  return any;
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
