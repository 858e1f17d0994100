import { WorkerPool, WorkerStartError } from '../nightly/worker-pool.js';
import { createStopFlags, STOP_REQUESTED, type FuzzToolTask, type WorkerSetup } from '../nightly/worker-protocol.js';
import { campaignError } from './campaign.js';
import { fuzzToolFile, type FuzzToolOptions, type FuzzToolResult } from './fuzz-tool-file.js';
import { openTarget } from './open-target.js';

/**
 * The tool files of `run --tool DIR`, each fuzzed on its own by
 * `fuzzToolFile` with the same seed and budget: one after another on this
 * thread, or on the nightly's worker pool (one database per worker, kept from
 * one tool to the next) when there are several files and several workers.
 * Either way a tool's result is the same, so a run gives the same output
 * with one worker or many; each result is passed on as it comes, with the
 * tool's index, and returned in the order of the files.
 *
 * Faults are never findings: a worker that crashes on a tool is replaced and
 * the tool run once more; a second crash, or cardfuzz's own error on a tool,
 * is that tool's `error` and the other tools go on. When `shouldStop` says so
 * (Ctrl-C), no more tools are started, the tools in progress end with what
 * they found, and a worker still busy after a grace period is terminated
 * (its tool an error).
 */
export interface FuzzToolFilesOptions extends Omit<FuzzToolOptions, 'opened' | 'shouldStop'> {
  /** Worker threads; 1 (or a single file, or a planted mutation, which cannot cross to a thread) runs on this thread. */
  readonly workers: number;
  /** The campaign worker's entry point (src/cli/worker/campaign-worker.ts, built); without it the tools run on this thread. */
  readonly workerEntry?: URL;
  readonly shouldStop?: () => boolean;
  /** Each tool's result as it comes (with workers, in the order they finish). */
  readonly onResult?: (index: number, result: FuzzToolResult) => void;
  /** Told of each worker crash and replacement. */
  readonly onWorkerProblem?: (message: string) => void;
  /** How long tools may go on after a stop request before their workers are terminated (default 10 s). */
  readonly stopGraceMs?: number;
}

export interface FuzzToolFilesResult {
  /** Per file, in order: its result, or undefined when it was not run (the run was stopped first). */
  readonly results: readonly (FuzzToolResult | undefined)[];
  /** The worker threads used (1: this thread). */
  readonly workers: number;
  /** Databases that could not be closed cleanly: the run is not clean. */
  readonly closeErrors: readonly string[];
  /** No worker could be started: the tools not run were not run for that reason. */
  readonly startError?: string;
}

/** A tool's error names the file once, where the caller prints it. */
function toolError(file: string, error: unknown): { readonly error: string } {
  const message = error instanceof Error ? error.message : String(error);
  return { error: message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message };
}

export async function fuzzToolFiles(files: readonly string[], options: FuzzToolFilesOptions): Promise<FuzzToolFilesResult> {
  const workers = Math.min(options.workers, files.length);
  if (workers <= 1 || options.workerEntry === undefined || options.target.mutation !== undefined) return fuzzHere(files, options);
  return fuzzOnPool(files, options, options.workerEntry, workers);
}

/** One tool after another on this thread, on one database. */
async function fuzzHere(files: readonly string[], options: FuzzToolFilesOptions): Promise<FuzzToolFilesResult> {
  const results: (FuzzToolResult | undefined)[] = files.map(() => undefined);
  const closeErrors: string[] = [];
  let opened: Awaited<ReturnType<typeof openTarget>> | undefined;
  try {
    for (const [index, file] of files.entries()) {
      if (options.shouldStop?.() === true) break;
      // Opened for the first tool that is run, and kept for the others, as a pool worker keeps its own.
      opened ??= await openTarget({ ...options.target, profile: options.profile, schemaSql: undefined });
      let result: FuzzToolResult;
      try {
        result = await fuzzToolFile(file, { ...options, opened, ...(options.shouldStop !== undefined ? { shouldStop: options.shouldStop } : {}) });
      } catch (error) {
        // As on a worker: cardfuzz's own failure on one tool is that tool's error, and the others go on.
        result = toolError(file, error);
      }
      results[index] = result;
      options.onResult?.(index, result);
      if ('interrupted' in result && result.interrupted) break;
    }
  } finally {
    await opened?.database.close().catch((e: unknown) => void closeErrors.push(campaignError(e).message));
  }
  return { results, workers: 1, closeErrors };
}

