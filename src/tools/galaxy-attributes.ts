import { fail, type JsonObject } from '../model/json-checks.js';

/**
 * Where a key of a tool description sits. The same names serve the three
 * readers: a case file's `tool`, Galaxy tool XML attributes, and the JSON of
 * Galaxy's `GET /api/tools/{id}?io_details=true` (`Tool.to_dict` with
 * `io_details`, `ToolParameter.to_dict` and its subclasses in
 * lib/galaxy/tools/parameters/basic.py, `Group.to_dict` in grouping.py,
 * `ToolOutput.to_dict` / `ToolOutputCollection.to_dict` in
 * lib/galaxy/tool_util/parser/output_objects.py).
 */
export type KeyScope =
  | 'tool'
  | 'param' // every parameter
  | 'data'
  | 'data_collection'
  | 'text'
  | 'integer'
  | 'float'
  | 'boolean'
  | 'select' // select and the select-like kinds (data_column, genomebuild, group_tag, drill_down)
  | 'conditional'
  | 'when'
  | 'repeat'
  | 'section'
  | 'output' // data and collection outputs
  | 'data_output'
  | 'collection_output'
  | 'structure' // an output collection's `structure` (API JSON)
  | 'discover'; // a <discover_datasets>

interface IgnoredKey {
  readonly key: string;
  readonly on: readonly KeyScope[];
  /** Why it cannot change how many jobs or implicit collections Galaxy makes. */
  readonly why: string;
}

/**
 * THE list of Galaxy attributes that are accepted and ignored because they
 * cannot change cardinality. A key that is neither modelled by the reader nor
 * listed here is refused, with a "did you mean". Keep each reason honest: an
 * attribute that can change job or collection counts belongs in the model (or
 * in an approximation note), never here.
 */
