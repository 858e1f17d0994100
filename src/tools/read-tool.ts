import { isValidCollectionType } from '../model/collection-types.js';
import { NotModelledError } from '../errors.js';
import { describeJson, expectArray, expectNonEmptyString, expectObject, fail, isJsonObject, type JsonObject } from '../model/json-checks.js';
import type { BooleanInput, CollectionOutput, CollectionOutputElement, DataOutput, DiscoverDatasets, OutputFilter, ScalarValue, SelectInput, Tool, ToolInput, ToolOutput } from '../model/tool.js';
import { ApproximationLog, type Approximation } from './approximations.js';
import { checkGalaxyKeys, didYouMean, type KeyScope } from './galaxy-attributes.js';
import { parsePython } from '../executor/python-subset.js';

/**
 * The one reader of a tool description. A case file's `tool`, Galaxy tool XML
 * (turned into this JSON by galaxy-tool-xml.ts) and the JSON of Galaxy's
 * `GET /api/tools/{id}?io_details=true` all come here, so the three agree by
 * construction. It reads Galaxy's own names: an output's kind as `type` (case
 * files) or `output_type` (Galaxy's JSON), a parameter's kind as `type` or its
 * `model_class`, a conditional's branches as `whens` (case files) or `cases`
 * (Galaxy's JSON), a select's options as strings or as Galaxy's
 * `[label, value, selected]` triples, an output collection's type as
 * `collection_type` or in Galaxy's `structure`. Galaxy attributes that cannot
 * change cardinality are accepted and ignored (galaxy-attributes.ts); any other
 * unknown key is refused with a "did you mean", except in tool XML read as
 * Galaxy's loader reads it (`galaxyLoader`), where it is noted. What the model
 * cannot carry is recorded as an approximation, never dropped silently.
 */
export interface ReadToolResult {
  readonly tool: Tool;
  readonly approximations: readonly Approximation[];
}

/** `model_class` of each parameter kind (lib/galaxy/tools/parameters/basic.py `parameter_types`). */
const MODEL_CLASSES: Readonly<Record<string, string>> = {
  TextToolParameter: 'text',
  IntegerToolParameter: 'integer',
  FloatToolParameter: 'float',
  BooleanToolParameter: 'boolean',
  GenomeBuildParameter: 'genomebuild',
  SelectToolParameter: 'select',
  ColorToolParameter: 'color',
  SelectTagParameter: 'group_tag',
  ColumnListParameter: 'data_column',
  HiddenToolParameter: 'hidden',
  HiddenDataToolParameter: 'hidden_data',
  BaseURLToolParameter: 'baseurl',
  FileToolParameter: 'file',
  FTPFileToolParameter: 'ftpfile',
  DataToolParameter: 'data',
  DataCollectionToolParameter: 'data_collection',
  LibraryDatasetToolParameter: 'library_data',
  RulesListToolParameter: 'rules',
  DirectoryUriToolParameter: 'directory_uri',
  DrillDownSelectToolParameter: 'drill_down',
  Conditional: 'conditional',
  Repeat: 'repeat',
  Section: 'section',
  UploadDataset: 'upload_dataset',
};

/** Parameter kinds the model has no kind of its own for: sent as text, and why that changes no count. */
const TEXT_LIKE: Readonly<Record<string, string | null>> = {
  text: null,
  directory_uri: 'a directory URI is sent as text',
  library_data: 'library datasets are not history items and never batch or map; sent as text',
  rules: 'a rules value is one JSON document; sent as text',
  file: 'an uploaded file comes with the request, not from the history, and never batches or maps; sent as text',
  ftpfile: 'an FTP file name comes with the request, not from the history, and never batches or maps; sent as text',
};

/** What Galaxy loads but cardfuzz does not model: the tool is reported as not modelled, never as refused by Galaxy. */
const NOT_MODELLED_TYPES: Readonly<Record<string, string>> = {
  upload_dataset: "upload tools are not modelled: an <upload_dataset>'s files come with the request, not from the history, and Galaxy runs them through its upload action, not the tool execution path cardfuzz models",
};

/** Galaxy's `string_as_bool`: `true`, `yes`, `on` and `1` (any case) are true. */
export function stringAsBool(value: string): boolean {
  return ['true', 'yes', 'on', '1'].includes(value.trim().toLowerCase());
}

export interface ReadToolOptions {
  /**
   * The tool comes from Galaxy tool XML read as Galaxy's loader reads it
   * (galaxy-tool-xml.ts has kept only the attributes Galaxy reads): what Galaxy
   * loads is accepted, with a note where the model cannot carry it, and only
   * Galaxy's own load errors refuse the tool. Otherwise (case files, Galaxy's
   * tool JSON, `--strict`) an unknown key is refused with a "did you mean".
   */
  readonly galaxyLoader?: boolean;
}

class Reader {
  readonly log = new ApproximationLog();
  /** API-JSON shaped (Galaxy served it), as opposed to a case file or XML. */
  fromGalaxyJson = false;
  /** The tool's `profile` (absent: 16.01). */
  profile: string | undefined;

  constructor(
    readonly toolId: string,
    readonly galaxyLoader: boolean,
  ) {}

  note(where: string, construct: string, note: string, changesCounts: boolean): void {
    this.log.add({ at: `${this.toolId} ${where}`, construct, note, changesCounts });
  }

  rule(where: string, construct: string, note: string): void {
    this.log.add({ at: `${this.toolId} ${where}`, construct, note, changesCounts: false, kind: 'galaxy-rule' });
  }

