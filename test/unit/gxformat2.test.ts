import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gxformat2Error, Gxformat2NotRead, looksLikeGxformat2, pythonToWorkflow } from '../../src/model/gxformat2.js';
import { NotModelledError } from '../../src/errors.js';
import { parseCase } from '../../src/model/parse-case.js';
import { readWorkflowFile } from '../../src/model/read-workflow-file.js';
import type { GaWorkflow } from '../../src/model/workflow.js';
import type { CaseDatabase } from '../../src/persistence/case-database.js';
import type { SystemUnderTest } from '../../src/runner/system-under-test.js';
import { list } from '../helpers/cases.js';
import { sqliteTarget } from '../helpers/targets.js';
import { CAT1, MULTI, rowsOf, workflowCase } from '../helpers/workflows.js';

/**
 * gxformat2 read as Galaxy's import reads it: converted to the native `.ga`
 * (gxformat2 `python_to_workflow`), then the `.ga` path. The fixtures are
 * written here; the rules are gxformat2's `normalized_format2` and `to_native`.
 */

const yaml = (text: string): unknown => parseYaml(text);
type Steps = Record<string, Record<string, unknown>>;
const stepsOf = (w: Record<string, unknown>): Steps => w['steps'] as Steps;

/** What the model reads of a workflow: step types, connections, outputs, input options; not labels or names. */
function graph(w: GaWorkflow): unknown {
  return Object.fromEntries(
    Object.entries(w.steps).map(([k, s]) => [
      k,
      {
        type: s.type,
        tool: s.tool_id ?? null,
        connections: s.input_connections,
        outputs: (s.workflow_outputs ?? []).map((o) => o.output_name),
        ...(s.type === 'tool' || s.type === 'subworkflow' ? {} : { state: JSON.parse(s.tool_state ?? '{}') as unknown }),
        ...(s.subworkflow === undefined ? {} : { subworkflow: graph(s.subworkflow) }),
      },
    ]),
  );
}

