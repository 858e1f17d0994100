import { isJsonObject } from '../../model/json-checks.js';
import type { Case } from '../../model/case.js';
import { parseCase } from '../../model/parse-case.js';
import { parseRegressionCase } from '../../regression/regression-case.js';
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../../files/atomic-write.js';
import { galaxyWorkflowApiTest, workflowExpectations } from '../../reporting/galaxy-workflow-test.js';
import { FINDINGS_PAGE, findingEntryFor } from '../../reporting/findings-catalogue.js';
import { GALAXY_TOOL_CONF, galaxyApiTest, galaxyChecksFor } from '../../reporting/galaxy-test.js';
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
export async function exportCommand(options: { readonly file: string; readonly format: ExportFormat; readonly profile: string | undefined; readonly settings: SettingsPatch; readonly out?: string }, io: Io): Promise<number> {
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
    // What Galaxy should run: one job per parameter combination (where Galaxy runs fewer, as in S14, the test fails today).
    const expectedJobs = plan.intent.combinations;
    const slug = regression?.fingerprint ?? (basename(options.file).replace(/\.json$/i, '').replace(/[^A-Za-z0-9_]/g, '_') || `case_${createHash('sha256').update(JSON.stringify(c)).digest('hex').slice(0, 12)}`);
    const title = regression ? `${regression.property} ${regression.fingerprint} on ${regression.profile}` : `case ${basename(options.file)} on ${system.profile.name}`;
    if (c.entry === 'workflow-invocation') {
      const entry = regression === undefined ? undefined : findingEntryFor(regression);
      const exported = galaxyWorkflowApiTest(c, {
        title,
        violation: regression?.violation.message ?? null,
        slug,
        expected: workflowExpectations(plan.workflow!),
        ...(entry === undefined ? {} : { finding: { expects: entry.galaxyTest.expects, failsToday: entry.galaxyTest.failsToday, link: `${FINDINGS_PAGE}#${entry.anchor}` } }),
      });
      return writePieces(options.out, [exported.test, ...exported.toolXmls], exported.toolConfLines, io);
    }
    const exported = galaxyApiTest(c, { title, violation: regression?.violation.message ?? null, slug, expectedJobs, checks: galaxyChecksFor(plan, regression) });
    if (options.out !== undefined) {
      for (const piece of [exported.test, exported.toolXml]) {
        const path = join(options.out, piece.path);
        await writeFileAtomic(path, piece.text);
        io.out(`wrote ${path}`);
      }
      io.out(`add to ${GALAXY_TOOL_CONF}, inside <toolbox>: ${exported.toolConfLine}`);
      return 0;
    }
    io.out(
      [
        `# cardfuzz export --format galaxy-test: three pieces for a Galaxy checkout, each after its "==> path <==" line`,
        `# (--out DIR writes the first two as files).`,
        `# ==> ${exported.test.path} <==`,
        exported.test.text,
        `# ==> ${exported.toolXml.path} <==`,
        exported.toolXml.text,
        `# ==> ${GALAXY_TOOL_CONF}: add inside <toolbox> <==`,
        exported.toolConfLine,
      ].join('\n'),
    );
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

/** The pieces of an exported test: written under --out DIR, or printed each after its "==> path <==" line. */
async function writePieces(out: string | undefined, pieces: readonly { readonly path: string; readonly text: string }[], confLines: readonly string[], io: Io): Promise<number> {
  if (out !== undefined) {
    for (const piece of pieces) {
      const path = join(out, piece.path);
      await writeFileAtomic(path, piece.text);
      io.out(`wrote ${path}`);
    }
    io.out(`add to ${GALAXY_TOOL_CONF}, inside <toolbox>: ${confLines.join(' ')}`);
    return 0;
  }
  io.out(
    [
      `# cardfuzz export --format galaxy-test: ${pieces.length + 1} pieces for a Galaxy checkout, each after its "==> path <==" line`,
      `# (--out DIR writes all but the last as files).`,
      ...pieces.flatMap((p) => [`# ==> ${p.path} <==`, p.text]),
      `# ==> ${GALAXY_TOOL_CONF}: add inside <toolbox> <==`,
      ...confLines,
    ].join('\n'),
  );
  return 0;
}
