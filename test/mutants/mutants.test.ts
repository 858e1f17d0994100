import { describe, expect, it } from 'vitest';
import { PROPERTY_IDS } from '../../properties/index.js';
import { fuzz } from '../helpers/fuzz.js';
import { PLANTED_BUGS } from './planted-bugs.js';

/**
 * The kill matrix: every planted bug is caught by the properties it names
 * (seeded campaigns of 1,500 cases), and every property catches at least one
 * planted bug — a property that catches nothing would be vacuous.
 */
describe('planted-bug matrix (seed 42)', () => {
  const caught = new Map<string, Set<string>>();

  it.each(PLANTED_BUGS.map((b) => [b.name, b] as const))('catches: %s', async (_name, bug) => {
    const result = await fuzz(bug.profile, { ...(bug.settings ? { settings: bug.settings } : {}), ...(bug.mutation ? { mutation: bug.mutation } : {}), ...(bug.cases ? { cases: bug.cases } : {}) });
    const failing = new Set(result.findings.map((f) => f.property));
    caught.set(bug.name, failing);
    for (const property of bug.caughtBy) expect([bug.name, property, failing.has(property)]).toEqual([bug.name, property, true]);
  });

  it('leaves no property that catches nothing', () => {
    expect(caught.size).toBe(PLANTED_BUGS.length);
    const catching = new Set([...caught.values()].flatMap((s) => [...s]));
    for (const id of PROPERTY_IDS) expect([id, catching.has(id)]).toEqual([id, true]);
  });
});
