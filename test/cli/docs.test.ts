import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROPERTY_CHOICES } from '../../properties/property-ids.js';
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

/**
 * Pages that show no runnable sample: stubs others fill in, the index, and the
 * performance page, whose measured figures are checked by their own test below.
 */
const WITHOUT_SAMPLES = new Set(['docs/README.md', 'docs/workflows.md', 'docs/findings.md', 'docs/performance.md']);

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
    const listed = new Set(relativeLinks(index).filter((t) => t.endsWith('.md') && !t.startsWith('../')).map((t) => `docs/${t}`));
    const present = PAGES.filter((p) => p.path.startsWith('docs/') && p.path !== 'docs/README.md').map((p) => p.path);
    expect([...listed].sort()).toEqual(present.sort());
  });

  // Paths into this repository; test/functional/, .ci/cardfuzz/ and the recipe's workflow are paths in Galaxy.
  const REPOSITORY_PATH = /(?<![\w/.])((?:examples|src|generators|properties|\.ci(?!\/cardfuzz)|\.github(?!\/workflows\/cardfuzz-gate)|test(?!\/functional))\/[\w./-]*\w)/g;
  it.each(PAGES.map((p) => [p.path, p] as const))('%s: every relative link and every path into the repository it names exists', (_path, page) => {
    const missing: string[] = [];
    for (const target of relativeLinks(page)) if (!existsSync(join(root, dirname(page.path), target))) missing.push(target);
    for (const m of page.text.matchAll(REPOSITORY_PATH)) if (!existsSync(join(root, m[1]!))) missing.push(m[1]!);
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
      symlinkSync(join(root, 'reports/regressions'), join(cwd, 'reports/regressions'));
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

  const sources = [...PAGES.map((p) => [p.path, codeOf(p.text)] as const), ...WORKFLOWS.map((path) => [path, runScripts(readFileSync(join(root, path), 'utf8'))] as const)];
  it.each(sources)('%s: every cardfuzz command line names a command and options its --help lists', (path, text) => {
    if (path.endsWith('.yml')) expect(commandLines(text).length, `${path} runs cardfuzz`).toBeGreaterThan(0);
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

/** The `run:` scripts of a workflow's steps, one after the other. */
function runScripts(workflow: string): string {
  const doc = parse(workflow) as { jobs: Record<string, { steps?: { run?: string }[] }> };
  return Object.values(doc.jobs).flatMap((job) => (job.steps ?? []).map((step) => step.run ?? '')).join('\n');
}

const page = (path: string) => PAGES.find((p) => p.path === path)!;

describe('generated and measured sections', () => {
  it('the properties table lists every property id once', () => {
    const text = page('docs/properties-and-verdicts.md').text;
    const table = text.slice(text.indexOf('## Properties'), text.indexOf('**Green means checked.**'));
    const ids = [...table.matchAll(/^\| `([a-z-]+)`/gm)].map((m) => m[1]!);
    expect([...ids].sort()).toEqual([...PROPERTY_CHOICES].sort());
  });

  it('the verdict table is what `cardfuzz verdicts` prints for the seed and runs it names', () => {
    const text = page('docs/properties-and-verdicts.md').text;
    const section = /<!-- verdicts:begin -->\n([\s\S]*?)<!-- verdicts:end -->/.exec(text)![1]!;
    const named = /^Generated by `cardfuzz verdicts --seed (\d+) --runs (\d+)`/.exec(section);
    expect(named, 'the section names the command that generated it').not.toBeNull();
    const r = runCli(['verdicts', '--seed', named![1]!, '--runs', named![2]!], { timeoutMs: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(section);
  }, 300_000);

  it('the performance tables have a row for every figure a short bench reports', () => {
    const dir = tempDir('cardfuzz-docs-bench-');
    const r = runCli(['bench', '--runs', '500', '--seeds', '2', '--worker-runs', '0', '--map-runs', '0', '--out', dir], { timeoutMs: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    const label = (row: string) => row.split('|')[1]!.trim().replace(/[\d,.]+/g, 'N');
    const rows = (text: string) => text.split('\n').filter((l) => l.startsWith('| ') && !/^\| (?:figure|shape family) /.test(l)).map(label);
    const documented = new Set(rows(/<!-- bench:begin -->([\s\S]*?)<!-- bench:end -->/.exec(page('docs/performance.md').text)![1]!));
    const reported = rows(readFileSync(join(dir, 'bench.md'), 'utf8'));
    expect(reported.length).toBeGreaterThan(10);
    expect(reported.filter((l) => !documented.has(l))).toEqual([]);
  }, 300_000);

  it("every profile file a page shows in a yaml block is one cardfuzz reads (lint exits 0 or 1, never 2)", () => {
    const dir = tempDir('cardfuzz-docs-profiles-');
    let n = 0;
    for (const p of PAGES) {
      for (const m of p.text.matchAll(/^( *)```yaml\n([\s\S]*?)^ *```$/gm)) {
        const text = m[2]!.split('\n').map((l) => l.slice(m[1]!.length)).join('\n');
        const doc = parse(text) as Record<string, unknown> | null;
        if (doc === null || typeof doc !== 'object' || !('extends' in doc)) continue;
        const file = join(dir, `profile-${n++}.yaml`);
        writeFileSync(file, text);
        const r = runCli(['lint', '--profile', file], { env: { GALAXY_TEST_DB: '' } });
        expect([p.path, r.stderr, [0, 1].includes(r.status ?? -1)]).toEqual([p.path, '', true]);
      }
    }
    expect(n).toBeGreaterThanOrEqual(2);
  });
});
