import { InvalidInputError } from '../errors.js';
import type { ExecutionPlan } from '../executor/execution.js';
import { shapeDepth } from '../expansion/shape.js';
import { FINDINGS_PAGE, findingEntryFor } from './findings-catalogue.js';
import type { ToolCase, JsonValue } from '../model/case.js';
import type { NestedCollection } from '../model/history.js';
import { isJsonObject } from '../model/json-checks.js';
import type { ToolInput, ToolOutput } from '../model/tool.js';

/**
 * A case as a Galaxy API test, in three pieces for a Galaxy checkout:
 *
 * - a pytest in the style of lib/galaxy_test/api: an ApiTestCase that builds
 *   the history with the dataset populator and the fetch API, submits the
 *   request through the tool request API (`tool_request_raw`, POST /api/jobs)
 *   or the legacy one (`run_tool_raw`, POST /api/tools), and asserts the jobs
 *   the model says Galaxy's code means to run, counted with
 *   `history_jobs_for_tool`;
 * - a tool XML with the case's parameters and outputs, for
 *   test/functional/tools (the case's tool exists nowhere in Galaxy);
 * - the line that registers it in test/functional/tools/sample_tool_conf.xml.
 */
export interface GalaxyTestExport {
  /** The tool id the test and the XML use. */
  readonly toolId: string;
  /** Paths relative to the root of a Galaxy checkout, with their text. */
  readonly test: { readonly path: string; readonly text: string };
  readonly toolXml: { readonly path: string; readonly text: string };
  /** The `<tool file=.../>` line for sample_tool_conf.xml. */
  readonly toolConfLine: string;
}

export const GALAXY_TOOL_CONF = 'test/functional/tools/sample_tool_conf.xml';

/** The test's helper that builds a history collection through the fetch API (shared by the tool and workflow exports). */
export const FETCH_COLLECTION_HELPER: readonly string[] = [
  '    def _fetch_collection(self, history_id, collection_type, elements):',
  '        payload = {',
  '            "history_id": history_id,',
  '            "targets": [{"destination": {"type": "hdca"}, "collection_type": collection_type, "elements": elements}],',
  '        }',
  '        response = self.dataset_populator.fetch(payload, wait=True)',
  '        self._assert_status_code_is(response, 200)',
  '        return response.json()["output_collections"][0]["id"]',
];

/** One axis of a map-over's output structure: the input collections on it (with the levels of a `dce` source above the mapped part) and how many levels of an output element's path it owns. */
export interface MapOverAxis {
  readonly collections: readonly { readonly hdcaId: number; readonly skip: number }[];
  readonly levels: number;
}

/** What the test asserts beyond the job count: each a behaviour Galaxy should have, chosen for the finding the case shows. */
export interface GalaxyChecks {
  /** Each output element holds the result of its own input elements; the axes in the order of the output structure. */
  readonly pairing?: readonly MapOverAxis[];
  /** Extracting a workflow by the map-over's implicit collection jobs id answers without a server error. */
  readonly extractByIcj?: boolean;
  /** Extracting a workflow by the jobs' ids and the tool request's id gives one tool step. */
  readonly extractOneStep?: boolean;
  /** The tool request's execution state has its ImplicitCollectionJobs row, holding every job (needs the test driver's app). */
  readonly icjRow?: boolean;
  /** The finding the test proves: what Galaxy should do, what fails on Galaxy today, and where the findings page explains it. */
  readonly finding?: { readonly expects: string; readonly failsToday: string; readonly link: string };
}

/**
 * The checks for a case and the finding it shows (none for a bare case):
 * element pairing wherever a map-over's jobs fill output elements, and the
 * finding's own check, with what the findings page says Galaxy should do.
 */
