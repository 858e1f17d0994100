import type { Case } from '../model/case.js';
import { leafDatasets, type CollectionElement, type History, type NestedCollection } from '../model/history.js';
import { resolveRef, toDataRef } from '../model/request-references.js';
import { isJsonObject } from '../model/json-checks.js';
import { nestLegacyKeys } from '../model/request-walk.js';
import { whenKey, type ToolInput } from '../model/tool.js';

/**
 * Domain-level simplifications of a case, used after fast-check's shrinking
 * to reach the smallest case that still fails the same way (fast-check can
 * only shrink within the generator's structure; these edits cross it: a
 * collection parameter becomes a data parameter, a section is dissolved, an
 * entry point becomes the tool request API). Each edit returns a new case or
 * null when it does not apply; whether it still fails is the caller's test.
 */

// Cases are mutated only on deep copies made here.
type Mutable = { [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

export type CaseEdit = {
  readonly label: string;
  /** Whether the edit changes the tool itself (not allowed when the tool is a real one, read from XML). */
  readonly changesTool?: boolean;
  apply(c: Case): Case | null;
};

function copy(c: Case): Mutable {
  return JSON.parse(JSON.stringify(c)) as Mutable;
}

interface Level {
  readonly inputs: ToolInput[];
  readonly requests: Mutable[];
}

/** Every parameter level of a (copied) case: the inputs array and the request objects that fill it. */
function levels(c: Mutable): Level[] {
  const out: Level[] = [];
  const walk = (inputs: ToolInput[], requests: Mutable[]): void => {
    out.push({ inputs, requests });
    for (const input of inputs) {
      if (input.type === 'section') {
        walk(input.inputs as ToolInput[], requests.map((r) => (isJsonObject(r[input.name]) ? r[input.name] : (r[input.name] = {}))));
      } else if (input.type === 'conditional') {
        for (const [key, whenInputs] of Object.entries(input.whens)) {
          const active = requests
            .filter((r) => isJsonObject(r[input.name]) && whenKey((r[input.name][input.test_param.name] ?? input.test_param.value) as string | boolean) === key)
            .map((r) => r[input.name] as Mutable);
          walk(whenInputs as ToolInput[], active);
        }
      } else if (input.type === 'repeat') {
        walk(input.inputs as ToolInput[], requests.flatMap((r) => (Array.isArray(r[input.name]) ? (r[input.name] as Mutable[]).filter(isJsonObject) : [])));
      }
    }
  };
  walk(c['tool'].inputs, [c['request']]);
  return out;
}

function levelEdit(label: string, levelIndex: number, inputIndex: number, mutate: (level: Level, input: ToolInput, c: Mutable) => boolean, changesTool = false): CaseEdit {
  return {
    label,
    changesTool,
    apply(c) {
      const m = copy(c);
      const level = levels(m)[levelIndex];
      const input = level?.inputs[inputIndex];
      if (level === undefined || input === undefined) return null;
      return mutate(level, input, m) ? (m as Case) : null;
    },
  };
}

function nextId(items: readonly { id: number }[]): number {
  return items.reduce((max, item) => Math.max(max, item.id), 0) + 1;
}

/** Replaces every collection reference inside a value by a reference to a new dataset. */
function collectionRefsToDatasets(value: unknown, c: Mutable): unknown {
  if (Array.isArray(value)) return value.map((v) => collectionRefsToDatasets(v, c));
  if (!isJsonObject(value)) return value;
  if ('src' in value) {
    if (value['src'] === 'hda') return value;
    const id = nextId(c['history'].datasets);
    c['history'].datasets.push({ id });
    return { src: 'hda', id };
  }
  const out: Mutable = {};
  for (const [k, v] of Object.entries(value)) out[k] = collectionRefsToDatasets(v, c);
  return out;
}

/** All edits that could apply to a case, most reducing first. */
export function caseEdits(c: Case): CaseEdit[] {
  const edits: CaseEdit[] = [];
  if (c.entry !== 'tool-request') {
    edits.push({
      label: 'use the tool request API',
      apply(x) {
        const m = copy(x);
        const nested = x.entry === 'legacy' ? nestLegacyKeys(x.tool.inputs, x.request) : m['request'];
        m['request'] = legacyBatchesToBatches(nested);
        m['entry'] = 'tool-request';
        delete m['step'];
        return m as Case;
      },
    });
  }
  if (c.entry === 'legacy') edits.push({ label: 'nest legacy keys', apply: (x) => ({ ...x, request: nestLegacyKeys(x.tool.inputs, x.request) as Case['request'] }) });
  if (c.step !== undefined) edits.push({ label: 'schedule the step at once, validated', apply: ({ step: _s, ...rest }) => rest });
  if (c.rerun_remap_job_id !== undefined) edits.push({ label: 'drop rerun_remap_job_id', apply: ({ rerun_remap_job_id: _r, ...rest }) => rest });
  if (c.tool.tool_type !== undefined) edits.push({ label: 'a regular tool', changesTool: true, apply: (x) => ({ ...x, tool: (({ tool_type: _t, ...t }) => t)(x.tool) }) });
  c.tool.outputs.forEach((o, i) => {
    edits.push({ label: `remove output ${o.name}`, changesTool: true, apply: (x) => ({ ...x, tool: { ...x.tool, outputs: x.tool.outputs.filter((_, j) => j !== i) } }) });
    if (o.filter !== undefined) edits.push({ label: `unfilter output ${o.name}`, changesTool: true, apply: (x) => ({ ...x, tool: { ...x.tool, outputs: x.tool.outputs.map((out, j) => (j === i ? (({ filter: _f, ...rest }) => rest)(out) : out)) } }) });
  });
  const probe = copy(c);
  levels(probe).forEach((level, li) => {
    level.inputs.forEach((input, ii) => {
      edits.push(
        levelEdit(`remove parameter ${input.name}`, li, ii, (lv, inp) => {
          lv.inputs.splice(ii, 1);
          for (const r of lv.requests) delete r[inp.name];
          return true;
        }, true),
      );
      if (input.type === 'section' || input.type === 'conditional' || input.type === 'repeat') {
        edits.push(levelEdit(`dissolve ${input.type} ${input.name}`, li, ii, (lv, inp) => dissolve(lv, ii, inp), true));
      }
      if (input.type === 'data_collection') {
        edits.push(
          levelEdit(`make ${input.name} a data parameter`, li, ii, (lv, inp, m) => {
            const name = freeName(lv, 'input');
            lv.inputs[ii] = { name, type: 'data' };
            for (const r of lv.requests) {
              const value = r[inp.name];
              delete r[inp.name];
              if (value !== undefined) r[name] = stripMapOver(collectionRefsToDatasets(value, m));
            }
            return true;
          }, true),
        );
      }
      if (input.type === 'data_collection') {
        edits.push(
          levelEdit(`map a data parameter over ${input.name}'s collections`, li, ii, (lv, inp) => {
            const name = freeName(lv, 'input');
            lv.inputs[ii] = { name, type: 'data' };
            for (const r of lv.requests) {
              const value = r[inp.name];
              delete r[inp.name];
              if (value !== undefined) r[name] = stripMapOverType(value);
            }
            return true;
          }, true),
        );
      }
      if (input.type === 'data' && (input.multiple || input.optional)) {
        edits.push(
          levelEdit(`make ${input.name} a plain data parameter`, li, ii, (lv, inp) => {
            lv.inputs[ii] = { name: inp.name, type: 'data' };
            return true;
          }, true),
        );
      }
      if ((input.type === 'data' || input.type === 'data_collection') && input.optional && level.requests.some((r) => r[input.name] !== undefined)) {
        edits.push(
          levelEdit(`omit optional ${input.name}`, li, ii, (lv, inp) => {
            for (const r of lv.requests) delete r[inp.name];
            return true;
          }),
        );
      }
      if (input.type === 'data' || input.type === 'data_collection') {
        const value = level.requests[0]?.[input.name];
        if (isJsonObject(value) && Array.isArray(value['values'])) {
          (value['values'] as unknown[]).forEach((_, vi) =>
            edits.push(
              levelEdit(`drop Batch value ${vi} of ${input.name}`, li, ii, (lv, inp) => {
                const v = lv.requests[0]?.[inp.name];
                if (!isJsonObject(v) || !Array.isArray(v['values'])) return false;
                (v['values'] as unknown[]).splice(vi, 1);
                return true;
              }),
            ),
          );
          if ('linked' in value) {
            edits.push(
              levelEdit(`drop linked of ${input.name}`, li, ii, (lv, inp) => {
                const v = lv.requests[0]?.[inp.name];
                if (!isJsonObject(v)) return false;
                delete (v as Mutable)['linked'];
                return true;
              }),
            );
          }
          edits.push(
            levelEdit(`batch the datasets of ${input.name}'s collection`, li, ii, (lv, inp, m) => {
              const v = lv.requests[0]?.[inp.name];
              if (inp.type !== 'data' || !isJsonObject(v) || !Array.isArray(v['values']) || v['values'].length !== 1) return false;
              const only = v['values'][0];
              if (!isJsonObject(only) || (only['src'] !== 'hdca' && only['src'] !== 'dce')) return false;
              const resolved = resolveRef(m['history'] as History, toDataRef(only));
              if (resolved.kind !== 'collection') return false;
              (v as Mutable)['values'] = leafDatasets(resolved.collection).map((id) => ({ src: 'hda', id }));
              return true;
            }),
          );
          edits.push(
            levelEdit(`map ${input.name} over datasets only`, li, ii, (lv, inp, m) => {
              const v = lv.requests[0]?.[inp.name];
              if (!isJsonObject(v) || !JSON.stringify(v).includes('"hdca"') && !JSON.stringify(v).includes('"dce"')) return false;
              lv.requests[0]![inp.name] = stripMapOver(collectionRefsToDatasets(v, m));
              return inp.type === 'data';
            }),
          );
        }
        if (Array.isArray(value)) {
          value.forEach((_, vi) =>
            edits.push(
              levelEdit(`drop list item ${vi} of ${input.name}`, li, ii, (lv, inp) => {
                const v = lv.requests[0]?.[inp.name];
                if (!Array.isArray(v)) return false;
                v.splice(vi, 1);
                return true;
              }),
            ),
          );
        }
      }
      if (input.type !== 'data' && input.type !== 'data_collection' && input.type !== 'section' && input.type !== 'conditional' && input.type !== 'repeat') {
        if (level.requests.some((r) => r[input.name] !== undefined)) {
          edits.push(
            levelEdit(`default ${input.name}`, li, ii, (lv, inp) => {
              for (const r of lv.requests) delete r[inp.name];
              return true;
            }),
          );
        }
      }
    });
  });
  c.history.collections.forEach((collection, ci) => {
    if (collection.collection_type.includes(':') && c.history.collections.every((other) => other === collection || !JSON.stringify(c.request).includes(`"dce","id":${collection.id}`))) {
      edits.push({
        label: `flatten collection ${collection.id} to a list of its datasets`,
        apply(x) {
          const m = copy(x);
          const target = m['history'].collections[ci] as Mutable;
          const leaves = leafDatasets(target as NestedCollection);
          target['collection_type'] = 'list';
          target['elements'] = leaves.map((dataset, i) => ({ identifier: `e${i}`, dataset }));
          m['request'] = dropMapOverOf(m['request'], target['id'] as number);
          return m as Case;
        },
      });
    }
    if (collection.elements.length === 0 && collection.collection_type !== 'list') {
      edits.push({
        label: `make empty collection ${collection.id} a list`,
        apply(x) {
          const m = copy(x);
          m['history'].collections[ci].collection_type = 'list';
          return m as Case;
        },
      });
    }
    elementPaths(collection).forEach((path) =>
      edits.push({
        label: `remove element ${path.join('/')} of collection ${collection.id}`,
        apply(x) {
          const m = copy(x);
          return removeElement(m['history'].collections[ci], path) ? (m as Case) : null;
        },
      }),
    );
  });
  return edits;
}

/** The first `<prefix><n>` no input of the level uses. */
function freeName(level: Level, prefix: string): string {
  for (let n = 1; ; n++) if (!level.inputs.some((i) => i.name === `${prefix}${n}`)) return `${prefix}${n}`;
}

function dissolve(level: Level, index: number, input: ToolInput): boolean {
  let innerInputs: readonly ToolInput[];
  let innerValue: (r: Mutable) => Mutable | undefined;
  if (input.type === 'section') {
    innerInputs = input.inputs;
    innerValue = (r) => r[input.name];
  } else if (input.type === 'conditional') {
    const first = level.requests[0]?.[input.name];
    const key = whenKey((isJsonObject(first) ? (first[input.test_param.name] as string | boolean | undefined) : undefined) ?? input.test_param.value);
    innerInputs = input.whens[key] ?? [];
    innerValue = (r) => r[input.name];
  } else if (input.type === 'repeat') {
    if (level.requests.some((r) => Array.isArray(r[input.name]) && r[input.name].length > 1)) return false;
    innerInputs = input.inputs;
    innerValue = (r) => (Array.isArray(r[input.name]) ? r[input.name][0] : undefined);
  } else return false;
  const names = new Set(level.inputs.filter((_, i) => i !== index).map((i) => i.name));
  if (innerInputs.some((i) => names.has(i.name))) return false;
  level.inputs.splice(index, 1, ...innerInputs);
  for (const r of level.requests) {
    const inner = innerValue(r);
    delete r[input.name];
    if (isJsonObject(inner)) for (const i of innerInputs) if (inner[i.name] !== undefined) r[i.name] = inner[i.name];
  }
  return true;
}

function stripMapOver(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripMapOver);
  if (!isJsonObject(value)) return value;
  const out: Mutable = {};
  for (const [k, v] of Object.entries(value)) if (k !== 'map_over_type' && k !== 'element_path') out[k] = stripMapOver(v);
  return out;
}

/** Removes map_over_type from references to collection `id`. */
function dropMapOverOf(value: unknown, id: number): unknown {
  if (Array.isArray(value)) return value.map((v) => dropMapOverOf(v, id));
  if (!isJsonObject(value)) return value;
  const out: Mutable = {};
  const refersToIt = (value['src'] === 'hdca' || value['src'] === 'dce') && value['id'] === id;
  for (const [k, v] of Object.entries(value)) if (!(refersToIt && k === 'map_over_type')) out[k] = dropMapOverOf(v, id);
  return out;
}

function stripMapOverType(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripMapOverType);
  if (!isJsonObject(value)) return value;
  const out: Mutable = {};
  for (const [k, v] of Object.entries(value)) if (k !== 'map_over_type') out[k] = stripMapOverType(v);
  return out;
}

