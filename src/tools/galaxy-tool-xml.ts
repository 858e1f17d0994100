import { InvalidInputError, NotModelledError } from '../errors.js';
import { isJsonObject } from '../model/json-checks.js';
import type { Tool } from '../model/tool.js';
import { formatApproximation, type Approximation } from './approximations.js';
import { checkDataOutput, checkDiscoverDatasets, checkParameterElement, checkParseParamElem, checkToolElement, galaxyName, InputScope } from './galaxy-load-errors.js';
import { GALAXY_ELEMENT_ATTRIBUTES, GALAXY_PARAMETER_ATTRIBUTES, splitAttributesGalaxyReads } from './galaxy-loader-attributes.js';
import { profileAtLeast, readTool, stringAsBool } from './read-tool.js';
import { expandToolMacros } from './xml-macros.js';
import { childElements, parseXml, readXmlFile, textOf, type XmlElement } from './xml-tree.js';

/**
 * Reads a Galaxy tool's XML into cardfuzz's tool model, as Galaxy's classic
 * loader reads it. Macros are expanded first, as Galaxy does (xml-macros.ts);
 * the `<inputs>` and `<outputs>` are then written out in the vocabulary of
 * Galaxy's own tool JSON (the attributes Galaxy reads kept, per
 * galaxy-loader-attributes.ts, the others listed in one note; `<option>`s as
 * options, `<when>`s as cases, `<filter>` texts as filters), with the rules
 * Galaxy's loader applies (a later input or output of one name wins, the first
 * `<when>` of one value wins), and read by the one tool reader (read-tool.ts)
 * that reads case files and `/api/tools/{id}?io_details=true` JSON, so the
 * three agree. `strict` skips the rules and keeps every attribute: a linter's view.
 */
export interface ToolXml {
  readonly tool: Tool;
  readonly approximations: readonly Approximation[];
  /** The approximations as printable lines (kept for callers that print them). */
  readonly warnings: readonly string[];
}

type Json = { [key: string]: unknown };

/**
 * How the XML is read. `galaxy` (the default) reads what Galaxy's classic
 * loader reads and resolves what it resolves by its rules, with a note each;
 * `strict` keeps every attribute and refuses what the reader does not know,
 * as a linter would.
 */
export interface ToolXmlOptions {
  readonly strict?: boolean;
}

/**
 * What the conversion noted while applying Galaxy's loader: the attributes
 * Galaxy never reads (one note per tool lists them), and each rule applied.
 */
class LoaderNotes {
  readonly ignored: string[] = [];
  readonly rules: Approximation[] = [];
  constructor(
    readonly toolId: string,
    readonly strict: boolean,
  ) {}

  /** The attributes of `element` Galaxy reads (`reads`); in strict mode all of them. */
  keep(element: XmlElement, reads: readonly string[], where: string): Json {
    if (this.strict) return { ...element.attrs };
    const { kept, ignored } = splitAttributesGalaxyReads(element.attrs, reads);
    if (ignored.length > 0) this.ignored.push(`${where}: ${ignored.join(', ')}`);
    return kept;
  }

  rule(where: string, construct: string, note: string): void {
    this.rules.push({ at: `${this.toolId} ${where}`, construct, note, changesCounts: false, kind: 'galaxy-rule' });
  }

  approximation(where: string, construct: string, note: string, changesCounts: boolean): void {
    this.rules.push({ at: `${this.toolId} ${where}`, construct, note, changesCounts });
  }

  all(): Approximation[] {
    const ignored: Approximation[] =
      this.ignored.length === 0
        ? []
        : [{ at: this.toolId, construct: "attributes Galaxy's loader never reads", note: `ignored: ${this.ignored.join('; ')}`, changesCounts: false, kind: 'galaxy-rule' }];
    return [...ignored, ...this.rules];
  }
}

