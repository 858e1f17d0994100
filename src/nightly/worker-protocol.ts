import type { Coverage } from '../coverage/coverage.js';
import type { Finding } from '../runner/finding.js';
import type { FuzzToolResult } from '../runner/fuzz-tool-file.js';
import type { Profile } from '../profiles/profile.js';
import type { SettingsPatch } from '../profiles/settings.js';
import type { WorkUnit } from './work-units.js';

/**
 * Messages between a coordinator (main thread) and its campaign workers. A
 * worker runs two kinds of task on its one database: a slice of a nightly
 * work unit (`RunSlice`), or one tool file of `run --tool DIR`
 * (`FuzzToolTask`). Both carry `slice`, the task's number in the pool, which
 * every message about the task repeats.
 */

export interface WorkerTarget {
  /** A profile name or file (the nightly), or the resolved profile itself (`run --tool DIR`: exactly what its own thread runs). */
  readonly profile: string | Profile;
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

/** One tool file of `run --tool DIR`, fuzzed as `fuzzToolFile` fuzzes it on the main thread. */
export interface FuzzToolTask {
  readonly type: 'fuzz-tool';
  /** The tool file's index among the files found (its line's place in the output). */
  readonly slice: number;
  readonly file: string;
  /** Property ids, in the order the run lists them. */
  readonly properties: readonly string[];
  readonly seed: number;
  readonly runs: number;
  readonly timeLimitMs?: number;
  readonly shrinkTimeLimitMs?: number;
  readonly strict: boolean;
  /** 1 the first time the tool runs, 2 when it runs again after its worker crashed (set by the pool). */
  readonly attempt?: number;
}

/** What a worker can be given to run. */
export type PoolTask = RunSlice | FuzzToolTask;

/** How a task is named in short (`slice 3`, or the tool file), and in full (`slice 3 (unit 1, upgrade)`, or the tool file). */
export function taskName(task: PoolTask, full = false): string {
  if (task.type === 'fuzz-tool') return task.file;
  return full ? `slice ${task.slice} (unit ${task.unit.index}, ${task.unit.lane})` : `slice ${task.slice}`;
}

/** `slice` or `tool`: what the pool calls a task of this kind in its messages. */
export function taskNoun(task: PoolTask): string {
  return task.type === 'run' ? 'slice' : 'tool';
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
  /** A tool file of `run --tool DIR` is done: its report (findings with an empty `replay`, which the coordinator fills in), or cardfuzz's error on it. */
  | { readonly type: 'tool-done'; readonly slice: number; readonly result: FuzzToolResult }
  | { readonly type: 'failed'; readonly slice: number; readonly message: string }
  /** A database the worker could not close cleanly (a PostgreSQL schema it could not drop, named): the run is not clean. */
  | { readonly type: 'close-failed'; readonly message: string };

/** The message that ends a task that ran: the pool resolves the task's promise with it. */
export type TaskDone = Extract<WorkerMessage, { readonly type: 'done' | 'tool-done' }>;
