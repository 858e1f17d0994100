import fc from 'fast-check';
import { expect, it } from 'vitest';
import { caseArbitrary, historyArbitrary } from '../../generators/case.js';
import { openCaseDatabase } from '../../src/persistence/open-case-database.js';
import { measurePostgresFloor, measurePostgresUpgradeFloor } from '../../src/persistence/dialects/postgres/postgres-raw-floor.js';
import { upgradeSteps } from '../../src/persistence/schema-plan.js';
import { resolveProfile } from '../../src/profiles/resolve-profile.js';
import { readerRequestsFor } from '../../src/readers/reader-requests.js';
import { createSystemUnderTest } from '../../src/runner/system-under-test.js';
import { describePostgres } from '../helpers/postgres.js';

/**
 * The bench's PostgreSQL floor writes what a campaign writes: on the
 * ledger's branch the server refuses exactly the cases it refuses in a
 * campaign's database, and on the fixed branch none. (Its speed is the
 * bench's business, never a test's.)
 */
describePostgres('the raw pg floor', (url) => {
  it('is refused by the server on exactly the cases a campaign’s database is refused on', async () => {
    const system = createSystemUnderTest(await resolveProfile('branch-1f87eebce'));
    const cases = fc.sample(caseArbitrary(), { numRuns: 150, seed: 5 });
    const plans = cases.map((c) => system.plan(c));
    const database = await openCaseDatabase(system.databaseSpec('postgres'), { dialect: 'postgres', databaseUrl: url });
    let refusedByCampaign = 0;
    try {
      for (const plan of plans) if ((await database.runCase(plan, { readers: readerRequestsFor, overfull: true })).failure !== null) refusedByCampaign++;
    } finally {
      await database.close();
    }
    expect(refusedByCampaign).toBeGreaterThan(0);
    const floor = await measurePostgresFloor(url, system.databaseSpec('postgres'), plans, system.executor.layouts, 1, readerRequestsFor);
    expect(floor.refused).toBe(refusedByCampaign);
    expect(floor.statementsPerCase).toBe(plans.reduce((n, p) => n + p.statements.length, 0) / plans.length);

    const fixed = createSystemUnderTest(await resolveProfile('branch-fixed'));
    const fixedPlans = cases.map((c) => fixed.plan(c));
    const fixedFloor = await measurePostgresFloor(url, fixed.databaseSpec('postgres'), fixedPlans, fixed.executor.layouts, 1, readerRequestsFor);
    expect(fixedFloor.refused).toBe(0);
    expect(fixedFloor.casesPerSecond).toBeGreaterThan(0);
  });

  it('writes and upgrades histories through the branch migrations', async () => {
    const target = createSystemUnderTest(await resolveProfile('branch-fixed'));
    const previous = createSystemUnderTest(await resolveProfile('upstream'));
    const histories = fc.sample(historyArbitrary(), { numRuns: 10, seed: 4 }).map((h) => h.map((c) => previous.plan(c)));
    const floor = await measurePostgresUpgradeFloor(url, previous.databaseSpec('postgres'), upgradeSteps(previous.profile, target.profile, 'postgres'), histories, previous.executor.layouts);
    expect(floor.historiesPerSecond).toBeGreaterThan(0);
  });
});
