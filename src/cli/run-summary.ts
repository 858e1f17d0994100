import { relative } from 'node:path';
import { SHAPES } from '../expansion/shape-classes.js';
import { FINDINGS_PAGE, findingLink } from '../reporting/findings-catalogue.js';
import { regressionCasePath } from '../regression/regression-store.js';
import type { Finding } from '../runner/finding.js';
import type { AnyProperty } from '../runner/property.js';
import { shellQuote } from './shared-options.js';

/**
 * The end of a `cardfuzz run`: what failed and on which shape, what held,
 * what was left out, and the commands to run next (save the findings, look
 * at one without fuzzing, hand it to Galaxy as an API test).
 */
export interface RunSummaryInput {
  /** `cardfuzz` or `npx cardfuzz`. */
  readonly cardfuzz: string;
  /** The findings, in the order they were printed. */
  readonly findings: readonly Finding[];
  readonly properties: readonly AnyProperty[];
  /** Hazard properties a default run leaves out. */
  readonly leftOut: readonly AnyProperty[];
  /** Properties that judged no case though they could have (printed above as not checked). */
  readonly notChecked?: number;
  /** Properties the schema gives nothing to judge (printed above as n/a). */
  readonly notApplicable?: number;
  /** "2,010 cases in 2.5 s (801 cases/s)". */
  readonly totals: string;
  readonly profile: string;
  /** The command that reruns this campaign with `--save`, or null when the findings were saved. */
  readonly saveCommand: string | null;
  /** Where the findings are (or would be) saved, as given on the command line or the default. */
  readonly regressionsDir: string;
  /** Files the run saved (or found already recorded), by fingerprint. */
  readonly saved: ReadonlyMap<string, string>;
  readonly cwd: string;
}

const MESSAGE_WIDTH = 104;

export function runSummary(s: RunSummaryInput): string {
  const lines: string[] = [];
  const count = s.findings.length;
  const notChecked = s.notChecked ?? 0;
  const notApplicable = s.notApplicable ?? 0;
  const left = [...(notChecked > 0 ? [`${notChecked} not checked`] : []), ...(notApplicable > 0 ? [`${notApplicable} not applicable`] : [])];
  const aside = left.length > 0 ? ` (${left.join(', ')})` : '';
  const which = notChecked > 0 ? 'checked ' : notApplicable > 0 ? 'applicable ' : '';
  lines.push(count === 0 ? `ok: every ${which}property held on ${s.profile}${aside} over ${s.totals}` : `${count} finding${count === 1 ? '' : 's'} on ${s.profile}${aside} over ${s.totals}:`);
  const width = Math.max(0, ...s.findings.map((f) => label(s.properties, f.property).length));
  for (const f of s.findings) {
    const shape = f.shapeClass in SHAPES ? `${f.shapeClass}, ${SHAPES[f.shapeClass as keyof typeof SHAPES]}` : f.shapeClass;
    lines.push(`  FAIL ${label(s.properties, f.property).padEnd(width)}  ${shape}`, `      ${clip(f.violation.message.split('\n')[0] ?? '')}`);
    if (isHazardOf(s.properties, f.property)) lines.push(`      upstream Galaxy defect, not introduced by this branch: ${findingLink(f)}`);
  }
  if (s.leftOut.length > 0) {
    lines.push(`  left out: ${s.leftOut.length} hazard properties (defects in upstream Galaxy code that a branch does not introduce, ${FINDINGS_PAGE}; --hazards adds them): ${s.leftOut.map((p) => p.id).join(', ')}`);
  }
  if (count === 0) return lines.join('\n');
  const first = s.findings[0]!;
  const file = s.saved.get(first.fingerprint) ?? regressionCasePath(s.regressionsDir, first.property, first.fingerprint);
  const shown = shellQuote(displayPath(file, s.cwd));
  lines.push('next:');
  const steps: [string, string][] = [];
  if (s.saveCommand !== null) steps.push([s.saveCommand, `save ${count === 1 ? 'the finding' : 'each finding'} as a regression case under ${displayPath(s.regressionsDir, s.cwd)}`]);
  steps.push([`${s.cardfuzz} explain ${shown}`, 'the first finding without fuzzing: expansion, rows written, readers, verdicts']);
  steps.push([`${s.cardfuzz} export ${shown} --format galaxy-test`, 'the same case as a Galaxy API test (with its tool XML)']);
  steps.push([`${s.cardfuzz} replay`, 'replay every saved regression case against its recorded verdicts']);
  for (const [command, what] of steps) lines.push(`  ${command}\n      ${what}`);
  return lines.join('\n');
}

function label(properties: readonly AnyProperty[], id: string): string {
  return isHazardOf(properties, id) ? `${id} (hazard)` : id;
}

function isHazardOf(properties: readonly AnyProperty[], id: string): boolean {
  return properties.some((p) => p.id === id && p.hazard !== undefined);
}

function clip(message: string): string {
  return message.length <= MESSAGE_WIDTH ? message : `${message.slice(0, MESSAGE_WIDTH - 1)}…`;
}

/** A path as the user would type it from where they are. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') && rel.split('/').filter((p) => p === '..').length > 2 ? path : rel;
}
