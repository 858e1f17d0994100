import type { JsonValue } from './case.js';
/**
 * A Galaxy tool as cardfuzz sees it: the parameter tree and the outputs.
 * Plain JSON data, using Galaxy's own type and attribute names (case format
 * version 1). The three readers (case file, tool XML, `/api/tools/{id}?io_details=true`
 * JSON) all produce this model; only attributes that can change how many jobs
 * or collections Galaxy makes are modelled here.
 */

export type ScalarValue = string | number | boolean;

export interface DataInput {
  readonly name: string;
  readonly type: 'data';
  readonly multiple?: boolean;
  readonly optional?: boolean;
  /**
   * Bounds on the number of datasets a `multiple="true"` parameter receives
   * (Galaxy's `BaseDataToolParameter.validate` in tools/parameters/basic.py:
   * "At least %d datasets are required for %s" / "At most %d datasets are required for %s").
   */
  readonly min?: number;
  readonly max?: number;
  /** Galaxy's `format`: accepted extensions, comma-separated (not checked by cardfuzz). */
  readonly format?: string;
}

export interface DataCollectionInput {
  readonly name: string;
  readonly type: 'data_collection';
  /**
   * Galaxy's `collection_type` text: one type or comma-separated alternatives
   * (`"list,list:paired"`); absent means any type (basic.py
   * `DataCollectionToolParameter.collection_types` is None). Use
   * `collectionTypeAlternatives` to read it.
   */
  readonly collection_type?: string;
  readonly optional?: boolean;
  readonly format?: string;
}

export interface TextInput {
  readonly name: string;
  readonly type: 'text';
  readonly value: string;
  readonly optional?: boolean;
}

export interface IntegerInput {
  readonly name: string;
  readonly type: 'integer';
  readonly value: number;
  readonly optional?: boolean;
}

export interface FloatInput {
  readonly name: string;
  readonly type: 'float';
  readonly value: number;
  readonly optional?: boolean;
}

/**
 * Galaxy's boolean (basic.py `BooleanToolParameter`): the job's value is a
 * Python bool (`checked` is the default, here `value`); `truevalue` /
 * `falsevalue` (default `"true"` / `"false"`) are the strings the command line
 * sees and the keys of a conditional's whens (`Conditional.get_current_case`
 * compares `to_param_dict_string(value)` with each when's value).
 */
export interface BooleanInput {
  readonly name: string;
  readonly type: 'boolean';
  readonly value: boolean;
  readonly truevalue?: string;
  readonly falsevalue?: string;
  readonly optional?: boolean;
}

/**
 * Galaxy's select (basic.py `SelectToolParameter`). A `dynamic` select takes
 * its options from a data table, a file or code at run time: `options` holds
 * the values cardfuzz knows of (possibly none) and any string is accepted.
 * A `multiple` select's value is a list (Galaxy joins it with commas).
 */
export interface SelectInput {
  readonly name: string;
  readonly type: 'select';
  readonly options: readonly string[];
  readonly value: string;
  readonly multiple?: boolean;
  readonly dynamic?: boolean;
  readonly optional?: boolean;
}

/** Galaxy's `hidden` (basic.py `HiddenToolParameter`): a fixed string value the request may still send. */
export interface HiddenInput {
  readonly name: string;
  readonly type: 'hidden';
  readonly value: string;
}

/** Galaxy's `baseurl` (basic.py `BaseURLToolParameter`): whatever the request sends, the value is the server URL plus `value`. */
export interface BaseUrlInput {
  readonly name: string;
  readonly type: 'baseurl';
  readonly value: string;
}

/**
 * Galaxy's `data_column` (basic.py `ColumnListParameter`): a column number of
 * the dataset named by `data_ref`, as a string ("1"); a list when `multiple`.
 * A single one defaults to the first column; a multiple one without a `value`
 * has no default ("" here), so a request that leaves it out is "an invalid option".
 */
export interface DataColumnInput {
  readonly name: string;
  readonly type: 'data_column';
  readonly value: string;
  readonly data_ref?: string;
  readonly multiple?: boolean;
  readonly optional?: boolean;
}

/** Galaxy's `genomebuild` (basic.py `GenomeBuildParameter`): a dbkey such as "hg19"; "?" when unset. */
export interface GenomeBuildInput {
  readonly name: string;
  readonly type: 'genomebuild';
  readonly value: string;
  readonly multiple?: boolean;
  readonly optional?: boolean;
}

/** Galaxy's `group_tag` (basic.py `GroupTagParameter`): a `group:` tag of the dataset named by `data_ref`. */
export interface GroupTagInput {
  readonly name: string;
  readonly type: 'group_tag';
  readonly value: string;
  readonly data_ref?: string;
  readonly multiple?: boolean;
  readonly optional?: boolean;
}

