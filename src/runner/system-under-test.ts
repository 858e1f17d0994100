import type { ExpansionSettings } from '../expansion/expansion.js';
import { createExecutorContext, planCase, type ExecutorContext } from '../executor/execute-case.js';
import type { ExecutionPlan } from '../executor/execution.js';
import type { Case } from '../model/case.js';
import { tablesUsedBy, type CaseDatabaseSpec } from '../persistence/open-case-database.js';
import { schemaSteps } from '../persistence/schema-plan.js';
import type { Profile } from '../profiles/profile.js';
import { READERS } from '../readers/galaxy-readers.js';
import { executorSettingsOf, expansionSettingsOf, type Settings, type SettingsPatch } from '../profiles/settings.js';
import type { SqlDialectName } from '../schema/render-schema.js';

/**
 * A profile made runnable: its settings (with overrides), the expansion and
 * executor model configured by them, and the database spec per dialect.
 * `plan` is the whole pure model for one case.
 */
export interface SystemUnderTest {
  readonly profile: Profile;
  readonly settings: Settings;
  readonly expansionSettings: ExpansionSettings;
  readonly executor: ExecutorContext;
  databaseSpec(dialect: SqlDialectName): CaseDatabaseSpec;
  plan(c: Case): ExecutionPlan;
}

/** A hook that changes plans before they are written: how tests plant bugs in the executor. */
export type PlanMutation = (plan: ExecutionPlan, c: Case) => ExecutionPlan;

export function createSystemUnderTest(profile: Profile, overrides: SettingsPatch = {}, mutation?: PlanMutation): SystemUnderTest {
  const settings: Settings = { ...profile.settings, ...overrides };
  const effective: Profile = { ...profile, settings };
  const expansionSettings = expansionSettingsOf(settings);
  const executorSettings = executorSettingsOf(settings);
  const executor = createExecutorContext(executorSettings, profile.relationships, expansionSettings);
  return {
    profile: effective,
    settings,
    expansionSettings,
    executor,
    databaseSpec: (dialect) => ({
      schemaSteps: schemaSteps(effective, dialect),
      schemaLabel: profile.schemaSql ? `schema dump ${profile.schemaSql.path}` : `profile ${profile.name}`,
      layouts: executor.layouts,
      tablesUsed: tablesUsedBy(executorSettings),
      relationships: profile.relationships,
      readers: READERS,
    }),
    plan(c) {
      const plan = planCase(c, executor);
      return mutation ? mutation(plan, c) : plan;
    },
  };
}
