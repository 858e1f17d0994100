import fc from 'fast-check';
import type { CollectionSpec, CollectionVia, ItemSpec } from './case-spec.js';
import type { GeneratorConstraints } from './constraints.js';

/**
 * Collections of a given type with element counts biased to the cardinality
 * boundaries (empty, one, two, a few), nested as the type says.
 *
 * Shrinks towards: fewer elements, emptier inner collections, an unpaired
 * `paired_or_unpaired`.
 */
export function collectionOfType(type: string, constraints: GeneratorConstraints): fc.Arbitrary<CollectionSpec> {
  const [head, ...rest] = type.split(':');
  const inner = rest.join(':');
  const child: fc.Arbitrary<CollectionSpec | null> = inner === '' ? fc.constant(null) : collectionOfType(inner, constraints);
  let elements: fc.Arbitrary<readonly (CollectionSpec | null)[]>;
  if (head === 'paired') elements = fc.tuple(child, child);
  else if (head === 'paired_or_unpaired') elements = fc.oneof({ withCrossShrink: true }, fc.tuple(child), fc.tuple(child, child));
  else {
    const maxLength = rest.length > 0 ? constraints.maxInnerLength : constraints.maxCollectionLength;
    elements = fc.array(child, { minLength: Math.min(constraints.minCollectionLength, maxLength), maxLength });
  }
  return elements.map((e) => ({ type, elements: e }));
}

/** Collection types a dataset parameter is mapped over (S7, S8, S10, S21). */
export const MAPPED_COLLECTION_TYPES = ['list', 'list:list', 'list:paired', 'paired', 'paired_or_unpaired', 'list:paired_or_unpaired', 'sample_sheet'] as const;

/** How a collection is referenced: mostly as an HDCA, sometimes as an element of a wrapping list (dce). */
export function via(type: string): fc.Arbitrary<CollectionVia> {
  // A sample sheet can only be outermost, so it is never wrapped.
  return type.startsWith('sample_sheet') ? fc.constant('hdca') : fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant<CollectionVia>('hdca'), weight: 4 }, { arbitrary: fc.constant<CollectionVia>('dce'), weight: 1 });
}

/** A reference to a collection of `type`, optionally mapped over at `mapOverType`. */
export function collectionItem(type: string, constraints: GeneratorConstraints, mapOverType?: string): fc.Arbitrary<ItemSpec> {
  return fc.record({ collection: collectionOfType(type, constraints), via: via(type) }).map(({ collection, via: v }) => ({
    kind: 'collection' as const,
    collection,
    via: v,
    ...(mapOverType === undefined ? {} : { mapOverType }),
  }));
}

/** A reference to a collection of any mapped type, flattened to its datasets (no map_over_type). */
export function anyMappedCollectionItem(constraints: GeneratorConstraints): fc.Arbitrary<ItemSpec> {
  return fc.oneof(
    { withCrossShrink: true },
    ...MAPPED_COLLECTION_TYPES.map((type, i) => ({ arbitrary: collectionItem(type, constraints), weight: i === 0 ? 6 : i < 3 ? 3 : 1 })),
  );
}
