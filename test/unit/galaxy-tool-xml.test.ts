import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseForToolArbitrary } from '../../generators/tool-cases.js';
import { expandCase } from '../../src/expansion/expand-case.js';
import { classifyShapes } from '../../src/expansion/shape-classes.js';
import { parseToolCase } from '../../src/model/parse-case.js';
import { DEFAULT_SETTINGS } from '../../src/profiles/builtin-profiles.js';
import { expansionSettingsOf } from '../../src/profiles/settings.js';
import { readGalaxyToolXml } from '../../src/tools/galaxy-tool-xml.js';

const fixture = (name: string): string => `test/fixtures/tools/${name}`;

describe('readGalaxyToolXml', () => {
  it('reads data, collection, conditional, repeat and scalar params and filtered outputs', () => {
    const { tool, warnings } = readGalaxyToolXml(fixture('map_and_batch.xml'));
    expect(warnings).toEqual([]);
    expect(tool.inputs.map((i) => `${i.name}:${i.type}`)).toEqual(['input1:data', 'mode:conditional', 'queries:repeat', 'samples:data_collection', 'lines:integer']);
    expect(tool.inputs[1]).toMatchObject({ test_param: { name: 'kind', options: ['single', 'pairs'], value: 'single' }, whens: { pairs: [{ name: 'pair', type: 'data_collection', collection_type: 'paired' }] } });
    expect(tool.inputs[2]).toMatchObject({ min: 0, max: 3 });
    expect(tool.outputs).toEqual([
      { name: 'out1', type: 'data', format: 'txt' },
      { name: 'split', type: 'collection', collection_type: 'list', filters: ["mode['kind'] == 'pairs'"] },
    ]);
  });

  it('expands imported xml macros with yields and token parameters, and @TOKENS@', () => {
    const { tool } = readGalaxyToolXml(fixture('macro_tool.xml'));
    expect(tool.version).toBe('2.1+galaxy0');
    expect(tool.inputs.map((i) => i.name)).toEqual(['reads', 'references', 'advanced']);
    expect(tool.inputs[2]).toMatchObject({ type: 'section', inputs: [{ name: 'mode' }, { name: 'threshold', type: 'float', value: 0.5 }, { name: 'verbose', type: 'boolean', value: false }] });
    expect(tool.outputs[0]).toMatchObject({ filters: ["advanced['mode'] != 'slow'"] });
  });

  it('expands a named yield that no <token> fills with the expand\'s other children (here none), as Galaxy does', () => {
    expect(readGalaxyToolXml(fixture('named_yield.xml')).tool.inputs).toEqual([{ name: 's', type: 'section', inputs: [] }]);
  });

  it.each([
    ['unknown_macro.xml', /unknown_macro\.xml: <expand macro="not_defined">: no such macro/],
    ['broken.xml', /broken\.xml: malformed XML/],
    ['missing.xml', /missing\.xml: cannot read \(no such file\)/],
  ])('refuses %s naming the file and the construct', (name, message) => {
    expect(() => readGalaxyToolXml(fixture(name))).toThrow(message);
  });

  it('generates valid requests for the tool that reach batch and map-over shapes, inside the conditional and the repeat too', () => {
    const { tool } = readGalaxyToolXml(fixture('map_and_batch.xml'));
    const cases = fc.sample(caseForToolArbitrary(tool), { numRuns: 1500, seed: 3 });
    const shapes = new Set<string>();
    for (const c of cases) {
      expect(parseToolCase(JSON.parse(JSON.stringify(c))).tool).toEqual(tool);
      for (const s of classifyShapes(c, expandCase(c, expansionSettingsOf(DEFAULT_SETTINGS)))) shapes.add(s);
    }
    for (const s of ['S2', 'S3', 'S7', 'S9', 'S17', 'S18', 'S20', 'S14']) expect([s, shapes.has(s)]).toEqual([s, true]);
  });
});
