import { collectionTypeSegments, compatibleTypes } from '../model/collection-types.js';
import { isDatasetElement, type NestedCollection } from '../model/history.js';

/**
 * The element structure of a collection, or of a map-over (Galaxy's
 * `structure.Tree`): a tree whose leaves are the mapped units. Output
 * collections of a map-over are built in this shape.
 */
export interface Shape {
  readonly collectionType: string;
  readonly elements: readonly ShapeElement[];
}

export interface ShapeElement {
  readonly identifier: string;
  /** `null` for a leaf (one mapped unit: a dataset, or a subcollection of the map-over type). */
  readonly child: Shape | null;
}

/** The mapped units of a collection split at `subcollectionType`, or its leaf datasets. */
export type MappedUnit =
  | { readonly kind: 'dataset'; readonly datasetId: number; readonly elementPath: readonly string[] }
  | { readonly kind: 'collection'; readonly collection: NestedCollection; readonly elementPath: readonly string[] };

/**
 * The shape of `collection` mapped at `subcollectionType` (leaves are the
 * subcollections), or down to its datasets when no subcollection type is given.
 */
export function shapeOf(collection: NestedCollection, subcollectionType: string | undefined): Shape {
  const prefixDepth = mappedDepth(collection, subcollectionType);
  const build = (c: NestedCollection, depth: number): Shape => {
    return {
      collectionType: prefixType(c.collection_type, prefixDepth - depth + 1),
      elements: c.elements.map((element) => ({
        identifier: element.identifier,
        child: isDatasetElement(element) || depth >= prefixDepth ? null : build(element.collection, depth + 1),
      })),
    };
  };
  return build(collection, 1);
}

/** How many levels of `collection` are mapped over: all of them, or those above the subcollection type. */
function mappedDepth(collection: NestedCollection, subcollectionType: string | undefined): number {
  if (subcollectionType === undefined) return Infinity;
  return collectionTypeSegments(collection.collection_type).length - collectionTypeSegments(subcollectionType).length;
}

function prefixType(type: string, levels: number): string {
  return Number.isFinite(levels) ? collectionTypeSegments(type).slice(0, levels).join(':') : type;
}

/** Mapped units of a collection in depth-first element order; one per leaf of `shapeOf`. */
export function mappedUnits(collection: NestedCollection, subcollectionType: string | undefined): MappedUnit[] {
  const units: MappedUnit[] = [];
  const prefixDepth = mappedDepth(collection, subcollectionType);
  const walk = (c: NestedCollection, depth: number, path: readonly string[]): void => {
    for (const element of c.elements) {
      const elementPath = [...path, element.identifier];
      if (isDatasetElement(element)) units.push({ kind: 'dataset', datasetId: element.dataset, elementPath });
      else if (depth >= prefixDepth) units.push({ kind: 'collection', collection: element.collection, elementPath });
      else walk(element.collection, depth + 1, elementPath);
    }
  };
  walk(collection, 1, []);
  return units;
}

export function leafCount(shape: Shape): number {
  let count = 0;
  for (const element of shape.elements) count += element.child === null ? 1 : leafCount(element.child);
  return count;
}

/** Each leaf of `outer` replaced by a copy of `inner` (Galaxy's `Tree.multiply`): the cross product of two unlinked axes. */
export function multiplyShapes(outer: Shape, inner: Shape): Shape {
  return {
    collectionType: `${outer.collectionType}:${inner.collectionType}`,
    elements: outer.elements.map((element) => ({
      identifier: element.identifier,
      child: element.child === null ? inner : multiplyShapes(element.child, inner),
    })),
  };
}

/**
 * Whether two linked collections can be matched element by element
 * (Galaxy's `Tree.can_match`): compatible types, the same number of elements
 * at every level, and the same nesting below each element.
 */
export function shapesMatch(a: Shape, b: Shape): boolean {
  if (!compatibleTypes(a.collectionType, b.collectionType)) return false;
  if (a.elements.length !== b.elements.length) return false;
  return a.elements.every((element, i) => {
    const other = b.elements[i]!;
    if (element.child === null || other.child === null) return element.child === other.child;
    return shapesMatch(element.child, other.child);
  });
}

export function shapeDepth(shape: Shape): number {
  let depth = 1;
  for (const element of shape.elements) if (element.child !== null) depth = Math.max(depth, 1 + shapeDepth(element.child));
  return depth;
}
