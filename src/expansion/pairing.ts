import type { ExpansionSuccess, MappedCollection, ParamValue } from './expansion.js';
import type { Shape } from './shape.js';

/**
 * Which input elements a combination of a map-over runs on, and which input
 * elements an element of its output structure stands for. Galaxy zips the
 * two (`ToolExecutionTracker.new_collection_execution_slices`,
 * lib/galaxy/tools/execute.py): combination i is written into leaf i. The
 * combinations come from `permutations.expand_multi_inputs` (matched values
 * zipped, then each multiplied key crossed in, element-major); the structure
 * from `MatchingCollections.structure` (lib/galaxy/model/dataset_collections/
 * matching.py, read at 27ca3205: the unlinked structures, sorted by key,
 * multiplied by the linked one, unlinked outermost).
 */

/** The element path (relative to the mapped collection) of a mapped parameter's value in one combination. */
export function mappedPathOf(value: ParamValue | undefined, mapped: MappedCollection): readonly string[] | null {
  const path = value?.kind === 'dataset' ? value.element?.elementPath : value?.kind === 'collection' ? value.elementPath : undefined;
  return path === undefined ? null : path.slice(mapped.source.elementPath.length);
}

/**
 * The part of an output element's path that belongs to each mapped
 * collection: the structure is the unlinked axes (sorted by key) multiplied by
 * the linked structure (expand-case.ts matchCollections), so a leaf path is
 * one path per axis, end to end. Null when the path leaves the structure.
 */
export function axisPaths(expansion: ExpansionSuccess, path: readonly string[]): Map<string, readonly string[]> | null {
  const mapOver = expansion.mapOver;
  if (mapOver === null) return null;
  const unlinked = mapOver.collections.filter((m) => !m.linked);
  const linked = mapOver.collections.filter((m) => m.linked);
  const axes: { readonly keys: readonly string[]; readonly shape: Shape }[] = unlinked.map((m) => ({ keys: [m.key], shape: m.shape }));
  if (linked.length > 0) axes.push({ keys: linked.map((m) => m.key), shape: linked[0]!.shape });
  const out = new Map<string, readonly string[]>();
  let pos = 0;
  for (const axis of axes) {
    const start = pos;
    let shape: Shape | null = axis.shape;
    while (shape !== null) {
      const identifier: string | undefined = path[pos];
      const element: Shape['elements'][number] | undefined = shape.elements.find((e) => e.identifier === identifier);
      if (element === undefined) return null;
      pos++;
      shape = element.child;
    }
    for (const key of axis.keys) out.set(key, path.slice(start, pos));
  }
  return pos === path.length ? out : null;
}

/** The leaf paths of a shape, in walk order (`Tree.walk_collections`). */
export function leafPaths(shape: Shape, prefix: readonly string[] = []): string[][] {
  return shape.elements.flatMap((e) => (e.child === null ? [[...prefix, e.identifier]] : leafPaths(e.child, [...prefix, e.identifier])));
}

/**
 * The first combination that the zip writes into the leaf of other input
 * elements, as [combination index, mapped key, the element it ran on, the
 * element its leaf stands for], or null when every zipped pair lines up.
 */
export function firstMisalignment(expansion: ExpansionSuccess): { readonly index: number; readonly key: string; readonly ran: readonly string[]; readonly leaf: readonly string[] } | null {
  const mapOver = expansion.mapOver;
  if (mapOver === null) return null;
  const leaves = leafPaths(mapOver.structure);
  const count = Math.min(leaves.length, expansion.combinations.length);
  for (let index = 0; index < count; index++) {
    const expected = axisPaths(expansion, leaves[index]!);
    if (expected === null) continue;
    for (const mapped of mapOver.collections) {
      const ran = mappedPathOf(expansion.combinations[index]![expansion.params.findIndex((p) => p.key === mapped.key)], mapped);
      const own = expected.get(mapped.key);
      if (ran !== null && own !== undefined && ran.join('/') !== own.join('/')) return { index, key: mapped.key, ran, leaf: leaves[index]! };
    }
  }
  return null;
}
