import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGalaxyToolXml } from '../../src/tools/galaxy-tool-xml.js';
import { NotModelledError } from '../../src/errors.js';
import { tempDir } from '../helpers/cli.js';

/**
 * Galaxy tool XML is read as Galaxy's classic loader reads it: what it never
 * reads is ignored (one note per tool), what it resolves by a rule is resolved
 * by that rule (a note each), and a tool is refused only where the loader
 * refuses it, with its reason. Each tool here is written for the test; the
 * expected model is the one Galaxy builds, spelled out.
 */
function tool(body: string, attrs = 'id="t" name="t" version="1"'): string {
  const path = join(tempDir('cardfuzz-loader-'), 't.xml');
  writeFileSync(path, `<tool ${attrs}><command>true</command>${body}</tool>`);
  return path;
}

const rules = (path: string): [string, string][] =>
  readGalaxyToolXml(path)
    .approximations.filter((a) => a.kind === 'galaxy-rule')
    .map((a) => [a.at, a.construct]);

describe("attributes Galaxy's loader never reads", () => {
  it('ignores them, lists them in one note, and builds the model the tool has without them', () => {
    const noisy = tool(`<inputs>
        <param name="reads" type="data" ext="fastqsanger" format="fastqsanger" metadata_name="x"/>
        <param name="label_text" type="text" value="a" display="radio" size="40" min="1" checked="true" description="d"/>
        <param name="n" type="integer" value="3" min_equals="1"/>
        <conditional name="c" label="ignored too">
          <param name="mode" type="select" multiple="true" display="radio"><option value="x"/><option value="y"/></param>
          <when value="x"/><when value="y"><param name="extra" type="data" ext="bed"/></when>
        </conditional>
      </inputs><outputs><data name="out" format="txt" metadata_name="m"/></outputs>`);
    const clean = tool(`<inputs>
        <param name="reads" type="data" format="fastqsanger"/>
        <param name="label_text" type="text" value="a"/>
        <param name="n" type="integer" value="3"/>
        <conditional name="c">
          <param name="mode" type="select" multiple="true" display="radio"><option value="x"/><option value="y"/></param>
          <when value="x"/><when value="y"><param name="extra" type="data"/></when>
        </conditional>
      </inputs><outputs><data name="out" format="txt"/></outputs>`);
    const read = readGalaxyToolXml(noisy);
    expect(read.tool).toEqual(readGalaxyToolXml(clean).tool);
    expect(read.tool.inputs[0]).toEqual({ name: 'reads', type: 'data', format: 'fastqsanger' });
    const ignored = read.approximations.filter((a) => a.construct === "attributes Galaxy's loader never reads");
    expect(ignored).toEqual([
      {
        at: 't',
        construct: "attributes Galaxy's loader never reads",
        note: 'ignored: input reads: ext, metadata_name; input label_text: display, size, min, checked, description; input n: min_equals; input c: label; input c|extra: ext; output out: metadata_name',
        changesCounts: false,
        kind: 'galaxy-rule',
      },
    ]);
  });

  it("loads Galaxy's gx_data-style tools, where `ext` on a data parameter is never read: any dataset is accepted", () => {
    const path = tool('<inputs><param name="parameter" type="data" ext="data" multiple="true"/><param name="c" type="data_collection" ext="txt" collection_type="list"/></inputs><outputs><data name="output" format="data"/></outputs>');
    expect(readGalaxyToolXml(path).tool.inputs).toEqual([
      { name: 'parameter', type: 'data', multiple: true },
      { name: 'c', type: 'data_collection', collection_type: 'list' },
    ]);
  });

  it('refuses them with --strict, as a linter would, naming the closest known attribute', () => {
    const path = tool('<inputs><param name="reads" type="data" formt="bed"/></inputs><outputs/>');
    expect(readGalaxyToolXml(path).tool.inputs).toEqual([{ name: 'reads', type: 'data' }]);
    expect(() => readGalaxyToolXml(path, { strict: true })).toThrow(/unknown field "formt" \(did you mean "format"\?\)/);
  });
});

