import type fc from 'fast-check';
import { shapeClassOf } from '../expansion/shape-classes.js';
import type { Case } from '../model/case.js';
import type { UpgradeDatabase } from '../persistence/case-database.js';
import { reduceCase } from '../shrink/reduce-case.js';
import type { PropertyGroup } from './property-group.js';
import type { UpgradeEvaluation, UpgradeProperty } from './property.js';
import type { SystemUnderTest } from './system-under-test.js';

/**
 * The upgrade property's group: a history of cases planned by the previous
 * profile, written into its schema, then upgraded by the target's
 * migrations. Histories shrink by dropping cases, then by reducing each case.
 */
export function upgradeGroup(
  previous: SystemUnderTest,
  target: SystemUnderTest,
  database: UpgradeDatabase,
  arbitrary: fc.Arbitrary<readonly Case[]>,
  properties: readonly UpgradeProperty[],
  options: { readonly toolFixed?: boolean } = {},
): PropertyGroup<readonly Case[], UpgradeEvaluation> {
  const runSync = database.runUpgradeSync?.bind(database);
  const evaluate = (cases: readonly Case[]): UpgradeEvaluation | Promise<UpgradeEvaluation> => {
    const plans = cases.map((c) => previous.plan(c));
    if (runSync) return { cases, plans, outcome: runSync(plans), previous, target };
    return database.runUpgrade(plans).then((outcome) => ({ cases, plans, outcome, previous, target }));
  };
  return {
    name: 'upgrade',
    arbitrary,
    properties,
    synchronous: runSync !== undefined,
    evaluate,
    async reduce(cases, stillFails, budgetMs) {
      const deadline = performance.now() + budgetMs;
      let best = cases;
      for (let i = 0; i < best.length && best.length > 1; ) {
        const without = best.filter((_, j) => j !== i);
        if (await stillFails(without)) best = without;
        else i++;
      }
      for (let i = 0; i < best.length; i++) {
        const remaining = deadline - performance.now();
        if (remaining <= 0) break;
        const index = i;
        const reduced = await reduceCase(best[index]!, (c) => stillFails(best.map((x, j) => (j === index ? c : x))), remaining / (best.length - i), { toolFixed: options.toolFixed ?? false });
        best = best.map((x, j) => (j === index ? reduced.case : x));
      }
      return best;
    },
    shapeClass: (cases, e) => shapeClassOf(cases[0]!, e.plans[0]!.expansion),
    findingCases: (cases) => ({ case: cases[0]!, ...(cases.length > 1 ? { history: cases } : {}) }),
  };
}
