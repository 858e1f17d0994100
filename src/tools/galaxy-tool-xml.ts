import { InvalidInputError } from '../errors.js';
import { isJsonObject } from '../model/json-checks.js';
import type { Tool } from '../model/tool.js';
import { formatApproximation, type Approximation } from './approximations.js';
import { readTool } from './read-tool.js';
import { expandToolMacros } from './xml-macros.js';
import { childElements, parseXml, readXmlFile, textOf, type XmlElement } from './xml-tree.js';

/**
 * Reads a Galaxy tool's XML into cardfuzz's tool model. Macros are expanded
 * first, as Galaxy does (xml-macros.ts); the `<inputs>` and `<outputs>` are
 * then written out in the vocabulary of Galaxy's own tool JSON (attribute
 * names kept, `<option>`s as options, `<when>`s as cases, `<filter>` texts as
 * filters) and read by the one tool reader (read-tool.ts) that reads case
 * files and `/api/tools/{id}?io_details=true` JSON, so the three agree.
 */
export interface ToolXml {
  readonly tool: Tool;
  readonly approximations: readonly Approximation[];
  /** The approximations as printable lines (kept for callers that print them). */
  readonly warnings: readonly string[];
}

type Json = { [key: string]: unknown };

/** The tool XML as Galaxy's tool JSON would describe it (before reading). */
export function toolXmlToJson(path: string): Json {
  const root = parseXml(readXmlFile(path), path);
  if (root.tag !== 'tool') throw new InvalidInputError(`${path}: the root element is <${root.tag}>, not <tool>`);
  const { tool } = expandToolMacros(root, path);
  const json: Json = { ...tool.attrs };
  const section = (tag: string): XmlElement | undefined => childElements(tool, tag)[0];
  json['inputs'] = inputsToJson(section('inputs')?.children.filter((c): c is XmlElement => 'tag' in c) ?? []);
  json['outputs'] = outputsToJson(section('outputs'));
  return json;
}

export function readGalaxyToolXml(path: string): ToolXml {
  const json = toolXmlToJson(path);
  if (!json['id']) throw new InvalidInputError(`${path}: <tool> has no id`);
  const { tool, approximations } = readTool(json, `${path}: tool`);
  return { tool, approximations, warnings: approximations.map(formatApproximation) };
}

function inputsToJson(elements: readonly XmlElement[]): Json[] {
  return elements.flatMap((element): Json[] => {
    switch (element.tag) {
      case 'page': // legacy multi-page forms: the pages' inputs, in order
        return inputsToJson(childElements(element));
      case 'param':
        return [paramToJson(element)];
      case 'conditional': {
        const [test, ...whens] = childElements(element).filter((c) => c.tag === 'param' || c.tag === 'when');
        return [
          {
            ...element.attrs,
            type: 'conditional',
            test_param: test?.tag === 'param' ? paramToJson(test) : undefined,
            cases: whens.filter((w) => w.tag === 'when').map((w) => ({ ...w.attrs, value: w.attrs['value'] ?? '', inputs: inputsToJson(childElements(w)) })),
          },
        ];
      }
      case 'repeat':
      case 'section':
      case 'upload_dataset':
        return [{ ...element.attrs, type: element.tag, inputs: inputsToJson(childElements(element)) }];
      default:
        return []; // not a parameter (Galaxy reads only param, conditional, repeat, section, upload_dataset)
    }
  });
}

function paramToJson(element: XmlElement): Json {
  const json: Json = { ...element.attrs };
  const options = childElements(element, 'option');
  if (element.attrs['type'] === 'drill_down') {
    // DrillDownSelectToolParameter: nested <option name value [selected]> inside <options>; from_file makes them dynamic.
    const nested = (e: XmlElement): XmlElement[] => childElements(e, 'option').flatMap((o) => [o, ...nested(o)]);
    const tree = childElements(element, 'options').flatMap((o) => (o.attrs['from_file'] === undefined ? nested(o) : []));
    json['options'] = tree.map((o) => ({ value: o.attrs['value'] ?? '', ...(o.attrs['selected'] !== undefined ? { selected: o.attrs['selected'] } : {}) }));
    return json;
  }
  const dynamic = childElements(element, 'options').length > 0 || element.attrs['dynamic_options'] !== undefined;
  if (element.attrs['type'] === 'text' || element.attrs['type'] === undefined) {
    // TextToolParameter: <option>s are suggestions (its datalist), not a choice.
    if (options.length > 0) json['datalist'] = options.map((o) => o.attrs['value'] ?? textOf(o).trim());
  } else if (element.attrs['type'] === 'select' || options.length > 0 || dynamic) {
    // SelectToolParameter: <options> (or dynamic_options) make the options dynamic; else the <option>s are static.
    json['options'] = dynamic ? [] : options.map((o) => ({ value: o.attrs['value'] ?? textOf(o).trim(), ...(o.attrs['selected'] !== undefined ? { selected: o.attrs['selected'] } : {}) }));
    if (dynamic) json['is_dynamic'] = true;
  }
  return json;
}

function outputsToJson(outputs: XmlElement | undefined): Json[] {
  if (outputs === undefined) return [];
  return childElements(outputs).flatMap((element): Json[] => {
    const filters = childElements(element, 'filter').map((f) => textOf(f).trim());
    const discover = childElements(element, 'discover_datasets').map((d) => ({ ...d.attrs }));
    const common: Json = {
      ...(filters.length > 0 ? { filters } : {}),
      ...(discover.length > 0 ? { discover_datasets: discover } : {}),
      ...(childElements(element, 'actions').length > 0 ? { actions: true } : {}),
      ...(childElements(element, 'change_format').length > 0 ? { change_format: true } : {}),
    };
    if (element.tag === 'data') return [{ ...element.attrs, output_type: 'data', ...common }];
    if (element.tag === 'collection') {
      const { type, type_source: typeSource, ...rest } = element.attrs;
      const elements = childElements(element, 'data').map((d) => ({ ...d.attrs }));
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
}

/** Whether a parsed JSON document looks like a tool (for `--tool FILE.json`). */
export function looksLikeTool(value: unknown): boolean {
  return isJsonObject(value) && typeof value['id'] === 'string' && ('inputs' in value || 'outputs' in value);
}