  /**
   * checkGalaxyKeys; reading Galaxy's XML as its loader does, a key Galaxy reads
   * but cardfuzz neither models nor lists as unable to change cardinality is noted
   * (it may change counts), not refused.
   */
  check(object: JsonObject, modelled: readonly string[], scopes: readonly KeyScope[], path: string, where: string): void {
    checkGalaxyKeys(object, modelled, scopes, path, this.galaxyLoader ? (key) => this.note(where, `attribute ${key}`, 'Galaxy reads it; cardfuzz does not model it and ignores it', true) : undefined);
  }
}

/** Whether `profile` is at least `release` (tool profiles are Galaxy release numbers such as 16.04 or 23.1). */
export function profileAtLeast(profile: string | undefined, release: string): boolean {
  const parts = (v: string): number[] => v.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const [a, b] = [parts(profile ?? '16.01'), parts(release)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

function readBool(value: unknown, path: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return stringAsBool(value);
  fail(path, `expected true or false, got ${describeJson(value)}`);
}

function optionalBool(object: JsonObject, key: string, path: string): boolean | undefined {
  const value = object[key];
  return value === undefined || value === null ? undefined : readBool(value, `${path}.${key}`);
}

function readNumber(value: unknown, path: string, integer: boolean): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || (integer && !Number.isSafeInteger(n))) fail(path, `expected ${integer ? 'an integer' : 'a number'}, got ${describeJson(value)}`);
  return n;
}

/** A repeat's or data input's bound: absent, null, `inf` and `Infinity` mean unbounded. */
function optionalBound(object: JsonObject, key: string, path: string): number | undefined {
  const value = object[key];
  if (value === undefined || value === null || value === '' || value === 'inf' || value === 'Infinity') return undefined;
  const n = readNumber(value, `${path}.${key}`, true);
  if (n < 0) fail(`${path}.${key}`, `expected an integer of at least 0, got ${n}`);
  return n;
}

function readString(value: unknown, path: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  fail(path, `expected a string, got ${describeJson(value)}`);
}

/** An output's name: Galaxy checks none (xml.py `_parse_output`); a name that is not a Cheetah placeholder is only a lint warning. */
function readOutputName(object: JsonObject, path: string, reader: Reader): string {
  if (!reader.galaxyLoader) return readName(object, path);
  // xml.py _parse_output: a <data> output without a name loads, named None (lint warns).
  if (object['name'] === undefined || object['name'] === null || object['name'] === '') throw new NotModelledError(`${path}: an output without a name: Galaxy loads it (its name is None); cardfuzz cannot carry it`);
  const name = readString(object['name'], `${path}.name`);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) reader.rule(`output ${name}`, 'output name', 'not a valid Cheetah placeholder (a lint warning); Galaxy loads it as it is');
  return name;
}

function readName(object: JsonObject, path: string, reader?: Reader): string {
  let name = object['name'];
  if ((name === undefined || name === null || name === '') && typeof object['argument'] === 'string') {
    // Galaxy's parse_name: a parameter without a name is named after its argument.
    name = object['argument'].replace(/^-+/, '').replaceAll('-', '_');
  }
  const text = expectNonEmptyString(name, `${path}.name`);
  if (reader?.galaxyLoader === true) {
    // Galaxy's loader checks no parameter name (a name that is not a Cheetah placeholder is a lint error only);
    // cardfuzz cannot carry a name that collides with its request keys.
    // A name starting with __ is carried: the legacy API drops such keys as Galaxy's expand_flat_parameters_to_nested does.
    if (text.includes('|')) throw new NotModelledError(`${path}.name: "${text}" is a name Galaxy loads but cardfuzz cannot carry ("|" separates nested request keys)`);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) reader.rule(`input ${text}`, 'parameter name', 'not a valid Cheetah placeholder (a lint error); Galaxy loads it as it is');
    return text;
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(text) || text.startsWith('__')) {
    fail(`${path}.name`, `"${text}" is not a usable parameter name (letters, digits and _, not starting with __)`);
  }
  return text;
}

function checkUniqueNames(names: readonly string[], path: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) fail(path, `duplicate name "${name}"`);
    seen.add(name);
  }
}

function parameterType(object: JsonObject, path: string): string {
  const type = object['type'];
  const modelClass = object['model_class'];
  const fromClass = typeof modelClass === 'string' ? MODEL_CLASSES[modelClass] : undefined;
  if (modelClass !== undefined && fromClass === undefined) fail(`${path}.model_class`, `"${String(modelClass)}" is not a Galaxy parameter class cardfuzz knows`);
  if (type === undefined || type === null) {
    if (fromClass === undefined) fail(`${path}.type`, 'a parameter needs a type (or a model_class)');
    return fromClass;
  }
  const text = expectNonEmptyString(type, `${path}.type`);
  if (fromClass !== undefined && fromClass !== text) fail(path, `type "${text}" disagrees with model_class "${String(modelClass)}"`);
  return text;
}

