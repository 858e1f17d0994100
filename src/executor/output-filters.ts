import type { ExpansionSuccess, ParamValue } from '../expansion/expansion.js';
import type { History, NestedCollection } from '../model/history.js';
import type { OutputFilter, ScalarInput, Tool, ToolInput, ToolOutput } from '../model/tool.js';
import { whenKey } from '../model/tool.js';
import { evaluatePython, parsePython, truthy, type PyDict, type PyObject, type PyValue } from './python-subset.js';

/**
 * Galaxy's `filter_output` (tools/execution_helpers.py): an output is not
 * created when any of its `<filter>`s evaluates false; a filter whose `eval`
 * raises is skipped (logged), so it keeps the output. The parameters are those
 * of the first combination (execute.py `precreate_output_collections` uses
 * `example_params`, the first parameter combination; a job's own outputs use
 * its `incoming`), or the request's own values when there is no combination.
 *
 * Galaxy's parameters are plain dicts for conditionals and sections (with
 * `__current_case__`), lists for repeats, Python bools for booleans (not
 * their truevalue), strings for selects and data columns, and dataset
 * objects for data inputs: `input.ext` reads the history dataset's
 * `extension`. A filter outside cardfuzz's Python subset, or one that reads a
 * dataset attribute the history does not give, keeps the output; the former
 * is reported by `filterApproximations` when the tool is read.
 */
export function activeOutputs(tool: Tool, expansion: ExpansionSuccess, history?: History): ToolOutput[] {
  if (!tool.outputs.some((o) => o.filter !== undefined || o.filters !== undefined)) return [...tool.outputs];
  const example: readonly (ParamValue | null)[] = expansion.combinations[0] ?? expansion.template;
  let scope: Map<string, PyValue> | null = null;
  return tool.outputs.filter((output) => {
    if (output.filter !== undefined && !filterKeeps(output.filter, expansion, example)) return false;
    if (output.filters === undefined) return true;
    scope ??= filterScope(tool, expansion, example, history);
    return output.filters.every((text) => galaxyFilterKeeps(text, scope!));
  });
}

/** One Galaxy `<filter>` text: false removes the output; an error, an unknown or an unsupported expression keeps it. */
export function galaxyFilterKeeps(text: string, scope: ReadonlyMap<string, PyValue>): boolean {
  const expr = parsePython(text);
  if (expr === null) return true;
  const result = evaluatePython(expr, scope);
  return 'value' in result ? truthy(result.value) : true;
}

/**
 * The approximations a tool's filters carry: one line per `<filter>` outside
 * cardfuzz's Python subset (kept as always true). Readers turn these into the
 * notes printed when a tool is loaded.
 */
export function filterApproximations(tool: Tool): string[] {
  const notes: string[] = [];
  for (const output of tool.outputs) {
    for (const text of output.filters ?? []) {
      if (parsePython(text) === null) notes.push(`output "${output.name}": filter "${text}" is outside the Python subset cardfuzz evaluates; the output is always kept`);
    }
  }
  return notes;
}

function filterKeeps(filter: OutputFilter, expansion: ExpansionSuccess, example: readonly (ParamValue | null)[]): boolean {
  const index = expansion.params.findIndex((p) => p.key === filter.param);
  if (index < 0) return true;
  const value = example[index];
  // A batched parameter's template is the Batch itself, which equals no scalar.
  const same = value?.kind === 'scalar' && String(value.value) === String(filter.equals ?? filter.not_equals);
  return filter.equals !== undefined ? same : !same;
}

