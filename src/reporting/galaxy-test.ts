import { InvalidInputError } from '../errors.js';
import type { Case, JsonValue } from '../model/case.js';
import type { NestedCollection } from '../model/history.js';
import { isJsonObject } from '../model/json-checks.js';
import type { ToolInput } from '../model/tool.js';

/**
 * A case as a pytest in the style of Galaxy's API tests (lib/galaxy_test/api):
 * an ApiTestCase that builds the history with the dataset and collection
 * populators (collections through the fetch API, any nesting), submits the
 * request through the tool request API (`tool_request_raw`, POST /api/jobs)
 * or the legacy API (`run_tool_raw`, POST /api/tools), and asserts that it is
 * submitted with the jobs the model expects.
 */
export function galaxyApiTest(c: Case, options: { readonly title: string; readonly fingerprint: string; readonly expectedJobs: number }): string {
  if (c.entry === 'workflow-step') {
    throw new InvalidInputError('export --format galaxy-test covers tool-request and legacy cases; a workflow-step case needs a workflow invocation');
  }
  const className = `TestCardfuzz${options.fingerprint.replace(/[^A-Za-z0-9]/g, '')}`;
  const { toolId, note } = suggestTool(c.tool.inputs);
  const lines: string[] = [
    `"""cardfuzz case ${options.fingerprint}: ${options.title.replaceAll('"""', "'''")}`,
    '',
    `Reproduces the case against a running Galaxy through ${c.entry === 'tool-request' ? 'the tool request API (POST /api/jobs)' : 'the legacy tool API (POST /api/tools)'}.`,
    `TOOL_ID must name a tool with these inputs: ${describeInputs(c.tool.inputs)}.`,
    note,
    '"""',
    '',
    'from galaxy_test.base.populators import (',
    '    DatasetCollectionPopulator,',
    '    DatasetPopulator,',
    '    skip_without_tool,',
    ')',
    '',
    'from ._framework import ApiTestCase',
    '',
    `TOOL_ID = ${pyString(toolId)}`,
    `EXPECTED_JOBS = ${options.expectedJobs}`,
    '',
    '',
    `class ${className}(ApiTestCase):`,
    '    dataset_populator: DatasetPopulator',
    '',
    '    def setUp(self):',
    '        super().setUp()',
    '        self.dataset_populator = DatasetPopulator(self.galaxy_interactor)',
    '        self.dataset_collection_populator = DatasetCollectionPopulator(self.galaxy_interactor)',
    '',
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
    lines.push(`            hdca[${collection.id}] = self._fetch_collection(history_id, ${pyString(collection.collection_type)}, ${pyLiteral(fetchElements(collection) as JsonValue, 16)})`);
  }
  lines.push(`            inputs = ${pyInputs(c.request as JsonValue, 12)}`);
  if (c.entry === 'tool-request') {
    lines.push(
      '            response = self.dataset_populator.tool_request_raw(TOOL_ID, inputs, history_id)',
      '            self._assert_status_code_is(response, 200)',
      '            tool_request_id = response.json()["tool_request_id"]',
      '            submitted = self.dataset_populator.wait_on_tool_request(tool_request_id)',
      '            tool_request = self.dataset_populator.get_tool_request(tool_request_id)',
      '            assert submitted, f"tool request {tool_request_id} ended {tool_request[\'state\']}: {tool_request.get(\'state_message\')}"',
      '            assert len(tool_request["jobs"]) == EXPECTED_JOBS, tool_request["jobs"]',
    );
  } else {
    lines.push(
      '            response = self.dataset_populator.run_tool_raw(TOOL_ID, inputs, history_id)',
      '            self._assert_status_code_is(response, 200)',
      '            assert len(response.json()["jobs"]) == EXPECTED_JOBS, response.json()["jobs"]',
    );
  }
  lines.push(
    '',
    '    def _fetch_collection(self, history_id, collection_type, elements):',
    '        payload = {',
    '            "history_id": history_id,',
    '            "targets": [{"destination": {"type": "hdca"}, "collection_type": collection_type, "elements": elements}],',
    '        }',
    '        return self.dataset_populator.fetch(payload, wait=True).json()["output_collections"][0]["id"]',
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
  return lines.join('\n');
}

function suggestTool(inputs: readonly ToolInput[]): { toolId: string; note: string } {
  const [only] = inputs;
  if (inputs.length === 1 && only?.name === 'input1' && only.type === 'data' && !only.multiple) {
    return { toolId: 'cat1', note: "Galaxy's cat1 fits: a data input input1 (and an optional repeat)." };
  }
  if (inputs.length === 1 && only?.name === 'input1' && only.type === 'data_collection' && only.collection_type === 'list') {
    return { toolId: 'collection_creates_list', note: "Galaxy's test tool collection_creates_list fits: a list input input1." };
  }
  return { toolId: 'REPLACE_WITH_A_TOOL_ID', note: 'No Galaxy test tool is known to match; set TOOL_ID to one that does (the test skips until then).' };
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
function fetchElements(collection: NestedCollection): unknown[] {
  return collection.elements.map((e) =>
    'dataset' in e ? { name: e.identifier, src: 'pasted', paste_content: `dataset ${e.dataset}\n`, ext: 'txt' } : { name: e.identifier, elements: fetchElements(e.collection) },
  );
}

function pyString(s: string): string {
  return JSON.stringify(s);
}

/** JSON as a Python literal. */
function pyLiteral(value: JsonValue, indent: number): string {
  return render(value, indent, () => null);
}

/** The request with dataset and collection ids replaced by the ids the test created. */
function pyInputs(value: JsonValue, indent: number): string {
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
