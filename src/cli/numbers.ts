import { cpus } from 'node:os';
import { InvalidInputError } from '../errors.js';

export function checkInteger(value: number | undefined, option: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < min) throw new InvalidInputError(`${option}: expected an integer of at least ${min}, got ${String(value)}`);
  return value;
}

/** `--workers N`: worker threads, one database each; by default one per CPU (the nightly, the bench and `run --tool DIR` alike). */
export function workerCount(value: number | undefined): number {
  return checkInteger(value, '--workers', 1) ?? Math.max(1, cpus().length);
}
