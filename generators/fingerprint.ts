import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { caseArbitrary } from './case.js';
import { DEFAULT_CONSTRAINTS, type GeneratorConstraints } from './constraints.js';

/**
 * A fingerprint of what the generators produce: a hash of the first cases
 * they draw for a fixed seed. It changes exactly when generation changes, so
 * a regression case's seed and path are known to be stale (its stored case
 * still replays).
 */
export function generatorFingerprint(constraints: GeneratorConstraints = DEFAULT_CONSTRAINTS): string {
  const sample = fc.sample(caseArbitrary(constraints), { numRuns: 40, seed: 20261126 });
  return createHash('sha256').update(JSON.stringify(sample)).digest('hex').slice(0, 16);
}
