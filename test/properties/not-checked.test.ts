import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { fuzz } from '../helpers/fuzz.js';

/**
 * No vacuous passes: a property counts the inputs it judged. One that judged
 * none because the schema lacks what it needs is "not applicable" (computed
 * from the schema); one that could have judged and did not is "not checked",
 * and the gate fails on it unless --allow-unchecked.
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

  it('report a property whose columns the schema lacks as not applicable, naming what is missing', async () => {
    const result = await fuzz('upstream', { runs: 300, properties: ['readers-agree', 'execution-state-reaches-its-jobs', 'icj-supersedes-job-tes', 'step-execution-keeps-one-state'] });
    expect(result.checks.find((c) => c.property === 'execution-state-reaches-its-jobs')).toEqual({
      property: 'execution-state-reaches-its-jobs',
      status: 'not-applicable',
      judged: 0,
      reason: 'the schema lacks tool_request.tool_execution_state_id, job.tool_execution_state_id, implicit_collection_jobs.tool_execution_state_id',
    });
    expect(result.checks.find((c) => c.property === 'icj-supersedes-job-tes')).toMatchObject({ status: 'not-applicable', reason: 'the schema lacks job.tool_execution_state_id' });
    expect(result.checks.find((c) => c.property === 'step-execution-keeps-one-state')).toMatchObject({ status: 'not-applicable' });
    // The gaps name what weakens a property that still applies; a property not applicable gives its own reason.
    expect(result.schemaGaps).toContainEqual({ missing: 'job.tool_execution_state_id', readers: ['ToolExecutionState.job'], properties: ['readers-agree'] });
    expect(result.schemaGaps).toContainEqual({ missing: 'table tool_execution_implicit_collection_association', readers: ['ToolExecutionState.output_collections'], properties: ['readers-agree'] });
    // readers-agree is weakened, not blind: the readers upstream has still judge.
    expect(result.checks.find((c) => c.property === 'readers-agree')).toMatchObject({ status: 'held' });
  });

  it('keep the same properties applicable, and judging, where the schema has what they need', async () => {
    const result = await fuzz('branch-fixed', { runs: 300, properties: ['icj-supersedes-job-tes', 'step-execution-keeps-one-state'] });
    expect(result.checks.map((c) => c.status)).toEqual(['held', 'held']);
  });

  it('report a property that applies but whose precondition no input met as not checked, never not applicable', async () => {
    // Without workflow steps no invocation step is written, though branch-fixed has every column these properties read.
    const result = await fuzz('branch-fixed', { runs: 200, properties: ['persists-without-constraint-violations', 'wis-targets-job-xor-icj', 'step-execution-keeps-one-state'], constraints: { entries: ['tool-request'] } });
    expect(result.checks).toEqual([
      { property: 'persists-without-constraint-violations', status: 'held', judged: result.runs },
      { property: 'wis-targets-job-xor-icj', status: 'not-checked', judged: 0, reason: `judged none of ${result.runs} inputs (no input met its precondition)` },
      { property: 'step-execution-keeps-one-state', status: 'not-checked', judged: 0, reason: `judged none of ${result.runs} inputs (no input met its precondition)` },
    ]);
  });

  it('report an upgrade property with no previous profile as not applicable', async () => {
    const result = await fuzz('upstream', { runs: 10, properties: ['migration-upgrades-any-history'] });
    expect(result.checks).toEqual([{ property: 'migration-upgrades-any-history', status: 'not-applicable', judged: 0, reason: 'profile upstream names no previous profile to upgrade from' }]);
  });
});

describe('a user schema lacking a reader’s table and columns', () => {
  it('run says so at the start in one line (one per piece with --verbose), and reports a property it cannot reach as n/a (text and --json)', () => {
    const args = ['run', '--profile', 'upstream', '--schema-sql', UPSTREAM_DUMP, '--property', 'execution-state-reaches-its-jobs', '--property', 'readers-agree', '--runs', '200', '--seed', '5'];
    const text = runCli(args);
    expect(text.status).toBe(0);
    const notes = text.stderr.split('\n').filter((l) => l.startsWith('note:'));
    expect(notes).toEqual(['note: schema lacks 4 columns and 1 table that 5 readers read; weakens readers-agree (--verbose lists each)']);
    expect(text.stdout).toMatch(/^ {2}n\/a +0 {2}execution-state-reaches-its-jobs \(the schema lacks tool_request\.tool_execution_state_id, job\.tool_execution_state_id, implicit_collection_jobs\.tool_execution_state_id\)$/m);
    expect(text.stdout).toMatch(/held +[\d,]+ +readers-agree/);
    expect(text.stdout).not.toContain('ok: every property held');
    expect(text.stdout).toContain('ok: every applicable property held on upstream (1 not applicable) over 200 cases');
    const verbose = runCli([...args, '--verbose']);
    expect(verbose.status).toBe(0);
    const each = verbose.stderr.split('\n').filter((l) => l.startsWith('note:'));
    expect(each).toHaveLength(5);
    expect(each).toContain('note: schema lacks job.tool_execution_state_id: reader ToolExecutionState.job cannot run; weakens readers-agree');
    expect(each).toContain('note: schema lacks table tool_execution_implicit_collection_association: reader ToolExecutionState.output_collections cannot run; weakens readers-agree');
    const json = runCli([...args, '--json']);
    const doc = JSON.parse(json.stdout) as { checks: { property: string; status: string; judged: number }[]; schemaGaps: { missing: string }[] };
    expect(doc.checks).toEqual([expect.objectContaining({ property: 'execution-state-reaches-its-jobs', status: 'not-applicable', judged: 0 }), expect.objectContaining({ property: 'readers-agree', status: 'held' })]);
    expect(doc.schemaGaps.map((g) => g.missing)).toEqual([
      'tool_request.tool_execution_state_id',
      'job.tool_execution_state_id',
      'workflow_invocation_step.tool_execution_state_id',
      'implicit_collection_jobs.tool_execution_state_id',
      'table tool_execution_implicit_collection_association',
    ]);
  });

  it('run exits 2, never 0, when no selected property can judge a single case', () => {
    const args = ['run', '--profile', 'upstream', '--schema-sql', UPSTREAM_DUMP, '--property', 'execution-state-reaches-its-jobs', '--runs', '200', '--seed', '5'];
    const text = runCli(args);
    expect(text.status).toBe(2);
    expect(text.stdout).toMatch(/n\/a +0 +execution-state-reaches-its-jobs/);
    expect(text.stdout).not.toContain('ok:');
    expect(text.stderr.trim().split('\n').at(-1)).toBe('cardfuzz: nothing was checked: no selected property judged any of the 200 cases (see above)');
    const json = runCli([...args, '--json']);
    expect(json.status).toBe(2);
    expect((JSON.parse(json.stdout) as { error: string }).error).toMatch(/^nothing was checked: /);
  });

  it('gate passes where the schema only lacks what some properties need, and marks them n/a', () => {
    const dir = tempDir();
    const empty = tempDir();
    const r = runCli(['gate', '--profile', 'upstream', '--schema-sql', UPSTREAM_DUMP, '--regressions', empty, '--runs', '300', '--markdown', join(dir, 'gate.md'), '--junit', join(dir, 'junit.xml')]);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain('not checked');
    const markdown = readFileSync(join(dir, 'gate.md'), 'utf8');
    expect(markdown).toContain('| icj-supersedes-job-tes | n/a (the schema lacks job.tool_execution_state_id) | 0 |');
    expect(markdown).toContain('| migration-upgrades-any-history | n/a (profile upstream names no previous profile to upgrade from) | 0 |');
    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(junit).toContain('<skipped message="not applicable: the schema lacks job.tool_execution_state_id"/>');
    expect(junit).not.toContain('type="not-checked"');
  });
});

describe('a property that applies and judged nothing', () => {
  it('fails the gate unless --allow-unchecked, and shows the counts', () => {
    // Three cases on branch-fixed: every column is there, but none of the three is mapped over or a workflow step.
    const dir = tempDir();
    const empty = tempDir();
    const args = ['gate', '--profile', 'branch-fixed', '--regressions', empty, '--runs', '3', '--markdown', join(dir, 'gate.md')];
    const strict = runCli(args);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain('cardfuzz: icj-supersedes-job-tes not checked: judged none of 3 inputs (no input met its precondition)\n');
    // With --markdown the table goes to the file; stdout gets the one verdict line.
    const markdown = readFileSync(join(dir, 'gate.md'), 'utf8');
    expect(markdown).toMatch(/\| icj-supersedes-job-tes \| \*\*not checked\*\*: judged none of 3 inputs .*\| 0 \|/);
    expect(markdown).toMatch(/\| persists-without-constraint-violations \| held \| 3 \|/);
    expect(markdown).not.toContain('n/a');
    const allowed = runCli([...args, '--allow-unchecked']);
    expect(allowed.status).toBe(0);
    expect(allowed.stderr).toContain('(accepted: --allow-unchecked)');
  });
});
