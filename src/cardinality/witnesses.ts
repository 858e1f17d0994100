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
import { mostChildren } from './plan-rows.js';

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

export async function shrinkWitness(system: SystemUnderTest, relationship: Relationship, start: Case, budgetMs: number, options: { readonly toolFixed?: boolean } = {}): Promise<Case> {
  return (await reduceCase(start, (c) => witnessChildren(system, relationship, c) >= 2, budgetMs, options)).case;
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
