import { randomInt } from 'node:crypto';

/** A fresh campaign seed (printed by every command that draws one). */
export function randomSeed(): number {
  return randomInt(1, 2 ** 31 - 1);
}
