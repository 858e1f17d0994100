/**
 * Collection type descriptions (Galaxy's model/dataset_collections/type_description.py,
 * newest semantics as its unit tests state them), as plain string functions:
 * `list`, `paired`, `list:paired`, `paired_or_unpaired`, `record`,
 * `sample_sheet`, and any colon-joined nesting of them.
 */

export const COLLECTION_TYPE_SEGMENTS = ['list', 'paired', 'paired_or_unpaired', 'record', 'sample_sheet'] as const;

/**
 * The `map_over_type` that promotes every dataset to a one-element
 * `paired_or_unpaired` collection (subcollections.py `_split_dataset_collection`
 * with `PromoteCollectionElementToCollectionAdapter`).
 */
export const SINGLE_DATASETS = 'single_datasets';

export function collectionTypeSegments(type: string): string[] {
  return type.split(':');
}

export function isValidCollectionType(type: string): boolean {
  const segments = collectionTypeSegments(type);
  return segments.every(
    (segment, index) => (COLLECTION_TYPE_SEGMENTS as readonly string[]).includes(segment) && (segment !== 'sample_sheet' || index === 0),
  );
}

/** A valid `map_over_type`: a collection type or `single_datasets`. */
export function isValidMapOverType(type: string): boolean {
  return type === SINGLE_DATASETS || isValidCollectionType(type);
}

/** A sample sheet is compared as the list it is, once its input side has been checked. */
function asList(type: string): string {
  return type.startsWith('sample_sheet') ? `list${type.slice('sample_sheet'.length)}` : type;
}

/**
 * Whether an input declared `required` accepts a collection of type `given`
 * directly, without mapping over it (Galaxy's `can_match_type`): the same type; a
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

/**
 * Whether a collection parameter accepts `given` directly (tools/parameters/history_query.py
 * `HistoryQuery.direct_match`): any of its alternatives does, and a parameter
 * without a collection_type (`null`) accepts every type.
 */
export function acceptsAnyOf(alternatives: readonly string[] | null, given: string): boolean {
  return alternatives === null || alternatives.some((required) => acceptsType(required, given));
}

/** Two linked collections can be matched (Galaxy's symmetric `compatible`). */
export function compatibleTypes(a: string, b: string): boolean {
  return acceptsType(a, b) || acceptsType(b, a);
}

/**
 * Where a collection of `type` splits when mapped over with `mapOverType`
 * (Galaxy's `has_subcollections_of_type` / `effective_collection_type` and
 * subcollections.py `_split_dataset_collection`): the type of the
 * subcollections actually found (a proper suffix of `type` on a `:` boundary),
 * `SINGLE_DATASETS` when every dataset becomes a one-element
 * `paired_or_unpaired` collection, or `undefined` when it cannot be split so.
 *
 * - `paired_or_unpaired` splits an `X:paired` at its pairs and an
 *   `X:paired_or_unpaired` at those, and promotes the datasets of anything
 *   else but `paired` itself ("acts like single_datasets");
 * - `P:paired_or_unpaired` takes subcollections `P:paired` or, failing that, `P`
 *   (whose datasets are each unpaired);
 * - `single_datasets` splits any collection into its datasets.
 */
export function effectiveSubcollectionType(type: string, mapOverType: string): string | undefined {
  if (mapOverType === SINGLE_DATASETS) return SINGLE_DATASETS;
  const t = collectionTypeSegments(asList(type));
  const rank = t.length;
  const suffix = (n: number): string => t.slice(rank - n).join(':');
  if (mapOverType === 'paired_or_unpaired') {
    if (asList(type) === 'paired' || asList(type) === 'paired_or_unpaired') return undefined;
    const last = t[rank - 1];
    if (rank > 1 && (last === 'paired' || last === 'paired_or_unpaired')) return last;
    return SINGLE_DATASETS;
  }
  const requested = asList(mapOverType);
  const s = collectionTypeSegments(requested);
  if (requested.endsWith(':paired_or_unpaired')) {
    // Try the subcollection with pairs first (rank of the request), then the plain prefix (one rank less).
    for (const n of [s.length, s.length - 1]) {
      if (n >= 1 && n < rank && acceptsType(requested, suffix(n))) return suffix(n);
    }
    return undefined;
  }
  if (s.length >= rank) return undefined;
  return suffix(s.length) === requested ? requested : undefined;
}

/** The type of the mapped axis when `type` is split at `subcollectionType` (`list:paired` split at `paired` is `list`). */
export function mappedPrefixType(type: string, subcollectionType: string | undefined): string {
  if (subcollectionType === undefined || subcollectionType === SINGLE_DATASETS) return type;
  const t = collectionTypeSegments(type);
  return t.slice(0, t.length - collectionTypeSegments(subcollectionType).length).join(':');
}

/** The collection type of the subcollections when `type` is split at `subcollectionType`. */
export function subcollectionTypeOf(type: string, subcollectionType: string): string {
  if (subcollectionType === SINGLE_DATASETS) return 'paired_or_unpaired';
  const t = collectionTypeSegments(type);
  return t.slice(t.length - collectionTypeSegments(subcollectionType).length).join(':');
}

/**
 * The subcollection type a workflow connection maps over when a collection
 * parameter does not accept `given` directly (history_query.py
 * `HistoryQuery.can_map_over`): the alternatives sorted by dimension, highest
 * first, and the first of which `given` has proper subcollections; `undefined`
 * when none (or when the parameter accepts any type).
 */
export function canMapOver(alternatives: readonly string[] | null, given: string): string | undefined {
  if (alternatives === null) return undefined;
  const sorted = [...alternatives].sort((a, b) => collectionTypeSegments(b).length - collectionTypeSegments(a).length);
  for (const candidate of sorted) {
    const split = effectiveSubcollectionType(given, candidate);
    if (split !== undefined && split !== SINGLE_DATASETS) return candidate;
  }
  return undefined;
}