export function galaxyChecksFor(plan: ExecutionPlan, finding: { readonly property: string; readonly violation: { readonly kind: string }; readonly shapeClass: string } | undefined): GalaxyChecks {
  const entry = finding === undefined ? undefined : findingEntryFor(finding);
  const pairing = mapOverAxes(plan);
  return {
    ...(pairing === undefined ? {} : { pairing }),
    ...(entry?.anchor === 'representative-job-of-an-empty-map-over' ? { extractByIcj: true } : {}),
    ...(entry?.anchor === 'extraction-duplicate-steps' ? { extractOneStep: true } : {}),
    ...(entry?.anchor === 'icj-of-a-map-over-without-outputs' ? { icjRow: true } : {}),
    ...(entry === undefined ? {} : { finding: { expects: entry.galaxyTest.expects, failsToday: entry.galaxyTest.failsToday, link: `${FINDINGS_PAGE}#${entry.anchor}` } }),
  };
}

/**
 * The axes of a map-over's output structure, for the element pairing check:
 * the unlinked collections (sorted by key), then the linked ones, as
 * `MatchingCollections.structure` (lib/galaxy/model/dataset_collections/
 * matching.py) multiplies them. Only when job outputs fill the precreated
 * elements (an output left by the filters).
 */
function mapOverAxes(plan: ExecutionPlan): readonly MapOverAxis[] | undefined {
  const { expansion, intent } = plan;
  if (!expansion.ok || expansion.mapOver === null || intent.activeOutputs.length === 0) return undefined;
  const { collections } = expansion.mapOver;
  const axis = (group: typeof collections): MapOverAxis => ({
    collections: group.map((m) => ({ hdcaId: m.source.hdcaId, skip: m.source.elementPath.length })),
    levels: shapeDepth(group[0]!.shape),
  });
  const linked = collections.filter((m) => m.linked);
  return [...collections.filter((m) => !m.linked).map((m) => axis([m])), ...(linked.length > 0 ? [axis(linked)] : [])];
}

