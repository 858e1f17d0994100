import type { ToolCase, Entry, JsonValue, RequestInputs } from '../src/model/case.js';
import type { CollectionElement, HistoryCollection, HistoryDataset, NestedCollection } from '../src/model/history.js';
import type { ToolInput, ToolOutput } from '../src/model/tool.js';
import type { CaseSpec, CollectionSpec, ItemSpec, ParamSpec, ValueSpec } from './case-spec.js';

/**
 * Derives the tool, history and request of a case from its spec. Every
 * dataset and collection a value references is created for it, with fresh
 * ids in order, so the history holds exactly what the request uses.
 */
export function buildCase(spec: CaseSpec): ToolCase {
  const builder = new CaseBuilder(spec.entry);
  const { inputs, request } = builder.level(spec.params);
  const outputs: ToolOutput[] = spec.outputs.map((o, i) => {
    const filter = o.whenMode === undefined ? {} : { filter: { param: 'mode', equals: o.whenMode } };
    return o.type === 'data' ? { name: `out${i + 1}`, type: 'data', ...filter } : { name: `out${i + 1}`, type: 'collection', collection_type: o.collectionType, ...filter };
  });
  if (spec.outputs.some((o) => o.whenMode !== undefined)) {
    inputs.push({ name: 'mode', type: 'select', options: ['on', 'off'], value: 'on' });
    request['mode'] = spec.mode;
  }
  const step =
    spec.entry === 'workflow-step' && (spec.stepState !== 'validated' || spec.jobLimit !== undefined)
      ? { step: { ...(spec.stepState === 'validated' ? {} : { state: spec.stepState }), ...(spec.jobLimit === undefined ? {} : { job_limit: spec.jobLimit }) } }
      : {};
  return {
    tool: { id: spec.dataSource ? 'fuzz_data_source' : 'fuzz_tool', ...(spec.dataSource ? { tool_type: 'data_source' as const } : {}), inputs, outputs },
    history: { datasets: builder.datasets, collections: builder.collections },
    entry: spec.entry,
    request: spec.entry === 'legacy' && spec.flatKeys ? flatten(request, inputs) : request,
    ...(spec.rerunRemap ? { rerun_remap_job_id: 1 } : {}),
    ...step,
  };
}

const PREFIX: Readonly<Record<ParamSpec['kind'], string>> = {
  data: 'input',
  data_collection: 'collection',
  scalar: 'option',
  conditional: 'cond',
  repeat: 'queries',
  section: 'section',
};

export class CaseBuilder {
  readonly datasets: HistoryDataset[] = [];
  readonly collections: HistoryCollection[] = [];
  readonly #entry: Entry;

  constructor(entry: Entry) {
    this.#entry = entry;
  }

  level(params: readonly ParamSpec[]): { inputs: ToolInput[]; request: Record<string, JsonValue> } {
    const inputs: ToolInput[] = [];
    const request: Record<string, JsonValue> = {};
    params.forEach((param, i) => {
      const name = `${PREFIX[param.kind]}${i + 1}`;
      switch (param.kind) {
        case 'data': {
          inputs.push({ name, type: 'data', ...(param.multiple ? { multiple: true } : {}), ...(param.optional ? { optional: true } : {}) });
          this.assign(request, name, param.value);
          return;
        }
        case 'data_collection': {
          inputs.push({ name, type: 'data_collection', collection_type: param.collectionType, ...(param.optional ? { optional: true } : {}) });
          this.assign(request, name, param.value);
          return;
        }
        case 'scalar': {
          const s = param.scalar;
          if (s.type === 'integer') inputs.push({ name, type: 'integer', value: 0 });
          else if (s.type === 'text') inputs.push({ name, type: 'text', value: '' });
          else inputs.push({ name, type: 'boolean', value: false });
          if (s.value !== undefined) request[name] = s.value;
          return;
        }
        case 'conditional': {
          const inner = this.level([param.inner]);
          inputs.push({
            name,
            type: 'conditional',
            test_param: { name: 'choice', type: 'select', options: ['a', 'b'], value: 'a' },
            whens: { a: inner.inputs, b: [] },
          });
          request[name] = param.selected === 'a' ? { choice: 'a', ...inner.request } : { choice: 'b' };
          return;
        }
        case 'repeat': {
          inputs.push({ name, type: 'repeat', min: 0, max: 8, inputs: [{ name: 'input', type: 'data' }] });
          request[name] = param.instances.map((value) => {
            const instance: Record<string, JsonValue> = {};
            this.assign(instance, 'input', value);
            return instance;
          });
          return;
        }
        case 'section': {
          const inner = this.level(param.params);
          inputs.push({ name, type: 'section', inputs: inner.inputs });
          request[name] = inner.request;
          return;
        }
      }
    });
    return { inputs, request };
  }

