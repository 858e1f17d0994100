import { isJsonObject } from '../../model/json-checks.js';
import type { Case } from '../../model/case.js';
import { parseCase } from '../../model/parse-case.js';
import { parseRegressionCase } from '../../regression/regression-case.js';
import { galaxyApiTest } from '../../reporting/galaxy-test.js';
import { planAsSql } from '../../persistence/sql-script.js';
import { resolveProfile } from '../../profiles/resolve-profile.js';
import { createSystemUnderTest } from '../../runner/system-under-test.js';
import type { SettingsPatch } from '../../profiles/settings.js';
import { requestBody } from '../format-finding.js';
import type { Io } from '../io.js';
import { readJsonFile } from '../read-input-file.js';

export type ExportFormat = 'galaxy-test' | 'sql' | 'json';

/**
 * `cardfuzz export CASE --format F`: hand-off formats for the person who
 * fixes Galaxy — a pytest in the style of Galaxy's API tests, a standalone
 * SQLite script that reproduces the write, or the bare request body.
 */
export async function exportCommand(options: { readonly file: string; readonly format: ExportFormat; readonly profile: string | undefined; readonly settings: SettingsPatch }, io: Io): Promise<number> {
  const raw = await readJsonFile(options.file);
  const isRegression = isJsonObject(raw) && raw['format'] === 'cardfuzz-regression';
  const regression = isRegression ? parseRegressionCase(JSON.stringify(raw), options.file) : undefined;
  const c: Case = regression?.case ?? parseCase(raw, options.file);
  if (options.format === 'json') {
    io.out(JSON.stringify(requestBody(c), null, 2));
    return 0;
  }
  const profileName = options.profile ?? regression?.profile ?? 'upstream';
  const settings = { ...(regression?.settings ?? {}), ...options.settings };
  const system = createSystemUnderTest(await resolveProfile(profileName), settings);
  const plan = system.plan(c);
  if (options.format === 'galaxy-test') {
    // The jobs Galaxy's code means to run: what the request should give on a correct system.
    const expectedJobs = plan.intent.jobs.length;
    io.out(galaxyApiTest(c, { title: regression ? `${regression.property} on ${regression.profile}: ${regression.violation.message}` : `case ${options.file}`, fingerprint: regression?.fingerprint ?? 'case', expectedJobs }));
    return 0;
  }
  const tables = [...new Set(plan.statements.map((s) => s.table))];
  const { sqliteSchemaDump } = await import('../../persistence/dialects/sqlite/sqlite-schema-dump.js');
  const ddl = sqliteSchemaDump(system.databaseSpec('sqlite'), tables);
  io.out(
    [
      `-- cardfuzz: ${regression ? `${regression.property} (${regression.fingerprint}) ` : ''}case ${options.file} on profile ${system.profile.name}`,
      `-- Run: sqlite3 :memory: < this-file.sql  (stops at the first error, as Galaxy's flush does)`,
      '.bail on',
      'PRAGMA foreign_keys = ON;',
      ...ddl,
      'BEGIN;',
      ...planAsSql(plan, system.executor.layouts),
      'COMMIT;',
    ].join('\n'),
  );
  return 0;
}
