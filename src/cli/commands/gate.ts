import { appendFile } from 'node:fs/promises';
import { fuzzCaseArbitrary, historyArbitrary } from '../../../generators/case.js';
import { generatorFingerprint } from '../../../generators/fingerprint.js';
import { PROPERTIES } from '../../../properties/index.js';
import { FileAccessError } from '../../errors.js';
import { writeFileAtomic } from '../../files/atomic-write.js';
import { checkWritableFile } from '../../files/check-writable.js';
import { replayCases } from '../../regression/replay-cases.js';
import { loadRegressionCases } from '../../regression/regression-store.js';
import { junitXml, type JUnitCase } from '../../reporting/junit.js';
import { gateMarkdown } from '../../reporting/markdown.js';
import { CaseJudge } from '../../runner/case-judge.js';
import { resolveTargetProfile, type TargetOptions } from '../../runner/open-target.js';
import { notCheckedLines, runSuite } from '../../runner/run-suite.js';
import { schemaGapNotes } from '../schema-notes.js';
import type { Io } from '../io.js';
import { describeReplay } from './replay.js';
import { findDefaultRegressionsDir } from '../project-root.js';
import { displayPath } from '../run-summary.js';
import { shellQuote, targetFlags } from '../shared-options.js';
import { hazardNote } from '../../reporting/findings-catalogue.js';

export interface GateOptions {
  readonly target: TargetOptions;
  /** The folder of regression cases; undefined: reports/regressions here or at the project root, when there is one. */
  readonly regressions: string | undefined;
  readonly seed: number;
  readonly runs: number;
  readonly hazards: boolean;
  readonly allowStale: boolean;
  /** Accept properties the campaign did not check (judged no input); by default the gate fails on them. */
  readonly allowUnchecked?: boolean;
  /** One note per table or column the schema lacks, instead of one line for all. */
  readonly verbose?: boolean;
  readonly junit: string | undefined;
  readonly markdown: string | undefined;
  /** $GITHUB_STEP_SUMMARY, when set: the Markdown summary is appended to it. */
  readonly stepSummary: string | undefined;
}

/**
 * `cardfuzz gate`: the per-commit CI entry. Replays every regression case on
 * the profile, then runs a deterministic campaign; writes JUnit (stable test
 * names: property ids and fingerprints) and a Markdown summary. Exit 0 when
 * everything held, 1 on a finding or a case that still fails, 2 when a case
 * file cannot be used or cardfuzz cannot run.
 */
