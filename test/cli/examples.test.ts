import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

/**
 * Every file in examples/ runs as the docs say, and the docs' own examples
 * are those files.
 */
const root = resolve(import.meta.dirname, '../..');
const yourOwnBranch = readFileSync(join(root, 'docs/your-own-branch.md'), 'utf8');
const caseFileFormat = readFileSync(join(root, 'docs/case-file-format.md'), 'utf8');
const CASES = ['ledger-batch', 'map-over', 'nested-list-paired', 'workflow-step', 'legacy-request', 'workflow-invocation', 'workflow-failed-job'];

function withoutPostgresEnv(): NodeJS.ProcessEnv {
  return { GALAXY_TEST_DB: '' };
}

describe('examples/', () => {
  it.each(CASES)('cases/%s.json runs with explain (exit 0 or 1, never 2)', (name) => {
    const r = runCli(['explain', `examples/cases/${name}.json`, '--profile', 'branch-1f87eebce']);
    expect([name, r.stderr]).toEqual([name, '']);
    expect([0, 1]).toContain(r.status);
    expect(r.stdout).toMatch(/^profile branch-1f87eebce/);
  });

  it('the ledger Batch fails on branch-1f87eebce and holds on branch-fixed', () => {
    expect(runCli(['explain', 'examples/cases/ledger-batch.json', '--profile', 'branch-1f87eebce']).stdout).toContain('FAIL persists-without-constraint-violations');
    const fixed = runCli(['explain', 'examples/cases/ledger-batch.json', '--profile', 'branch-fixed']);
    expect(fixed.stdout).toContain('pass persists-without-constraint-violations');
  });

  it('the profile file runs with run and lint as written, without any database variable', () => {
    const run = runCli(['run', '--profile', 'examples/profiles/my-branch.yaml', '--runs', '150', '--seed', '3'], { env: withoutPostgresEnv() });
    expect([0, 1]).toContain(run.status);
    expect(run.stderr.split('\n')[0]).toMatch(/^cardfuzz run: profile my-branch, seed 3/);
    const lint = runCli(['lint', '--profile', 'examples/profiles/my-branch.yaml'], { env: withoutPostgresEnv() });
    expect([0, 1]).toContain(lint.status);
    expect(lint.stderr).toBe('');
  });

  it('lint never opens the database a profile file names', () => {
    const dir = tempDir();
    const text = readFileSync(join(root, 'examples/profiles/my-branch.yaml'), 'utf8').replace(/^# (database: \{[^}]*\})/m, '$1 #');
    expect(text).toMatch(/^database: \{dialect: postgres, url_env: GALAXY_TEST_DB\} #/m);
    writeFileSync(join(dir, 'remote.yaml'), text);
    const lint = runCli(['lint', '--profile', join(dir, 'remote.yaml')], { env: withoutPostgresEnv() });
    expect(lint.stderr).toBe('');
    expect([0, 1]).toContain(lint.status);
    // run does use it, and says what is missing.
    const run = runCli(['run', '--profile', join(dir, 'remote.yaml'), '--runs', '10'], { env: withoutPostgresEnv() });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/GALAXY_TEST_DB is not set/);
  });

  it('the tool XML and the schema dump run with run --tool and --schema-sql', () => {
    const tool = runCli(['run', '--profile', 'branch-fixed', '--tool', 'examples/tools/map_and_batch.xml', '--runs', '100', '--seed', '2']);
    expect([0, 1]).toContain(tool.status);
    const schema = runCli(['run', '--profile', 'branch-fixed', '--schema-sql', 'examples/schemas/galaxy-branch.sqlite.sql', '--runs', '100', '--seed', '2']);
    expect([0, 1]).toContain(schema.status);
    expect(schema.stderr.split('\n')[0]).toMatch(/^cardfuzz run: profile branch-fixed/);
  });

  it("the docs' profile file example is examples/profiles/my-branch.yaml and their case example is examples/cases/ledger-batch.json", () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(yourOwnBranch)![1]!;
    const dedent = (t: string) => t.split('\n').map((l) => l.replace(/^ {2}/, '')).join('\n');
    expect(dedent(yaml)).toBe(readFileSync(join(root, 'examples/profiles/my-branch.yaml'), 'utf8'));
    const json = /## Case files[\s\S]*?```json\n([\s\S]*?)```/.exec(caseFileFormat)![1]!;
    expect(JSON.parse(json)).toEqual(JSON.parse(readFileSync(join(root, 'examples/cases/ledger-batch.json'), 'utf8')));
  });
});
