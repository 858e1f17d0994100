import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

/** Profile files, schema dumps, lint and tool XML through the command line. */
const profiles = 'test/fixtures/profiles';

describe('lint', () => {
  it('exits 1 on branch-1f87eebce naming job.tool_execution_state_id and shape S2', () => {
    const r = runCli(['lint', '--profile', 'branch-1f87eebce', '--json']);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout) as { conflicts: { table: string; columns: string[]; shape: string; message: string; example: { request: unknown } }[] };
    const unique = doc.conflicts.find((c) => c.message.startsWith('UNIQUE(job.tool_execution_state_id)'));
    expect(unique).toMatchObject({ table: 'job', columns: ['tool_execution_state_id'], shape: 'S2' });
    expect(unique!.example.request).toEqual({ input1: { __class__: 'Batch', values: [{ src: 'hda', id: 1 }, { src: 'hda', id: 2 }] } });
  });

  it('exits 0 on branch-fixed', () => {
    expect(runCli(['lint', '--profile', 'branch-fixed']).status).toBe(0);
  });
});

describe('profile files', () => {
  it('catches a profile that adds UNIQUE(job.tool_request_id) to branch-fixed, by lint and by run', () => {
    const lint = runCli(['lint', '--profile', `${profiles}/unique-job-tool-request.json`]);
    expect(lint.status).toBe(1);
    expect(lint.stdout).toContain('UNIQUE(job.tool_request_id) [ix_job_tool_request_id_unique]');
    const run = runCli(['run', '--profile', `${profiles}/unique-job-tool-request.json`, '--property', 'persists-without-constraint-violations', '--seed', '1', '--runs', '400', '--json']);
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).findings[0].violation).toMatchObject({ kind: 'unique', table: 'job', constraint: 'ix_job_tool_request_id_unique' });
  });

  it('reads YAML profile files with settings and relationship declarations', () => {
    const r = runCli(['run', '--profile', `${profiles}/repoint.yaml`, '--property', 'readers-agree', '--seed', '1', '--runs', '400', '--json']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).findings[0].violation.message).toBe('ToolExecutionState.job(1) returns [2]; the model links [1, 2]');
  });

  it.each([
    ['syntax-error.json', /syntax-error\.json: malformed JSON/],
    ['unknown-field.json', /unknown-field\.json: the file: unknown field "setings"/],
    ['bad-relationship.json', /bad-relationship\.json: field relationships\[0\]\.uselist: expected true or false, got "yes"/],
  ])('refuses %s with the file and field named', (file, message) => {
    const r = runCli(['lint', '--profile', `${profiles}/${file}`]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});

describe('--schema-sql', () => {
  it('uses a schema dump, filling columns it does not model, and names the constraint as the dump does', () => {
    const r = runCli(['run', '--profile', 'branch-1f87eebce', '--schema-sql', 'examples/schemas/galaxy-branch.sqlite.sql', '--property', 'persists-without-constraint-violations', '--seed', '2', '--runs', '400', '--json']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).findings[0].violation).toMatchObject({ table: 'job', columns: ['tool_execution_state_id'], constraint: 'ix_job_tes_once' });
  });

  it('reports a NOT NULL column it cannot fill by table and column (exit 2)', () => {
    // The example dump with job.user_id made NOT NULL: a required foreign key cardfuzz has no row to point at.
    const example = readFileSync('examples/schemas/galaxy-branch.sqlite.sql', 'utf8');
    const required = example.replace(/^(CREATE TABLE "job" \(.*?"user_id" INTEGER) (REFERENCES galaxy_user)/m, '$1 NOT NULL $2');
    expect(required).not.toBe(example);
    const dump = join(tempDir(), 'galaxy-branch-user-required.sqlite.sql');
    writeFileSync(dump, required);
    const r = runCli(['run', '--profile', 'branch-1f87eebce', '--schema-sql', dump, '--runs', '10']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('job.user_id is NOT NULL without a default and cardfuzz cannot fill it (a foreign key)');
  });
});

describe('--tool', () => {
  it('fuzzes requests for a tool read from XML and finds the ledger bug inside its repeat', () => {
    const r = runCli(['run', '--tool', 'test/fixtures/tools/map_and_batch.xml', '--profile', 'branch-1f87eebce', '--property', 'persists-without-constraint-violations', '--seed', '3', '--runs', '1000', '--json']);
    expect(r.status).toBe(1);
    const finding = JSON.parse(r.stdout).findings[0] as { case: { tool: { id: string } }; violation: { constraint: string } };
    expect(finding.case.tool.id).toBe('cardfuzz_map_and_batch');
    expect(finding.violation.constraint).toBe('uq_job_tool_execution_state_id');
  });
});