export function galaxyApiTest(
  c: ToolCase,
  options: { readonly title: string; readonly violation: string | null; readonly slug: string; readonly expectedJobs: number; readonly checks?: GalaxyChecks },
): GalaxyTestExport {
  if (c.entry === 'workflow-step') {
    throw new InvalidInputError('export --format galaxy-test covers tool-request and legacy cases; a workflow-step case needs a workflow invocation');
  }
  const checks = options.checks ?? {};
  const slug = options.slug.replace(/[^A-Za-z0-9_]/g, '_');
  const toolId = `cardfuzz_${slug}`;
  const testPath = `lib/galaxy_test/api/test_cardfuzz_${slug}.py`;
  const toolPath = `test/functional/tools/${toolId}.xml`;
  const toolConfLine = `<tool file="${toolId}.xml" />`;
  const className = `TestCardfuzz${slug.replace(/_/g, '')}`;
  const api = c.entry === 'tool-request' ? 'the tool request API (POST /api/jobs)' : 'the legacy tool API (POST /api/tools)';
  const lines: string[] = [
    `"""cardfuzz ${docstring(options.title)}`,
    '',
    ...(options.violation === null ? [] : [`What cardfuzz saw: ${docstring(options.violation)}`, '']),
    'Where each piece goes in a Galaxy checkout',
    '(cardfuzz export CASE --format galaxy-test --out DIR writes the first two there):',
    `  1. this test: ${testPath}`,
    `  2. its tool: ${toolPath}`,
    `  3. in ${GALAXY_TOOL_CONF}, inside <toolbox>: ${toolConfLine}`,
    `Run it: ./run_tests.sh -api ${testPath}`,
    '',
    `The test builds the case's history, submits its request through ${api}`,
    `and expects the ${options.expectedJobs} job${options.expectedJobs === 1 ? '' : 's'} Galaxy should run for it, one per parameter combination.`,
    ...expectationLines(checks),
    `The tool ${toolId} has the case's parameters: ${docstring(describeInputs(c.tool.inputs)) || 'none'}.`,
    ...(c.tool.id === 'fuzz_tool' ? [] : [`(The case was found on the tool ${docstring(c.tool.id)}; where Galaxy has that tool, TOOL_ID can name it instead.)`]),
    '"""',
    '',
    'from galaxy_test.base.populators import (',
    '    DatasetCollectionPopulator,',
    '    DatasetPopulator,',
    '    skip_without_tool,',
    ')',
    '',
    'from ._framework import ApiTestCase',
    ...(checks.pairing === undefined ? [] : ['', `MAPPED_AXES = ${pyAxes(checks.pairing)}`]),
    '',
    `TOOL_ID = ${pyString(toolId)}`,
    `EXPECTED_JOBS = ${options.expectedJobs}`,
    '',
    '',
    ...apiTestClassLines(className, ['DatasetPopulator', 'DatasetCollectionPopulator']),
    '    @skip_without_tool(TOOL_ID)',
    `    def test_${c.entry === 'tool-request' ? 'tool_request' : 'legacy_request'}_runs_every_job(self):`,
    '        with self.dataset_populator.test_history() as history_id:',
    '            hda = {}',
    '            hdca = {}',
  ];
  for (const d of c.history.datasets) {
    lines.push(`            hda[${d.id}] = self.dataset_populator.new_dataset(history_id, content="dataset ${d.id}\\n", wait=True)["id"]`);
  }
  for (const collection of c.history.collections) {
    lines.push(`            hdca[${collection.id}] = self._fetch_collection(history_id, ${pyString(collection.collection_type)}, ${pyLiteral(fetchElements(collection) as JsonValue, 12)})`);
  }
  lines.push(`            inputs = ${pyInputs(c.request as JsonValue, 12)}`);
  if (checks.pairing !== undefined) {
    lines.push('            axes = [([(hdca[i], skip) for i, skip in collections], levels) for collections, levels in MAPPED_AXES]');
  }
  if (c.entry === 'tool-request') {
    lines.push(
      '            response = self.dataset_populator.tool_request_raw(TOOL_ID, inputs, history_id)',
      '            self._assert_status_code_is(response, 200)',
      '            tool_request_id = response.json()["tool_request_id"]',
      '            submitted = self.dataset_populator.wait_on_tool_request(tool_request_id)',
      '            tool_request = self.dataset_populator.get_tool_request(tool_request_id)',
      '            assert submitted, f"tool request {tool_request_id} ended {tool_request[\'state\']}: {tool_request.get(\'state_message\')}"',
    );
  } else {
    lines.push('            response = self.dataset_populator.run_tool_raw(TOOL_ID, inputs, history_id)', '            self._assert_status_code_is(response, 200)');
  }
  lines.push('            jobs = self.dataset_populator.history_jobs_for_tool(history_id, TOOL_ID)');
  if (checks.icjRow && c.entry === 'tool-request') lines.push('            self._assert_execution_state_holds_its_jobs(tool_request_id)');
  if (checks.extractByIcj) lines.push('            self._assert_extraction_by_icj_answers(history_id)');
  if (checks.extractOneStep && c.entry === 'tool-request') lines.push('            self._assert_extraction_gives_one_step(jobs, tool_request_id)');
  lines.push('            assert len(jobs) == EXPECTED_JOBS, f"{len(jobs)} jobs ran, Galaxy should run {EXPECTED_JOBS}: {jobs}"');
  if (checks.pairing !== undefined) lines.push('            self._assert_elements_hold_their_own_results(history_id, axes, jobs)');
  lines.push(
    '',
    ...helperLines(checks, c.entry),
    ...FETCH_COLLECTION_HELPER,
    '',
    '    def _dce(self, history_id, hdca_id, element_path):',
    '        elements = self.dataset_populator.get_history_collection_details(history_id, content_id=hdca_id)["elements"]',
    '        for depth, identifier in enumerate(element_path):',
    '            element = next(e for e in elements if e["element_identifier"] == identifier)',
    '            if depth == len(element_path) - 1:',
    '                return element["id"]',
    '            elements = element["object"]["elements"]',
    '        raise AssertionError("empty element path")',
    '',
  );
  return {
    toolId,
    test: { path: testPath, text: lines.join('\n') },
    toolXml: { path: toolPath, text: galaxyToolXml(c.tool.inputs, c.tool.outputs, toolId, options.title) },
    toolConfLine,
  };
}

