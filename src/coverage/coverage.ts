import { classifyShapes, type ShapeId } from '../expansion/shape-classes.js';
import type { ExecutionPlan } from '../executor/execution.js';
import type { Layouts } from '../executor/tables.js';
import { nestingDepth } from '../model/history.js';
import type { Case } from '../model/case.js';
import type { Catalog } from '../persistence/catalog.js';

/**
 * What a campaign explored: request shapes, collection types, nesting depths
 * and batch sizes generated, and a cardinality matrix — for every foreign key
 * of the schema, how many child rows its parents had (0, 1, 2 or many) in the
 * rows the cases wrote. Plain counts, so worker and shard results merge by
 * addition.
 */

export type CardinalityBucket = '0' | '1' | '2' | 'many';
export const BUCKETS: readonly CardinalityBucket[] = ['0', '1', '2', 'many'];

export interface Coverage {
  cases: number;
  shapes: Record<string, number>;
  collectionTypes: Record<string, number>;
  nestingDepths: Record<string, number>;
  batchSizes: Record<string, number>;
  /** `child.column -> parent`: counts per bucket. */
  cardinality: Record<string, Record<CardinalityBucket, number>>;
}

export interface Relationship {
  readonly name: string;
  readonly childTable: string;
  readonly column: string;
  readonly parentTable: string;
}

export function emptyCoverage(relationships: readonly Relationship[]): Coverage {
  return {
    cases: 0,
    shapes: {},
    collectionTypes: {},
    nestingDepths: {},
    batchSizes: {},
    cardinality: Object.fromEntries(relationships.map((r) => [r.name, { '0': 0, '1': 0, '2': 0, many: 0 }])),
  };
}

/** The schema's single-column foreign keys among the tables cardfuzz writes. */
export function relationshipsOf(catalog: Catalog, layouts: Layouts): Relationship[] {
  const out: Relationship[] = [];
  for (const table of Object.keys(layouts)) {
    for (const fk of catalog.get(table)?.foreignKeys ?? []) {
      if (fk.columns.length !== 1 || !(fk.parentTable in layouts) || !catalog.has(fk.parentTable)) continue;
      const column = fk.columns[0]!;
      if (!layouts[table as keyof Layouts].index.has(column)) continue;
      out.push({ name: `${table}.${column} -> ${fk.parentTable}`, childTable: table, column, parentTable: fk.parentTable });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

function bump(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

const bucketOf = (n: number): CardinalityBucket => (n === 0 ? '0' : n === 1 ? '1' : n === 2 ? '2' : 'many');

export class CoverageRecorder {
  readonly coverage: Coverage;
  readonly #relationships: readonly Relationship[];
  readonly #layouts: Layouts;

  constructor(relationships: readonly Relationship[], layouts: Layouts) {
    this.#relationships = relationships;
    this.#layouts = layouts;
    this.coverage = emptyCoverage(relationships);
  }

  record(c: Case, plan: ExecutionPlan): void {
    const cov = this.coverage;
    cov.cases++;
    for (const shape of classifyShapes(c, plan.expansion)) bump(cov.shapes, shape);
    for (const collection of c.history.collections) {
      bump(cov.collectionTypes, collection.collection_type);
      const depth = nestingDepth(collection);
      bump(cov.nestingDepths, depth >= 3 ? '3+' : String(depth));
    }
    for (const p of plan.expansion.params) if (p.batchValues !== null) bump(cov.batchSizes, p.batchValues >= 3 ? '3+' : String(p.batchValues));
    // Final column values per row, for the tables relationships touch.
    const rows = new Map<string, Map<number, unknown[]>>();
    for (const s of plan.statements) {
      let table = rows.get(s.table);
      if (table === undefined) {
        table = new Map();
        rows.set(s.table, table);
      }
      if (s.op === 'insert') table.set(s.values[0] as number, s.values.slice());
      else {
        const row = table.get(s.id);
        const index = this.#layouts[s.table].index.get(s.column);
        if (row !== undefined && index !== undefined) row[index] = s.value;
      }
    }
    for (const r of this.#relationships) {
      const parents = rows.get(r.parentTable);
      if (parents === undefined || parents.size === 0) continue;
      const index = this.#layouts[r.childTable as keyof Layouts].index.get(r.column)!;
      const children = new Map<unknown, number>();
      for (const row of rows.get(r.childTable)?.values() ?? []) {
        const parent = row[index];
        if (parent !== null && parent !== undefined) children.set(parent, (children.get(parent) ?? 0) + 1);
      }
      const counts = cov.cardinality[r.name]!;
      for (const id of parents.keys()) counts[bucketOf(children.get(id) ?? 0)]++;
    }
  }
}

/** Adds coverage counts (workers, shards, nights). */
export function mergeCoverage(a: Coverage, b: Coverage): Coverage {
  const add = (x: Record<string, number>, y: Record<string, number>): Record<string, number> => {
    const out = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  const cardinality: Coverage['cardinality'] = {};
  for (const name of new Set([...Object.keys(a.cardinality), ...Object.keys(b.cardinality)])) {
    const x = a.cardinality[name] ?? { '0': 0, '1': 0, '2': 0, many: 0 };
    const y = b.cardinality[name] ?? { '0': 0, '1': 0, '2': 0, many: 0 };
    cardinality[name] = { '0': x['0'] + y['0'], '1': x['1'] + y['1'], '2': x['2'] + y['2'], many: x.many + y.many };
  }
  return {
    cases: a.cases + b.cases,
    shapes: add(a.shapes, b.shapes),
    collectionTypes: add(a.collectionTypes, b.collectionTypes),
    nestingDepths: add(a.nestingDepths, b.nestingDepths),
    batchSizes: add(a.batchSizes, b.batchSizes),
    cardinality,
  };
}

export interface CoverageGap {
  readonly kind: 'shape' | 'cardinality';
  readonly name: string;
}

/** Buckets and shapes the reachable baseline reached but `coverage` did not; and the share reached. */
export function coverageGaps(coverage: Coverage, reachable: Coverage): { readonly gaps: readonly CoverageGap[]; readonly reachedShare: number } {
  const gaps: CoverageGap[] = [];
  let reachableCount = 0;
  for (const [shape, n] of Object.entries(reachable.shapes)) {
    if (n === 0) continue;
    reachableCount++;
    if ((coverage.shapes[shape] ?? 0) === 0) gaps.push({ kind: 'shape', name: shape as ShapeId });
  }
  for (const [name, buckets] of Object.entries(reachable.cardinality)) {
    for (const bucket of BUCKETS) {
      if (buckets[bucket] === 0) continue;
      reachableCount++;
      if ((coverage.cardinality[name]?.[bucket] ?? 0) === 0) gaps.push({ kind: 'cardinality', name: `${name} [${bucket}]` });
    }
  }
  return { gaps, reachedShare: reachableCount === 0 ? 1 : (reachableCount - gaps.length) / reachableCount };
}
