import { cpus, totalmem } from 'node:os';
import fc from 'fast-check';
import type { Case } from '../model/case.js';
import { classifyShapes } from '../expansion/shape-classes.js';
import type { ExecutionPlan } from '../executor/execution.js';
import { runCampaign } from '../runner/campaign.js';
import { executionGroup } from '../runner/execution-group.js';
import { openTarget } from '../runner/open-target.js';
import type { AnyProperty, ExecutionProperty } from '../runner/property.js';
import { runSuite } from '../runner/run-suite.js';
import { runCardinalityMap } from '../cardinality/run-map.js';
import type { Tool } from '../model/tool.js';
import { resolveProfile } from '../profiles/resolve-profile.js';
import { fuzzToolFiles } from '../runner/fuzz-tool-files.js';
import { loadToolFile } from '../tools/load-tool.js';

/**
 * The benchmark: throughput of the default campaign and per shape family on
 * SQLite, against the floor of the same writes and reads by raw
 * better-sqlite3 measured in the same run; time to find and shrink the
 * ledger's bug over many seeds; optional memory soak and PostgreSQL figures.
 * Returns data; the CLI prints and writes it.
 */

export interface Stats {
  readonly median: number;
  readonly worst: number;
}

export interface FamilyFigure {
  readonly family: string;
  readonly cases: number;
  readonly statementsPerCase: number;
  readonly pipelineCasesPerSecond: number;
  readonly floorCasesPerSecond: number;
  readonly ratio: number;
}

