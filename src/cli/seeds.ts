import { randomInt } from 'node:crypto';
import { InvalidInputError } from '../errors.js';

/** A fresh campaign seed (printed by every command that draws one). */
export function randomSeed(): number {
  return randomInt(1, 2 ** 31 - 1);
}

/** $CARDFUZZ_SEED, when set: the seed of every command that takes --seed and is not given one. */
export function seedFromEnvironment(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env['CARDFUZZ_SEED'];
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new InvalidInputError(`CARDFUZZ_SEED=${value}: expected a non-negative integer`);
  return Number(value);
}
