import { mergeCoverage, type Coverage } from '../coverage/coverage.js';
import type { Finding } from '../runner/finding.js';
import { violationSignature } from '../runner/finding.js';
import { deriveSeed } from '../runner/campaign.js';
import { LANE_SHARES, type Lane, type WorkUnit } from './work-units.js';
import { WorkerPool } from './worker-pool.js';
import { shouldStop, STOP_REQUESTED, TIME_UP, type RunSlice, type WorkerMessage, type WorkerSetup } from './worker-protocol.js';

/**
 * Runs a nightly campaign's work units on a worker pool. With a time budget
 * the run goes in rounds, and each round gives each lane a share of the time
 * that grows with what the lane discovered in the round before (new findings,
 * newly reached shapes and cardinality buckets). With a number of runs it is
 * one deterministic round. Never throws: worker failures come back as errors.
 */

export type NightlyEvent =
  | { readonly type: 'round-started'; readonly round: number; readonly shares: Readonly<Record<Lane, number>> }
  | { readonly type: 'slice-started'; readonly slice: number; readonly unit: WorkUnit; readonly round: number; readonly runs?: number; readonly timeLimitMs?: number }
  | { readonly type: 'finding'; readonly finding: Finding; readonly unit: number }
  | { readonly type: 'slice-finished'; readonly slice: number; readonly unit: number; readonly runs: number; readonly elapsedMs: number; readonly stopReason: string; readonly coverage: Coverage | null }
  | { readonly type: 'progress'; readonly elapsedMs: number; readonly runs: number; readonly findings: number; readonly casesPerSecond: number }
  | { readonly type: 'worker-problem'; readonly message: string }
  | { readonly type: 'error'; readonly message: string };

export interface NightlyOptions {
  readonly setup: WorkerSetup;
  readonly workerEntry: URL;
  readonly units: readonly WorkUnit[];
  readonly workers: number;
  readonly timeBudgetMs?: number;
  /** Without a time budget: the cases each unit runs (unitRuns over the whole plan). */
  readonly runsByUnit?: ReadonlyMap<number, number>;
  /** Rounds of a timed run (default: one per 15 s of budget, 2 to 40). */
  readonly rounds?: number;
  readonly shrinkTimeLimitMs: number;
  /** Signatures of bugs known from earlier nights: not hunted again. */
  readonly knownSignatures: readonly string[];
  readonly relationshipsCoverage: Coverage;
  readonly onEvent: (event: NightlyEvent) => void;
  /**
   * How long a slice may go on past the time budget, or after a stop request,
   * before its worker is taken for stuck and terminated (default: 10% of the
   * budget, between 5 and 30 s; 10 s after a stop request).
   */
  readonly graceMs?: number;
}

export interface UnitReport {
  readonly unit: WorkUnit;
  runs: number;
  elapsedMs: number;
  /** Per property id, the inputs it judged (zero: not checked). */
  readonly judged: Record<string, number>;
}

export interface NightlyResult {
  readonly findings: readonly Finding[];
  readonly units: readonly UnitReport[];
  readonly coverage: Coverage;
  readonly throughput: readonly { readonly elapsedMs: number; readonly runs: number }[];
  readonly laneTimeMs: Readonly<Record<Lane, number>>;
  readonly runs: number;
  /** Per property id, the inputs it judged over every unit (zero: not checked). */
  readonly judged: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
  readonly interrupted: boolean;
  readonly errors: readonly string[];
}

