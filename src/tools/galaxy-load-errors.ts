import { InvalidInputError } from '../errors.js';
import { PYTHON_FLOAT, PYTHON_INT, stringAsBool } from './read-tool.js';
import { childElements, textOf, type XmlElement } from './xml-tree.js';

/**
 * The load errors of Galaxy's classic tool loader that sit in tool XML the
 * JSON form does not carry (dependencies between parameters, `<options>`
 * filters, `<default>`, `<conversion>`, an output's `auto_format`): each
 * raises while Galaxy loads the tool, so the tool does not load, and cardfuzz
 * refuses it with Galaxy's own message. Each rule is named as Galaxy names it
 * and cites the Galaxy file and function that raises. What Galaxy checks only
 * at job time, or only in its linter, is not here. The numeric and type
 * errors of a parameter's attributes are in read-tool.ts and
 * galaxy-tool-xml.ts (`ToolParameter.build`).
 */

/** Galaxy's `parse_name`: the name, else the argument without its leading dashes, other dashes as underscores. */
export function galaxyName(attrs: Readonly<Record<string, string>>): string | undefined {
  return attrs['name'] ?? attrs['argument']?.replace(/^-+/, '').replaceAll('-', '_');
}

/**
 * tools/__init__.py `Tool.parse_input_elem`'s `context`: an ExpressionContext
 * over the dict of the inputs parsed so far at this level, falling back to the
 * enclosing level's (lib/galaxy/util/expressions.py `ExpressionContext.__contains__`).
 * A level's names are added as its inputs are parsed, so a parameter sees the
 * inputs before it at its own level and at each enclosing level, never one
 * after it, one inside a sibling repeat, section or conditional branch, a
 * conditional's test parameter (it is not put in the dict), or one on another
 * `<page>` (each page is parsed with a fresh context).
 */
export class InputScope {
  private readonly names = new Set<string>();
  constructor(private readonly parent?: InputScope) {}

  add(name: string): void {
    this.names.add(name);
  }

  /** Whether `name` was parsed before at this level (the dict itself, `rval`, without the enclosing levels). */
  hasOwn(name: string): boolean {
    return this.names.has(name);
  }

  has(name: string): boolean {
    return this.names.has(name) || (this.parent?.has(name) ?? false);
  }
}

/** Parameter types whose class calls `parse_dynamic_options` (SelectToolParameter and its subclasses; BaseDataToolParameter `_parse_options`). */
const PARSE_DYNAMIC_OPTIONS = ['select', 'genomebuild', 'data_column', 'group_tag', 'data', 'hidden_data', 'data_collection'];

/**
 * dynamic_options.py `filter_types`: the `<filter type>`s Galaxy knows, each with the attributes its class's
 * `__init__` asserts, in the order it asserts them, and the message of each assert.
 */
const FILTER_REQUIRED: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  data_meta: [['ref', "Required 'ref' attribute missing from filter"], ['key', "Required 'key' attribute missing from filter"]],
  param_value: [['ref', "Required 'ref' attribute missing from filter"], ['column', "Required 'column' attribute missing from filter"]],
  static_value: [['value', "Required 'value' attribute missing from filter"], ['column', "Required 'column' attribute missing from filter, when loading from file"]],
  regexp: [['value', "Required 'value' attribute missing from filter"], ['column', "Required 'column' attribute missing from filter, when loading from file"]],
  unique_value: [['column', "Required 'column' attribute missing from filter"]],
  multiple_splitter: [['column', "Required 'column' attribute missing from filter"]],
  attribute_value_splitter: [['column', "Required 'column' attribute missing from filter"]],
  add_value: [['value', "Required 'value' attribute missing from filter"]],
  remove_value: [],
  sort_by: [['column', "Required 'column' attribute missing from filter"]],
};

