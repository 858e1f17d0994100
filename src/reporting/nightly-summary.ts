import { formatApproximation, type Approximation } from '../tools/approximations.js';
import { coverageGaps, mergeCoverage, type Coverage, type CoverageGap } from '../coverage/coverage.js';
import { mergeNightlyMapRows, nightlyMapLine, type NightlyMapRow } from '../cardinality/nightly-map.js';
import type { Case } from '../model/case.js';
import type { Violation } from '../runner/property.js';
import { junitXml, type JUnitCase } from './junit.js';
import { HAZARD_NOTE, hazardNote, isHazard } from './findings-catalogue.js';

/**
 * The summary of a nightly run (summary.json), from which every other report
 * is rendered; `merge-reports` combines shard summaries into one. Reporting
 * depends on nothing of src/nightly/: the nightly reads and writes these
 * files and renders them with the functions here, never the other way round.
 */

/** A finding's status tonight against earlier nights. */
export type FindingStatus = 'new' | 'still-failing' | 'fixed';

export interface NightlyFinding {
  readonly fingerprint: string;
  readonly property: string;
  readonly profile: string;
  readonly shapeClass: string;
  readonly status: FindingStatus;
  /** Marks a new finding whose fingerprint had been fixed on an earlier night. */
  readonly reappeared?: boolean;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly violation: Violation;
  readonly case: Case;
  readonly history?: readonly Case[];
  readonly seed?: number;
  readonly path?: string;
  readonly replay: string;
  readonly regressionFile?: string;
}

export interface ThroughputSeries {
  readonly label: string;
  readonly points: readonly { readonly elapsedMs: number; readonly runs: number }[];
}

export interface NightSummaryLine {
  readonly runId: string;
  readonly at: string;
  readonly new: number;
  readonly stillFailing: number;
  readonly fixed: number;
}

export interface NightlySummary {
  readonly format: 'cardfuzz-nightly';
  readonly version: 1;
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly seed: number;
  readonly profile: string;
  readonly settings: Readonly<Record<string, string>>;
  /** The properties checked. */
  readonly properties: readonly string[];
  readonly shards: readonly string[];
  readonly workers: number;
  readonly budget: string;
  readonly elapsedMs: number;
  readonly runs: number;
  /** Per property, the inputs it judged; zero means not checked (absent in summaries written before it was counted). */
  readonly judged?: Readonly<Record<string, number>>;
  /** Per property the schema gives nothing to judge, why (runner/applicability.ts); a property that judged an input is never listed. */
  readonly notApplicable?: Readonly<Record<string, string>>;
  readonly casesPerSecond: number;
  readonly interrupted: boolean;
  readonly errors: readonly string[];
  /** What the --tool readers could not model exactly (src/tools/approximations.ts); absent in older summaries. */
  readonly approximations?: readonly Approximation[];
  readonly units: readonly { readonly shard: string; readonly index: number; readonly lane: string; readonly seed: number; readonly runs: number; readonly elapsedMs: number }[];
  readonly laneTimeMs: Readonly<Record<string, number>>;
  readonly findings: readonly NightlyFinding[];
  readonly coverage: Coverage;
  readonly reachable: Coverage;
  readonly gaps: readonly CoverageGap[];
  readonly reachedShare: number;
  readonly minCoverage: number | null;
  readonly throughput: readonly ThroughputSeries[];
  readonly nights: readonly NightSummaryLine[];
  /** The cardinality map from the night's coverage (src/cardinality/nightly-map.ts), when it was made. */
  readonly cardinalityMap?: readonly NightlyMapRow[];
  readonly exitCode: number;
}

export function exitCodeOf(summary: Pick<NightlySummary, 'errors' | 'findings' | 'minCoverage' | 'reachedShare'>): number {
  if (summary.errors.length > 0) return 2;
  if (summary.findings.some((f) => f.status !== 'fixed')) return 1;
  if (summary.minCoverage !== null && summary.reachedShare < summary.minCoverage) return 1;
  return 0;
}

