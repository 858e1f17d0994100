import fc from 'fast-check';
import { relationshipsOf, type Relationship } from '../coverage/coverage.js';
import type { Case } from '../model/case.js';
import { tablesUsedBy } from '../persistence/open-case-database.js';
import { executorSettingsOf } from '../profiles/settings.js';
import type { CampaignProgress } from '../runner/campaign.js';
import type { Finding } from '../runner/finding.js';
import { openTarget, resolveTargetProfile, type TargetOptions } from '../runner/open-target.js';
import type { ExecutionProperty } from '../runner/property.js';
import { runSuite, type SuiteResult } from '../runner/run-suite.js';
import type { Coverage } from '../coverage/coverage.js';
import type { CaseDatabase } from '../persistence/case-database.js';
import type { Catalog } from '../persistence/catalog.js';
import type { ExecutionPlan } from '../executor/execution.js';
import type { SystemUnderTest } from '../runner/system-under-test.js';
import { buildCardinalityMap, type CardinalityMap, type Witness } from './cardinality-map.js';
import { observationFromCoverage } from './nightly-map.js';
import { CardinalityObserver, type WitnessCandidate } from './observe.js';
import { makeWitness, shrinkWitness, witnessChildren, WitnessCounter } from './witnesses.js';

/**
 * One cardinality-map run: a plain campaign of the execution properties,
 * with every generated case observed; a model-only baseline sample for what
 * is reachable; witnesses shrunk (model only, within the shrink budget, and
 * only for relationships without a usable saved witness) and judged once on
 * the target database. Never throws once the target is open; a campaign
 * error comes back in `suite.error`, with the map of what was seen so far.
 */

export interface MapRunOptions {
  readonly target: TargetOptions;
  /** The campaign's properties. */
  readonly properties: readonly ExecutionProperty[];
  /** The properties a witness is judged by, in order (persists-without-constraint-violations, declared-cardinality-holds). */
  readonly judges: readonly ExecutionProperty[];
  readonly caseArbitrary: fc.Arbitrary<Case>;
  readonly toolFixed?: boolean;
  readonly seed: number;
  readonly runs?: number;
  readonly timeLimitMs?: number;
  /** Budget for shrinking all witnesses together (default 10 s). */
  readonly shrinkTimeLimitMs?: number;
  /** Witnesses saved earlier, by relationship name: reused when they still witness, so they are not shrunk again. */
  readonly savedWitnesses?: ReadonlyMap<string, Case>;
  /** Cases the reachable baseline plans (model only); default a twentieth of the campaign's cases, 100 to 1,000. */
  readonly baselineCases?: number;
  readonly onProgress?: (progress: CampaignProgress) => void;
  readonly shouldStop?: () => boolean;
  readonly replayCommand: (finding: Omit<Finding, 'replay'>) => string;
}

export interface MapRunResult {
  readonly map: CardinalityMap;
  readonly suite: SuiteResult;
  /** Time spent on the map beyond the campaign: setup, baseline, shrinking and judging witnesses. */
  readonly mapOverheadMs: number;
  /** Time the observer took inside the campaign (part of `suite.elapsedMs`). */
  readonly observeMs: number;
}

/** The baseline is a fixed-seed sample planned without a database: its cost stays a small share of the campaign's. */
export function baselineSize(campaignCases: number): number {
  return Math.max(100, Math.min(1000, Math.round(campaignCases / 20)));
}

export async function runCardinalityMap(options: MapRunOptions): Promise<MapRunResult> {
  const started = performance.now();
  const profile = await resolveTargetProfile(options.target);
  const target: TargetOptions = { ...options.target, profile, schemaSql: undefined };
  const { system, database } = await openTarget(target);
  // Resolving the profile and opening the target is the campaign's own cost (runSuite would do it): not the map's.
  const opened = performance.now();
  try {
    const layouts = system.executor.layouts;
    const relationships = relationshipsOf(database.catalog, layouts);
    const tables = tablesUsedBy(executorSettingsOf(system.settings));
    const byName = new Map<string, Relationship>(relationships.map((r) => [r.name, r]));
    const reused = new Map<string, Case>();
    for (const [name, c] of options.savedWitnesses ?? []) {
      const r = byName.get(name);
      if (r !== undefined && witnessChildren(system, r, c) >= 2) reused.set(name, c);
    }
    const observer = new CardinalityObserver(relationships, layouts, tables, new Set(reused.keys()));
    const setupMs = performance.now() - opened;
    let observeMs = 0;
    const suite = await runSuite({
      target,
      opened: { system, database },
      properties: options.properties,
      caseArbitrary: options.caseArbitrary,
      historyArbitrary: fc.constant([]),
      toolFixed: options.toolFixed ?? false,
      seed: options.seed,
      ...(options.runs !== undefined ? { runs: options.runs } : {}),
      ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
      ...(options.shrinkTimeLimitMs !== undefined ? { shrinkTimeLimitMs: options.shrinkTimeLimitMs } : {}),
      ...(options.onProgress ? { onProgress: (_group: string, p: CampaignProgress) => options.onProgress!(p) } : {}),
      ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
      onCaseEvaluation: (e) => {
        const t = performance.now();
        observer.record(e.case, e.plan);
        observeMs += performance.now() - t;
      },
      replayCommand: options.replayCommand,
    });
    const afterCampaign = performance.now();

    const baseline = new CardinalityObserver(relationships, layouts, tables, new Set(byName.keys()));
    for (const c of fc.sample(options.caseArbitrary, { numRuns: options.baselineCases ?? baselineSize(suite.runs), seed: 7 })) {
      try {
        baseline.record(c, system.plan(c));
      } catch {
        // A sample the model refuses reaches nothing.
      }
    }

    const pending = [...observer.candidates].filter(([name]) => (observer.observation.relationships[name]?.mostChildren ?? 0) >= 2);
    const witnesses = await shrinkWitnesses(system, database, options.judges, byName, pending, reused, options.shrinkTimeLimitMs ?? 10_000, options.toolFixed ?? false);
    const map = buildCardinalityMap({
      profile: profile.name,
      seed: options.seed,
      elapsedMs: performance.now() - started,
      relationships,
      declarations: system.profile.relationships,
      catalog: database.catalog,
      observation: observer.observation,
      reachable: baseline.observation,
      witnesses,
    });
    return { map, suite, mapOverheadMs: setupMs + (performance.now() - afterCampaign), observeMs };
  } finally {
    await database.close();
  }
}

