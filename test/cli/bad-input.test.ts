import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

/**
 * Nothing green unless something ran, and bad input is one line and exit 2
 * saying what was expected: replays without a seed, conflicting targets,
 * malformed paths and durations, future regression files in explain, files
 * with a byte-order mark, and nesting beyond the documented depth.
 */
const LEDGER = 'reports/regressions/persists-without-constraint-violations/e0e4095b936a.json';

function oneLine(args: readonly string[], message: RegExp, env?: NodeJS.ProcessEnv): void {
  const r = runCli(args, env === undefined ? {} : { env });
  expect([args.join(' '), r.status]).toEqual([args.join(' '), 2]);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
}

describe('refused with one line and exit 2', () => {
  it.each([
    [['run', '--path', '0:1', '--property', 'persists-without-constraint-violations'], /--path replays a counterexample of one campaign: give its --seed too/],
    [['run', '--path', 'abc', '--seed', '1', '--property', 'persists-without-constraint-violations'], /--path abc: expected a counterexample path such as 0:1:4/],
    [['run', '--dialect', 'sqlite', '--database-url', 'postgres://galaxy@localhost/db'], /--database-url names a PostgreSQL server, but --dialect sqlite/],
    [['replay', LEDGER, '--dialect', 'sqlite', '--database-url', 'postgres://galaxy@localhost/db'], /--database-url names a PostgreSQL server, but --dialect sqlite/],
    [['nightly', '--time-budget', '-5m'], /--time-budget -5m: expected a duration such as 30s, 10m or 1h \(a positive number/],
    [['run', '--time-limit', '-5m'], /--time-limit -5m: expected a duration such as/],
    [['run', '--shrink-time-limit', '10 minutes'], /--shrink-time-limit 10 minutes: expected a duration such as/],
  ])('%j', (args, message) => oneLine(args, message, { CARDFUZZ_SEED: '' }));

  it('a path the seed never reaches replays no case: exit 2, never "held"', () => {
    const r = runCli(['run', '--profile', 'branch-1f87eebce', '--seed', '1', '--path', '9999:9999', '--property', 'persists-without-constraint-violations']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--path 9999:9999 replays no case of seed 1/);
  });

  it('explain refuses a regression file of a future format version, as replay does', () => {
    const dir = tempDir();
    const file = join(dir, 'future.json');
    writeFileSync(file, readFileSync(LEDGER, 'utf8').replace('"formatVersion": 1', '"formatVersion": 2'));
    oneLine(['explain', file], /regression format version 2 is not one this cardfuzz reads/);
    expect(runCli(['replay', file]).stderr).toMatch(/regression format version 2 is not one this cardfuzz reads/);
  });

  it('refuses nesting beyond the documented depth: 10,000 nested sections in a tool XML or a case file', () => {
    const dir = tempDir();
    const n = 10_000;
    const xml = `<tool id="deep" name="deep" version="1"><command>x</command><inputs>${'<section name="s" title="s">'.repeat(n)}<param name="p" type="data"/>${'</section>'.repeat(n)}</inputs><outputs/></tool>`;
    writeFileSync(join(dir, 'deep.xml'), xml);
    oneLine(['run', '--tool', join(dir, 'deep.xml'), '--runs', '5'], /deep\.xml: elements nested more than 50 deep/);
    // Written as text: a value this deep is beyond JSON.stringify's own recursion.
    const input = `${'{"name":"s","type":"section","inputs":['.repeat(n)}{"name":"p","type":"data"}${']}'.repeat(n)}`;
    const text = `{"tool":{"id":"t","inputs":[${input}],"outputs":[]},"history":{"datasets":[],"collections":[]},"entry":"tool-request","request":{}}`;
    writeFileSync(join(dir, 'deep.json'), text);
    oneLine(['explain', join(dir, 'deep.json')], /deep\.json: nested more than 200 levels deep/);
  });
});

describe('a byte-order mark at the start of a file', () => {
  const BOM = '\uFEFF';
  it('is accepted in a case file, a regression file, a profile file and a tool XML', () => {
    const dir = tempDir();
    const write = (name: string, from: string): string => {
      const path = join(dir, name);
      writeFileSync(path, BOM + readFileSync(from, 'utf8'));
      return path;
    };
    const explained = runCli(['explain', write('case.json', 'examples/cases/ledger-batch.json'), '--profile', 'branch-1f87eebce']);
    expect([explained.status, explained.stderr]).toEqual([1, '']);
    const regression = runCli(['explain', write('regression.json', LEDGER)]);
    expect([regression.status, regression.stderr]).toEqual([1, '']);
    const lint = runCli(['lint', '--profile', write('profile.yaml', 'examples/profiles/my-branch.yaml')]);
    expect(lint.stderr).toBe('');
    expect([0, 1]).toContain(lint.status);
    const tool = runCli(['run', '--profile', 'branch-fixed', '--tool', write('tool.xml', 'examples/tools/map_and_batch.xml'), '--runs', '30', '--seed', '1']);
    expect([0, 1]).toContain(tool.status);
    expect(tool.stderr.split('\n')[0]).toMatch(/^cardfuzz run: profile branch-fixed/);
  });
});