export async function gateCommand(options: GateOptions, io: Io): Promise<number> {
  const started = performance.now();
  const profile = await resolveTargetProfile(options.target);
  const properties = PROPERTIES.filter((p) => options.hazards || p.hazard === undefined);
  io.err(`cardfuzz gate: profile ${profile.name}, seed ${options.seed}, ${options.runs} cases, ${properties.length} properties${options.hazards ? ' (hazards included)' : ' (hazard properties, defects in upstream Galaxy that a branch does not introduce, left to nightly; --hazards includes them)'}`);

  // Before any work: the verdicts must not be lost to an unwritable report path.
  if (options.junit) await checkWritableFile(options.junit, '--junit');
  if (options.markdown) await checkWritableFile(options.markdown, '--markdown');
  const lookup = options.regressions === undefined ? findDefaultRegressionsDir() : null;
  if (lookup !== null && lookup.dir === null) io.err(`note: no regression cases to replay (looked for ${lookup.looked.join(' and ')})`);
  const regressionsDir = options.regressions ?? (lookup?.dir === null || lookup === null ? null : displayPath(lookup.dir, process.cwd()));
  const loaded = regressionsDir === null ? { cases: [], problems: [] } : await loadRegressionCases([regressionsDir]);
  const judge = new CaseJudge({ dialect: options.target.dialect, ...(options.target.databaseUrl === undefined ? {} : { databaseUrl: options.target.databaseUrl }) });
  const currentFingerprint = generatorFingerprint();
  let replay: Awaited<ReturnType<typeof replayCases>>;
  try {
    replay = await replayCases(loaded.cases, { judge, properties: PROPERTIES, profile, settings: options.target.settings, generatorFingerprint: currentFingerprint });
  } finally {
    await judge.close();
  }
  const problems = [...loaded.problems, ...replay.problems].map((p) => p.message);
  const stale = replay.replayed.filter((r) => r.stale);
  if (!options.allowStale) for (const s of stale) problems.push(`${s.file}: stale: recorded by other generators (current ${currentFingerprint}); run cardfuzz replay --refresh, or pass --allow-stale`);
  for (const r of replay.replayed) io.err(describeReplay(r));
  for (const p of problems) io.err(`cardfuzz: ${p}`);

  const suite = await runSuite({
    target: { ...options.target, profile, schemaSql: undefined },
    properties,
    caseArbitrary: fuzzCaseArbitrary(),
    historyArbitrary: historyArbitrary(),
    seed: options.seed,
    runs: options.runs,
    replayCommand: (f) => `cardfuzz run ${targetFlags(options.target)} --seed ${f.seed} --path ${shellQuote(f.path)} --property ${f.property}`,
  });
  if (suite.error !== undefined) problems.push(suite.error.code !== undefined ? suite.error.message : `internal error while fuzzing: ${suite.error.message}`);
  problems.push(...suite.closeErrors);
  const stillFailing = replay.replayed.filter((r) => r.verdict.status === 'fails');
  const unchecked = suite.error === undefined && !options.allowUnchecked ? suite.checks.filter((c) => c.status === 'not-checked') : [];
  for (const line of schemaGapNotes(suite.schemaGaps, options.verbose ?? false)) io.err(line);
  for (const line of notCheckedLines(suite.checks)) io.err(`cardfuzz: ${line}${options.allowUnchecked ? ' (accepted: --allow-unchecked)' : ''}`);
  const exitCode = problems.length > 0 ? 2 : stillFailing.length > 0 || suite.findings.length > 0 || unchecked.length > 0 ? 1 : 0;
  const elapsedMs = performance.now() - started;

  const regressionCases: JUnitCase[] = replay.replayed.map((r) => ({
    name: `${r.property} ${r.fingerprint}`,
    classname: 'cardfuzz.regressions',
    properties: { file: r.file, profile: r.profile, recorded: r.recorded ?? 'none' },
    ...(r.verdict.status === 'fails' ? { failure: { message: r.verdict.violation.message, type: r.verdict.violation.kind, details: `${r.file} still fails on ${r.profile}` } } : {}),
    ...(r.verdict.status === 'not-applicable' ? { skipped: r.verdict.reason } : {}),
  }));
  const problemCases: JUnitCase[] = problems.map((message, i) => ({ name: `unusable input ${i + 1}`, classname: 'cardfuzz.regressions', error: { message, details: message } }));
  const propertyCases: JUnitCase[] = properties.map((p): JUnitCase => {
    const finding = suite.findings.find((f) => f.property === p.id);
    const group = suite.groups.find((g) => g.properties.includes(p.id));
    const check = suite.checks.find((c) => c.property === p.id);
    const judged = check?.judged ?? 0;
    if (check?.status === 'not-applicable') return { name: p.id, classname: 'cardfuzz.properties', skipped: `not applicable: ${check.reason ?? 'the schema lacks what it needs'}` };
    if (check?.status === 'not-checked') {
      const reason = `not checked: ${check.reason ?? 'judged no input'}`;
      if (options.allowUnchecked) return { name: p.id, classname: 'cardfuzz.properties', skipped: reason };
      return { name: p.id, classname: 'cardfuzz.properties', properties: { seed: options.seed, runs: group?.runs ?? 0, judged }, failure: { message: reason, type: 'not-checked', details: `${reason}; pass --allow-unchecked to accept it` } };
    }
    if (finding === undefined) return { name: p.id, classname: 'cardfuzz.properties', properties: { seed: options.seed, runs: group?.runs ?? 0, judged } };
    // A hazard property's finding is a defect of upstream Galaxy, not of the branch: the report says so and links its entry.
    const hazard: Record<string, string> = p.hazard === undefined ? {} : { hazard: hazardNote(finding) };
    return {
      name: p.id,
      classname: 'cardfuzz.properties',
      properties: { seed: finding.seed, path: finding.path, fingerprint: finding.fingerprint, shape: finding.shapeClass, ...hazard },
      failure: { message: finding.violation.message, type: finding.violation.kind, details: `${p.hazard === undefined ? '' : `${hazardNote(finding)}\n`}replay: ${finding.replay}` },
      systemOut: JSON.stringify(finding.case, null, 2),
    };
  });
  const xml = junitXml([
    { name: 'cardfuzz regressions', cases: [...regressionCases, ...problemCases] },
    { name: `cardfuzz properties`, cases: propertyCases, timeSeconds: suite.elapsedMs / 1000, properties: { profile: profile.name, seed: options.seed, runs: suite.runs } },
  ]);
  const markdown = gateMarkdown({ profile: profile.name, seed: options.seed, runs: suite.runs, elapsedMs, replayed: replay.replayed, problems, findings: suite.findings, properties: properties.map((p) => p.id), checks: suite.checks, notApplicable: new Map(suite.checks.flatMap((c): [string, string][] => (c.status === 'not-applicable' ? [[c.property, c.reason ?? '']] : []))), exitCode });
  // The verdicts go to stdout first, so a write that still fails (one line, exit 2) loses nothing.
  if (options.markdown) {
    // The Markdown goes to its file; the terminal gets the verdict in a line.
    const verdict = exitCode === 0 ? 'passed' : exitCode === 1 ? 'FAILED' : 'could not run';
    io.out(`cardfuzz gate ${verdict}: ${replay.replayed.length} regression case${replay.replayed.length === 1 ? '' : 's'} (${stillFailing.length} still failing), ${suite.findings.length} finding${suite.findings.length === 1 ? '' : 's'} over ${suite.runs.toLocaleString('en-US')} cases${problems.length > 0 ? `, ${problems.length} problem${problems.length === 1 ? '' : 's'}` : ''}; Markdown summary in ${options.markdown}`);
  } else io.out(markdown);
  if (options.junit) await writeFileAtomic(options.junit, xml);
  if (options.markdown) await writeFileAtomic(options.markdown, markdown);
  if (options.stepSummary) {
    try {
      await appendFile(options.stepSummary, markdown);
    } catch (error) {
      throw new FileAccessError(`${options.stepSummary}: cannot append the step summary (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  return exitCode;
}
