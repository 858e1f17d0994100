import type fc from 'fast-check';
import { shapeClassOf } from '../expansion/shape-classes.js';
import type { Case } from '../model/case.js';
import type { CaseDatabase, CaseRunOptions } from '../persistence/case-database.js';
import { readerRequestsFor } from '../readers/reader-requests.js';
import { reduceCase } from '../shrink/reduce-case.js';
import { tablesUsedBy } from '../persistence/open-case-database.js';
import { executorSettingsOf } from '../profiles/settings.js';
import { executionRowCounts } from './row-counts.js';
import type { PropertyGroup } from './property-group.js';
import type { CaseEvaluation, ExecutionProperty } from './property.js';
import type { SystemUnderTest } from './system-under-test.js';

/** Execution properties over single cases: plan, write once, read back, judge. */
export function executionGroup(
  system: SystemUnderTest,
  database: CaseDatabase,
  arbitrary: fc.Arbitrary<Case>,
  properties: readonly ExecutionProperty[],
  options: { readonly toolFixed?: boolean } = {},
): PropertyGroup<Case, CaseEvaluation> {
  const runOptions = caseRunOptions(properties);
  const runSync = database.runCaseSync?.bind(database);
  const tables = tablesUsedBy(executorSettingsOf(system.settings));
  return {
    name: 'execution',
    arbitrary,
    properties,
    synchronous: runSync !== undefined,
    evaluate(c) {
      const plan = system.plan(c);
      if (runSync) return { case: c, plan, outcome: runSync(plan, runOptions), system };
      return database.runCase(plan, runOptions).then((outcome) => ({ case: c, plan, outcome, system }));
    },
    reduce: async (c, stillFails, budgetMs) => (await reduceCase(c, stillFails, budgetMs, { toolFixed: options.toolFixed ?? false })).case,
    shapeClass: (c, e) => shapeClassOf(c, e.plan.expansion),
    rowsWritten: (e) => executionRowCounts(e.plan, tables, e.outcome.failure?.statementIndex ?? null),
    findingCases: (c) => ({ case: c }),
  };
}

/** What the database must read back for a set of properties. */
export function caseRunOptions(properties: readonly ExecutionProperty[]): CaseRunOptions {
  const readers = properties.some((p) => (p.needs.readers?.length ?? 0) > 0);
  const overfull = properties.some((p) => p.needs.overfull);
  return { ...(readers ? { readers: readerRequestsFor } : {}), ...(overfull ? { overfull: true } : {}) };
}
