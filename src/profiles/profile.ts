import type { RelationshipDeclaration } from '../executor/relationships.js';
import type { Migration } from '../schema/schema-ops.js';
import type { Settings } from './settings.js';

/**
 * A profile names one version of the system under test: its migrations
 * (DDL), the ORM's relationship declarations, and the behaviour settings of
 * the executor, readers and extraction.
 */
export interface Profile {
  readonly name: string;
  readonly description: string;
  /** What a run on this profile is expected to show (documentation only; never used as an oracle). */
  readonly expectation: string;
  readonly migrations: readonly Migration[];
  /** SQL run after the migrations, per dialect (profile files add their own statements here). */
  readonly extraSql: { readonly sqlite: readonly string[]; readonly postgres: readonly string[] };
  /** A schema dump used instead of the migrations and extra SQL (`--schema-sql`). */
  readonly schemaSql?: { readonly path: string; readonly text: string };
  readonly relationships: readonly RelationshipDeclaration[];
  readonly settings: Settings;
  /** The database a profile file names (`database:`); `--dialect` and `--database-url` override it. */
  readonly database?: ProfileDatabase;
  /** The profile an upgrade starts from (its migrations are a prefix of this one's); absent when there is none. */
  readonly previous?: string;
  /** Where the profile came from: `built-in` or the file path. */
  readonly origin: string;
}

export interface ProfileDatabase {
  readonly dialect: 'sqlite' | 'postgres';
  readonly url?: string;
  /** An environment variable holding the URL, read only when this database is used. */
  readonly urlEnv?: { readonly name: string; readonly where: string };
}

/** Migrations this profile applies on top of `previous` (by revision; the shared prefix is skipped). */
export function upgradeMigrations(previous: Profile, target: Profile): readonly Migration[] {
  let shared = 0;
  const same = (a: Migration, b: Migration): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);
  while (shared < previous.migrations.length && shared < target.migrations.length && same(previous.migrations[shared]!, target.migrations[shared]!)) shared++;
  return target.migrations.slice(shared);
}
