import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { ToolCase } from '../../src/model/case.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseToolCase, readCase } from '../../src/model/parse-case.js';
import { IGNORED_GALAXY_ATTRIBUTES } from '../../src/tools/galaxy-attributes.js';
import { findToolFiles, loadToolFile } from '../../src/tools/load-tool.js';
import { readTool } from '../../src/tools/read-tool.js';
import { readGalaxyToolXml } from '../../src/tools/galaxy-tool-xml.js';
import { tempDir } from '../helpers/cli.js';
import { emptyCoverage } from '../../src/coverage/coverage.js';
import { nightlyHtml } from '../../src/reporting/html-report.js';
import { exitCodeOf, mergeSummaries, nightlyMarkdown, type NightlySummary } from '../../src/reporting/nightly-summary.js';

const agree = (name: string): string => `test/fixtures/tools/agree/${name}`;

function writeTool(dir: string, name: string, xml: string): string {
  const path = join(dir, name);
  writeFileSync(path, xml);
  return path;
}

describe('one tool model, three readers', () => {
  it('reads the same tool from Galaxy tool XML (with macros), /api/tools io_details JSON and a case file tool, and gets the same model', () => {
    const xml = loadToolFile(agree('align.xml'));
    const api = loadToolFile(agree('align.api.json'));
    const caseTool = loadToolFile(agree('align.case-tool.json'));
    expect(api.tool).toEqual(xml.tool);
    expect(caseTool.tool).toEqual(xml.tool);
    // The model that all three give, spelled out once.
    expect(xml.tool.inputs.map((i) => `${i.name}:${i.type}`)).toEqual(['reads:data', 'ref:conditional', 'pairing:conditional', 'extra:repeat', 'advanced:section']);
    expect(xml.tool.inputs[1]).toMatchObject({ test_param: { options: ['cached', 'history'], value: 'history' } });
    expect(xml.tool.inputs[2]).toMatchObject({ test_param: { type: 'boolean', value: true, truevalue: 'yes', falsevalue: 'no' }, whens: { yes: [{ name: 'pairs', collection_type: 'paired' }], no: [] } });
    expect(xml.tool.outputs[1]).toEqual({ type: 'collection', name: 'split', collection_type: 'list', discover_datasets: [{ pattern: '__name__', directory: 'split', format: 'bam' }] });
    expect(xml.tool.inputs[4]).toMatchObject({ inputs: [{ name: 'mode' }, { name: 'seed', value: 7 }, { name: 'verbose', value: false }] });
    // The same approximations too; the served JSON adds one, because Galaxy does not serve output filters.
    expect(caseTool.approximations).toEqual(xml.approximations);
    expect(api.approximations.filter((a) => a.construct !== '/api/tools JSON')).toEqual(xml.approximations);
    expect(api.approximations.find((a) => a.construct === '/api/tools JSON')).toMatchObject({ changesCounts: true });
  });

  it('lets a case carry the Galaxy JSON tool as is', () => {
    const api = loadToolFile(agree('align.api.json'));
    const c = readCase({ tool: JSON.parse(JSON.stringify(readJson(agree('align.api.json')))), history: { datasets: [{ id: 1 }] }, entry: 'tool-request', request: { reads: { src: 'hda', id: 1 } } });
    expect((c.case as ToolCase).tool).toEqual(api.tool);
    expect(c.approximations).toEqual(api.approximations);
  });

  it('XML and JSON agree on checked, comma-separated collection types and data_column', () => {
    const dir = tempDir();
    const xmlPath = writeTool(
      dir,
      'disagree.xml',
      `<tool id="t" name="t" version="1"><inputs>
        <conditional name="c"><param name="flag" type="boolean" checked="true"/>
          <when value="true"><param name="on" type="data"/></when><when value="false"/></conditional>
        <param name="coll" type="data_collection" collection_type="list,list:paired"/>
        <param name="col" type="data_column" data_ref="coll" value="2"/>
      </inputs><outputs/></tool>`,
    );
    const json = {
      id: 't',
      version: '1',
      inputs: [
        { name: 'c', type: 'conditional', test_param: { name: 'flag', type: 'boolean', checked: true }, whens: { true: [{ name: 'on', type: 'data' }], false: [] } },
        { name: 'coll', type: 'data_collection', collection_type: 'list,list:paired' },
        { name: 'col', type: 'data_column', data_ref: 'coll', value: '2' },
      ],
      outputs: [],
    };
    const fromXml = readGalaxyToolXml(xmlPath);
    const fromJson = readTool(json, 'case.tool');
    expect(fromJson.tool).toEqual(fromXml.tool);
    expect(fromJson.approximations).toEqual(fromXml.approximations);
    expect(fromXml.tool.inputs).toEqual([
      { name: 'c', type: 'conditional', test_param: { name: 'flag', type: 'boolean', value: true }, whens: { true: [{ name: 'on', type: 'data' }], false: [] } },
      { name: 'coll', type: 'data_collection', collection_type: 'list,list:paired' },
      { name: 'col', type: 'data_column', value: '2', data_ref: 'coll' },
    ]);
    expect(fromXml.approximations).toEqual([]);
  });
});

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

