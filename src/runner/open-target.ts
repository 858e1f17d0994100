import type { CaseDatabase } from '../persistence/case-database.js';
import { openCaseDatabase } from '../persistence/open-case-database.js';
import { resolveProfile } from '../profiles/resolve-profile.js';
import type { Profile } from '../profiles/profile.js';
import type { SettingsPatch } from '../profiles/settings.js';
import type { SqlDialectName } from '../schema/render-schema.js';
import { createSystemUnderTest, type PlanMutation, type SystemUnderTest } from './system-under-test.js';

/** The system under test a command runs against: a profile (name or file), setting overrides and a database. */
export interface TargetOptions {
  /** A built-in profile name or profile file path; tests may pass a profile object. */
  readonly profile: string | Profile;
  readonly settings: SettingsPatch;
  readonly dialect: SqlDialectName;
  readonly databaseUrl?: string;
  /** Planted bugs for tests. */
  readonly mutation?: PlanMutation;
}

export interface Target {
  readonly system: SystemUnderTest;
  readonly database: CaseDatabase;
}

export async function openTarget(options: TargetOptions): Promise<Target> {
  const profile = typeof options.profile === 'string' ? await resolveProfile(options.profile) : options.profile;
  const system = createSystemUnderTest(profile, options.settings, options.mutation);
  const database = await openCaseDatabase(system.databaseSpec(options.dialect), {
    dialect: options.dialect,
    ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
  });
  return { system, database };
}
