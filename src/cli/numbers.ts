import { cpus } from 'node:os';
import { InvalidInputError } from '../errors.js';

export function checkInteger(value: number | undefined, option: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < min) throw new InvalidInputError(`${option}: expected an integer of at least ${min}, got ${String(value)}`);
  return value;
}

/** `--workers N`: worker threads, one database each; by default one per CPU (the nightly and the bench). */
export function workerCount(value: number | undefined): number {
  return checkInteger(value, '--workers', 1) ?? Math.max(1, cpus().length);
}

/**
 * `run --tool DIR --workers N`: by default one worker thread fewer than the
 * CPUs, and none (the tools run one after another on the main thread) on two
 * CPUs or fewer, where the pool measured slower than one thread: each worker
 * starts and warms up on its own, and a tool's work is short (npm run bench,
 * docs/performance.md).
 */
export function toolWorkerCount(value: number | undefined): number {
  return checkInteger(value, '--workers', 1) ?? Math.max(1, cpus().length - 1);
}
