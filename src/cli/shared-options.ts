import type { Argv } from 'yargs';
import { InvalidInputError } from '../errors.js';
import { withoutPassword } from '../persistence/database-url.js';
import { looksLikePath, resolveProfile } from '../profiles/resolve-profile.js';
import { parseSettingAssignments, type SettingsPatch } from '../profiles/settings.js';
import type { TargetOptions } from '../runner/open-target.js';

/** Options naming the system under test: profile, setting overrides, dialect and database. */
export interface TargetArgs {
  readonly profile: string | undefined;
  readonly set: readonly string[] | undefined;
  readonly dialect: 'sqlite' | 'postgres' | undefined;
  readonly 'database-url': string | undefined;
  readonly 'schema-sql': string | undefined;
}

/** The profile a command runs on when neither --profile nor a file it reads names one. */
export const DEFAULT_PROFILE = 'upstream';

export function withTargetOptions<T>(yargs: Argv<T>, profileDescription = `built-in profile name or profile file (default ${DEFAULT_PROFILE}; cardfuzz profiles lists them)`) {
  return yargs
    .option('profile', { type: 'string', describe: profileDescription })
    .option('set', { type: 'string', array: true, describe: 'override a profile setting for this run: name=value (cardfuzz profiles --settings)' })
    .option('dialect', { choices: ['sqlite', 'postgres'] as const, describe: 'database to persist cases in (default: the profile file’s database, else sqlite)' })
    .option('database-url', { type: 'string', describe: 'PostgreSQL URL (with --dialect postgres)' })
    .option('schema-sql', { type: 'string', describe: 'a schema dump to use instead of the profile’s migrations (sqlite3 .schema, or pg_dump --schema-only)' });
}

/** The target the options name; a profile file's `database:` fills in what --dialect and --database-url leave out. */
export async function toTargetOptions(args: TargetArgs, recorded?: { readonly profile: string; readonly settings: SettingsPatch }): Promise<TargetOptions> {
  checkDialectAndUrl(args.dialect, args['database-url']);
  const profile = args.profile ?? recorded?.profile ?? DEFAULT_PROFILE;
  const fromFile = looksLikePath(profile) ? (await resolveProfile(profile)).database : undefined;
  const dialect = args.dialect ?? (args['database-url'] !== undefined ? 'postgres' : (fromFile?.dialect ?? 'sqlite'));
  const fileUrl = async (): Promise<string | undefined> => {
    if (fromFile === undefined || fromFile.dialect !== 'postgres') return undefined;
    const { profileDatabaseUrl } = await import('../profiles/profile-file.js');
    return profileDatabaseUrl(fromFile);
  };
  const databaseUrl = args['database-url'] ?? (dialect === 'postgres' ? await fileUrl() : undefined);
  return {
    profile,
    // A regression file's recorded settings, then --set on top.
    settings: { ...(recorded?.settings ?? {}), ...parseSettingAssignments(args.set ?? []) },
    dialect,
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    ...(args['schema-sql'] === undefined ? {} : { schemaSql: args['schema-sql'] }),
  };
}

/** `--dialect sqlite` with a `--database-url` would ignore the URL: refused, never silently dropped. */
export function checkDialectAndUrl(dialect: 'sqlite' | 'postgres' | undefined, url: string | undefined): void {
  if (dialect === 'sqlite' && url !== undefined) {
    throw new InvalidInputError('--database-url names a PostgreSQL server, but --dialect sqlite runs on embedded SQLite: drop one of them (or use --dialect postgres)');
  }
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

/** The arguments a command's builder declares, as yargs infers them (so the compiler checks every use). */
export type ArgsOf<B extends (yargs: Argv) => Argv<unknown>> = ReturnType<B> extends Argv<infer T> ? T : never;