export async function runNightly(options: NightlyOptions): Promise<NightlyResult> {
  const started = performance.now();
  const stop = new Int32Array(options.setup.stop);
  const findings = new Map<string, Finding>();
  const units = new Map<number, UnitReport>(options.units.map((u) => [u.index, { unit: u, runs: 0, elapsedMs: 0, judged: Object.fromEntries(u.properties.map((p) => [p, 0])) }]));
  const sliceUnit = new Map<number, WorkUnit>();
  const sliceRuns = new Map<number, number>();
  const throughput: { elapsedMs: number; runs: number }[] = [];
  const errors: string[] = [];
  const laneTimeMs: Record<Lane, number> = { execution: 0, upgrade: 0 };
  let coverage = options.relationshipsCoverage;
  let roundNovelty: Record<Lane, number> = { execution: 0, upgrade: 0 };
  let nextSlice = 0;
  const totalRuns = (): number => [...sliceRuns.values()].reduce((a, b) => a + b, 0);

  const onMessage = (message: WorkerMessage): void => {
    if (message.type === 'progress') sliceRuns.set(message.slice, message.runs);
    else if (message.type === 'finding') {
      const unit = sliceUnit.get(message.slice)!;
      const known = findings.get(message.finding.fingerprint);
      if (known === undefined || JSON.stringify(message.finding.case).length < JSON.stringify(known.case).length) findings.set(message.finding.fingerprint, message.finding);
      if (known === undefined) roundNovelty[unit.lane]++;
      options.onEvent({ type: 'finding', finding: message.finding, unit: unit.index });
    } else if (message.type === 'done') {
      const unit = sliceUnit.get(message.slice)!;
      const report = units.get(unit.index)!;
      report.runs += message.runs;
      report.elapsedMs += message.elapsedMs;
      for (const [property, n] of Object.entries(message.judged)) report.judged[property] = (report.judged[property] ?? 0) + n;
      laneTimeMs[unit.lane] += message.elapsedMs;
      sliceRuns.set(message.slice, message.runs);
      if (message.coverage !== null) {
        roundNovelty[unit.lane] += newlyReached(coverage, message.coverage);
        coverage = mergeCoverage(coverage, message.coverage);
      }
      options.onEvent({ type: 'slice-finished', slice: message.slice, unit: unit.index, runs: message.runs, elapsedMs: message.elapsedMs, stopReason: message.stopReason, coverage: message.coverage });
    } else if (message.type === 'failed') {
      error(message.message);
    }
  };
  const error = (message: string): void => {
    if (errors.includes(message)) return;
    errors.push(message);
    options.onEvent({ type: 'error', message });
  };

  const pool = new WorkerPool(Math.max(1, Math.min(options.workers, options.units.length)), options.workerEntry, options.setup, onMessage, {
    onWorkerProblem: (message) => options.onEvent({ type: 'worker-problem', message }),
  });
  // A worker stuck in a case never sees the stop flags: after a grace period its slice is abandoned and the worker terminated.
  const budgetGraceMs = options.graceMs ?? (options.timeBudgetMs === undefined ? 0 : Math.min(30_000, Math.max(5000, options.timeBudgetMs * 0.1)));
  const stopGraceMs = options.graceMs ?? 10_000;
  let stopSeenAt: number | null = null;
  let abandonTimer: NodeJS.Timeout | undefined;
  const abandonAfter = (ms: number, reason: string): void => {
    if (abandonTimer !== undefined) return;
    abandonTimer = setTimeout(() => {
      for (const slice of pool.abandon(reason)) sliceRuns.delete(slice);
    }, ms);
  };
  const sampler = setInterval(() => {
    const elapsedMs = performance.now() - started;
    const runs = totalRuns();
    throughput.push({ elapsedMs, runs });
    options.onEvent({ type: 'progress', elapsedMs, runs, findings: findings.size, casesPerSecond: elapsedMs > 0 ? (runs * 1000) / elapsedMs : 0 });
    if (stopSeenAt === null && Atomics.load(stop, STOP_REQUESTED) === 1) {
      stopSeenAt = performance.now();
      abandonAfter(stopGraceMs, `still running ${(stopGraceMs / 1000).toFixed(0)} s after the stop request; its worker was terminated`);
    }
  }, 250);
  // When the budget is spent, campaigns stop and shrinks in progress keep their best case.
  const deadline =
    options.timeBudgetMs === undefined
      ? undefined
      : setTimeout(() => {
          Atomics.store(stop, TIME_UP, 1);
          abandonAfter(budgetGraceMs, `still running ${(budgetGraceMs / 1000).toFixed(0)} s after the time budget was spent; its worker was terminated`);
        }, options.timeBudgetMs);
  try {
    const rounds = options.timeBudgetMs === undefined ? 1 : (options.rounds ?? Math.min(40, Math.max(2, Math.round(options.timeBudgetMs / 15_000))));
    let shares: Record<Lane, number> = { ...LANE_SHARES };
    for (let round = 0; round < rounds && !shouldStop(stop); round++) {
      const roundStarted = performance.now();
      const remainingMs = options.timeBudgetMs === undefined ? 0 : options.timeBudgetMs - (roundStarted - started);
      const roundMs = remainingMs / (rounds - round);
      const lanes = (['execution', 'upgrade'] as const).filter((l) => options.units.some((u) => u.lane === l));
      const total = lanes.reduce((n, l) => n + shares[l], 0);
      const normalized = Object.fromEntries(lanes.map((l) => [l, shares[l] / total])) as Record<Lane, number>;
      options.onEvent({ type: 'round-started', round, shares: normalized });
      roundNovelty = { execution: 0, upgrade: 0 };
      const known = round === 0 ? options.knownSignatures : [...options.knownSignatures, ...[...findings.values()].map((f) => violationSignature(f.property, f.violation))];
      const slices: Promise<void>[] = [];
      for (const lane of lanes) {
        const laneUnits = options.units.filter((u) => u.lane === lane);
        for (const unit of laneUnits) {
          const slice = nextSlice++;
          sliceUnit.set(slice, unit);
          const budget =
            options.timeBudgetMs !== undefined
              ? { timeLimitMs: Math.max(200, (roundMs * pool.size * normalized[lane]) / laneUnits.length) }
              : { runs: options.runsByUnit?.get(unit.index) ?? 1000 };
          const message: RunSlice = { type: 'run', slice, unit, round, seed: round === 0 ? unit.seed : deriveSeed(unit.seed, round), ...budget, shrinkTimeLimitMs: options.shrinkTimeLimitMs, knownSignatures: known };
          options.onEvent({ type: 'slice-started', slice, unit, round, ...budget });
          slices.push(pool.run(message).then(() => undefined, (e: Error) => error(e.message)));
        }
      }
      await Promise.all(slices);
      // More time next round to the lanes still discovering something.
      shares = Object.fromEntries(lanes.map((l) => [l, Math.max(0.02, LANE_SHARES[l] * (1 + 2 * Math.min(roundNovelty[l], 10)))])) as Record<Lane, number>;
    }
  } finally {
    clearInterval(sampler);
    if (deadline !== undefined) clearTimeout(deadline);
    if (abandonTimer !== undefined) clearTimeout(abandonTimer);
    for (const problem of await pool.close()) error(problem);
  }
  const elapsedMs = performance.now() - started;
  const runs = [...units.values()].reduce((n, u) => n + u.runs, 0);
  throughput.push({ elapsedMs, runs });
  const judged: Record<string, number> = {};
  for (const u of units.values()) for (const [property, n] of Object.entries(u.judged)) judged[property] = (judged[property] ?? 0) + n;
  return {
    findings: [...findings.values()],
    units: [...units.values()],
    coverage,
    throughput,
    laneTimeMs,
    runs,
    judged,
    elapsedMs,
    interrupted: Atomics.load(stop, STOP_REQUESTED) === 1,
    errors,
  };
}

/** Shapes and cardinality buckets `next` reached that `seen` had not. */
function newlyReached(seen: Coverage, next: Coverage): number {
  let count = 0;
  for (const [shape, n] of Object.entries(next.shapes)) if (n > 0 && (seen.shapes[shape] ?? 0) === 0) count++;
  for (const [name, buckets] of Object.entries(next.cardinality)) {
    for (const [bucket, n] of Object.entries(buckets)) if (n > 0 && (seen.cardinality[name]?.[bucket as '0'] ?? 0) === 0) count++;
  }
  return count;
}

