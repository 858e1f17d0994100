import { BUILTIN_PROFILES } from '../profiles/builtin-profiles.js';
import type { CaseJudge } from '../runner/case-judge.js';
import type { Finding } from '../runner/finding.js';
import type { AnyProperty } from '../runner/property.js';
import type { Profile } from '../profiles/profile.js';
import { CARDFUZZ_VERSION } from '../version.js';
import { REGRESSION_FORMAT, REGRESSION_FORMAT_VERSION, type ExpectedVerdict, type RegressionCase } from './regression-case.js';

/**
 * Turns a finding into a regression case, judging its case on the profile it
 * failed on and on every built-in profile (under the same settings) to record
 * the verdict each is expected to keep.
 */
export async function recordFinding(finding: Finding, property: AnyProperty, judge: CaseJudge, options: { readonly profile: string | Profile; readonly generatorFingerprint: string; readonly now: Date }): Promise<RegressionCase> {
  const expected: Record<string, ExpectedVerdict> = {};
  const targets: (string | Profile)[] = [options.profile, ...BUILTIN_PROFILES.map((p) => p.name).filter((n) => n !== finding.profile)];
  for (const target of targets) {
    const verdict = await judge.judge({ profile: target, settings: finding.settings, property, case: finding.case, ...(finding.history ? { history: finding.history } : {}) });
    if (verdict.status !== 'not-applicable') expected[typeof target === 'string' ? target : target.name] = verdict.status;
  }
  return {
    format: REGRESSION_FORMAT,
    formatVersion: REGRESSION_FORMAT_VERSION,
    fingerprint: finding.fingerprint,
    property: finding.property,
    profile: finding.profile,
    settings: finding.settings,
    violation: finding.violation,
    shapeClass: finding.shapeClass,
    case: finding.case,
    ...(finding.history ? { history: finding.history } : {}),
    seed: finding.seed,
    path: finding.path,
    generatorFingerprint: options.generatorFingerprint,
    cardfuzzVersion: CARDFUZZ_VERSION,
    recordedAt: options.now.toISOString(),
    expected,
  };
}
