import fc from 'fast-check';
import { shapeClassOf } from '../expansion/shape-classes.js';
import type { Case } from '../model/case.js';
import type { CaseDatabase, CaseRunOptions } from '../persistence/case-database.js';
import { readerRequestsFor } from '../readers/reader-requests.js';
import { reduceCase } from '../shrink/reduce-case.js';
import { fingerprintOf, violationSignature, type Finding } from './finding.js';
import type { CaseEvaluation, ExecutionProperty, Violation } from './property.js';
import type { SystemUnderTest } from './system-under-test.js';

/**
 * A fuzz campaign over execution properties: fast-check generates cases,
 * each case is planned by the model, written and read back once, and every
 * selected property judges the same evaluation. The first failure is shrunk
 * (keeping the same property and violation signature); the campaign then
 * goes on with a derived seed, ignoring bugs it already found, until its runs
 * or its time are spent. Never throws: tool errors come back in the result.
 */

export interface CampaignProgress {
  readonly runs: number;
  readonly findings: number;
  readonly elapsedMs: number;
  readonly casesPerSecond: number;
  /** Set while a finding is being shrunk. */
  readonly shrinking: string | null;
}

export interface CampaignOptions {
  readonly system: SystemUnderTest;
  readonly database: CaseDatabase;
  readonly arbitrary: fc.Arbitrary<Case>;
  readonly properties: readonly ExecutionProperty[];
  readonly seed: number;
  /** Generated cases in all (default 1000 when no time limit is given). */
  readonly runs?: number;
  /** Wall-clock budget of the whole campaign, shrinking included (plus at most one shrink budget). */
  readonly timeLimitMs?: number;
  /** Budget per shrink; the best case so far is kept when it runs out. Default 10 s. */
  readonly shrinkTimeLimitMs?: number;
  /** Replays one fast-check path of `seed` instead of generating (with one property). */
  readonly path?: string;
  /** Bugs already known (violation signatures): ignored, so the campaign looks for others. */
  readonly knownSignatures?: readonly string[];
  readonly maxFindings?: number;
  readonly onProgress?: (progress: CampaignProgress) => void;
  readonly progressIntervalMs?: number;
  /** Called with every generated (not shrunk) case's evaluation. */
  readonly onCase?: (evaluation: CaseEvaluation) => void;
  readonly onFinding?: (finding: Finding) => void;
  /** Polled between cases; true ends the campaign early (findings so far are kept). */
  readonly shouldStop?: () => boolean;
  readonly replayCommand: (finding: Omit<Finding, 'replay'>) => string;
}

export interface CampaignResult {
  readonly findings: readonly Finding[];
  readonly runs: number;
  readonly elapsedMs: number;
  /** True when time, a stop request or a tool error ended generation before the runs were spent. */
  readonly interrupted: boolean;
  readonly stopReason: 'runs' | 'time' | 'stopped' | 'max-findings' | 'error' | 'path';
  /** A cardfuzz error (not a finding), with the case that raised it. */
  readonly error?: { readonly message: string; readonly case?: Case };
}

class CampaignStop extends Error {}

interface Target {
  readonly property: ExecutionProperty;
  readonly signature: string;
  readonly firstShapeClass: string;
  readonly startedAt: number;
}