/** The tool XML as Galaxy's tool JSON would describe it (before reading), with the notes of Galaxy's loader rules applied. */
export function toolXmlToJson(path: string, options: ToolXmlOptions = {}): { readonly json: Json; readonly notes: readonly Approximation[] } {
  const root = parseXml(readXmlFile(path), path);
  if (root.tag !== 'tool') throw new InvalidInputError(`${path}: the root element is <${root.tag}>, not <tool>`);
  const { tool } = expandToolMacros(root, path);
  // tools/__init__.py Tool.parse: "Missing tool 'id' for tool at '...'".
  if (!tool.attrs['id']) throw new InvalidInputError(`${path}: Missing tool 'id' for tool at '${path}'`);
  const profile = tool.attrs['profile'];
  if (profile !== undefined && !/^\s*\d+(\.\d+)?\s*$/.test(profile)) {
    // xml.py XmlToolSource.__init__ reads the profile with packaging's Version, Tool.parse (parser/util.py
    // parse_profile_version) with float(): a profile both cannot read is a load error.
    throw new InvalidInputError(`${path}: ${/^\s*v?\d+(\.\d+)*\s*$/i.test(profile) ? `could not convert string to float: '${profile}'` : `Invalid version: '${profile}'`} (the tool's profile)`);
  }
  checkToolElement(tool, path);
  const notes = new LoaderNotes(tool.attrs['id'], options.strict === true);
  const json: Json = notes.keep(tool, GALAXY_TOOL_ATTRIBUTES, 'tool');
  if (!tool.attrs['version'] && !notes.strict) {
    // parser/util.py parse_tool_version_with_defaults: below profile 16.04 a tool without a version is 1.0.0.
    if (profileAtLeast(tool.attrs['profile'], '16.04')) throw new InvalidInputError(`${path}: Missing tool 'version' for tool with id '${tool.attrs['id']}' at '${path}'`);
    json['version'] = '1.0.0';
  }
  // xml.py XmlPagesSource: with <page>s, only the pages are read (`pages_elem or [input_elem]`); Tool.parse_inputs
  // parses each page with a fresh context and puts its inputs into one dict, `self.inputs.update(...)`.
  const inputs = childElements(tool, 'inputs')[0];
  const pages = inputs === undefined ? [] : childElements(inputs, 'page');
  if (inputs !== undefined && pages.length > 0) {
    const outside = childElements(inputs).filter((e) => e.tag !== 'page' && INPUT_TAGS.includes(e.tag));
    if (outside.length > 0) notes.rule('inputs', '<inputs> with <page>s', `only the pages are read (xml.py XmlPagesSource): ${outside.map((e) => `<${e.tag} name="${galaxyName(e.attrs) ?? ''}">`).join(', ')} outside them never loaded`);
  }
  const pageInputs = (pages.length > 0 ? pages : inputs === undefined ? [] : [inputs]).flatMap((page) => inputsToJson(childElements(page), '', notes, new InputScope()));
  json['inputs'] = pages.length > 1 ? laterDefinitionWins(pageInputs, '', notes) : pageInputs;
  json['outputs'] = outputsToJson(childElements(tool, 'outputs')[0], notes);
  return { json, notes: notes.all() };
}

export function readGalaxyToolXml(path: string, options: ToolXmlOptions = {}): ToolXml {
  const { json, notes } = toolXmlToJson(path, options);
  const { tool, approximations } = readTool(json, `${path}: tool`, { galaxyLoader: options.strict !== true });
  const all = [...notes, ...approximations];
  return { tool, approximations: all, warnings: all.map(formatApproximation) };
}

/**
 * `<tool>` attributes Galaxy reads (xml.py `XmlToolSource.parse_*`, tools/__init__.py `Tool.parse`,
 * `check_workflow_compatible`).
 */
const GALAXY_TOOL_ATTRIBUTES = ['id', 'name', 'version', 'profile', 'tool_type', 'display_interface', 'require_login', 'license', 'python_template_version', 'workflow_compatible'];

/** The children of an inputs level that Tool.parse_input_elem builds; any other child is skipped. */
const INPUT_TAGS = ['param', 'conditional', 'repeat', 'section', 'upload_dataset'];

/**
 * Tool.parse_input_elem fills a plain dict keyed by name, so a later input of
 * the same name replaces the earlier one, at the earlier one's position (dict
 * insertion order); across <page>s `self.inputs.update` does the same.
 */
