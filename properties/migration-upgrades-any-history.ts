import { SHAPES, shapeClassOf } from '../src/expansion/shape-classes.js';
import { NOT_JUDGED, type UpgradeEvaluation, type UpgradeProperty } from '../src/runner/property.js';

/**
 * A database holding any history the previous profile can write upgrades
 * through the target's migrations (backfills, then constraints) without an
 * error and without leaving rows that point at nothing. The failing history
 * is named by its shapes: e.g. 28885b317f78 stamps every job of an old batch
 * tool request with one TES, and 10c4cd393d5a's UNIQUE on job then fails.
 */
export const migrationUpgradesAnyHistory: UpgradeProperty = {
  family: 'upgrade',
  id: 'migration-upgrades-any-history',
  summary: 'a database holding any reachable history of the previous profile upgrades through the migrations without error',
  check(evaluation) {
    const { outcome } = evaluation;
    if (outcome.historyFailure !== null) return NOT_JUDGED; // the previous profile cannot hold this history
    const failure = outcome.upgradeFailure;
    if (failure !== null) {
      const v = failure.violation;
      return {
        kind: v.kind,
        table: v.table,
        columns: v.columns,
        constraint: v.constraint ?? failure.revision,
        message: `migration ${failure.revision} (${failure.title}) fails at ${failure.step} on a database holding ${describeHistory(evaluation)}: ${v.message}`,
      };
    }
    const dangling = outcome.danglingRows[0];
    if (dangling !== undefined) {
      return {
        kind: 'foreign-key',
        table: dangling.table,
        columns: [],
        constraint: null,
        message: `after the upgrade, ${dangling.table} row ${dangling.rowid} points at a missing ${dangling.parent} row (history: ${describeHistory(evaluation)})`,
      };
    }
    return null;
  },
};

/** The history's executions by shape, with how many jobs each tool request made. */
export function describeHistory({ cases, plans }: UpgradeEvaluation): string {
  return cases
    .map((c, i) => {
      const plan = plans[i]!;
      const shape = shapeClassOf(c, plan.expansion);
      const tr = plan.intent.toolRequest;
      const jobs = plan.intent.jobs.length;
      const what = tr !== null ? `a tool request with ${jobs} job${jobs === 1 ? '' : 's'}` : c.entry === 'legacy' ? `a legacy execution with ${jobs} job${jobs === 1 ? '' : 's'}` : `a workflow step with ${jobs} job${jobs === 1 ? '' : 's'}`;
      return `${what} (${shape}: ${SHAPES[shape]})`;
    })
    .join('; ');
}
