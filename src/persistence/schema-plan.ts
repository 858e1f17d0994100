import { upgradeMigrations, type Profile } from '../profiles/profile.js';
import { renderMigrations, type SqlDialectName } from '../schema/render-schema.js';
import type { SchemaStep, UpgradeStep } from './case-database.js';
import { sqlDialect } from './dialects/dialects.js';

export type { SchemaStep, UpgradeStep } from './case-database.js';

/**
 * The SQL that builds a profile's schema on a dialect: its migrations, or its
 * schema dump in their place, then its extra SQL (a profile file's `sql:` and
 * `schema:`), so that a dump can be extended with the branch's tables as
 * migrations can.
 */
export function schemaSteps(profile: Profile, dialect: SqlDialectName): SchemaStep[] {
  const steps: SchemaStep[] = [];
  if (profile.schemaSql !== undefined) {
    steps.push({ label: `schema dump ${profile.schemaSql.path}`, sql: profile.schemaSql.text });
  } else {
    for (const migration of renderMigrations(profile.migrations, sqlDialect(dialect).ddl, profile.settings['schema.source'])) {
      migration.statements.forEach((statement, i) => steps.push({ label: `migration ${migration.revision} statement ${i + 1}`, sql: statement }));
    }
  }
  profile.extraSql[dialect].forEach((statement, i) => steps.push({ label: `profile ${profile.name} extra SQL statement ${i + 1}`, sql: statement }));
  return steps;
}

/**
 * The SQL that upgrades a database built by `previous` to `target`: the
 * target's migrations after the prefix both share, rendered with the whole
 * chain's state (so SQLite rebuilds see the tables as they are), then the
 * target's extra SQL.
 */
export function upgradeSteps(previous: Profile, target: Profile, dialect: SqlDialectName): UpgradeStep[] {
  const shared = target.migrations.length - upgradeMigrations(previous, target).length;
  const rendered = renderMigrations(target.migrations, sqlDialect(dialect).ddl, target.settings['schema.source']);
  const steps: UpgradeStep[] = rendered.slice(shared).flatMap((m) => m.statements.map((sql, i) => ({ label: `migration ${m.revision} statement ${i + 1}`, sql, revision: m.revision, title: m.title })));
  target.extraSql[dialect].forEach((sql, i) => steps.push({ label: `profile ${target.name} extra SQL statement ${i + 1}`, sql, revision: 'extra', title: `extra SQL of profile ${target.name}` }));
  return steps;
}