describe('Galaxy attributes that cannot change cardinality', () => {
  it('accepts the ordinary attributes Galaxy tool descriptions carry', () => {
    const description = {
      id: 'ordinary',
      inputs: [
        { name: 'input1', type: 'data', format: 'bed', allow_uri_if_protocol: 'https' },
        { name: 'many', type: 'data', multiple: true, min: 1, max: 3, format: 'txt' },
        { name: 'flag', type: 'boolean', checked: true, truevalue: '--flag', falsevalue: '' },
        { name: 'coll', type: 'data_collection', collection_type: 'paired' },
      ],
      outputs: [
        { name: 'out1', type: 'data', format_source: 'input1', metadata_source: 'input1', actions: true, default_identifier_source: 'input1', discover_datasets: [{ pattern: '__name__' }] },
        { name: 'pairs', type: 'collection', structured_like: 'coll', format_source: 'input1', elements: [{ name: 'forward' }, { name: 'reverse' }], filters: ["flag"] },
      ],
    };
    const { tool, approximations } = readTool(description, 'case.tool');
    expect(tool.inputs).toEqual([
      { name: 'input1', type: 'data', format: 'bed' },
      { name: 'many', type: 'data', multiple: true, min: 1, max: 3, format: 'txt' },
      { name: 'flag', type: 'boolean', value: true, truevalue: '--flag', falsevalue: '' },
      { name: 'coll', type: 'data_collection', collection_type: 'paired' },
    ]);
    expect(tool.outputs[1]).toEqual({ type: 'collection', name: 'pairs', structured_like: 'coll', format_source: 'input1', elements: [{ name: 'forward' }, { name: 'reverse' }], filters: ['flag'] });
    expect(approximations).toEqual([]);
  });

  it('refuses a key that is neither modelled nor ignored, with a did-you-mean', () => {
    expect(() => readTool({ id: 't', inputs: [{ name: 'x', type: 'data', fromat: 'bed' }], outputs: [] }, 'case.tool')).toThrow(/case\.tool\.inputs\[0\]: unknown field "fromat" \(did you mean "format"\?\)/);
    expect(() => readTool({ id: 't', inputs: [], outputs: [{ name: 'o', type: 'collection', collection_type: 'list', strutured_like: 'x' }] }, 'case.tool')).toThrow(/unknown field "strutured_like" \(did you mean "structured_like"\?\)/);
    expect(() => readTool({ id: 't', inputs: [{ name: 'x', type: 'dataz' }], outputs: [] }, 'case.tool')).toThrow(/\.type: expected one of .* got "dataz" \(did you mean "data"\?\)/);
    // Ignored in one place is not ignored everywhere: a repeat has no "format".
    expect(() => readTool({ id: 't', inputs: [{ name: 'r', type: 'repeat', format: 'bed', inputs: [] }], outputs: [] }, 'case.tool')).toThrow(/unknown field "format"/);
  });

  it('keeps one list, each entry with a reason', () => {
    for (const entry of IGNORED_GALAXY_ATTRIBUTES) {
      expect([entry.key, entry.why.length > 3, entry.on.length > 0]).toEqual([entry.key, true, true]);
    }
    const scoped = IGNORED_GALAXY_ATTRIBUTES.flatMap((e) => e.on.map((s) => `${s}:${e.key}`));
    expect(new Set(scoped).size).toBe(scoped.length);
  });

  it("raises Galaxy's error for min or max on a single data parameter", () => {
    expect(() => readTool({ id: 't', inputs: [{ name: 'x', type: 'data', min: 2 }], outputs: [] }, 'case.tool')).toThrow(/cannot specify 'min' property on single data parameter/);
  });

  it('a checked boolean test parameter selects the true branch by default (dropping it would flip the branch)', () => {
    const c = parseToolCase({
      tool: { id: 't', inputs: [{ name: 'c', type: 'conditional', test_param: { name: 'b', type: 'boolean', checked: 'true' }, whens: { true: [{ name: 'x', type: 'data' }] } }], outputs: [] },
      history: { datasets: [{ id: 1 }] },
      entry: 'tool-request',
      request: { c: { x: { src: 'hda', id: 1 } } },
    });
    expect(c.tool.inputs[0]).toMatchObject({ test_param: { value: true } });
  });
});