export function readTool(value: unknown, path: string, options: ReadToolOptions = {}): ReadToolResult {
  const object = expectObject(value, path);
  const id = expectNonEmptyString(object['id'], `${path}.id`);
  const reader = new Reader(id, options.galaxyLoader === true);
  reader.check(object, ['id', 'version', 'tool_type', 'inputs', 'outputs'], ['tool'], path, 'tool');
  reader.profile = typeof object['profile'] === 'string' || typeof object['profile'] === 'number' ? String(object['profile']) : undefined;
  // Galaxy's own JSON carries `model_class` on the tool, each parameter and each output (Dictifiable.to_dict).
  const hasModelClass = (list: unknown): boolean => Array.isArray(list) && list.some((o) => isJsonObject(o) && 'model_class' in o);
  reader.fromGalaxyJson = 'model_class' in object || hasModelClass(object['inputs']) || hasModelClass(object['outputs']);
  const version = object['version'] === undefined || object['version'] === null ? undefined : readString(object['version'], `${path}.version`);
  const toolType = readToolType(object['tool_type'], `${path}.tool_type`, reader);
  const inputs = readInputs(object['inputs'] ?? [], `${path}.inputs`, '', reader);
  const outputs = expectArray(object['outputs'] ?? [], `${path}.outputs`).flatMap((o, i) => readOutput(o, `${path}.outputs[${i}]`, reader));
  checkUniqueNames(outputs.map((o) => o.name), `${path}.outputs`);
  if (reader.fromGalaxyJson && outputs.length > 0) {
    reader.note('outputs', '/api/tools JSON', "Galaxy's tool JSON does not include the outputs' <filter>s: every output is kept", true);
  }
  const tool: Tool = {
    id,
    ...(version === undefined ? {} : { version }),
    ...(toolType === undefined ? {} : { tool_type: toolType }),
    inputs,
    outputs,
  };
  return { tool, approximations: reader.log.entries };
}

function readToolType(value: unknown, path: string, reader: Reader): Tool['tool_type'] {
  if (value === undefined || value === null) return undefined;
  const type = expectNonEmptyString(value, path);
  if (type === 'default') return 'default';
  // Both data source kinds go through DataSourceToolAction and are refused by the tool request API.
  if (type === 'data_source' || type === 'data_source_async') return 'data_source';
  reader.note('tool_type', `tool_type="${type}"`, 'runs through its own tool action in Galaxy; modelled as a default tool (the same jobs and collections per request)', false);
  return 'default';
}

function readInputs(value: unknown, path: string, prefix: string, reader: Reader): ToolInput[] {
  const inputs = expectArray(value, path).map((input, i) => readInput(input, `${path}[${i}]`, prefix, reader));
  checkUniqueNames(inputs.map((i) => i.name), path);
  return inputs;
}

const COMMON = ['name', 'type', 'optional'];

function textOrFallback(value: unknown, path: string, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  if (Array.isArray(value)) return value.map((v, i) => readString(v, `${path}[${i}]`)).join(',');
  return readString(value, path);
}

/** Galaxy's `format` (XML) or `extensions` (its JSON): accepted datatypes, kept as the comma-joined text. */
function formatOf(object: JsonObject, path: string): { format?: string } {
  const raw = object['format'] ?? object['extensions'];
  if (raw === undefined || raw === null) return {};
  const format = Array.isArray(raw) ? raw.map((f, i) => readString(f, `${path}.extensions[${i}]`)).join(',') : readString(raw, `${path}.format`);
  // BaseDataToolParameter: `format` defaults to "data" (any datatype).
  return format === '' || format === 'data' ? {} : { format };
}