/** The job parameters as the filter's `eval` sees them, nested along the tool's inputs. */
export function filterScope(tool: Tool, expansion: ExpansionSuccess, example: readonly (ParamValue | null)[], history?: History): Map<string, PyValue> {
  const byKey = new Map<string, { value: ParamValue | null; input: ExpansionSuccess['params'][number]['input'] }>();
  expansion.params.forEach((p, i) => {
    if (!p.undeclared) byKey.set(p.key, { value: example[i] ?? null, input: p.input });
  });
  const datasets = new Map((history?.datasets ?? []).map((d) => [d.id, d]));
  const toPy = (value: ParamValue | null, input: ScalarInput | ExpansionSuccess['params'][number]['input']): PyValue => {
    if (value === null) return null; // a batched value without combinations
    switch (value.kind) {
      case 'none':
        return null;
      case 'scalar': {
        const v = value.value;
        const multiple = (input.type === 'select' || input.type === 'data_column' || input.type === 'genomebuild' || input.type === 'group_tag') && input.multiple === true;
        if (multiple && typeof v === 'string') return v === '' ? [] : v.split(',');
        return v;
      }
      case 'dataset':
        return datasetObject(value.datasetId, datasets, value.element?.elementPath.at(-1));
      case 'collection':
        return collectionObject(value.collection, value.elementPath.at(-1));
      case 'list':
        return value.items.map((item) => toPy(item, input));
    }
  };
  const level = (inputs: readonly ToolInput[], prefix: string): Map<string, PyValue> => {
    const out = new Map<string, PyValue>();
    for (const input of inputs) {
      const key = `${prefix}${input.name}`;
      switch (input.type) {
        case 'conditional': {
          const testKey = `${key}|${input.test_param.name}`;
          const test = byKey.get(testKey);
          if (test === undefined) break;
          const entries = new Map<string, PyValue>();
          const testValue = test.value?.kind === 'scalar' ? test.value.value : input.test_param.value;
          entries.set(input.test_param.name, toPy(test.value, input.test_param));
          const caseKey = whenKey(testValue, input.test_param);
          const caseIndex = Object.keys(input.whens).indexOf(caseKey);
          if (caseIndex >= 0) entries.set('__current_case__', caseIndex);
          for (const [k, v] of level(input.whens[caseKey] ?? [], `${key}|`)) entries.set(k, v);
          out.set(input.name, dict(entries));
          break;
        }
        case 'section':
          out.set(input.name, dict(level(input.inputs, `${key}|`)));
          break;
        case 'repeat': {
          const instances: PyValue[] = [];
          let count = 0;
          for (const k of byKey.keys()) {
            if (!k.startsWith(`${key}_`)) continue;
            const index = Number(k.slice(key.length + 1).split('|')[0]);
            if (Number.isInteger(index)) count = Math.max(count, index + 1);
          }
          for (let i = 0; i < count; i++) instances.push(dict(level(input.inputs, `${key}_${i}|`)));
          out.set(input.name, instances);
          break;
        }
        default: {
          const entry = byKey.get(key);
          if (entry !== undefined) out.set(input.name, toPy(entry.value, entry.input));
        }
      }
    }
    return out;
  };
  return level(tool.inputs, '');
}

function dict(entries: Map<string, PyValue>): PyDict {
  return { kind: 'dict', entries };
}

/** An HDA as a filter sees it: `ext`/`extension`, `dbkey`, `name`, `state`, `deleted`, `element_identifier`. */
function datasetObject(id: number, datasets: ReadonlyMap<number, History['datasets'][number]>, identifier: string | undefined): PyObject {
  const d = datasets.get(id);
  const attributes = new Map<string, PyValue | undefined>([
    ['ext', d?.extension],
    ['extension', d?.extension],
    ['dbkey', d?.dbkey ?? '?'],
    ['name', undefined],
    ['state', d?.state ?? 'ok'],
    ['deleted', d?.deleted ?? false],
    ['id', id],
  ]);
  if (identifier !== undefined) attributes.set('element_identifier', identifier);
  return { kind: 'object', type: 'HistoryDatasetAssociation', attributes, ...(d?.extension === undefined ? {} : { extension: d.extension }) };
}

function collectionObject(collection: NestedCollection, identifier: string | undefined): PyObject {
  const inner: PyObject = {
    kind: 'object',
    type: 'DatasetCollection',
    attributes: new Map<string, PyValue | undefined>([
      ['collection_type', collection.collection_type],
      ['element_count', collection.elements.length],
    ]),
  };
  const attributes = new Map<string, PyValue | undefined>([
    ['collection', inner],
    ['name', undefined],
  ]);
  if (identifier !== undefined) {
    attributes.set('element_identifier', identifier);
    attributes.set('child_collection', inner);
  }
  return { kind: 'object', type: identifier === undefined ? 'HistoryDatasetCollectionAssociation' : 'DatasetCollectionElement', attributes };
}