/**
 * Galaxy's `drill_down` (basic.py `DrillDownSelectToolParameter`): a tree of
 * options, here the flat list of their values. It has no default: a request
 * without a value is "an invalid option" unless an option is `selected` (`value`).
 */
export interface DrillDownInput {
  readonly name: string;
  readonly type: 'drill_down';
  readonly options: readonly string[];
  readonly value?: string;
  readonly multiple?: boolean;
  readonly optional?: boolean;
}

/** Galaxy's `color` (`directory_uri` is read as text). */
export interface ColorInput {
  readonly name: string;
  readonly type: 'color';
  readonly value: string;
}

export interface ConditionalInput {
  readonly name: string;
  readonly type: 'conditional';
  readonly test_param: SelectInput | BooleanInput;
  /**
   * Keyed by each `<when value="...">`: a select option, or for a boolean test
   * its `truevalue` / `falsevalue` (`"true"` / `"false"` by default). A when
   * no test value reaches is kept and never runs, as in Galaxy.
   */
  readonly whens: Readonly<Record<string, readonly ToolInput[]>>;
}

export interface RepeatInput {
  readonly name: string;
  readonly type: 'repeat';
  readonly min: number;
  readonly max: number;
  readonly inputs: readonly ToolInput[];
}

export interface SectionInput {
  readonly name: string;
  readonly type: 'section';
  readonly inputs: readonly ToolInput[];
}

export type ScalarInput =
  | TextInput
  | IntegerInput
  | FloatInput
  | BooleanInput
  | SelectInput
  | HiddenInput
  | BaseUrlInput
  | DataColumnInput
  | GenomeBuildInput
  | GroupTagInput
  | DrillDownInput
  | ColorInput;
export type DatasetInput = DataInput | DataCollectionInput;
export type ToolInput = DatasetInput | ScalarInput | ConditionalInput | RepeatInput | SectionInput;

/**
 * cardfuzz's own declarative output filter: the output exists only when the
 * parameter at `param` (a `|`-joined path such as `cond|mode`) equals
 * `equals`, or differs from `not_equals`. Galaxy's own `<filter>` texts go in
 * `filters`; both kinds apply, ANDed.
 */
export interface OutputFilter {
  readonly param: string;
  readonly equals?: ScalarValue;
  readonly not_equals?: ScalarValue;
}

/**
 * Galaxy's `<discover_datasets>`: outputs found in the working directory after
 * the job ran. cardfuzz models the request and execution, where a discovered
 * collection is created empty (populated_state "new") and filled later; the
 * attributes are kept so the model says what Galaxy will discover.
 */
export interface DiscoverDatasets {
  readonly pattern?: string;
  readonly directory?: string;
  readonly format?: string;
  readonly ext?: string;
  readonly visible?: boolean;
  readonly assign_primary_output?: boolean;
  readonly recurse?: boolean;
  readonly match_relative_path?: boolean;
  readonly sort_by?: string;
  readonly from_provided_metadata?: boolean;
}

/** A static `<data>` element of a collection output (`<collection><data name="forward"/>...`). */
export interface CollectionOutputElement {
  readonly name: string;
  readonly format?: string;
  readonly format_source?: string;
  readonly metadata_source?: string;
}

interface OutputCommon {
  readonly name: string;
  readonly filter?: OutputFilter;
  /** Galaxy's `<filter>` texts (Python expressions), evaluated as `filter_output` does: every one must hold. */
  readonly filters?: readonly string[];
  readonly format?: string;
  readonly format_source?: string;
  readonly metadata_source?: string;
  readonly hidden?: boolean;
  readonly discover_datasets?: readonly DiscoverDatasets[];
}

export interface DataOutput extends OutputCommon {
  readonly type: 'data';
}

/**
 * Galaxy's `<collection>` output (tool_util/parser/output_objects.py
 * `ToolOutputCollection` and its `ToolOutputCollectionStructure`): a fixed
 * `collection_type` (Galaxy's `type`), or one taken from an input, either
 * `structured_like` (same type and elements) or `type_source` (same type).
 */
export interface CollectionOutput extends OutputCommon {
  readonly type: 'collection';
  readonly collection_type?: string;
  readonly structured_like?: string;
  readonly type_source?: string;
  readonly inherit_format?: boolean;
  readonly elements?: readonly CollectionOutputElement[];
}

export type ToolOutput = DataOutput | CollectionOutput;

export interface Tool {
  readonly id: string;
  readonly version?: string;
  /** `data_source` tools are refused by the tool request API and cannot batch. */
  readonly tool_type?: 'default' | 'data_source';
  readonly inputs: readonly ToolInput[];
  readonly outputs: readonly ToolOutput[];
}