function readInput(value: unknown, path: string, prefix: string, reader: Reader): ToolInput {
  const object = expectObject(value, path);
  const type = parameterType(object, path);
  const notModelled = NOT_MODELLED_TYPES[type];
  if (notModelled !== undefined) throw new NotModelledError(`${path}: ${notModelled}`);
  if (reader.galaxyLoader && ['conditional', 'repeat', 'section'].includes(type) && (object['name'] === undefined || object['name'] === null)) {
    // Tool.parse_input_elem: a group without a name loads, named None; a <param> without one is refused (galaxy-tool-xml.ts).
    throw new NotModelledError(`${path}: a <${type}> without a name: Galaxy loads it (its name is None); cardfuzz cannot carry it`);
  }
  const name = readName(object, path, reader);
  const where = `input ${prefix}${name}`;
  const opt = optionalBool(object, 'optional', path);
  // Defaults are left implicit (optional, multiple and inherit_format false, format "data"), so every reader,
  // whether it spells a default out (Galaxy's JSON does) or not, gives the same model.
  const withOptional = opt ? { optional: true } : {};
  const check = (modelled: readonly string[], scopes: readonly KeyScope[]): void => reader.check(object, [...COMMON, ...modelled], ['param', ...scopes], path, where);
  switch (type) {
    case 'hidden_data':
    case 'data': {
      // HiddenDataToolParameter is a DataToolParameter that the form does not show.
      if (type === 'hidden_data') reader.note(where, 'type="hidden_data"', 'read as a data parameter (a dataset the form does not show)', false);
      check(['multiple', 'min', 'max', 'format', 'extensions'], ['data']);
      if (reader.galaxyLoader) checkGalaxyDataBounds(object, name);
      const multiple = optionalBool(object, 'multiple', path);
      const min = optionalBound(object, 'min', path);
      const max = optionalBound(object, 'max', path);
      // DataToolParameter.__init__ raises this when the tool loads.
      if (!multiple && min !== undefined) fail(`${path}.min`, `cannot specify 'min' property on single data parameter. Set multiple="true" to enable this option`);
      if (!multiple && max !== undefined) fail(`${path}.max`, `cannot specify 'max' property on single data parameter. Set multiple="true" to enable this option`);
      return {
        name,
        type: 'data',
        ...(multiple ? { multiple } : {}),
        ...withOptional,
        ...(min === undefined ? {} : { min }),
        ...(max === undefined ? {} : { max }),
        ...formatOf(object, path),
      };
    }
    case 'data_collection': {
      check(['collection_type', 'collection_types', 'format', 'extensions'], ['data_collection']);
      if (reader.galaxyLoader) checkGalaxyDataBounds(object, name);
      const types = collectionTypes(object, path, reader.galaxyLoader);
      if (types.length === 0 && reader.fromGalaxyJson) {
        reader.note(where, 'data_collection without collection_type', "Galaxy's tool JSON does not say which types the parameter takes (its XML does); read as any type", true);
      }
      return { name, type: 'data_collection', ...(types.length === 0 ? {} : { collection_type: types.join(',') }), ...withOptional, ...formatOf(object, path) };
    }
    case 'integer':
    case 'float': {
      check(['value'], [type]);
      if (reader.galaxyLoader) checkGalaxyNumbers(object, name, type);
      // IntegerToolParameter: the value, else (an optional parameter) nothing; cardfuzz falls back to min, then 0.
      const raw = object['value'] ?? object['min'];
      const number = raw === undefined || raw === null || raw === '' ? 0 : readNumber(raw, `${path}.value`, type === 'integer');
      return { name, type, value: number, ...withOptional };
    }
    case 'text': {
      check(['value'], ['text']);
      return { name, type: 'text', value: textOrFallback(object['value'], `${path}.value`, ''), ...withOptional };
    }
    case 'boolean':
      return readBoolean(object, path, name, reader);
    case 'select': {
      check(['options', 'value', 'multiple', 'dynamic'], ['select']);
      return readSelect(object, path, name, where, reader);
    }
    case 'hidden':
    case 'baseurl':
    case 'color':
      check(['value'], ['text']);
      return { name, type, value: textOrFallback(object['value'], `${path}.value`, type === 'color' ? '#000000' : '') };
    case 'drill_down': {
      check(['value', 'options', 'multiple'], ['select']);
      // DrillDownSelectToolParameter: a tree of options, read as the flat list of their values; no default
      // unless an option is selected.
      const options = object['options'] === undefined || object['options'] === null ? [] : readOptions(object['options'], `${path}.options`);
      const multiple = optionalBool(object, 'multiple', path);
      const raw = object['value'];
      const selected = raw !== undefined && raw !== null ? textOrFallback(raw, `${path}.value`, '') : options.find((o) => o.selected)?.value;
      return {
        name,
        type: 'drill_down',
        options: [...new Set(options.map((o) => o.value))],
        ...(selected === undefined ? {} : { value: selected }),
        ...(multiple ? { multiple } : {}),
        ...withOptional,
      };
    }
    case 'data_column':
    case 'group_tag': {
      check(['value', 'data_ref', 'multiple', 'options'], ['select']);
      const multiple = optionalBool(object, 'multiple', path);
      const dataRef = object['data_ref'] === undefined || object['data_ref'] === null ? undefined : readString(object['data_ref'], `${path}.data_ref`);
      // ColumnListParameter: a single column defaults to the first one; a multiple one (unless accept_default) has none.
      const firstColumn = type === 'data_column' && (!multiple || optionalBool(object, 'accept_default', path) === true);
      return {
        name,
        type,
        value: textOrFallback(object['value'], `${path}.value`, firstColumn ? '1' : ''),
        ...(dataRef === undefined ? {} : { data_ref: dataRef }),
        ...(multiple ? { multiple } : {}),
        ...withOptional,
      };
    }
    case 'genomebuild': {
      check(['value', 'multiple', 'options'], ['select']);
      const multiple = optionalBool(object, 'multiple', path);
      return { name, type, value: textOrFallback(object['value'], `${path}.value`, '?'), ...(multiple ? { multiple } : {}), ...withOptional };
    }
    case 'conditional':
      return readConditional(object, path, name, prefix, reader);
    case 'repeat': {
      reader.check(object, ['name', 'type', 'min', 'max', 'inputs'], ['repeat'], path, where);
      const galaxyBounds = reader.galaxyLoader ? galaxyRepeatBounds(object, reader.toolId) : undefined;
      const min = galaxyBounds?.min ?? optionalBound(object, 'min', path) ?? 0;
      const declaredMax = galaxyBounds === undefined ? optionalBound(object, 'max', path) : galaxyBounds.max;
      const max = declaredMax ?? Math.max(min, 4);
      // Galaxy loads a repeat that allows no instance (max 0); a case file must allow one.
      if (max < min || (galaxyBounds === undefined && max < 1)) fail(path, `a repeat needs max >= min and max >= 1 (min ${min}, max ${max})`);
      if (declaredMax === undefined) reader.note(where, 'repeat without max', `cardfuzz generates up to ${max} instances`, false);
      return { name, type: 'repeat', min, max, inputs: readInputs(object['inputs'] ?? [], `${path}.inputs`, `${prefix}${name}|`, reader) };
    }
    case 'section':
      reader.check(object, ['name', 'type', 'inputs'], ['section'], path, where);
      return { name, type: 'section', inputs: readInputs(object['inputs'] ?? [], `${path}.inputs`, `${prefix}${name}|`, reader) };
    default: {
      const why = TEXT_LIKE[type];
      if (why === undefined) {
        const known = [...Object.keys(MODEL_CLASSES).map((c) => MODEL_CLASSES[c]!)].filter((t, i, all) => all.indexOf(t) === i);
        const guess = didYouMean(type, known);
        fail(`${path}.type`, `expected one of ${known.join(', ')}, got "${type}"${guess === undefined ? '' : ` (did you mean "${guess}"?)`}`);
      }
      check(['value', 'options', 'multiple'], ['text', 'select']);
      if (why !== null) reader.note(where, `type="${type}"`, why, false);
      return { name, type: 'text', value: textOrFallback(selectedValue(object['value']), `${path}.value`, ''), ...withOptional };
    }
  }
}

