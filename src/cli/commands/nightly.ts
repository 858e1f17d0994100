import { mkdirSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { fuzzCaseArbitrary } from '../../../generators/case.js';
import { caseForToolArbitrary } from '../../../generators/tool-cases.js';
import { generatorFingerprint } from '../../../generators/fingerprint.js';
import { findProperties, PROPERTIES } from '../../../properties/index.js';
import { coverageGaps, CoverageRecorder, relationshipsOf, emptyCoverage } from '../../coverage/coverage.js';
import { mapFromCoverage } from '../../cardinality/run-map.js';
import { nightlyMapRows, type NightlyMapRow } from '../../cardinality/nightly-map.js';
import type { Coverage, Relationship } from '../../coverage/coverage.js';
import type { ExecutionPlan } from '../../executor/execution.js';
import type { Catalog } from '../../persistence/catalog.js';
import type { SystemUnderTest } from '../../runner/system-under-test.js';
import { FileAccessError, isFuzzerError } from '../../errors.js';
import { checkWritableDirectory, checkWritableFile } from '../../files/check-writable.js';
import type { Case } from '../../model/case.js';
import type { Profile } from '../../profiles/profile.js';
import { saveWitnesses } from '../../regression/record-witness.js';
import type { ExecutionProperty } from '../../runner/property.js';
import { HISTORY_FILE, knownFindings, loadHistory, nightsFromHistory, type HistoryEntry } from '../../nightly/findings-history.js';
import { eventLog } from '../../nightly/night-events.js';
import { runNightly, type NightlyEvent } from '../../nightly/run-nightly.js';
import { planUnits, shardUnits, unitRuns, type Shard } from '../../nightly/work-units.js';
import { recordFinding } from '../../regression/record-finding.js';
import { saveRegressionCase } from '../../regression/regression-store.js';
import { commitNight, completeUnlistedNights } from '../../nightly/report-files.js';
import { exitCodeOf, nightlyMarkdown, type NightlyFinding, type NightlySummary } from '../../reporting/nightly-summary.js';
import { notApplicableReason } from '../../runner/applicability.js';
import { CaseJudge } from '../../runner/case-judge.js';
import { violationSignature } from '../../runner/finding.js';
import { openTarget, resolveTargetProfile, type TargetOptions } from '../../runner/open-target.js';
import { loadToolFile } from '../../tools/load-tool.js';
import { formatApproximation } from '../../tools/approximations.js';
import { formatDuration } from '../durations.js';
import type { Io } from '../io.js';
import { shellQuote, targetFlags } from '../shared-options.js';
import { progressLine, terminalStatus } from '../progress.js';
import { testKillPoint } from '../test-kill-point.js';

export interface NightlyOptions {
  readonly target: TargetOptions & { readonly profile: string };
  readonly properties: readonly string[] | undefined;
  /** Also check the hazard properties (documented hazards of upstream Galaxy code). */
  readonly hazards: boolean;
  readonly seed: number;
  readonly timeBudgetMs: number | undefined;
  readonly runs: number | undefined;
  readonly workers: number;
  readonly shard: Shard | undefined;
  readonly seedsPerLane: number;
  readonly out: string;
  readonly saveRegressions: string | undefined;
  readonly minCoverage: number | undefined;
  readonly shrinkTimeLimitMs: number;
  readonly tools: readonly string[];
  readonly stepSummary: string | undefined;
  /** Stop flags (createStopFlags) the CLI's signal handlers set. */
  readonly stop: SharedArrayBuffer;
}

/** Cases the reachable-coverage baseline plans (model only, no database). */
const BASELINE_CASES = 3000;

/**
 * `cardfuzz nightly`: a campaign under a time budget (or a fixed number of
 * cases) on worker threads, findings classified against earlier nights
 * (new, still failing, fixed), new ones saved as regression cases, coverage
 * against what the model can reach, and reports in a run folder — written
 * even when the run is stopped.
 */
export async function nightlyCommand(options: NightlyOptions, io: Io): Promise<number> {
  io.err(`cardfuzz nightly: seed ${options.seed}`);
  const startedAt = new Date();
  const started = performance.now();
  const profile = await resolveTargetProfile(options.target);
  const loadedTools = options.tools.map((t) => loadToolFile(t));
  const approximations = loadedTools.flatMap((t) => t.approximations);
  for (const a of approximations) io.err(`note: ${formatApproximation(a)}`);
  // Nightly over --tool generates tool executions only: the properties of whole workflow invocations have nothing to judge there.
  const selected = findProperties(options.properties).filter(
    (p) => options.properties !== undefined || ((options.hazards || !p.hazard) && !(options.tools.length > 0 && p.family === 'execution' && p.workflowOnly === true)),
  );
  const shardLabel = options.shard ? `${options.shard.index}/${options.shard.count}` : '';
  const runId = `${startedAt.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-')}-seed${options.seed}${options.shard ? `-shard${options.shard.index}of${options.shard.count}` : ''}`;
  const runDir = join(options.out, 'runs', runId);
  try {
    mkdirSync(runDir, { recursive: true });
  } catch (error) {
    throw new FileAccessError(`${runDir}: cannot create (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  // Before any work: the run folder (created above), the history beside it and the regression folder must be writable.
  await checkWritableFile(join(options.out, HISTORY_FILE), '--out');
  await checkWritableDirectory(options.saveRegressions ?? join(options.out, 'regressions'), options.saveRegressions ? '--save-regressions' : '--out');
  const event = eventLog(runDir);
  const checkpoint = testKillPoint();
  const budget = options.timeBudgetMs !== undefined ? `time budget ${formatDuration(options.timeBudgetMs)}` : `${(options.runs ?? 1000).toLocaleString('en-US')} cases`;
  // Enough of the plan to rebuild the night's summary from the events if the run is killed (cardfuzz report).
  event({
    type: 'run-started',
    runId,
    seed: options.seed,
    profile: profile.name,
    shard: shardLabel || null,
    workers: options.workers,
    settings: options.target.settings,
    properties: selected.map((p) => p.id),
    budget,
    minCoverage: options.minCoverage ?? null,
  });

  // Earlier nights: replay what was still failing, on this profile.
  const historyFile = join(options.out, HISTORY_FILE);
  // A night killed between its summary.json and its history lines is committed now, so its findings are not new twice.
  let history = await loadHistory(historyFile);
  const completed = await completeUnlistedNights(options.out, historyFile, history);
  for (const c of completed.added) io.err(`note: night ${c.runId} was stopped before its findings history was written; its ${c.findings} finding${c.findings === 1 ? ' is' : 's are'} added to ${HISTORY_FILE} now`);
  for (const message of completed.unreadable) io.err(`note: ${message}; that night is left out of the history`);
  if (completed.added.length > 0) history = await loadHistory(historyFile);
  const known = knownFindings(history);
  const judge = new CaseJudge({ dialect: options.target.dialect, ...(options.target.databaseUrl ? { databaseUrl: options.target.databaseUrl } : {}) });
  const replayed: { entry: HistoryEntry; fails: boolean }[] = [];
  try {
    for (const k of known.values()) {
      if (k.lastStatus === 'fixed') continue;
      const property = PROPERTIES.find((p) => p.id === k.latest.property);
      if (property === undefined || !selected.includes(property)) continue;
      const verdict = await judge.judge({ profile, settings: options.target.settings, property, case: k.latest.case, ...(k.latest.history ? { history: k.latest.history } : {}) });
      replayed.push({ entry: k.latest, fails: verdict.status === 'fails' });
    }
  } finally {
    await judge.close();
  }
  const stillFailing = replayed.filter((r) => r.fails);
  const replayedAt = new Date().toISOString();
  const replayedFindings: NightlyFinding[] = replayed.map((r) => {
    const k = known.get(r.entry.fingerprint)!;
    const status = r.fails ? 'still-failing' : 'fixed';
    const replay = r.entry.regressionFile !== undefined ? `cardfuzz replay ${shellQuote(r.entry.regressionFile)} --profile ${shellQuote(profile.name)}` : `cardfuzz explain (the case of fingerprint ${r.entry.fingerprint} in ${HISTORY_FILE}) --profile ${shellQuote(profile.name)}`;
    return { ...toNightly(r.entry, status, k.firstSeen, r.fails ? replayedAt : k.lastSeen), replay, ...(r.entry.regressionFile !== undefined ? { regressionFile: r.entry.regressionFile } : {}) };
  });
  event({ type: 'known', replayed: replayedFindings, firstSeen: Object.fromEntries([...known.values()].map((k) => [k.fingerprint, k.firstSeen])) });
  io.err(`known findings: ${stillFailing.length} still failing, ${replayed.length - stillFailing.length} fixed since they were last seen`);

  // What the model can reach on this profile: a baseline sample, planned without a database.
  const { system, database } = await openTarget({ ...options.target, profile, schemaSql: undefined });
  const relationships = relationshipsOf(database.catalog, system.executor.layouts);
  await database.close();
  const tools = loadedTools.map((t) => t.tool);
  const baseline = new CoverageRecorder(relationships, system.executor.layouts);
  const baselineArbitrary = tools.length === 0 ? fuzzCaseArbitrary() : fc.oneof(...tools.map((t) => caseForToolArbitrary(t)));
  const baselineSample = fc.sample(baselineArbitrary, { numRuns: BASELINE_CASES, seed: 7 });
  const baselinePlans = baselineSample.map((c) => system.plan(c));
  baselineSample.forEach((c, i) => baseline.record(c, baselinePlans[i]!));
  const catalog = database.catalog;
  const notApplicable = Object.fromEntries(selected.flatMap((p) => {
    const reason = notApplicableReason(p, system, catalog);
    return reason === null ? [] : [[p.id, reason]];
  }));

  const lanes = {
    execution: selected.filter((p) => p.family === 'execution').map((p) => p.id),
    upgrade: profile.previous !== undefined && profile.schemaSql === undefined ? selected.filter((p) => p.family === 'upgrade').map((p) => p.id) : [],
  };
  const allUnits = planUnits(lanes, options.seed, options.seedsPerLane);
  const units = options.shard ? shardUnits(allUnits, options.shard) : allUnits;
  event({ type: 'plan', workers: Math.min(options.workers, Math.max(1, units.length)), units, reachable: baseline.coverage, empty: emptyCoverage(relationships) });
  io.err(`profile ${profile.name}, ${budget}, ${units.length} work unit${units.length === 1 ? '' : 's'} on ${Math.min(options.workers, units.length)} worker${options.workers === 1 ? '' : 's'}${shardLabel ? `, shard ${shardLabel}` : ''}`);

  let slicesFinished = 0;
  // Progress on a terminal only (nothing in a pipe or a CI log), once the night has run a few seconds.
  const status = terminalStatus(io);
  const onEvent = (e: NightlyEvent): void => {
    if (e.type === 'progress' && io.stderrIsTTY) {
      const elapsed = performance.now() - started;
      const progress = { runs: e.runs, findings: e.findings, elapsedMs: elapsed, casesPerSecond: e.casesPerSecond, shrinking: null };
      status(progressLine('nightly', progress, null, options.timeBudgetMs ?? null));
    }
    if (e.type === 'worker-problem') io.err(`cardfuzz nightly: ${e.message}`);
    if (e.type !== 'progress') event(e);
    else event({ type: 'progress', elapsedMs: Math.round(e.elapsedMs), runs: e.runs, casesPerSecond: Math.round(e.casesPerSecond), findings: e.findings });
    if (e.type === 'slice-finished' && ++slicesFinished === 1) checkpoint('during-run');
  };
  const result = await runNightly({
    setup: {
      target: {
        profile: options.target.profile,
        settings: options.target.settings as Record<string, string>,
        dialect: options.target.dialect,
        ...(options.target.databaseUrl ? { databaseUrl: options.target.databaseUrl } : {}),
        ...(options.target.schemaSql ? { schemaSql: options.target.schemaSql } : {}),
        tools: options.tools,
      },
      stop: options.stop,
    },
    workerEntry: new URL('../worker/campaign-worker.js', import.meta.url),
    units,
    workers: options.workers,
    // The budget covers the whole command: setup so far, and a reserve for recording findings and writing reports.
    ...(options.timeBudgetMs !== undefined ? { timeBudgetMs: Math.max(1000, options.timeBudgetMs - (performance.now() - started) - Math.min(2000, options.timeBudgetMs * 0.05)) } : { runsByUnit: unitRuns(allUnits, options.runs ?? 1000) }),
    shrinkTimeLimitMs: options.shrinkTimeLimitMs,
    knownSignatures: stillFailing.map((r) => violationSignature(r.entry.property, r.entry.violation)),
    relationshipsCoverage: emptyCoverage(relationships),
    onEvent,
  });

  // Classify tonight's findings against earlier nights; save the new ones as regression cases.
  const now = new Date().toISOString();
  const saveDir = options.saveRegressions ?? join(options.out, 'regressions');
  const fingerprint = generatorFingerprint();
  const findings: NightlyFinding[] = [];
  const newEntries: HistoryEntry[] = [];
  // Tonight's findings are recorded even when the server went away (on SQLite then, with a note).
  const closeProblems: string[] = [];
  const onFallback = (): void => io.err('note: PostgreSQL is unreachable; the findings are saved with their expected verdicts judged on SQLite');
  const recordJudge = new CaseJudge({ dialect: options.target.dialect, ...(options.target.databaseUrl ? { databaseUrl: options.target.databaseUrl } : {}), onFallback });
  try {
    for (const [i, r] of replayed.entries()) {
      findings.push(replayedFindings[i]!);
      newEntries.push({ ...r.entry, runId, at: now, status: replayedFindings[i]!.status });
    }
    for (const f of result.findings) {
      if (findings.some((x) => x.fingerprint === f.fingerprint)) continue;
      const previous = known.get(f.fingerprint);
      const property = PROPERTIES.find((p) => p.id === f.property)!;
      const regression = await recordFinding({ ...f, settings: options.target.settings }, property, recordJudge, { profile, generatorFingerprint: fingerprint, now: new Date() });
      const saved = await saveRegressionCase(saveDir, { ...regression, profile: options.target.profile });
      event({ type: 'recorded', fingerprint: f.fingerprint, regressionFile: saved.path });
      const entry: HistoryEntry = { runId, at: now, fingerprint: f.fingerprint, property: f.property, profile: profile.name, shapeClass: f.shapeClass, status: 'new', violation: f.violation, case: f.case, ...(f.history ? { history: f.history } : {}), regressionFile: saved.path };
      newEntries.push(entry);
      findings.push({
        ...toNightly(entry, 'new', previous?.firstSeen ?? now, now),
        ...(previous !== undefined ? { reappeared: true } : {}),
        seed: f.seed,
        path: f.path,
        replay: `cardfuzz run ${targetFlags(options.target)} --seed ${f.seed} --path ${shellQuote(f.path)} --property ${f.property}`,
        regressionFile: saved.path,
      });
    }
  } finally {
    await recordJudge.close().catch((e: unknown) => void closeProblems.push(e instanceof Error ? e.message : String(e)));
  }

  const { gaps, reachedShare } = coverageGaps(result.coverage, baseline.coverage);
  // The map's witnesses get what is left of the time budget, less a reserve for the reports; none when it is spent.
  const mapBudgetMs = options.timeBudgetMs === undefined ? options.shrinkTimeLimitMs : options.timeBudgetMs - (performance.now() - started) - 1000;
  const cardinalityMap = await nightlyMap(options, { profile, system, catalog, relationships, samples: baselineSample, plans: baselinePlans }, result.coverage, runDir, io, mapBudgetMs);
  const partial: Omit<NightlySummary, 'exitCode'> = {
    format: 'cardfuzz-nightly',
    version: 1,
    runId,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    seed: options.seed,
    profile: profile.name,
    settings: options.target.settings as Record<string, string>,
    properties: selected.map((p) => p.id),
    shards: shardLabel ? [shardLabel] : [],
    workers: Math.min(options.workers, Math.max(1, units.length)),
    budget,
    elapsedMs: result.elapsedMs,
    runs: result.runs,
    judged: Object.fromEntries(selected.map((p) => [p.id, result.judged[p.id] ?? 0])),
    // Only a property that judged nothing is not applicable.
    notApplicable: Object.fromEntries(Object.entries(notApplicable).filter(([id]) => (result.judged[id] ?? 0) === 0)),
    casesPerSecond: result.elapsedMs > 0 ? (result.runs * 1000) / result.elapsedMs : 0,
    interrupted: result.interrupted,
    // A night that ran no case checked nothing: never green.
    errors: [
      ...(result.runs === 0 && result.errors.length === 0 && !result.interrupted && units.length > 0
        ? [`no case ran: the setup took ${((performance.now() - started - result.elapsedMs) / 1000).toFixed(1)} s of the ${budget}, and the workers had no time left; give a larger --time-budget`]
        : result.errors),
      ...closeProblems,
    ],
    ...(approximations.length > 0 ? { approximations } : {}),
    units: result.units.map((u) => ({ shard: shardLabel, index: u.unit.index, lane: u.unit.lane, seed: u.unit.seed, runs: u.runs, elapsedMs: Math.round(u.elapsedMs) })),
    laneTimeMs: result.laneTimeMs,
    findings,
    coverage: result.coverage,
    reachable: baseline.coverage,
    gaps,
    reachedShare,
    minCoverage: options.minCoverage ?? null,
    throughput: [{ label: shardLabel ? `shard ${shardLabel}` : 'run', points: result.throughput }],
    nights: nightsFromHistory([...history, ...newEntries]),
    ...(cardinalityMap !== null ? { cardinalityMap } : {}),
  };
  const summary: NightlySummary = { ...partial, exitCode: exitCodeOf(partial) };
  // summary.json first, the history last: a kill anywhere between leaves a night merge-reports and the next night agree on.
  const markdown = nightlyMarkdown(summary);
  try {
    await commitNight(runDir, historyFile, summary, newEntries, checkpoint);
  } catch (error) {
    // A write that still fails prints the night's findings before the one-line error (exit 2).
    io.out(markdown);
    throw error;
  }
  event({ type: 'run-finished', exitCode: summary.exitCode, interrupted: summary.interrupted, runs: summary.runs });
  if (options.stepSummary) await appendFile(options.stepSummary, markdown).catch(() => undefined);
  for (const gap of gaps.slice(0, 10)) io.err(`warning: reachable but never reached tonight: ${gap.kind} ${gap.name}`);
  if (gaps.length > 10) io.err(`warning: ${gaps.length - 10} more reachable buckets not reached (see the report)`);
  for (const e of summary.errors) io.err(`cardfuzz nightly: error: ${e}`);
  io.out(markdown);
  io.out(`reports: ${runDir}/report.html (summary.json, summary.md, junit.xml, events.ndjson)`);
  return summary.exitCode;
}

/** The night's cardinality map: witnesses from the baseline sample, saved in the run folder for the report to link. */
async function nightlyMap(
  options: NightlyOptions,
  known: { readonly profile: Profile; readonly system: SystemUnderTest; readonly catalog: Catalog; readonly relationships: readonly Relationship[]; readonly samples: readonly Case[]; readonly plans: readonly ExecutionPlan[] },
  coverage: Coverage,
  runDir: string,
  io: Io,
  budgetMs: number,
): Promise<readonly NightlyMapRow[] | null> {
  const started = performance.now();
  const witnesses = budgetMs >= 1000;
  if (!witnesses) io.err('note: the cardinality map has no witnesses tonight: the time budget is spent');
  try {
    const map = await mapFromCoverage({
      target: { ...options.target, profile: known.profile, schemaSql: undefined },
      system: known.system,
      catalog: known.catalog,
      relationships: known.relationships,
      coverage,
      samples: known.samples,
      plans: known.plans,
      judges: findProperties(['persists-without-constraint-violations', 'declared-cardinality-holds']) as ExecutionProperty[],
      // Witnesses shrink on the model alone; the night's own shrink budget bounds them, and at most 2 s so the reports keep their reserve.
      shrinkTimeLimitMs: Math.max(0, Math.min(options.shrinkTimeLimitMs, 2000, budgetMs / 3)),
      witnesses,
      seed: options.seed,
      elapsedMs: 0,
      toolFixed: options.tools.length > 0,
    });
    if (witnesses && performance.now() - started < budgetMs) await saveWitnesses(map, join(runDir, 'witnesses'), { ...options.target }, { seed: options.seed, generatorFingerprint: generatorFingerprint(), fileName: (path) => relative(runDir, path) });
    return nightlyMapRows(map);
  } catch (error) {
    if (!isFuzzerError(error)) throw error;
    io.err(`warning: no cardinality map tonight: ${error.message}`);
    return null;
  }
}

function toNightly(entry: HistoryEntry, status: NightlyFinding['status'], firstSeen: string, lastSeen: string): Omit<NightlyFinding, 'replay'> {
  return {
    fingerprint: entry.fingerprint,
    property: entry.property,
    profile: entry.profile,
    shapeClass: entry.shapeClass,
    status,
    firstSeen,
    lastSeen,
    violation: entry.violation,
    case: entry.case,
    ...(entry.history ? { history: entry.history } : {}),
  };
}
