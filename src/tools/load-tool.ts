import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { FileAccessError, InvalidInputError } from '../errors.js';
import { isJsonObject, parseJsonText } from '../model/json-checks.js';
import type { Tool } from '../model/tool.js';
import { formatApproximation, type Approximation } from './approximations.js';
import { readGalaxyToolXml, type ToolXmlOptions } from './galaxy-tool-xml.js';
import { readTool } from './read-tool.js';

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

export function loadToolFile(file: string, options: ToolXmlOptions = {}): LoadedTool {
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
  const { tool, approximations, warnings } = readGalaxyToolXml(file, options);
  return { file, tool, approximations, warnings };
}

/** What a folder scan or glob found at one path. */
export type FoundFile =
  | { readonly file: string; readonly kind: 'tool' }
  /** Not a tool: a macro file, a tool panel config, a data table... (named by its root element, or why Galaxy's sniff passes it over). */
  | { readonly file: string; readonly kind: 'other'; readonly what: string }
  /** Could not be looked at: a link loop, a dangling link, a file or folder it may not read, a huge file. */
  | { readonly file: string; readonly kind: 'unreadable'; readonly reason: string };

/** A tool file larger than this is not read (real tools are a few KiB; a checkout may hold huge data files named .xml). */
export const MAX_TOOL_FILE_BYTES = 4 * 1024 * 1024;

/** loader_directory.py `EXCLUDE_WALK_DIRS`: folders Galaxy's recursive walk never enters. */
const EXCLUDE_WALK_DIRS = ['.hg', '.git', '.venv'];

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

const errorCode = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

function unreadableReason(code: string): string {
  switch (code) {
    case 'ELOOP':
      return 'a symbolic link loop';
    case 'ENOENT':
      return 'a dangling symbolic link';
    case 'EACCES':
    case 'EPERM':
      return 'no permission to read it';
    default:
      return `cannot read it (${code})`;
  }
}

/**
 * The files below `root`, sorted, as Galaxy's recursive walk finds them
 * (loader_directory.py `_find_files`, `os.walk` without followlinks): the
 * folders of EXCLUDE_WALK_DIRS are skipped and a link to a folder is not
 * followed, so no link loop can hold the walk. What cannot be looked at (a
 * link loop, a dangling link, a folder it may not list) is one entry of its
 * own and the walk goes on. `root` itself must be listable.
 */
function walk(root: string): { readonly files: string[]; readonly problems: FoundFile[] } {
  const files: string[] = [];
  const problems: FoundFile[] = [];
  const visit = (dir: string, isRoot: boolean): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (error) {
      if (isRoot) throw new FileAccessError(`${dir}: cannot list (${errorCode(error)})`);
      problems.push({ file: dir, kind: 'unreadable', reason: `a folder it cannot list (${errorCode(error)})` });
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      let link;
      try {
        link = lstatSync(path);
      } catch (error) {
        problems.push({ file: path, kind: 'unreadable', reason: unreadableReason(errorCode(error)) });
        continue;
      }
      if (link.isDirectory()) {
        if (!EXCLUDE_WALK_DIRS.includes(name)) visit(path, false);
        continue;
      }
      if (link.isSymbolicLink()) {
        let target;
        try {
          target = statSync(path);
        } catch (error) {
          if (/\.(xml|json)$/i.test(name)) problems.push({ file: path, kind: 'unreadable', reason: unreadableReason(errorCode(error)) });
          continue;
        }
        if (target.isDirectory()) continue; // os.walk does not follow a link to a folder
      }
      files.push(path);
    }
  };
  visit(root, true);
  return { files, problems };
}

/** loader_directory.py `TOOL_REGEX`, searched in the first 5 KiB of text (`looks_like_xml`). */
const TOOL_REGEX = /<tool\s/;

/** The name of the root element (after the prolog, comments and a doctype), or undefined. */
function rootTag(text: string): string | undefined {
  const body = text.replace(/<\?[\s\S]*?\?>/g, '').replace(/<!--[\s\S]*?-->/g, '').replace(/<!DOCTYPE[^>]*>/i, '');
  return /<([A-Za-z_][\w:.-]*)/.exec(body)?.[1];
}