describe('approximations', () => {
  it('notes every filter outside the Python subset the executor evaluates, as count-changing', () => {
    const { tool, approximations } = readTool(
      { id: 't', inputs: [{ name: 'mode', type: 'select', options: ['a', 'b'] }], outputs: [{ name: 'o', type: 'data', filters: ["mode == 'a'", 'mode.startswith("a")'] }, { name: 'p', type: 'data', filters: ['mode in ["a"]'] }] },
      'case.tool',
    );
    expect(tool.outputs[0]).toEqual({ type: 'data', name: 'o', filters: ["mode == 'a'", 'mode.startswith("a")'] });
    expect(approximations.map((a) => [a.at, a.construct, a.changesCounts])).toEqual([['t output o', '<filter>mode.startswith("a")</filter>', true]]);
  });

  it('reads a dynamic conditional test parameter with its when values as options, and says so', () => {
    const { tool, approximations } = readTool(
      { id: 't', inputs: [{ name: 'c', type: 'conditional', test_param: { name: 'db', type: 'select', is_dynamic: true, options: [] }, cases: [{ value: 'hg19', inputs: [] }, { value: 'mm10', inputs: [{ name: 'x', type: 'data' }] }] }], outputs: [] },
      'case.tool',
    );
    expect(tool.inputs[0]).toMatchObject({ test_param: { type: 'select', dynamic: true, options: ['hg19', 'mm10'], value: 'hg19' } });
    expect(approximations.map((a) => a.construct)).toEqual(['dynamic conditional test parameter']);
  });

  it("notes what Galaxy's tool JSON cannot say: the outputs' filters and a collection parameter's types", () => {
    const { tool, approximations } = readTool(
      { model_class: 'Tool', id: 't', inputs: [{ model_class: 'DataCollectionToolParameter', name: 'c', type: 'data_collection', extensions: ['data'], multiple: false }], outputs: [{ model_class: 'ToolOutput', name: 'o', output_type: 'data', format: 'txt' }] },
      'case.tool',
    );
    expect(tool.inputs[0]).toEqual({ name: 'c', type: 'data_collection' });
    expect(approximations.map((a) => [a.at, a.changesCounts])).toEqual([
      ['t input c', true],
      ['t outputs', true],
    ]);
  });
});