function expectationLines(checks: GalaxyChecks): string[] {
  const lines: string[] = [];
  if (checks.pairing !== undefined) lines.push('It also expects each output element of the map-over to hold the result of a job that ran', "on that element's own input elements.");
  if (checks.extractByIcj) lines.push('It also extracts a workflow by the implicit collection jobs id of the map-over and expects', 'an answer without a server error.');
  if (checks.extractOneStep) lines.push("It also extracts a workflow by the jobs' ids and the tool request's id and expects one tool step.");
  if (checks.icjRow) lines.push("It also expects the tool request's execution state to have its implicit collection jobs row,", "holding every job (read through the test driver's app: skipped against a remote Galaxy).");
  if (checks.finding !== undefined) {
    lines.push(
      '',
      `What Galaxy should do: ${docstring(checks.finding.expects)}.`,
      `Expected to FAIL on Galaxy today: ${docstring(checks.finding.failsToday)}.`,
      'It passes once Galaxy is fixed.',
      `The finding: ${docstring(checks.finding.link)} (in cardfuzz's repository).`,
    );
  }
  return lines.length === 0 ? [] : ['', ...lines];
}

/** The axes as a Python literal: `[([(collection id, levels to skip), ...], levels), ...]`. */
function pyAxes(axes: readonly MapOverAxis[]): string {
  return `[${axes.map((a) => `([${a.collections.map((c) => `(${c.hdcaId}, ${c.skip})`).join(', ')}], ${a.levels})`).join(', ')}]`;
}

