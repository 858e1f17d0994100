import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { fuzz } from '../helpers/fuzz.js';

/**
 * No vacuous passes: a property counts the inputs it judged; one that judged
 * none is "not checked", the run says which schema pieces it lacked, and the
 * gate fails on it unless --allow-unchecked.
 */

const UPSTREAM_DUMP = 'test/fixtures/schemas/galaxy-upstream.sqlite.sql';

describe('judged counts', () => {
  it('count the inputs each property judged, never more than the inputs', async () => {
    const result = await fuzz('branch-fixed', { runs: 400, properties: ['persists-without-constraint-violations', 'wis-targets-job-xor-icj', 'execution-state-reaches-its-jobs'] });
    const judged = Object.fromEntries(result.checks.map((c) => [c.property, c.judged]));
    // Every input is written: persists judges them all; only workflow steps have an invocation step to judge.
    expect(judged['persists-without-constraint-violations']).toBe(result.runs);
    expect(judged['wis-targets-job-xor-icj']).toBeGreaterThan(0);
    expect(judged['wis-targets-job-xor-icj']).toBeLessThan(result.runs);
    expect(judged['execution-state-reaches-its-jobs']).toBeGreaterThan(0);
    expect(result.schemaGaps).toEqual([]);
  });

  it('report a property whose readers the schema cannot run as not checked, naming what is missing', async () => {
    const result = await fuzz('upstream', { runs: 300, properties: ['readers-agree', 'execution-state-reaches-its-jobs'] });
    const check = result.checks.find((c) => c.property === 'execution-state-reaches-its-jobs');
    expect(check).toMatchObject({ status: 'not-checked', judged: 0 });
    expect(check?.reason).toContain('the schema lacks job.tool_execution_state_id, implicit_collection_jobs.tool_execution_state_id');
    expect(result.schemaGaps).toContainEqual({ missing: 'job.tool_execution_state_id', readers: ['ToolExecutionState.job'], properties: ['readers-agree', 'execution-state-reaches-its-jobs'] });
    expect(result.schemaGaps).toContainEqual({ missing: 'table tool_execution_implicit_collection_association', readers: ['ToolExecutionState.output_collections'], properties: ['readers-agree'] });
    // readers-agree is weakened, not blind: the readers upstream has still judge.
    expect(result.checks.find((c) => c.property === 'readers-agree')).toMatchObject({ status: 'held' });
  });

  it('report an upgrade property whose campaign cannot run as not checked', async () => {
    const result = await fuzz('upstream', { runs: 10, properties: ['migration-upgrades-any-history'] });
    expect(result.checks).toEqual([{ property: 'migration-upgrades-any-history', status: 'not-checked', judged: 0, reason: 'profile upstream names no previous profile to upgrade from' }]);
  });
});

describe('a user schema lacking a reader’s table and columns', () => {
  it('run says so at the start, one line per missing piece, and reports the property as not checked (text and --json)', () => {
    const args = ['run', '--profile', 'upstream', '--schema-sql', UPSTREAM_DUMP, '--property', 'execution-state-reaches-its-jobs', '--property', 'rows-match-model', '--runs', '200', '--seed', '5'];
    const text = runCli(args);
    expect(text.status).toBe(0);
    expect(text.stderr).toContain('note: schema lacks job.tool_execution_state_id: reader ToolExecutionState.job cannot run; weakens execution-state-reaches-its-jobs\n');
    expect(text.stderr).toContain('note: schema lacks implicit_collection_jobs.tool_execution_state_id: reader ToolExecutionState.implicit_collection_jobs cannot run; weakens execution-state-reaches-its-jobs\n');
    expect(text.stdout).toMatch(/not checked +0 +execution-state-reaches-its-jobs/);
    expect(text.stdout).not.toContain('ok: every property held');
    expect(text.stdout).toContain('ok: every checked property held on upstream (1 not checked) over 200 cases');
    const json = runCli([...args, '--json']);
    const doc = JSON.parse(json.stdout) as { checks: { property: string; status: string; judged: number }[]; schemaGaps: { missing: string }[] };
    expect(doc.checks).toEqual([expect.objectContaining({ property: 'execution-state-reaches-its-jobs', status: 'not-checked', judged: 0 }), expect.objectContaining({ property: 'rows-match-model', status: 'held' })]);
    expect(doc.schemaGaps.map((g) => g.missing)).toEqual(['job.tool_execution_state_id', 'implicit_collection_jobs.tool_execution_state_id']);
  });

  it('run exits 2, never 0, when no selected property judged a single case', () => {
    const args = ['run', '--profile', 'upstream', '--schema-sql', UPSTREAM_DUMP, '--property', 'execution-state-reaches-its-jobs', '--runs', '200', '--seed', '5'];
    const text = runCli(args);
    expect(text.status).toBe(2);
    expect(text.stdout).toMatch(/not checked +0 +execution-state-reaches-its-jobs/);
    expect(text.stdout).not.toContain('ok:');
    expect(text.stderr.trim().split('\n').at(-1)).toBe('cardfuzz: nothing was checked: no selected property judged any of the 200 cases (see the notes above)');
    const json = runCli([...args, '--json']);
    expect(json.status).toBe(2);
    expect((JSON.parse(json.stdout) as { error: string }).error).toMatch(/^nothing was checked: /);
  });

  it('gate fails on a property it did not check unless --allow-unchecked, and shows the counts', () => {
    const dir = tempDir();
    const empty = tempDir();
    const args = ['gate', '--profile', 'upstream', '--schema-sql', UPSTREAM_DUMP, '--regressions', empty, '--runs', '300', '--markdown', join(dir, 'gate.md')];
    const strict = runCli(args);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain('cardfuzz: icj-supersedes-job-tes not checked: judged none of');
    // With --markdown the table goes to the file; stdout gets the one verdict line.
    const markdown = readFileSync(join(dir, 'gate.md'), 'utf8');
    expect(markdown).toMatch(/\| icj-supersedes-job-tes \| \*\*not checked\*\*: judged none of [\d,]+ inputs .*\| 0 \|/);
    expect(markdown).toMatch(/\| persists-without-constraint-violations \| held \| [\d,]+ \|/);
    const allowed = runCli([...args, '--allow-unchecked']);
    expect(allowed.status).toBe(0);
    expect(allowed.stderr).toContain('(accepted: --allow-unchecked)');
  });
});
