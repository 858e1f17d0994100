import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import {
  cardfuzzArgs,
  codeOf,
  commandLines,
  helpCommands,
  helpOptions,
  matchesSample,
  normalise,
  pathWithoutCardfuzz,
  optionTables,
  pages,
  relativeLinks,
  root,
  samples,
} from '../helpers/docs.js';

/**
 * The docs say true things: every sample a page shows is what its command
 * prints, every cardfuzz command line names a real command and only options
 * its --help lists, every command's options table lists exactly those, and
 * every link and example path exists. See test/helpers/docs.ts for the
 * `<!-- check -->` convention.
 */
const PAGES = pages();

/** Pages that show no runnable sample: stubs others fill in, and the index. */
const WITHOUT_SAMPLES = new Set(['docs/README.md', 'docs/workflows.md', 'docs/findings.md']);

/** Workflow files whose cardfuzz command lines are checked like the docs'. */
const WORKFLOWS = ['.github/workflows/nightly.yml', ...readdirSync(join(root, 'examples/ci')).filter((f) => f.endsWith('.yml')).map((f) => `examples/ci/${f}`)];

/** Where each command's options are documented. */
const OPTIONS_PAGE: Record<string, string> = {
  run: 'docs/getting-started.md',
  explain: 'docs/getting-started.md',
  export: 'docs/getting-started.md',
  profiles: 'docs/getting-started.md',
  lint: 'docs/your-own-branch.md',
  verdicts: 'docs/properties-and-verdicts.md',
  replay: 'docs/regressions-and-gate.md',
  gate: 'docs/regressions-and-gate.md',
  nightly: 'docs/nightly-and-sharding.md',
  'merge-reports': 'docs/nightly-and-sharding.md',
  report: 'docs/nightly-and-sharding.md',
  clean: 'docs/postgresql.md',
  cardinality: 'docs/cardinality-map.md',
  bench: 'docs/performance.md',
};

describe('docs pages', () => {
  it('the index lists every page under docs/, and every page it lists exists', () => {
    const index = PAGES.find((p) => p.path === 'docs/README.md')!;
    const listed = new Set(relativeLinks(index).filter((t) => t.endsWith('.md')).map((t) => `docs/${t}`));
    const present = PAGES.filter((p) => p.path.startsWith('docs/') && p.path !== 'docs/README.md').map((p) => p.path);
    expect([...listed].sort()).toEqual(present.sort());
  });

  it.each(PAGES.map((p) => [p.path, p] as const))('%s: every relative link and every examples/ path it names exists', (_path, page) => {
    const missing: string[] = [];
    for (const target of relativeLinks(page)) if (!existsSync(join(root, dirname(page.path), target))) missing.push(target);
    for (const m of page.text.matchAll(/(?<![\w/.])(examples\/[\w./-]*\w)/g)) if (!existsSync(join(root, m[1]!))) missing.push(m[1]!);
    expect(missing).toEqual([]);
  });

  it.each(PAGES.filter((p) => !WITHOUT_SAMPLES.has(p.path)).map((p) => [p.path, p] as const))('%s shows at least one checked sample', (_path, page) => {
    expect(samples(page).length).toBeGreaterThan(0);
  });
});

const SAMPLES = PAGES.flatMap((page) => samples(page));

describe('docs samples', () => {
  it.each(SAMPLES.map((s) => [`${s.page}:${s.line}`, s.command, s] as const))('%s: $ %s prints what the page shows', (_where, _command, sample) => {
    let cwd = root;
    if (sample.cwd === 'tmp') {
      cwd = tempDir('cardfuzz-docs-');
      symlinkSync(join(root, 'examples'), join(cwd, 'examples'));
      mkdirSync(join(cwd, 'reports'));
    }
    const r = runCli(cardfuzzArgs(sample.command), { cwd, env: { CARDFUZZ_SEED: '', GALAXY_TEST_DB: '', PATH: pathWithoutCardfuzz } });
    const actual = normalise(r.stderr + r.stdout);
    const expected = normalise(sample.expected);
    if (!matchesSample(actual, expected)) expect(actual).toBe(expected);
    expect(r.status).toBe(sample.exit);
  });

  it('a line of ... stands for any lines, and only there', () => {
    expect(matchesSample('a\nb\nc\nd\n', 'a\n...\nd\n')).toBe(true);
    expect(matchesSample('a\nd\n', 'a\n...\nd\n')).toBe(true);
    expect(matchesSample('a\nb\nc\nx\n', 'a\n...\nd\n')).toBe(false);
    expect(matchesSample('a\nb\n', 'a\nc\n')).toBe(false);
  });
});

describe('docs and --help agree', () => {
  const commands = helpCommands().filter((c) => c !== 'completion');

  it('every command --help lists has its options page, and no page documents a command that does not exist', () => {
    expect([...commands].sort()).toEqual(Object.keys(OPTIONS_PAGE).sort());
  });

  it.each(Object.entries(OPTIONS_PAGE))('cardfuzz %s: its options table on %s lists exactly the options --help lists', (command, path) => {
    const page = PAGES.find((p) => p.path === path)!;
    const table = optionTables(page).get(command);
    expect(table, `${path} has a "### Options of \`cardfuzz ${command}\`" table`).toBeDefined();
    expect([...new Set(table)].sort()).toEqual([...helpOptions(command)].sort());
  });

  it('no page keeps an options table for a command elsewhere than its options page', () => {
    for (const page of PAGES) for (const command of optionTables(page).keys()) expect([command, page.path]).toEqual([command, OPTIONS_PAGE[command]]);
  });

  const sources = [...PAGES.map((p) => [p.path, codeOf(p.text)] as const), ...WORKFLOWS.map((path) => [path, readFileSync(join(root, path), 'utf8')] as const)];
  it.each(sources)('%s: every cardfuzz command line names a command and options its --help lists', (_path, text) => {
    const wrong: string[] = [];
    for (const line of commandLines(text)) {
      if (line.command === 'completion') continue;
      if (!commands.includes(line.command)) {
        wrong.push(`cardfuzz ${line.command}: no such command`);
        continue;
      }
      const known = helpOptions(line.command);
      for (const option of line.options) if (!known.includes(option)) wrong.push(`cardfuzz ${line.command} ${option}: not an option of ${line.command}`);
    }
    expect(wrong).toEqual([]);
  });
});