/**
 * The names a parameter depends on (basic.py `get_dependencies`): a
 * data_column's or group_tag's `data_ref` (`ColumnListParameter`,
 * `SelectTagParameter`: `[self.data_ref]`, None when absent, which Python
 * prints as `None`); for a select, genomebuild, data or hidden_data
 * parameter with `<options>`, `DynamicOptions.get_dependency_names`: the
 * `from_dataset` (read only without `from_data_table` and `from_file`) and
 * each `data_meta` or `param_value` filter's `ref` (a `unique_value` filter
 * depends on the `from_dataset` again). Other types depend on nothing.
 */
export function parameterDependencies(element: XmlElement): string[] {
  const type = element.attrs['type'];
  if (type === 'data_column' || type === 'group_tag') return [element.attrs['data_ref'] ?? 'None'];
  if (type !== 'select' && type !== 'genomebuild' && type !== 'data' && type !== 'hidden_data') return [];
  const options = childElements(element, 'options')[0];
  if (options === undefined) return [];
  const names: string[] = [];
  const { from_data_table: table, from_file: file, from_dataset: dataset } = options.attrs;
  if (table === undefined && file === undefined && dataset !== undefined && dataset !== '') names.push(dataset);
  for (const filter of childElements(options, 'filter')) {
    const filterType = filter.attrs['type']?.trim();
    const ref = filter.attrs['ref'];
    if ((filterType === 'data_meta' || filterType === 'param_value') && ref !== undefined && ref !== '') names.push(ref);
  }
  return names;
}

/**
 * tools/__init__.py `Tool.parse_param_elem`: "Let it throw exception": every
 * dependency must already be in the context (InputScope), else an
 * AssertionError and the tool does not load.
 */
export function checkParseParamElem(element: XmlElement, scope: InputScope, toolId: string, where: string): void {
  const name = galaxyName(element.attrs) ?? '';
  for (const dependency of parameterDependencies(element)) {
    if (!scope.has(dependency)) throw new InvalidInputError(`${where}: Tool with id '${toolId}': Could not find dependency '${dependency}' of parameter '${name}'`);
  }
}

/**
 * The load errors a `<param>` element raises as its class builds it, beyond
 * its type (`ToolParameter.build`) and its numbers (read-tool.ts).
 */
export function checkParameterElement(element: XmlElement, where: string): void {
  const type = element.attrs['type'];
  const name = galaxyName(element.attrs) ?? '';
  // basic.py ToolParameter.__init__: `validation.to_validators(..., input_source.parse_validators())`.
  for (const validator of childElements(element, 'validator')) checkValidator(validator, where);
  const options = childElements(element, 'options')[0];
  if (type !== undefined && PARSE_DYNAMIC_OPTIONS.includes(type) && options !== undefined) checkDynamicOptions(options, where);
  if (type === 'data' || type === 'hidden_data') {
    // basic.py DataToolParameter.__init__: `int(input_source.get("load_contents", 0))`.
    const loadContents = element.attrs['load_contents'];
    if (loadContents !== undefined && !PYTHON_INT.test(loadContents)) throw new InvalidInputError(`${where}: invalid literal for int() with base 10: '${loadContents}'`);
    // basic.py DataToolParameter.__init__ (parse_conversion_tuples): a <conversion> needs both.
    for (const conversion of childElements(element, 'conversion')) {
      const { name: convName, type: convType } = conversion.attrs;
      if (convName === undefined || convType === undefined) {
        throw new InvalidInputError(`${where}: A name (${convName ?? 'None'}) and type (${convType ?? 'None'}) are required for explicit conversion`);
      }
    }
  }
  if (type === 'data' || type === 'hidden_data' || type === 'data_collection') {
    // basic.py DataToolParameter.__init__ and DataCollectionToolParameter.__init__ (xml.py XmlInputSource.parse_default:
    // a <default> child); `optional` as XmlInputSource.parse_optional reads it for a data parameter.
    if (stringAsBool(element.attrs['optional'] ?? 'false') && childElements(element, 'default').length > 0) {
      throw new InvalidInputError(`${where}: parameter '${name}': Cannot specify a Galaxy tool data parameter to be both optional and have a default value.`);
    }
  }
  if (type === 'drill_down' && element.attrs['dynamic_options'] === undefined && element.attrs['from_file'] === undefined) {
    // xml.py XmlInputSource.parse_drill_down_static_options: a static drill_down needs <options> (`assert options_elem`:
    // an element without children is false, in lxml as in ElementTree), and each <option> a value (`assert value` in
    // _recurse_drill_down_elems).
    if (options === undefined || childElements(options).length === 0) throw new InvalidInputError(`${where}: Non-dynamic drilldown parameters must supply an options element`);
    const nested = (e: XmlElement): XmlElement[] => childElements(e, 'option').flatMap((o) => [o, ...nested(o)]);
    if (nested(options).some((o) => !o.attrs['value'])) throw new InvalidInputError(`${where}: an <option> without a value (AssertionError in xml.py _recurse_drill_down_elems)`);
  }
}

