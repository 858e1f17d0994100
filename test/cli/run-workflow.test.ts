import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/**
 * `run --workflow FILE|DIR` fuzzes invocations of workflows as Galaxy exports
 * them (.ga): histories and inputs the workflow accepts, its tool steps run by
 * what the workflow says of them (or the --tool tools), every property judged
 * over whole invocations.
 */
describe('run --workflow', () => {
  it('fuzzes invocations of a .ga workflow found in a folder, judging the workflow properties', () => {
    const r = runCli(['run', '--workflow', 'test/fixtures/workflows', '--profile', 'branch-fixed', '--runs', '200', '--seed', '3']);
    expect(r.stderr).toContain('workflow test/fixtures/workflows/map-subworkflow-reduce.ga: loaded');
    expect(r.stderr).toMatch(/note: .*tool cat1 is not given \(--tool\): its step stands in for it/);
    expect(r.status).toBe(0);
    for (const p of ['one-step-row-per-invocation-step', 'connections-reach-upstream-outputs', 'mapped-step-consumed-whole', 'extraction-round-trip']) {
      expect(r.stdout).toMatch(new RegExp(`held +[\\d,]+ +${p}`));
    }
  });

  it('finds the doubled step output rows with --hazards, with a replay line that names the workflow', () => {
    const r = runCli(['run', '--workflow', 'test/fixtures/workflows/map-subworkflow-reduce.ga', '--profile', 'branch-fixed', '--runs', '100', '--seed', '3', '--hazards', '--property', 'one-output-row-per-step-output']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAIL one-output-row-per-step-output');
    expect(r.stdout).toMatch(/replay: .* --workflow test\/fixtures\/workflows\/map-subworkflow-reduce\.ga .*--property one-output-row-per-step-output/);
  });

  it('runs a given tool\'s nested parameters (cond|x, sect|x, rep_0|x) from a .ga and a gxformat2 workflow, with no stand-in note', () => {
    const r = runCli(['run', '--workflow', 'test/fixtures/workflows-nested', '--tool', 'test/fixtures/workflows-nested/nested_params.xml', '--profile', 'branch-fixed', '--runs', '100', '--seed', '3']);
    expect(r.stderr).toContain('workflow test/fixtures/workflows-nested/nested-connections.ga: loaded');
    expect(r.stderr).toContain('workflow test/fixtures/workflows-nested/nested-connections.gxwf.yml: loaded');
    expect(r.stderr).not.toContain('is not given');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/held +[\d,]+ +connections-reach-upstream-outputs/);
  });

  it('refuses a workflow Galaxy would not build with one line and exit 2', () => {
    const r = runCli(['run', '--workflow', 'test/fixtures/workflows-bad/no-tool-id.ga', '--profile', 'branch-fixed', '--runs', '10']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('tool step 1 names no tool_id');
  });

  it('reads gxformat2 workflows as Galaxy imports them, skipping the test files beside them', () => {
    const r = runCli(['run', '--workflow', 'test/fixtures/workflows-gxformat2', '--profile', 'branch-fixed', '--runs', '150', '--seed', '3']);
    expect(r.stderr).toContain('workflow test/fixtures/workflows-gxformat2/map-subworkflow-reduce.gxwf.yml: loaded');
    expect(r.stderr).not.toContain('gxwf-tests.yml');
    expect(r.status).toBe(0);
    for (const p of ['one-step-row-per-invocation-step', 'connections-reach-upstream-outputs', 'mapped-step-consumed-whole', 'extraction-round-trip']) {
      expect(r.stdout).toMatch(new RegExp(`held +[\\d,]+ +${p}`));
    }
  });

  it('refuses a gxformat2 workflow Galaxy cannot import, or a file that is not YAML, with one line and exit 2', () => {
    const unknown = runCli(['run', '--workflow', 'test/fixtures/workflows-gxformat2-bad/unknown-source.gxwf.yml', '--profile', 'branch-fixed', '--runs', '10']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain('Galaxy cannot import this gxformat2 workflow: step first\'s input "input1" connects to "raeds", which names no input or step of the workflow');
    const broken = runCli(['run', '--workflow', 'test/fixtures/workflows-gxformat2-bad/not-yaml.gxwf.yml', '--profile', 'branch-fixed', '--runs', '10']);
    expect(broken.status).toBe(2);
    expect(broken.stderr.trim().split('\n')).toHaveLength(1);
    expect(broken.stderr).toMatch(/not-yaml\.gxwf\.yml: not YAML \(/);
  });

  it('in a folder, says of each workflow it cannot run whether Galaxy refuses it or cardfuzz does not model it, and exits 2 when none is left', () => {
    const r = runCli(['run', '--workflow', 'test/fixtures/workflows-gxformat2-bad', '--profile', 'branch-fixed', '--runs', '10']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('workflow test/fixtures/workflows-gxformat2-bad/import.gxwf.yml: not modelled: step embedded runs @import "beside.gxwf.yml"');
    expect(r.stderr).toContain('workflow test/fixtures/workflows-gxformat2-bad/unknown-source.gxwf.yml: refused: Galaxy cannot import this gxformat2 workflow:');
    expect(r.stderr).toContain('--workflow: none of the 2 workflow files could be read');
  });
});
