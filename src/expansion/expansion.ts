import type { NestedCollection } from '../model/history.js';
import type { DatasetInput, ScalarInput, ScalarValue } from '../model/tool.js';
import type { Shape } from './shape.js';

/**
 * The result of Galaxy's parameter expansion (meta.py + permutations.py +
 * collection matching) for one request: the parameter combinations, one per
 * job Galaxy intends to run, and the map-over structure when the request maps
 * over collections (`collection_info`).
 */

/** Where a dataset or subcollection sits inside a history collection. */
export interface ElementRef {
  readonly hdcaId: number;
  readonly elementPath: readonly string[];
}

export type DatasetValue = { readonly kind: 'dataset'; readonly datasetId: number; readonly element?: ElementRef };
export type CollectionValue = {
  readonly kind: 'collection';
  readonly hdcaId: number;
  /** `[]` for a whole HDCA; the element path for a DCE's child collection. */
  readonly elementPath: readonly string[];
  readonly collection: NestedCollection;
};

/** One parameter's value in one combination. */
export type ParamValue =
  | DatasetValue
  | CollectionValue
  | { readonly kind: 'list'; readonly items: readonly (DatasetValue | CollectionValue)[] }
  | { readonly kind: 'scalar'; readonly value: ScalarValue }
  | { readonly kind: 'none' };

export type Classification = 'single' | 'matched' | 'multiplied';

export interface ExpandedParam {
  /** Prefixed key, e.g. `cond|input1` or `queries_0|input2`. */
  readonly key: string;
  readonly input: DatasetInput | ScalarInput;
  readonly classification: Classification;
  /** Number of values of a batched parameter (after a collection is expanded to its units); `null` when single. */
  readonly batchLength: number | null;
  /** Set when this parameter maps over a collection (a Batch of one hdca/dce). */
  readonly mapOver: MappedCollection | null;
  /** How many values the Batch listed (before a collection was expanded); `null` when single. */
  readonly batchValues: number | null;
  /** A legacy Batch on a key the tool does not declare: it multiplies jobs but reaches no tool parameter (meta.py). */
  readonly undeclared: boolean;
}

export interface MappedCollection {
  readonly key: string;
  readonly source: ElementRef;
  readonly collectionType: string;
  readonly subcollectionType: string | null;
  readonly linked: boolean;
  readonly shape: Shape;
}

/** Galaxy's `collection_info`: always truthy once a collection is registered, even when empty. */
export interface MapOver {
  /** Registered collections in sorted key order (Galaxy matches them sorted). */
  readonly collections: readonly MappedCollection[];
  /** Unlinked axes outermost, in sorted key order, then the linked structure. */
  readonly structure: Shape;
  readonly leafCount: number;
}

/** The kinds of error Galaxy raises during request handling and expansion. */
export type GalaxyErrorKind =
  | 'RequestParameterInvalidException'
  | 'InputMatchedException'
  | 'CollectionMatchingException'
  | 'ToolMetaParameterException'
  | 'JobInternalValidationError'
  | 'ParameterValueError'
  | 'ToolInputsNotReadyException';

export interface GalaxyError {
  /** `request`: refused by the API before anything is written; `expansion`: after the tool request was recorded. */
  readonly stage: 'request' | 'expansion';
  readonly kind: GalaxyErrorKind;
  readonly message: string;
}

export interface ExpansionSuccess {
  readonly ok: true;
  readonly params: readonly ExpandedParam[];
  /** The request's own value per parameter (`null` for a batched one): Galaxy's `param_template`. */
  readonly template: readonly (ParamValue | null)[];
  /** One array per combination, aligned with `params`. */
  readonly combinations: readonly (readonly ParamValue[])[];
  readonly mapOver: MapOver | null;
}

export interface ExpansionFailure {
  readonly ok: false;
  readonly params: readonly ExpandedParam[];
  readonly error: GalaxyError;
}

export type Expansion = ExpansionSuccess | ExpansionFailure;

/** Settings of the expansion that galaxy-semantics leaves open (§7.1). */
export interface ExpansionSettings {
  /** Q6: `"linked": null` sent explicitly — multiplied, as the code reads, or linked. */
  readonly linkedNull: 'multiplied' | 'linked';
  /** Q5: a map-over whose combinations do not line up with its structure (S14; an unlinked collection crossed with a linked map-over) — zipped by the executor, or rejected up front. */
  readonly unlinkedMapOverBatch: 'truncate' | 'reject';
}
