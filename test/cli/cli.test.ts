import { describe, expect, it } from 'vitest';
import { ledgerCase } from '../helpers/cases.js';
import { runCli, tempDir, writeJson } from '../helpers/cli.js';

/** The built command line end to end: exit codes 0 / 1 / 2 and the documented JSON shapes. */

const CANONICAL_REQUEST = { input1: { __class__: 'Batch', values: [{ src: 'hda', id: 1 }, { src: 'hda', id: 2 }] } };

describe('cardfuzz run', () => {
  it('finds the ledger bug on branch-1f87eebce and shrinks it to the two-dataset Batch (exit 1)', () => {
    const r = runCli(['run', '--profile', 'branch-1f87eebce', '--seed', '4', '--runs', '600', '--property', 'persists-without-constraint-violations', '--json']);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout) as { findings: { property: string; case: { tool: { inputs: unknown[] }; history: unknown; request: unknown }; violation: { kind: string; table: string; columns: string[]; constraint: string }; replay: string }[]; runs: number };
    expect(doc.runs).toBeGreaterThan(0);
    const [finding] = doc.findings;
    expect(finding?.violation).toMatchObject({ kind: 'unique', table: 'job', columns: ['tool_execution_state_id'], constraint: 'uq_job_tool_execution_state_id' });
    expect(finding?.case.tool.inputs).toEqual([{ name: 'input1', type: 'data' }]);
    expect(finding?.case.history).toEqual({ datasets: [{ id: 1 }, { id: 2 }], collections: [] });
    expect(finding?.case.request).toEqual(CANONICAL_REQUEST);
    expect(finding?.replay).toContain('--seed 4');
  });

  it('holds on branch-fixed (exit 0) and prints only JSON on stdout', () => {
    const r = runCli(['run', '--profile', 'branch-fixed', '--seed', '4', '--runs', '400', '--property', 'persists-without-constraint-violations', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ findings: [], runs: 400 });
  });

  it('replays a finding from its seed and path', () => {
    const first = JSON.parse(runCli(['run', '--profile', 'branch-1f87eebce', '--seed', '9', '--runs', '300', '--property', 'persists-without-constraint-violations', '--json']).stdout) as { findings: { seed: number; path: string; case: unknown }[] };
    const f = first.findings[0]!;
    const again = runCli(['run', '--profile', 'branch-1f87eebce', '--seed', String(f.seed), '--path', f.path, '--property', 'persists-without-constraint-violations', '--json']);
    expect(again.status).toBe(1);
    expect((JSON.parse(again.stdout) as { findings: { case: unknown }[] }).findings[0]?.case).toEqual(f.case);
  });

  it.each([
    [['run', '--profile', 'no-such-profile'], /unknown profile "no-such-profile"/],
    [['run', '--property', 'no-such-property'], /Invalid values: Argument: property, Given: "no-such-property", Choices: "persists-without-constraint-violations"/],
    [['run', '--set', 'orm.scalarReplace=maybe'], /orm\.scalarReplace takes raise \| repoint/],
    [['run', '--set', 'no.such=1'], /unknown setting "no.such"/],
    [['run', '--runs', '0'], /--runs: expected an integer of at least 1/],
    [['run', '--time-limit', 'soon'], /--time-limit soon: expected a duration/],
    [['frobnicate'], /Unknown argument|Unknown command|frobnicate/i],
  ])('refuses %j with one line and exit 2', (args, message) => {
    const r = runCli(args);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('cardfuzz explain', () => {
  it('shows the ledger case failing on branch-1f87eebce and passing on branch-fixed', () => {
    const dir = tempDir();
    const file = writeJson(dir, 'ledger.json', ledgerCase());
    const broken = runCli(['explain', file, '--profile', 'branch-1f87eebce', '--json']);
    expect(broken.status).toBe(1);
    const doc = JSON.parse(broken.stdout) as { expansion: { combinations: number; mapOver: boolean; error: null }; rows: Record<string, number>; properties: Record<string, string> };
    expect(doc.expansion).toMatchObject({ combinations: 2, mapOver: false, error: null });
    expect(doc.rows).toMatchObject({ tool_request: 1, tool_execution_state: 1, job: 1 });
    expect(doc.properties['persists-without-constraint-violations']).toBe('failed');
    const fixed = runCli(['explain', file, '--profile', 'branch-fixed', '--json']);
    const fixedDoc = JSON.parse(fixed.stdout) as { rows: Record<string, number>; properties: Record<string, string> };
    expect(fixedDoc.rows.job).toBe(2);
    expect(fixedDoc.properties['persists-without-constraint-violations']).toBe('passed');
  });

  it('prints a readable explanation without --json', () => {
    const dir = tempDir();
    const r = runCli(['explain', writeJson(dir, 'ledger.json', ledgerCase()), '--profile', 'branch-1f87eebce']);
    expect(r.stdout).toContain('expansion: 2 combinations, no map-over');
    expect(r.stdout).toContain('FAIL persists-without-constraint-violations');
  });

  it.each([
    ['malformed JSON', '{"tool": ', /malformed JSON/],
    ['an unknown src', JSON.stringify({ ...ledgerCase(), request: { input_file: { src: 'bogus', id: 1 } } }), /unknown src "bogus"/],
    ['a dataset missing from the history', JSON.stringify({ ...ledgerCase(), request: { input_file: { src: 'hda', id: 9 } } }), /hda 9 is not in the history/],
    ['an unknown parameter', JSON.stringify({ ...ledgerCase(), request: { nope: 1 } }), /unknown parameter "nope"/],
    ['a future case format', JSON.stringify({ ...ledgerCase(), version: 7 }), /unsupported case format version 7/],
    ['a bad input type', JSON.stringify({ ...ledgerCase(), tool: { id: 't', inputs: [{ name: 'x', type: 'dataz' }], outputs: [] } }), /tool\.inputs\[0\]\.type: expected one of/],
  ])('refuses %s with one line and exit 2', (_label, text, message) => {
    const dir = tempDir();
    const r = runCli(['explain', writeJson(dir, 'case.json', text)]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('names a file it cannot read', () => {
    const r = runCli(['explain', '/nonexistent/case.json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\/nonexistent\/case\.json: cannot read \(no such file\)/);
  });
});

describe('cardfuzz profiles', () => {
  it('lists one line per built-in profile', () => {
    const r = runCli(['profiles']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0])).toEqual(['upstream', 'branch-1f87eebce', 'branch-fixed']);
  });
});