export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const started = performance.now();
  const deadline = options.timeLimitMs === undefined ? Infinity : started + options.timeLimitMs;
  const totalRuns = options.runs ?? (options.timeLimitMs === undefined ? 1000 : Number.MAX_SAFE_INTEGER);
  const shrinkLimit = options.shrinkTimeLimitMs ?? 10_000;
  const known = new Set(options.knownSignatures ?? []);
  const findings: Finding[] = [];
  const runOptions = caseRunOptions(options.properties);
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

  const runSync = options.database.runCaseSync?.bind(options.database);
  const evaluateSync = runSync !== undefined;
  const evaluate = (c: Case): CaseEvaluation | Promise<CaseEvaluation> => {
    const plan = options.system.plan(c);
    if (runSync) return { case: c, plan, outcome: runSync(plan, runOptions), system: options.system };
    return options.database.runCase(plan, runOptions).then((outcome) => ({ case: c, plan, outcome, system: options.system }));
  };

  for (let round = 0; ; round++) {
    if (runs >= totalRuns) break;
    if (findings.length >= (options.maxFindings ?? 25)) {
      stopReason = 'max-findings';
      break;
    }
    const seed = round === 0 ? options.seed : deriveSeed(options.seed, round);
    let target: Target | null = null;
    let stopped = false;

    const judge = (e: CaseEvaluation): boolean => {
      if (target !== null) {
        if (stopped || performance.now() - target.startedAt > shrinkLimit) return true;
        const v = target.property.check(e);
        return !(v !== null && violationSignature(target.property.id, v) === target.signature);
      }
      runs++;
      options.onCase?.(e);
      progress();
      for (const property of options.properties) {
        const v = property.check(e);
        if (v === null) continue;
        const signature = violationSignature(property.id, v);
        if (known.has(signature)) continue;
        target = { property, signature, firstShapeClass: shapeClassOf(e.case, e.plan.expansion), startedAt: performance.now() };
        shrinkingNow = property.id;
        progress(true);
        return false;
      }
      return true;
    };
    const shouldHalt = (): boolean => {
      if (stopped) return true;
      if (target !== null) return false;
      const now = performance.now();
      if (options.shouldStop?.()) stopReason = 'stopped';
      else if (now > deadline) stopReason = 'time';
      else return false;
      stopped = true;
      return true;
    };
    const runOne = (c: Case): boolean | Promise<boolean> => {
      if (shouldHalt()) {
        if (target === null) throw new CampaignStop();
        return true;
      }
      const fail = (e: unknown): never => {
        if (!stopped) error = { message: e instanceof Error ? e.message : String(e), case: c };
        stopped = true;
        stopReason = 'error';
        throw e;
      };
      try {
        const evaluation = evaluate(c);
        return evaluation instanceof Promise ? evaluation.then(judge, fail) : judge(evaluation);
      } catch (e) {
        return fail(e);
      }
    };
    const property = evaluateSync
      ? fc.property(options.arbitrary, (c) => runOne(c) as boolean)
      : fc.asyncProperty(options.arbitrary, async (c) => runOne(c));
    const parameters: fc.Parameters<[Case]> = {
      seed,
      numRuns: Math.max(1, totalRuns - runs),
      ...(options.path !== undefined ? { path: options.path } : {}),
    };
    const result = evaluateSync ? fc.check(property as fc.IProperty<[Case]>, parameters) : await fc.check(property as fc.IAsyncProperty<[Case]>, parameters);
    shrinkingNow = null;
    const found = target as Target | null;
    if (result.failed && found !== null && result.counterexample !== null) {
      const [shrunk] = result.counterexample;
      // fast-check shrinks within the generator's structure; the domain reducer crosses it.
      const reduceBudget = Math.max(500, Math.min(5_000, shrinkLimit - (performance.now() - found.startedAt)));
      const stillFails = async (c: Case): Promise<boolean> => {
        const v = found.property.check(await evaluate(c));
        return v !== null && violationSignature(found.property.id, v) === found.signature;
      };
      const counterexample = (await reduceCase(shrunk, stillFails, reduceBudget)).case;
      const evaluation = await evaluate(counterexample);
      const violation = found.property.check(evaluation) ?? lastResort(found);
      const shapeClass = shapeClassOf(counterexample, evaluation.plan.expansion);
      const fingerprint = fingerprintOf(found.property.id, violation, shapeClass);
      const partial: Omit<Finding, 'replay'> = {
        property: found.property.id,
        profile: options.system.profile.name,
        settings: {},
        seed,
        path: result.counterexamplePath ?? '',
        case: counterexample,
        violation,
        shapeClass,
        fingerprint,
        shrinks: result.numShrinks,
        firstShapeClass: found.firstShapeClass,
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
    elapsedMs,
    interrupted: reason === 'time' || reason === 'stopped' || reason === 'error',
    stopReason: reason,
    ...(error !== undefined ? { error } : {}),
  };
}

/** The shrunk case no longer reproduced (a flaky property); keep the signature's facts. */
function lastResort(target: Target): Violation {
  const [property, kind, table, constraint] = target.signature.split('|');
  return { kind: kind ?? 'unknown', table: table || null, columns: [], constraint: constraint || null, message: `${property}: the shrunk case no longer reproduces the failure (flaky)` };
}

/** Seeds for the rounds after a finding: deterministic from the campaign seed. */
export function deriveSeed(seed: number, round: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(round, 0x85ebca6b)) >>> 1;
}

export function caseRunOptions(properties: readonly ExecutionProperty[]): CaseRunOptions {
  const readers = properties.some((p) => p.needs.readers);
  const overfull = properties.some((p) => p.needs.overfull);
  return { ...(readers ? { readers: readerRequestsFor } : {}), ...(overfull ? { overfull: true } : {}) };
}
