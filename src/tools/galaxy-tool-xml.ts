import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { FileAccessError, InvalidInputError } from '../errors.js';
import { isValidCollectionType } from '../model/collection-types.js';
import { parseTool } from '../model/parse-case.js';
import type { OutputFilter, ScalarInput, SelectInput, BooleanInput, Tool, ToolInput, ToolOutput } from '../model/tool.js';

/**
 * Reads a Galaxy tool's XML into cardfuzz's tool model: the `<inputs>` tree
 * (data with `multiple`/`optional`, data_collection with `collection_type`,
 * scalar params, conditional, repeat, section) and the `<outputs>` (data,
 * collection, simple `<filter>` expressions). Macros are expanded: `<import>`ed
 * macro files, `<xml>` macros with `<yield/>` and token parameters, and
 * `@TOKEN@`s. Anything else that changes the parameter tree is refused with a
 * message naming the file and the construct.
 */

export interface ToolXml {
  readonly tool: Tool;
  /** Constructs read approximately (a dynamic select as text, a filter kept as always true, ...). */
  readonly warnings: readonly string[];
}

interface Element {
  readonly tag: string;
  readonly attrs: Record<string, string>;
  readonly children: Node[];
}
type Node = Element | { readonly text: string };

const isElement = (n: Node): n is Element => 'tag' in n;

function parseXml(text: string, file: string): Element {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new InvalidInputError(`${file}: malformed XML (${valid.err.msg} at line ${valid.err.line})`);
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', trimValues: true, parseAttributeValue: false, parseTagValue: false });
  const convert = (raw: Record<string, unknown>): Node | null => {
    const attrs = (raw[':@'] ?? {}) as Record<string, string>;
    for (const key of Object.keys(raw)) {
      if (key === ':@') continue;
      if (key === '#text') return { text: String(raw[key]) };
      if (key === '#comment' || key.startsWith('?')) return null;
      const children = ((raw[key] ?? []) as Record<string, unknown>[]).map(convert).filter((n): n is Node => n !== null);
      return { tag: key, attrs: { ...attrs }, children };
    }
    return null;
  };
  const roots = (parser.parse(text) as Record<string, unknown>[]).map(convert).filter((n): n is Element => n !== null && isElement(n));
  const root = roots[0];
  if (root === undefined) throw new InvalidInputError(`${file}: no root element`);
  return root;
}

function readXmlFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileAccessError(`${path}: cannot read (${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)})`);
  }
}

interface Macros {
  readonly xml: Map<string, { readonly element: Element; readonly tokens: readonly string[] }>;
  readonly tokens: Map<string, string>;
}

function collectMacros(macrosElement: Element, file: string, macros: Macros, seen: Set<string>): void {
  for (const child of macrosElement.children.filter(isElement)) {
    if (child.tag === 'import') {
      const name = child.children.map((c) => ('text' in c ? c.text : '')).join('').trim();
      const path = resolve(dirname(file), name);
      if (seen.has(path)) continue;
      seen.add(path);
      const imported = parseXml(readXmlFile(path), path);
      if (imported.tag !== 'macros') throw new InvalidInputError(`${path}: an imported macro file has a <macros> root, not <${imported.tag}>`);
      collectMacros(imported, path, macros, seen);
    } else if (child.tag === 'xml') {
      const name = child.attrs['name'];
      if (!name) throw new InvalidInputError(`${file}: <xml> macro without a name`);
      const tokens = (child.attrs['tokens'] ?? '').split(',').map((t) => t.trim()).filter(Boolean);
      macros.xml.set(name, { element: child, tokens });
    } else if (child.tag === 'token') {
      const name = child.attrs['name'];
      if (!name) throw new InvalidInputError(`${file}: <token> without a name`);
      macros.tokens.set(name, child.children.map((c) => ('text' in c ? c.text : '')).join(''));
    } else if (child.tag === 'template' || child.tag === 'macro') {
      throw new InvalidInputError(`${file}: <${child.tag}> macros are not supported (only <xml>, <token> and <import>)`);
    }
  }
}