/** The helper methods the chosen checks call. */
function helperLines(checks: GalaxyChecks, entry: ToolCase["entry"]): string[] {
  const lines: string[] = [];
  if (checks.pairing !== undefined || checks.extractByIcj) {
    lines.push(
      '    def _implicit_output_collections(self, history_id):',
      '        """The output collections of map-overs in the history (those with implicit collection jobs)."""',
      '        found = []',
      '        for content in self._get(f"histories/{history_id}/contents").json():',
      '            if content["history_content_type"] != "dataset_collection":',
      '                continue',
      '            details = self.dataset_populator.get_history_collection_details(history_id, content_id=content["id"])',
      '            if details.get("implicit_collection_jobs_id"):',
      '                found.append(details)',
      '        return found',
      '',
    );
  }
  if (checks.pairing !== undefined) {
    lines.push(
      '    def _element_paths(self, history_id, hdca_id, skip=0):',
      '        """(src, id) of each element and dataset of a collection -> its element path, less the first `skip` levels."""',
      '        paths = {}',
      '',
      '        def walk(elements, prefix):',
      '            for element in elements:',
      '                path = prefix + [element["element_identifier"]]',
      '                paths[("dce", element["id"])] = path[skip:]',
      '                if element["element_type"] == "dataset_collection":',
      '                    walk(element["object"]["elements"], path)',
      '                else:',
      '                    paths[("hda", element["object"]["id"])] = path[skip:]',
      '',
      '        walk(self.dataset_populator.get_history_collection_details(history_id, content_id=hdca_id)["elements"], [])',
      '        return paths',
      '',
      '    def _assert_elements_hold_their_own_results(self, history_id, axes, jobs):',
      '        """Each output element holds the result of a job that ran on its own input elements: an output',
      "        element's path is one path per axis of the map-over, and the job's input element on each axis",
      '        must be the part of the path that axis owns."""',
      '        outputs = {}',
      '        for collection in self._implicit_output_collections(history_id):',
      '            outputs.update(self._element_paths(history_id, collection["id"]))',
      '        axis_paths = [([self._element_paths(history_id, hdca_id, skip) for hdca_id, skip in collections], levels) for collections, levels in axes]',
      '        misplaced = []',
      '        for job in jobs:',
      '            details = self.dataset_populator.get_job_details(job["id"], full=True).json()',
      '            ran_on = [(value.get("src"), value.get("id")) for value in details["inputs"].values()]',
      '            for name, output in details["outputs"].items():',
      '                path = outputs.get((output.get("src"), output.get("id")))',
      '                if path is None:',
      '                    continue',
      '                start = 0',
      '                for paths_by_collection, levels in axis_paths:',
      '                    own = path[start : start + levels]',
      '                    start += levels',
      '                    for paths in paths_by_collection:',
      '                        used = [paths[key] for key in ran_on if key in paths]',
      '                        if used and used[0] != own:',
      '                            element, source = "/".join(path), "/".join(used[0])',
      '                            misplaced.append(f"output {name} element {element} holds the result of job {job[\'id\']}, computed from input element {source}")',
      '        assert not misplaced, "; ".join(misplaced)',
      '',
    );
  }
  if (checks.extractByIcj) {
    lines.push(
      '    def _assert_extraction_by_icj_answers(self, history_id):',
      '        """Extracting a workflow by the implicit collection jobs id of the map-over must not fail with a server error."""',
      '        collections = self._implicit_output_collections(history_id)',
      '        assert collections, "the map-over made no output collection"',
      '        payload = {"workflow_name": "cardfuzz extraction", "implicit_collection_jobs_ids": [collections[0]["implicit_collection_jobs_id"]]}',
      '        response = self._post("workflows/extract", data=payload, json=True)',
      '        assert response.status_code < 500, f"extraction answered {response.status_code}: {response.text}"',
      '',
    );
  }
  if (checks.extractOneStep && entry === 'tool-request') {
    lines.push(
      '    def _assert_extraction_gives_one_step(self, jobs, tool_request_id):',
      "        \"\"\"One tool request is one execution: extracting by its jobs' ids and its id gives one tool step.\"\"\"",
      '        payload = {"workflow_name": "cardfuzz extraction", "job_ids": [job["id"] for job in jobs], "tool_request_ids": [tool_request_id]}',
      '        response = self._post("workflows/extract", data=payload, json=True)',
      '        self._assert_status_code_is(response, 200)',
      '        download = self._get(f"workflows/{response.json()[\'id\']}/download")',
      '        self._assert_status_code_is(download, 200)',
      '        tool_steps = [step for step in download.json()["steps"].values() if step["type"] == "tool"]',
      '        assert len(tool_steps) == 1, f"{len(tool_steps)} tool steps for one tool request: {tool_steps}"',
      '',
    );
  }
  if (checks.icjRow && entry === 'tool-request') {
    lines.push(
      '    def _assert_execution_state_holds_its_jobs(self, tool_request_id):',
      "        \"\"\"The tool request's ToolExecutionState has its ImplicitCollectionJobs row, and it holds every job.\"\"\"",
      '        app = self.driver_or_skip_test_if_remote().app',
      '        session = app.model.session',
      '        tool_request = session.get(app.model.ToolRequest, app.security.decode_id(tool_request_id))',
      '        state = tool_request.tool_execution_state',
      '        assert state is not None, f"tool request {tool_request_id} has no execution state"',
      '        icj = state.implicit_collection_jobs',
      '        assert icj is not None, f"no implicit_collection_jobs row holds execution state {state.id}: its jobs are reachable only through the tool request"',
      '        assert len(icj.jobs) == EXPECTED_JOBS, f"implicit collection jobs {icj.id} holds {len(icj.jobs)} jobs"',
      '',
    );
  }
  return lines;
}

