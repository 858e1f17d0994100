import fc from 'fast-check';
import { isFuzzerError } from '../errors.js';
import { fingerprintOf, violationSignature, type Finding } from './finding.js';
import type { PropertyGroup } from './property-group.js';
import { violationOf, NOT_JUDGED, type Violation } from './property.js';

/**
 * A fuzz campaign over one property group: fast-check generates inputs,
 * each input is evaluated once (planned, written, read back) and every
 * selected property of the group judges the same evaluation. The first
 * failure is shrunk by fast-check and then by the group's domain reducer,
 * always keeping the same property and violation signature; the campaign
 * then goes on with a derived seed, ignoring bugs it already found, until its
 * runs or its time are spent. Never throws: tool errors come back in the result.
 */

export interface CampaignProgress {
  readonly runs: number;
  readonly findings: number;
  readonly elapsedMs: number;
  readonly casesPerSecond: number;
  /** Set while a finding is being shrunk. */
  readonly shrinking: string | null;
}

export interface CampaignOptions<T, E> {
  readonly group: PropertyGroup<T, E>;
  readonly profile: string;
  readonly seed: number;
  /** Generated inputs in all (default 1000 when no time limit is given). */
  readonly runs?: number;
  /** Wall-clock budget for generating (a shrink in progress may finish within its own budget). */
  readonly timeLimitMs?: number;
  /** Budget per shrink; the best input so far is kept when it runs out. Default 10 s. */
  readonly shrinkTimeLimitMs?: number;
  /** Replays one fast-check path of `seed` instead of generating (with one property). */
  readonly path?: string;
  /** Bugs already known (violation signatures): ignored, so the campaign looks for others. */
  readonly knownSignatures?: readonly string[];
  readonly maxFindings?: number;
  readonly onProgress?: (progress: CampaignProgress) => void;
  readonly progressIntervalMs?: number;
  /** Called with every generated (not shrunk) input's evaluation. */
  readonly onEvaluation?: (evaluation: E) => void;
  readonly onFinding?: (finding: Finding) => void;
  /** Called when a property first fails, before shrinking (for time-to-failure measurements). */
  readonly onFailureDetected?: (property: string, elapsedMs: number) => void;
  /** Polled between inputs; true ends the campaign early (findings so far are kept). */
  readonly shouldStop?: () => boolean;
  /**
   * Let the event loop run at least this often (ms), even in a synchronous
   * group: the campaign then runs as an async property and yields between
   * inputs, so a signal handler can ask it to stop. Off by default (the
   * synchronous path stays the fastest).
   */
  readonly yieldEveryMs?: number;
  readonly replayCommand: (finding: Omit<Finding, 'replay'>) => string;
}

export interface CampaignResult {
  readonly findings: readonly Finding[];
  readonly runs: number;
  /**
   * Per property id, the generated inputs it judged (its precondition held
   * and what it reads was there). Zero means the property was not checked.
   * After a property fails on an input, the properties after it do not judge
   * that input.
   */
  readonly judged: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
  /** True when time, a stop request or a tool error ended generation before the runs were spent. */
  readonly interrupted: boolean;
  readonly stopReason: 'runs' | 'time' | 'stopped' | 'max-findings' | 'error' | 'path';
  /** A cardfuzz error (not a finding), with the input that raised it. */
  readonly error?: CampaignError;
}

/** A cardfuzz error that ended a campaign; `code` is the FuzzerError's (a lost database, say), absent for a bug. */
export interface CampaignError {
  readonly message: string;
  readonly input?: unknown;
  readonly code?: string;
}

export function campaignError(e: unknown, input?: unknown): CampaignError {
  return { message: e instanceof Error ? e.message : String(e), ...(input !== undefined ? { input } : {}), ...(isFuzzerError(e) ? { code: e.code } : {}) };
}

class CampaignStop extends Error {}

