/**
 * The history a request runs against: datasets (HDAs) and collections (HDCAs).
 * Element trees are plain data; a collection element holds a dataset id or a
 * nested collection.
 */

export interface HistoryDataset {
  readonly id: number;
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
}

export interface History {
  readonly datasets: readonly HistoryDataset[];
  readonly collections: readonly HistoryCollection[];
}

export function isDatasetElement(element: CollectionElement): element is DatasetElement {
  return 'dataset' in element;
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