export const IGNORED_GALAXY_ATTRIBUTES: readonly IgnoredKey[] = [
  // --- what Galaxy shows people -------------------------------------------------------------
  { key: 'label', on: ['param', 'conditional', 'repeat', 'section', 'output'], why: 'display text' },
  { key: 'help', on: ['tool', 'param', 'conditional', 'repeat', 'section'], why: 'display text' },
  { key: 'title', on: ['repeat', 'section'], why: 'display text' },
  { key: 'name', on: ['tool'], why: "the tool's display name; the id identifies it" },
  { key: 'description', on: ['tool'], why: 'display text' },
  { key: 'expanded', on: ['section'], why: 'whether the form shows the section open' },
  { key: 'display', on: ['select', 'tool'], why: 'widget style (radio, checkboxes) or the form layout' },
  { key: 'size', on: ['text', 'integer', 'float'], why: 'widget width' },
  { key: 'area', on: ['text', 'integer', 'float'], why: 'a multi-line text box; the value is the same string' },
  { key: 'datalist', on: ['text', 'integer', 'float'], why: 'suggested values; any string is still accepted' },
  { key: 'textable', on: ['select'], why: 'whether the form may offer free text in a workflow editor' },
  { key: 'refresh_on_change', on: ['param'], why: 'the form re-renders; the request is unchanged' },
  { key: 'text_value', on: ['param'], why: 'display text of the value (tool build JSON)' },
  { key: 'hidden', on: ['tool', 'param'], why: 'hidden from the tool panel or the form; the request and the job are the same' },
  { key: 'is_dynamic', on: ['param'], why: 'says the options come from the server (read as a dynamic select); for other kinds the served value is what is read' },
  { key: 'model_class', on: ['tool', 'param', 'conditional', 'repeat', 'section', 'when', 'output'], why: "Galaxy's Python class name; the reader checks it agrees with the type" },
  { key: 'argument', on: ['param'], why: 'the command-line flag; only used to derive a missing name' },
  // --- tool-level annotations ----------------------------------------------------------------
  { key: 'labels', on: ['tool'], why: 'tool panel labels' },
  { key: 'edam_operations', on: ['tool'], why: 'annotation' },
  { key: 'edam_topics', on: ['tool'], why: 'annotation' },
  { key: 'xrefs', on: ['tool'], why: 'annotation' },
  { key: 'tool_shed_repository', on: ['tool'], why: 'where the tool was installed from' },
  { key: 'config_file', on: ['tool'], why: "the XML file's path on the server" },
  { key: 'link', on: ['tool'], why: 'URL of the tool form' },
  { key: 'min_width', on: ['tool'], why: 'form width' },
  { key: 'target', on: ['tool'], why: 'form frame' },
  { key: 'icon', on: ['tool'], why: 'tool panel icon' },
  { key: 'panel_section_id', on: ['tool'], why: 'tool panel placement' },
  { key: 'panel_section_name', on: ['tool'], why: 'tool panel placement' },
  { key: 'form_style', on: ['tool'], why: 'regular or special form' },
  { key: 'is_workflow_compatible', on: ['tool'], why: 'whether the workflow editor offers the tool' },
  { key: 'workflow_compatible', on: ['tool'], why: 'whether the workflow editor offers the tool' },
  { key: 'profile', on: ['tool'], why: 'the Galaxy release whose defaults the tool asks for; no default that changes expansion or matching depends on it' },
  { key: 'license', on: ['tool'], why: 'annotation' },
  { key: 'creator', on: ['tool'], why: 'annotation' },
  { key: 'citations', on: ['tool'], why: 'annotation' },
  { key: 'requirements', on: ['tool'], why: 'software the job needs' },
  { key: 'python_template_version', on: ['tool'], why: 'Cheetah templating of the command line' },
  { key: 'display_interface', on: ['tool'], why: 'how the tool form is shown' },
  { key: 'require_login', on: ['tool'], why: 'who may run it, not what a run makes' },
  { key: 'force_history_refresh', on: ['tool'], why: 'the history panel reloads after the run' },
  { key: 'version_string_cmd', on: ['tool'], why: 'how the tool reports its version' },
  { key: 'sharable_url', on: ['tool'], why: 'tool build JSON: a link' },
  { key: 'versions', on: ['tool'], why: 'tool build JSON: the other installed versions' },
  { key: 'state_inputs', on: ['tool'], why: 'tool build JSON: the form state, not the tool' },
  { key: 'errors', on: ['tool'], why: 'tool build JSON: form validation messages' },
  { key: 'warnings', on: ['tool'], why: 'tool build JSON: form messages' },
  { key: 'message', on: ['tool'], why: 'tool build JSON: form message' },
  { key: 'tool_errors', on: ['tool'], why: 'tool build JSON: load messages' },
  { key: 'job_id', on: ['tool'], why: 'tool build JSON: the job being re-run' },
  { key: 'job_remap', on: ['tool'], why: "tool build JSON: the form's remap offer" },
  { key: 'history_id', on: ['tool'], why: 'tool build JSON: the form history' },
  { key: 'action', on: ['tool'], why: 'tool build JSON: the form target' },
  { key: 'method', on: ['tool'], why: 'tool build JSON: the form method' },
  { key: 'enctype', on: ['tool'], why: 'tool build JSON: the form encoding' },
  // --- parameters ----------------------------------------------------------------------------
  { key: 'default_value', on: ['param'], why: 'tool build JSON: a copy of the initial value' },
  { key: 'min', on: ['integer', 'float'], why: 'range of a scalar value; cardfuzz sends the default value' },
  { key: 'max', on: ['integer', 'float'], why: 'range of a scalar value; cardfuzz sends the default value' },
  { key: 'format', on: ['text', 'integer', 'float', 'boolean', 'select'], why: 'Galaxy reads format only on data parameters' },
  { key: 'rgb', on: ['text'], why: 'color: the value is sent as r,g,b instead of #rrggbb, still one value' },
  { key: 'edam', on: ['data', 'data_collection'], why: 'annotation of the accepted datatypes' },
  { key: 'tag', on: ['data', 'data_collection'], why: 'preselects history items by tag in the form; a request names its items' },
  {
    key: 'options',
    on: ['data', 'data_collection'],
    why: "the items of one history that matched when Galaxy served the JSON; a case's history is its own",
  },
  { key: 'multiple', on: ['data_collection'], why: 'Galaxy always serves false for a collection parameter (DataCollectionToolParameter.multiple)' },
  { key: 'load_contents', on: ['data'], why: 'reads the first bytes of the dataset into the parameter' },
  { key: 'no_validation', on: ['data'], why: 'skips the metadata validator' },
  { key: 'allow_uri_if_protocol', on: ['data', 'data_collection'], why: 'lets a URI stand for a dataset; the request decides whether one is sent' },
  { key: 'value', on: ['data', 'data_collection'], why: 'the form default selection; a request names its items' },
  { key: 'numerical', on: ['select'], why: 'data_column: only numeric columns are offered' },
  { key: 'use_header_names', on: ['select'], why: 'data_column: option labels' },
  { key: 'accept_default', on: ['select'], why: 'data_column: a default column when none is given' },
  { key: 'force_select', on: ['select'], why: 'the form forces a choice' },
  { key: 'dynamic_options', on: ['select'], why: 'code that computes the options: read as a dynamic select' },
  { key: 'from_file', on: ['select'], why: 'options read from a file: read as a dynamic select' },
  { key: 'from_dataset', on: ['select'], why: 'options read from a dataset: read as a dynamic select' },
  { key: 'from_data_table', on: ['select'], why: 'options read from a data table: read as a dynamic select' },
  { key: 'from_parameter', on: ['select'], why: 'options read from another parameter: read as a dynamic select' },
  { key: 'options_filter_attribute', on: ['select'], why: 'how dynamic options are filtered' },
  { key: 'hierarchy', on: ['select'], why: 'drill_down: how options nest' },
  { key: 'separator', on: ['select'], why: 'how a multiple value is joined on the command line; still one value' },
  { key: 'group', on: ['select'], why: 'group_tag: which tag group the options come from' },
  { key: 'cache', on: ['repeat'], why: 'tool build JSON: the form state of each repeat instance' },
  { key: 'default', on: ['repeat'], why: 'how many instances the form starts with; a request gives its own' },
  // --- outputs -------------------------------------------------------------------------------
  { key: 'default_identifier_source', on: ['output'], why: 'element identifier of a discovered dataset' },
  { key: 'parent', on: ['data_output'], why: 'legacy child datasets; not a collection' },
  { key: 'count', on: ['data_output'], why: 'legacy: always one output dataset' },
  { key: 'from_work_dir', on: ['output'], why: 'which file of the job becomes the output' },
  { key: 'edam_format', on: ['data_output'], why: 'annotation' },
  { key: 'edam_data', on: ['data_output'], why: 'annotation' },
  { key: 'actions', on: ['output'], why: 'set metadata or datatype of an output after the job' },
  { key: 'change_format', on: ['output'], why: 'changes the datatype of an output' },
  { key: 'auto_format', on: ['data_output'], why: 'datatype sniffed after the job' },
  { key: 'precreate_directory', on: ['data_output'], why: 'the job gets a directory for the output' },
  { key: 'from', on: ['output'], why: "an expression tool's output is taken from its expression result" },
  { key: 'default_format', on: ['collection_output'], why: 'datatype of the elements' },
  { key: 'default_format_source', on: ['collection_output'], why: 'datatype of the elements from an input' },
  { key: 'default_metadata_source', on: ['collection_output'], why: 'metadata of the elements from an input' },
  { key: 'inherit_metadata', on: ['collection_output'], why: 'metadata of the elements from the input elements' },
  { key: 'sort_comp', on: ['discover'], why: 'how discovered elements are ordered' },
  { key: 'discover_via', on: ['discover'], why: 'Galaxy JSON: pattern or tool_provided_metadata (the latter read as from_provided_metadata)' },
  { key: 'collection_type_from_rules', on: ['collection_output', 'structure'], why: 'the rules tool names its output type; read with the type it gives' },
];