function replaceTokens(text: string, tokens: ReadonlyMap<string, string>): string {
  let out = text;
  for (let i = 0; i < 5 && /@[A-Z0-9_]+@/.test(out); i++) {
    out = out.replace(/@[A-Z0-9_]+@/g, (t) => tokens.get(t) ?? t);
  }
  return out;
}

/** Expands `<expand>`, `<yield/>` and tokens everywhere below `node`. */
function expand(node: Node, macros: Macros, file: string, tokens: ReadonlyMap<string, string>, yielded: readonly Node[] | null, depth = 0): Node[] {
  if (depth > 50) throw new InvalidInputError(`${file}: macros expand too deeply (a macro expands itself?)`);
  if (!isElement(node)) return [{ text: replaceTokens(node.text, tokens) }];
  if (node.tag === 'macros') return [];
  if (node.tag === 'yield') {
    if (node.attrs['name'] !== undefined) throw new InvalidInputError(`${file}: named <yield name="${node.attrs['name']}"/> is not supported`);
    return yielded === null ? [] : [...yielded];
  }
  if (node.tag === 'expand') {
    const name = node.attrs['macro'];
    const macro = name === undefined ? undefined : macros.xml.get(name);
    if (macro === undefined) throw new InvalidInputError(`${file}: <expand macro="${name ?? ''}">: no such macro`);
    const local = new Map(tokens);
    for (const token of macro.tokens) {
      const value = node.attrs[token];
      local.set(`@${token.toUpperCase()}@`, value ?? '');
    }
    const body = node.children.flatMap((c) => expand(c, macros, file, tokens, yielded, depth + 1));
    return macro.element.children.flatMap((c) => expand(c, macros, file, local, body, depth + 1));
  }
  const attrs = Object.fromEntries(Object.entries(node.attrs).map(([k, v]) => [k, replaceTokens(v, tokens)]));
  return [{ tag: node.tag, attrs, children: node.children.flatMap((c) => expand(c, macros, file, tokens, yielded, depth + 1)) }];
}

export function readGalaxyToolXml(path: string): ToolXml {
  const root = parseXml(readXmlFile(path), path);
  if (root.tag !== 'tool') throw new InvalidInputError(`${path}: the root element is <${root.tag}>, not <tool>`);
  const macros: Macros = { xml: new Map(), tokens: new Map() };
  for (const m of root.children.filter(isElement).filter((e) => e.tag === 'macros')) collectMacros(m, path, macros, new Set());
  const tool = expand(root, macros, path, macros.tokens, null)[0] as Element;
  const warnings: string[] = [];
  const id = tool.attrs['id'];
  if (!id) throw new InvalidInputError(`${path}: <tool> has no id`);
  const section = (tag: string): Element | undefined => tool.children.filter(isElement).find((e) => e.tag === tag);
  const inputs = readInputs(section('inputs')?.children ?? [], path, '', warnings);
  const outputs = readOutputs(section('outputs')?.children ?? [], path, warnings);
  const model = {
    id,
    ...(tool.attrs['version'] ? { version: tool.attrs['version'] } : {}),
    ...(tool.attrs['tool_type'] === 'data_source' ? { tool_type: 'data_source' as const } : {}),
    inputs,
    outputs,
  };
  // The same checks a case file's tool gets (unique names, usable parameter names, option values).
  return { tool: parseTool(model, `${path}: tool`), warnings };
}

