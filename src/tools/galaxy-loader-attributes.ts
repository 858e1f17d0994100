/**
 * THE list of XML attributes Galaxy's classic tool loader reads, per element
 * and per parameter type. Galaxy reads attributes with `elem.get(name)` /
 * `input_source.get(name)` and never sweeps `attrib`, so any other attribute
 * is silently ignored when the tool loads (it is only an XSD lint error). The
 * Galaxy tool XML reader (galaxy-tool-xml.ts) keeps the attributes listed here,
 * drops the others and lists them in one note per tool; `--strict` keeps them
 * all, so the reader refuses what it does not know, as a linter would.
 *
 * Sources (galaxyproject/galaxy): lib/galaxy/tools/parameters/basic.py
 * (`ToolParameter.__init__` and each subclass's `__init__`, `parameter_types`),
 * lib/galaxy/tools/__init__.py (`Tool.parse_input_elem` for conditional,
 * repeat and section), lib/galaxy/tool_util/parser/xml.py
 * (`XmlInputSource.parse_when_input_sources`, `XmlToolSource._parse_output`,
 * `parse_outputs._parse_collection`).
 */

/** `ToolParameter.__init__`: what every parameter reads (`parse_name` reads name, else argument). */
const TOOL_PARAMETER = ['name', 'argument', 'type', 'hidden', 'refresh_on_change', 'optional', 'label', 'help'] as const;
/** `SelectToolParameter.__init__` (`value` is never read: the default is the selected option, else the first). */
const SELECT_TOOL_PARAMETER = [...TOOL_PARAMETER, 'multiple', 'display', 'separator', 'dynamic_options'] as const;
/** `TextToolParameter.__init__` (also the base of integer and float). */
const TEXT_TOOL_PARAMETER = [...TOOL_PARAMETER, 'value', 'area'] as const;
/** `BaseDataToolParameter.__init__` and `_parse_formats`. */
const BASE_DATA_TOOL_PARAMETER = [...TOOL_PARAMETER, 'min', 'max', 'format'] as const;
/** `DataToolParameter.__init__` and `_parse_allow_uri_if_protocol`. */
const DATA_TOOL_PARAMETER = [...BASE_DATA_TOOL_PARAMETER, 'load_contents', 'no_validation', 'tag', 'multiple', 'allow_uri_if_protocol'] as const;

/** basic.py `parameter_types`: each type Galaxy builds, with the attributes its class reads. */
export const GALAXY_PARAMETER_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  text: TEXT_TOOL_PARAMETER,
  integer: [...TEXT_TOOL_PARAMETER, 'min', 'max'],
  float: [...TEXT_TOOL_PARAMETER, 'min', 'max'],
  // BooleanToolParameter: `boolean_true_and_false_values`, `boolean_is_checked` (`value` is never read).
  boolean: [...TOOL_PARAMETER, 'checked', 'truevalue', 'falsevalue'],
  genomebuild: SELECT_TOOL_PARAMETER,
  select: SELECT_TOOL_PARAMETER,
  color: [...TOOL_PARAMETER, 'value', 'rgb'],
  // SelectTagParameter and ColumnListParameter: `default_value` (legacy), else `value`.
  group_tag: [...SELECT_TOOL_PARAMETER, 'group', 'accept_default', 'data_ref', 'default_value', 'value'],
  data_column: [...SELECT_TOOL_PARAMETER, 'numerical', 'accept_default', 'data_ref', 'default_value', 'value', 'use_header_names'],
  hidden: [...TOOL_PARAMETER, 'value'],
  hidden_data: [...DATA_TOOL_PARAMETER, 'value'],
  baseurl: [...TOOL_PARAMETER, 'value'],
  file: TOOL_PARAMETER,
  ftpfile: [...TOOL_PARAMETER, 'multiple'],
  data: DATA_TOOL_PARAMETER,
  // DataCollectionToolParameter: `multiple` is forced to False whatever the XML says.
  data_collection: [...BASE_DATA_TOOL_PARAMETER, 'collection_type'],
  rules: TOOL_PARAMETER,
  directory_uri: [...TOOL_PARAMETER, 'value'],
  // DrillDownSelectToolParameter calls ToolParameter.__init__ directly: no `value`; `dynamic_options` via xml.py
  // parse_drill_down_dynamic_options, `from_file` via parse_drill_down_static_options.
  drill_down: [...TOOL_PARAMETER, 'multiple', 'display', 'hierarchy', 'separator', 'dynamic_options', 'from_file'],
};

/** The grouping and output elements (tools/__init__.py `parse_input_elem`; xml.py `parse_when_input_sources`, `_parse_output`, `_parse_collection`). */
export const GALAXY_ELEMENT_ATTRIBUTES: Readonly<Record<'conditional' | 'when' | 'repeat' | 'section' | 'data_output' | 'collection_output', readonly string[]>> = {
  conditional: ['name', 'value_ref', 'value_ref_in_group', 'value_from'],
  when: ['value'],
  repeat: ['name', 'title', 'help', 'default', 'min', 'max'],
  section: ['name', 'title', 'help', 'expanded'],
  data_output: ['name', 'from', 'format', 'auto_format', 'format_source', 'default_identifier_source', 'metadata_source', 'parent', 'label', 'count', 'from_work_dir', 'precreate_directory', 'hidden'],
  collection_output: ['name', 'label', 'format', 'type', 'type_source', 'type_from_rules', 'structured_like', 'inherit_format', 'inherit_metadata', 'format_source', 'metadata_source'],
};

/** The attributes of `attrs` that `reads` lists, and the names of the others (which Galaxy never looks at). */
export function splitAttributesGalaxyReads(attrs: Readonly<Record<string, string>>, reads: readonly string[]): { readonly kept: Record<string, string>; readonly ignored: string[] } {
  const kept: Record<string, string> = {};
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(attrs)) {
    if (reads.includes(key)) kept[key] = value;
    else ignored.push(key);
  }
  return { kept, ignored };
}