function laterDefinitionWins(inputs: readonly Json[], prefix: string, notes: LoaderNotes): Json[] {
  if (notes.strict) return [...inputs];
  const byName = new Map<string, Json>();
  const unnamed: Json[] = [];
  for (const input of inputs) {
    const name = galaxyName(input as Record<string, string>);
    if (name === undefined) {
      unnamed.push(input);
      continue;
    }
    if (byName.has(name)) notes.rule(`input ${prefix}${name}`, 'duplicate input name', "defined twice at one level: the later definition is used, at the first one's position (Tool.parse_input_elem fills a dict by name)");
    byName.set(name, input);
  }
  return [...byName.values(), ...unnamed];
}

/**
 * Tool.parse_input_elem: the children of one level, in document order, each
 * parameter checked against the names parsed before it (`scope`, its context)
 * and then added to it; a group's own inputs are parsed in a context of their own.
 */
function inputsToJson(elements: readonly XmlElement[], prefix: string, notes: LoaderNotes, scope: InputScope): Json[] {
  const inputs = elements.flatMap((element): Json[] => {
    const name = galaxyName(element.attrs) ?? '';
    const where = `input ${prefix}${name}`;
    let json: Json;
    switch (element.tag) {
      case 'param':
        json = paramToJson(element, where, notes);
        checkParseParamElem(element, scope, notes.toolId, where);
        break;
      case 'conditional':
        json = conditionalToJson(element, prefix, notes, scope);
        break;
      case 'repeat':
      case 'section':
        json = { ...notes.keep(element, GALAXY_ELEMENT_ATTRIBUTES[element.tag], where), type: element.tag, inputs: inputsToJson(childElements(element), `${prefix}${name}|`, notes, new InputScope(scope)) };
        break;
      case 'upload_dataset':
        json = { ...element.attrs, type: element.tag, inputs: inputsToJson(childElements(element), `${prefix}${name}|`, notes, new InputScope(scope)) };
        break;
      default:
        return []; // not a parameter (Galaxy reads only param, conditional, repeat, section, upload_dataset)
    }
    scope.add(name);
    return [json];
  });
  return laterDefinitionWins(inputs, prefix, notes);
}

function conditionalToJson(element: XmlElement, prefix: string, notes: LoaderNotes, scope: InputScope): Json {
  const name = galaxyName(element.attrs) ?? '';
  const where = `input ${prefix}${name}`;
  const attrs = notes.keep(element, GALAXY_ELEMENT_ATTRIBUTES.conditional, where);
  if (element.attrs['value_from'] && !notes.strict) checkValueFrom(element, scope, where);
  // xml.py parse_test_input_source: `elem.find("param")`, the first <param> child wherever it stands.
  const test = childElements(element, 'param')[0];
  if (test === undefined && !notes.strict) throw new InvalidInputError(`${where}: <conditional> must have a child <param>`);
  const testName = test === undefined ? '' : (galaxyName(test.attrs) ?? '');
  let testJson = test === undefined ? undefined : paramToJson(test, `input ${prefix}${name}|${testName}`, notes);
  // The test parameter is parsed in the conditional's own level's context and never added to it.
  if (test !== undefined) checkParseParamElem(test, scope, notes.toolId, `input ${prefix}${name}|${testName}`);
  if (test !== undefined && testJson !== undefined && !notes.strict) testJson = conditionalTestParam(test, testJson, `input ${prefix}${name}|${testName}`, notes);
  if (testJson !== undefined && !notes.strict && testJson['optional'] !== undefined) {
    // Tool.parse_input_elem: "... optional ... this is invalid and will be ignored": the test parameter is never optional.
    const { optional: _optional, ...rest } = testJson;
    testJson = rest;
    notes.rule(`input ${prefix}${name}|${testName}`, "optional on a conditional's test parameter", 'Galaxy forces it to false (Tool.parse_input_elem)');
  }
  if (testJson !== undefined && !notes.strict && stringAsBool(String(testJson['multiple'] ?? 'false'))) {
    notes.approximation(`input ${prefix}${name}|${testName}`, `multiple="true" on a conditional's test parameter`, 'Galaxy loads it (lint warns); a list value matches no when at run time (Conditional.get_current_case), so cardfuzz sends single values', false);
  }
  const seen = new Set<string>();
  const cases: Json[] = [];
  for (const when of childElements(element, 'when')) {
    const value = when.attrs['value'] ?? '';
    if (seen.has(value) && !notes.strict) {
      // Conditional.get_current_case returns the first case whose value matches: a second <when> for one value never runs.
      notes.rule(`${where}`, `two <when value="${value}">`, 'the first is used; the second can never be active (Conditional.get_current_case takes the first match)');
      // Tool.parse_input_elem still parses its inputs, so a load error there refuses the tool; what it notes is dropped.
      inputsToJson(childElements(when), `${prefix}${name}|`, new LoaderNotes(notes.toolId, notes.strict), new InputScope(scope));
      continue;
    }
    seen.add(value);
    const reachable = testValues(testJson);
    if (!notes.strict && reachable !== undefined && !reachable.includes(value)) {
      // Tool.parse_input_elem loads it with a debug log; Conditional.get_current_case never picks it.
      notes.rule(where, `<when value="${value}">`, `no value of the test parameter selects it (${reachable.join(', ')}): it is never active`);
    }
    cases.push({ ...notes.keep(when, GALAXY_ELEMENT_ATTRIBUTES.when, `${where} when ${value}`), value, inputs: inputsToJson(childElements(when), `${prefix}${name}|`, notes, new InputScope(scope)) });
  }
  return { ...attrs, type: 'conditional', test_param: testJson, cases };
}