function readInputs(nodes: readonly Node[], file: string, where: string, warnings: string[]): ToolInput[] {
  const inputs: ToolInput[] = [];
  for (const node of nodes.filter(isElement)) {
    const name = node.attrs['name'];
    const at = `${file}: <${node.tag}${name ? ` name="${name}"` : ''}>${where ? ` in ${where}` : ''}`;
    switch (node.tag) {
      case 'param':
        inputs.push(readParam(node, at, warnings));
        break;
      case 'conditional': {
        if (!name) throw new InvalidInputError(`${at}: a conditional needs a name`);
        const [testNode, ...rest] = node.children.filter(isElement);
        if (testNode?.tag !== 'param') throw new InvalidInputError(`${at}: a conditional starts with its test <param>`);
        const test = readParam(testNode, `${at} test`, warnings);
        if (test.type !== 'select' && test.type !== 'boolean') throw new InvalidInputError(`${at}: the test param is ${test.type}; cardfuzz models select and boolean tests`);
        const trueValues = ['true', 'True', 'yes', testNode.attrs['truevalue'] ?? 'true'];
        const whens: Record<string, ToolInput[]> = {};
        for (const when of rest) {
          if (when.tag !== 'when') throw new InvalidInputError(`${at}: unexpected <${when.tag}> among the whens`);
          const value = when.attrs['value'] ?? '';
          const key = test.type === 'boolean' ? (trueValues.includes(value) ? 'true' : 'false') : value;
          if (test.type === 'select' && !test.options.includes(key)) throw new InvalidInputError(`${at}: <when value="${value}"> is not an option of the test param (${test.options.join(', ')})`);
          whens[key] = readInputs(when.children, file, `${where}${name}|`, warnings);
        }
        inputs.push({ name, type: 'conditional', test_param: test as SelectInput | BooleanInput, whens });
        break;
      }
      case 'repeat': {
        if (!name) throw new InvalidInputError(`${at}: a repeat needs a name`);
        const min = Number(node.attrs['min'] ?? 0);
        const max = node.attrs['max'] === undefined ? Math.max(min, 4) : Number(node.attrs['max']);
        if (!Number.isInteger(min) || !Number.isInteger(max) || max < Math.max(min, 1)) throw new InvalidInputError(`${at}: min and max are integers with max >= min and max >= 1`);
        if (node.attrs['max'] === undefined) warnings.push(`${at}: no max; cardfuzz generates up to ${max} instances`);
        inputs.push({ name, type: 'repeat', min, max, inputs: readInputs(node.children, file, `${where}${name}|`, warnings) });
        break;
      }
      case 'section':
        if (!name) throw new InvalidInputError(`${at}: a section needs a name`);
        inputs.push({ name, type: 'section', inputs: readInputs(node.children, file, `${where}${name}|`, warnings) });
        break;
      case 'upload_dataset':
        throw new InvalidInputError(`${at}: upload tools are not modelled`);
      default:
        break; // labels, help and validators do not change the parameter tree
    }
  }
  return inputs;
}

