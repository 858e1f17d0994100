import type { Case } from '../model/case.js';
import type { WorkflowCase } from '../model/workflow.js';
import type { Expansion } from './expansion.js';

/**
 * Which request shapes of galaxy-semantics §2.5 (S1–S22) a case exercises,
 * plus the workflow-step shapes (W1–W5) and the legacy entry (L). Used for
 * coverage reports and as the shape class in finding fingerprints.
 */

export const SHAPES = {
  S1: 'single dataset, no Batch',
  S2: 'Batch of N datasets, linked',
  S3: 'Batch of N datasets, linked: false',
  S4: 'two batched parameters, both linked',
  S5: 'two batched parameters, both unlinked',
  S6: 'one linked and one unlinked batched parameter',
  S7: 'Batch of one list collection on a data parameter (map-over)',
  S8: 'map-over of an empty collection',
  S9: 'subcollection map-over (map_over_type) on a collection parameter',
  S10: 'nested collection flattened to its datasets',
  S11: 'two collections mapped, linked',
  S12: 'two collections mapped, unlinked',
  S13: 'map-over plus a plain Batch, linked',
  S14: 'map-over plus a plain Batch, unlinked',
  S15: 'multiple="true" parameter reducing a list or collection',
  S16: 'multiple="true" parameter mapped over subcollections',
  S17: 'collection parameter given one whole collection',
  S18: 'collection parameter given a Batch of several collections',
  S19: 'empty Batch',
  S20: 'Batch inside a conditional, repeat or section',
  S21: 'map-over of a dce (collection element)',
  S22: 'several combinations with rerun/remap, or a data source tool',
  W1: 'workflow step, not mapped',
  W2: 'workflow step mapped over a collection',
  W3: 'workflow step mapped over an empty collection',
  W4: 'workflow step scheduled in several iterations',
  W5: 'workflow step whose state capture did not validate',
  L: 'legacy POST /api/tools entry',
  WI: 'whole workflow invocation (input, tool, pause and conditional steps)',
  WS: 'workflow invocation with a subworkflow step',
  WB: 'batch of workflow invocations (linked or product)',
} as const;

export type ShapeId = keyof typeof SHAPES;
export const SHAPE_IDS = Object.keys(SHAPES) as ShapeId[];

/** Most specific first: the first shape a case has is its shape class. */
const PRIORITY: readonly ShapeId[] = [
  'S22', 'S14', 'S13', 'S12', 'S11', 'S8', 'W3', 'S21', 'S16', 'S9', 'S10', 'S7', 'S18', 'S17', 'S15', 'S19', 'S6', 'S5', 'S4', 'S3', 'S2', 'S20', 'W4', 'W5', 'W2', 'W1', 'S1', 'L', 'WB', 'WS', 'WI',
];

/** One bit per shape (31 shapes: they fit a 31-bit integer). */
if (PRIORITY.length > 31 || SHAPE_IDS.some((s) => !PRIORITY.includes(s))) throw new Error('every shape needs a place in PRIORITY, and at most 31 fit the shape bits');
export const SHAPE_BIT = Object.fromEntries(PRIORITY.map((s, i) => [s, 1 << i])) as Readonly<Record<ShapeId, number>>;
const bitOf = (s: ShapeId): number => SHAPE_BIT[s];

/**
 * The shapes a case exercises, as a set of bits (`SHAPE_BIT`): the
 * cardinality map classifies every generated case and counts shape sets, so
 * this allocates no set. `shapesIn` lists them in priority order.
 */