export interface BenchReport {
  readonly date: string;
  readonly machine: { readonly cpu: string; readonly cores: number; readonly memoryGiB: number; readonly node: string; readonly platform: string };
  readonly campaign: {
    readonly profile: string;
    readonly runs: number;
    readonly seconds: number;
    readonly casesPerSecond: number;
    readonly findings: number;
    readonly executionCasesPerSecond: number;
    readonly upgradeHistoriesPerSecond: number;
    readonly generationCasesPerSecond: number;
    readonly floorCasesPerSecond: number;
    readonly upgradeFloorHistoriesPerSecond: number;
    /** The same writes and reads by raw better-sqlite3: execution cases at their floor plus upgrade histories at theirs. */
    readonly floorSeconds: number;
    /** The best campaign time over the best floor time (each side's best round). */
    readonly ratioToFloor: number;
    /** Each round: the campaign's time, and the floor's time for the same cases measured right after it. */
    readonly rounds: readonly { readonly campaign: number; readonly floor: number }[];
  };
  readonly families: readonly FamilyFigure[];
  readonly ledger: {
    readonly seeds: number;
    readonly firstFailureMs: Stats;
    readonly shrinkMs: Stats;
    readonly canonical: number;
    readonly allPropertiesFirstFailureMs: Stats;
  };
  readonly memory?: {
    readonly seconds: number;
    readonly cases: number;
    readonly peakRssMiB: number;
    readonly heapFirstMinuteMiB: number;
    readonly heapLastMinuteMiB: number;
    /** Heap still in use right after a full collection (node --expose-gc), every 10 s: the live data, whose trend says whether memory leaks. */
    readonly liveHeapMiB?: readonly { readonly seconds: number; readonly mib: number }[];
  };
  /** Nightly cases per second with 1 and with N worker threads on the same work units. */
  readonly workers?: readonly { readonly workers: number; readonly cases: number; readonly seconds: number; readonly casesPerSecond: number }[];
  readonly postgres?: {
    readonly server: string;
    readonly runs: number;
    readonly casesPerSecond: number;
    readonly executionCasesPerSecond: number;
    readonly upgradeHistoriesPerSecond: number;
    /** The campaign's whole time, opening its schemas included (as `casesPerSecond`). */
    readonly seconds: number;
    /** The same statements sent the same way by raw pg (two round trips per case), on the campaign's own execution cases. */
    readonly floorCasesPerSecond: number;
    /** Cases of the floor whose writes the server refused (none expected on branch-fixed). */
    readonly floorRefused: number;
    /** Upgrade histories written and upgraded by raw pg with the same statements. */
    readonly upgradeFloorHistoriesPerSecond: number;
    /** The campaign's execution cases at the raw pg floor plus its upgrade histories at theirs. */
    readonly floorSeconds: number;
    /** Campaign time over floor time for the same cases. */
    readonly ratioToFloor: number;
    /** Two empty round trips per case (what a case's two round trips cost without any work). */
    readonly roundTripFloorCasesPerSecond: number;
    readonly sqliteExecutionCasesPerSecond: number;
    readonly ledger: { readonly seeds: number; readonly firstFailureMs: Stats; readonly shrinkMs: Stats; readonly canonical: number };
  };
  /** `cardfuzz cardinality` against a plain campaign of the same cases (branch-fixed, same seed, best of three each). */
  readonly cardinalityMap?: {
    readonly runs: number;
    readonly plainSeconds: number;
    readonly mapSeconds: number;
    /** Wall time of the map over the plain campaign's, less one. */
    readonly overhead: number;
    /** The map's own work measured inside the map run (observing every case, setup, baseline, witnesses) over the rest of that run: robust to load that changes between two runs. */
    readonly inRunShare: number;
  };
  /** `run --tool DIR` at scale: tool files loaded per second, and fuzzed per second with a small budget each. */
  readonly toolFolder?: {
    readonly files: number;
    readonly loadedPerSecond: number;
    readonly runsPerTool: number;
    readonly fuzzedPerSecond: number;
    /** The same tools (the files several times over) fuzzed on this thread and on the worker pool, as `run --tool DIR --workers N` runs them. */
    readonly pool?: { readonly workers: number; readonly tools: number; readonly serialPerSecond: number; readonly pooledPerSecond: number };
  };
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface BenchOptions {
  readonly properties: readonly AnyProperty[];
  readonly caseArbitrary: fc.Arbitrary<Case>;
  readonly historyArbitrary: fc.Arbitrary<readonly Case[]>;
  readonly runs: number;
  /**
   * Rounds of the default campaign and its raw floor, alternated (default 3): the figures are each
   * side's best round, so both are timed at the same moments of a machine whose load comes and goes.
   */
  readonly campaignRounds?: number;
  /** Cases for the cardinality map's budget figure (0 or absent skips it). */
  readonly cardinalityMapRuns?: number;
  readonly ledgerSeeds: number;
  readonly soakMs?: number;
  readonly isCanonicalLedgerCase: (c: Case) => boolean;
  readonly onStage?: (stage: string) => void;
  readonly floor: (plans: readonly ExecutionPlan[], profile: string) => Promise<{ casesPerSecond: number; statementsPerCase: number }>;
  /** The raw floor of upgrade histories (writes plus migrations). */
  readonly upgradeFloor: (histories: readonly (readonly Case[])[]) => Promise<number>;
  /** Runs the same nightly work units on 1, 2, ... worker threads and reports each run. */
  readonly workerScaling?: () => Promise<NonNullable<BenchReport['workers']>>;
  /**
   * Tool files to measure `run --tool DIR` on (loading, then fuzzing each with `runs` cases), and how their cases are generated;
   * with `workers` > 1, also on that many worker threads (`workerEntry`: the campaign worker, built).
   */
  readonly toolFolder?: { readonly files: readonly string[]; readonly runs: number; readonly caseArbitraryFor: (tool: Tool) => fc.Arbitrary<Case>; readonly workers?: number; readonly workerEntry?: URL };
  /** A PostgreSQL server to measure next to SQLite. */
  readonly postgres?: {
    readonly url: string;
    readonly runs: number;
    readonly roundTripFloor: (url: string, cases: number) => Promise<number>;
    /** The raw pg floor of these execution plans (the same statements sent the same way). */
    readonly floor: (url: string, plans: readonly ExecutionPlan[], profile: string) => Promise<{ casesPerSecond: number; statementsPerCase: number; refused: number }>;
    /** The raw pg floor of upgrade histories (writes plus migrations). */
    readonly upgradeFloor: (url: string, histories: readonly (readonly Case[])[]) => Promise<number>;
    readonly server: (url: string) => Promise<string>;
  };
}

/** Tools the pool figure fuzzes at least: enough that starting the workers does not make the figure. */
const POOL_BENCH_TOOLS = 200;

/**
 * `run --tool DIR` throughput: every file loaded (as Galaxy's loader reads it) until a second has passed,
 * then each fuzzed once with the budget a tool-shed run gives it (branch-fixed, seed 1), by the same
 * function `run --tool DIR` runs; with workers, the files several times over on this thread and then on
 * the worker pool (its start included), like against like.
 */
async function measureToolFolder(folder: NonNullable<BenchOptions['toolFolder']>, properties: readonly AnyProperty[]): Promise<NonNullable<BenchReport['toolFolder']>> {
  const load = (file: string): void => {
    try {
      loadToolFile(file);
    } catch {
      // A refused tool costs its reading too; it is part of a checkout.
    }
  };
  let loads = 0;
  const loadStarted = performance.now();
  while (performance.now() - loadStarted < 1000) for (const file of folder.files) (load(file), loads++);
  const loadedPerSecond = loads / ((performance.now() - loadStarted) / 1000);
  const profile = await resolveProfile('branch-fixed');
  /** Tools per second fuzzing these files on this many workers. */
  const fuzz = async (files: readonly string[], workers: number): Promise<number> => {
    const started = performance.now();
    const run = await fuzzToolFiles(files, {
      target: { profile: 'branch-fixed', settings: {}, dialect: 'sqlite' },
      profile,
      properties,
      seed: 1,
      runs: folder.runs,
      strict: false,
      caseArbitraryFor: folder.caseArbitraryFor,
      replayCommand: () => '',
      workers,
      ...(folder.workerEntry !== undefined ? { workerEntry: folder.workerEntry } : {}),
    });
    const failed = run.results.findIndex((r) => r === undefined || 'error' in r);
    if (failed >= 0) throw new Error(`${files[failed]}: ${JSON.stringify(run.results[failed])}`);
    if (run.startError !== undefined || run.closeErrors.length > 0) throw new Error(run.startError ?? run.closeErrors[0]);
    return files.length / ((performance.now() - started) / 1000);
  };
  const fuzzedPerSecond = await fuzz(folder.files, 1);
  let pool: NonNullable<BenchReport['toolFolder']>['pool'];
  if (folder.workers !== undefined && folder.workers > 1 && folder.workerEntry !== undefined) {
    const times = Math.max(1, Math.ceil(POOL_BENCH_TOOLS / folder.files.length));
    const files = Array.from({ length: times }, () => folder.files).flat();
    pool = { workers: folder.workers, tools: files.length, serialPerSecond: await fuzz(files, 1), pooledPerSecond: await fuzz(files, folder.workers) };
  }
  return { files: folder.files.length, loadedPerSecond, runsPerTool: folder.runs, fuzzedPerSecond, ...(pool !== undefined ? { pool } : {}) };
}

export function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted.length === 0 ? 0 : sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  return { median, worst: sorted[sorted.length - 1] ?? 0 };
}

