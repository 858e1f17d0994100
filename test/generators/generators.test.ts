import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseArbitrary, fuzzCaseArbitrary } from '../../generators/case.js';
import { workflowCaseArbitrary } from '../../generators/workflow.js';
import { NO_SINGLE_EXPANSION } from '../../src/executor/execute-case.js';
import { expandCase } from '../../src/expansion/expand-case.js';
import { classifyShapes, SHAPE_IDS, type ShapeId } from '../../src/expansion/shape-classes.js';
import { parseCase } from '../../src/model/parse-case.js';
import { DEFAULT_SETTINGS } from '../../src/profiles/builtin-profiles.js';
import { expansionSettingsOf } from '../../src/profiles/settings.js';

/** Generator contracts: valid cases, determinism per seed, and every request shape reached. */
describe('caseArbitrary', () => {
  const samples = fc.sample(caseArbitrary(), { numRuns: 4000, seed: 7 });

  it('generates only cases that parseCase accepts unchanged', () => {
    for (const c of samples) expect(parseCase(JSON.parse(JSON.stringify(c)))).toEqual(c);
  });

  it('generates the same cases for the same seed', () => {
    expect(fc.sample(caseArbitrary(), { numRuns: 50, seed: 7 })).toEqual(samples.slice(0, 50));
  });

  it('reaches every shape S1–S22, the workflow-step shapes and the legacy entry; the default mix adds the workflow invocation shapes', () => {
    const counts = new Map<ShapeId, number>();
    for (const c of samples) for (const s of classifyShapes(c, expandCase(c, expansionSettingsOf(DEFAULT_SETTINGS)))) counts.set(s, (counts.get(s) ?? 0) + 1);
    const invocationShapes: readonly ShapeId[] = ['WI', 'WS', 'WB'];
    expect(SHAPE_IDS.filter((s) => !invocationShapes.includes(s) && (counts.get(s) ?? 0) === 0)).toEqual([]);
    const mixed = new Map<ShapeId, number>();
    for (const c of fc.sample(fuzzCaseArbitrary(), { numRuns: 1000, seed: 7 })) for (const s of classifyShapes(c, NO_SINGLE_EXPANSION)) mixed.set(s, (mixed.get(s) ?? 0) + 1);
    expect(invocationShapes.filter((s) => (mixed.get(s) ?? 0) === 0)).toEqual([]);
  });

  it('generates workflow invocation cases that parseCase accepts unchanged, the same for the same seed', () => {
    const workflows = fc.sample(workflowCaseArbitrary(), { numRuns: 500, seed: 7 });
    for (const c of workflows) expect(parseCase(JSON.parse(JSON.stringify(c)))).toEqual(c);
    expect(fc.sample(workflowCaseArbitrary(), { numRuns: 20, seed: 7 })).toEqual(workflows.slice(0, 20));
  });

  it('generates input collections an upload still populates: populated before a later pass, never, or failed', () => {
    const workflows = fc.sample(workflowCaseArbitrary(), { numRuns: 500, seed: 7 });
    const later = workflows.filter((c) => Object.values(c.scheduling?.populated_at ?? {}).some((pass) => pass > 0));
    const never = workflows.filter((c) => c.history.collections.some((h) => h.populated_state === 'new' && c.scheduling?.populated_at?.[String(h.id)] === undefined));
    const failed = workflows.filter((c) => c.history.collections.some((h) => h.populated_state === 'failed'));
    expect([later.length, never.length, failed.length].every((n) => n > 5)).toBe(true);
    // Each named collection is one the history has, not yet populated.
    for (const c of later) for (const id of Object.keys(c.scheduling!.populated_at!)) expect(c.history.collections.find((h) => h.id === Number(id))?.populated_state).toBe('new');
  });

  it('biases towards cardinality boundaries: empty, single and several', () => {
    const batches = samples.flatMap((c) => Object.values(c.request) as unknown[]).filter((v): v is { values: unknown[] } => typeof v === 'object' && v !== null && 'values' in v);
    const lengths = new Set(batches.map((b) => Math.min(b.values.length, 3)));
    expect([...lengths].sort()).toEqual([0, 1, 2, 3]);
    const empties = samples.filter((c) => c.history.collections.some((x) => x.elements.length === 0)).length;
    expect(empties).toBeGreaterThan(samples.length / 50);
  });
});
