import type { Profile } from '../profiles/profile.js';
import { renderMigrations, type SqlDialectName } from '../schema/render-schema.js';

/** One step of building a schema: a labelled SQL text (one statement, or a whole dump). */
export interface SchemaStep {
  readonly label: string;
  readonly sql: string;
}

/** The SQL that builds a profile's schema on a dialect: its migrations and extra SQL, or its schema dump. */
export function schemaSteps(profile: Profile, dialect: SqlDialectName): SchemaStep[] {
  if (profile.schemaSql !== undefined) return [{ label: `schema dump ${profile.schemaSql.path}`, sql: profile.schemaSql.text }];
  const steps: SchemaStep[] = [];
  for (const migration of renderMigrations(profile.migrations, dialect, profile.settings['schema.source'])) {
    migration.statements.forEach((statement, i) => steps.push({ label: `migration ${migration.revision} statement ${i + 1}`, sql: statement }));
  }
  profile.extraSql[dialect].forEach((statement, i) => steps.push({ label: `profile ${profile.name} extra SQL statement ${i + 1}`, sql: statement }));
  return steps;
}
