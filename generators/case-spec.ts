import type { Entry, TesCaptureState } from '../src/model/case.js';

/**
 * A case spec is what the arbitraries generate: each parameter together with
 * the value the request gives it, and every collection it references. The
 * tool, the history and the request are derived from it (build-case.ts), so
 * a request is always valid for its tool and history, and shrinking a spec
 * shrinks all three together: fewer parameters, shorter batches, shallower
 * collections, fewer outputs, fewer history items.
 */

/** A collection: `null` elements are datasets. */
export interface CollectionSpec {
  readonly type: string;
  readonly elements: readonly (CollectionSpec | null)[];
}

/** How a collection is referenced: the HDCA itself, or as the first element of a wrapping list (`src: dce`). */
export type CollectionVia = 'hdca' | 'dce';

export type ItemSpec =
  | { readonly kind: 'dataset' }
  | { readonly kind: 'collection'; readonly collection: CollectionSpec; readonly via: CollectionVia; readonly mapOverType?: string }
  /** A dce reference to a dataset element (mapping over it is Galaxy's ToolMetaParameterException). */
  | { readonly kind: 'dataset-element' };

export type LinkedSpec = 'absent' | true | false | null;

export type ValueSpec =
  | { readonly kind: 'single'; readonly item: ItemSpec }
  | { readonly kind: 'batch'; readonly linked: LinkedSpec; readonly items: readonly ItemSpec[] }
  | { readonly kind: 'list'; readonly items: readonly ItemSpec[] }
  | { readonly kind: 'omitted' };

export type ScalarSpec =
  | { readonly type: 'integer'; readonly value: number | undefined }
  | { readonly type: 'text'; readonly value: string | undefined }
  | { readonly type: 'boolean'; readonly value: boolean | undefined };

export type ParamSpec =
  | { readonly kind: 'data'; readonly multiple: boolean; readonly optional: boolean; readonly value: ValueSpec }
  | { readonly kind: 'data_collection'; readonly collectionType: string; readonly optional: boolean; readonly value: ValueSpec }
  | { readonly kind: 'scalar'; readonly scalar: ScalarSpec }
  /** A conditional testing a select `a`/`b`: `a` holds `inner`, `b` holds nothing. */
  | { readonly kind: 'conditional'; readonly selected: 'a' | 'b'; readonly inner: ParamSpec }
  /** A repeat whose instances each hold one data parameter. */
  | { readonly kind: 'repeat'; readonly instances: readonly ValueSpec[] }
  | { readonly kind: 'section'; readonly params: readonly ParamSpec[] };

export interface OutputSpec {
  readonly type: 'data' | 'collection';
  readonly collectionType: 'list' | 'paired';
  /** Filtered on the tool's `mode` select: kept only when mode equals this. */
  readonly whenMode?: 'on' | 'off';
}

export interface CaseSpec {
  readonly entry: Entry;
  readonly params: readonly ParamSpec[];
  readonly outputs: readonly OutputSpec[];
  /** The tool's `mode` select value in the request (only present when an output is filtered). */
  readonly mode: 'on' | 'off';
  /** Legacy entry: write nested parameters as flat `a|b` keys. */
  readonly flatKeys: boolean;
  readonly rerunRemap: boolean;
  readonly dataSource: boolean;
  readonly stepState: TesCaptureState;
  readonly jobLimit: number | undefined;
}

/** A value for each input of a fixed (real) tool, in the tool's own parameter tree. */
export type FixedInputSpec =
  | { readonly kind: 'value'; readonly value: ValueSpec }
  | { readonly kind: 'scalar'; readonly value: string | number | boolean | undefined }
  | { readonly kind: 'conditional'; readonly when: string; readonly inner: readonly FixedInputSpec[] }
  | { readonly kind: 'repeat'; readonly instances: readonly (readonly FixedInputSpec[])[] }
  | { readonly kind: 'section'; readonly inner: readonly FixedInputSpec[] };

export interface FixedToolCaseSpec {
  readonly entry: Entry;
  readonly values: readonly FixedInputSpec[];
  readonly flatKeys: boolean;
  readonly stepState: TesCaptureState;
  readonly jobLimit: number | undefined;
}
