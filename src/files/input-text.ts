import { InvalidInputError } from '../errors.js';

/**
 * Checks shared by every file cardfuzz reads (case, regression, profile and
 * tool files): a leading byte-order mark is dropped, as editors on Windows
 * write one; and nesting is bounded, so that a pathological file is refused
 * with one line instead of exhausting the stack in the recursive readers.
 */

/** How deep a JSON or YAML document may nest (objects and arrays). */
export const MAX_JSON_DEPTH = 200;
/** How deep a tool XML may nest its elements (about 45 levels of sections, repeats and conditionals; real tools use a handful). */
export const MAX_XML_DEPTH = 50;

export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Throws when a parsed JSON/YAML value nests deeper than MAX_JSON_DEPTH (measured without recursion). */
export function checkJsonDepth(value: unknown, source: string): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) throw new InvalidInputError(`${source}: nested more than ${MAX_JSON_DEPTH} levels deep (cardfuzz reads at most ${MAX_JSON_DEPTH})`);
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
}

/** Throws when an XML document nests its elements deeper than MAX_XML_DEPTH. */
export function checkXmlDepth(text: string, source: string): void {
  const tags = text.replace(/<!--[\s\S]*?-->/g, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  let depth = 0;
  for (const match of tags.matchAll(/<(\/?)[A-Za-z_][^\s/>]*(?:"[^"]*"|'[^']*'|[^'">])*?(\/?)>/g)) {
    if (match[1] === '/') depth -= 1;
    else if (match[2] !== '/') {
      depth += 1;
      if (depth > MAX_XML_DEPTH) throw new InvalidInputError(`${source}: elements nested more than ${MAX_XML_DEPTH} deep (cardfuzz reads tool XML nested at most ${MAX_XML_DEPTH} deep)`);
    }
  }
}