/** What Python's int() reads: an optional sign, digits (single underscores between them), blanks around. */
export const PYTHON_INT = /^\s*[+-]?\d+(_\d+)*\s*$/;
/** What Python's float() reads, inf and nan included. */
export const PYTHON_FLOAT = /^\s*[+-]?((\d+(_\d+)*)?\.?\d+(_\d+)*([eE][+-]?\d+)?|\d+\.|inf(inity)?|nan)\s*$/i;

/**
 * basic.py IntegerToolParameter / FloatToolParameter: a non-empty `value`, `min` or `max` that Python's int()
 * (float()) does not read is a load error, with Galaxy's message.
 */
function checkGalaxyNumbers(object: JsonObject, name: string, type: 'integer' | 'float'): void {
  for (const key of ['value', 'min', 'max'] as const) {
    const raw = object[key];
    if (typeof raw !== 'string' || raw === '') continue;
    if (!(type === 'integer' ? PYTHON_INT : PYTHON_FLOAT).test(raw)) {
      const what = type === 'integer' ? 'an integer' : 'a real number';
      fail(`parameter '${name}'`, key === 'value' ? `the attribute 'value' must be ${what}` : `attribute '${key}' must be ${what}`);
    }
  }
}

/**
 * basic.py BaseDataToolParameter.__init__: a data or data_collection parameter's non-empty `min` or `max` goes
 * through int(), so "inf" too is a load error, with Galaxy's message.
 */
function checkGalaxyDataBounds(object: JsonObject, name: string): void {
  for (const key of ['min', 'max'] as const) {
    const raw = object[key];
    if (typeof raw === 'string' && raw !== '' && !PYTHON_INT.test(raw)) fail(`parameter '${name}'`, `attribute '${key}' must be an integer`);
  }
}

/**
 * tools/__init__.py Tool.parse_input_elem for a <repeat>: `int(default)`, `int(min)` and `float(max)` (absent: 0, 0,
 * infinity), each a load error when Python cannot read it, then `assert min <= max` ("min repeat count must be
 * less-than-or-equal to the max"). The model takes no negative minimum (Galaxy's -1 asks for no instance, as 0 does)
 * and a whole maximum (a request has a whole number of instances); an infinite maximum is no maximum.
 */
function galaxyRepeatBounds(object: JsonObject, toolId: string): { min: number; max: number | undefined } {
  const read = (key: 'default' | 'min' | 'max', python: RegExp, what: string): number | undefined => {
    const raw = object[key];
    if (raw === undefined || raw === null) return undefined;
    const text = String(raw);
    if (!python.test(text)) fail(`repeat attribute '${key}'`, `${what}: '${text}'`);
    const n = Number(text.trim().replaceAll('_', '').replace(/^([+-]?)inf(inity)?$/i, '$1Infinity'));
    return Number.isNaN(n) && !/nan/i.test(text) ? undefined : n;
  };
  read('default', PYTHON_INT, 'invalid literal for int() with base 10');
  const min = read('min', PYTHON_INT, 'invalid literal for int() with base 10') ?? 0;
  const max = read('max', PYTHON_FLOAT, 'could not convert string to float') ?? Number.POSITIVE_INFINITY;
  if (!(min <= max)) fail(`Tool with id '${toolId}'`, 'min repeat count must be less-than-or-equal to the max.');
  return { min: Math.max(0, min), max: Number.isFinite(max) ? Math.floor(max) : undefined };
}

/** A select's (or select-like's) value: a multi-select's first value, or the value itself. */
function selectedValue(value: unknown): unknown {
  return Array.isArray(value) ? (value[0] ?? '') : value;
}

/**
 * A collection type the model does not know. Galaxy's loader checks no collection type (DataCollectionToolParameter
 * splits the text; output_objects.py ToolOutputCollectionStructure keeps it), so a tool read as Galaxy loads it is
 * not modelled, not refused.
 */
function notACollectionType(path: string, message: string, galaxyLoader: boolean): never {
  if (galaxyLoader) throw new NotModelledError(`${path}: ${message}; Galaxy's loader checks no collection type`);
  fail(path, message);
}

function collectionTypes(object: JsonObject, path: string, galaxyLoader: boolean): string[] {
  const raw = object['collection_type'] ?? object['collection_types'];
  if (raw === undefined || raw === null || raw === '') return [];
  const types = Array.isArray(raw) ? raw.map((t, i) => readString(t, `${path}.collection_types[${i}]`)) : readString(raw, `${path}.collection_type`).split(',');
  // DataCollectionToolParameter: `[t.strip() for t in collection_types.split(",")]`.
  const trimmed = types.map((t) => t.trim()).filter((t) => t !== '');
  for (const t of trimmed) {
    if (!isValidCollectionType(t)) notACollectionType(`${path}.collection_type`, `"${t}" is not a collection type cardfuzz models (colon-joined list, paired, paired_or_unpaired, sample_sheet; sample_sheet only outermost)`, galaxyLoader);
  }
  return trimmed;
}

interface SelectOption {
  readonly value: string;
  readonly selected: boolean;
}

/** Options as strings, as `{value, selected}` objects, or as Galaxy's `[label, value, selected]` triples. */
function readOptions(value: unknown, path: string): SelectOption[] {
  return expectArray(value, path).map((o, i) => {
    const p = `${path}[${i}]`;
    if (typeof o === 'string' || typeof o === 'number') return { value: String(o), selected: false };
    if (Array.isArray(o)) {
      if (o.length < 2) fail(p, 'a Galaxy option is [label, value, selected]');
      return { value: readString(o[1], `${p}[1]`), selected: o[2] === true };
    }
    const option = expectObject(o, p);
    checkGalaxyKeys(option, ['value', 'selected', 'label'], [], p);
    return { value: readString(option['value'], `${p}.value`), selected: option['selected'] === undefined ? false : readBool(option['selected'], `${p}.selected`) };
  });
}

