import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/**
 * `run --tool FILE --in-workflows` fuzzes invocations of generated workflows
 * whose tool steps run the given tools (read from tool XML), judging the
 * properties of whole workflow invocations too.
 */
const TOOLS = ['--tool', 'test/fixtures/tools/map_and_batch.xml', '--tool', 'test/fixtures/workflow-tools/pairs_in_section.xml'];

describe('run --tool FILE --in-workflows', () => {
  it('holds on branch-fixed, having judged the workflow properties over invocations of the given tools', () => {
    const r = runCli(['run', ...TOOLS, '--in-workflows', '--profile', 'branch-fixed', '--runs', '200', '--seed', '3']);
    expect(r.stderr).toContain('generated workflows: tool steps run cardfuzz_map_and_batch, cardfuzz_pairs_in_section');
    expect(r.status).toBe(0);
    for (const p of ['one-step-row-per-invocation-step', 'connections-reach-upstream-outputs', 'mapped-step-consumed-whole', 'extraction-round-trip']) {
      const judged = new RegExp(`held +([\\d,]+) +${p}`).exec(r.stdout);
      expect(judged, p).not.toBeNull();
      expect(Number(judged![1]!.replaceAll(',', ''))).toBeGreaterThan(0);
    }
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
      [['--tool', 'test/fixtures/tools', '--in-workflows'], 'takes --tool files, not a folder or a glob'],
      [['--tool', 'test/fixtures/tools/map_and_batch.xml', '--workflow', 'test/fixtures/workflows', '--in-workflows'], 'use one or the other'],
    ] as const) {
      const r = runCli(['run', ...args, '--profile', 'branch-fixed', '--runs', '5']);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(message);
    }
  });
});
