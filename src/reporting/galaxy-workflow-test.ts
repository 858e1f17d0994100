import { InvalidInputError } from '../errors.js';
import type { JsonValue } from '../model/case.js';
import type { WorkflowTrace } from '../executor/invoke-workflow.js';
import type { GaWorkflow, WorkflowCase } from '../model/workflow.js';
import { apiTestClassLines, docstring, FETCH_COLLECTION_HELPER, fetchElements, GALAXY_TOOL_CONF, galaxyToolXml, pyInputs, pyLiteral, pyString } from './galaxy-test.js';

/**
 * A workflow invocation case as a Galaxy API test: a pytest in the style of
 * lib/galaxy_test/api/test_workflows.py that builds the history, creates the
 * workflow from its `.ga` JSON (`WorkflowPopulator.create_workflow`), invokes
 * it through `POST /api/workflows/{id}/invocations` (`invoke_workflow_raw`),
 * reviews its pause steps as the case says, and asserts what the model says
 * Galaxy's code means to do: the number of invocations, each one's final
 * state, the step rows each has, and the jobs of the case's tools. One tool
 * XML per tool the workflow runs, and their sample_tool_conf.xml lines.
 */
export interface GalaxyWorkflowTestExport {
  readonly test: { readonly path: string; readonly text: string };
  readonly toolXmls: readonly { readonly path: string; readonly text: string }[];
  readonly toolConfLines: readonly string[];
}

export interface WorkflowExpectations {
  /** Top-level invocations (one per batch combination); 0 when Galaxy refuses the request. */
  readonly invocations: number;
  /** The request is refused (HTTP 4xx) with this message. */
  readonly refused: string | null;
  /** Each top-level invocation's final state, in order. */
  readonly states: readonly string[];
  /** Step rows of each top-level invocation, in order. */
  readonly stepRows: readonly number[];
  /** Jobs Galaxy's code means to run, over every invocation. */
  readonly jobs: number;
}