interface Target<E> {
  readonly property: PropertyGroup<unknown, E>['properties'][number];
  readonly signature: string;
  readonly firstShapeClass: string;
  readonly startedAt: number;
}

export async function runCampaign<T, E>(options: CampaignOptions<T, E>): Promise<CampaignResult> {
  const { group } = options;
  const started = performance.now();
  const deadline = options.timeLimitMs === undefined ? Infinity : started + options.timeLimitMs;
  const totalRuns = options.runs ?? (options.timeLimitMs === undefined ? 1000 : Number.MAX_SAFE_INTEGER);
  const shrinkLimit = options.shrinkTimeLimitMs ?? 10_000;
  const known = new Set(options.knownSignatures ?? []);
  const findings: Finding[] = [];
  const judged: Record<string, number> = Object.fromEntries(group.properties.map((p) => [p.id, 0]));
  let runs = 0;
  let stopReason: CampaignResult['stopReason'] = options.path === undefined ? 'runs' : 'path';
  let error: CampaignResult['error'];
  let lastProgress = started;
  const interval = options.progressIntervalMs ?? 500;
  let shrinkingNow: string | null = null;

  const progress = (force = false): void => {
    if (!options.onProgress) return;
    const now = performance.now();
    if (!force && now - lastProgress < interval) return;
    lastProgress = now;
    const elapsed = now - started;
    options.onProgress({ runs, findings: findings.length, elapsedMs: elapsed, casesPerSecond: elapsed > 0 ? (runs * 1000) / elapsed : 0, shrinking: shrinkingNow });
  };

  for (let round = 0; ; round++) {
    if (runs >= totalRuns) break;
    if (findings.length >= (options.maxFindings ?? 25)) {
      stopReason = 'max-findings';
      break;
    }
    const seed = round === 0 ? options.seed : deriveSeed(options.seed, round);
    let target: Target<E> | null = null;
    let stopped = false;

    const judge = (input: T, e: E): boolean => {
      if (target !== null) {
        // A stop request or a spent shrink budget ends shrinking; fast-check keeps the best case so far.
        if (stopped || options.shouldStop?.() || performance.now() - target.startedAt > shrinkLimit) return true;
        const v = violationOf(target.property.check(e));
        return !(v !== null && violationSignature(target.property.id, v) === target.signature);
      }
      runs++;
      options.onEvaluation?.(e);
      progress();
      for (const property of group.properties) {
        const v = property.check(e);
        if (v === NOT_JUDGED) continue;
        judged[property.id]!++;
        if (v === null) continue;
        const signature = violationSignature(property.id, v);
        if (known.has(signature)) continue;
        target = { property, signature, firstShapeClass: group.shapeClass(input, e), startedAt: performance.now() };
        options.onFailureDetected?.(property.id, target.startedAt - started);
        shrinkingNow = property.id;
        progress(true);
        return false;
      }
      return true;
    };
    const shouldHalt = (): boolean => {
      if (stopped) return true;
      // While shrinking: a stop request or a spent shrink budget passes every further candidate unevaluated (the best case so far is kept).
      if (target !== null) return options.shouldStop?.() === true || performance.now() - target.startedAt > shrinkLimit;
      if (options.shouldStop?.()) stopReason = 'stopped';
      else if (performance.now() > deadline) stopReason = 'time';
      else return false;
      stopped = true;
      return true;
    };
    const runOne = (input: T): boolean | Promise<boolean> => {
      if (shouldHalt()) {
        if (target === null) throw new CampaignStop();
        return true;
      }
      const fail = (e: unknown): never => {
        if (!stopped) error = campaignError(e, input);
        stopped = true;
        stopReason = 'error';
        throw e;
      };
      try {
        const evaluation = group.evaluate(input);
        return evaluation instanceof Promise ? evaluation.then((e) => judge(input, e), fail) : judge(input, evaluation);
      } catch (e) {
        return fail(e);
      }
    };
    let lastYield = performance.now();
    const runOneYielding = (input: T): boolean | Promise<boolean> => {
      if (performance.now() - lastYield < options.yieldEveryMs!) return runOne(input);
      return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        lastYield = performance.now();
        return runOne(input);
      });
    };
    const parameters: fc.Parameters<[T]> = {
      seed,
      numRuns: Math.max(1, totalRuns - runs),
      ...(options.path !== undefined ? { path: options.path } : {}),
    };
    const result =
      group.synchronous && options.yieldEveryMs === undefined
        ? fc.check(fc.property(group.arbitrary, (input) => runOne(input) as boolean), parameters)
        : await fc.check(fc.asyncProperty(group.arbitrary, async (input) => (options.yieldEveryMs === undefined ? runOne(input) : runOneYielding(input))), parameters);
    shrinkingNow = null;
    const found = target as Target<E> | null;
    if (result.failed && found !== null && result.counterexample !== null && error === undefined) {
      const [shrunk] = result.counterexample;
      const stillFails = async (input: T): Promise<boolean> => {
        // A stop request abandons the domain reduction: the best case so far is kept.
        if (options.shouldStop?.()) return false;
        const v = violationOf(found.property.check(await group.evaluate(input)));
        return v !== null && violationSignature(found.property.id, v) === found.signature;
      };
      // fast-check shrinks within the generator's structure; the domain reducer crosses it.
      const reduceBudget = Math.max(500, Math.min(5_000, shrinkLimit - (performance.now() - found.startedAt)));
      let minimal = shrunk;
      try {
        minimal = group.reduce ? await group.reduce(shrunk, stillFails, reduceBudget) : shrunk;
      } catch (e) {
        error = campaignError(e, shrunk);
      }
      let evaluation: E;
      try {
        evaluation = await group.evaluate(minimal);
      } catch (e) {
        // The database went away while shrinking: the finding cannot be judged again; the error ends the campaign.
        error ??= campaignError(e, minimal);
        break;
      }
      const violation = violationOf(found.property.check(evaluation)) ?? flaky(found);
      const shapeClass = group.shapeClass(minimal, evaluation);
      const partial: Omit<Finding, 'replay'> = {
        property: found.property.id,
        profile: options.profile,
        settings: {},
        seed,
        path: result.counterexamplePath ?? '',
        ...group.findingCases(minimal),
        violation,
        shapeClass,
        fingerprint: fingerprintOf(found.property.id, violation, shapeClass),
        shrinks: result.numShrinks,
        firstShapeClass: found.firstShapeClass,
        ...(group.rowsWritten ? { rows: group.rowsWritten(evaluation) } : {}),
      };
      const finding: Finding = { ...partial, replay: options.replayCommand(partial) };
      findings.push(finding);
      known.add(found.signature);
      options.onFinding?.(finding);
      progress(true);
    }
    if (error !== undefined || stopped || options.path !== undefined || !result.failed) break;
  }
  progress(true);
  const elapsedMs = performance.now() - started;
  // Closures above reassign stopReason; widen it back from the narrowed initial value.
  const reason = (error !== undefined ? 'error' : stopReason) as CampaignResult['stopReason'];
  return {
    findings,
    runs,
    judged,
    elapsedMs,
    interrupted: reason === 'time' || reason === 'stopped' || reason === 'error',
    stopReason: reason,
    ...(error !== undefined ? { error } : {}),
  };
}

/** The minimal input no longer reproduced (a flaky property); keep the signature's facts. */
function flaky<E>(target: Target<E>): Violation {
  const [property, kind, table, constraint] = target.signature.split('|');
  return { kind: kind ?? 'unknown', table: table || null, columns: [], constraint: constraint || null, message: `${property}: the shrunk case no longer reproduces the failure (flaky)` };
}

/** Seeds for the rounds after a finding: deterministic from the campaign seed. */
export function deriveSeed(seed: number, round: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(round, 0x85ebca6b)) >>> 1;
}