/** Combines shard summaries: findings by fingerprint, coverage by addition, one throughput line per shard. */
export function mergeSummaries(summaries: readonly NightlySummary[], runId: string): NightlySummary {
  const first = summaries[0]!;
  const findings = new Map<string, NightlyFinding>();
  const rank: Record<FindingStatus, number> = { new: 0, 'still-failing': 1, fixed: 2 };
  for (const s of summaries) {
    for (const f of s.findings) {
      const seen = findings.get(f.fingerprint);
      if (seen === undefined || rank[f.status] < rank[seen.status]) findings.set(f.fingerprint, f);
    }
  }
  const coverage = summaries.map((s) => s.coverage).reduce(mergeCoverage);
  const reachable = first.reachable;
  const { gaps, reachedShare } = coverageGaps(coverage, reachable);
  const nights = new Map<string, NightSummaryLine>();
  for (const s of summaries) for (const n of s.nights) nights.set(n.runId, n);
  const elapsedMs = Math.max(...summaries.map((s) => s.elapsedMs));
  const runs = summaries.reduce((n, s) => n + s.runs, 0);
  const merged: Omit<NightlySummary, 'exitCode'> = {
    format: 'cardfuzz-nightly',
    version: 1,
    runId,
    startedAt: summaries.map((s) => s.startedAt).sort()[0]!,
    finishedAt: summaries.map((s) => s.finishedAt).sort().at(-1)!,
    seed: first.seed,
    profile: first.profile,
    settings: first.settings,
    properties: [...new Set(summaries.flatMap((s) => s.properties))],
    shards: summaries.flatMap((s) => s.shards),
    workers: summaries.reduce((n, s) => n + s.workers, 0),
    budget: first.budget,
    elapsedMs,
    runs,
    casesPerSecond: elapsedMs > 0 ? (runs * 1000) / elapsedMs : 0,
    interrupted: summaries.some((s) => s.interrupted),
    errors: summaries.flatMap((s) => s.errors),
    approximations: [...new Map(summaries.flatMap((s) => s.approximations ?? []).map((a) => [`${a.at}\u0000${a.construct}`, a])).values()],
    units: summaries.flatMap((s) => s.units),
    laneTimeMs: summaries.reduce<Record<string, number>>((acc, s) => {
      for (const [lane, ms] of Object.entries(s.laneTimeMs)) acc[lane] = (acc[lane] ?? 0) + ms;
      return acc;
    }, {}),
    findings: [...findings.values()].sort((a, b) => a.fingerprint.localeCompare(b.fingerprint)),
    coverage,
    reachable,
    gaps,
    reachedShare,
    minCoverage: first.minCoverage,
    throughput: summaries.flatMap((s) => s.throughput),
    nights: [...nights.values()].sort((a, b) => a.at.localeCompare(b.at)),
    ...(summaries.some((s) => s.cardinalityMap) ? { cardinalityMap: summaries.map((s) => s.cardinalityMap ?? []).reduce((a, b) => mergeNightlyMapRows(a, b)) } : {}),
  };
  return { ...merged, exitCode: exitCodeOf(merged) };
}

export function nightlyJunit(summary: NightlySummary): string {
  const findingCases: JUnitCase[] = summary.findings.map((f) => ({
    name: `${f.property} ${f.fingerprint}`,
    classname: 'cardfuzz.nightly.findings',
    properties: { status: f.status, shape: f.shapeClass, firstSeen: f.firstSeen, ...(f.seed !== undefined ? { seed: f.seed } : {}), ...(f.path ? { path: f.path } : {}) },
    ...(f.status === 'fixed' ? {} : { failure: { message: f.violation.message, type: f.status, details: `${isHazard(f.property) ? `${hazardNote(f)}\n` : ''}replay: ${f.replay}` } }),
    systemOut: JSON.stringify(f.case, null, 2),
  }));
  const propertyCases: JUnitCase[] = summary.properties.map((id) => {
    const open = summary.findings.filter((f) => f.property === id && f.status !== 'fixed');
    const judged = summary.judged?.[id];
    const na = summary.notApplicable?.[id];
    return {
      name: id,
      classname: 'cardfuzz.nightly.properties',
      ...(judged !== undefined ? { properties: { judged } } : {}),
      ...(open.length === 0 && judged === 0 ? { skipped: na !== undefined ? `not applicable: ${na}` : 'not checked: judged no input' } : {}),
      ...(open.length > 0 ? { failure: { message: open.map((f) => f.violation.message).join('; '), type: 'property', details: open.map((f) => f.replay).join('\n') } } : {}),
    };
  });
  const coverageCase: JUnitCase = {
    name: 'reachable coverage',
    classname: 'cardfuzz.nightly.coverage',
    properties: { reachedShare: summary.reachedShare.toFixed(3) },
    ...(summary.minCoverage !== null && summary.reachedShare < summary.minCoverage
      ? { failure: { message: `${(100 * summary.reachedShare).toFixed(1)}% of the reachable buckets reached, below --min-coverage ${summary.minCoverage}`, type: 'coverage', details: summary.gaps.map((g) => g.name).join('\n') } }
      : {}),
  };
  // An interrupted night and cardfuzz's own errors are JUnit errors: the run did not finish checking.
  const runCases: JUnitCase[] = [
    {
      name: 'campaign ran to its budget',
      classname: 'cardfuzz.nightly.run',
      properties: { interrupted: String(summary.interrupted), runs: summary.runs },
      ...(summary.interrupted ? { error: { message: `interrupted: the run was stopped early after ${summary.runs} cases; the reports cover what was done`, details: `budget: ${summary.budget}` } } : {}),
    },
    ...summary.errors.map((message, i): JUnitCase => ({ name: `tool error ${i + 1}`, classname: 'cardfuzz.nightly.run', error: { message, details: message } })),
  ];
  return junitXml([
    { name: 'cardfuzz nightly findings', cases: findingCases, properties: { profile: summary.profile, seed: summary.seed, runs: summary.runs, interrupted: String(summary.interrupted) } },
    { name: 'cardfuzz nightly properties', cases: [...propertyCases, coverageCase] },
    { name: 'cardfuzz nightly run', cases: runCases },
  ]);
}