/**
 * dynamic_options.py `DynamicOptions.__init__`: the asserts of its column
 * definitions (`parse_column_definitions`, read when the options come from a
 * file, a dataset or a parameter, not a data table) and of each `<filter>`
 * (`Filter.from_element`: a type, a known type; `DataMetaFilter` and
 * `ParamValueFilter`: a `ref`).
 */
function checkDynamicOptions(options: XmlElement, where: string): void {
  const { from_data_table: table, from_file: file, from_dataset: dataset, from_parameter: parameter } = options.attrs;
  if (!table && (file !== undefined || dataset !== undefined || parameter !== undefined)) {
    const columns = new Set<string>();
    for (const column of childElements(options, 'column')) {
      if (column.attrs['name'] === undefined) throw new InvalidInputError(`${where}: Required 'name' attribute missing from column def`);
      const index = column.attrs['index'];
      if (index === undefined) throw new InvalidInputError(`${where}: Required 'index' attribute missing from column def`);
      if (!PYTHON_INT.test(index)) throw new InvalidInputError(`${where}: invalid literal for int() with base 10: '${index}'`);
      columns.add(column.attrs['name']);
    }
    if (!columns.has('value')) throw new InvalidInputError(`${where}: Required 'value' column missing from column def`);
  }
  for (const filter of childElements(options, 'filter')) {
    const type = filter.attrs['type'];
    if (type === undefined) throw new InvalidInputError(`${where}: Required 'type' attribute missing from filter`);
    const required = FILTER_REQUIRED[type.trim()];
    if (required === undefined) throw new InvalidInputError(`${where}: <filter type="${type}">: no such filter type (KeyError: '${type.trim()}' in dynamic_options.py Filter.from_element)`);
    for (const [attribute, message] of required) if (filter.attrs[attribute] === undefined) throw new InvalidInputError(`${where}: ${message}`);
    const { value, ref, meta_ref: metaRef, key, index } = filter.attrs;
    // AdditionalValueFilter: `int(self.index)`; RemoveValueFilter: a value, a ref, or a meta_ref with a key.
    if (type.trim() === 'add_value' && index !== undefined && !PYTHON_INT.test(index)) throw new InvalidInputError(`${where}: invalid literal for int() with base 10: '${index}'`);
    if (type.trim() === 'remove_value' && value === undefined && ref === undefined && (metaRef === undefined || key === undefined)) {
      throw new InvalidInputError(`${where}: Required 'value', or 'ref', or 'meta_ref' and 'key' attributes missing from filter`);
    }
  }
}

/**
 * xml.py `XmlToolSource._parse_output` for a `<data>` output (top level,
 * `<output type="data">`, or a static element of a `<collection>`, whose
 * format defaults to the collection's): `auto_format` with a format other
 * than "data" raises, and `count` goes through int().
 */
export function checkDataOutput(element: XmlElement, defaultFormat: string, where: string): void {
  const format = element.attrs['format'] ?? defaultFormat;
  if (stringAsBool(element.attrs['auto_format'] ?? 'false') && format !== 'data') throw new InvalidInputError(`${where}: Setting format and auto_format is not supported at this time.`);
  const count = element.attrs['count'];
  if (count !== undefined && !PYTHON_INT.test(count)) throw new InvalidInputError(`${where}: invalid literal for int() with base 10: '${count}'`);
}

