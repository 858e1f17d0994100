import { InvalidInputError } from '../errors.js';

export function checkInteger(value: number | undefined, option: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < min) throw new InvalidInputError(`${option}: expected an integer of at least ${min}, got ${String(value)}`);
  return value;
}