export function nightlyMarkdown(summary: NightlySummary): string {
  const count = (status: FindingStatus): number => summary.findings.filter((f) => f.status === status).length;
  const lines = [
    `## cardfuzz nightly ${summary.runId}: ${summary.exitCode === 0 ? 'clean' : summary.exitCode === 1 ? 'findings' : 'errors'}`,
    '',
    `Profile \`${summary.profile}\`, seed ${summary.seed}${summary.shards.length > 0 ? `, shards ${summary.shards.join(', ')}` : ''}, ${summary.workers} worker${summary.workers === 1 ? '' : 's'}, ${summary.budget}: ${summary.runs.toLocaleString('en-US')} cases in ${(summary.elapsedMs / 1000).toFixed(1)} s (${Math.round(summary.casesPerSecond).toLocaleString('en-US')} cases/s)${summary.interrupted ? ' — **stopped early**; the reports cover what was done' : ''}.`,
    '',
    `**${count('new')} new**, ${count('still-failing')} still failing, ${count('fixed')} fixed. Reachable coverage: ${(100 * summary.reachedShare).toFixed(1)}%${summary.gaps.length > 0 ? ` (${summary.gaps.length} reachable bucket${summary.gaps.length === 1 ? '' : 's'} not reached)` : ''}.`,
    '',
  ];
  for (const status of ['new', 'still-failing', 'fixed'] as const) {
    const list = summary.findings.filter((f) => f.status === status);
    if (list.length === 0) continue;
    lines.push(`### ${status === 'new' ? 'New' : status === 'still-failing' ? 'Still failing' : 'Fixed'}`, '', '| property | shape | violation | first seen |', '|---|---|---|---|');
    for (const f of list) lines.push(`| ${f.property}${isHazard(f.property) ? ' (hazard)' : ''} | ${f.shapeClass} | ${f.violation.message.replaceAll('|', '\\|')}${isHazard(f.property) ? ` — ${hazardNote(f)}` : ''} | ${f.firstSeen.slice(0, 10)} |`);
    lines.push('');
  }
  if (summary.properties.some(isHazard)) lines.push(`The ${HAZARD_NOTE}.`, '');
  if (summary.judged !== undefined) {
    lines.push('### Properties', '', '| property | inputs judged |', '|---|---|');
    for (const id of summary.properties) {
      const n = summary.judged[id] ?? 0;
      const na = summary.notApplicable?.[id];
      lines.push(`| ${id} | ${n > 0 ? n.toLocaleString('en-US') : na !== undefined ? `n/a (${na.replaceAll('|', '\\|')})` : '**not checked** (0)'} |`);
    }
    lines.push('');
  }
  const counts = (record: Readonly<Record<string, number>>): string =>
    Object.entries(record)
      .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
      .map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`)
      .join(', ') || '—';
  const reached = Object.entries(summary.coverage.shapes).filter(([, n]) => n > 0).length;
  lines.push(
    '### Generated',
    '',
    `- shapes: ${reached} of ${Object.keys(summary.reachable.shapes).length} reachable (${counts(summary.coverage.shapes)})`,
    `- collection types: ${counts(summary.coverage.collectionTypes)}`,
    `- nesting depths: ${counts(summary.coverage.nestingDepths)}`,
    `- Batch sizes: ${counts(summary.coverage.batchSizes)}`,
    '',
  );
  if (summary.cardinalityMap) lines.push(nightlyMapLine(summary.cardinalityMap), '');
  if ((summary.approximations ?? []).length > 0) {
    lines.push('### Approximations', '', ...summary.approximations!.map((a) => `- ${formatApproximation(a)}`), '');
  }
  if (summary.gaps.length > 0) lines.push('### Reachable but not reached', '', ...summary.gaps.slice(0, 30).map((g) => `- ${g.kind}: ${g.name}`), '');
  for (const e of summary.errors) lines.push(`- error: ${e}`);
  return `${lines.join('\n')}\n`;
}
