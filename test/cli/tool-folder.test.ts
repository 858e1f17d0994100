import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
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
  it('fuzzes every tool it finds: one line per tool, a tally with the notes by construct; a tool Galaxy loads but cardfuzz does not model is reported, not fatal', () => {
    const dir = toolFolder();
    const r = runCli(['run', '--tool', dir, '--runs', '20', '--seed', '3', '--profile', 'branch-fixed', '--property', 'rows-match-model']);
    expect(r.stdout).toMatch(/^ok {8}.*cat\.xml \(cat_one\): loaded, no approximations; no findings over 20 cases$/m);
    expect(r.stdout).toMatch(/^ok {8}.*filtered\.xml \(filtered\): loaded, 1 approximation \(1 can change counts\); no findings/m);
    expect(r.stdout).toMatch(/^not modelled .*upload\.xml: .*upload tools are not modelled/m);
    expect(r.stdout).toMatch(/3 tool files: 2 loaded, 0 refused by Galaxy's loader, 1 not modelled; 1 other file skipped/);
    expect(r.stdout).toMatch(/approximations: 1 tool approximated, 1 in a way that can change job or collection counts/);
    expect(r.stdout).toMatch(/^ +1 {2}<filter>…<\/filter> \(can change counts\)$/m);
    // Nothing but the header goes to a pipe's stderr: no progress lines, no per-tool notes.
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^cardfuzz run: profile branch-fixed, seed 3, 3 tool files/)]);
    expect(r.status).toBe(0);
  });

  it('prints each finding once per fingerprint, with the tools that have it and the smallest case, and exits 1', () => {
    const dir = tempDir('cardfuzz-tools-');
    for (const name of ['one', 'two', 'three']) {
      writeFileSync(join(dir, `${name}.xml`), `<tool id="${name}" name="${name}" version="1"><inputs><param name="input1" type="data"/></inputs><outputs><data name="out" format="txt"/></outputs></tool>`);
    }
    const r = runCli(['run', '--tool', dir, '--runs', '60', '--seed', '5', '--profile', 'branch-1f87eebce', '--property', 'persists-without-constraint-violations']);
    expect(r.status).toBe(1);
    const blocks = r.stdout.match(/^fingerprint [0-9a-f]{12}: persists-without-constraint-violations in 3 tools$/gm) ?? [];
    expect(blocks).toHaveLength(1);
    // The full finding is printed once, not once per tool.
    expect(r.stdout.match(/^FAIL persists-without-constraint-violations/gm)).toHaveLength(1);
    for (const name of ['one', 'two', 'three']) expect(r.stdout).toContain(`  - ${join(dir, `${name}.xml`)}`);
    expect(r.stdout).toMatch(/findings: 1 fingerprint in 3 tools over 180 cases in .* tools\/s\)/);
  });

  it('exits 1 with the findings of each tool, replayable against that tool, and writes one JSON document with --json', () => {
    const dir = toolFolder();
    const r = runCli(['run', '--tool', `${dir}/*.xml`, '--runs', '60', '--seed', '5', '--profile', 'branch-1f87eebce', '--property', 'persists-without-constraint-violations', '--json']);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout) as {
      tools: { file: string; status: string; findings: { property: string; replay: string; fingerprint: string }[] }[];
      findingGroups: { fingerprint: string; tools: string[] }[];
      summary: { loaded: number; refused: number; notModelled: number; toolsWithFindings: number; toolsPerSecond: number };
    };
    expect(doc.summary).toMatchObject({ loaded: 1, refused: 0, notModelled: 1, toolsWithFindings: 1 });
    expect(doc.summary.toolsPerSecond).toBeGreaterThan(0);
    // Each tool's properties are failed, held or not checked, never silently held.
    expect((doc.tools.find((t) => t.file.endsWith('cat.xml')) as unknown as { checks: { property: string; status: string }[] }).checks).toEqual([expect.objectContaining({ property: 'persists-without-constraint-violations', status: 'failed' })]);
    const cat = doc.tools.find((t) => t.file.endsWith('cat.xml'))!;
    expect(cat.status).toBe('findings');
    expect(doc.findingGroups).toEqual([expect.objectContaining({ fingerprint: cat.findings[0]!.fingerprint, tools: [cat.file] })]);
    expect(cat.findings[0]!.replay).toContain(`--tool ${join(dir, 'cat.xml')}`);
    // The replay command runs that one tool and finds the same property failing.
    const replay = runCli(cat.findings[0]!.replay.replace(/^cardfuzz /, '').split(' '));
    expect(replay.status).toBe(1);
    expect(replay.stdout).toContain('FAIL persists-without-constraint-violations');
  });

  it("refuses, per tool, only what Galaxy's loader refuses, and says why; --strict refuses what a linter would", () => {
    const dir = tempDir('cardfuzz-tools-');
    writeFileSync(join(dir, 'ext.xml'), '<tool id="ext" name="e" version="1"><inputs><param name="i" type="data" ext="txt" size="10"/></inputs><outputs><data name="o.txt" format="txt"/></outputs></tool>');
    writeFileSync(join(dir, 'bad.xml'), '<tool id="bad" name="b" version="1"><inputs><param name="i" type="dataz"/></inputs><outputs/></tool>');
    const r = runCli(['run', '--tool', dir, '--runs', '10', '--seed', '3', '--profile', 'branch-fixed', '--property', 'rows-match-model']);
    expect(r.stdout).toMatch(/^ok {8}.*ext\.xml \(ext\): loaded, no approximations, 2 Galaxy loader rules applied; no findings/m);
    expect(r.stdout).toMatch(/^refused {3}.*bad\.xml: .*parameter 'i' uses an unknown type 'dataz'$/m);
    expect(r.stdout).toMatch(/refused, by reason:\n +1 {2}parameter '…' uses an unknown type '…'/);
    expect(r.status).toBe(0);
    const strict = runCli(['run', '--tool', dir, '--runs', '10', '--seed', '3', '--profile', 'branch-fixed', '--property', 'rows-match-model', '--strict']);
    expect(strict.stdout).toMatch(/^refused {3}.*ext\.xml: .*unknown field "ext"/m);
    expect(strict.stdout).toMatch(/2 tool files: 0 loaded, 2 refused by --strict \(a linter's view\), 0 not modelled/);
    expect(strict.status).toBe(2);
  });

  it('walks past link loops, dangling links, huge files and links to folders, one line each', () => {
    const dir = toolFolder();
    symlinkSync('loop-b.xml', join(dir, 'loop-a.xml'));
    symlinkSync('loop-a.xml', join(dir, 'loop-b.xml'));
    symlinkSync('missing.xml', join(dir, 'dangling.xml'));
    symlinkSync('..', join(dir, 'nested', 'up')); // a link to a folder is not followed, as Galaxy's os.walk does not
    writeFileSync(join(dir, 'huge.xml'), `<tool id="huge" name="h" version="1"><!--${'x'.repeat(5 * 1024 * 1024)}--></tool>`);
    const r = runCli(['run', '--tool', dir, '--runs', '5', '--seed', '3', '--profile', 'branch-fixed', '--property', 'rows-match-model']);
    expect(r.stderr).not.toMatch(/ELOOP|internal error/);
    expect(r.stdout).toMatch(/^skipped {3}.*loop-a\.xml: a symbolic link loop$/m);
    expect(r.stdout).toMatch(/^skipped {3}.*loop-b\.xml: a symbolic link loop$/m);
    expect(r.stdout).toMatch(/^skipped {3}.*dangling\.xml: a dangling symbolic link$/m);
    expect(r.stdout).toMatch(/^skipped {3}.*huge\.xml: too large to be a tool \(5\.0 MiB/m);
    expect(r.stdout).toMatch(/3 tool files: 2 loaded, 0 refused by Galaxy's loader, 1 not modelled; 1 other file skipped .*; 4 paths unreadable/);
    expect(r.status).toBe(0);
  });

  it('prints the same with --workers 1 (one after another) and --workers 2 (the worker pool), text and --json, timings aside', () => {
    // A tool with the ledger's finding on branch-1f87eebce, one using a macro file, one Galaxy refuses, one not modelled, and a dangling link.
    const dir = toolFolder();
    writeFileSync(join(dir, 'bad.xml'), '<tool id="bad" name="b" version="1"><inputs><param name="i" type="dataz"/></inputs><outputs/></tool>');
    symlinkSync('missing.xml', join(dir, 'dangling.xml'));
    const args = ['run', '--tool', dir, '--runs', '40', '--seed', '5', '--profile', 'branch-1f87eebce'];
    const serial = runCli([...args, '--workers', '1']);
    const pooled = runCli([...args, '--workers', '2']);
    // The pool was used, and only by the second run.
    expect(pooled.stderr).toMatch(/^cardfuzz run: profile branch-1f87eebce, seed 5, 4 tool files, .*, 2 worker threads$/m);
    expect(serial.stderr).not.toMatch(/worker threads/);
    const timings = (text: string): string => text.replace(/ in [^()\n]+ \([\d.]+ tools\/s\)/g, ' in T (R tools/s)');
    expect(timings(pooled.stdout)).toBe(timings(serial.stdout));
    expect(pooled.status).toBe(1);
    expect(serial.status).toBe(1);
    // What is compared holds every kind of line: a finding, a refusal, a tool not modelled, a link skipped, the groups and the tally.
    expect(serial.stdout).toMatch(/^FINDINGS  .*cat\.xml \(cat_one\): loaded/m);
    expect(serial.stdout).toMatch(/^refused {3}.*bad\.xml: /m);
    expect(serial.stdout).toMatch(/^not modelled .*upload\.xml: /m);
    expect(serial.stdout).toMatch(/^skipped {3}.*dangling\.xml: a dangling symbolic link$/m);
    expect(serial.stdout).toMatch(/^fingerprint [0-9a-f]{12}: persists-without-constraint-violations in \d tools?$/m);
    expect(serial.stdout).toMatch(/4 tool files: 2 loaded, 1 refused by Galaxy's loader, 1 not modelled; 1 other file skipped .*; 1 path unreadable/);
    const json = (workers: string): unknown => {
      const r = runCli([...args, '--workers', workers, '--json']);
      const doc = JSON.parse(r.stdout) as { summary: Record<string, unknown> };
      delete doc.summary['elapsedMs'];
      delete doc.summary['toolsPerSecond'];
      doc.summary['text'] = timings(String(doc.summary['text']));
      return doc;
    };
    expect(json('2')).toEqual(json('1'));
  });

  it('exits 2 when every tool it finds is refused: nothing was checked', () => {
    const dir = tempDir('cardfuzz-tools-');
    writeFileSync(join(dir, 'bad.xml'), '<tool id="bad" name="b" version="1"><inputs><param name="i"/></inputs><outputs/></tool>');
    const r = runCli(['run', '--tool', dir, '--runs', '20', '--seed', '3']);
    expect(r.stdout).toMatch(/^refused {3}.*bad\.xml: .*parameter 'i' requires a 'type'/m);
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
  it("run --tool FILE and nightly print a Galaxy loader note the same way, and the nightly summary keeps it as a Galaxy rule", () => {
    const dir = tempDir();
    const tool = join(dir, 'ext.xml');
    writeFileSync(tool, '<tool id="ext" name="e" version="1"><inputs><param name="i" type="data" ext="txt"/></inputs><outputs><data name="o" format="txt"/></outputs></tool>');
    const line = "note: ext: attributes Galaxy's loader never reads: ignored: input i: ext (as Galaxy's loader does)";
    const run = runCli(['run', '--tool', tool, '--runs', '5', '--seed', '3', '--profile', 'branch-fixed', '--property', 'rows-match-model']);
    expect(run.stderr.split('\n')).toContain(line);
    const out = join(dir, 'nightly');
    const nightly = runCli(['nightly', '--runs', '20', '--workers', '1', '--seed', '3', '--profile', 'branch-fixed', '--tool', tool, '--out', out]);
    expect(nightly.stderr.split('\n')).toContain(line);
    const summary = JSON.parse(readFileSync(join(out, 'runs', readdirSync(join(out, 'runs'))[0]!, 'summary.json'), 'utf8')) as { approximations: { kind?: string; construct: string }[] };
    expect(summary.approximations).toEqual([expect.objectContaining({ construct: "attributes Galaxy's loader never reads", kind: 'galaxy-rule' })]);
  });

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