describe('constructs Galaxy resolves by a rule', () => {
  it('a duplicate parameter name: the later definition wins, at the first one\'s position (Tool.parse_input_elem)', () => {
    const path = tool('<inputs><param name="x" type="integer" value="1"/><param name="y" type="text"/><param name="x" type="data" multiple="true"/></inputs><outputs/>');
    const { tool: model } = readGalaxyToolXml(path);
    expect(model.inputs).toEqual([
      { name: 'x', type: 'data', multiple: true },
      { name: 'y', type: 'text', value: '' },
    ]);
    expect(rules(path)).toEqual([['t input x', 'duplicate input name']]);
    expect(() => readGalaxyToolXml(path, { strict: true })).toThrow(/duplicate name "x"/);
  });

  it('the same rule across <page>s and between a parameter and a section', () => {
    const path = tool('<inputs><page><param name="s" type="text"/></page><page><section name="s"><param name="d" type="data"/></section></page></inputs><outputs/>');
    expect(readGalaxyToolXml(path).tool.inputs).toEqual([{ name: 's', type: 'section', inputs: [{ name: 'd', type: 'data' }] }]);
  });

  it('two <when> for one value: the first is used, the second never runs (Conditional.get_current_case)', () => {
    const path = tool(`<inputs><conditional name="c"><param name="m" type="select"><option value="a"/><option value="b"/></param>
      <when value="a"><param name="first" type="data"/></when><when value="b"/><when value="a"><param name="second" type="data_collection"/></when></conditional></inputs><outputs/>`);
    expect(readGalaxyToolXml(path).tool.inputs[0]).toMatchObject({ whens: { a: [{ name: 'first', type: 'data' }], b: [] } });
    expect(rules(path)).toEqual([['t input c', 'two <when value="a">']]);
  });

  it('a when no test value selects is loaded and never active; a duplicate option value keeps the later option at the earlier place (xml.py parse_static_options)', () => {
    const path = tool(`<inputs><conditional name="c"><param name="m" type="select"><option value="b"/><option value="a" selected="true"/><option value="a"/></param>
      <when value="a"/><when value="b"/><when value="z"><param name="never" type="data"/></when></conditional></inputs><outputs/>`);
    expect(readGalaxyToolXml(path).tool.inputs[0]).toMatchObject({ test_param: { options: ['b', 'a'], value: 'b' }, whens: { a: [], b: [], z: [{ name: 'never' }] } });
    expect(rules(path)).toEqual([['t input c', '<when value="z">']]);
  });

  it('a select value that is not an option is never read: the default is the selected option, else the first (SelectToolParameter.get_initial_value)', () => {
    const path = tool(`<inputs><param name="s" type="select" value="zzz"><option value="a"/><option value="b"/></param>
      <param name="t" type="select" value="a"><option value="a"/><option value="b" selected="true"/></param></inputs><outputs/>`);
    expect(readGalaxyToolXml(path).tool.inputs).toEqual([
      { name: 's', type: 'select', options: ['a', 'b'], value: 'a' },
      { name: 't', type: 'select', options: ['a', 'b'], value: 'b' },
    ]);
    expect(() => readGalaxyToolXml(path, { strict: true })).toThrow(/"zzz" is not one of the options a, b/);
  });

  it('an output name with a dot loads as it is (xml.py _parse_output checks no name)', () => {
    const path = tool('<inputs><param name="i" type="data"/></inputs><outputs><data name="out.fasta" format="fasta"/></outputs>');
    expect(readGalaxyToolXml(path).tool.outputs).toEqual([{ type: 'data', name: 'out.fasta', format: 'fasta' }]);
    expect(rules(path)).toEqual([['t output out.fasta', 'output name']]);
  });

  it('a duplicate output name: the later definition wins, at the first one\'s position (xml.py parse_outputs)', () => {
    const path = tool('<inputs/><outputs><data name="o" format="txt"/><data name="p" format="bed"/><collection name="o" type="list"/></outputs>');
    expect(readGalaxyToolXml(path).tool.outputs).toEqual([
      { type: 'collection', name: 'o', collection_type: 'list' },
      { type: 'data', name: 'p', format: 'bed' },
    ]);
  });

  it("a conditional's optional test parameter is read as required (Tool.parse_input_elem forces it)", () => {
    const path = tool('<inputs><conditional name="c"><param name="b" type="boolean" optional="true"/><when value="true"/><when value="false"/></conditional></inputs><outputs/>');
    expect(readGalaxyToolXml(path).tool.inputs[0]).toEqual({ name: 'c', type: 'conditional', test_param: { name: 'b', type: 'boolean', value: false }, whens: { true: [], false: [] } });
  });

  it('a boolean whose truevalue equals its falsevalue loads below profile 23.1 and is refused from 23.1 on, with Galaxy\'s message', () => {
    const body = '<inputs><param name="b" type="boolean" truevalue="--x" falsevalue="--x"/></inputs><outputs/>';
    expect(readGalaxyToolXml(tool(body, 'id="t" name="t" version="1" profile="22.05"')).tool.inputs).toEqual([{ name: 'b', type: 'boolean', value: false, truevalue: '--x', falsevalue: '--x' }]);
    expect(() => readGalaxyToolXml(tool(body, 'id="t" name="t" version="1" profile="23.1"'))).toThrow(/parameter 'b': Cannot set true and false to the same value/);
  });

  it('a parameter name that is not a Cheetah placeholder loads as it is (Galaxy checks no name at load; lint only)', () => {
    const path = tool('<inputs><conditional name="c"><param name="m" type="select"><option value="a"/></param><when value="a"><param name="fe-min" type="integer" value="2"/></when></conditional></inputs><outputs/>');
    expect(readGalaxyToolXml(path).tool.inputs[0]).toMatchObject({ whens: { a: [{ name: 'fe-min', type: 'integer', value: 2 }] } });
    expect(rules(path)).toEqual([['t input fe-min', 'parameter name']]);
    expect(readGalaxyToolXml(tool('<inputs><section name="__opts__"><param name="p" type="text"/></section></inputs><outputs/>')).tool.inputs).toEqual([{ name: '__opts__', type: 'section', inputs: [{ name: 'p', type: 'text', value: '' }] }]);
    expect(() => readGalaxyToolXml(tool('<inputs><param name="a|b" type="text"/></inputs><outputs/>'))).toThrow(NotModelledError);
  });

  it("a data_column's legacy default_value wins over value, without its c prefix (ColumnListParameter)", () => {
    const path = tool('<inputs><param name="d" type="data" format="tabular"/><param name="col" type="data_column" data_ref="d" default_value="c3" value="2"/></inputs><outputs/>');
    expect(readGalaxyToolXml(path).tool.inputs[1]).toEqual({ name: 'col', type: 'data_column', value: '3', data_ref: 'd' });
  });
});