describe('Galaxy tool XML macros (xml_macros.py)', () => {
  it('expands named yields, token defaults, <macro> elements, nested macros and nested tokens', () => {
    const dir = tempDir();
    writeTool(
      dir,
      'shared.xml',
      `<macros><token name="@MAJOR@">3</token><token name="@VERSION@">@MAJOR@.1</token>
        <macro name="inner" token_kind="data"><param name="inner_in" type="@KIND@"/></macro></macros>`,
    );
    const path = writeTool(
      dir,
      'tool.xml',
      `<tool id="m" name="m" version="@VERSION@"><macros><import>shared.xml</import>
        <xml name="outer" tokens="label"><section name="s" title="@LABEL@"><yield name="head"/><expand macro="inner"/><yield/></section></xml></macros>
        <inputs><expand macro="outer" label="Outer"><token name="head"><param name="h" type="integer" value="1"/></token><param name="tail" type="text"/></expand></inputs><outputs/></tool>`,
    );
    const { tool } = readGalaxyToolXml(path);
    expect(tool.version).toBe('3.1');
    expect(tool.inputs).toEqual([{ name: 's', type: 'section', inputs: [{ name: 'h', type: 'integer', value: 1 }, { name: 'inner_in', type: 'data' }, { name: 'tail', type: 'text', value: '' }] }]);
  });

  it.each([
    ['a missing required macro parameter', '<xml name="x" tokens="need"><param name="p" type="text" value="@NEED@"/></xml>', '<expand macro="x"/>', /missing required parameter \[need\]/],
    ['a macro that expands itself', '<xml name="x"><expand macro="x"/></xml>', '<expand macro="x"/>', /cycle in nested macros/],
    ['an unknown macro', '<xml name="x"/>', '<expand macro="y"/>', /<expand macro="y">: no such macro \(known: x\)/],
    ['a token that contains itself', '<token name="@A@">@A@!</token>', '', /token "@A@" contains itself/],
  ])('refuses %s', (_, macros, inputs, message) => {
    const dir = tempDir();
    const path = writeTool(dir, 't.xml', `<tool id="t" name="t" version="1"><macros>${macros}</macros><inputs>${inputs}</inputs><outputs/></tool>`);
    expect(() => readGalaxyToolXml(path)).toThrow(message);
  });

  it('refuses the upload tool with its documented reason', () => {
    const dir = tempDir();
    const path = writeTool(dir, 'upload.xml', '<tool id="up" name="up" version="1"><inputs><upload_dataset name="files" title="File"><param name="file_data" type="file"/></upload_dataset></inputs><outputs/></tool>');
    expect(() => readGalaxyToolXml(path)).toThrow(/upload tools are not modelled: an <upload_dataset>'s files come with the request/);
  });
});

describe('finding tools in a folder or a glob', () => {
  it('classifies tool files, macro files and other files', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    writeTool(dir, 'a.xml', '<tool id="a" name="a" version="1"><inputs/><outputs/></tool>');
    writeTool(join(dir, 'sub'), 'b.xml', '<tool id="b" name="b" version="1"><inputs/><outputs/></tool>');
    writeTool(dir, 'macros.xml', '<macros/>');
    writeTool(dir, 'tool.json', JSON.stringify({ id: 'c', inputs: [], outputs: [] }));
    writeTool(dir, 'data.json', '[1, 2]');
    writeTool(dir, 'notes.txt', 'not a tool');
    const all = findToolFiles(dir);
    expect(all.expanded).toBe(true);
    expect(all.files.map((f) => [f.file.slice(dir.length + 1), f.kind])).toEqual([
      ['a.xml', 'tool'],
      ['data.json', 'other'],
      ['macros.xml', 'other'],
      ['sub/b.xml', 'tool'],
      ['tool.json', 'tool'],
    ]);
    expect(findToolFiles(`${dir}/**/*.xml`).files.filter((f) => f.kind === 'tool').map((f) => f.file.slice(dir.length + 1))).toEqual(['a.xml', 'sub/b.xml']);
    expect(findToolFiles(`${dir}/*.xml`).files.filter((f) => f.kind === 'tool').map((f) => f.file.slice(dir.length + 1))).toEqual(['a.xml']);
    expect(() => findToolFiles(`${dir}/*.nothing`)).toThrow(/matches no file/);
    expect(findToolFiles(join(dir, 'a.xml'))).toEqual({ files: [{ file: join(dir, 'a.xml'), kind: 'tool' }], expanded: false });
  });

  it("tells tools from toolbox configs and macro files as Galaxy's looks_like_a_tool does, and skips .git", () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.git'));
    writeTool(join(dir, '.git'), 'hidden.xml', '<tool id="h" name="h" version="1"/>');
    writeTool(dir, 'tool_conf.xml', '<toolbox><section id="s" name="S"><tool file="a.xml"/></section></toolbox>');
    writeTool(dir, 'macros.xml', '<macros><xml name="m"><param name="x" type="text"/></xml></macros>');
    writeTool(dir, 'late.xml', `<!--${'x'.repeat(6000)}--><tool id="late" name="l" version="1"/>`);
    writeTool(dir, 'empty.xml', '');
    writeTool(dir, 'prolog.xml', '<?xml version="1.0"?>\n<!-- a tool -->\n<tool id="p" name="p" version="1"><inputs/></tool>');
    expect(findToolFiles(dir).files.map((f) => [f.file.slice(dir.length + 1), f.kind === 'other' ? f.what : f.kind])).toEqual([
      ['empty.xml', 'an empty file'],
      // `<tool ` comes after the first 5 KiB: Galaxy's sniff passes the file over.
      ['late.xml', `no "<tool " in its first 5 KiB (Galaxy's looks_like_a_tool passes it over)`],
      ['macros.xml', '<macros> file'],
      ['prolog.xml', 'tool'],
      ['tool_conf.xml', "<toolbox> file (it names <tool>s; Galaxy's loader fails it: Missing tool 'id')"],
    ]);
  });
});