export function shapeBits(c: Case, expansion: Expansion): number {
  if (c.entry === 'workflow-invocation') return workflowShapeBits(c);
  let shapes = 0;
  const params = expansion.params;
  const batched = params.filter((p) => p.classification !== 'single');
  const mapped = batched.filter((p) => p.mapOver !== null);
  const plain = batched.filter((p) => p.mapOver === null && (p.input.type === 'data' || p.input.type === 'data_collection'));
  if (c.entry === 'legacy') shapes |= SHAPE_BIT.L;
  if (!expansion.ok && (expansion.error.message.includes('rerun') || expansion.error.message.includes('data source'))) shapes |= SHAPE_BIT.S22;
  if (batched.length === 0) {
    if (params.some((p) => p.input.type === 'data' && p.input.multiple === true)) shapes |= SHAPE_BIT.S15;
    else if (params.some((p) => p.input.type === 'data_collection')) shapes |= SHAPE_BIT.S17;
    else shapes |= SHAPE_BIT.S1;
  }
  for (const p of batched) {
    if (p.batchValues === 0) shapes |= SHAPE_BIT.S19;
    if (p.key.includes('|')) shapes |= SHAPE_BIT.S20;
  }
  if (mapped.length === 0) {
    const linkedPlain = plain.filter((p) => p.classification === 'matched');
    const unlinkedPlain = plain.filter((p) => p.classification === 'multiplied');
    if (plain.some((p) => p.input.type === 'data_collection' && (p.batchValues ?? 0) >= 2)) shapes |= SHAPE_BIT.S18;
    if (linkedPlain.length >= 1 && unlinkedPlain.length >= 1) shapes |= SHAPE_BIT.S6;
    else if (linkedPlain.length >= 2) shapes |= SHAPE_BIT.S4;
    else if (unlinkedPlain.length >= 2) shapes |= SHAPE_BIT.S5;
    else if (unlinkedPlain.length === 1) shapes |= SHAPE_BIT.S3;
    else if (linkedPlain.length === 1) shapes |= SHAPE_BIT.S2;
  } else {
    if (mapped.length >= 2) shapes |= bitOf(mapped.every((m) => m.classification === 'matched') ? 'S11' : 'S12');
    if (plain.length > 0) shapes |= bitOf(plain.some((p) => p.classification === 'multiplied') || mapped.some((m) => m.classification === 'multiplied') ? 'S14' : 'S13');
    for (const m of mapped) {
      const info = m.mapOver!;
      if (info.source.elementPath.length > 0) shapes |= SHAPE_BIT.S21;
      if (info.subcollectionType !== null) shapes |= bitOf(m.input.type === 'data' && m.input.multiple ? 'S16' : 'S9');
      else if (info.collectionType.includes(':')) shapes |= SHAPE_BIT.S10;
      else shapes |= SHAPE_BIT.S7;
      if (m.batchLength === 0) shapes |= bitOf(c.entry === 'workflow-step' ? 'W3' : 'S8');
    }
  }
  if (c.entry === 'workflow-step') {
    shapes |= bitOf(mapped.length > 0 ? 'W2' : 'W1');
    if (c.step?.job_limit !== undefined && expansion.ok && expansion.combinations.length > c.step.job_limit) shapes |= SHAPE_BIT.W4;
    if (c.step?.state !== undefined && c.step.state !== 'validated') shapes |= SHAPE_BIT.W5;
  }
  return shapes;
}

/** A workflow invocation's shapes, read off the case: a batch of invocations, a subworkflow step, and always WI. */
function workflowShapeBits(c: WorkflowCase): number {
  let shapes = SHAPE_BIT.WI;
  if (Object.values(c.invocation.inputs).some((v) => v !== null && typeof v === 'object' && !Array.isArray(v) && (v as { batch?: unknown }).batch === true)) shapes |= SHAPE_BIT.WB;
  if (Object.values(c.workflow.steps).some((s) => s.type === 'subworkflow')) shapes |= SHAPE_BIT.WS;
  return shapes;
}

/** The case's shapes, most specific first (a workflow step's own shapes first). */
export function classifyShapes(c: Case, expansion: Expansion): ShapeId[] {
  return shapesIn(shapeBits(c, expansion), c.entry);
}

/** The shapes of a `shapeBits` set, in the priority order of the entry. */
export function shapesIn(bits: number, entry: Case['entry']): ShapeId[] {
  const out: ShapeId[] = [];
  for (const s of entry === 'workflow-step' ? WORKFLOW_PRIORITY : PRIORITY) if ((bits & SHAPE_BIT[s]) !== 0) out.push(s);
  return out;
}

/** A workflow step's own shapes say more about it than the request shapes it shares with tool requests. */
const WORKFLOW_PRIORITY: readonly ShapeId[] = ['W3', 'W4', 'W5', ...PRIORITY.filter((s) => !s.startsWith('W'))].concat(['W2', 'W1']).filter((s, i, all) => all.indexOf(s) === i) as ShapeId[];

/** The case's most specific shape: the shape class of a finding's fingerprint. */
export function shapeClassOf(c: Case, expansion: Expansion): ShapeId {
  return classifyShapes(c, expansion)[0] ?? 'S1';
}
