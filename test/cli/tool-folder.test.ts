import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, writeJson } from '../helpers/cli.js';

function toolFolder(): string {
  const dir = tempDir('cardfuzz-tools-');
  mkdirSync(join(dir, 'nested'));
  writeFileSync(join(dir, 'cat.xml'), '<tool id="cat_one" name="cat" version="1"><inputs><param name="input1" type="data"/></inputs><outputs><data name="out" format="txt"/></outputs></tool>');
  writeFileSync(
    join(dir, 'nested', 'filtered.xml'),
    `<tool id="filtered" name="f" version="1"><macros><import>macros.xml</import></macros><inputs><expand macro="mode"/><param name="input1" type="data"/></inputs>
      <outputs><data name="out" format="txt"><filter>mode.startswith('a')</filter></data></outputs></tool>`,
  );
  writeFileSync(join(dir, 'nested', 'macros.xml'), '<macros><xml name="mode"><param name="mode" type="select"><option value="a"/><option value="c"/></param></xml></macros>');
  writeFileSync(join(dir, 'upload.xml'), '<tool id="up" name="up" version="1"><inputs><upload_dataset name="files"><param name="file_data" type="file"/></upload_dataset></inputs><outputs/></tool>');
  return dir;
}

describe('run --tool DIR', () => {
  it('fuzzes every tool it finds: one line per tool, the notes, a summary; a refused tool is reported, not fatal', () => {
    const dir = toolFolder();
    const r = runCli(['run', '--tool', dir, '--runs', '20', '--seed', '3', '--profile', 'branch-fixed', '--property', 'rows-match-model']);
    expect(r.stderr).toMatch(/note: filtered output out: <filter>mode\.startswith\('a'\)<\/filter>: outside the Python subset .* \(can change job or collection counts\)/);
    expect(r.stdout).toMatch(/^ok {8}.*cat\.xml \(cat_one\): loaded, no approximations; no findings over 20 cases$/m);
    expect(r.stdout).toMatch(/^ok {8}.*filtered\.xml \(filtered\): loaded, 1 approximation \(1 can change counts\); no findings/m);
    expect(r.stdout).toMatch(/^refused {3}.*upload\.xml: .*upload tools are not modelled/m);
    expect(r.stdout).toMatch(/3 tool files: 2 loaded, 1 refused; 1 other file skipped/);
    expect(r.stdout).toMatch(/approximations: 1 tool approximated, 1 in a way that can change job or collection counts/);
    expect(r.status).toBe(0);
  });

  it('exits 1 with the findings of each tool, replayable against that tool, and writes one JSON document with --json', () => {
    const dir = toolFolder();
    const r = runCli(['run', '--tool', `${dir}/*.xml`, '--runs', '60', '--seed', '5', '--profile', 'branch-1f87eebce', '--property', 'persists-without-constraint-violations', '--json']);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout) as { tools: { file: string; status: string; findings: { property: string; replay: string }[] }[]; summary: { loaded: number; refused: number; toolsWithFindings: number } };
    expect(doc.summary).toMatchObject({ loaded: 1, refused: 1, toolsWithFindings: 1 });
    // Each tool's properties are failed, held or not checked, never silently held.
    expect((doc.tools.find((t) => t.file.endsWith('cat.xml')) as unknown as { checks: { property: string; status: string }[] }).checks).toEqual([expect.objectContaining({ property: 'persists-without-constraint-violations', status: 'failed' })]);
    const cat = doc.tools.find((t) => t.file.endsWith('cat.xml'))!;
    expect(cat.status).toBe('findings');
    expect(cat.findings[0]!.replay).toContain(`--tool ${join(dir, 'cat.xml')}`);
    // The replay command runs that one tool and finds the same property failing.
    const replay = runCli(cat.findings[0]!.replay.replace(/^cardfuzz /, '').split(' '));
    expect(replay.status).toBe(1);
    expect(replay.stdout).toContain('FAIL persists-without-constraint-violations');
  });

  it('exits 2 when every tool it finds is refused: nothing was checked', () => {
    const dir = tempDir('cardfuzz-tools-');
    writeFileSync(join(dir, 'upload.xml'), '<tool id="up" name="up" version="1"><inputs><upload_dataset name="files"><param name="file_data" type="file"/></upload_dataset></inputs><outputs/></tool>');
    const r = runCli(['run', '--tool', dir, '--runs', '20', '--seed', '3']);
    expect(r.stdout).toMatch(/^refused {3}.*upload\.xml: .*upload tools are not modelled/m);
    expect(r.stderr.trim().split('\n').at(-1)).toBe('cardfuzz: nothing was checked: the one tool file was refused');
    expect(r.status).toBe(2);
  });

  it('exits 2 with one line when nothing it names is a tool', () => {
    const dir = tempDir('cardfuzz-tools-');
    writeFileSync(join(dir, 'macros.xml'), '<macros/>');
    const r = runCli(['run', '--tool', dir, '--runs', '5']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/no tool found in .* \(1 other file\)/);
  });
});

describe('approximations outside run', () => {
  it('explain prints the notes and lists them as approximations in --json', () => {
    const dir = tempDir();
    const file = writeJson(dir, 'case.json', {
      tool: { id: 't', inputs: [{ name: 'input1', type: 'data' }, { name: 'coll', type: 'data_collection', optional: true }], outputs: [{ name: 'out', type: 'data', filters: ['input1.ext.startswith("b")'] }] },
      history: { datasets: [{ id: 1 }] },
      entry: 'tool-request',
      request: { input1: { src: 'hda', id: 1 } },
    });
    const text = runCli(['explain', file, '--profile', 'branch-fixed']);
    expect(text.stderr).toMatch(/note: t output out: <filter>input1\.ext\.startswith\("b"\)<\/filter>: outside the Python subset/);
    const json = runCli(['explain', file, '--profile', 'branch-fixed', '--json']);
    const doc = JSON.parse(json.stdout) as { approximations: { at: string; construct: string; changesCounts: boolean }[] };
    expect(doc.approximations.map((a) => [a.at, a.changesCounts])).toEqual([['t output out', true]]);
  });
});
