import { join, dirname } from 'node:path';
import { InvalidInputError } from '../errors.js';
import { childElements, cloneNode, isElement, parseXml, readXmlFile, textOf, type XmlElement, type XmlNode } from './xml-tree.js';

/**
 * Galaxy's tool XML macros, as lib/galaxy/util/xml_macros.py expands them
 * (`load_with_references`):
 *
 * - the `<macros>` of the tool: `<import>FILE</import>` (relative to the
 *   tool's folder, also for imports inside imported files), `<xml name>` and
 *   `<macro name [type="xml"]>` (XML macros), `<token name="@X@">` (tokens),
 *   `<template>` / `<macro type="template">` (Cheetah, only used by the command
 *   line, so left alone);
 * - `<expand macro="NAME" a="v">` is replaced by a copy of the macro's
 *   children, after (1) named yields `<yield name="n"/>` take the children of
 *   the expand's `<token name="n">` elements, (2) the remaining yields take the
 *   expand's other children, (3) the macro's parameters (`tokens="a,b"`,
 *   `token_a="default"`, quoted with `token_quote`, default `@`) become `@A@`
 *   tokens in the copy; then the copy's own expands are expanded, refusing a
 *   cycle;
 * - the tool's tokens (nested tokens first) replace `@X@` in every text and
 *   attribute.
 */

interface XmlMacro {
  readonly element: XmlElement;
  /** name -> [quote, default or null when required] */
  readonly parameters: ReadonlyMap<string, readonly [string, string | null]>;
}

export interface Macros {
  readonly xml: Map<string, XmlMacro>;
  readonly tokens: Map<string, string>;
  /** The macro files read, for messages. */
  readonly files: string[];
}

/** Loads the macros of a `<macros>` element: embedded first, then imported files (a later definition of a name wins). */
function loadMacros(macrosElement: XmlElement, toolDir: string, macros: Macros, importing: readonly string[]): void {
  for (const child of childElements(macrosElement)) {
    const type = child.tag === 'macro' ? (child.attrs['type'] ?? 'xml') : child.tag;
    const name = child.attrs['name'];
    if (type === 'xml') {
      if (!name) throw new InvalidInputError(`${importing.at(-1)}: an XML macro without a name`);
      macros.xml.set(name, { element: child, parameters: macroParameters(child) });
    } else if (type === 'token') {
      if (!name) throw new InvalidInputError(`${importing.at(-1)}: a <token> without a name`);
      macros.tokens.set(name, textOf(child));
    }
    // <template> macros are Cheetah snippets for the command line: no inputs or outputs.
  }
  for (const child of childElements(macrosElement, 'import')) {
    const path = join(toolDir, textOf(child).trim());
    if (importing.includes(path)) throw new InvalidInputError(`${path}: macro files import each other in a cycle`);
    const imported = parseXml(readXmlFile(path), path);
    macros.files.push(path);
    loadMacros(imported, toolDir, macros, [...importing, path]);
  }
}

/** XmlMacroDef: `tokens="a,b"` are required parameters, `token_a="v"` give defaults, `token_quote` the quote. */
function macroParameters(element: XmlElement): Map<string, readonly [string, string | null]> {
  const quote = element.attrs['token_quote'] ?? '@';
  const parameters = new Map<string, readonly [string, string | null]>();
  for (const [key, value] of Object.entries(element.attrs)) {
    if (key === 'tokens') {
      for (const token of value.split(',')) if (token.trim() !== '' && !parameters.has(token.trim())) parameters.set(token.trim(), [quote, null]);
    } else if (key.startsWith('token_') && key !== 'token_quote') parameters.set(key.slice('token_'.length), [quote, value]);
  }
  return parameters;
}

/** `_expand_nested_tokens`: a token whose value names another token gets that token's value. */
function expandNestedTokens(tokens: Map<string, string>, file: string): void {
  for (const name of tokens.keys()) {
    for (const [current, value] of tokens) {
      if (value.includes(name)) {
        if (name === current) throw new InvalidInputError(`${file}: token "${name}" contains itself`);
        tokens.set(current, value.replaceAll(name, tokens.get(name)!));
      }
    }
  }
}

