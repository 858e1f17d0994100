import { Worker } from 'node:worker_threads';
import { taskName, taskNoun, type PoolTask, type TaskDone, type WorkerMessage, type WorkerSetup } from './worker-protocol.js';

/**
 * A fixed pool of campaign workers (worker threads, one database each) that
 * survives its workers. It runs tasks of either kind the workers know: a
 * slice of a nightly work unit, or one tool file of `run --tool DIR`. Tasks
 * go to whichever worker is ready and idle; messages are passed to the
 * handler as they arrive, so nothing a worker found is lost if it crashes or
 * the run is stopped. A task's promise resolves with the message that ended it.
 *
 * - A worker that crashes (an 'error' event, or an exit nobody asked for) is
 *   replaced, and the task it was running is run once more on another
 *   worker; a task that crashes its worker twice is rejected with a
 *   WorkerCrashError (a tool error, never a finding).
 * - A worker that dies before it is ready counts as a failed start. When no
 *   worker is alive and the last starts all failed, the pool gives up: every
 *   queued task is rejected with a WorkerStartError.
 * - `abandon()` terminates the workers still running a task (a stuck
 *   worker cannot hold a nightly past its budget) and rejects their tasks and
 *   the queued ones with a WorkerAbandonedError.
 * - `close()` asks each worker to close its databases and waits for it to
 *   exit (terminating it after a grace period); each worker's exit is watched
 *   from its start, so an exit that came first is never waited for again.
 *
 * The pool was kept rather than replaced by piscina or tinypool: both run
 * request/response tasks, while a nightly slice streams progress and findings
 * as it runs and shares the stop flags (a tool of `run --tool DIR` shares
 * them too, so Ctrl-C ends the tools in progress with what they found); a
 * worker keeps its database between tasks (slices, or one tool after
 * another) and must close it (dropping its PostgreSQL schema) before it exits
 * — which their terminate-on-destroy shutdown does not do; and neither retries
 * a task whose worker crashed.
 */

/** A task's worker crashed on each of its two attempts. */
export class WorkerCrashError extends Error {}
/** No worker could be started, so the task never ran. */
export class WorkerStartError extends Error {}
/** The pool gave up on the task (stopped, or past the time budget). */
export class WorkerAbandonedError extends Error {}

interface Job {
  readonly task: PoolTask;
  readonly resolve: (done: TaskDone) => void;
  readonly reject: (error: Error) => void;
  attempts: number;
  lastError?: string;
}

interface Slot {
  readonly worker: Worker;
  readonly exited: Promise<void>;
  ready: boolean;
  closing: boolean;
  dead: boolean;
  job: Job | null;
  closeErrors: string[];
}

export interface WorkerPoolOptions {
  /** Told of each crash and replacement (the nightly records it as an event). */
  readonly onWorkerProblem?: (message: string) => void;
  /** How long close() waits for a worker to close its databases before terminating it. */
  readonly closeTimeoutMs?: number;
}

/** Failed starts in a row, with no worker alive, after which the pool gives up. */
const MAX_FAILED_STARTS = 3;

export class WorkerPool {
  readonly #size: number;
  readonly #entry: URL;
  readonly #setup: WorkerSetup;
  readonly #onMessage: (message: WorkerMessage) => void;
  readonly #options: WorkerPoolOptions;
  readonly #slots = new Set<Slot>();
  readonly #waiting: Job[] = [];
  #failedStarts = 0;
  #lastStartError = '';
  #broken: string | null = null;
  #closed = false;
  readonly #closeErrors: string[] = [];

  constructor(size: number, entry: URL, setup: WorkerSetup, onMessage: (message: WorkerMessage) => void, options: WorkerPoolOptions = {}) {
    this.#size = size;
    this.#entry = entry;
    this.#setup = setup;
    this.#onMessage = onMessage;
    this.#options = options;
    for (let i = 0; i < size; i++) this.#start();
  }

  get size(): number {
    return this.#size;
  }