describe('gxformat2 workflows, converted as Galaxy imports them', () => {
  let target: { system: SystemUnderTest; database: CaseDatabase };
  beforeAll(async () => {
    target = await sqliteTarget('branch-fixed');
  });
  afterAll(async () => {
    await target.database.close();
  });

  const ga = JSON.parse(readFileSync('test/fixtures/workflows/map-subworkflow-reduce.ga', 'utf8')) as unknown;
  const format2 = yaml(readFileSync('test/fixtures/workflows-gxformat2/map-subworkflow-reduce.gxwf.yml', 'utf8'));

  it('gives the same graph as the .ga export of the same workflow: inputs first, subworkflow inputs bound, $link a connection, outputs wired', () => {
    expect(looksLikeGxformat2(format2)).toBe(true);
    expect(looksLikeGxformat2(ga)).toBe(false);
    const fromGa = readWorkflowFile(ga, 'ga');
    const fromFormat2 = readWorkflowFile(format2, 'format2');
    // The .ga marks only the subworkflow's and the reducer's outputs; the gxformat2 file marks the same two.
    expect(graph(fromFormat2.workflow)).toEqual(graph(fromGa.workflow));
    expect(fromFormat2.tools.map((t) => t.id).sort()).toEqual(fromGa.tools.map((t) => t.id).sort());
  });

  describe('invoked, both files write the same rows', () => {

    it('with the tools given, a list of 3: 3 + 3 mapped jobs, one reducing job, 2 invocations (the subworkflow is its own)', async () => {
      const counts = [];
      for (const doc of [ga, format2]) {
        const file = readWorkflowFile(doc, 'file', [CAT1, MULTI]);
        const plan = target.system.plan(workflowCase({ workflow: file.workflow, tools: file.tools, datasets: 3, collections: [list(1, [1, 2, 3])], inputs: { 0: { src: 'hdca', id: 1 } } }));
        const outcome = await target.database.runCase(plan);
        expect(outcome.failure).toBeNull();
        counts.push(rowsOf(plan));
      }
      expect(counts[1]).toEqual(counts[0]);
      expect(counts[0]!['job']).toBe(7);
      expect(counts[0]!['workflow_invocation']).toBe(2);
    });
  });

  it('inputs: a mapping with type shorthands and aliases, a listed input known by its label, a one-type list is multiple', () => {
    const w = pythonToWorkflow(
      yaml(`
class: GalaxyWorkflow
inputs:
  reads: File
  pairs:
    type: data_collection_input
    collection_type: list:paired
    optional: true
  size: int
  names: [text]
steps: {}
`),
    );
    const states = Object.values(stepsOf(w)).map((s) => [s['type'], s['label'], JSON.parse(s['tool_state'] as string)]);
    expect(states).toEqual([
      ['data_input', 'reads', { name: 'reads' }],
      ['data_collection_input', 'pairs', { name: 'pairs', optional: true, collection_type: 'list:paired' }],
      ['parameter_input', 'size', { name: 'size', parameter_type: 'integer' }],
      ['parameter_input', 'names', { name: 'names', parameter_type: 'text', multiple: true }],
    ]);
    const listed = pythonToWorkflow(yaml('class: GalaxyWorkflow\ninputs:\n  - label: first\nsteps:\n  - tool_id: cat1\n    in:\n      input1: first\n'));
    expect(stepsOf(listed)['1']!['input_connections']).toEqual({ input1: [{ id: 0, output_name: 'output' }] });
  });

  it('connections: in as a list, several sources, $link in nested state (joined with |), $step, a label holding a slash, an order index', () => {
    const w = pythonToWorkflow(
      yaml(`
class: GalaxyWorkflow
inputs:
  a/b: data
  c: data
steps:
  - label: one
    tool_id: cat1
    in:
      - id: input1
        source: a/b
  - label: two
    tool_id: merge
    in:
      inputs:
        source: [one/out_file1, c]
    state:
      cond:
        inner:
          $link: "1"
  - tool_id: after
    in:
      $step: two
      input1: 3/out
`),
    );
    const s = stepsOf(w);
    expect(s['2']!['input_connections']).toEqual({ input1: [{ id: 0, output_name: 'output' }] });
    expect(s['3']!['input_connections']).toEqual({
      inputs: [
        { id: 2, output_name: 'out_file1' },
        { id: 1, output_name: 'output' },
      ],
      'cond|inner': [{ id: 1, output_name: 'output' }],
    });
    expect(JSON.parse(s['3']!['tool_state'] as string)).toEqual({ __page__: 0, cond: { inner: { __class__: 'ConnectedValue' } } });
    expect(s['4']!['input_connections']).toEqual({ __NO_INPUT_OUTPUT_NAME__: [{ id: 3, output_name: '__NO_INPUT_OUTPUT_NAME__' }], input1: [{ id: 3, output_name: 'out' }] });
    expect(s['4']!['label']).toBeNull();
  });

  it('step kinds: pause by type, subworkflow by run, when kept, $graph references inlined', () => {
    const w = pythonToWorkflow(
      yaml(`
$graph:
  - id: inner
    class: GalaxyWorkflow
    inputs:
      x: data
    steps:
      t:
        tool_id: cat1
        in: {input1: x}
  - id: main
    class: GalaxyWorkflow
    inputs:
      d: data
      go: boolean
    steps:
      wait:
        type: pause
        in: {input: d}
      nested:
        run: "#inner"
        in: {x: wait/output}
        when: $(inputs.when)
`),
    );
    const s = stepsOf(w);
    expect(s['2']).toMatchObject({ type: 'pause', label: 'wait', input_connections: { input: [{ id: 0, output_name: 'output' }] } });
    expect(s['3']).toMatchObject({ type: 'subworkflow', when: '$(inputs.when)', input_connections: { x: [{ id: 2, output_name: 'output', input_subworkflow_step_id: 0 }] } });
    expect(Object.keys(stepsOf(s['3']!['subworkflow'] as Record<string, unknown>))).toEqual(['0', '1']);
  });

  it("refuses what gxformat2's conversion refuses, with its reason", () => {
    const refuse = (text: string) => () => pythonToWorkflow(yaml(text));
    expect(refuse('class: GalaxyWorkflow\ninputs:\n  x: dataset\n')).toThrow(new Gxformat2Error('Unknown input type [dataset] encountered.'));
    expect(refuse('class: GalaxyWorkflow\ninputs:\n  x: [data, text]\n')).toThrow('Only simple arrays of workflow inputs are currently supported');
    expect(refuse('class: GalaxyWorkflow\nsteps:\n  t:\n    in: {input1: 0}\n')).toThrow('Tool steps must define a tool_id.');
    expect(refuse('class: GalaxyWorkflow\ninputs: {reads: data}\nsteps:\n  t:\n    tool_id: cat1\n    in: {input1: raeds}\n')).toThrow('names no input or step');
    // Read from outside the file: Galaxy would import it, cardfuzz does not read it.
    expect(refuse('class: GalaxyWorkflow\nsteps:\n  s:\n    run: {"@import": "tool.gxtool.yml"}\n')).toThrow(Gxformat2NotRead);
    expect(() => readWorkflowFile(yaml('class: GalaxyWorkflow\nsteps:\n  s:\n    run: https://example.org/sub.gxwf.yml\n'), 'url')).toThrow(NotModelledError);
    expect(refuse('$graph:\n  - id: other\n    class: GalaxyWorkflow\n')).toThrow("$graph has no 'main' workflow");
  });

  it('a case file may hold its workflow in gxformat2; a bad one is refused at its path', () => {
    const c = parseCase({
      entry: 'workflow-invocation',
      workflow: format2 as never,
      tools: readWorkflowFile(format2, 'format2').tools as never,
      history: { datasets: [{ id: 1 }], collections: [list(1, [1])] },
      invocation: { inputs: { 0: { src: 'hdca', id: 1 } } },
    } as never);
    expect(c.entry === 'workflow-invocation' && Object.keys(c.workflow.steps)).toEqual(['0', '1', '2', '3']);
    expect(() => parseCase({ entry: 'workflow-invocation', workflow: { class: 'GalaxyWorkflow', inputs: { x: 'dataset' } }, tools: [], history: { datasets: [] }, invocation: { inputs: {} } } as never)).toThrow(
      /case\.workflow: Galaxy cannot import this gxformat2 workflow: Unknown input type \[dataset\]/,
    );
  });

  describe('several connections into one input', () => {

    it('into a single data input: Galaxy takes the first (replacement_for_input, connection[0]; an EphemeralCollection merge is the CWL fork\'s only); into a multiple data input all of them', async () => {
      const doc = yaml('class: GalaxyWorkflow\ninputs: {a: data, b: data}\nsteps:\n  both:\n    tool_id: cat1\n    in:\n      input1: [a, b]\n');
      const file = readWorkflowFile(doc, 'two into one', [CAT1]);
      expect(file.workflow.steps['2']!.input_connections!['input1']).toHaveLength(2);
      const plan = target.system.plan(workflowCase({ workflow: file.workflow, tools: file.tools, datasets: 2, inputs: { 0: { src: 'hda', id: 1 }, 1: { src: 'hda', id: 2 } } }));
      expect((await target.database.runCase(plan)).failure).toBeNull();
      const step = plan.workflow!.steps.find((st) => st.orderIndex === 2)!;
      expect(step.jobs).toHaveLength(1);
      // The first connection's dataset reaches the job; the second carries nothing.
      expect(step.connections.map((x) => x.value)).toEqual([{ kind: 'dataset', id: 1 }, null]);
      // Into a multiple="true" data input they are a plain list of values (replacement_for_input).
      const multiple = yaml('class: GalaxyWorkflow\ninputs: {a: data, b: data}\nsteps:\n  both:\n    tool_id: multi_data_param\n    in:\n      f1: [a, b]\n');
      const multiFile = readWorkflowFile(multiple, 'multiple', [MULTI]);
      const multiPlan = target.system.plan(workflowCase({ workflow: multiFile.workflow, tools: multiFile.tools, datasets: 2, inputs: { 0: { src: 'hda', id: 1 }, 1: { src: 'hda', id: 2 } } }));
      expect(multiPlan.workflow!.steps.find((st) => st.orderIndex === 2)!.connections.map((x) => x.value)).toEqual([{ kind: 'dataset', id: 1 }, { kind: 'dataset', id: 2 }]);
    });
  });
});
