/**
 * The history a request runs against: datasets (HDAs) and collections (HDCAs).
 * Element trees are plain data; a collection element holds a dataset id or a
 * nested collection.
 */

/**
 * Dataset states Galaxy's `DataToolParameter.from_json` (tools/parameters/basic.py)
 * refuses as inputs: "the previously selected dataset has entered an unusable state".
 */
export const UNUSABLE_DATASET_STATES = ['error', 'discarded'] as const;

export interface HistoryDataset {
  readonly id: number;
  /** Galaxy's `deleted`: a deleted dataset is refused as an input (basic.py `DataToolParameter.from_json`). */
  readonly deleted?: boolean;
  /** Galaxy's dataset `state` ("ok" when absent); "error" and "discarded" are refused as inputs. */
  readonly state?: string;
  /** Galaxy's `extension` (`ext` in Python), which output filters read as `input.ext`. */
  readonly extension?: string;
  /** Galaxy's `dbkey` ("?" when absent). */
  readonly dbkey?: string;
  /** Set when the dataset was made from a `{"src": "url"}` request value before the job (it is not in the user's history beforehand). */
  readonly url?: string;
}

export interface DatasetElement {
  readonly identifier: string;
  readonly dataset: number;
}

export interface NestedCollection {
  readonly collection_type: string;
  readonly elements: readonly CollectionElement[];
}

export interface SubcollectionElement {
  readonly identifier: string;
  readonly collection: NestedCollection;
}

export type CollectionElement = DatasetElement | SubcollectionElement;

export interface HistoryCollection extends NestedCollection {
  readonly id: number;
  /** Galaxy's `deleted` on the HDCA: "the previously selected dataset collection has been deleted". */
  readonly deleted?: boolean;
  /** Galaxy's `populated_state` ("ok" when absent); mapping over one not populated raises "An input collection is not populated." (meta.py). */
  readonly populated_state?: string;
}

export interface History {
  readonly datasets: readonly HistoryDataset[];
  readonly collections: readonly HistoryCollection[];
}

export function isDatasetElement(element: CollectionElement): element is DatasetElement {
  return 'dataset' in element;
}

/**
 * Galaxy's `DatasetCollection.elements_deleted`: whether any dataset anywhere
 * in the collection is deleted ("the previously selected dataset collection
 * has elements that are deleted", tools/parameters/basic.py).
 */
export function elementsDeleted(collection: NestedCollection, history: History): boolean {
  const deleted = deletedDatasetIds(history);
  if (deleted.size === 0) return false;
  return leafDatasets(collection).some((id) => deleted.has(id));
}

const deletedCache = new WeakMap<History, ReadonlySet<number>>();

function deletedDatasetIds(history: History): ReadonlySet<number> {
  let ids = deletedCache.get(history);
  if (ids === undefined) {
    ids = new Set(history.datasets.filter((d) => d.deleted === true).map((d) => d.id));
    deletedCache.set(history, ids);
  }
  return ids;
}

/** The rank of a collection type: `list` is 1, `list:paired` is 2. */
export function collectionRank(collectionType: string): number {
  return collectionType.split(':').length;
}

/** Leaf dataset ids of a collection, depth first, in element order (Galaxy's `dataset_elements`). */
export function leafDatasets(collection: NestedCollection): number[] {
  const out: number[] = [];
  const walk = (c: NestedCollection): void => {
    for (const element of c.elements) {
      if (isDatasetElement(element)) out.push(element.dataset);
      else walk(element.collection);
    }
  };
  walk(collection);
  return out;
}

/** The nesting depth actually present (an empty `list:list` has depth 1). */
export function nestingDepth(collection: NestedCollection): number {
  let depth = 1;
  for (const element of collection.elements) {
    if (!isDatasetElement(element)) depth = Math.max(depth, 1 + nestingDepth(element.collection));
  }
  return depth;
}