describe("where Galaxy's loader refuses a tool, with Galaxy's reason", () => {
  it.each([
    ['an unknown parameter type (ToolParameter.build)', '<inputs><param name="x" type="dataz"/></inputs>', /parameter 'x' uses an unknown type 'dataz'/],
    ['a parameter without a type (ToolParameter.build)', '<inputs><param name="x"/></inputs>', /parameter 'x' requires a 'type'/],
    ['a conditional without a <param> (xml.py parse_test_input_source)', '<inputs><conditional name="c"><when value="a"/></conditional></inputs>', /<conditional> must have a child <param>/],
    ['an integer value Python cannot read (IntegerToolParameter)', '<inputs><param name="n" type="integer" value="1.5"/></inputs>', /parameter 'n': the attribute 'value' must be an integer/],
    ['a float min Python cannot read (FloatToolParameter)', '<inputs><param name="f" type="float" value="1" min="low"/></inputs>', /parameter 'f': attribute 'min' must be a real number/],
    ['min on a single data parameter (DataToolParameter)', '<inputs><param name="x" type="data" min="1"/></inputs>', /cannot specify 'min' property on single data parameter/],
  ])('%s', (_, inputs, message) => {
    expect(() => readGalaxyToolXml(tool(`${inputs}<outputs/>`))).toThrow(message);
  });

  it("a tool without an id (Tool.parse: Missing tool 'id')", () => {
    expect(() => readGalaxyToolXml(tool('<inputs/><outputs/>', 'name="t" version="1"'))).toThrow(/Missing tool 'id' for tool at/);
  });

  it("a tool without a version: 1.0.0 below profile 16.04, refused from 16.04 on (parse_tool_version_with_defaults)", () => {
    expect(readGalaxyToolXml(tool('<inputs/><outputs/>', 'id="t" name="t"')).tool.version).toBe('1.0.0');
    expect(() => readGalaxyToolXml(tool('<inputs/><outputs/>', 'id="t" name="t" profile="16.04"'))).toThrow(/Missing tool 'version' for tool with id 't' at/);
  });

  it('the upload tool loads in Galaxy: it is reported as not modelled, not as refused', () => {
    const path = tool('<inputs><upload_dataset name="files"><param name="file_data" type="file"/></upload_dataset></inputs><outputs/>');
    expect(() => readGalaxyToolXml(path)).toThrow(NotModelledError);
  });

  it('file and ftpfile parameters outside an upload tool are sent as text', () => {
    const path = tool('<inputs><param name="f" type="file"/><param name="g" type="ftpfile"/></inputs><outputs/>');
    expect(readGalaxyToolXml(path).tool.inputs).toEqual([
      { name: 'f', type: 'text', value: '' },
      { name: 'g', type: 'text', value: '' },
    ]);
  });
});

