/**
 * A Galaxy tool as cardfuzz sees it: the parameter tree and the outputs.
 * Plain JSON data, using Galaxy's own type names (case format version 1).
 */

export type ScalarValue = string | number | boolean;

export interface DataInput {
  readonly name: string;
  readonly type: 'data';
  readonly multiple?: boolean;
  readonly optional?: boolean;
}

export interface DataCollectionInput {
  readonly name: string;
  readonly type: 'data_collection';
  readonly collection_type: string;
  readonly optional?: boolean;
}

export interface TextInput {
  readonly name: string;
  readonly type: 'text';
  readonly value: string;
}

export interface IntegerInput {
  readonly name: string;
  readonly type: 'integer';
  readonly value: number;
}

export interface FloatInput {
  readonly name: string;
  readonly type: 'float';
  readonly value: number;
}

export interface BooleanInput {
  readonly name: string;
  readonly type: 'boolean';
  readonly value: boolean;
}

export interface SelectInput {
  readonly name: string;
  readonly type: 'select';
  readonly options: readonly string[];
  readonly value: string;
}

export interface ConditionalInput {
  readonly name: string;
  readonly type: 'conditional';
  readonly test_param: SelectInput | BooleanInput;
  /** Keyed by the test parameter's value (`"true"`/`"false"` for a boolean test). */
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

export type ScalarInput = TextInput | IntegerInput | FloatInput | BooleanInput | SelectInput;
export type DatasetInput = DataInput | DataCollectionInput;
export type ToolInput = DatasetInput | ScalarInput | ConditionalInput | RepeatInput | SectionInput;

/**
 * A declarative output filter: the output exists only when the parameter at
 * `param` (a `|`-joined path such as `cond|mode`) equals `equals`, or differs
 * from `not_equals`. It is evaluated on the first parameter combination (or on
 * the request itself when there is none), as Galaxy's `filter_output` is.
 */
export interface OutputFilter {
  readonly param: string;
  readonly equals?: ScalarValue;
  readonly not_equals?: ScalarValue;
}

export interface DataOutput {
  readonly name: string;
  readonly type: 'data';
  readonly filter?: OutputFilter;
}

export interface CollectionOutput {
  readonly name: string;
  readonly type: 'collection';
  readonly collection_type: string;
  readonly filter?: OutputFilter;
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

export const SCALAR_INPUT_TYPES = ['text', 'integer', 'float', 'boolean', 'select'] as const;
export const INPUT_TYPES = ['data', 'data_collection', ...SCALAR_INPUT_TYPES, 'conditional', 'repeat', 'section'] as const;

export function isScalarInput(input: ToolInput): input is ScalarInput {
  return (SCALAR_INPUT_TYPES as readonly string[]).includes(input.type);
}

export function isDatasetInput(input: ToolInput): input is DatasetInput {
  return input.type === 'data' || input.type === 'data_collection';
}

/** The string key a conditional's `whens` uses for a test value. */
export function whenKey(value: ScalarValue): string {
  return typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
}
