import { WITNESS_PROPERTY_ID, witnessProperty, witnessRelationship } from '../cardinality/witness-property.js';
import type { Case } from '../model/case.js';
import { BUILTIN_PROFILES } from '../profiles/builtin-profiles.js';
import type { Profile } from '../profiles/profile.js';
import type { SettingsPatch } from '../profiles/settings.js';
import type { CardinalityMap } from '../cardinality/cardinality-map.js';
import { CaseJudge } from '../runner/case-judge.js';
import type { TargetOptions } from '../runner/open-target.js';
import { saveRegressionCase } from './regression-store.js';
import { fingerprintOf } from '../runner/finding.js';
import type { Violation } from '../runner/property.js';
import { CARDFUZZ_VERSION } from '../version.js';
import { REGRESSION_FORMAT, REGRESSION_FORMAT_VERSION, type ExpectedVerdict, type RegressionCase } from './regression-case.js';

/**
 * Turns a cardinality witness into a regression case for the gate: the case,
 * the foreign key it witnesses, and its replay verdict (see
 * witness-property.ts) on the profile it was found on and on every built-in
 * profile that writes that foreign key.
 */
export async function recordWitness(
  witness: { readonly relationship: string; readonly case: Case; readonly shapeClass: string; readonly children: number },
  judge: CaseJudge,
  options: { readonly profile: string | Profile; readonly settings: SettingsPatch; readonly seed: number; readonly generatorFingerprint: string; readonly now: Date },
): Promise<RegressionCase> {
  const r = witnessRelationship(witness.relationship);
  const property = witnessProperty(witness.relationship);
  const profileName = typeof options.profile === 'string' ? options.profile : options.profile.name;
  const violation: Violation = {
    kind: 'witness',
    table: r.childTable,
    columns: [r.column],
    constraint: r.name,
    message: `${r.name} is 1:N: this case gives one ${r.parentTable} ${witness.children} ${r.childTable} rows`,
  };
  const expected: Record<string, ExpectedVerdict> = {};
  const targets: (string | Profile)[] = [options.profile, ...BUILTIN_PROFILES.map((p) => p.name).filter((n) => n !== profileName)];
  for (const target of targets) {
    const verdict = await judge.judge({ profile: target, settings: options.settings, property, case: witness.case });
    if (verdict.status !== 'not-applicable') expected[typeof target === 'string' ? target : target.name] = verdict.status;
  }
  return {
    format: REGRESSION_FORMAT,
    formatVersion: REGRESSION_FORMAT_VERSION,
    fingerprint: fingerprintOf(WITNESS_PROPERTY_ID, violation, witness.shapeClass),
    property: WITNESS_PROPERTY_ID,
    profile: profileName,
    settings: options.settings,
    violation,
    shapeClass: witness.shapeClass,
    case: witness.case,
    seed: options.seed,
    path: '',
    generatorFingerprint: options.generatorFingerprint,
    cardfuzzVersion: CARDFUZZ_VERSION,
    recordedAt: options.now.toISOString(),
    expected,
    witness: witness.relationship,
  };
}

/** Saves every witness of the map as a regression case under `dir` (one file per fingerprint); each entry's witness learns its file. */
export async function saveWitnesses(map: CardinalityMap, dir: string, target: TargetOptions, options: { readonly seed: number; readonly generatorFingerprint: string; readonly fileName?: (path: string) => string }): Promise<{ relationship: string; path: string; created: boolean }[]> {
  const judge = new CaseJudge({ dialect: target.dialect, ...(target.databaseUrl === undefined ? {} : { databaseUrl: target.databaseUrl }) });
  const out: { relationship: string; path: string; created: boolean }[] = [];
  try {
    for (const e of map.relationships) {
      if (e.witness === null) continue;
      const regression = await recordWitness({ relationship: e.relationship, case: e.witness.case, shapeClass: e.witness.shapeClass, children: e.witness.children }, judge, {
        profile: target.profile,
        settings: target.settings,
        seed: options.seed,
        generatorFingerprint: options.generatorFingerprint,
        now: new Date(),
      });
      const file = await saveRegressionCase(dir, regression);
      e.witness.file = options.fileName ? options.fileName(file.path) : file.path;
      out.push({ relationship: e.relationship, ...file });
    }
  } finally {
    await judge.close();
  }
  return out;
}