/** Shrinks the candidates within one budget shared by all of them, and judges each witness (and each reused one) once on the database. */
async function shrinkWitnesses(
  system: SystemUnderTest,
  database: CaseDatabase,
  judges: readonly ExecutionProperty[],
  byName: ReadonlyMap<string, Relationship>,
  pending: readonly (readonly [string, WitnessCandidate])[],
  reused: ReadonlyMap<string, Case>,
  budgetMs: number,
  toolFixed: boolean,
): Promise<Map<string, Witness>> {
  const witnesses = new Map<string, Witness>();
  const deadline = performance.now() + budgetMs;
  // Smallest candidates first: a witness shrunk for one relationship often witnesses others (the two-dataset
  // Batch gives a TES, a tool request and a history two jobs each); shrinking then starts from it.
  const order = [...pending].sort((a, b) => a[1].size - b[1].size);
  const shrunkSoFar: Case[] = [];
  const counter = new WitnessCounter(system);
  // Shrinking often ends at the same case for several relationships: it is written and judged once.
  const judged = new Map<string, Witness>();
  const witnessOf = async (r: Relationship, c: Case, reusedCase: boolean): Promise<Witness> => {
    const key = JSON.stringify(c);
    const seen = judged.get(key);
    if (seen !== undefined) return { ...seen, children: counter.children(r, seen.case), reused: reusedCase };
    const w = await makeWitness(system, database, judges, r, c, reusedCase);
    judged.set(key, w);
    if (!reusedCase) shrunkSoFar.push(c);
    return w;
  };
  for (let i = 0; i < order.length; i++) {
    const [name, candidate] = order[i]!;
    const r = byName.get(name)!;
    const budget = Math.max(0, (deadline - performance.now()) / (order.length - i));
    const start = shrunkSoFar.find((c) => counter.children(r, c) >= 2) ?? candidate.case;
    const shrunk = budget > 0 ? await shrinkWitness(system, r, start, budget, { toolFixed, counter }) : start;
    witnesses.set(name, await witnessOf(r, shrunk, false));
  }
  for (const [name, c] of reused) witnesses.set(name, await witnessOf(byName.get(name)!, c, true));
  return witnesses;
}

/**
 * The map of a nightly run: the night's coverage buckets (counted by the
 * workers) as the observation, the baseline sample — planned here without a
 * database — as what is reachable and as the source of witnesses.
 */
export async function mapFromCoverage(options: {
  /** Opened only when there are witnesses to judge. */
  readonly target: TargetOptions;
  readonly system: SystemUnderTest;
  readonly catalog: Catalog;
  readonly relationships: readonly Relationship[];
  readonly coverage: Coverage;
  /** The baseline sample and its plans (already planned for the coverage baseline). */
  readonly samples: readonly Case[];
  readonly plans: readonly ExecutionPlan[];
  readonly judges: readonly ExecutionProperty[];
  readonly shrinkTimeLimitMs: number;
  readonly seed: number;
  readonly elapsedMs: number;
  readonly toolFixed?: boolean;
  /** False: verdicts from the buckets alone, no witness shrunk or judged. */
  readonly witnesses?: boolean;
}): Promise<CardinalityMap> {
  const { system, relationships } = options;
  const layouts = system.executor.layouts;
  const byName = new Map<string, Relationship>(relationships.map((r) => [r.name, r]));
  const baseline = new CardinalityObserver(relationships, layouts, tablesUsedBy(executorSettingsOf(system.settings)));
  options.samples.forEach((c, i) => baseline.record(c, options.plans[i]!));
  const observation = observationFromCoverage(options.coverage, relationships);
  const pending = options.witnesses === false ? [] : [...baseline.candidates].filter(([name]) => (observation.relationships[name]?.mostChildren ?? 0) >= 2);
  let witnesses = new Map<string, Witness>();
  if (pending.length > 0) {
    const { database } = await openTarget(options.target);
    try {
      witnesses = await shrinkWitnesses(system, database, options.judges, byName, pending, new Map(), options.shrinkTimeLimitMs, options.toolFixed ?? false);
    } finally {
      await database.close();
    }
  }
  return buildCardinalityMap({
    profile: system.profile.name,
    seed: options.seed,
    elapsedMs: options.elapsedMs,
    relationships,
    declarations: system.profile.relationships,
    catalog: options.catalog,
    observation,
    reachable: baseline.observation,
    witnesses,
  });
}
