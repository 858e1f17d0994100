import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

/**
 * `run --tool FILE --in-workflows` fuzzes invocations of generated workflows
 * whose tool steps run the given tools (read from tool XML), judging the
 * properties of whole workflow invocations too.
 */
const TOOLS = ['--tool', 'test/fixtures/tools/map_and_batch.xml', '--tool', 'test/fixtures/workflow-tools/pairs_in_section.xml'];

/** Each property only whole workflows can show held, having judged some invocation (never "not checked"). */
function expectWorkflowPropertiesHeld(stdout: string): void {
  for (const p of ['one-step-row-per-invocation-step', 'connections-reach-upstream-outputs', 'mapped-step-consumed-whole', 'extraction-round-trip']) {
    const judged = new RegExp(`held +([\\d,]+) +${p}`).exec(stdout);
    expect(judged, p).not.toBeNull();
    expect(Number(judged![1]!.replaceAll(',', ''))).toBeGreaterThan(0);
  }
}

describe('run --tool FILE --in-workflows', () => {
  it('holds on branch-fixed, having judged the workflow properties over invocations of the given tools', () => {
    const r = runCli(['run', ...TOOLS, '--in-workflows', '--profile', 'branch-fixed', '--runs', '200', '--seed', '3']);
    expect(r.stderr).toContain('generated workflows: tool steps run cardfuzz_map_and_batch, cardfuzz_pairs_in_section');
    expect(r.status).toBe(0);
    expectWorkflowPropertiesHeld(r.stdout);
  });

  it('finds a planted defect and shrinks it to a workflow running the real tool, with a replay line that names --in-workflows', () => {
    const r = runCli(['run', '--tool', 'test/fixtures/tools/map_and_batch.xml', '--in-workflows', '--profile', 'test/fixtures/profiles/unique-invocation-per-workflow.yaml', '--runs', '200', '--seed', '3', '--property', 'persists-without-constraint-violations']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAIL persists-without-constraint-violations');
    expect(r.stdout).toContain('UNIQUE constraint failed: workflow_invocation.workflow_id');
    // Shrunk: a batch of two invocations of an input and one step running the real tool.
    expect(r.stdout).toContain('workflow: 0 data_input; 1 tool cardfuzz_map_and_batch (input1 <- 0:output)\n');
    expect(r.stdout).toMatch(/replay: .* --tool test\/fixtures\/tools\/map_and_batch\.xml --in-workflows --seed 3 --path [\d:]+ --property persists-without-constraint-violations/);
  });

  it('refuses what it cannot do with one line and exit 2', () => {
    for (const [args, message] of [
      [['--in-workflows'], 'give at least one --tool FILE'],
      [['--tool', 'test/fixtures/tools/map_and_batch.xml', '--workflow', 'test/fixtures/workflows', '--in-workflows'], 'use one or the other'],
    ] as const) {
      const r = runCli(['run', ...args, '--profile', 'branch-fixed', '--runs', '5']);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(message);
    }
  });
});

/** A folder of tools: two Galaxy loads, one it refuses, one not modelled, one sharing an id, a dangling link and a macro file. */
function toolFolder(): string {
  const dir = tempDir('cardfuzz-pool-');
  mkdirSync(join(dir, 'nested'));
  writeFileSync(join(dir, 'cat.xml'), '<tool id="cat_one" name="cat" version="1"><inputs><param name="input1" type="data"/><param name="lines" type="integer" value="3"/></inputs><outputs><data name="out" format="txt"/></outputs></tool>');
  writeFileSync(
    join(dir, 'nested', 'pick.xml'),
    `<tool id="pick" name="pick" version="1"><macros><import>macros.xml</import></macros><inputs><expand macro="mode"/><section name="opts" title="o"><param name="reads" type="data_collection" collection_type="list"/></section></inputs>
      <outputs><data name="out" format="txt"/></outputs></tool>`,
  );
  writeFileSync(join(dir, 'nested', 'macros.xml'), '<macros><xml name="mode"><param name="mode" type="select"><option value="a"/><option value="c"/></param></xml></macros>');
  writeFileSync(join(dir, 'nested', 'cat_again.xml'), '<tool id="cat_one" name="cat" version="2"><inputs><param name="input1" type="data"/></inputs><outputs><data name="out" format="txt"/></outputs></tool>');
  writeFileSync(join(dir, 'upload.xml'), '<tool id="up" name="up" version="1"><inputs><upload_dataset name="files"><param name="file_data" type="file"/></upload_dataset></inputs><outputs/></tool>');
  writeFileSync(join(dir, 'bad.xml'), '<tool id="bad" name="b" version="1"><inputs><param name="i" type="dataz"/></inputs><outputs/></tool>');
  symlinkSync('missing.xml', join(dir, 'dangling.xml'));
  return dir;
}

describe('run --tool DIR --in-workflows', () => {
  it('draws the tool steps from the tools Galaxy loads from the folder, one line per tool file, and judges the workflow properties', () => {
    const dir = toolFolder();
    const r = runCli(['run', '--tool', dir, '--in-workflows', '--profile', 'branch-fixed', '--runs', '150', '--seed', '3']);
    expect(r.stderr).toMatch(/^loaded {4}.*cat\.xml \(cat_one\)$/m);
    expect(r.stderr).toMatch(/^loaded {4}.*pick\.xml \(pick\)$/m);
    expect(r.stderr).toMatch(/^skipped {3}.*cat_again\.xml: tool id cat_one \(version 2\) is already in the pool, from .*cat\.xml$/m);
    expect(r.stderr).toMatch(/^not modelled .*upload\.xml: .*upload tools are not modelled/m);
    expect(r.stderr).toMatch(/^refused {3}.*bad\.xml: /m);
    expect(r.stderr).toMatch(/^skipped {3}.*dangling\.xml: a dangling symbolic link$/m);
    expect(r.stderr).toContain("tool pool: 6 tool files: 2 loaded, 1 refused by Galaxy's loader, 1 not modelled, 2 skipped; 1 other file skipped (macro files, configs, data)");
    expect(r.stderr).toContain('generated workflows: tool steps run cat_one, pick');
    expect(r.status).toBe(0);
    expectWorkflowPropertiesHeld(r.stdout);
  });

  it('finds a planted defect with a pool tool, and its replay line (naming the folder) replays it', () => {
    const dir = toolFolder();
    const r = runCli(['run', '--tool', dir, '--in-workflows', '--profile', 'test/fixtures/profiles/unique-invocation-per-workflow.yaml', '--runs', '200', '--seed', '3', '--property', 'persists-without-constraint-violations']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('UNIQUE constraint failed: workflow_invocation.workflow_id');
    expect(r.stdout).toMatch(/workflow: 0 data_input; 1 tool cat_one \(input1 <- 0:output\)\n/);
    const replay = /replay: .* --tool (\S+) --in-workflows --seed 3 --path ([\d:]+) --property persists-without-constraint-violations/.exec(r.stdout);
    expect(replay).not.toBeNull();
    const again = runCli(['run', '--tool', replay![1]!, '--in-workflows', '--profile', 'test/fixtures/profiles/unique-invocation-per-workflow.yaml', '--seed', '3', '--path', replay![2]!, '--property', 'persists-without-constraint-violations']);
    expect(again.status).toBe(1);
    expect(again.stdout).toContain('UNIQUE constraint failed: workflow_invocation.workflow_id');
  });

  it('with no tool Galaxy loads in the folder, says so on its last line and exits 2', () => {
    const dir = tempDir('cardfuzz-pool-');
    writeFileSync(join(dir, 'bad.xml'), '<tool id="bad" name="b" version="1"><inputs><param name="i" type="dataz"/></inputs><outputs/></tool>');
    const r = runCli(['run', '--tool', dir, '--in-workflows', '--profile', 'branch-fixed', '--runs', '5']);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(/--in-workflows: none of the 1 tool files found in .* could be loaded \(see above\)/);
    expect(lines[0]).toMatch(/^refused {3}.*bad\.xml: /);
  });
});