/**
 * Classifies a candidate file. An XML file is a tool when Galaxy's
 * `looks_like_a_tool` sniff passes it (loader_directory.py `looks_like_xml`:
 * non-empty, not binary, UTF-8, `<tool ` in its first 5 KiB) and its root is
 * `<tool>`: a toolbox config that names `<tool file=...>` passes the sniff, but
 * Galaxy then fails it ("Missing tool 'id'"), so it is not a tool here either.
 * A JSON file is a tool when it is one (or a case file holding one).
 */
function classify(file: string): FoundFile {
  let bytes: Buffer;
  try {
    const size = statSync(file).size;
    if (size > MAX_TOOL_FILE_BYTES) return { file, kind: 'unreadable', reason: `too large to be a tool (${(size / 1024 / 1024).toFixed(1)} MiB; cardfuzz reads tool files up to ${MAX_TOOL_FILE_BYTES / 1024 / 1024} MiB)` };
    bytes = readFileSync(file);
  } catch (error) {
    return { file, kind: 'unreadable', reason: unreadableReason(errorCode(error)) };
  }
  if (file.toLowerCase().endsWith('.json')) {
    try {
      const value = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')) as unknown;
      const tool = isJsonObject(value) && isJsonObject(value['tool']) && 'request' in value ? value['tool'] : value;
      return isJsonObject(tool) && typeof tool['id'] === 'string' && Array.isArray(tool['inputs']) ? { file, kind: 'tool' } : { file, kind: 'other', what: 'JSON that is not a tool' };
    } catch {
      return { file, kind: 'other', what: 'JSON that does not parse' };
    }
  }
  if (bytes.length === 0) return { file, kind: 'other', what: 'an empty file' };
  if (bytes.subarray(0, 8192).includes(0)) return { file, kind: 'other', what: 'a binary file' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { file, kind: 'other', what: 'not UTF-8 text' };
  }
  if (!TOOL_REGEX.test(text.replace(/^\uFEFF/, '').slice(0, 5 * 1024))) {
    const root = rootTag(text);
    const what = root === undefined ? 'not XML' : root === 'tool' ? `no "<tool " in its first 5 KiB (Galaxy's looks_like_a_tool passes it over)` : `<${root}> file`;
    return { file, kind: 'other', what };
  }
  const root = rootTag(text);
  // A malformed tool file is still a tool file: loading it reports the error.
  return root === undefined || root === 'tool' ? { file, kind: 'tool' } : { file, kind: 'other', what: `<${root}> file (it names <tool>s; Galaxy's loader fails it: Missing tool 'id')` };
}

const candidate = (f: string): boolean => /\.(xml|json)$/i.test(f);

/**
 * The files a `--tool` argument names. A plain file is taken as it is (the
 * reader refuses what is not a tool); a folder or a glob yields its `.xml`
 * and `.json` files, each classified as a tool or not, and one entry for
 * each path it could not look at.
 */
export function findToolFiles(argument: string): { readonly files: readonly FoundFile[]; readonly expanded: boolean } {
  if (hasGlob(argument)) {
    const parts = argument.split(/[\\/]/);
    const firstGlob = parts.findIndex(hasGlob);
    const base = parts.slice(0, firstGlob).join('/') || (argument.startsWith('/') ? '/' : '.');
    const pattern = globToRegExp(parts.slice(firstGlob).join('/'));
    const stat = statSync(base, { throwIfNoEntry: false });
    if (stat === undefined || !stat.isDirectory()) throw new InvalidInputError(`--tool ${argument}: no folder ${base}`);
    const { files, problems } = walk(base);
    const matches = (f: string): boolean => pattern.test(relative(base, f).split(sep).join('/'));
    const matching = files.filter(matches);
    if (matching.length === 0) throw new InvalidInputError(`--tool ${argument}: the pattern matches no file`);
    return { files: [...matching.filter(candidate).map(classify), ...problems.filter((p) => matches(p.file))], expanded: true };
  }
  const stat = statSync(argument, { throwIfNoEntry: false });
  if (stat?.isDirectory()) {
    const { files, problems } = walk(argument);
    return { files: [...files.filter(candidate).map(classify), ...problems], expanded: true };
  }
  return { files: [{ file: argument, kind: 'tool' }], expanded: false };
}