function expandTokensString(text: string, tokens: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [key, value] of tokens) if (out.includes(key)) out = out.replaceAll(key, value);
  return out;
}

function expandTokens(node: XmlNode, tokens: ReadonlyMap<string, string>): void {
  if (tokens.size === 0) return;
  if (!isElement(node)) {
    node.text = expandTokensString(node.text, tokens);
    return;
  }
  for (const key of Object.keys(node.attrs)) node.attrs[key] = expandTokensString(node.attrs[key]!, tokens);
  for (const child of node.children) expandTokens(child, tokens);
}

/** `_expand_yield_statements`: named yields from the expand's `<token name>` children, then the unnamed (and any left) from its other children. */
function expandYields(body: XmlElement, expand: XmlElement): void {
  const replace = (node: XmlElement, matches: (y: XmlElement) => boolean, content: readonly XmlNode[]): void => {
    node.children = node.children.flatMap((child) => {
      if (!isElement(child)) return [child];
      if (child.tag === 'yield' && matches(child)) return content.map(cloneNode);
      replace(child, matches, content);
      return [child];
    });
  };
  for (const token of childElements(expand, 'token')) {
    const name = token.attrs['name'];
    if (name === undefined) throw new InvalidInputError(`<expand macro="${expand.attrs['macro'] ?? ''}">: a <token> without a name`);
    replace(body, (y) => y.attrs['name'] === name, token.children);
  }
  replace(body, () => true, expand.children.filter((c) => !isElement(c) || c.tag !== 'token'));
}

function expandMacro(expand: XmlElement, macros: Macros, file: string, visited: string[]): XmlNode[] {
  const name = expand.attrs['macro'];
  if (name === undefined) throw new InvalidInputError(`${file}: an <expand> without a macro attribute`);
  if (visited.includes(name)) throw new InvalidInputError(`${file}: cycle in nested macros: already expanded ${visited.join(', ')}, cannot expand "${name}" again`);
  const macro = macros.xml.get(name);
  if (macro === undefined) throw new InvalidInputError(`${file}: <expand macro="${name}">: no such macro${macros.xml.size > 0 ? ` (known: ${[...macros.xml.keys()].join(', ')})` : ''}`);
  const body = cloneNode(macro.element) as XmlElement;
  expandYields(body, expand);
  const tokens = new Map<string, string>();
  for (const [parameter, [quote, fallback]] of macro.parameters) {
    const value = expand.attrs[parameter] ?? fallback;
    if (value === null) throw new InvalidInputError(`${file}: <expand macro="${name}">: failed to expand macro - missing required parameter [${parameter}]`);
    tokens.set(`${quote}${parameter.toUpperCase()}${quote}`, value);
  }
  expandTokens(body, tokens);
  expandIn(body, macros, file, [...visited, name]);
  return body.children;
}

/** Replaces every `<expand>` below `element` (outside `<macros>`), innermost macros included. */
function expandIn(element: XmlElement, macros: Macros, file: string, visited: string[]): void {
  element.children = element.children.flatMap((child) => {
    if (!isElement(child) || child.tag === 'macros') return [child];
    if (child.tag === 'expand') return expandMacro(child, macros, file, visited);
    expandIn(child, macros, file, visited);
    return [child];
  });
}

/** The tool element with its macros expanded (a copy; `<macros>` removed). */
export function expandToolMacros(root: XmlElement, file: string): { readonly tool: XmlElement; readonly macroFiles: readonly string[] } {
  const macros: Macros = { xml: new Map(), tokens: new Map(), files: [] };
  const macrosElements = childElements(root, 'macros');
  const tool = cloneNode(root) as XmlElement;
  tool.children = tool.children.filter((c) => !isElement(c) || c.tag !== 'macros');
  for (const m of macrosElements) loadMacros(m, dirname(file), macros, [file]);
  expandNestedTokens(macros.tokens, file);
  expandIn(tool, macros, file, []);
  expandTokens(tool, macros.tokens);
  return { tool, macroFiles: macros.files };
}
