import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { FuzzerError, FileAccessError, InvalidInputError } from '../errors.js';
import { isJsonObject, parseJsonText } from '../model/json-checks.js';
import type { Tool } from '../model/tool.js';
import { formatApproximation, type Approximation } from './approximations.js';
import { readGalaxyToolXml } from './galaxy-tool-xml.js';
import { readTool } from './read-tool.js';
import { parseXml, readXmlFile } from './xml-tree.js';

/**
 * `--tool` arguments: a Galaxy tool XML file, a JSON file holding a tool (as
 * Galaxy's `GET /api/tools/{id}?io_details=true` serves it, or as a case
 * file's `tool`), a folder (every tool below it), or a glob (`*`, `?`, `**`).
 */
export interface LoadedTool {
  readonly file: string;
  readonly tool: Tool;
  readonly approximations: readonly Approximation[];
  /** The approximations as printable lines. */
  readonly warnings: readonly string[];
}

export function loadToolFile(file: string): LoadedTool {
  if (file.toLowerCase().endsWith('.json')) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new FileAccessError(`${file}: cannot read (${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)})`);
    }
    const value = parseJsonText(text.replace(/^\uFEFF/, ''), file);
    // A case file may be given too: its tool is used.
    const toolValue = isJsonObject(value) && isJsonObject(value['tool']) && 'request' in value ? value['tool'] : value;
    const { tool, approximations } = readTool(toolValue, `${file}: tool`);
    return { file, tool, approximations, warnings: approximations.map(formatApproximation) };
  }
  const { tool, approximations, warnings } = readGalaxyToolXml(file);
  return { file, tool, approximations, warnings };
}

/** What a folder scan or glob found at one path. */
export type FoundFile =
  | { readonly file: string; readonly kind: 'tool' }
  /** Not a tool: a macro file, a tool panel config, a data table... (named by its root element). */
  | { readonly file: string; readonly kind: 'other'; readonly what: string };

const hasGlob = (s: string): boolean => /[*?[]/.test(s);

function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      out += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += pattern[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += /[.+^${}()|[\]\\]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${out}$`);
}

function walk(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (error) {
    throw new FileAccessError(`${dir}: cannot list (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined) return [];
    return stat.isDirectory() ? walk(path) : [path];
  });
}

/** Classifies a candidate file: an XML whose root is <tool>, or a JSON document that is a tool. */
function classify(file: string): FoundFile {
  if (file.toLowerCase().endsWith('.json')) {
    try {
      const value = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as unknown;
      const tool = isJsonObject(value) && isJsonObject(value['tool']) && 'request' in value ? value['tool'] : value;
      return isJsonObject(tool) && typeof tool['id'] === 'string' && Array.isArray(tool['inputs']) ? { file, kind: 'tool' } : { file, kind: 'other', what: 'JSON that is not a tool' };
    } catch {
      return { file, kind: 'other', what: 'JSON that does not parse' };
    }
  }
  try {
    const root = parseXml(readXmlFile(file), file);
    return root.tag === 'tool' ? { file, kind: 'tool' } : { file, kind: 'other', what: `<${root.tag}> file` };
  } catch (error) {
    // A tool file that is malformed is still a tool file: loading it reports the error.
    if (error instanceof FuzzerError) return { file, kind: 'tool' };
    throw error;
  }
}

/**
 * The files a `--tool` argument names. A plain file is taken as it is (the
 * reader refuses what is not a tool); a folder or a glob yields its `.xml`
 * and `.json` files, each classified as a tool or not.
 */
export function findToolFiles(argument: string): { readonly files: readonly FoundFile[]; readonly expanded: boolean } {
  if (hasGlob(argument)) {
    const parts = argument.split(/[\\/]/);
    const firstGlob = parts.findIndex(hasGlob);
    const base = parts.slice(0, firstGlob).join('/') || (argument.startsWith('/') ? '/' : '.');
    const pattern = globToRegExp(parts.slice(firstGlob).join('/'));
    const stat = statSync(base, { throwIfNoEntry: false });
    if (stat === undefined || !stat.isDirectory()) throw new InvalidInputError(`--tool ${argument}: no folder ${base}`);
    const matches = walk(base).filter((f) => pattern.test(relative(base, f).split(sep).join('/')));
    if (matches.length === 0) throw new InvalidInputError(`--tool ${argument}: the pattern matches no file`);
    return { files: matches.filter((f) => /\.(xml|json)$/i.test(f)).map(classify), expanded: true };
  }
  const stat = statSync(argument, { throwIfNoEntry: false });
  if (stat?.isDirectory()) {
    const files = walk(argument).filter((f) => /\.(xml|json)$/i.test(f));
    return { files: files.map(classify), expanded: true };
  }
  return { files: [{ file: argument, kind: 'tool' }], expanded: false };
}