/** The tools on the worker pool, at most one queued per worker so that a stop starts no more. */
async function fuzzOnPool(files: readonly string[], options: FuzzToolFilesOptions, entry: URL, workers: number): Promise<FuzzToolFilesResult> {
  const results: (FuzzToolResult | undefined)[] = files.map(() => undefined);
  const stop = createStopFlags();
  const flags = new Int32Array(stop);
  const setup: WorkerSetup = {
    target: {
      // The resolved profile, as this thread would run it (a schema dump already read into it).
      profile: options.profile,
      settings: options.target.settings,
      dialect: options.target.dialect,
      ...(options.target.databaseUrl !== undefined ? { databaseUrl: options.target.databaseUrl } : {}),
      tools: [],
    },
    stop,
  };
  const pool = new WorkerPool(workers, entry, setup, () => undefined, options.onWorkerProblem !== undefined ? { onWorkerProblem: options.onWorkerProblem } : {});
  const stopped = (): boolean => Atomics.load(flags, STOP_REQUESTED) === 1;
  let abandonTimer: NodeJS.Timeout | undefined;
  // The stop request reaches the workers through the shared flag; a worker stuck in a case never sees it.
  const watcher = setInterval(() => {
    if (stopped() || options.shouldStop?.() !== true) return;
    Atomics.store(flags, STOP_REQUESTED, 1);
    const graceMs = options.stopGraceMs ?? 10_000;
    abandonTimer = setTimeout(() => pool.abandon(`still running ${(graceMs / 1000).toFixed(0)} s after the stop request; its worker was terminated`), graceMs);
  }, 50);
  const task = (index: number): FuzzToolTask => ({
    type: 'fuzz-tool',
    slice: index,
    file: files[index]!,
    properties: options.properties.map((p) => p.id),
    seed: options.seed,
    runs: options.runs,
    ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
    ...(options.shrinkTimeLimitMs !== undefined ? { shrinkTimeLimitMs: options.shrinkTimeLimitMs } : {}),
    strict: options.strict,
  });
  let next = 0;
  let startError: string | undefined;
  const lane = async (): Promise<void> => {
    while (next < files.length && startError === undefined && !stopped() && options.shouldStop?.() !== true) {
      const index = next++;
      const file = files[index]!;
      let result: FuzzToolResult;
      try {
        const done = await pool.run(task(index));
        result = done.type === 'tool-done' ? withReplay(file, done.result, options) : { error: `the worker answered a tool with '${done.type}'` };
      } catch (error) {
        // No worker at all: the run's error, not this tool's; the tools not run are left out.
        if (error instanceof WorkerStartError) {
          startError ??= error.message;
          return;
        }
        // A worker crashed twice, failed, or was terminated after a stop request: cardfuzz failed on this tool.
        result = toolError(file, error);
      }
      results[index] = result;
      options.onResult?.(index, result);
    }
  };
  let closeErrors: string[] = [];
  try {
    await Promise.all(Array.from({ length: workers }, lane));
  } finally {
    clearInterval(watcher);
    if (abandonTimer !== undefined) clearTimeout(abandonTimer);
    closeErrors = await pool.close();
  }
  return { results, workers, closeErrors, ...(startError !== undefined ? { startError } : {}) };
}

/** A worker's findings have no replay command: it is written here, as this thread writes it. */
function withReplay(file: string, result: FuzzToolResult, options: FuzzToolFilesOptions): FuzzToolResult {
  if ('error' in result) return result;
  return { ...result, report: { ...result.report, findings: result.report.findings.map((f) => ({ ...f, replay: options.replayCommand(file, f) })) } };
}