/**
 * Tool.parse_input_elem for a conditional with `value_from`: its test parameter is `rval[value_ref]`, an input parsed
 * before it at its own level (`assert value_ref`, then a KeyError), and its cases come from calling Python code named
 * by `value_from` while the tool loads (the upload tool's file-type metadata): not modelled.
 */
function checkValueFrom(element: XmlElement, scope: InputScope, where: string): never {
  const valueRef = element.attrs['value_ref'];
  if (!valueRef) throw new InvalidInputError(`${where}: value_from without a value_ref (AssertionError in Tool.parse_input_elem)`);
  if (!scope.hasOwn(valueRef)) throw new InvalidInputError(`${where}: KeyError: '${valueRef}' (value_ref names no input before it at its level: Tool.parse_input_elem)`);
  throw new NotModelledError(`${where}: a conditional whose cases come from value_from="${element.attrs['value_from']}", Python code Galaxy calls while it loads the tool; cardfuzz cannot run it`);
}

/**
 * Tool.parse_input_elem: `assert isinstance(group_c.test_param, (BooleanToolParameter, SelectToolParameter))`, then
 * `list(group_c.test_param.legal_values)`. The select-like types (genomebuild, data_column, group_tag) are
 * SelectToolParameters whose values are known only at run time, so Galaxy adds no case of its own and they are read
 * as a dynamic select (its values are the when values); a drill_down is a SelectToolParameter too but never sets
 * `legal_values`, so it raises; any other type fails the assert.
 */
function conditionalTestParam(test: XmlElement, json: Json, where: string, notes: LoaderNotes): Json {
  const type = test.attrs['type'] ?? '';
  if (type === 'boolean' || type === 'select') return json;
  if (type === 'drill_down') throw new InvalidInputError(`${where}: 'DrillDownSelectToolParameter' object has no attribute 'legal_values'`);
  if (type !== 'genomebuild' && type !== 'data_column' && type !== 'group_tag') {
    throw new InvalidInputError(`${where}: a conditional's test parameter must be a boolean or a select, got type "${type}" (AssertionError in Tool.parse_input_elem)`);
  }
  notes.rule(where, `type="${type}" as a conditional's test parameter`, 'Galaxy loads it (a SelectToolParameter whose values are known only at run time); read as a dynamic select');
  return { name: galaxyName(test.attrs), type: 'select', options: [], is_dynamic: true, ...(json['multiple'] !== undefined ? { multiple: json['multiple'] } : {}) };
}

/**
 * The values a conditional's test parameter can take, as Conditional.get_current_case compares them: a boolean's
 * truevalue and falsevalue strings, a static select's options; undefined when they are only known at run time.
 */
function testValues(test: Json | undefined): string[] | undefined {
  if (test === undefined) return undefined;
  if (test['type'] === 'boolean') return [String(test['truevalue'] ?? 'true'), String(test['falsevalue'] ?? 'false')];
  if (test['type'] !== 'select' || test['is_dynamic'] === true || !Array.isArray(test['options'])) return undefined;
  return (test['options'] as { value: string }[]).map((o) => o.value);
}