export function galaxyWorkflowApiTest(
  c: WorkflowCase,
  options: {
    readonly title: string;
    readonly violation: string | null;
    readonly slug: string;
    readonly expected: WorkflowExpectations;
    /** The finding the test proves: what Galaxy should do, what fails on Galaxy today, and where the findings page explains it. */
    readonly finding?: { readonly expects: string; readonly failsToday: string; readonly link: string };
  },
): GalaxyWorkflowTestExport {
  // An upload a test could leave unfinished, or fail, at a given scheduling pass: Galaxy's test API gives no hold on either.
  for (const h of c.history.collections) {
    const state = h.populated_state ?? 'ok';
    if (state === 'ok' || (state === 'new' && c.scheduling?.populated_at?.[String(h.id)] !== undefined)) continue;
    throw new InvalidInputError(
      `export --format galaxy-test: collection ${h.id} ${state === 'new' ? 'is never populated while the invocation runs' : `is ${state}`}, which a Galaxy API test cannot reproduce (an upload cannot be held unfinished or made to fail at a scheduling pass); replay, explain and the json and sql exports take the case`,
    );
  }
  const uploads = Object.entries(c.scheduling?.populated_at ?? {});
  const slug = options.slug.replace(/[^A-Za-z0-9_]/g, '_');
  const toolIds = new Map(c.tools.map((t, i) => [t.id, `cardfuzz_${slug}_${i + 1}`]));
  const testPath = `lib/galaxy_test/api/test_cardfuzz_${slug}.py`;
  const toolXmls = c.tools.map((t) => ({ path: `test/functional/tools/${toolIds.get(t.id)!}.xml`, text: galaxyToolXml(t.inputs, t.outputs, toolIds.get(t.id)!, options.title) }));
  const toolConfLines = c.tools.map((t) => `<tool file="${toolIds.get(t.id)!}.xml" />`);
  const className = `TestCardfuzz${slug.replace(/_/g, '')}`;
  const workflow = renameTools(c.workflow, toolIds);
  const pauses = Object.values(c.workflow.steps).filter((s) => s.type === 'pause').map((s) => s.id);
  const review = c.scheduling?.review;
  const e = options.expected;
  const lines: string[] = [
    `"""cardfuzz ${docstring(options.title)}`,
    '',
    ...(options.violation === null ? [] : [`What cardfuzz saw: ${docstring(options.violation)}`, '']),
    ...(options.finding === undefined
      ? []
      : [
          `What Galaxy should do: ${docstring(options.finding.expects)}.`,
          `Expected to FAIL on Galaxy today: ${docstring(options.finding.failsToday)}.`,
          'It passes once Galaxy is fixed.',
          `The finding: ${options.finding.link} (in cardfuzz's repository).`,
          '',
        ]),
    'Where each piece goes in a Galaxy checkout',
    '(cardfuzz export CASE --format galaxy-test --out DIR writes the test and the tools there):',
    `  1. this test: ${testPath}`,
    ...toolXmls.map((t, i) => `  ${i + 2}. a tool: ${t.path}`),
    `  then, in ${GALAXY_TOOL_CONF}, inside <toolbox>: ${toolConfLines.join(' ')}`,
    `Run it: ./run_tests.sh -api ${testPath}`,
    '',
    "The test builds the case's history, creates the workflow, invokes it",
    ...uploads.map(([id, pass]) => `(in the case an upload populates collection ${id} before scheduling pass ${pass}; the test uploads it and waits before invoking, and expects the counts the case ends with)`),
    ...(c.scheduling?.jobs_per_iteration === undefined ? [] : [`(the case schedules at most ${c.scheduling.jobs_per_iteration} jobs per iteration: run Galaxy with maximum_workflow_jobs_per_scheduling_iteration: ${c.scheduling.jobs_per_iteration})`]),
    ...(c.scheduling?.failed_jobs === undefined ? [] : [`(the case makes the jobs of step(s) ${c.scheduling.failed_jobs.join(', ')} fail: give those steps a tool whose job fails, such as Galaxy's job_properties test tool with failbool: true)`]),
    `and expects what Galaxy's code means to do: ${e.refused === null ? `${e.invocations} invocation(s) ending ${e.states.join(', ')}, with ${e.stepRows.join(', ')} step row(s), and ${e.jobs} job(s)` : `the request refused: ${docstring(e.refused)}`}.`,
    '"""',
    '',
    'import json',
    '',
    'from galaxy_test.base.populators import (',
    '    DatasetCollectionPopulator,',
    '    DatasetPopulator,',
    '    WorkflowPopulator,',
    '    skip_without_tool,',
    ')',
    '',
    'from ._framework import ApiTestCase',
    '',
    `TOOL_IDS = ${pyLiteral([...toolIds.values()], 0)}`,
    `WORKFLOW = json.loads(${pyString(JSON.stringify(workflow))})`,
    `EXPECTED_INVOCATIONS = ${e.invocations}`,
    `EXPECTED_STATES = [${e.states.map(pyString).join(', ')}]`,
    `EXPECTED_STEP_ROWS = [${e.stepRows.join(', ')}]`,
    `EXPECTED_JOBS = ${e.jobs}`,
    '',
    '',
    ...apiTestClassLines(className, ['DatasetPopulator', 'DatasetCollectionPopulator', 'WorkflowPopulator']),
    ...[...toolIds.values()].map((id) => `    @skip_without_tool(${pyString(id)})`),
    '    def test_workflow_invocation(self):',
    '        with self.dataset_populator.test_history() as history_id:',
    '            hda = {}',
    '            hdca = {}',
  ];
  for (const d of c.history.datasets) lines.push(`            hda[${d.id}] = self.dataset_populator.new_dataset(history_id, content="dataset ${d.id}\\n", wait=True)["id"]`);
  for (const collection of c.history.collections) {
    lines.push(`            hdca[${collection.id}] = self._fetch_collection(history_id, ${pyString(collection.collection_type)}, ${pyLiteral(fetchElements(collection) as JsonValue, 12)})`);
  }
  lines.push(
    '            workflow_id = self.workflow_populator.create_workflow(WORKFLOW)',
    `            request = {"history_id": history_id, "inputs_by": "step_index", "inputs": ${pyInputs(c.invocation.inputs as JsonValue, 12)}${c.invocation.batch === true ? ', "batch": True' : ''}}`,
    '            response = self.workflow_populator.invoke_workflow_raw(workflow_id, request)',
  );
  if (e.refused !== null) {
    lines.push('            assert response.status_code >= 400, response.text', `            assert ${pyString(e.refused)} in response.text, response.text`);
  } else {
    lines.push(
      '            self._assert_status_code_is(response, 200)',
      '            invocations = self.workflow_populator.history_invocations(history_id, include_nested_invocations=False)',
      '            assert len(invocations) == EXPECTED_INVOCATIONS, invocations',
      '            for invocation, state, step_rows in zip(invocations, EXPECTED_STATES, EXPECTED_STEP_ROWS):',
    );
    if (pauses.length > 0 && review !== undefined) {
      lines.push(
        `                self._review_pauses(invocation["id"], ${pyLiteral(pauses, 0)}, ${review === 'approve' ? 'True' : 'False'})`,
      );
    }
    lines.push(
      '                if state in ("scheduled", "failed", "cancelled"):',
      '                    self.workflow_populator.wait_for_invocation(None, invocation["id"], assert_ok=False)',
      '                details = self.workflow_populator.get_invocation(invocation["id"])',
      '                if state in ("scheduled", "failed", "cancelled"):',
      '                    assert details["state"] == state, details',
      '                assert len(details["steps"]) == step_rows, details["steps"]',
      '            self.dataset_populator.wait_for_history_jobs(history_id, assert_ok=False)',
      '            jobs = sum(len(self.dataset_populator.history_jobs_for_tool(history_id, tool_id)) for tool_id in TOOL_IDS)',
      '            assert jobs == EXPECTED_JOBS, jobs',
    );
  }
  lines.push(
    '',
    '    def _review_pauses(self, invocation_id, order_indices, action):',
    '        self.workflow_populator.wait_for_invocation(None, invocation_id, assert_ok=False)',
    '        for step in self.workflow_populator.get_invocation(invocation_id)["steps"]:',
    '            if step["order_index"] in order_indices:',
    '                response = self._put(f"invocations/{invocation_id}/steps/{step[\'id\']}", {"action": action}, json=True)',
    '                self._assert_status_code_is(response, 200)',
    '',
    ...FETCH_COLLECTION_HELPER,
    '',
  );
  return { test: { path: testPath, text: lines.join('\n') }, toolXmls, toolConfLines };
}