describe("a parameter's dependencies must be parsed before it (Tool.parse_param_elem)", () => {
  const refused = (inputs: string): (() => unknown) => () => readGalaxyToolXml(tool(`<inputs>${inputs}</inputs><outputs/>`));
  const loads = (inputs: string): unknown => readGalaxyToolXml(tool(`<inputs>${inputs}</inputs><outputs/>`)).tool.inputs;

  it.each([
    ['a data_ref to a parameter defined after it', '<param name="col" type="data_column" data_ref="input1"/><param name="input1" type="data" format="tabular"/>', /Tool with id 't': Could not find dependency 'input1' of parameter 'col'/],
    ['a data_column without a data_ref (its dependency is None)', '<param name="input1" type="data"/><param name="col" type="data_column"/>', /Could not find dependency 'None' of parameter 'col'/],
    ['a data_ref into a section, from outside it', '<section name="s"><param name="input1" type="data"/></section><param name="col" type="data_column" data_ref="input1"/>', /Could not find dependency 'input1' of parameter 'col'/],
    ['a group_tag whose data_ref is in another branch of the conditional', '<conditional name="c"><param name="m" type="select"><option value="a"/><option value="b"/></param><when value="a"><param name="input1" type="data"/></when><when value="b"><param name="g" type="group_tag" data_ref="input1"/></when></conditional>', /Could not find dependency 'input1' of parameter 'g'/],
    ["a data_ref to a parameter on an earlier <page> (each page has its own context)", '<page><param name="input1" type="data"/></page><page><param name="col" type="data_column" data_ref="input1"/></page>', /Could not find dependency 'input1' of parameter 'col'/],
    ["a select's <options> filter ref to a parameter defined after it", '<param name="s" type="select"><options from_data_table="t"><filter type="param_value" ref="later" column="0"/></options></param><param name="later" type="text"/>', /Could not find dependency 'later' of parameter 's'/],
    ["a data parameter's <options from_dataset> naming no earlier parameter", '<param name="d" type="data"><options from_dataset="nowhere"><column name="value" index="0"/></options></param>', /Could not find dependency 'nowhere' of parameter 'd'/],
  ])('refuses %s', (_, inputs, message) => {
    expect(refused(inputs)).toThrow(message);
  });

  it('loads a data_ref to a parameter before it at its level or an enclosing one, in a when, a section or a repeat', () => {
    expect(
      loads(`<param name="input1" type="data" format="tabular"/>
        <conditional name="c"><param name="m" type="select"><option value="a"/></param><when value="a"><param name="col" type="data_column" data_ref="input1"/></when></conditional>
        <section name="s"><param name="g" type="group_tag" data_ref="input1"/></section>
        <repeat name="r" min="1" max="2"><param name="inner" type="data"/><param name="icol" type="data_column" data_ref="inner"/></repeat>`),
    ).toMatchObject([{ name: 'input1' }, { whens: { a: [{ name: 'col', data_ref: 'input1' }] } }, { inputs: [{ name: 'g', data_ref: 'input1' }] }, { inputs: [{ name: 'inner' }, { name: 'icol', data_ref: 'inner' }] }]);
  });

  it('checks a second <when> of one value too, though it never runs: Galaxy parses it', () => {
    expect(refused('<conditional name="c"><param name="m" type="select"><option value="a"/></param><when value="a"/><when value="a"><param name="col" type="data_column" data_ref="x"/></when></conditional>')).toThrow(/Could not find dependency 'x' of parameter 'col'/);
  });

  it('reads only the <page>s of an <inputs> that has some (xml.py XmlPagesSource), with a note', () => {
    const path = tool('<inputs><param name="lost" type="data"/><page><param name="kept" type="text"/></page></inputs><outputs/>');
    expect(readGalaxyToolXml(path).tool.inputs).toEqual([{ name: 'kept', type: 'text', value: '' }]);
    expect(rules(path)).toEqual([['t inputs', '<inputs> with <page>s']]);
  });
});

