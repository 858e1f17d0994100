import type { Argv } from 'yargs';
import { withoutPassword } from '../persistence/database-url.js';
import { looksLikePath, resolveProfile } from '../profiles/resolve-profile.js';
import { parseSettingAssignments } from '../profiles/settings.js';
import type { TargetOptions } from '../runner/open-target.js';

/** Options naming the system under test: profile, setting overrides, dialect and database. */
export interface TargetArgs {
  readonly profile: string;
  readonly set: readonly string[] | undefined;
  readonly dialect: 'sqlite' | 'postgres' | undefined;
  readonly 'database-url': string | undefined;
  readonly 'schema-sql': string | undefined;
}

export function withTargetOptions<T>(yargs: Argv<T>, defaultProfile = 'upstream') {
  return yargs
    .option('profile', { type: 'string', default: defaultProfile, describe: 'built-in profile name or profile file (cardfuzz profiles lists them)' })
    .option('set', { type: 'string', array: true, describe: 'override a profile setting for this run: name=value (cardfuzz profiles --settings)' })
    .option('dialect', { choices: ['sqlite', 'postgres'] as const, describe: 'database to persist cases in (default: the profile file’s database, else sqlite)' })
    .option('database-url', { type: 'string', describe: 'PostgreSQL URL (with --dialect postgres)' })
    .option('schema-sql', { type: 'string', describe: 'a schema dump to use instead of the profile’s migrations (sqlite3 .schema, or pg_dump --schema-only)' });
}

/** The target the options name; a profile file's `database:` fills in what --dialect and --database-url leave out. */
export async function toTargetOptions(args: TargetArgs): Promise<TargetOptions> {
  const fromFile = looksLikePath(args.profile) ? (await resolveProfile(args.profile)).database : undefined;
  const dialect = args.dialect ?? (args['database-url'] !== undefined ? 'postgres' : (fromFile?.dialect ?? 'sqlite'));
  const fileUrl = async (): Promise<string | undefined> => {
    if (fromFile === undefined || fromFile.dialect !== 'postgres') return undefined;
    const { profileDatabaseUrl } = await import('../profiles/profile-file.js');
    return profileDatabaseUrl(fromFile);
  };
  const databaseUrl = args['database-url'] ?? (dialect === 'postgres' ? await fileUrl() : undefined);
  return {
    profile: args.profile,
    settings: parseSettingAssignments(args.set ?? []),
    dialect,
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    ...(args['schema-sql'] === undefined ? {} : { schemaSql: args['schema-sql'] }),
  };
}

/** The flags that recreate a target on another command line (for replay commands). */
export function targetFlags(target: TargetOptions): string {
  const parts = [`--profile ${shellQuote(typeof target.profile === 'string' ? target.profile : target.profile.name)}`];
  for (const [name, value] of Object.entries(target.settings)) parts.push(`--set ${name}=${String(value)}`);
  if (target.dialect !== 'sqlite') parts.push(`--dialect ${target.dialect}`);
  // Replay commands go into reports and CI logs: never with a password (pg reads ~/.pgpass or PGPASSWORD).
  if (target.databaseUrl !== undefined) parts.push(`--database-url ${shellQuote(withoutPassword(target.databaseUrl))}`);
  if (target.schemaSql !== undefined) parts.push(`--schema-sql ${shellQuote(target.schemaSql)}`);
  return parts.join(' ');
}

export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}