/** The workflow with each tool step naming the exported tool. */
function renameTools(workflow: GaWorkflow, toolIds: ReadonlyMap<string, string>): GaWorkflow {
  const steps = Object.fromEntries(
    Object.entries(workflow.steps).map(([key, step]) => [
      key,
      {
        ...step,
        ...(step.tool_id ? { tool_id: toolIds.get(step.tool_id) ?? step.tool_id, tool_version: '0.1.0' } : {}),
        ...(step.subworkflow ? { subworkflow: renameTools(step.subworkflow, toolIds) } : {}),
      },
    ]),
  );
  return { ...workflow, a_galaxy_workflow: 'true', 'format-version': '0.1', steps };
}

/**
 * What Galaxy should do with the invocation, from the model's trace: each
 * top-level invocation ends as the model ends it, except one the model
 * reports as never finishing, which a correct Galaxy schedules; each tool
 * step runs each combination of its expansion once (the re-runs the model
 * shows for a defect are not expected).
 */
export function workflowExpectations(trace: WorkflowTrace): WorkflowExpectations {
  const top = trace.invocations.filter((i) => i.parentId === null);
  return {
    invocations: top.length,
    refused: trace.refused,
    states: top.map((i) => (trace.unfinished.includes(i.id) ? 'scheduled' : i.state)),
    stepRows: top.map((i) => trace.steps.filter((s) => s.invocationId === i.id && s.wisId !== null).length),
    jobs: trace.steps.reduce((n, s) => n + (s.type === 'tool' && s.expansion !== null && s.expansion.ok && s.jobs.length > 0 ? s.expansion.combinations.length : 0), 0),
  };
}