/** Text safe inside a Python triple-quoted docstring. */
/** An API test class's opening: `ApiTestCase`, its populators built in `setUp`, then a blank line. */
export function apiTestClassLines(className: string, populators: readonly ('DatasetPopulator' | 'DatasetCollectionPopulator' | 'WorkflowPopulator')[]): string[] {
  const attribute = { DatasetPopulator: 'dataset_populator', DatasetCollectionPopulator: 'dataset_collection_populator', WorkflowPopulator: 'workflow_populator' } as const;
  return [
    `class ${className}(ApiTestCase):`,
    '    dataset_populator: DatasetPopulator',
    '',
    '    def setUp(self):',
    '        super().setUp()',
    ...populators.map((p) => `        self.${attribute[p]} = ${p}(self.galaxy_interactor)`),
    '',
  ];
}

export function docstring(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('"""', '\\"\\"\\"');
}

/**
 * A Galaxy tool XML with these parameters and outputs. Its command writes
 * every output (a line of text per dataset; collections through
 * `discover_datasets`, nested levels by `identifier_N` groups), so its jobs
 * finish where Galaxy runs them.
 */
export function galaxyToolXml(inputs: readonly ToolInput[], outputs: readonly ToolOutput[], toolId: string, title: string): string {
  return [
    `<tool id="${xmlAttr(toolId)}" name="${xmlAttr(toolId)}" version="1.0.0" profile="24.2">`,
    `    <description>${xmlText(`written by cardfuzz: ${title}`)}</description>`,
    '    <command><![CDATA[',
    ...commandLines(outputs).map((l) => `        ${l}`),
    '    ]]></command>',
    '    <inputs>',
    ...inputs.flatMap((i) => inputXml(i, 8)),
    '    </inputs>',
    '    <outputs>',
    ...outputs.flatMap((o) => outputXml(o, 8)),
    '    </outputs>',
    '    <help>Generated by cardfuzz for a Galaxy API test; it only writes placeholder outputs.</help>',
    '</tool>',
    '',
  ].join('\n');
}

/** One sample element path per level: a list gets one element, a paired both, any other type one. */
function samplePaths(collectionType: string): string[][] {
  let paths: string[][] = [[]];
  for (const level of collectionType.split(':')) {
    const names = level === 'paired' ? ['forward', 'reverse'] : ['e1'];
    paths = paths.flatMap((p) => names.map((n) => [...p, n]));
  }
  return paths;
}

/** The collection type an output's placeholder files are laid out for (`structured_like` and `type_source` outputs: a list). */
function layoutType(output: ToolOutput & { readonly type: 'collection' }): string {
  return output.collection_type ?? 'list';
}

function commandLines(outputs: readonly ToolOutput[]): string[] {
  const lines = ['echo cardfuzz'];
  for (const o of outputs) {
    if (o.type === 'data') lines.push(`&& echo ${o.name} > '$${o.name}'`);
    else if (o.elements !== undefined && o.elements.length > 0) {
      for (const e of o.elements) lines.push(`&& echo ${e.name} > '$${o.name}.${e.name}'`);
    } else {
      lines.push(`&& mkdir -p '${o.name}_out'`);
      for (const path of samplePaths(layoutType(o))) lines.push(`&& echo ${path.join('/')} > '${o.name}_out/${path.join('__')}.txt'`);
    }
  }
  return lines;
}

