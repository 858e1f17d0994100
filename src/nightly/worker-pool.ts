import { Worker } from 'node:worker_threads';
import type { RunSlice, WorkerMessage, WorkerSetup } from './worker-protocol.js';

/**
 * A fixed pool of campaign workers (worker threads, one database each). Slices
 * are handed to whichever worker is idle; messages are passed to the handler
 * as they arrive, so nothing a worker found is lost if the run is stopped.
 */
export class WorkerPool {
  readonly #workers: Worker[];
  readonly #idle: Worker[];
  readonly #waiting: { slice: RunSlice; resolve: () => void; reject: (error: Error) => void }[] = [];
  readonly #pending = new Map<number, { worker: Worker; resolve: () => void; reject: (error: Error) => void }>();
  readonly #onMessage: (message: WorkerMessage) => void;

  constructor(size: number, entry: URL, setup: WorkerSetup, onMessage: (message: WorkerMessage) => void) {
    this.#onMessage = onMessage;
    this.#workers = Array.from({ length: size }, () => {
      const worker = new Worker(entry, { workerData: setup });
      worker.on('message', (message: WorkerMessage) => this.#receive(worker, message));
      worker.on('error', (error) => {
        for (const [slice, p] of this.#pending) {
          if (p.worker !== worker) continue;
          this.#pending.delete(slice);
          p.reject(error);
        }
      });
      return worker;
    });
    this.#idle = [...this.#workers];
  }

  get size(): number {
    return this.#workers.length;
  }

  /** Runs one slice; resolves when its worker reports it done (or failed, rejecting). */
  run(slice: RunSlice): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ slice, resolve, reject });
      this.#dispatch();
    });
  }

  #dispatch(): void {
    while (this.#idle.length > 0 && this.#waiting.length > 0) {
      const worker = this.#idle.shift()!;
      const { slice, resolve, reject } = this.#waiting.shift()!;
      this.#pending.set(slice.slice, { worker, resolve, reject });
      worker.postMessage(slice);
    }
  }

  #receive(worker: Worker, message: WorkerMessage): void {
    this.#onMessage(message);
    if (message.type !== 'done' && message.type !== 'failed') return;
    const pending = this.#pending.get(message.slice);
    if (pending === undefined) return;
    this.#pending.delete(message.slice);
    this.#idle.push(worker);
    if (message.type === 'done') pending.resolve();
    else pending.reject(new Error(message.message));
    this.#dispatch();
  }

  async close(): Promise<void> {
    await Promise.all(
      this.#workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            worker.once('exit', () => resolve());
            worker.postMessage({ type: 'close' });
            setTimeout(() => void worker.terminate(), 5000).unref();
          }),
      ),
    );
  }
}