/**
 * A select. A dynamic one (Galaxy computes its options: `<options>`, `dynamic_options`, `is_dynamic` in Galaxy's
 * JSON, `dynamic` in case files) keeps the options known (possibly none) and takes any value.
 */
function readSelect(object: JsonObject, path: string, name: string, where: string, reader: Reader): SelectInput {
  const options = object['options'] === undefined || object['options'] === null ? [] : readOptions(object['options'], `${path}.options`);
  const dynamic = optionalBool(object, 'dynamic', path) ?? (object['is_dynamic'] === true || object['is_dynamic'] === 'true' ? true : undefined);
  const multiple = optionalBool(object, 'multiple', path);
  const opt = optionalBool(object, 'optional', path);
  const values = [...new Set(options.map((o) => o.value))];
  if (values.length === 0 && !dynamic) {
    // Galaxy loads a select without options (its only value is none); cardfuzz reads it as a dynamic select.
    reader.note(where, 'select without options', 'read as a dynamic select: its default is sent', false);
  }
  const raw = object['value'];
  let selected: string;
  if (raw !== undefined && raw !== null) {
    selected = textOrFallback(raw, `${path}.value`, '');
    if (!dynamic && !multiple && !values.includes(selected)) fail(`${path}.value`, `"${selected}" is not one of the options ${values.join(', ')}`);
  } else {
    // SelectToolParameter.get_initial_value: the selected option, else the first.
    selected = options.find((o) => o.selected)?.value ?? values[0] ?? '';
  }
  return {
    name,
    type: 'select',
    options: values,
    value: selected,
    ...(multiple ? { multiple } : {}),
    ...(dynamic || values.length === 0 ? { dynamic: true } : {}),
    ...(opt ? { optional: true } : {}),
  };
}

function readBoolean(object: JsonObject, path: string, name: string, reader: Reader): BooleanInput {
  reader.check(object, [...COMMON, 'checked', 'value', 'truevalue', 'falsevalue'], ['param', 'boolean'], path, `input ${name}`);
  // XML and case files say `checked`; Galaxy's JSON gives the initial value as `value` (BooleanToolParameter.get_initial_value).
  const checkedAttr = optionalBool(object, 'checked', path);
  const valueAttr = optionalBool(object, 'value', path);
  if (checkedAttr !== undefined && valueAttr !== undefined && checkedAttr !== valueAttr) fail(path, '"value" and "checked" disagree');
  const truevalue = object['truevalue'] === undefined || object['truevalue'] === null ? undefined : readString(object['truevalue'], `${path}.truevalue`);
  const falsevalue = object['falsevalue'] === undefined || object['falsevalue'] === null ? undefined : readString(object['falsevalue'], `${path}.falsevalue`);
  if ((truevalue ?? 'true') === (falsevalue ?? 'false')) {
    // parser/util.py boolean_true_and_false_values: an error from profile 23.1 on; below it Galaxy loads the tool.
    if (!reader.galaxyLoader) fail(`${path}.truevalue`, 'truevalue and falsevalue are the same string, so a conditional cannot tell them apart');
    if (profileAtLeast(reader.profile, '23.1')) fail(path, `parameter '${name}': Cannot set true and false to the same value`);
    reader.rule(`input ${name}`, `truevalue = falsevalue = "${truevalue ?? 'true'}"`, 'Galaxy loads it below profile 23.1; both values reach the same when (Conditional.get_current_case)');
  }
  const opt = optionalBool(object, 'optional', path);
  return {
    name,
    type: 'boolean',
    value: checkedAttr ?? valueAttr ?? false,
    // Galaxy's defaults ("true"/"false") are left implicit, so every reader gives the same model.
    ...(truevalue === undefined || truevalue === 'true' ? {} : { truevalue }),
    ...(falsevalue === undefined || falsevalue === 'false' ? {} : { falsevalue }),
    ...(opt ? { optional: true } : {}),
  };
}

