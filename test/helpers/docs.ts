import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { runCli } from './cli.js';

/**
 * What the docs tests read: the pages, the samples they show, the cardfuzz
 * command lines they name, and the option tables they keep.
 *
 * A checked sample is a `console` block after a `<!-- check ... -->` comment:
 *
 *     <!-- check exit=1 -->
 *     ```console
 *     $ npx cardfuzz explain examples/cases/ledger-batch.json --profile branch-1f87eebce
 *     profile branch-1f87eebce
 *     ...
 *     ```
 *
 * The command runs from the project root (`cwd=tmp`: from a new folder holding
 * links to `examples/` and `reports/regressions/`), and what it prints, stderr then stdout, is
 * compared with the block after both are normalised (seeds, times, run ids).
 * A line holding only `...` stands for any number of lines.
 */
export const root = resolve(import.meta.dirname, '../..');

/** PATH without a `cardfuzz`, as on a fresh clone after `npm ci`: commands print `npx cardfuzz ...`. */
export const pathWithoutCardfuzz = (process.env['PATH'] ?? '')
  .split(delimiter)
  .filter((dir) => dir !== '' && !existsSync(join(dir, 'cardfuzz')))
  .join(delimiter);

export interface Page {
  readonly path: string;
  readonly text: string;
}

/** README.md and every page under docs/. */
export function pages(): Page[] {
  const docs = readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).sort();
  return ['README.md', ...docs.map((name) => `docs/${name}`)].map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
}

export interface Sample {
  readonly page: string;
  readonly line: number;
  readonly command: string;
  readonly exit: number;
  readonly cwd: 'root' | 'tmp';
  readonly expected: string;
}

export function samples(page: Page): Sample[] {
  const out: Sample[] = [];
  const pattern = /<!-- check((?: [a-z]+=[^ ]+)*) -->\n```console\n\$ ([^\n]+)\n([\s\S]*?)```/g;
  for (const match of page.text.matchAll(pattern)) {
    const attributes = new Map((match[1] ?? '').trim().split(/ +/).filter(Boolean).map((pair) => pair.split('=') as [string, string]));
    for (const key of attributes.keys()) if (key !== 'exit' && key !== 'cwd') throw new Error(`${page.path}: unknown check attribute ${key}`);
    const cwd = attributes.get('cwd') ?? 'root';
    if (cwd !== 'root' && cwd !== 'tmp') throw new Error(`${page.path}: cwd=${cwd}: expected root or tmp`);
    out.push({
      page: page.path,
      line: page.text.slice(0, match.index).split('\n').length + 1,
      command: match[2]!,
      exit: Number(attributes.get('exit') ?? '0'),
      cwd,
      expected: match[3]!,
    });
  }
  return out;
}

/** The arguments of a sample's `npx cardfuzz ...` command (words, with single or double quotes). */
export function cardfuzzArgs(command: string): string[] {
  const match = /^(?:npx )?cardfuzz (.*)$/.exec(command);
  if (match === null) throw new Error(`a checked sample runs cardfuzz: ${command}`);
  const words: string[] = [];
  for (const word of match[1]!.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) words.push(word[1] ?? word[2] ?? word[3]!);
  return words;
}

/** What varies from run to run or machine to machine. */
export function normalise(text: string): string {
  return text
    .replace(/seed \d+/g, 'seed N')
    .replace(/path [0-9:]+/g, 'path P')
    .replace(/\d+ shrinks from a \w+ case/g, 'K shrinks from a case')
    .replace(/\d{8}-\d{6}-seed\d+/g, 'RUN_ID')
    .replace(/ in [\d.]+ (?:ms|s|min \d+ s)(?: \([\d,]+ cases\/s\))?/g, ' in T')
    .replace(/\(\d+ ms\)/g, '(T)')
    .replace(/ \([\d.]+ tools\/s\)/g, ' (R tools/s)')
    .replace(/\(map overhead [\d.]+ m?s\)/g, '(map overhead T)')
    .replace(/^( {2}(?:held|FAILED|not checked)) +[\d,]+ +/gm, '$1 J ');
}