function legacyBatchesToBatches(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(legacyBatchesToBatches);
  if (!isJsonObject(value)) return value;
  const out: Mutable = {};
  for (const [k, v] of Object.entries(value)) out[k] = legacyBatchesToBatches(v);
  if ('values' in out && 'batch' in out) {
    const isBatch = out['batch'] === true;
    delete out['batch'];
    if (isBatch) out['__class__'] = 'Batch';
    else return out['values'];
  }
  return out;
}

function elementPaths(collection: NestedCollection, prefix: readonly string[] = []): string[][] {
  if (collection.collection_type.startsWith('paired')) {
    return collection.elements.flatMap((e) => ('collection' in e ? elementPaths(e.collection, [...prefix, e.identifier]) : []));
  }
  return collection.elements.flatMap((e) => [[...prefix, e.identifier], ...('collection' in e ? elementPaths(e.collection, [...prefix, e.identifier]) : [])]);
}

function removeElement(collection: Mutable, path: readonly string[]): boolean {
  const [head, ...rest] = path;
  const elements = collection['elements'] as CollectionElement[];
  const index = elements.findIndex((e) => e.identifier === head);
  if (index < 0) return false;
  if (rest.length === 0) {
    elements.splice(index, 1);
    return true;
  }
  const element = elements[index] as Mutable;
  return isJsonObject(element['collection']) ? removeElement(element['collection'], rest) : false;
}