function paramToJson(element: XmlElement, where: string, notes: LoaderNotes): Json {
  const type = element.attrs['type'];
  const name = galaxyName(element.attrs) ?? '';
  if (!notes.strict) {
    // basic.py ToolParameter.build: parse_name first (parser/util.py _parse_name), then the two load errors of its type.
    if (galaxyName(element.attrs) === undefined) throw new InvalidInputError(`${where}: parameter must specify a 'name' or 'argument'.`);
    if (!type) throw new InvalidInputError(`${where}: parameter '${name}' requires a 'type'`);
    if (GALAXY_PARAMETER_ATTRIBUTES[type] === undefined) throw new InvalidInputError(`${where}: parameter '${name}' uses an unknown type '${type}'`);
  }
  checkParameterElement(element, where);
  if (!notes.strict && (type === 'data' || type === 'data_collection') && childElements(element, 'default').length > 0) {
    // xml.py XmlInputSource.parse_default; basic.py DataToolParameter.from_json materialises it when a request leaves
    // the parameter out.
    notes.approximation(where, '<default>', 'Galaxy creates this dataset or collection when a request leaves the parameter out; cardfuzz always sends one', false);
  }
  const json: Json = notes.keep(element, type === undefined ? [] : (GALAXY_PARAMETER_ATTRIBUTES[type] ?? []), where);
  if (!notes.strict && (type === 'data_column' || type === 'group_tag') && element.attrs['default_value'] !== undefined) {
    // ColumnListParameter / SelectTagParameter: the legacy `default_value` wins over `value`.
    json['value'] = element.attrs['default_value'];
    delete json['default_value'];
  }
  if (!notes.strict && type === 'data_column' && typeof json['value'] === 'string') {
    // ColumnListParameter._strip_c: "c2" is column 2.
    json['value'] = json['value'].trim().replace(/^c(\d+)$/i, '$1');
  }
  const options = childElements(element, 'option');
  if (type === 'drill_down') {
    // DrillDownSelectToolParameter: nested <option name value [selected]> inside the first <options>
    // (xml.py parse_drill_down_static_options; a `from_file` on the parameter reads them from a file, one on <options> is not read).
    const nested = (e: XmlElement): XmlElement[] => childElements(e, 'option').flatMap((o) => [o, ...nested(o)]);
    const tree = childElements(element, 'options').slice(0, 1).flatMap(nested);
    if (element.attrs['from_file'] !== undefined && !notes.strict) {
      notes.approximation(where, `from_file="${element.attrs['from_file']}"`, "Galaxy reads the drill_down's options from this file under its tool-data path; cardfuzz has no options for it and sends none", false);
    }
    delete json['from_file'];
    json['options'] = tree.map((o) => ({ value: o.attrs['value'] ?? '', ...(o.attrs['selected'] !== undefined ? { selected: o.attrs['selected'] } : {}) }));
    return json;
  }
  const dynamic = childElements(element, 'options').length > 0 || element.attrs['dynamic_options'] !== undefined;
  if (type === 'text' || type === undefined) {
    // TextToolParameter: <option>s are suggestions (its datalist), not a choice.
    if (options.length > 0) json['datalist'] = options.map((o) => o.attrs['value'] ?? textOf(o).trim());
  } else if (type === 'select' || options.length > 0 || dynamic) {
    // SelectToolParameter: <options> (or dynamic_options) make the options dynamic; else the <option>s are static.
    const listed = options.map((o) => ({ value: o.attrs['value'] ?? textOf(o).trim(), ...(o.attrs['selected'] !== undefined ? { selected: o.attrs['selected'] } : {}) }));
    // xml.py parse_static_options: options go into a dict by value, so a later <option> of one value replaces the
    // earlier one (its `selected` too), at the earlier one's position.
    json['options'] = dynamic ? [] : notes.strict ? listed : [...new Map(listed.map((o) => [o.value, o])).values()];
    if (dynamic) json['is_dynamic'] = true;
  }
  if (!notes.strict && type === 'select' && json['multiple'] !== undefined && stringAsBool(String(json['multiple'])) && json['optional'] === undefined) {
    // SelectToolParameter: `parse_optional(self.multiple)`, a multiple select is optional unless it says otherwise.
    json['optional'] = 'true';
  }
  return json;
}

/**
 * xml.py `parse_outputs`: outputs go into dicts keyed by name, so a later
 * output of the same name replaces the earlier one, at the earlier one's position.
 */