function readConditional(object: JsonObject, path: string, name: string, prefix: string, reader: Reader): ToolInput {
  reader.check(object, ['name', 'type', 'test_param', 'whens', 'cases'], ['conditional'], path, `input ${prefix}${name}`);
  const testPath = `${path}.test_param`;
  const testObject = expectObject(object['test_param'], testPath);
  const testType = parameterType(testObject, testPath);
  const innerPrefix = `${prefix}${name}|`;
  // The branches: `whens` ({value: inputs}, case files) or `cases` ([{value, inputs}], Galaxy's JSON and the XML reader).
  const branches: { value: string; inputs: unknown; path: string }[] = [];
  if (object['whens'] !== undefined && object['cases'] !== undefined) fail(path, 'give the branches as "whens" or as "cases", not both');
  if (object['cases'] !== undefined) {
    expectArray(object['cases'], `${path}.cases`).forEach((c, i) => {
      const p = `${path}.cases[${i}]`;
      const when = expectObject(c, p);
      reader.check(when, ['value', 'inputs'], ['when'], p, `input ${prefix}${name}`);
      branches.push({ value: readString(when['value'], `${p}.value`), inputs: when['inputs'] ?? [], path: `${p}.inputs` });
    });
  } else {
    for (const [key, inputs] of Object.entries(expectObject(object['whens'] ?? {}, `${path}.whens`))) branches.push({ value: key, inputs, path: `${path}.whens.${key}` });
  }
  let test: SelectInput | BooleanInput;
  if (testType === 'boolean') test = readBoolean(testObject, testPath, readName(testObject, testPath, reader), reader);
  else if (testType === 'select') {
    const select = readInput(testObject, testPath, innerPrefix, reader) as SelectInput;
    if (select.dynamic && branches.length > 0) {
      // A dynamic test parameter: Galaxy takes the branch whose value the parameter has, so the when values are its options.
      const values = [...new Set([...select.options, ...branches.map((b) => b.value)])];
      if (values.length > select.options.length) {
        reader.note(`input ${innerPrefix}${select.name}`, 'dynamic conditional test parameter', `its options are computed at run time; cardfuzz takes the when values (${branches.map((b) => b.value).join(', ')}) as its options`, false);
      }
      test = { ...select, options: values, value: values.includes(select.value) ? select.value : values[0]! };
    } else test = select;
  } else fail(`${testPath}.type`, `a conditional tests a select or boolean, got "${testType}"`);
  // Keyed by each when's value as written: a select option, or a boolean's truevalue/falsevalue
  // (Conditional.get_current_case); a when no test value reaches is kept and never runs, as in Galaxy.
  const whens: Record<string, ToolInput[]> = {};
  for (const branch of branches) {
    if (whens[branch.value] !== undefined) fail(path, `two branches for the test value "${branch.value}"`);
    const inputs = readInputs(branch.inputs, branch.path, innerPrefix, reader);
    if (inputs.some((p) => p.name === test.name)) {
      // Galaxy loads it (the when's inputs are a dict of their own, Tool.parse_input_elem), but its state keeps the
      // test value and the branch's inputs in one dict, so the two share one key.
      const message = `"${test.name}" is the test parameter's own name`;
      if (reader.galaxyLoader) throw new NotModelledError(`${branch.path}: ${message}: Galaxy loads it, but the test value and the parameter share one state key; cardfuzz cannot carry both`);
      fail(branch.path, message);
    }
    whens[branch.value] = inputs;
  }
  return { name, type: 'conditional', test_param: test, whens };
}

const DISCOVER_KEYS = ['pattern', 'directory', 'format', 'ext', 'visible', 'assign_primary_output', 'recurse', 'match_relative_path', 'sort_by', 'from_provided_metadata'];

/** `<discover_datasets>` (XML attributes) or Galaxy's JSON `discover_datasets` (DatasetCollectionDescription.to_dict). */
function readDiscover(value: unknown, path: string, reader: Reader, where: string): DiscoverDatasets[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map((item, i) => {
    const p = Array.isArray(value) ? `${path}[${i}]` : path;
    const o = expectObject(item, p);
    reader.check(o, DISCOVER_KEYS, ['discover'], p, where);
    const out: Record<string, string | boolean> = {};
    for (const key of ['pattern', 'directory', 'format', 'ext', 'sort_by'] as const) if (o[key] !== undefined && o[key] !== null) out[key] = readString(o[key], `${p}.${key}`);
    for (const key of ['visible', 'assign_primary_output', 'recurse', 'match_relative_path', 'from_provided_metadata'] as const) if (o[key] !== undefined && o[key] !== null) out[key] = readBool(o[key], `${p}.${key}`);
    if (o['discover_via'] === 'tool_provided_metadata') out['from_provided_metadata'] = true;
    // Galaxy's defaults (DatasetCollectionDescription), which its JSON spells out and XML leaves implicit.
    for (const [key, fallback] of [['sort_by', 'filename'], ['visible', false], ['assign_primary_output', false], ['recurse', false], ['match_relative_path', false], ['from_provided_metadata', false]] as const) {
      if (out[key] === fallback) delete out[key];
    }
    return out as DiscoverDatasets;
  });
}

function optionalText(object: JsonObject, key: string, path: string): Record<string, string> {
  const v = object[key];
  return v === undefined || v === null || v === '' ? {} : { [key]: readString(v, `${path}.${key}`) };
}

