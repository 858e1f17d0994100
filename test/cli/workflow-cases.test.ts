import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { itNeeding, python3Requirement, sqlite3ShellRequirement } from '../helpers/requirements.js';

/**
 * Workflow invocation cases through the command line, as tool cases go:
 * explain shows them step by step, export hands them off (the invocation
 * request body, the rows, a Galaxy API test), a finding is saved as a
 * regression case and replayed, and a malformed workflow is one line and
 * exit 2.
 */
const EXAMPLE = 'examples/cases/workflow-invocation.json';

describe('workflow invocation cases', () => {
  it('explain shows each invocation step by step: the step rows, jobs, ICJs, connections and outputs', () => {
    const r = runCli(['explain', EXAMPLE, '--profile', 'branch-fixed']);
    // Exit 1: the hazard property one-output-row-per-step-output reports Galaxy's doubled first-pass rows.
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("FAIL one-output-row-per-step-output: invocation step 6 records its output 'out_file1' more than once");
    expect(r.stdout).toContain('invocation 1 (batch combination 0): scheduled');
    expect(r.stdout).toContain('invocation 2 (subworkflow of invocation 1): scheduled');
    expect(r.stdout).toMatch(/step 1 tool cat1: step row 2 scheduled after 2 pass\(es\), 2 combination\(s\), mapped over 2 element\(s\); jobs \[1, 2\], ICJ 1/);
    expect(r.stdout).toContain('in  reads <- step 1 out_file1: collection 2 (list, 2 elements)');
    const json = JSON.parse(runCli(['explain', EXAMPLE, '--profile', 'branch-fixed', '--json']).stdout) as { workflow: { steps: { type: string; jobs: number[] }[]; invocations: unknown[] } };
    expect(json.workflow.invocations).toHaveLength(2);
    expect(json.workflow.steps.filter((s) => s.type === 'tool').map((s) => s.jobs.length)).toEqual([2, 2, 1]);
  });

  it('export --format json gives the invocation request body', () => {
    const r = runCli(['export', EXAMPLE, '--format', 'json']);
    expect(JSON.parse(r.stdout)).toEqual({ history_id: 'HISTORY_ID', inputs_by: 'step_index', inputs: { 0: { src: 'hdca', id: 1 } } });
  });

  itNeeding(sqlite3ShellRequirement(), 'export --format sql gives the rows, and the sqlite3 shell runs them', (sqlite3) => {
    const sql = runCli(['export', EXAMPLE, '--format', 'sql', '--profile', 'branch-fixed']).stdout;
    expect(sql).toContain('INSERT INTO "workflow_invocation_step"');
    const r = spawnSync(sqlite3, [':memory:'], { input: `${sql}\nSELECT COUNT(*) FROM workflow_invocation_step;`, encoding: 'utf8' });
    expect([r.status, r.stderr, r.stdout.trim().split('\n').pop()]).toEqual([0, '', '6']);
  });

  itNeeding(python3Requirement(), 'export --format galaxy-test writes a test that creates and invokes the workflow, with its tools, and compiles', (python3) => {
    const out = tempDir();
    const r = runCli(['export', EXAMPLE, '--format', 'galaxy-test', '--profile', 'branch-fixed', '--out', out]);
    expect(r.status).toBe(0);
    const test = join(out, 'lib/galaxy_test/api/test_cardfuzz_workflow_invocation.py');
    const text = readFileSync(test, 'utf8');
    expect(text).toContain('workflow_id = self.workflow_populator.create_workflow(WORKFLOW)');
    expect(text).toContain('self.workflow_populator.invoke_workflow_raw(workflow_id, request)');
    expect(text).toContain('EXPECTED_JOBS = 5');
    expect(readdirSync(join(out, 'test/functional/tools')).sort()).toEqual(['cardfuzz_workflow_invocation_1.xml', 'cardfuzz_workflow_invocation_2.xml']);
    const compiled = spawnSync(python3, ['-m', 'py_compile', test], { encoding: 'utf8' });
    expect([compiled.status, compiled.stderr]).toEqual([0, '']);
  });

  it('a finding is saved as a regression case, and replay judges it again', () => {
    const dir = tempDir();
    const profile = 'test/fixtures/profiles/unique-step-row-per-invocation.yaml';
    const run = runCli(['run', '--profile', profile, '--seed', '1', '--runs', '300', '--property', 'persists-without-constraint-violations', '--save', dir]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('entry: workflow-invocation');
    const saved = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.json'));
    expect(saved).toHaveLength(1);
    const regression = JSON.parse(readFileSync(join(dir, saved[0]!), 'utf8')) as { case: { entry: string } };
    expect(regression.case.entry).toBe('workflow-invocation');
    const replay = runCli(['replay', dir]);
    expect(replay.stdout).toContain('1 case replayed: 1 still fail, 0 pass');
    expect(replay.stdout).toContain('fails (as recorded)');
  });

  it('an input collection an upload still populates: explain shows when it was populated, export says so; one never populated or failed is not exported as a Galaxy test (one line, exit 2)', () => {
    const dir = tempDir();
    const example = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as { history: { collections: { id: number; populated_state?: string }[] }; scheduling?: Record<string, unknown> };
    const uploading = structuredClone(example);
    uploading.history.collections[0]!.populated_state = 'new';
    uploading.scheduling = { ...uploading.scheduling, populated_at: { [String(uploading.history.collections[0]!.id)]: 2 } };
    const later = join(dir, 'later.json');
    writeFileSync(later, JSON.stringify(uploading));
    const explained = runCli(['explain', later, '--profile', 'branch-fixed']);
    expect(explained.stdout).toContain(`collection ${uploading.history.collections[0]!.id}: its upload populated it before pass 2`);
    expect(explained.stdout).toContain('invocation 1 (batch combination 0): scheduled');
    const exported = runCli(['export', later, '--format', 'galaxy-test', '--profile', 'branch-fixed', '--out', join(dir, 'out')]);
    expect(exported.status).toBe(0);
    const failed = structuredClone(example);
    failed.history.collections[0]!.populated_state = 'failed';
    const failedFile = join(dir, 'failed.json');
    writeFileSync(failedFile, JSON.stringify(failed));
    expect(runCli(['explain', failedFile, '--profile', 'branch-fixed']).stdout).toContain('invocation 1 (batch combination 0): failed — collection_failed');
    const refused = runCli(['export', failedFile, '--format', 'galaxy-test', '--profile', 'branch-fixed', '--out', join(dir, 'out2')]);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('a Galaxy API test cannot reproduce');
  });

  it('a malformed workflow is one line and exit 2', () => {
    const dir = tempDir();
    const bad = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as { workflow: { steps: Record<string, { tool_id?: string }> } };
    bad.workflow.steps['1']!.tool_id = 'not_a_tool';
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    const r = runCli(['explain', file, '--profile', 'branch-fixed']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('Tool not_a_tool missing');
  });
});