function outputsToJson(outputs: XmlElement | undefined, notes: LoaderNotes): Json[] {
  if (outputs === undefined) return [];
  const list = childElements(outputs).flatMap((element): Json[] => {
    const where = `output ${element.attrs['name'] ?? ''}`;
    const filters = childElements(element, 'filter').map((f) => textOf(f).trim());
    const discover = childElements(element, 'discover_datasets').map((d) => ({ ...d.attrs }));
    const common: Json = {
      ...(filters.length > 0 ? { filters } : {}),
      ...(discover.length > 0 ? { discover_datasets: discover } : {}),
      ...(childElements(element, 'actions').length > 0 ? { actions: true } : {}),
      ...(childElements(element, 'change_format').length > 0 ? { change_format: true } : {}),
    };
    if (element.tag === 'data' || (element.tag === 'output' && element.attrs['type'] === 'data')) checkDataOutput(element, 'data', where);
    if (element.tag === 'data' || element.tag === 'collection' || element.tag === 'output') checkDiscoverDatasets(element, where);
    if (element.tag === 'data') return [{ ...notes.keep(element, GALAXY_ELEMENT_ATTRIBUTES.data_output, where), output_type: 'data', ...common }];
    if (element.tag === 'collection') {
      // xml.py parse_outputs._parse_collection: `assert name`, then each static element through _parse_output (its format
      // defaulting to the collection's) and `assert output_name`.
      if (!element.attrs['name']) throw new InvalidInputError(`${where}: a <collection> output without a name (AssertionError in xml.py parse_outputs._parse_collection)`);
      const elementNames = new Set<string>();
      for (const d of childElements(element, 'data')) {
        checkDataOutput(d, element.attrs['format'] ?? 'data', `${where}|${d.attrs['name'] ?? ''}`);
        checkDiscoverDatasets(d, `${where}|${d.attrs['name'] ?? ''}`);
        const elementName = d.attrs['name'];
        if (!elementName) throw new InvalidInputError(`${where}: a <data> element of a <collection> output without a name (AssertionError in xml.py parse_outputs._parse_collection)`);
        // The second `del data_dict[output_name]` of one name raises.
        if (elementNames.has(elementName)) throw new InvalidInputError(`${where}: KeyError: '${elementName}' (two <data name="${elementName}"> in one collection: xml.py parse_outputs._parse_collection)`);
        elementNames.add(elementName);
      }
      const { type, type_source: typeSource, ...rest } = notes.keep(element, GALAXY_ELEMENT_ATTRIBUTES.collection_output, where) as Record<string, string>;
      const elements = childElements(element, 'data').map((d) => {
        if (childElements(d, 'filter').length > 0) {
          notes.approximation(`${where}|${d.attrs['name'] ?? ''}`, '<filter> on a collection element', 'cardfuzz creates every static element; Galaxy leaves out those whose filter is false', false);
        }
        return { ...d.attrs };
      });
      return [
        {
          ...rest,
          output_type: 'collection',
          ...(type !== undefined ? { collection_type: type } : {}),
          ...(typeSource !== undefined ? { collection_type_source: typeSource } : {}),
          ...(elements.length > 0 ? { elements } : {}),
          ...common,
        },
      ];
    }
    if (element.tag === 'output') {
      // An expression tool's output: `type` is integer, float, text, boolean (or data).
      return [{ ...element.attrs, output_type: element.attrs['type'] ?? 'data' }];
    }
    return [];
  });
  if (notes.strict) return list;
  const byName = new Map<string, Json>();
  const unnamed: Json[] = [];
  for (const output of list) {
    const name = output['name'];
    if (typeof name !== 'string') {
      unnamed.push(output);
      continue;
    }
    if (byName.has(name)) notes.rule(`output ${name}`, 'duplicate output name', "defined twice: the later definition is used, at the first one's position (xml.py parse_outputs fills a dict by name)");
    byName.set(name, output);
  }
  return [...byName.values(), ...unnamed];
}

/** Whether a parsed JSON document looks like a tool (for `--tool FILE.json`). */
export function looksLikeTool(value: unknown): boolean {
  return isJsonObject(value) && typeof value['id'] === 'string' && ('inputs' in value || 'outputs' in value);
}
