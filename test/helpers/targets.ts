import { openCaseDatabase } from '../../src/persistence/open-case-database.js';
import type { CaseDatabase } from '../../src/persistence/case-database.js';
import { findBuiltinProfile } from '../../src/profiles/builtin-profiles.js';
import type { Profile } from '../../src/profiles/profile.js';
import type { SettingsPatch } from '../../src/profiles/settings.js';
import { createSystemUnderTest, type PlanMutation, type SystemUnderTest } from '../../src/runner/system-under-test.js';

export function builtin(name: string): Profile {
  const profile = findBuiltinProfile(name);
  if (profile === undefined) throw new Error(`no built-in profile ${name}`);
  return profile;
}

/** A system and its SQLite database, for tests. */
export async function sqliteTarget(profile: string | Profile, settings: SettingsPatch = {}, mutation?: PlanMutation): Promise<{ system: SystemUnderTest; database: CaseDatabase }> {
  const system = createSystemUnderTest(typeof profile === 'string' ? builtin(profile) : profile, settings, mutation);
  const database = await openCaseDatabase(system.databaseSpec('sqlite'), { dialect: 'sqlite' });
  return { system, database };
}
