import type { ReplayedCase } from '../regression/replay-cases.js';
import type { Finding } from '../runner/finding.js';
import { FINDINGS_PAGE, HAZARD_NOTE, hazardNote, isHazard } from './findings-catalogue.js';
import type { PropertyCheck } from '../runner/run-suite.js';

/** A Markdown summary of a gate or campaign, for $GITHUB_STEP_SUMMARY and report folders. */
export function gateMarkdown(options: {
  readonly profile: string;
  readonly seed: number;
  readonly runs: number;
  readonly elapsedMs: number;
  readonly replayed: readonly ReplayedCase[];
  readonly problems: readonly string[];
  readonly findings: readonly Finding[];
  readonly properties: readonly string[];
  /** Per property, the inputs it judged and whether it was checked at all. */
  readonly checks?: readonly PropertyCheck[];
  /** Properties that did not run, with why (e.g. the upgrade property on a profile with no previous one): n/a, never held. */
  readonly notApplicable?: ReadonlyMap<string, string>;
  readonly exitCode: number;
}): string {
  const verdict = options.exitCode === 0 ? 'passed' : options.exitCode === 1 ? 'FAILED' : 'ERROR';
  const lines = [
    `## cardfuzz gate: ${verdict}`,
    '',
    `Profile \`${options.profile}\`, seed ${options.seed}, ${options.runs.toLocaleString('en-US')} cases in ${(options.elapsedMs / 1000).toFixed(1)} s.`,
    '',
    `### Regression cases (${options.replayed.length})`,
    '',
  ];
  if (options.replayed.length === 0) lines.push('none');
  else {
    lines.push('| case | property | verdict | recorded |', '|---|---|---|---|');
    for (const r of options.replayed) lines.push(`| \`${r.fingerprint}\` | ${r.property} | ${r.verdict.status === 'not-applicable' ? 'n/a' : r.verdict.status} | ${r.recorded ?? '-'} |`);
  }
  for (const p of options.problems) lines.push('', `- could not use: ${p}`);
  lines.push('', `### Properties (${options.properties.length})`, '', '| property | verdict | inputs judged |', '|---|---|---|');
  for (const id of options.properties) {
    const f = options.findings.find((x) => x.property === id);
    const check = options.checks?.find((c) => c.property === id);
    const na = options.notApplicable?.get(id);
    const held = check?.status === 'not-checked' ? `**not checked**: ${(check.reason ?? '').replaceAll('|', '\\|')}` : 'held';
    const failed = f ? `**failed** (${f.shapeClass}): ${f.violation.message.replaceAll('|', '\\|')}${isHazard(id) ? ` — ${hazardNote(f)}` : ''}` : undefined;
    lines.push(`| ${id}${isHazard(id) ? ' (hazard)' : ''} | ${failed ?? (na !== undefined ? `n/a (${na.replaceAll('|', '\\|')})` : held)} | ${check ? check.judged.toLocaleString('en-US') : '-'} |`);
  }
  const hazards = options.properties.filter(isHazard);
  lines.push('', hazards.length > 0 ? `The ${HAZARD_NOTE}.` : `Hazard properties left out (nightly checks them; --hazards includes them): they report defects in upstream Galaxy code that a branch does not introduce, explained at ${FINDINGS_PAGE}.`);
  for (const f of options.findings) {
    lines.push('', `<details><summary>${f.property} — minimal case (${f.shapeClass})</summary>`, '', '```json', JSON.stringify(f.case, null, 2), '```', '', `replay: \`${f.replay}\``, '', '</details>');
  }
  return `${lines.join('\n')}\n`;
}