function readParam(node: Element, at: string, warnings: string[]): Exclude<ToolInput, { type: 'conditional' | 'repeat' | 'section' }> {
  const name = node.attrs['name'] ?? node.attrs['argument']?.replace(/^-+/, '').replaceAll('-', '_');
  if (!name) throw new InvalidInputError(`${at}: a param needs a name (or an argument)`);
  const type = node.attrs['type'];
  const optional = node.attrs['optional'] === 'true' || node.attrs['optional'] === 'True';
  switch (type) {
    case 'data':
      return { name, type: 'data', ...(node.attrs['multiple'] === 'true' || node.attrs['multiple'] === 'True' ? { multiple: true } : {}), ...(optional ? { optional: true } : {}) };
    case 'data_collection': {
      const types = (node.attrs['collection_type'] ?? 'list').split(',').map((t) => t.trim());
      const collectionType = types[0]!;
      if (!isValidCollectionType(collectionType)) throw new InvalidInputError(`${at}: collection_type "${collectionType}" is not one cardfuzz models`);
      if (types.length > 1) warnings.push(`${at}: accepts ${types.join(' or ')}; cardfuzz generates ${collectionType} collections`);
      if (node.attrs['collection_type'] === undefined) warnings.push(`${at}: no collection_type; cardfuzz generates lists`);
      return { name, type: 'data_collection', collection_type: collectionType, ...(optional ? { optional: true } : {}) };
    }
    case 'integer': {
      const value = Number(node.attrs['value'] ?? node.attrs['min'] ?? 0);
      return { name, type: 'integer', value: Number.isInteger(value) ? value : 0 };
    }
    case 'float': {
      const value = Number(node.attrs['value'] ?? node.attrs['min'] ?? 0);
      return { name, type: 'float', value: Number.isFinite(value) ? value : 0 };
    }
    case 'boolean':
      return { name, type: 'boolean', value: node.attrs['checked'] === 'true' || node.attrs['checked'] === 'True' || node.attrs['checked'] === 'yes' };
    case 'select': {
      const options = node.children.filter(isElement).filter((o) => o.tag === 'option');
      if (options.length === 0) {
        warnings.push(`${at}: dynamic options; cardfuzz treats it as text`);
        return { name, type: 'text', value: node.attrs['value'] ?? '' };
      }
      const values = options.map((o) => o.attrs['value'] ?? o.children.map((c) => ('text' in c ? c.text : '')).join(''));
      const selected = options.find((o) => o.attrs['selected'] === 'true' || o.attrs['selected'] === 'True');
      const value = selected ? (selected.attrs['value'] ?? values[0]!) : (node.attrs['value'] ?? values[0]!);
      return { name, type: 'select', options: [...new Set(values)], value: values.includes(value) ? value : values[0]! } satisfies ScalarInput;
    }
    case 'text':
    case 'hidden':
    case 'color':
    case 'data_column':
    case 'genomebuild':
    case 'drill_down':
    case 'group_tag':
    case 'directory_uri':
    case 'baseurl':
      if (type !== 'text' && type !== 'hidden') warnings.push(`${at}: ${type} params are generated as text`);
      return { name, type: 'text', value: node.attrs['value'] ?? '' };
    default:
      throw new InvalidInputError(`${at}: param type "${type ?? ''}" is not one cardfuzz models`);
  }
}

function readOutputs(nodes: readonly Node[], file: string, warnings: string[]): ToolOutput[] {
  const outputs: ToolOutput[] = [];
  for (const node of nodes.filter(isElement)) {
    if (node.tag !== 'data' && node.tag !== 'collection') continue;
    const name = node.attrs['name'];
    const at = `${file}: <${node.tag}${name ? ` name="${name}"` : ''}>`;
    if (!name) throw new InvalidInputError(`${at}: an output needs a name`);
    const filterText = node.children.filter(isElement).find((c) => c.tag === 'filter');
    const filter = filterText === undefined ? undefined : readFilter(filterText.children.map((c) => ('text' in c ? c.text : '')).join('').trim(), at, warnings);
    if (node.tag === 'data') outputs.push({ name, type: 'data', ...(filter ? { filter } : {}) });
    else {
      const collectionType = node.attrs['type'] ?? 'list';
      if (!isValidCollectionType(collectionType)) throw new InvalidInputError(`${at}: collection type "${collectionType}" is not one cardfuzz models`);
      outputs.push({ name, type: 'collection', collection_type: collectionType, ...(filter ? { filter } : {}) });
    }
  }
  return outputs;
}

/** `name == 'v'`, `cond['sel'] != "v"`: a parameter path compared with a literal; anything else is kept unfiltered. */
function readFilter(text: string, at: string, warnings: string[]): OutputFilter | undefined {
  const match = /^\s*([A-Za-z_]\w*)((?:\[\s*['"][\w-]+['"]\s*\])*)\s*(==|!=)\s*(?:'([^']*)'|"([^"]*)"|(True|False|-?\d+(?:\.\d+)?))\s*$/.exec(text);
  if (!match) {
    warnings.push(`${at}: filter "${text}" is not a simple comparison; the output is always kept`);
    return undefined;
  }
  const keys = [...(match[2] ?? '').matchAll(/['"]([\w-]+)['"]/g)].map((m) => m[1]!);
  const param = [match[1]!, ...keys].join('|');
  const literal = match[4] ?? match[5] ?? match[6]!;
  const value = literal === 'True' ? true : literal === 'False' ? false : match[6] !== undefined ? Number(literal) : literal;
  return match[3] === '==' ? { param, equals: value } : { param, not_equals: value };
}