/** An output: data or collection; Galaxy's JSON says `output_type`, case files `type`. */
function readOutput(value: unknown, path: string, reader: Reader): ToolOutput[] {
  const object = expectObject(value, path);
  const kind = object['output_type'] ?? object['type'];
  const name = readOutputName(object, path, reader);
  const where = `output ${name}`;
  // ToolExpressionOutput: integer, float, text, and boolean (spelled `bool` in Galaxy's JSON).
  if (kind === 'integer' || kind === 'float' || kind === 'text' || kind === 'boolean' || kind === 'bool') {
    reader.note(where, `expression output of type ${kind}`, 'a value, not a dataset: no dataset or collection rows', false);
    return [];
  }
  if (kind !== 'data' && kind !== 'collection') fail(`${path}.${'output_type' in object ? 'output_type' : 'type'}`, `expected one of data, collection, got ${describeJson(kind)}`);
  const common = ['name', 'type', 'output_type', 'filter', 'filters', 'format', 'format_source', 'metadata_source', 'hidden', 'discover_datasets'];
  const { filter, filters } = readFilters(object, path, where, reader);
  const hidden = optionalBool(object, 'hidden', path);
  const structure = object['structure'] === undefined ? object : expectObject(object['structure'], `${path}.structure`);
  const discoverRaw = structure['discover_datasets'] ?? object['discover_datasets'];
  const discover = discoverRaw === undefined || discoverRaw === null || (Array.isArray(discoverRaw) && discoverRaw.length === 0) ? undefined : readDiscover(discoverRaw, `${path}.discover_datasets`, reader, where);
  const shared = {
    name,
    ...(filter === undefined ? {} : { filter }),
    ...(filters === undefined ? {} : { filters }),
    ...optionalText(object, 'format', path),
    ...optionalText(object, 'format_source', path),
    ...optionalText(object, 'metadata_source', path),
    ...(hidden ? { hidden } : {}),
    ...(discover === undefined ? {} : { discover_datasets: discover }),
  };
  if (kind === 'data') {
    reader.check(object, common, ['output', 'data_output'], path, where);
    return [{ type: 'data', ...shared } satisfies DataOutput];
  }
  reader.check(object, [...common, 'collection_type', 'structured_like', 'type_source', 'collection_type_source', 'structure', 'inherit_format', 'elements'], ['output', 'collection_output'], path, where);
  if (structure !== object) reader.check(structure, ['collection_type', 'collection_type_source', 'structured_like', 'discover_datasets'], ['structure'], `${path}.structure`, where);
  const declared = structure['collection_type'];
  let collectionType: string | undefined;
  if (declared !== undefined && declared !== null && declared !== '') {
    collectionType = readString(declared, `${path}.collection_type`);
    if (!isValidCollectionType(collectionType)) notACollectionType(`${path}.collection_type`, `"${collectionType}" is not a collection type cardfuzz models`, reader.galaxyLoader);
  }
  const structuredLike = optionalText(structure, 'structured_like', path)['structured_like'];
  const typeSource = optionalText(structure, 'type_source', path)['type_source'] ?? optionalText(structure, 'collection_type_source', path)['collection_type_source'];
  // tool_util/parser/output_objects.py ToolOutputCollectionStructure: a type, or where to take it from.
  if (collectionType === undefined && structuredLike === undefined && typeSource === undefined && discover === undefined) {
    fail(path, 'Output collection types must specify source of collection type information (e.g. structured_like or type_source).');
  }
  if (collectionType !== undefined && typeSource !== undefined) fail(path, 'Cannot set both type and type_source on collection output.');
  const elements = object['elements'] === undefined || object['elements'] === null ? undefined : readElements(object['elements'], `${path}.elements`, reader, where);
  const inheritFormat = optionalBool(object, 'inherit_format', path);
  return [
    {
      type: 'collection',
      ...shared,
      ...(collectionType === undefined ? {} : { collection_type: collectionType }),
      ...(structuredLike === undefined ? {} : { structured_like: structuredLike }),
      ...(typeSource === undefined ? {} : { type_source: typeSource }),
      ...(inheritFormat ? { inherit_format: true } : {}),
      ...(elements === undefined ? {} : { elements }),
    } satisfies CollectionOutput,
  ];
}

/** A collection output's static `<data>` elements. */
function readElements(value: unknown, path: string, reader: Reader, where: string): CollectionOutputElement[] {
  const elements = expectArray(value, path).map((e, i) => {
    const p = `${path}[${i}]`;
    const o = expectObject(e, p);
    reader.check(o, ['name', 'format', 'format_source', 'metadata_source'], ['output', 'data_output'], p, where);
    return { name: expectNonEmptyString(o['name'], `${p}.name`), ...optionalText(o, 'format', p), ...optionalText(o, 'format_source', p), ...optionalText(o, 'metadata_source', p) };
  });
  checkUniqueNames(elements.map((e) => e.name), path);
  return elements;
}

function parseScalar(value: unknown, path: string): ScalarValue {
  if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return value;
  fail(path, `expected a string, number or boolean, got ${describeJson(value)}`);
}

/**
 * A case file's declarative `filter` (or one Galaxy filter text given as `filter`), and Galaxy's `filters` (the
 * Python expressions of the <filter> elements), all kept; a text outside the Python subset the executor evaluates
 * is noted, since Galaxy may drop the output where cardfuzz keeps it.
 */
function readFilters(object: JsonObject, path: string, where: string, reader: Reader): { filter?: OutputFilter; filters?: string[] } {
  let filter: OutputFilter | undefined;
  const texts: string[] = [];
  const raw = object['filter'];
  if (typeof raw === 'string') texts.push(raw.trim());
  else if (raw !== undefined && raw !== null) {
    const f = expectObject(raw, `${path}.filter`);
    checkGalaxyKeys(f, ['param', 'equals', 'not_equals'], [], `${path}.filter`);
    const param = expectNonEmptyString(f['param'], `${path}.filter.param`);
    const hasEquals = f['equals'] !== undefined;
    if (hasEquals === (f['not_equals'] !== undefined)) fail(`${path}.filter`, 'a filter needs exactly one of "equals" and "not_equals"');
    filter = hasEquals ? { param, equals: parseScalar(f['equals'], `${path}.filter.equals`) } : { param, not_equals: parseScalar(f['not_equals'], `${path}.filter.not_equals`) };
  }
  if (object['filters'] !== undefined && object['filters'] !== null) {
    expectArray(object['filters'], `${path}.filters`).forEach((t, i) => {
      // Galaxy's tool source serialises a filter as its text; {"text": "..."} is read too.
      const text = isJsonObject(t) && typeof t['text'] === 'string' ? t['text'] : readString(t, `${path}.filters[${i}]`);
      if (text.trim() === '') {
        // Galaxy loads an empty <filter>; at run time (tools/actions/__init__.py filter_output) its eval raises, which
        // is caught, and the output is created: the filter never drops it.
        if (!reader.galaxyLoader) fail(`${path}.filters[${i}]`, 'an empty filter');
        reader.rule(where, '<filter></filter>', "empty: Galaxy's eval of it fails at run time and the output is kept (filter_output)");
        return;
      }
      texts.push(text.trim());
    });
  }
  for (const text of texts) {
    if (parsePython(text) === null) reader.note(where, `<filter>${text}</filter>`, 'outside the Python subset cardfuzz evaluates; the output is kept as if it were true', true);
  }
  return { ...(filter === undefined ? {} : { filter }), ...(texts.length === 0 ? {} : { filters: texts }) };
}
