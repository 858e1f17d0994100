/**
 * Collection type descriptions (Galaxy's `type_description.py`, newest
 * semantics), as plain string functions: `list`, `paired`, `list:paired`,
 * `paired_or_unpaired`, `sample_sheet`, and any colon-joined nesting of them.
 */

export const COLLECTION_TYPE_SEGMENTS = ['list', 'paired', 'paired_or_unpaired', 'sample_sheet'] as const;

export function collectionTypeSegments(type: string): string[] {
  return type.split(':');
}

export function isValidCollectionType(type: string): boolean {
  const segments = collectionTypeSegments(type);
  return segments.every(
    (segment, index) => (COLLECTION_TYPE_SEGMENTS as readonly string[]).includes(segment) && (segment !== 'sample_sheet' || index === 0),
  );
}

/** A sample sheet is compared as the list it is, once its input side has been checked. */
function asList(type: string): string {
  return type.startsWith('sample_sheet') ? `list${type.slice('sample_sheet'.length)}` : type;
}

/**
 * Whether an input declared `required` accepts a collection of type `given`
 * directly, without mapping over it (Galaxy's `accepts`): the same type; a
 * `paired` where `paired_or_unpaired` is declared; `X` or `X:paired` where
 * `X:paired_or_unpaired` is declared. A sample-sheet input needs a sample sheet.
 */
export function acceptsType(required: string, given: string): boolean {
  if (required.startsWith('sample_sheet') && !given.startsWith('sample_sheet')) return false;
  const r = asList(required);
  const g = asList(given);
  if (r === g) return true;
  if (r === 'paired_or_unpaired' && g === 'paired') return true;
  if (r.endsWith(':paired_or_unpaired')) {
    const plain = r.slice(0, -':paired_or_unpaired'.length);
    return g === plain || g === `${plain}:paired`;
  }
  return false;
}

/** Two linked collections can be matched (Galaxy's symmetric `compatible`). */
export function compatibleTypes(a: string, b: string): boolean {
  return acceptsType(a, b) || acceptsType(b, a);
}

/**
 * The subcollection type a `map_over_type` effectively splits at, or
 * `undefined` when `type` cannot be mapped over with it (Galaxy's
 * `has_subcollections_of_type` / `can_map_over`): a proper suffix of the type;
 * `paired_or_unpaired` splits an `X:paired` at its pairs.
 */
export function effectiveSubcollectionType(type: string, mapOverType: string): string | undefined {
  const t = collectionTypeSegments(asList(type));
  const requested = mapOverType === 'paired_or_unpaired' && t[t.length - 1] === 'paired' ? 'paired' : asList(mapOverType);
  const s = collectionTypeSegments(requested);
  if (s.length >= t.length) return undefined;
  return t.slice(t.length - s.length).join(':') === requested ? requested : undefined;
}

/** The type of the mapped axis when `type` is split at `subcollectionType` (`list:paired` split at `paired` is `list`). */
export function mappedPrefixType(type: string, subcollectionType: string | undefined): string {
  if (subcollectionType === undefined) return type;
  const t = collectionTypeSegments(type);
  return t.slice(0, t.length - collectionTypeSegments(subcollectionType).length).join(':');
}

/** The collection type of the subcollections when `type` is split at `subcollectionType`. */
export function subcollectionTypeOf(type: string, subcollectionType: string): string {
  const t = collectionTypeSegments(type);
  return t.slice(t.length - collectionTypeSegments(subcollectionType).length).join(':');
}