describe('approximations in the nightly report', () => {
  it('lists them in the Markdown and the HTML, and merging shards keeps each once', () => {
    const approximation = { at: 't output o', construct: '<filter>x.startswith("a")</filter>', note: 'outside the Python subset cardfuzz evaluates; the output is kept as if it were true', changesCounts: true };
    const coverage = emptyCoverage([]);
    const partial = {
      format: 'cardfuzz-nightly' as const,
      version: 1 as const,
      runId: 'r',
      startedAt: '2026-12-01T00:00:00Z',
      finishedAt: '2026-12-01T00:01:00Z',
      seed: 1,
      profile: 'branch-fixed',
      settings: {},
      properties: ['rows-match-model'],
      shards: ['0/1'],
      workers: 1,
      budget: '10 cases',
      elapsedMs: 10,
      runs: 10,
      casesPerSecond: 1000,
      interrupted: false,
      errors: [],
      approximations: [approximation],
      units: [],
      laneTimeMs: {},
      findings: [],
      coverage,
      reachable: coverage,
      gaps: [],
      reachedShare: 1,
      minCoverage: null,
      throughput: [],
      nights: [],
    };
    const summary: NightlySummary = { ...partial, exitCode: exitCodeOf(partial) };
    expect(nightlyMarkdown(summary)).toContain('### Approximations\n\n- t output o: <filter>x.startswith("a")</filter>: outside the Python subset');
    expect(nightlyHtml(summary)).toContain('<h2>Approximations</h2>');
    expect(mergeSummaries([summary, summary], 'merged').approximations).toEqual([approximation]);
    expect(nightlyMarkdown({ ...summary, approximations: [] })).not.toContain('Approximations');
  });
});
