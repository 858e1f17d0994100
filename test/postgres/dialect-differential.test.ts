import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { caseArbitrary, historyArbitrary } from '../../generators/case.js';
import { PROPERTIES } from '../../properties/index.js';
import type { Case } from '../../src/model/case.js';
import type { CaseDatabase, UpgradeDatabase } from '../../src/persistence/case-database.js';
import { openCaseDatabase, openUpgradeDatabase } from '../../src/persistence/open-case-database.js';
import { upgradeSteps } from '../../src/persistence/schema-plan.js';
import { resolveProfile } from '../../src/profiles/resolve-profile.js';
import { DEFAULT_REGRESSIONS_DIR, loadRegressionCases } from '../../src/regression/regression-store.js';
import { caseRunOptions } from '../../src/runner/execution-group.js';
import { NOT_JUDGED, type ExecutionProperty, type Judgement, type UpgradeProperty } from '../../src/runner/property.js';
import { createSystemUnderTest, type SystemUnderTest } from '../../src/runner/system-under-test.js';
import { VERDICT_VARIANTS } from '../../src/runner/verdict-matrix.js';
import { describePostgres } from '../helpers/postgres.js';
import { SHAPE_CASES } from '../helpers/shape-cases.js';

/**
 * The same verdicts on SQLite and PostgreSQL for a fixed corpus: every shape
 * of galaxy-semantics §2.5, every committed regression case, and a seeded
 * sample of generated cases and histories, on every profile variant of the
 * verdict table and every property. A verdict is the property's pass or fail
 * and, for a failure, its violation's kind, table, columns and constraint;
 * the drivers' messages legitimately differ ("UNIQUE constraint failed:
 * job.tool_execution_state_id" against "duplicate key value violates unique
 * constraint ...") and are not compared. Constraint names agree because
 * cardfuzz names every constraint alike on both dialects (cut to
 * PostgreSQL's 63 bytes the way SQLAlchemy cuts them).
 *
 * No other difference is known. Ones that would be legitimate and are not
 * reachable by the built-in profiles: PostgreSQL enforces VARCHAR lengths
 * (SQLite does not), names primary keys (`job_pkey`, unnamed on SQLite), and
 * checks every foreign key during an upgrade (the SQLite upgrade runs with
 * foreign keys off, as alembic's batch mode does, and reports dangling rows
 * afterwards).
 */

const EXECUTION = PROPERTIES.filter((p): p is ExecutionProperty => p.family === 'execution');
const UPGRADE = PROPERTIES.filter((p): p is UpgradeProperty => p.family === 'upgrade');

type VerdictKey = string;
const verdictOf = (v: Judgement): VerdictKey => (v === null ? 'pass' : v === NOT_JUDGED ? 'not judged' : `fail ${v.kind} ${v.table ?? ''} [${v.columns.join(',')}] ${v.constraint ?? ''}`);

describePostgres('SQLite and PostgreSQL give the same verdicts', (url) => {
  const regressions: { cases: Case[]; histories: (readonly Case[])[] } = { cases: [], histories: [] };
  const generated = fc.sample(caseArbitrary(), { numRuns: 400, seed: 2026 });
  const generatedHistories = fc.sample(historyArbitrary(), { numRuns: 60, seed: 2026 });
  const corpus: { label: string; case: Case }[] = [];

  beforeAll(async () => {
    const loaded = await loadRegressionCases([DEFAULT_REGRESSIONS_DIR]);
    expect(loaded.problems).toEqual([]);
    for (const { regression } of loaded.cases) {
      if (regression.history) regressions.histories.push(regression.history);
      regressions.cases.push(regression.case);
    }
    corpus.push(
      ...SHAPE_CASES.map(([label, build]) => ({ label, case: build() })),
      ...regressions.cases.map((c, i) => ({ label: `regression case ${i}`, case: c })),
      ...generated.map((c, i) => ({ label: `generated case ${i}`, case: c })),
    );
  });

  const open: (CaseDatabase | UpgradeDatabase)[] = [];
  afterAll(async () => {
    for (const db of open) await db.close();
  });

  it.each(VERDICT_VARIANTS.map((v) => [v.label, v] as const))('on %s, for every execution property', async (_label, variant) => {
    const system: SystemUnderTest = createSystemUnderTest(await resolveProfile(variant.profile), variant.settings);
    const sqlite = await openCaseDatabase(system.databaseSpec('sqlite'), { dialect: 'sqlite' });
    const postgres = await openCaseDatabase(system.databaseSpec('postgres'), { dialect: 'postgres', databaseUrl: url });
    open.push(sqlite, postgres);
    const options = caseRunOptions(EXECUTION);
    const differences: string[] = [];
    let failures = 0;
    for (const entry of corpus) {
      const plan = system.plan(entry.case);
      const [a, b] = [await sqlite.runCase(plan, options), await postgres.runCase(plan, options)];
      for (const property of EXECUTION) {
        const onSqlite = verdictOf(property.check({ case: entry.case, plan, outcome: a, system }));
        const onPostgres = verdictOf(property.check({ case: entry.case, plan, outcome: b, system }));
        if (onSqlite.startsWith('fail')) failures++;
        if (onSqlite !== onPostgres) differences.push(`${entry.label} / ${property.id}: sqlite ${onSqlite}, postgres ${onPostgres}`);
      }
    }
    expect(differences).toEqual([]);
    // The corpus is not all passes: the comparison covers failures too.
    expect(failures).toBeGreaterThan(0);
  });

  it.each(VERDICT_VARIANTS.filter((v) => v.profile !== 'upstream').map((v) => [v.label, v] as const))('on %s, for the upgrade property', async (_label, variant) => {
    const profile = await resolveProfile(variant.profile);
    const target = createSystemUnderTest(profile, variant.settings);
    const previous = createSystemUnderTest(await resolveProfile(profile.previous!));
    const steps = (dialect: 'sqlite' | 'postgres') => upgradeSteps(previous.profile, target.profile, dialect);
    const sqlite = await openUpgradeDatabase(previous.databaseSpec('sqlite'), steps('sqlite'), { dialect: 'sqlite' });
    const postgres = await openUpgradeDatabase(previous.databaseSpec('postgres'), steps('postgres'), { dialect: 'postgres', databaseUrl: url });
    open.push(sqlite, postgres);
    const differences: string[] = [];
    const histories = [...regressions.histories, ...regressions.cases.map((c) => [c]), ...generatedHistories];
    for (const [i, cases] of histories.entries()) {
      const plans = cases.map((c) => previous.plan(c));
      const [a, b] = [await sqlite.runUpgrade(plans), await postgres.runUpgrade(plans)];
      for (const property of UPGRADE) {
        const onSqlite = verdictOf(property.check({ cases, plans, outcome: a, previous, target }));
        const onPostgres = verdictOf(property.check({ cases, plans, outcome: b, previous, target }));
        if (onSqlite !== onPostgres) differences.push(`history ${i} / ${property.id}: sqlite ${onSqlite}, postgres ${onPostgres}`);
      }
    }
    expect(differences).toEqual([]);
  });
});