/** Shape families for the per-family figures. */
export function familyOf(c: Case, shapes: readonly string[], ok: boolean): string {
  if (!ok) return 'rejected by Galaxy';
  if (c.entry === 'workflow-invocation') return 'workflow invocations';
  if (c.entry === 'workflow-step') return 'workflow steps';
  if (c.entry === 'legacy') return 'legacy API';
  if (shapes.some((s) => ['S7', 'S8', 'S9', 'S10', 'S11', 'S12', 'S13', 'S14', 'S16', 'S21'].includes(s))) return 'map-over';
  if (shapes.some((s) => ['S15', 'S17', 'S18'].includes(s))) return 'collections and reductions';
  return 'plain values and batches';
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const execution = options.properties.filter((p): p is ExecutionProperty => p.family === 'execution');
  const profile = 'branch-fixed';

  /** The default campaign (every property, seed 1) on a database: the suite and its two groups. */
  const defaultCampaign = async (database: { readonly dialect: 'sqlite' | 'postgres'; readonly databaseUrl?: string }, runs: number, onPlan?: (plan: ExecutionPlan) => void) => {
    const suite = await runSuite({
      target: { profile, settings: {}, ...database },
      properties: options.properties,
      caseArbitrary: options.caseArbitrary,
      historyArbitrary: options.historyArbitrary,
      seed: 1,
      runs,
      replayCommand: () => '',
      ...(onPlan ? { onCaseEvaluation: (e: { readonly plan: ExecutionPlan }) => onPlan(e.plan) } : {}),
    });
    if (suite.error) throw new Error(suite.error.message);
    return { suite, execution: suite.groups.find((g) => g.name === 'execution')!, upgrade: suite.groups.find((g) => g.name === 'upgrade') };
  };

  // The campaign and its floor, alternated round by round, each side's best round kept: both are timed
  // at the same moments of the machine, so load that comes and goes does not land on one side only.
  const rounds = Math.max(1, options.campaignRounds ?? 3);
  const { system, database } = await openTarget({ profile, settings: {}, dialect: 'sqlite' });
  let best: Awaited<ReturnType<typeof defaultCampaign>> | undefined;
  let mixFloor: { casesPerSecond: number; statementsPerCase: number } | undefined;
  let upgradeFloorHistoriesPerSecond = 0;
  let generationCasesPerSecond = 0;
  const roundSeconds: { campaign: number; floor: number }[] = [];
  let sample: Case[] = [];
  let plans: ExecutionPlan[] = [];
  for (let round = 1; round <= rounds; round++) {
    options.onStage?.(rounds === 1 ? 'default campaign and its raw floor' : `default campaign and its raw floor, round ${round} of ${rounds}`);
    // Each campaign runs on a heap without the floor's cases and plans, as a campaign does.
    sample = [];
    plans = [];
    const run = await defaultCampaign({ dialect: 'sqlite' }, options.runs);
    if (best === undefined || run.suite.elapsedMs < best.suite.elapsedMs) best = run;
    const generationStarted = performance.now();
    sample = fc.sample(options.caseArbitrary, { numRuns: Math.min(options.runs, 20000), seed: 2 });
    generationCasesPerSecond = Math.max(generationCasesPerSecond, sample.length / ((performance.now() - generationStarted) / 1000));
    plans = sample.map((c) => system.plan(c));
    const floor = await options.floor(plans, profile);
    if (mixFloor === undefined || floor.casesPerSecond > mixFloor.casesPerSecond) mixFloor = floor;
    const upgradeFloor = await options.upgradeFloor(fc.sample(options.historyArbitrary, { numRuns: 300, seed: 4 }));
    upgradeFloorHistoriesPerSecond = Math.max(upgradeFloorHistoriesPerSecond, upgradeFloor);
    roundSeconds.push({ campaign: run.suite.elapsedMs / 1000, floor: run.execution.runs / floor.casesPerSecond + (run.upgrade?.runs ?? 0) / upgradeFloor });
  }
  const { suite: campaign, execution: executionGroupReport, upgrade: upgradeGroupReport } = best!;

  options.onStage?.('shape families');
  const group = executionGroup(system, database, options.caseArbitrary, execution);
  const families = new Map<string, Case[]>();
  sample.forEach((c, i) => {
    const plan = plans[i]!;
    const family = familyOf(c, classifyShapes(c, plan.expansion), plan.expansion.ok);
    families.set(family, [...(families.get(family) ?? []), c]);
  });
  const judgeAll = (c: Case): void => {
    const e = group.evaluate(c) as Exclude<ReturnType<typeof group.evaluate>, Promise<unknown>>;
    for (const p of execution) p.check(e);
  };
  for (const c of sample.slice(0, 500)) judgeAll(c);
  const figures: FamilyFigure[] = [];
  for (const [family, cases] of [...families].sort((a, b) => b[1].length - a[1].length)) {
    const started = performance.now();
    for (const c of cases) judgeAll(c);
    const pipelineCasesPerSecond = cases.length / ((performance.now() - started) / 1000);
    const floor = await options.floor(cases.map((c) => system.plan(c)), profile);
    figures.push({ family, cases: cases.length, statementsPerCase: floor.statementsPerCase, pipelineCasesPerSecond, floorCasesPerSecond: floor.casesPerSecond, ratio: floor.casesPerSecond / pipelineCasesPerSecond });
  }
  plans = [];
  await database.close();

  options.onStage?.(`the ledger's bug over ${options.ledgerSeeds} seeds`);
  const ledger = await measureLedger(options, { dialect: 'sqlite' }, options.ledgerSeeds, true);

  let cardinalityMap: BenchReport['cardinalityMap'];
  if ((options.cardinalityMapRuns ?? 0) > 0) {
    options.onStage?.(`the cardinality map against a plain campaign of ${options.cardinalityMapRuns} cases`);
    cardinalityMap = await measureCardinalityMap(options, options.cardinalityMapRuns!);
  }

  let toolFolder: BenchReport['toolFolder'];
  if (options.toolFolder !== undefined && options.toolFolder.files.length > 0) {
    options.onStage?.(`run --tool DIR over ${options.toolFolder.files.length} tool files`);
    toolFolder = await measureToolFolder(options.toolFolder, options.properties.filter((p) => p.family === 'execution' && p.hazard === undefined));
  }

  let memory: BenchReport['memory'];
  if (options.soakMs !== undefined) {
    options.onStage?.(`memory soak of ${Math.round(options.soakMs / 1000)} s`);
    const samples: { t: number; heap: number; rss: number }[] = [];
    // With node --expose-gc (npm run bench), a full collection every 10 s shows the live heap.
    const collect = (globalThis as { gc?: () => void }).gc;
    const live: { seconds: number; mib: number }[] = [];
    let nextCollection = 0;
    const soakStarted = performance.now();
    const soak = await runSuite({
      target: { profile, settings: {}, dialect: 'sqlite' },
      properties: options.properties,
      caseArbitrary: options.caseArbitrary,
      historyArbitrary: options.historyArbitrary,
      seed: 3,
      timeLimitMs: options.soakMs,
      replayCommand: () => '',
      onProgress: () => {
        const m = process.memoryUsage();
        const t = performance.now() - soakStarted;
        samples.push({ t, heap: m.heapUsed / 2 ** 20, rss: m.rss / 2 ** 20 });
        if (collect !== undefined && t >= nextCollection) {
          nextCollection += 10_000;
          collect();
          live.push({ seconds: Math.round(t / 1000), mib: process.memoryUsage().heapUsed / 2 ** 20 });
        }
      },
    });
    const minute = (from: number, to: number): number => {
      const inside = samples.filter((s) => s.t >= from && s.t < to);
      return inside.length === 0 ? 0 : Math.max(...inside.map((s) => s.heap));
    };
    memory = {
      seconds: options.soakMs / 1000,
      cases: soak.runs,
      peakRssMiB: Math.max(0, ...samples.map((s) => s.rss)),
      heapFirstMinuteMiB: minute(0, 60_000),
      heapLastMinuteMiB: minute(options.soakMs - 60_000, Infinity),
      ...(live.length > 0 ? { liveHeapMiB: live } : {}),
    };
  }

  let workers: BenchReport['workers'];
  if (options.workerScaling) {
    options.onStage?.('worker threads');
    workers = await options.workerScaling();
  }

  let postgres: BenchReport['postgres'];
  if (options.postgres) {
    const pgOptions = options.postgres;
    options.onStage?.(`PostgreSQL: default campaign of ${pgOptions.runs} cases`);
    // The floor replays the campaign's own execution cases: like against like.
    const pgPlans: ExecutionPlan[] = [];
    const { suite: pgCampaign, execution: pgExecution, upgrade: pgUpgrade } = await defaultCampaign({ dialect: 'postgres', databaseUrl: pgOptions.url }, pgOptions.runs, (plan) => pgPlans.push(plan));
    options.onStage?.('PostgreSQL: the raw pg floor of the same statements, the round-trip floor and the ledger bug');
    const pgFloor = await pgOptions.floor(pgOptions.url, pgPlans, profile);
    const pgUpgradeFloor = await pgOptions.upgradeFloor(pgOptions.url, fc.sample(options.historyArbitrary, { numRuns: Math.max(40, pgUpgrade?.runs ?? 0), seed: 4 }));
    const pgFloorSeconds = pgExecution.runs / pgFloor.casesPerSecond + (pgUpgrade?.runs ?? 0) / pgUpgradeFloor;
    postgres = {
      server: await pgOptions.server(pgOptions.url),
      runs: pgCampaign.runs,
      seconds: pgCampaign.elapsedMs / 1000,
      casesPerSecond: pgCampaign.runs / (pgCampaign.elapsedMs / 1000),
      executionCasesPerSecond: pgExecution.runs / (pgExecution.elapsedMs / 1000),
      upgradeHistoriesPerSecond: pgUpgrade ? pgUpgrade.runs / (pgUpgrade.elapsedMs / 1000) : 0,
      floorCasesPerSecond: pgFloor.casesPerSecond,
      floorRefused: pgFloor.refused,
      upgradeFloorHistoriesPerSecond: pgUpgradeFloor,
      floorSeconds: pgFloorSeconds,
      ratioToFloor: pgCampaign.elapsedMs / 1000 / pgFloorSeconds,
      roundTripFloorCasesPerSecond: await pgOptions.roundTripFloor(pgOptions.url, 3000),
      sqliteExecutionCasesPerSecond: executionGroupReport.runs / (executionGroupReport.elapsedMs / 1000),
      ledger: { seeds: Math.min(options.ledgerSeeds, 10), ...(await measureLedger(options, { dialect: 'postgres', databaseUrl: pgOptions.url }, Math.min(options.ledgerSeeds, 10), false)) },
    };
  }

  const campaignCases = campaign.runs;
  const campaignSeconds = campaign.elapsedMs / 1000;
  const floorSeconds = executionGroupReport.runs / mixFloor!.casesPerSecond + (upgradeGroupReport?.runs ?? 0) / upgradeFloorHistoriesPerSecond;
  return {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform} ${process.arch}` },
    campaign: {
      profile,
      runs: campaignCases,
      seconds: campaignSeconds,
      casesPerSecond: campaignCases / campaignSeconds,
      findings: campaign.findings.length,
      executionCasesPerSecond: executionGroupReport.runs / (executionGroupReport.elapsedMs / 1000),
      upgradeHistoriesPerSecond: upgradeGroupReport ? upgradeGroupReport.runs / (upgradeGroupReport.elapsedMs / 1000) : 0,
      generationCasesPerSecond,
      floorCasesPerSecond: mixFloor!.casesPerSecond,
      upgradeFloorHistoriesPerSecond,
      floorSeconds,
      ratioToFloor: campaignSeconds / floorSeconds,
      rounds: roundSeconds,
    },
    families: figures,
    ledger: { seeds: options.ledgerSeeds, firstFailureMs: ledger.firstFailureMs, shrinkMs: ledger.shrinkMs, canonical: ledger.canonical, allPropertiesFirstFailureMs: ledger.allPropertiesFirstFailureMs! },
    ...(memory ? { memory } : {}),
    ...(workers ? { workers } : {}),
    ...(postgres ? { postgres } : {}),
    ...(cardinalityMap ? { cardinalityMap } : {}),
    ...(toolFolder ? { toolFolder } : {}),
  };
}

/**
 * The map's budget: a plain campaign of the execution properties (hazards
 * left out, as the map's own campaign does) against the cardinality map over
 * the same seed and cases, alternated and best of three each, so both see
 * the same machine load.
 */
export async function measureCardinalityMap(options: Pick<BenchOptions, 'properties' | 'caseArbitrary'>, runs: number): Promise<NonNullable<BenchReport['cardinalityMap']>> {
  const properties = options.properties.filter((p): p is ExecutionProperty => p.family === 'execution' && p.hazard === undefined);
  const judges = ['persists-without-constraint-violations', 'declared-cardinality-holds'].map((id) => properties.find((p) => p.id === id)!);
  const target = { profile: 'branch-fixed', settings: {}, dialect: 'sqlite' } as const;
  const common = { target, properties, caseArbitrary: options.caseArbitrary, seed: 3, runs, replayCommand: () => '' };
  let plain = Infinity;
  let map = Infinity;
  let share = Infinity;
  for (let round = 0; round < 3; round++) {
    let started = performance.now();
    const suite = await runSuite({ ...common, historyArbitrary: fc.constant([]) });
    if (suite.error) throw new Error(suite.error.message);
    plain = Math.min(plain, performance.now() - started);
    started = performance.now();
    const mapped = await runCardinalityMap({ ...common, judges });
    if (mapped.suite.error) throw new Error(mapped.suite.error.message);
    const elapsed = performance.now() - started;
    map = Math.min(map, elapsed);
    const own = mapped.observeMs + mapped.mapOverheadMs;
    share = Math.min(share, own / Math.max(1, elapsed - own));
  }
  return { runs, plainSeconds: plain / 1000, mapSeconds: map / 1000, overhead: map / plain - 1, inRunShare: share };
}

interface LedgerFigures {
  readonly firstFailureMs: Stats;
  readonly shrinkMs: Stats;
  readonly canonical: number;
  readonly allPropertiesFirstFailureMs?: Stats;
}

/** Time to the ledger bug's first failure and to its shrunk case over seeds 1..n, and how often it is the canonical Batch. */
async function measureLedger(options: BenchOptions, database: { readonly dialect: 'sqlite' | 'postgres'; readonly databaseUrl?: string }, seeds: number, allProperties: boolean): Promise<LedgerFigures> {
  const execution = options.properties.filter((p): p is ExecutionProperty => p.family === 'execution');
  const ledgerTarget = await openTarget({ profile: 'branch-1f87eebce', settings: {}, ...database });
  const persists = execution.filter((p) => p.id === 'persists-without-constraint-violations');
  const first: number[] = [];
  const shrink: number[] = [];
  const firstAll: number[] = [];
  let canonical = 0;
  try {
    for (let seed = 1; seed <= seeds; seed++) {
      let detected = NaN;
      let found = NaN;
      const campaignStart = performance.now();
      const result = await runCampaign({
        group: executionGroup(ledgerTarget.system, ledgerTarget.database, options.caseArbitrary, persists),
        profile: 'branch-1f87eebce',
        seed,
        runs: 100_000,
        maxFindings: 1,
        onFailureDetected: (_p, ms) => (detected = ms),
        onFinding: () => (found = performance.now()),
        replayCommand: () => '',
      });
      const finding = result.findings[0];
      first.push(detected);
      shrink.push(found - (campaignStart + detected));
      if (finding && options.isCanonicalLedgerCase(finding.case)) canonical++;
      if (!allProperties) continue;
      let firstOfAll = 0;
      await runCampaign({
        group: executionGroup(ledgerTarget.system, ledgerTarget.database, options.caseArbitrary, execution),
        profile: 'branch-1f87eebce',
        seed,
        runs: 100_000,
        maxFindings: 1,
        shrinkTimeLimitMs: 1,
        onFailureDetected: (_p, ms) => (firstOfAll = firstOfAll || ms),
        replayCommand: () => '',
      });
      firstAll.push(firstOfAll);
    }
  } finally {
    await ledgerTarget.database.close();
  }
  return { firstFailureMs: stats(first), shrinkMs: stats(shrink), canonical, ...(allProperties ? { allPropertiesFirstFailureMs: stats(firstAll) } : {}) };
}