/**
 * parser/parameter_validators.py `ValidatorType`: the `<validator type>`s Galaxy knows, each with the fields its
 * pydantic model requires as strings (`(text)`: the element's text, `expression=validator_el.text`).
 */
const VALIDATOR_REQUIRED: Readonly<Record<string, readonly string[]>> = {
  expression: ['(text)'],
  regex: ['(text)'],
  in_range: [],
  length: [],
  metadata: [],
  dataset_metadata_equal: ['metadata_name'],
  unspecified_build: [],
  no_options: [],
  empty_field: [],
  empty_dataset: [],
  empty_extra_files_path: [],
  dataset_metadata_in_data_table: ['table_name', 'metadata_name'],
  dataset_metadata_not_in_data_table: ['table_name', 'metadata_name'],
  dataset_metadata_in_range: ['metadata_name'],
  value_in_data_table: ['table_name'],
  value_not_in_data_table: ['table_name'],
  dataset_ok_validator: [],
  dataset_metadata_in_file: ['filename', 'metadata_name'],
};

/**
 * parser/parameter_validators.py `parse_xml_validator`: a type, a known type, the string fields its model requires,
 * and the numbers it reads (`_parse_int` for length, `_parse_number` for the ranges: float() when the text has ".",
 * "e" or "inf", else int()).
 */
function checkValidator(validator: XmlElement, where: string): void {
  const type = validator.attrs['type'];
  if (type === undefined) throw new InvalidInputError(`${where}: Required 'type' attribute missing from validator`);
  const required = VALIDATOR_REQUIRED[type];
  if (required === undefined) throw new InvalidInputError(`${where}: Unknown 'type' attribute in validator ${type}`);
  for (const field of required) {
    const missing = field === '(text)' ? validator.children.every((c) => !('text' in c)) : validator.attrs[field] === undefined;
    if (missing) throw new InvalidInputError(`${where}: <validator type="${type}">: ${field === '(text)' ? 'expression (the element text)' : field}: Input should be a valid string (a pydantic validation error in parse_xml_validator)`);
  }
  if (type !== 'length' && type !== 'in_range' && type !== 'dataset_metadata_in_range') return;
  for (const key of ['min', 'max'] as const) {
    const raw = validator.attrs[key];
    if (!raw) continue;
    const asFloat = type !== 'length' && (raw.includes('.') || raw.includes('e') || raw.includes('inf'));
    if (asFloat ? !PYTHON_FLOAT.test(raw) : !PYTHON_INT.test(raw)) {
      throw new InvalidInputError(`${where}: ${asFloat ? `could not convert string to float: '${raw}'` : `invalid literal for int() with base 10: '${raw}'`} (<validator type="${type}"> ${key})`);
    }
  }
}

/** galaxy.util `asbool`: true/yes/on/y/t/1 and false/no/off/n/f/0 (any case, blanks around); any other text raises. */
function asbool(value: string | undefined, where: string): boolean {
  if (value === undefined) return false;
  const text = value.trim().toLowerCase();
  if (['true', 'yes', 'on', 'y', 't', '1'].includes(text)) return true;
  if (['false', 'no', 'off', 'n', 'f', '0'].includes(text)) return false;
  throw new InvalidInputError(`${where}: String is not true/false: '${text}'`);
}

/**
 * parser/output_collection_def.py `dataset_collector_descriptions_from_elem` for an output's `<discover_datasets>`:
 * `dataset_collection_description` (from tool-provided metadata, no pattern or sort_by), the asserts of
 * `FilePatternDatasetCollectionDescription` on `sort_by`, the `asbool`s of the flags, and `_validate_collectors`.
 */
