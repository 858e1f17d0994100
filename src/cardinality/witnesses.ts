import type { Relationship } from '../coverage/coverage.js';
import { shapeClassOf } from '../expansion/shape-classes.js';
import type { Case } from '../model/case.js';
import type { CaseDatabase } from '../persistence/case-database.js';
import { caseRunOptions } from '../runner/execution-group.js';
import { fingerprintOf } from '../runner/finding.js';
import { violationOf, type ExecutionProperty } from '../runner/property.js';
import type { SystemUnderTest } from '../runner/system-under-test.js';
import { reduceCase } from '../shrink/reduce-case.js';
import type { Witness, WitnessJudgement } from './cardinality-map.js';
import { childrenPerParent, mostChildren, planRows, type PlanRows } from './plan-rows.js';

/**
 * Witnesses: the smallest request that still gives one parent two children
 * along a foreign key. Shrinking judges the model's rows only (no database),
 * so it is cheap; the shrunk witness is then written once to the target
 * database and judged by the properties that would report it, so a
 * conflict carries the fingerprint a campaign's finding would.
 */

/** Children of the busiest parent along `relationship` when `c` runs; 0 when the model refuses the case. */
export function witnessChildren(system: SystemUnderTest, relationship: Relationship, c: Case): number {
  try {
    return mostChildren(system.plan(c), relationship, system.executor.layouts);
  } catch {
    return 0;
  }
}

/**
 * `witnessChildren` for the cases the witness shrinkers try, each case
 * planned once whichever relationship asks: shrinking one witness after
 * another, from a case already shrunk for a relationship before, retries
 * the same candidates (the fixpoint check alone plans every edit of the
 * case). Keyed by the case's JSON; bounded.
 */
export class WitnessCounter {
  static readonly LIMIT = 20_000;
  readonly #system: SystemUnderTest;
  readonly #rows = new Map<string, PlanRows | null>();
  readonly #children = new Map<unknown, number>();

  constructor(system: SystemUnderTest) {
    this.#system = system;
  }

  children(relationship: Relationship, c: Case): number {
    const key = JSON.stringify(c);
    let rows = this.#rows.get(key);
    if (rows === undefined) {
      try {
        rows = planRows(this.#system.plan(c), this.#system.executor.layouts);
      } catch {
        rows = null; // the model refuses the case
      }
      if (this.#rows.size >= WitnessCounter.LIMIT) this.#rows.clear();
      this.#rows.set(key, rows);
    }
    if (rows === null) return 0;
    let most = 0;
    for (const n of childrenPerParent(rows, relationship, this.#system.executor.layouts, this.#children).values()) if (n > most) most = n;
    return most;
  }
}

export async function shrinkWitness(
  system: SystemUnderTest,
  relationship: Relationship,
  start: Case,
  budgetMs: number,
  options: { readonly toolFixed?: boolean; readonly counter?: WitnessCounter } = {},
): Promise<Case> {
  const counter = options.counter ?? new WitnessCounter(system);
  return (await reduceCase(start, (c) => counter.children(relationship, c) >= 2, budgetMs, options)).case;
}

/**
 * Writes the witness and judges it by `properties` in order (the first
 * that fails names the finding). Null fields when every one holds.
 */
export async function judgeWitness(system: SystemUnderTest, database: CaseDatabase, properties: readonly ExecutionProperty[], c: Case, shapeClass: string): Promise<WitnessJudgement> {
  const plan = system.plan(c);
  const outcome = await database.runCase(plan, caseRunOptions(properties));
  for (const property of properties) {
    const v = violationOf(property.check({ case: c, plan, outcome, system }));
    if (v === null) continue; // held, or not judged
    return { property: property.id, fingerprint: fingerprintOf(property.id, v, shapeClass), constraint: v.constraint, message: v.message };
  }
  return { property: null, fingerprint: null, constraint: null, message: null };
}

export async function makeWitness(system: SystemUnderTest, database: CaseDatabase, properties: readonly ExecutionProperty[], relationship: Relationship, c: Case, reused: boolean): Promise<Witness> {
  const plan = system.plan(c);
  const shapeClass = shapeClassOf(c, plan.expansion);
  return {
    case: c,
    shapeClass,
    children: mostChildren(plan, relationship, system.executor.layouts),
    reused,
    judgement: await judgeWitness(system, database, properties, c, shapeClass),
  };
}
