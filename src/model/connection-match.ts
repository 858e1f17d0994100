import { acceptsAnyOf, acceptsType, canMapOver, effectiveSubcollectionType, mappedPrefixType, SINGLE_DATASETS, subcollectionTypeOf } from './collection-types.js';
import { collectionTypeAlternatives, type DatasetInput, type ToolInput } from './tool.js';

/**
 * What a workflow connection does when one value reaches a tool step's
 * dataset parameter (modules.py `ToolModule._find_collections_to_match`):
 *
 * - a dataset into a `data` parameter is consumed whole; a collection is
 *   mapped over its datasets;
 * - a `multiple="true"` data parameter reduces a dataset or a `list` (one
 *   job takes it whole) and maps over the outer levels of a collection holding
 *   lists (it reads like a `list` collection parameter);
 * - a collection parameter takes a collection of a type it accepts whole
 *   (`HistoryQuery.direct_match`) and maps over one holding subcollections of
 *   an accepted type (`HistoryQuery.can_map_over`); a dataset does not fit.
 *
 * The executor builds a step's request from it; the workflow generator
 * chooses connections by it. Pure.
 */

/**
 * What a step does with several connections into one input
 * (run.py `WorkflowProgress.replacement_for_input`): a `multiple="true"` data
 * input takes them all, as a plain list (`all`); any other input takes the
 * first (`first`: `replacement_for_connection(connection[0])`). Merging
 * several connections into one new collection (an `EphemeralCollection`)
 * exists only in the Common Workflow Language fork of Galaxy
 * (common-workflow-lab/galaxy), not in Galaxy's run.py.
 */
export type SeveralConnections = 'all' | 'first';

export function severalConnections(input: ToolInput | undefined): SeveralConnections {
  return input?.type === 'data' && input.multiple === true ? 'all' : 'first';
}

/** The type of a value flowing along a connection. */
export type ConnectedType = { readonly kind: 'dataset' } | { readonly kind: 'collection'; readonly collectionType: string };

export type ConnectionMatch =
  /** One job takes the value whole (`reduce`: a multiple data parameter takes a list). */
  | { readonly kind: 'whole'; readonly reduce: boolean }
  /**
   * The step maps over the value: `mapped` is the type of the mapped axis (the
   * step's implicit output collections have it), `each` what one job receives,
   * `mapOverType` the `map_over_type` the step's request names (absent: Galaxy
   * finds it).
   */
  | { readonly kind: 'map'; readonly mapped: string; readonly each: ConnectedType; readonly mapOverType?: string };

/** How `given` meets `input` on a workflow connection, or null when Galaxy's rules give it no meaning there. */
export function matchConnection(input: DatasetInput, given: ConnectedType): ConnectionMatch | null {
  if (input.type === 'data') {
    if (given.kind === 'dataset') return { kind: 'whole', reduce: false };
    const type = given.collectionType;
    if (!input.multiple) return { kind: 'map', mapped: type, each: { kind: 'dataset' } };
    if (type !== 'list' && canMapOver(['list'], type) !== undefined) return mapOver(type, 'list', 'list');
    return acceptsType('list', type) ? { kind: 'whole', reduce: true } : null;
  }
  if (given.kind === 'dataset') return null;
  const alternatives = collectionTypeAlternatives(input);
  const type = given.collectionType;
  if (acceptsAnyOf(alternatives, type)) return { kind: 'whole', reduce: false };
  const candidate = canMapOver(alternatives, type);
  return candidate === undefined ? null : mapOver(type, candidate, undefined);
}

function mapOver(type: string, candidate: string, requestMapOverType: string | undefined): ConnectionMatch | null {
  const split = effectiveSubcollectionType(type, candidate);
  if (split === undefined || split === SINGLE_DATASETS) return null;
  return {
    kind: 'map',
    mapped: mappedPrefixType(type, split),
    each: { kind: 'collection', collectionType: subcollectionTypeOf(type, split) },
    ...(requestMapOverType === undefined ? {} : { mapOverType: requestMapOverType }),
  };
}

/** The types of a workflow parameter input (modules.py `InputParameterModule.POSSIBLE_PARAMETER_TYPES`). */
export const PARAMETER_INPUT_TYPES = ['text', 'integer', 'float', 'boolean', 'color'] as const;
export type ParameterInputType = (typeof PARAMETER_INPUT_TYPES)[number];

/**
 * The parameter input type that may feed a tool's non-data parameter on a
 * workflow connection, or null when none may. Galaxy lets a step connect any
 * visible non-data parameter whose state is a `ConnectedValue`
 * (modules.py `ToolModule.get_all_inputs(connectable_only=True)`, which lists
 * it with `input_type: "parameter"` and the parameter's `type`), and the
 * editor attaches a parameter output to it when the two types are equal,
 * a `select` counting as `text` (client terminals.ts
 * `InputParameterTerminal.attachable`, `effectiveType`): an integer, float,
 * text, boolean or color parameter takes a parameter input of its own type,
 * a select a text one; no parameter input has the type of a `data_column`,
 * `genomebuild`, `drill_down`, `group_tag` or `baseurl`, and a `hidden`
 * parameter is not visible. At run time Galaxy puts the value in the step's
 * state as it is (run.py `replacement_for_input`), without checking its type.
 */
export function parameterInputTypeFor(input: ToolInput): ParameterInputType | null {
  switch (input.type) {
    case 'text':
    case 'integer':
    case 'float':
    case 'boolean':
    case 'color':
      return input.type;
    case 'select':
      return 'text';
    default:
      return null;
  }
}
