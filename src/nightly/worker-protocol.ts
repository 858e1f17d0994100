import type { Coverage } from '../coverage/coverage.js';
import type { Finding } from '../runner/finding.js';
import type { SettingsPatch } from '../profiles/settings.js';
import type { WorkUnit } from './work-units.js';

/** Messages between the nightly coordinator (main thread) and its campaign workers. */

export interface WorkerTarget {
  readonly profile: string;
  readonly settings: SettingsPatch;
  readonly dialect: 'sqlite' | 'postgres';
  readonly databaseUrl?: string;
  readonly schemaSql?: string;
  readonly tools: readonly string[];
}

export interface WorkerSetup {
  readonly target: WorkerTarget;
  /** Stop flags (createStopFlags): when either is 1, campaigns stop between cases and shrinks keep their best case. */
  readonly stop: SharedArrayBuffer;
}

/** Index of the flag a signal handler sets (the run is then reported as interrupted). */
export const STOP_REQUESTED = 0;
/** Index of the flag the coordinator sets when the time budget is spent. */
export const TIME_UP = 1;

export function createStopFlags(): SharedArrayBuffer {
  return new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
}

export function shouldStop(flags: Int32Array): boolean {
  return Atomics.load(flags, STOP_REQUESTED) === 1 || Atomics.load(flags, TIME_UP) === 1;
}

export interface RunSlice {
  readonly type: 'run';
  readonly slice: number;
  readonly unit: WorkUnit;
  readonly round: number;
  /** The seed of this slice: the unit's seed in round 0, derived from it in later rounds. */
  readonly seed: number;
  readonly runs?: number;
  readonly timeLimitMs?: number;
  readonly shrinkTimeLimitMs: number;
  readonly knownSignatures: readonly string[];
  /** 1 the first time the slice runs, 2 when it runs again after its worker crashed (set by the pool). */
  readonly attempt?: number;
}

export type WorkerMessage =
  /** The worker has loaded and can take slices. */
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly slice: number; readonly runs: number; readonly findings: number; readonly shrinking: string | null }
  | { readonly type: 'finding'; readonly slice: number; readonly finding: Finding }
  | {
      readonly type: 'done';
      readonly slice: number;
      readonly runs: number;
      readonly elapsedMs: number;
      readonly stopReason: string;
      /** Per property id, the inputs it judged in this slice. */
      readonly judged: Readonly<Record<string, number>>;
      readonly coverage: Coverage | null;
    }
  | { readonly type: 'failed'; readonly slice: number; readonly message: string }
  /** A database the worker could not close cleanly (a PostgreSQL schema it could not drop, named): the run is not clean. */
  | { readonly type: 'close-failed'; readonly message: string };
