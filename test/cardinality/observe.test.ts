import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseArbitrary } from '../../generators/case.js';
import { CardinalityObserver, type CardinalityObservation } from '../../src/cardinality/observe.js';
import { childrenPerParent, planRows } from '../../src/cardinality/plan-rows.js';
import { relationshipsOf, type Relationship } from '../../src/coverage/coverage.js';
import type { ExecutionPlan } from '../../src/executor/execution.js';
import type { Layouts, TableName } from '../../src/executor/tables.js';
import { classifyShapes } from '../../src/expansion/shape-classes.js';
import type { Case } from '../../src/model/case.js';
import { tablesUsedBy } from '../../src/persistence/open-case-database.js';
import { executorSettingsOf } from '../../src/profiles/settings.js';
import { openTarget } from '../../src/runner/open-target.js';

/**
 * The map's observer keeps its own counters on the campaign's hot path. Here
 * the same observation is computed the plain way, from `planRows` and
 * `childrenPerParent` (what the witness shrinker and the witness replay
 * count by), and the two must agree on every count.
 */

const bucketOf = (n: number): '0' | '1' | '2' | 'many' => (n === 0 ? '0' : n === 1 ? '1' : n === 2 ? '2' : 'many');

function plainObservation(samples: readonly { c: Case; plan: ExecutionPlan }[], relationships: readonly Relationship[], layouts: Layouts, tables: readonly string[]): CardinalityObservation {
  const obs: CardinalityObservation = { cases: 0, shapes: {}, relationships: {}, columns: {} };
  for (const r of relationships) obs.relationships[r.name] = { parents: 0, children: 0, mostChildren: 0, buckets: { '0': 0, '1': 0, '2': 0, many: 0 }, cases: 0, shapes: {} };
  for (const table of tables) for (const column of layouts[table as TableName]?.columns.slice(1) ?? []) obs.columns[`${table}.${column}`] = { rows: 0, nulls: 0 };
  for (const { c, plan } of samples) {
    obs.cases++;
    const shapes = classifyShapes(c, plan.expansion);
    for (const s of shapes) obs.shapes[s] = (obs.shapes[s] ?? 0) + 1;
    const rows = planRows(plan, layouts);
    for (const r of relationships) {
      const parents = rows.get(r.parentTable);
      if (parents === undefined || parents.size === 0) continue;
      const o = obs.relationships[r.name]!;
      o.parents += parents.size;
      o.cases++;
      for (const s of shapes) o.shapes[s] = (o.shapes[s] ?? 0) + 1;
      const children = childrenPerParent(rows, r, layouts);
      for (const id of parents.keys()) {
        const n = children.get(id) ?? 0;
        o.buckets[bucketOf(n)]++;
        o.children += n;
        o.mostChildren = Math.max(o.mostChildren, n);
      }
    }
    for (const table of tables) {
      const columns = layouts[table as TableName]?.columns ?? [];
      for (const row of rows.get(table)?.values() ?? []) {
        if (row.fixture) continue;
        for (let i = 1; i < columns.length; i++) {
          const o = obs.columns[`${table}.${columns[i]}`]!;
          o.rows++;
          if (row.values[i] === null || row.values[i] === undefined) o.nulls++;
        }
      }
    }
  }
  return obs;
}

describe('the cardinality observer', () => {
  for (const profile of ['branch-fixed', 'upstream']) {
    it(`counts what planRows and childrenPerParent count, on ${profile}`, async () => {
      const { system, database } = await openTarget({ profile, settings: {}, dialect: 'sqlite' });
      try {
        const layouts = system.executor.layouts;
        const relationships = relationshipsOf(database.catalog, layouts);
        const tables = tablesUsedBy(executorSettingsOf(system.settings));
        const samples: { c: Case; plan: ExecutionPlan }[] = [];
        for (const c of fc.sample(caseArbitrary(), { numRuns: 600, seed: 11 })) {
          try {
            samples.push({ c, plan: system.plan(c) });
          } catch {
            // refused by the model: not observed
          }
        }
        const observer = new CardinalityObserver(relationships, layouts, tables);
        for (const { c, plan } of samples) observer.record(c, plan);
        const expected = plainObservation(samples, relationships, layouts, tables);
        expect(observer.observation).toEqual(expected);
        // Something was counted: parents with two or more children, a column left NULL, a fixture-only table.
        expect(Object.values(expected.relationships).some((o) => o.mostChildren >= 2)).toBe(true);
        expect(Object.values(expected.columns).some((o) => o.nulls > 0 && o.nulls < o.rows)).toBe(true);
        // The candidates are the smallest cases (by statements) that gave some parent two children.
        for (const [name, candidate] of observer.candidates) {
          const r = relationships.find((x) => x.name === name)!;
          const smallest = Math.min(
            ...samples.filter(({ plan }) => Math.max(0, ...childrenPerParent(planRows(plan, layouts), r, layouts).values()) >= 2).map(({ plan }) => plan.statements.length),
          );
          expect([name, candidate.size]).toEqual([name, smallest]);
        }
        expect(observer.candidates.size).toBe(Object.values(expected.relationships).filter((o) => o.mostChildren >= 2).length);
      } finally {
        await database.close();
      }
    });
  }
});
