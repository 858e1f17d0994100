import { IncompatibleCaseError, InvalidInputError } from '../errors.js';
import type { Case } from '../model/case.js';
import { describeJson, expectArray, expectObject, expectString, isJsonObject, parseJsonText } from '../model/json-checks.js';
import { parseCase } from '../model/parse-case.js';
import { checkSetting, type SettingsPatch } from '../profiles/settings.js';
import type { Violation } from '../runner/property.js';

/**
 * A regression case file (format version 1): the shrunk case itself, the
 * profile and settings it failed under, the property and violation, a stable
 * fingerprint, seed and path for debugging, the generator fingerprint and
 * the verdict expected per profile.
 */
export const REGRESSION_FORMAT = 'cardfuzz-regression';
export const REGRESSION_FORMAT_VERSION = 1;

export type ExpectedVerdict = 'fails' | 'passes';

export interface RegressionCase {
  readonly format: typeof REGRESSION_FORMAT;
  readonly formatVersion: typeof REGRESSION_FORMAT_VERSION;
  readonly fingerprint: string;
  readonly property: string;
  readonly profile: string;
  readonly settings: SettingsPatch;
  readonly violation: Violation;
  readonly shapeClass: string;
  readonly case: Case;
  /** The upgrade property's whole history, when it has more than one execution. */
  readonly history?: readonly Case[];
  readonly seed: number;
  readonly path: string;
  readonly generatorFingerprint: string;
  readonly cardfuzzVersion: string;
  readonly recordedAt: string;
  /** The property's verdict on each profile (under `settings`), when the case was recorded. */
  readonly expected: Readonly<Record<string, ExpectedVerdict>>;
  /** A cardinality witness (property cardinality-witness): the foreign key `child.column -> parent` it gives one parent two children through. */
  readonly witness?: string;
}

/** Reads a regression case file's text; throws IncompatibleCaseError or InvalidInputError naming the file. */
export function parseRegressionCase(text: string, file: string): RegressionCase {
  const value = parseJsonText(text, file);
  const object = expectObject(value, file);
  if (object['format'] !== REGRESSION_FORMAT) {
    throw new IncompatibleCaseError(`${file}: not a cardfuzz regression case (format ${describeJson(object['format'])})`);
  }
  if (object['formatVersion'] !== REGRESSION_FORMAT_VERSION) {
    throw new IncompatibleCaseError(`${file}: regression format version ${describeJson(object['formatVersion'])} is not one this cardfuzz reads (${REGRESSION_FORMAT_VERSION})`);
  }
  const str = (key: string): string => expectString(object[key], `${file}: ${key}`);
  const settingsObject = expectObject(object['settings'] ?? {}, `${file}: settings`);
  let settings: SettingsPatch = {};
  for (const [name, v] of Object.entries(settingsObject)) settings = { ...settings, ...checkSetting(name, String(v), `${file}: settings`) };
  const violation = expectObject(object['violation'], `${file}: violation`);
  const expected = expectObject(object['expected'], `${file}: expected`);
  for (const [profile, verdict] of Object.entries(expected)) {
    if (verdict !== 'fails' && verdict !== 'passes') throw new InvalidInputError(`${file}: expected.${profile}: expected "fails" or "passes", got ${describeJson(verdict)}`);
  }
  const history = object['history'] === undefined ? undefined : expectArray(object['history'], `${file}: history`).map((c, i) => parseCase(c, `${file}: history[${i}]`));
  return {
    format: REGRESSION_FORMAT,
    formatVersion: REGRESSION_FORMAT_VERSION,
    fingerprint: str('fingerprint'),
    property: str('property'),
    profile: str('profile'),
    settings,
    violation: {
      kind: expectString(violation['kind'], `${file}: violation.kind`),
      table: typeof violation['table'] === 'string' ? violation['table'] : null,
      columns: Array.isArray(violation['columns']) ? violation['columns'].map(String) : [],
      constraint: typeof violation['constraint'] === 'string' ? violation['constraint'] : null,
      message: expectString(violation['message'], `${file}: violation.message`),
    },
    shapeClass: str('shapeClass'),
    case: parseCase(object['case'], `${file}: case`),
    ...(history === undefined ? {} : { history }),
    seed: typeof object['seed'] === 'number' ? object['seed'] : 0,
    path: typeof object['path'] === 'string' ? object['path'] : '',
    generatorFingerprint: str('generatorFingerprint'),
    cardfuzzVersion: str('cardfuzzVersion'),
    recordedAt: str('recordedAt'),
    expected: expected as Record<string, ExpectedVerdict>,
    ...(object['witness'] === undefined ? {} : { witness: witnessName(object['witness'], file) }),
  };
}

function witnessName(value: unknown, file: string): string {
  const name = expectString(value, `${file}: witness`);
  if (!/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]* -> [a-z_][a-z0-9_]*$/.test(name)) throw new InvalidInputError(`${file}: witness: expected a foreign key "child.column -> parent", got ${describeJson(name)}`);
  return name;
}

export function serializeRegressionCase(c: RegressionCase): string {
  return `${JSON.stringify(c, null, 2)}\n`;
}

export function isRegressionCaseObject(value: unknown): boolean {
  return isJsonObject(value) && value['format'] === REGRESSION_FORMAT;
}