/** True when `actual` is `expected` with each `...` line standing for any lines. */
export function matchesSample(actual: string, expected: string): boolean {
  const escape = (line: string) => line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const parts = expected.split('\n').map((line) => (line === '...' ? null : escape(line)));
  let pattern = '';
  parts.forEach((part, i) => {
    if (part === null) pattern += '(?:[^\\n]*\\n)*?';
    else pattern += part + (i < parts.length - 1 ? '\\n' : '');
  });
  return new RegExp(`^${pattern}$`).test(actual);
}

/**
 * Every cardfuzz command line a text names: in code blocks, inline code and
 * workflow `run:` scripts, with backslash continuations joined, up to the
 * first shell operator or comment.
 */
export function commandLines(text: string): { command: string; options: string[]; words: string[] }[] {
  const joined = text.replace(/\\\n\s*/g, ' ');
  const out: { command: string; options: string[]; words: string[] }[] = [];
  for (const match of joined.matchAll(/(?:^|[\s`$(])(?:npx )?cardfuzz ([a-z][a-z-]*)([^\n`]*)/g)) {
    const rest = match[2]!.split(/\s(?:\|\||&&|\||;|>|#)\s|\s>>?\s?|\s2>/)[0]!;
    const words = rest.split(/\s+/).filter(Boolean);
    const options = [...rest.matchAll(/(?:^|[\s[(|])(--[a-z][a-z-]*)/g)].map((m) => m[1]!);
    out.push({ command: match[1]!, options, words });
  }
  return out;
}

/** The code of a Markdown page: its fenced blocks and inline code spans, one per line. */
export function codeOf(markdown: string): string {
  const blocks: string[] = [];
  const rest = markdown.replace(/^```[^\n]*\n([\s\S]*?)^```$/gm, (_all, body: string) => {
    blocks.push(body);
    return '';
  });
  for (const m of rest.matchAll(/`([^`\n]+)`/g)) blocks.push(m[1]!);
  return blocks.join('\n');
}

/** The commands `cardfuzz --help` lists. */
export function helpCommands(): string[] {
  const r = runCli(['--help']);
  return [...r.stdout.matchAll(/^ {2}cardfuzz ([a-z][a-z-]*)/gm)].map((m) => m[1]!);
}

const helpCache = new Map<string, string[]>();

/** The options `cardfuzz COMMAND --help` lists, without --help and --version. */
export function helpOptions(command: string): string[] {
  const cached = helpCache.get(command);
  if (cached !== undefined) return cached;
  const r = runCli([command, '--help'], { env: { COLUMNS: '200' } });
  if (r.status !== 0) throw new Error(`cardfuzz ${command} --help: exit ${r.status}: ${r.stderr}`);
  const options = [...r.stdout.matchAll(/^ {2}(--[a-z][a-z-]*)/gm)].map((m) => m[1]!).filter((o) => o !== '--help' && o !== '--version');
  helpCache.set(command, options);
  return options;
}

/** The options each `### Options of \`cardfuzz X\`` table of a page lists, by command. */
export function optionTables(page: Page): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  const lines = page.text.split('\n');
  lines.forEach((line, i) => {
    const heading = /^#+ Options of `cardfuzz ([a-z-]+)`/.exec(line);
    if (heading === null) return;
    const options: string[] = [];
    for (let j = i + 1; j < lines.length && !/^#/.test(lines[j]!); j++) {
      const row = lines[j]!;
      if (!row.startsWith('|') || /^\|[-| ]+\|$/.test(row) || /^\| option /.test(row)) continue;
      const firstCell = row.split('|')[1] ?? '';
      for (const m of firstCell.matchAll(/`(--[a-z][a-z-]*)/g)) options.push(m[1]!);
    }
    if (tables.has(heading[1]!)) throw new Error(`${page.path}: two option tables for cardfuzz ${heading[1]}`);
    tables.set(heading[1]!, options);
  });
  return tables;
}

/** Relative links of a page: `[text](target)`, without anchors or URLs. */
export function relativeLinks(page: Page): string[] {
  return [...page.text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z]+:/.test(target) && !target.startsWith('#'))
    .map((target) => target.replace(/#.*$/, ''));
}