/** ` name="value"` for each attribute that is set. */
function attrs(values: Readonly<Record<string, string | number | boolean | undefined>>): string {
  return Object.entries(values)
    .filter((e): e is [string, string | number | boolean] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
}

function inputXml(input: ToolInput, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const common = { name: input.name };
  const flag = (b: boolean | undefined): 'true' | undefined => (b ? 'true' : undefined);
  switch (input.type) {
    case 'data':
      return [`${pad}<param${attrs({ ...common, type: 'data', format: input.format ?? 'data', multiple: flag(input.multiple), optional: flag(input.optional), min: input.min, max: input.max, label: input.name })} />`];
    case 'data_collection':
      return [`${pad}<param${attrs({ ...common, type: 'data_collection', collection_type: input.collection_type, format: input.format ?? 'data', optional: flag(input.optional), label: input.name })} />`];
    case 'text':
    case 'integer':
    case 'float':
      return [`${pad}<param${attrs({ ...common, type: input.type, value: input.value, optional: flag(input.optional), label: input.name })} />`];
    case 'boolean':
      return [`${pad}<param${attrs({ ...common, type: 'boolean', checked: input.value ? 'true' : 'false', truevalue: input.truevalue, falsevalue: input.falsevalue, optional: flag(input.optional), label: input.name })} />`];
    case 'select':
      return [
        `${pad}<param${attrs({ ...common, type: 'select', multiple: flag(input.multiple), optional: flag(input.optional), label: input.name })}>`,
        ...input.options.map((o) => `${pad}    <option value="${xmlAttr(o)}"${o === input.value ? ' selected="true"' : ''}>${xmlText(o)}</option>`),
        `${pad}</param>`,
      ];
    case 'hidden':
    case 'baseurl':
    case 'color':
      return [`${pad}<param${attrs({ ...common, type: input.type, value: input.value })} />`];
    case 'data_column':
    case 'group_tag':
      return [`${pad}<param${attrs({ ...common, type: input.type, data_ref: input.data_ref, value: input.value, multiple: flag(input.multiple), optional: flag(input.optional), label: input.name })} />`];
    case 'drill_down':
      return [
        `${pad}<param${attrs({ ...common, type: 'drill_down', multiple: flag(input.multiple), optional: flag(input.optional), label: input.name })}>`,
        `${pad}    <options>`,
        ...input.options.map((o) => `${pad}        <option${attrs({ name: o, value: o })}${o === input.value ? ' selected="true"' : ''} />`),
        `${pad}    </options>`,
        `${pad}</param>`,
      ];
    case 'genomebuild':
      return [`${pad}<param${attrs({ ...common, type: 'genomebuild', value: input.value, multiple: flag(input.multiple), optional: flag(input.optional), label: input.name })} />`];
    case 'conditional':
      return [
        `${pad}<conditional name="${xmlAttr(input.name)}">`,
        ...inputXml(input.test_param, indent + 4),
        ...Object.entries(input.whens).flatMap(([value, inner]) =>
          inner.length === 0 ? [`${pad}    <when value="${xmlAttr(value)}" />`] : [`${pad}    <when value="${xmlAttr(value)}">`, ...inner.flatMap((i) => inputXml(i, indent + 8)), `${pad}    </when>`],
        ),
        `${pad}</conditional>`,
      ];
    case 'repeat':
      return [`${pad}<repeat${attrs({ ...common, title: input.name, min: input.min, max: input.max })}>`, ...input.inputs.flatMap((i) => inputXml(i, indent + 4)), `${pad}</repeat>`];
    case 'section':
      return [`${pad}<section${attrs({ ...common, title: input.name })}>`, ...input.inputs.flatMap((i) => inputXml(i, indent + 4)), `${pad}</section>`];
  }
}

function outputXml(output: ToolOutput, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const filters = [...(output.filter === undefined ? [] : [filterExpression(output.filter)]), ...(output.filters ?? [])].map((f) => `${pad}    <filter>${xmlText(f)}</filter>`);
  const common = { name: output.name, format: output.format ?? (output.format_source === undefined ? 'txt' : undefined), format_source: output.format_source, metadata_source: output.metadata_source, hidden: output.hidden ? 'true' : undefined };
  if (output.type === 'data') {
    return filters.length === 0 ? [`${pad}<data${attrs(common)} />`] : [`${pad}<data${attrs(common)}>`, ...filters, `${pad}</data>`];
  }
  const open = `${pad}<collection${attrs({ name: output.name, type: output.collection_type, structured_like: output.structured_like, type_source: output.type_source, inherit_format: output.inherit_format ? 'true' : undefined, format: output.format, label: output.name })}>`;
  if (output.elements !== undefined && output.elements.length > 0) {
    return [open, ...output.elements.map((e) => `${pad}    <data${attrs({ name: e.name, format: e.format ?? 'txt' })} />`), ...filters, `${pad}</collection>`];
  }
  const depth = layoutType(output).split(':').length;
  const pattern = `${Array.from({ length: depth }, (_, i) => `(?P<identifier_${i}>[^_]+)`).join('__')}\\.txt`;
  return [open, `${pad}    <discover_datasets${attrs({ pattern, directory: `${output.name}_out`, format: 'txt' })} />`, ...filters, `${pad}</collection>`];
}

/** An output filter as the Python expression Galaxy's `<filter>` evaluates (`cond|mode` is `cond['mode']`). */
function filterExpression(filter: NonNullable<ToolOutput['filter']>): string {
  const [head, ...rest] = filter.param.split('|');
  const ref = `${head}${rest.map((r) => `[${pyRepr(r)}]`).join('')}`;
  return filter.equals !== undefined ? `${ref} == ${pyRepr(filter.equals)}` : `${ref} != ${pyRepr(filter.not_equals!)}`;
}

function pyRepr(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

function xmlAttr(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function xmlText(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function describeInputs(inputs: readonly ToolInput[]): string {
  return inputs
    .map((i) => {
      if (i.type === 'section' || i.type === 'repeat') return `${i.name} (${i.type} of ${describeInputs(i.inputs)})`;
      if (i.type === 'conditional') return `${i.name} (conditional on ${i.test_param.name}: ${Object.entries(i.whens).map(([k, v]) => `${k} -> ${describeInputs(v) || 'nothing'}`).join('; ')})`;
      if (i.type === 'data_collection') return `${i.name} (data_collection ${i.collection_type})`;
      if (i.type === 'data') return `${i.name} (data${i.multiple ? ', multiple' : ''}${i.optional ? ', optional' : ''})`;
      return `${i.name} (${i.type})`;
    })
    .join(', ');
}

/** Fetch API elements for a collection: pasted datasets, nested elements for inner collections. */
export function fetchElements(collection: NestedCollection): unknown[] {
  return collection.elements.map((e) =>
    'dataset' in e ? { name: e.identifier, src: 'pasted', paste_content: `dataset ${e.dataset}\n`, ext: 'txt' } : { name: e.identifier, elements: fetchElements(e.collection) },
  );
}

export function pyString(s: string): string {
  return JSON.stringify(s);
}

/** JSON as a Python literal. */
export function pyLiteral(value: JsonValue, indent: number): string {
  return render(value, indent, () => null);
}

/** The request with dataset and collection ids replaced by the ids the test created. */
export function pyInputs(value: JsonValue, indent: number): string {
  return render(value, indent, (object) => {
    if (typeof object['src'] !== 'string' || typeof object['id'] !== 'number') return null;
    const id = object['id'];
    const extra = Object.entries(object)
      .filter(([k]) => k === 'map_over_type')
      .map(([k, v]) => `, ${pyString(k)}: ${pyString(String(v))}`)
      .join('');
    if (object['src'] === 'hda') return `{"src": "hda", "id": hda[${id}]${extra}}`;
    if (object['src'] === 'hdca') return `{"src": "hdca", "id": hdca[${id}]${extra}}`;
    const path = Array.isArray(object['element_path']) ? object['element_path'] : [];
    return `{"src": "dce", "id": self._dce(history_id, hdca[${id}], ${pyLiteral(path as JsonValue, 0)})${extra}}`;
  });
}

function render(value: JsonValue, indent: number, special: (object: { readonly [key: string]: JsonValue }) => string | null): string {
  const pad = ' '.repeat(indent);
  const inner = ' '.repeat(indent + 4);
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${inner}${render(v, indent + 4, special)},`).join('\n')}\n${pad}]`;
  }
  if (!isJsonObject(value)) return 'None';
  const replaced = special(value);
  if (replaced !== null) return replaced;
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${pyString(k)}: ${render(v as JsonValue, indent + 4, special)},`).join('\n')}\n${pad}}`;
}
