import { generatorFingerprint } from '../../../generators/fingerprint.js';
import { PROPERTIES } from '../../../properties/index.js';
import { parseRegressionCase } from '../../regression/regression-case.js';
import { replayCases, type ReplayedCase } from '../../regression/replay-cases.js';
import { loadRegressionCases, rewriteRegressionCase } from '../../regression/regression-store.js';
import { FileAccessError } from '../../errors.js';
import { findDefaultRegressionsDir } from '../project-root.js';
import { displayPath } from '../run-summary.js';
import { recordFinding } from '../../regression/record-finding.js';
import { CaseJudge } from '../../runner/case-judge.js';
import { resolveProfile } from '../../profiles/resolve-profile.js';
import type { SettingsPatch } from '../../profiles/settings.js';
import type { SqlDialectName } from '../../schema/render-schema.js';
import type { Io } from '../io.js';
import { readFile } from 'node:fs/promises';

export interface ReplayCommandOptions {
  readonly paths: readonly string[];
  readonly profile: string | undefined;
  readonly settings: SettingsPatch;
  readonly dialect: SqlDialectName;
  readonly databaseUrl?: string;
  readonly allowStale: boolean;
  readonly refresh: boolean;
  readonly json: boolean;
}

/**
 * `cardfuzz replay [FILES|DIRS]`: re-runs regression cases (on their recorded
 * profile, or --profile) and compares with the recorded verdicts. Exit 1 when
 * a case still fails; 2 when a file cannot be used, or is stale without
 * --allow-stale (the other cases replay all the same).
 */
export async function replayCommand(options: ReplayCommandOptions, io: Io): Promise<number> {
  const paths = options.paths.length > 0 ? options.paths : [defaultRegressionsDirOrThrow()];
  const loaded = await loadRegressionCases(paths);
  const judge = new CaseJudge({ dialect: options.dialect, ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }) });
  const currentFingerprint = generatorFingerprint();
  try {
    const profile = options.profile === undefined ? undefined : await resolveProfile(options.profile);
    const { replayed, problems } = await replayCases(loaded.cases, {
      judge,
      properties: PROPERTIES,
      ...(profile ? { profile } : {}),
      settings: options.settings,
      generatorFingerprint: currentFingerprint,
    });
    const allProblems = [...loaded.problems, ...problems];
    if (options.refresh) {
      for (const r of replayed.filter((x) => x.stale)) {
        const regression = parseRegressionCase(await readFile(r.file, 'utf8'), r.file);
        const property = PROPERTIES.find((p) => p.id === regression.property)!;
        const refreshed = await recordFinding({ ...regression, replay: '', firstShapeClass: regression.shapeClass, shrinks: 0 }, property, judge, { profile: regression.profile, generatorFingerprint: currentFingerprint, now: new Date() });
        await rewriteRegressionCase(r.file, { ...refreshed, recordedAt: regression.recordedAt });
        io.err(`refreshed ${r.file}`);
      }
    }
    const stale = options.refresh ? [] : replayed.filter((r) => r.stale);
    if (options.json) {
      io.out(JSON.stringify({ replayed, problems: allProblems, stale: stale.map((s) => s.file) }, null, 2));
    } else {
      for (const r of replayed) io.out(describeReplay(r));
      for (const p of allProblems) io.err(`cardfuzz: ${p.message}`);
      for (const s of stale) io.err(`cardfuzz: ${s.file}: stale: recorded with generator fingerprint other than the current ${currentFingerprint} (its seed and path no longer reproduce it; the stored case still replays; run cardfuzz replay --refresh)`);
      io.out(`${replayed.length} case${replayed.length === 1 ? '' : 's'} replayed: ${replayed.filter((r) => r.verdict.status === 'fails').length} still fail, ${replayed.filter((r) => r.verdict.status === 'passes').length} pass${allProblems.length ? `; ${allProblems.length} file${allProblems.length === 1 ? '' : 's'} could not be used` : ''}`);
    }
    if (allProblems.length > 0 || (stale.length > 0 && !options.allowStale)) return 2;
    return replayed.some((r) => r.verdict.status === 'fails') ? 1 : 0;
  } finally {
    await judge.close();
  }
}

export function describeReplay(r: ReplayedCase): string {
  const now = r.verdict.status === 'fails' ? 'fails' : r.verdict.status === 'passes' ? 'passes' : 'not applicable';
  const against = r.recorded === undefined ? 'no verdict recorded for this profile' : r.recorded === now ? `as recorded` : `recorded: ${r.recorded}`;
  const tag = r.verdict.status === 'fails' ? 'FAIL' : r.verdict.status === 'passes' ? 'pass' : 'n/a ';
  const why = r.verdict.status === 'fails' ? `\n    ${r.verdict.violation.message}` : r.verdict.status === 'not-applicable' ? ` (${r.verdict.reason})` : '';
  return `${tag} ${r.property} ${r.fingerprint} on ${r.profile}: ${now} (${against}) — ${r.file}${why}`;
}

/** reports/regressions here or at the project root; otherwise one line naming every folder looked at. */
function defaultRegressionsDirOrThrow(): string {
  const found = findDefaultRegressionsDir();
  if (found.dir !== null) return displayPath(found.dir, process.cwd());
  throw new FileAccessError(`no regression cases to replay: looked for ${found.looked.join(' and ')} (name files or folders, or save findings with cardfuzz run --save)`);
}
