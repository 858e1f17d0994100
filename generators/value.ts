import fc from 'fast-check';
import type { ItemSpec, LinkedSpec, ValueSpec } from './case-spec.js';
import { anyMappedCollectionItem, collectionItem, collectionOfType } from './collection.js';
import type { GeneratorConstraints } from './constraints.js';

/**
 * Request values for each kind of dataset parameter, weighted towards the
 * shapes that stress cardinality: plain Batches of several datasets (S2–S6),
 * map-over of one collection (S7–S10, S21), empty Batches and collections
 * (S8, S19), subcollection mapping (S9, S16), whole-collection reductions
 * (S15, S17, S18), and the shapes Galaxy rejects.
 *
 * Shrinks towards: a single dataset, then shorter Batches, an absent
 * `linked`, smaller collections.
 */

/** Which request values the entry point allows: workflow steps connect one value per input, mapping linked collections only. */
export type ValueMode = 'request' | 'workflow-step';

const DATASET: ItemSpec = { kind: 'dataset' };

export function linked(): fc.Arbitrary<LinkedSpec> {
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.constant<LinkedSpec>('absent'), weight: 5 },
    { arbitrary: fc.constant<LinkedSpec>(false), weight: 2 },
    { arbitrary: fc.constant<LinkedSpec>(true), weight: 1 },
    { arbitrary: fc.constant<LinkedSpec>(null), weight: 1 },
  );
}

function single(item: fc.Arbitrary<ItemSpec>): fc.Arbitrary<ValueSpec> {
  return item.map((i) => ({ kind: 'single' as const, item: i }));
}

function batch(items: fc.Arbitrary<readonly ItemSpec[]>, mode: ValueMode): fc.Arbitrary<ValueSpec> {
  const link = mode === 'workflow-step' ? fc.constant<LinkedSpec>('absent') : linked();
  return fc.record({ linked: link, items }).map(({ linked: l, items: i }) => ({ kind: 'batch' as const, linked: l, items: i }));
}

function datasets(constraints: GeneratorConstraints): fc.Arbitrary<readonly ItemSpec[]> {
  return fc.array(fc.constant(DATASET), { minLength: constraints.minBatchLength, maxLength: constraints.maxBatchLength });
}

/** A `data` parameter without `multiple`. */
export function dataValue(constraints: GeneratorConstraints, mode: ValueMode): fc.Arbitrary<ValueSpec> {
  const mapOver = batch(anyMappedCollectionItem(constraints).map((i) => [i]), mode);
  if (mode === 'workflow-step') {
    return fc.oneof({ withCrossShrink: true }, { arbitrary: single(fc.constant(DATASET)), weight: 3 }, { arbitrary: mapOver, weight: 4 });
  }
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: single(fc.constant(DATASET)), weight: 20 },
    { arbitrary: batch(datasets(constraints), mode), weight: 13 },
    { arbitrary: mapOver, weight: 10 },
    // Galaxy rejects these: a dce without a child collection, subcollections or whole collections on a plain data parameter.
    { arbitrary: batch(fc.constant([{ kind: 'dataset-element' as const }]), mode), weight: 1 },
    { arbitrary: batch(collectionItem('list:list', constraints, 'list').map((i) => [i]), mode), weight: 1 },
    { arbitrary: batch(fc.array(collectionItem('list', constraints), { minLength: 2, maxLength: 3 }), mode), weight: 1 },
  );
}

/** A `data` parameter with `multiple="true"`: lists and whole collections are reduced by one job. */
export function multipleDataValue(constraints: GeneratorConstraints, mode: ValueMode): fc.Arbitrary<ValueSpec> {
  const subcollectionMapOver = batch(collectionItem('list:list', constraints, 'list').map((i) => [i]), mode);
  const listOf = fc.array(fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant(DATASET), weight: 4 }, { arbitrary: collectionItem('list', constraints), weight: 1 }), {
    minLength: 1,
    maxLength: constraints.maxBatchLength,
  });
  if (mode === 'workflow-step') {
    return fc.oneof({ withCrossShrink: true }, single(fc.constant(DATASET)), single(collectionItem('list', constraints)), subcollectionMapOver);
  }
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: single(fc.constant(DATASET)), weight: 2 },
    { arbitrary: listOf.map((items) => ({ kind: 'list' as const, items })), weight: 3 },
    { arbitrary: single(collectionItem('list', constraints)), weight: 2 },
    { arbitrary: batch(datasets(constraints), mode), weight: 2 },
    { arbitrary: subcollectionMapOver, weight: 3 },
    { arbitrary: batch(fc.array(collectionItem('list', constraints), { minLength: 2, maxLength: 3 }), mode), weight: 1 },
  );
}

export const COLLECTION_PARAM_TYPES = ['list', 'paired', 'list:paired'] as const;

/** A `data_collection` parameter of `collectionType`. */
export function collectionValue(collectionType: string, constraints: GeneratorConstraints, mode: ValueMode): fc.Arbitrary<ValueSpec> {
  const whole = single(collectionItem(collectionType, constraints));
  const mapOver = batch(collectionItem(`list:${collectionType}`, constraints, collectionType).map((i) => [i]), mode);
  if (mode === 'workflow-step') return fc.oneof({ withCrossShrink: true }, whole, mapOver);
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: whole, weight: 9 },
    { arbitrary: mapOver, weight: 12 },
    { arbitrary: batch(fc.array(collectionItem(collectionType, constraints), { minLength: constraints.minBatchLength, maxLength: 3 }), mode), weight: 9 },
    // Galaxy rejects a collection parameter mapped down to datasets (no map_over_type).
    { arbitrary: batch(collectionOfType(collectionType, constraints).map((c) => [{ kind: 'collection' as const, collection: c, via: 'hdca' as const }]), mode), weight: 1 },
  );
}