export function checkDiscoverDatasets(output: XmlElement, where: string): void {
  const blocks = childElements(output, 'discover_datasets');
  let providedMetadata = false;
  for (const block of blocks) {
    const a = block.attrs;
    const fromProvided = asbool(a['from_provided_metadata'], where);
    const via = a['discover_via'] ?? (fromProvided ? 'tool_provided_metadata' : 'pattern');
    for (const key of ['visible', 'assign_primary_output', 'match_relative_path']) asbool(a[key], where);
    if (via === 'tool_provided_metadata') {
      providedMetadata = true;
      for (const key of ['pattern', 'sort_by']) if (a[key]) throw new InvalidInputError(`${where}: Cannot specify attribute [${key}] if from_provided_metadata is True`);
      continue;
    }
    asbool(a['recurse'], where);
    let sortBy = (a['sort_by'] ?? 'filename').replace(/^reverse_/, '');
    if (sortBy.includes('_')) {
      const comp = sortBy.slice(0, sortBy.indexOf('_'));
      sortBy = sortBy.slice(sortBy.indexOf('_') + 1);
      if (comp !== 'lexical' && comp !== 'numeric') throw new InvalidInputError(`${where}: sort_by="${a['sort_by']}": a comparison other than lexical or numeric (AssertionError in FilePatternDatasetCollectionDescription)`);
    }
    if (!['filename', 'name', 'designation', 'dbkey'].includes(sortBy)) throw new InvalidInputError(`${where}: sort_by="${a['sort_by']}": a key other than filename, name, designation or dbkey (AssertionError in FilePatternDatasetCollectionDescription)`);
  }
  if (providedMetadata && blocks.length > 1) throw new InvalidInputError(`${where}: Cannot specify more than one discover dataset condition if any of them specify tool_provided_metadata.`);
}

/**
 * What tools/__init__.py `Tool.parse` raises on outside the inputs and outputs: xml.py `parse_stdio`
 * (`detect_errors`, `oom_exit_code`), `parse_provided_metadata_style`, `parse_environment_variables`,
 * `parse_interactivetool` (an entry point's port) and `parse_required_files` (a path).
 */
export function checkToolElement(tool: XmlElement, where: string): void {
  const command = childElements(tool, 'command')[0];
  const detect = command?.attrs['detect_errors'];
  if (detect && detect !== 'default') {
    if (detect === 'exit_code') {
      const oom = command?.attrs['oom_exit_code'];
      if (oom !== undefined && !PYTHON_INT.test(oom)) throw new InvalidInputError(`${where}: invalid literal for int() with base 10: '${oom}' (oom_exit_code)`);
    } else if (detect !== 'aggressive') throw new InvalidInputError(`${where}: Unknown detect_errors value encountered [${detect}]`);
  }
  const style = childElements(tool, 'outputs')[0]?.attrs['provided_metadata_style'];
  if (style !== undefined && style !== 'legacy' && style !== 'default') throw new InvalidInputError(`${where}: provided_metadata_style="${style}" is neither legacy nor default (AssertionError in xml.py parse_provided_metadata_style)`);
  for (const variables of childElements(tool, 'environment_variables').slice(0, 1)) {
    for (const variable of childElements(variables, 'environment_variable')) {
      const inject = variable.attrs['inject'];
      const template = textOf(variable) !== '';
      if (inject && !/^(api_key|entry_point_path_for_label|oidc_(id|access|refresh)_token_.*)$/.test(inject)) throw new InvalidInputError(`${where}: inject="${inject}" is not one Galaxy knows (AssertionError in xml.py parse_environment_variables)`);
      if (inject === 'entry_point_path_for_label' && !template) throw new InvalidInputError(`${where}: Environment variable value must contain entry point label when inject="entry_point_path_for_label".`);
      if (inject && inject !== 'entry_point_path_for_label' && template) throw new InvalidInputError(`${where}: Cannot specify inject and environment variable template.`);
    }
  }
  for (const entryPoints of childElements(tool, 'entry_points').slice(0, 1)) {
    for (const entryPoint of childElements(entryPoints, 'entry_point')) {
      if (childElements(entryPoint, 'port').length === 0) throw new InvalidInputError(`${where}: A port is required for InteractiveTools`);
    }
  }
  for (const required of childElements(tool, 'required_files').slice(0, 1)) {
    for (const tag of ['include', 'exclude']) {
      if (childElements(required, tag).some((e) => e.attrs['path'] === undefined)) throw new InvalidInputError(`${where}: "path" must be specified in ${tag}`);
    }
  }
}