const BY_SCOPE = new Map<KeyScope, Map<string, string>>();
for (const entry of IGNORED_GALAXY_ATTRIBUTES) {
  for (const scope of entry.on) {
    let keys = BY_SCOPE.get(scope);
    if (keys === undefined) BY_SCOPE.set(scope, (keys = new Map()));
    keys.set(entry.key, entry.why);
  }
}

/** Why `key` is ignored in any of `scopes`, or undefined when it is not on the list there. */
export function ignoredBecause(key: string, scopes: readonly KeyScope[]): string | undefined {
  for (const scope of scopes) {
    const why = BY_SCOPE.get(scope)?.get(key);
    if (why !== undefined) return why;
  }
  return undefined;
}

/** The ignored keys of these scopes. */
export function ignoredKeys(scopes: readonly KeyScope[]): string[] {
  return [...new Set(scopes.flatMap((s) => [...(BY_SCOPE.get(s)?.keys() ?? [])]))];
}

/** Levenshtein distance, small strings only. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The closest candidate to `key`, when one is close enough to be a likely typo. */
export function didYouMean(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/**
 * Refuses a key that is neither modelled nor on the ignored list for these
 * scopes, naming the closest known key. `modelled` are the keys the reader
 * reads at this place. With `onUnknown`, such a key is passed to it instead
 * of being refused.
 */
export function checkGalaxyKeys(object: JsonObject, modelled: readonly string[], scopes: readonly KeyScope[], path: string, onUnknown?: (key: string) => void): void {
  for (const key of Object.keys(object)) {
    if (modelled.includes(key) || ignoredBecause(key, scopes) !== undefined) continue;
    if (onUnknown !== undefined) {
      onUnknown(key);
      continue;
    }
    const known = [...modelled, ...ignoredKeys(scopes)];
    const guess = didYouMean(key, known);
    fail(path, `unknown field "${key}"${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; it is neither modelled nor on the list of Galaxy attributes that cannot change cardinality (src/tools/galaxy-attributes.ts)`);
  }
}