export const SCALAR_INPUT_TYPES = ['text', 'integer', 'float', 'boolean', 'select', 'hidden', 'baseurl', 'data_column', 'genomebuild', 'group_tag', 'drill_down', 'color'] as const;
export const INPUT_TYPES = ['data', 'data_collection', ...SCALAR_INPUT_TYPES, 'conditional', 'repeat', 'section'] as const;

export function isScalarInput(input: ToolInput): input is ScalarInput {
  return (SCALAR_INPUT_TYPES as readonly string[]).includes(input.type);
}

export function isDatasetInput(input: ToolInput): input is DatasetInput {
  return input.type === 'data' || input.type === 'data_collection';
}

/** The string key a conditional's `whens` uses for a test value (`Conditional.get_current_case`). */
export function whenKey(value: ScalarValue, test?: SelectInput | BooleanInput): string {
  if (typeof value === 'boolean') {
    if (test?.type === 'boolean') return value ? (test.truevalue ?? 'true') : (test.falsevalue ?? 'false');
    return value ? 'true' : 'false';
  }
  return String(value);
}

/** A boolean's `to_param_dict_string` (basic.py `BooleanToolParameter`): its truevalue or falsevalue. */
export function booleanParamString(input: BooleanInput, value: boolean): string {
  return value ? (input.truevalue ?? 'true') : (input.falsevalue ?? 'false');
}

/**
 * The collection types a collection parameter accepts, split at commas as
 * basic.py `DataCollectionToolParameter.__init__` does, or `null` for any type.
 */
export function collectionTypeAlternatives(input: DataCollectionInput): readonly string[] | null {
  if (input.collection_type === undefined) return null;
  const types = input.collection_type.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
  return types.length === 0 ? null : types;
}

/** The when keys of a conditional's test parameter, in Galaxy's `legal_values` order. */
export function testParamValues(test: SelectInput | BooleanInput): readonly string[] {
  return test.type === 'select' ? test.options : [test.truevalue ?? 'true', test.falsevalue ?? 'false'];
}

/**
 * The parameter a prefixed name reaches, as Galaxy names a nested parameter
 * (parameters/__init__.py `visit_input_values`, `prefixed_name`; run.py
 * `replacement_for_input` looks connections up by it): `sect|x` in a
 * section, `cond|x` in the when of a conditional that the state selects (its
 * test parameter's value there, else the test's default), `rep_0|x` in a
 * repeat instance; and the level of `state` where its value goes, made as
 * needed (a repeat gets instances up to the one named, as
 * `ToolModule.augment_tool_state_for_input_connections` adds them).
 * Undefined when the tool has no such parameter there. `state` is changed
 * in place: pass a copy to look only.
 */
export function locatePrefixedInput(inputs: readonly ToolInput[], state: Record<string, JsonValue>, name: string): { input: ToolInput; level: Record<string, JsonValue>; key: string } | undefined {
  const parts = name.split('|');
  let level = state;
  let current = inputs;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i]!;
    const direct = current.find((x) => x.name === part);
    const repeat = /^(.*)_(\d+)$/.exec(part);
    const repeated = direct === undefined && repeat !== null ? current.find((x) => x.type === 'repeat' && x.name === repeat[1]) : undefined;
    if (repeated !== undefined && repeated.type === 'repeat') {
      const index = Number(repeat![2]);
      const existing = level[repeated.name];
      const instances = (Array.isArray(existing) ? [...existing] : []) as JsonValue[];
      while (instances.length <= index) instances.push({});
      const instance = { ...(instances[index] as Record<string, JsonValue>) };
      instances[index] = instance;
      level[repeated.name] = instances;
      level = instance;
      current = repeated.inputs;
      continue;
    }
    if (direct === undefined || (direct.type !== 'section' && direct.type !== 'conditional')) return undefined;
    const existing = level[direct.name];
    const next = { ...(existing !== null && typeof existing === 'object' && !Array.isArray(existing) ? (existing as Record<string, JsonValue>) : {}) };
    level[direct.name] = next;
    level = next;
    if (direct.type === 'section') current = direct.inputs;
    else {
      const test = direct.test_param;
      const chosen = next[test.name];
      const value = typeof chosen === 'string' || typeof chosen === 'boolean' || typeof chosen === 'number' ? chosen : test.value;
      current = direct.whens[whenKey(value, test)] ?? [];
    }
  }
  const key = parts[parts.length - 1]!;
  const input = current.find((x) => x.name === key);
  return input === undefined ? undefined : { input, level, key };
}

/**
 * The parameter a prefixed name reaches in a step whose state is `state`
 * (locatePrefixedInput, looking only). locatePrefixedInput copies every
 * nested level it walks into and assigns only to the top level, so a shallow
 * copy of the top level keeps `state` as it was.
 */
export function inputAtPrefixedName(inputs: readonly ToolInput[], name: string, state: { readonly [key: string]: JsonValue } = {}): ToolInput | undefined {
  return locatePrefixedInput(inputs, { ...state }, name)?.input;
}