  /** Puts a value spec into a request object, creating the datasets and collections it references. */
  assign(target: Record<string, JsonValue>, name: string, value: ValueSpec): void {
    const legacy = this.#entry === 'legacy';
    switch (value.kind) {
      case 'omitted':
        return;
      case 'single':
        target[name] = this.#ref(value.item);
        return;
      case 'list':
        target[name] = value.items.map((item) => this.#ref(item));
        return;
      case 'batch': {
        const batch: Record<string, JsonValue> = legacy ? { batch: true } : { __class__: 'Batch' };
        batch['values'] = value.items.map((item) => this.#ref(item));
        if (value.linked !== 'absent') batch['linked'] = value.linked;
        target[name] = batch;
        return;
      }
    }
  }

  #ref(item: ItemSpec): JsonValue {
    switch (item.kind) {
      case 'dataset':
        return { src: 'hda', id: this.#dataset() };
      case 'dataset-element': {
        const id = this.#collection({ collection_type: 'list', elements: [{ identifier: 'e0', dataset: this.#dataset() }] });
        return { src: 'dce', id, element_path: ['e0'] };
      }
      case 'collection': {
        const ref: Record<string, JsonValue> =
          item.via === 'hdca'
            ? { src: 'hdca', id: this.#collection(this.#nested(item.collection)) }
            : {
                src: 'dce',
                id: this.#collection({ collection_type: `list:${item.collection.type}`, elements: [{ identifier: 'e0', collection: this.#nested(item.collection) }] }),
                element_path: ['e0'],
              };
        if (item.mapOverType !== undefined) ref['map_over_type'] = item.mapOverType;
        return ref;
      }
    }
  }

  #dataset(): number {
    const id = this.datasets.length + 1;
    this.datasets.push({ id });
    return id;
  }

  #collection(collection: NestedCollection): number {
    const id = this.collections.length + 1;
    this.collections.push({ id, ...collection });
    return id;
  }

  #nested(spec: CollectionSpec): NestedCollection {
    const head = spec.type.split(':')[0];
    const identifier = (i: number): string => {
      if (head === 'paired') return i === 0 ? 'forward' : 'reverse';
      if (head === 'paired_or_unpaired') return spec.elements.length === 1 ? 'unpaired' : i === 0 ? 'forward' : 'reverse';
      return `e${i}`;
    };
    const elements: CollectionElement[] = spec.elements.map((element, i) =>
      element === null ? { identifier: identifier(i), dataset: this.#dataset() } : { identifier: identifier(i), collection: this.#nested(element) },
    );
    return { collection_type: spec.type, elements };
  }
}

/** Legacy `POST /api/tools` flat keys: `cond1|choice`, `queries1_0|input`, `section1|input1`. */
export function flatten(request: RequestInputs, inputs: readonly ToolInput[]): RequestInputs {
  const out: Record<string, JsonValue> = {};
  const walk = (level: { readonly [key: string]: JsonValue }, levelInputs: readonly ToolInput[], prefix: string): void => {
    for (const [key, value] of Object.entries(level)) {
      const input = levelInputs.find((i) => i.name === key);
      if (input?.type === 'section' && isObject(value)) walk(value, input.inputs, `${prefix}${key}|`);
      else if (input?.type === 'conditional' && isObject(value)) walk(value, [input.test_param, ...Object.values(input.whens).flat()], `${prefix}${key}|`);
      else if (input?.type === 'repeat' && Array.isArray(value)) value.forEach((instance, i) => isObject(instance) && walk(instance, input.inputs, `${prefix}${key}_${i}|`));
      else out[`${prefix}${key}`] = value;
    }
  };
  walk(request, inputs, '');
  return out;
}

function isObject(value: JsonValue): value is { readonly [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
