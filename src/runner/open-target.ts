import { readFile } from 'node:fs/promises';
import { FileAccessError } from '../errors.js';
import { withoutByteOrderMark } from '../files/input-text.js';
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
  /** A schema dump (`sqlite3 db .schema`, `pg_dump --schema-only`) used instead of the profile's migrations. */
  readonly schemaSql?: string;
  /** Planted bugs for tests. */
  readonly mutation?: PlanMutation;
}

export interface Target {
  readonly system: SystemUnderTest;
  readonly database: CaseDatabase;
}

/** The profile a target names, with its schema dump applied. */
export async function resolveTargetProfile(options: Pick<TargetOptions, 'profile' | 'schemaSql'>): Promise<Profile> {
  const profile = typeof options.profile === 'string' ? await resolveProfile(options.profile) : options.profile;
  if (options.schemaSql === undefined) return profile;
  let text: string;
  try {
    text = withoutByteOrderMark(await readFile(options.schemaSql, 'utf8'));
  } catch (error) {
    throw new FileAccessError(`${options.schemaSql}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return { ...profile, schemaSql: { path: options.schemaSql, text } };
}

export async function openTarget(options: TargetOptions): Promise<Target> {
  const profile = await resolveTargetProfile(options);
  const system = createSystemUnderTest(profile, options.settings, options.mutation);
  const database = await openCaseDatabase(system.databaseSpec(options.dialect), {
    dialect: options.dialect,
    ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
  });
  return { system, database };
}
