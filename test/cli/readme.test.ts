import { readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/**
 * The README's first command prints what the README shows. Seeds, paths,
 * shrink counts, judged counts and times vary by seed and machine; everything else must
 * match, for the seed the README shows and for other seeds.
 */
const root = resolve(import.meta.dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

function sampleBlock(): string {
  const match = /<!-- sample-run:begin -->\n```text\n([\s\S]*?)```\n<!-- sample-run:end -->/.exec(readme);
  expect(match, 'README.md has a sample-run block').not.toBeNull();
  return match![1]!;
}

/** What varies from run to run. */
function normalise(text: string): string {
  return text
    .replace(/seed \d+/g, 'seed N')
    .replace(/path [0-9:]+/g, 'path P')
    .replace(/\d+ shrinks from a \w+ case/g, 'K shrinks from a case')
    .replace(/ in [\d.]+ (?:ms|s|min \d+ s) \([\d,]+ cases\/s\)/g, ' in T')
    .replace(/^( {2}(?:held|FAILED|not checked)) +[\d,]+ +/gm, '$1 J ');
}

/** PATH without a `cardfuzz`, as on a fresh clone after `npm ci`. */
const pathWithoutCardfuzz = (process.env['PATH'] ?? '')
  .split(delimiter)
  .filter((dir) => dir !== '' && !existsSync(join(dir, 'cardfuzz')))
  .join(delimiter);

describe("the README's main command", () => {
  it.each([1, 7])('prints the README sample output (seed %i)', (seed) => {
    const r = runCli(['run', '--profile', 'branch-1f87eebce'], { env: { CARDFUZZ_SEED: String(seed), PATH: pathWithoutCardfuzz } });
    expect(r.status).toBe(1);
    const [banner, ...rest] = sampleBlock().split('\n');
    expect(normalise(r.stderr.split('\n')[0]!)).toBe(normalise(banner!));
    expect(normalise(r.stdout)).toBe(normalise(rest.join('\n')));
  });

  it('shows the replay commands as npx cardfuzz, which runs after npm ci', () => {
    expect(sampleBlock()).toMatch(/replay: npx cardfuzz run --profile branch-1f87eebce --seed \d+ --path [0-9:]+ --property persists-without-constraint-violations/);
  });
});
