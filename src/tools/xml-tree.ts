import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { FileAccessError, InvalidInputError } from '../errors.js';
import { checkXmlDepth, withoutByteOrderMark } from '../files/input-text.js';

/** A small, ordered XML tree: elements with attributes, and text nodes. */
export interface XmlElement {
  tag: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | { text: string };

export const isElement = (n: XmlNode): n is XmlElement => 'tag' in n;

export function childElements(element: XmlElement, tag?: string): XmlElement[] {
  return element.children.filter(isElement).filter((e) => tag === undefined || e.tag === tag);
}

/** The element's own text (its text nodes, not those of its children), as ElementTree's `.text` plus tails. */
export function textOf(element: XmlElement): string {
  return element.children.map((c) => ('text' in c ? c.text : '')).join('');
}

export function cloneNode(node: XmlNode): XmlNode {
  return isElement(node) ? { tag: node.tag, attrs: { ...node.attrs }, children: node.children.map(cloneNode) } : { text: node.text };
}

export function parseXml(raw: string, file: string): XmlElement {
  const text = withoutByteOrderMark(raw);
  checkXmlDepth(text, file);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new InvalidInputError(`${file}: malformed XML (${valid.err.msg} at line ${valid.err.line})`);
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', trimValues: true, parseAttributeValue: false, parseTagValue: false, cdataPropName: '#cdata', processEntities: true });
  const convert = (raw: Record<string, unknown>): XmlNode | null => {
    const attrs = (raw[':@'] ?? {}) as Record<string, string>;
    for (const key of Object.keys(raw)) {
      if (key === ':@') continue;
      if (key === '#text') return { text: String(raw[key]) };
      if (key === '#cdata') return { text: ((raw[key] ?? []) as Record<string, unknown>[]).map((c) => String(c['#text'] ?? '')).join('') };
      if (key === '#comment' || key.startsWith('?')) return null;
      const children = ((raw[key] ?? []) as Record<string, unknown>[]).map(convert).filter((n): n is XmlNode => n !== null);
      return { tag: key, attrs: { ...attrs }, children };
    }
    return null;
  };
  const roots = (parser.parse(text) as Record<string, unknown>[]).map(convert).filter((n): n is XmlElement => n !== null && isElement(n));
  const root = roots[0];
  if (root === undefined) throw new InvalidInputError(`${file}: no root element`);
  return root;
}

export function readXmlFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileAccessError(`${path}: cannot read (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : (code ?? (error as Error).message)})`);
  }
}