  /** Runs one task; resolves with the worker's message when it is done, rejects when it failed or could not run. */
  run(task: PoolTask): Promise<TaskDone> {
    return new Promise((resolve, reject) => {
      if (this.#broken !== null) return reject(new WorkerStartError(this.#broken));
      if (this.#closed) return reject(new WorkerAbandonedError(`${taskName(task)}: the worker pool is closed`));
      this.#waiting.push({ task, resolve, reject, attempts: 0 });
      this.#dispatch();
    });
  }

  #start(): void {
    let worker: Worker;
    try {
      worker = new Worker(this.#entry, { workerData: this.#setup });
    } catch (error) {
      this.#startFailed((error as Error).message);
      return;
    }
    let markExited: () => void = () => undefined;
    const slot: Slot = { worker, exited: new Promise<void>((resolve) => (markExited = resolve)), ready: false, closing: false, dead: false, job: null, closeErrors: [] };
    this.#slots.add(slot);
    worker.on('message', (message: WorkerMessage) => this.#receive(slot, message));
    worker.on('error', (error) => this.#lost(slot, error.message));
    worker.on('exit', (code) => {
      markExited();
      this.#lost(slot, `exited with code ${code}`);
    });
  }

  #receive(slot: Slot, message: WorkerMessage): void {
    if (message.type === 'ready') {
      slot.ready = true;
      this.#failedStarts = 0;
      this.#dispatch();
      return;
    }
    if (message.type === 'close-failed') {
      slot.closeErrors.push(message.message);
      return;
    }
    const job = slot.job;
    // Late messages of an abandoned task are still what was found; pass them on.
    this.#onMessage(message);
    if (message.type !== 'done' && message.type !== 'tool-done' && message.type !== 'failed') return;
    if (job === null || job.task.slice !== message.slice) return;
    slot.job = null;
    if (message.type === 'failed') job.reject(new Error(message.message));
    else job.resolve(message);
    this.#dispatch();
  }

  /** A worker is gone: an error, or an exit. Only the first of the two counts. */
  #lost(slot: Slot, reason: string): void {
    if (slot.dead) return;
    slot.dead = true;
    this.#slots.delete(slot);
    const job = slot.job;
    slot.job = null;
    if (slot.closing) {
      job?.reject(new WorkerAbandonedError(`${taskName(job.task)}: the worker pool closed while it ran`));
      return;
    }
    void slot.worker.terminate();
    if (!slot.ready) {
      if (job !== null) this.#waiting.unshift(job);
      this.#startFailed(reason);
      return;
    }
    if (job !== null) {
      job.lastError = reason;
      if (job.attempts >= 2) job.reject(new WorkerCrashError(`${taskName(job.task, true)}: its worker crashed twice (${reason})`));
      else this.#waiting.unshift(job);
    }
    this.#options.onWorkerProblem?.(`a worker crashed${job ? ` running ${taskName(job.task)}` : ''} (${reason}); ${this.#closed ? 'not replaced: the pool is closing' : job && job.attempts < 2 ? `replaced; the ${taskNoun(job.task)} runs once more` : 'replaced'}`);
    if (!this.#closed) this.#start();
  }

  /** Starts a replacement, unless starts keep failing: then the pool runs on the workers it has, or gives up when it has none. */
  #startFailed(reason: string): void {
    this.#failedStarts++;
    this.#lastStartError = reason;
    if (this.#closed) return;
    if (this.#failedStarts < MAX_FAILED_STARTS) {
      this.#start();
      return;
    }
    if (this.#slots.size > 0) return;
    this.#broken = `no campaign worker could be started (${this.#failedStarts} attempts; last: ${this.#lastStartError})`;
    for (const job of this.#waiting.splice(0)) job.reject(new WorkerStartError(this.#broken));
  }

  #dispatch(): void {
    if (this.#closed) return;
    for (const slot of this.#slots) {
      if (this.#waiting.length === 0) return;
      if (!slot.ready || slot.dead || slot.closing || slot.job !== null) continue;
      const job = this.#waiting.shift()!;
      job.attempts++;
      slot.job = job;
      slot.worker.postMessage({ ...job.task, attempt: job.attempts });
    }
  }

  /**
   * Gives up on every task still running or queued: their workers are
   * terminated (what they reported so far was already passed on) and their
   * tasks rejected with the reason. Returns the numbers (`slice`) of the tasks given up.
   */
  abandon(reason: string): number[] {
    const given: number[] = [];
    for (const job of this.#waiting.splice(0)) {
      given.push(job.task.slice);
      job.reject(new WorkerAbandonedError(`${taskName(job.task)}: ${reason}`));
    }
    for (const slot of [...this.#slots]) {
      const job = slot.job;
      if (job === null) continue;
      slot.job = null;
      slot.closing = true;
      slot.dead = true;
      this.#slots.delete(slot);
      void slot.worker.terminate();
      given.push(job.task.slice);
      job.reject(new WorkerAbandonedError(`${taskName(job.task, true)}: ${reason}`));
    }
    return given;
  }

  /**
   * Closes every worker: each closes its databases and exits; one that has not
   * exited after the grace period is terminated. Resolves with the problems the
   * workers reported while closing (for example a schema that could not be dropped).
   */
  async close(): Promise<string[]> {
    this.#closed = true;
    for (const job of this.#waiting.splice(0)) job.reject(new WorkerAbandonedError(`${taskName(job.task)}: the worker pool closed before it ran`));
    const timeout = this.#options.closeTimeoutMs ?? 5000;
    const slots = [...this.#slots];
    await Promise.all(
      slots.map(async (slot) => {
        slot.closing = true;
        slot.worker.postMessage({ type: 'close' });
        const timer = setTimeout(() => {
          this.#closeErrors.push(`a worker did not close within ${timeout / 1000} s and was terminated`);
          void slot.worker.terminate();
        }, timeout);
        timer.unref();
        await slot.exited;
        clearTimeout(timer);
        this.#closeErrors.push(...slot.closeErrors);
      }),
    );
    return [...this.#closeErrors];
  }
}