describe("more of Galaxy's load errors, with Galaxy's message", () => {
  it.each([
    ['an optional data parameter with a <default> (DataToolParameter)', '<param name="d" type="data" optional="true"><default location="https://example.org/1.bed"/></param>', /parameter 'd': Cannot specify a Galaxy tool data parameter to be both optional and have a default value\./],
    ['an optional collection parameter with a <default> (DataCollectionToolParameter)', '<param name="d" type="data_collection" collection_type="paired" optional="true"><default collection_type="paired"/></param>', /parameter 'd': Cannot specify a Galaxy tool data parameter to be both optional and have a default value\./],
    ['a <conversion> without a type (DataToolParameter)', '<param name="d" type="data"><conversion name="c"/></param>', /A name \(c\) and type \(None\) are required for explicit conversion/],
    ['a data max Python\'s int() cannot read (BaseDataToolParameter)', '<param name="d" type="data" multiple="true" max="inf"/>', /parameter 'd': attribute 'max' must be an integer/],
    ['a collection min Python\'s int() cannot read (BaseDataToolParameter)', '<param name="d" type="data_collection" min="one"/>', /parameter 'd': attribute 'min' must be an integer/],
    ['a repeat whose min exceeds its max (Tool.parse_input_elem)', '<repeat name="r" min="3" max="2"><param name="p" type="text"/></repeat>', /Tool with id 't': min repeat count must be less-than-or-equal to the max\./],
    ['a repeat default Python\'s int() cannot read (Tool.parse_input_elem)', '<repeat name="r" default="two"><param name="p" type="text"/></repeat>', /invalid literal for int\(\) with base 10: 'two'/],
    ['a static drill_down without <options> (parse_drill_down_static_options)', '<param name="dd" type="drill_down"/>', /Non-dynamic drilldown parameters must supply an options element/],
    ['a static drill_down whose <options> has no child (an element without children is false)', '<param name="dd" type="drill_down"><options from_file="tree.xml"/></param>', /Non-dynamic drilldown parameters must supply an options element/],
    ['a drill_down <option> without a value (_recurse_drill_down_elems)', '<param name="dd" type="drill_down"><options><option name="a" value="a"><option name="b"/></option></options></param>', /an <option> without a value/],
    ['a <filter> without a type (Filter.from_element)', '<param name="s" type="select"><options from_data_table="t"><filter column="0"/></options></param>', /Required 'type' attribute missing from filter/],
    ['a <filter> of an unknown type (Filter.from_element)', '<param name="s" type="select"><options from_data_table="t"><filter type="sort_by_name" column="0"/></options></param>', /no such filter type \(KeyError: 'sort_by_name'/],
    ['a param_value <filter> without a ref (ParamValueFilter)', '<param name="s" type="select"><options from_data_table="t"><filter type="param_value" column="0"/></options></param>', /Required 'ref' attribute missing from filter/],
    ['a <validator> without a type (parse_xml_validator)', '<param name="t" type="text"><validator message="m"/></param>', /Required 'type' attribute missing from validator/],
    ['a <validator> of an unknown type (parse_xml_validator)', '<param name="t" type="text"><validator type="in_list"/></param>', /Unknown 'type' attribute in validator in_list/],
    ['a regex <validator> without its expression (its pydantic model)', '<param name="t" type="text"><validator type="regex"/></param>', /<validator type="regex">: expression \(the element text\): Input should be a valid string/],
    ["a length <validator> whose min int() cannot read (_parse_int)", '<param name="t" type="text"><validator type="length" min="two"/></param>', /invalid literal for int\(\) with base 10: 'two'/],
    ['options from a file without a value column (DynamicOptions.parse_column_definitions)', '<param name="s" type="select"><options from_file="x.loc"><column name="name" index="0"/></options></param>', /Required 'value' column missing from column def/],
  ])('%s', (_, inputs, message) => {
    expect(() => readGalaxyToolXml(tool(`<inputs>${inputs}</inputs><outputs/>`))).toThrow(message);
  });

  it.each([
    ['auto_format with a format (xml.py _parse_output)', '<data name="o" format="txt" auto_format="true"/>', /Setting format and auto_format is not supported at this time\./],
    ["auto_format on a collection's element, whose format defaults to the collection's", '<collection name="c" type="list" format="txt"><data name="a" auto_format="true"/></collection>', /Setting format and auto_format is not supported at this time\./],
    ['pattern with from_provided_metadata (output_collection_def.py dataset_collection_description)', '<data name="o" format="txt"><discover_datasets from_provided_metadata="true" pattern="__name__"/></data>', /Cannot specify attribute \[pattern\] if from_provided_metadata is True/],
    ['a sort_by Galaxy does not know (FilePatternDatasetCollectionDescription)', '<collection name="c" type="list"><discover_datasets pattern="__name__" sort_by="size"/></collection>', /sort_by="size": a key other than filename, name, designation or dbkey/],
    ['a discover flag asbool cannot read (galaxy.util asbool)', '<data name="o" format="txt"><discover_datasets pattern="__name__" visible="maybe"/></data>', /String is not true\/false: 'maybe'/],
    ['two discover blocks, one from tool-provided metadata (_validate_collectors)', '<data name="o"><discover_datasets from_provided_metadata="true"/><discover_datasets pattern="__name__"/></data>', /Cannot specify more than one discover dataset condition if any of them specify tool_provided_metadata\./],
    ['a count Python\'s int() cannot read (xml.py _parse_output)', '<data name="o" format="txt" count="many"/>', /invalid literal for int\(\) with base 10: 'many'/],
    ['a collection output without a name (xml.py _parse_collection)', '<collection type="list"/>', /a <collection> output without a name/],
    ['two static elements of one name in a collection (xml.py _parse_collection deletes the name twice)', '<collection name="c" type="list"><data name="a"/><data name="a"/></collection>', /KeyError: 'a'/],
  ])('%s', (_, outputs, message) => {
    expect(() => readGalaxyToolXml(tool(`<inputs/><outputs>${outputs}</outputs>`))).toThrow(message);
  });

  it("loads a drill_down whose options Galaxy reads from a file (from_file on the parameter), with a note", () => {
    const read = readGalaxyToolXml(tool('<inputs><param name="dd" type="drill_down" from_file="tree.xml"/></inputs><outputs/>'));
    expect(read.tool.inputs).toEqual([{ name: 'dd', type: 'drill_down', options: [] }]);
    expect(read.approximations.map((a) => a.construct)).toEqual(['from_file="tree.xml"']);
  });

  it('loads an empty <filter>, which never drops the output (filter_output catches the failed eval)', () => {
    const path = tool('<inputs/><outputs><data name="o" format="txt"><filter></filter></data></outputs>');
    expect(readGalaxyToolXml(path).tool.outputs).toEqual([{ type: 'data', name: 'o', format: 'txt' }]);
    expect(rules(path)).toEqual([['t output o', '<filter></filter>']]);
  });

  it('loads the validators Galaxy parses: a regex with its expression, an in_range with float bounds, a min on a validator type that does not read it', () => {
    const path = tool('<inputs><param name="t" type="text"><validator type="regex">[a-z]+</validator><validator type="expression" min="x">len(value) &lt; 3</validator></param><param name="n" type="float" value="1"><validator type="in_range" min="0.5" max="inf"/></param></inputs><outputs/>');
    expect(readGalaxyToolXml(path).tool.inputs.map((i) => i.name)).toEqual(['t', 'n']);
  });

  it('loads what Galaxy loads next to these: a required data parameter with a <default>, auto_format with format "data", a repeat of max 0 or max inf', () => {
    const path = tool(`<inputs><param name="d" type="data"><default location="https://example.org/1.bed"/></param>
      <repeat name="none" max="0"><param name="p" type="text"/></repeat><repeat name="many" min="1" max="inf"><param name="q" type="text"/></repeat></inputs>
      <outputs><data name="o" format="data" auto_format="true"/><data name="p" auto_format="true"/></outputs>`);
    const read = readGalaxyToolXml(path);
    expect(read.approximations.map((a) => [a.at, a.construct, a.kind])).toContainEqual(['t input d', '<default>', undefined]);
    expect(read.tool.inputs).toEqual([
      { name: 'd', type: 'data' },
      { name: 'none', type: 'repeat', min: 0, max: 0, inputs: [{ name: 'p', type: 'text', value: '' }] },
      { name: 'many', type: 'repeat', min: 1, max: 4, inputs: [{ name: 'q', type: 'text', value: '' }] },
    ]);
    expect(read.tool.outputs.map((o) => o.name)).toEqual(['o', 'p']);
  });
});

describe("a conditional's test parameter (Tool.parse_input_elem)", () => {
  const conditional = (test: string): string => tool(`<inputs><param name="input1" type="data"/><conditional name="c">${test}<when value="1"><param name="x" type="data"/></when><when value="2"/></conditional></inputs><outputs/>`);

  it('loads a data_column, genomebuild or group_tag test (SelectToolParameter subclasses), read as a dynamic select whose values are the when values', () => {
    for (const test of ['<param name="t" type="data_column" data_ref="input1"/>', '<param name="t" type="genomebuild"/>', '<param name="t" type="group_tag" data_ref="input1"/>']) {
      const path = conditional(test);
      expect(readGalaxyToolXml(path).tool.inputs[1]).toEqual({ name: 'c', type: 'conditional', test_param: { name: 't', type: 'select', options: ['1', '2'], value: '1', dynamic: true }, whens: { '1': [{ name: 'x', type: 'data' }], '2': [] } });
      expect(rules(path).map(([, construct]) => construct)).toContainEqual(expect.stringMatching(/as a conditional's test parameter$/));
    }
  });

  it.each([
    ['a drill_down test, which never sets legal_values', '<param name="t" type="drill_down"><options><option name="1" value="1"/></options></param>', /'DrillDownSelectToolParameter' object has no attribute 'legal_values'/],
    ['an integer test, which fails the isinstance assert', '<param name="t" type="integer" value="1"/>', /a conditional's test parameter must be a boolean or a select, got type "integer"/],
  ])('refuses %s', (_, test, message) => {
    expect(() => readGalaxyToolXml(conditional(test))).toThrow(message);
  });
});

describe('names and types Galaxy loads but cardfuzz cannot carry: not modelled, never refused', () => {
  it.each([
    ['a <data> output without a name (xml.py _parse_output names it None)', '<inputs/><outputs><data format="txt"/></outputs>'],
    ['a <repeat> without a name (Tool.parse_input_elem names it None)', '<inputs><repeat><param name="p" type="text"/></repeat></inputs><outputs/>'],
    ['a collection parameter of a collection type the model does not know (DataCollectionToolParameter checks none)', '<inputs><param name="c" type="data_collection" collection_type="list:tuple"/></inputs><outputs/>'],
    ['a collection output of a collection type the model does not know', '<inputs/><outputs><collection name="o" type="tuple"/></outputs>'],
    ["a when's parameter named as the conditional's test parameter (separate dicts in Galaxy, one state key)", '<inputs><conditional name="c"><param name="m" type="select"><option value="a"/></param><when value="a"><param name="m" type="text"/></when></conditional></inputs><outputs/>'],
  ])('%s', (_, body) => {
    expect(() => readGalaxyToolXml(tool(body))).toThrow(NotModelledError);
  });

  it("a conditional whose cases come from value_from (Python code Galaxy runs at load) is not modelled; without a value_ref at its level Galaxy refuses it", () => {
    const body = (ref: string): string => `<inputs><param name="file_type" type="select"><option value="a"/></param><conditional name="meta" value_from="self:app.datatypes_registry.get_upload_metadata_params"${ref}/></inputs><outputs/>`;
    expect(() => readGalaxyToolXml(tool(body(' value_ref="file_type"')))).toThrow(NotModelledError);
    expect(() => readGalaxyToolXml(tool(body('')))).toThrow(/value_from without a value_ref/);
    expect(() => readGalaxyToolXml(tool(body(' value_ref="nothing"')))).toThrow(/KeyError: 'nothing'/);
    expect(() => readGalaxyToolXml(tool(body('')))).not.toThrow(NotModelledError);
  });

  it("refuses a <param> without a name or an argument, with Galaxy's message, before looking at its type (ToolParameter.build)", () => {
    expect(() => readGalaxyToolXml(tool('<inputs><param type="nonsense"/></inputs><outputs/>'))).toThrow(/parameter must specify a 'name' or 'argument'\./);
  });

  it.each([
    ['an unknown detect_errors (xml.py parse_stdio)', '<tool id="t" name="t" version="1"><command detect_errors="loud">true</command><inputs/><outputs/></tool>', /Unknown detect_errors value encountered \[loud\]/],
    ['an oom_exit_code int() cannot read (xml.py parse_stdio)', '<tool id="t" name="t" version="1"><command detect_errors="exit_code" oom_exit_code="high">true</command><inputs/><outputs/></tool>', /invalid literal for int\(\) with base 10: 'high'/],
    ['an unknown provided_metadata_style (xml.py parse_provided_metadata_style)', '<tool id="t" name="t" version="1"><command>true</command><inputs/><outputs provided_metadata_style="json"/></tool>', /provided_metadata_style="json" is neither legacy nor default/],
    ['inject with a template (xml.py parse_environment_variables)', '<tool id="t" name="t" version="1"><command>true</command><environment_variables><environment_variable name="K" inject="api_key">x</environment_variable></environment_variables><inputs/><outputs/></tool>', /Cannot specify inject and environment variable template\./],
    ['an entry point without a port (xml.py parse_interactivetool)', '<tool id="t" name="t" version="1" tool_type="interactive"><command>true</command><entry_points><entry_point name="e"/></entry_points><inputs/><outputs/></tool>', /A port is required for InteractiveTools/],
    ['a required_files include without a path (xml.py parse_required_files)', '<tool id="t" name="t" version="1"><command>true</command><required_files><include type="glob"/></required_files><inputs/><outputs/></tool>', /"path" must be specified in include/],
  ])('refuses %s, raised by Tool.parse', (_, xml, message) => {
    const path = join(tempDir('cardfuzz-loader-'), 't.xml');
    writeFileSync(path, xml);
    expect(() => readGalaxyToolXml(path)).toThrow(message);
  });

  it("refuses a profile Galaxy's float() cannot read (parse_profile_version), and loads a two-part one", () => {
    expect(() => readGalaxyToolXml(tool('<inputs/><outputs/>', 'id="t" name="t" version="1" profile="24.2.1"'))).toThrow(/could not convert string to float: '24.2.1'/);
    expect(readGalaxyToolXml(tool('<inputs/><outputs/>', 'id="t" name="t" version="1" profile="24.2"')).tool.id).toBe('t');
  });
});

describe('what the model cannot carry is noted, not dropped', () => {
  it('a <filter> on a static collection element: every element is kept, and the note says so', () => {
    const path = tool('<inputs><param name="decide" type="boolean"/></inputs><outputs><collection name="pair" type="list"><data name="A"><filter>decide</filter></data><data name="B"/></collection></outputs>');
    const read = readGalaxyToolXml(path);
    expect(read.tool.outputs).toEqual([{ type: 'collection', name: 'pair', collection_type: 'list', elements: [{ name: 'A' }, { name: 'B' }] }]);
    expect(read.approximations.map((a) => [a.at, a.construct, a.kind])).toEqual([['t output pair|A', '<filter> on a collection element', undefined]]);
  });
});
