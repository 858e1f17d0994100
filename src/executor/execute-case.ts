import type { Case, TesCaptureState } from '../model/case.js';
import type { NestedCollection } from '../model/history.js';
import { isDatasetElement } from '../model/history.js';
import type { ToolOutput } from '../model/tool.js';
import type { CollectionValue, Expansion, ParamValue } from '../expansion/expansion.js';
import type { Shape } from '../expansion/shape.js';
import type {
  ExecutionIntent,
  ExecutionPlan,
  ExecutorSettings,
  IcjIntent,
  JobIntent,
  OutputCollectionIntent,
  TesIntent,
  ToolRequestIntent,
  WisIntent,
} from './execution.js';
import { outputCollectionType } from './output-collections.js';
import { activeOutputs } from './output-filters.js';
import type { RelationshipDeclaration } from './relationships.js';
import { tableLayouts, type Layouts, type TableName } from './tables.js';
import { scalarLinksOf, UnitOfWork, type RowHandle } from './unit-of-work.js';

/**
 * The executor model: from a case and its expansion, the rows Galaxy writes
 * and in which order (galaxy-semantics §3 and §5) — tool source, execution
 * state, tool request, jobs and their dataset associations, implicit
 * collection jobs, output datasets and collections, TEICA/TRICA, workflow
 * invocation steps — and the links Galaxy's code intends (the intent).
 * Pure: no database, no randomness.
 */

export interface ExecutorContext {
  readonly layouts: Layouts;
  readonly scalarLinks: ReturnType<typeof scalarLinksOf>;
  readonly settings: ExecutorSettings;
}

export function createExecutorContext(settings: ExecutorSettings, relationships: readonly RelationshipDeclaration[]): ExecutorContext {
  const layouts = tableLayouts(settings.executionState);
  return { layouts, scalarLinks: scalarLinksOf(layouts, relationships), settings };
}

const HISTORY_ID = 1;

class Ids {
  readonly #next = new Map<TableName, number>();
  next(table: TableName): number {
    const id = this.#next.get(table) ?? 1;
    this.#next.set(table, id + 1);
    return id;
  }
  startAfter(table: TableName, max: number): void {
    this.#next.set(table, Math.max(this.#next.get(table) ?? 1, max + 1));
  }
}

/** Where fixture collections and their elements were written. */
interface FixtureIndex {
  /** `${hdcaId}\0${path}` → DCE id. */
  readonly elements: Map<string, number>;
}

function elementKey(hdcaId: number, path: readonly string[]): string {
  return `${hdcaId}\u0000${path.join('\u0000')}`;
}

export function executeCase(c: Case, expansion: Expansion, ctx: ExecutorContext): ExecutionPlan {
  const uow = new UnitOfWork(ctx.layouts, ctx.scalarLinks, ctx.settings.scalarReplace);
  const ids = new Ids();
  const fixture = writeFixture(c, uow, ids);
  const fixtureStatements = uow.statements.length;
  const intent: ExecutionIntent = {
    entry: c.entry,
    toolRequest: null,
    tes: [],
    jobs: [],
    icjs: [],
    wis: null,
    outputCollections: [],
    combinations: expansion.ok ? expansion.combinations.length : 0,
    mapped: expansion.ok && expansion.mapOver !== null,
    activeOutputs: [],
    passes: 0,
  };
  const run = new Execution(c, expansion, ctx, uow, ids, fixture, intent);
  if (c.entry === 'tool-request') run.toolRequestEntry();
  else if (c.entry === 'legacy') run.legacyEntry();
  else run.workflowStepEntry();
  return { expansion, statements: uow.statements, fixtureStatements, intent };
}

function writeFixture(c: Case, uow: UnitOfWork, ids: Ids): FixtureIndex {
  const elements = new Map<string, number>();
  uow.add('history', HISTORY_ID, { name: 'cardfuzz history' });
  let maxDataset = 0;
  for (const d of c.history.datasets) {
    uow.add('history_dataset_association', d.id, { history_id: HISTORY_ID, name: `dataset ${d.id}` });
    maxDataset = Math.max(maxDataset, d.id);
  }
  ids.startAfter('history_dataset_association', maxDataset);
  let maxCollection = 0;
  for (const hdca of c.history.collections) {
    const dcId = writeInputCollection(hdca, hdca.id, [], uow, ids, elements);
    uow.add('history_dataset_collection_association', hdca.id, { collection_id: dcId, history_id: HISTORY_ID, name: `collection ${hdca.id}` });
    maxCollection = Math.max(maxCollection, hdca.id);
  }
  ids.startAfter('history_dataset_collection_association', maxCollection);
  if (c.entry === 'workflow-step') {
    uow.add('workflow', 1, { name: 'cardfuzz workflow' });
    uow.add('workflow_step', 1, { workflow_id: 1, type: 'tool' });
    uow.add('workflow_invocation', 1, { workflow_id: 1, history_id: HISTORY_ID, state: 'scheduled' });
  }
  uow.commit();
  return { elements };
}

function writeInputCollection(collection: NestedCollection, hdcaId: number, path: readonly string[], uow: UnitOfWork, ids: Ids, elements: Map<string, number>): number {
  const dcId = ids.next('dataset_collection');
  uow.add('dataset_collection', dcId, { collection_type: collection.collection_type, populated_state: 'ok', element_count: collection.elements.length });
  collection.elements.forEach((element, index) => {
    const elementPath = [...path, element.identifier];
    const child = isDatasetElement(element) ? null : writeInputCollection(element.collection, hdcaId, elementPath, uow, ids, elements);
    const dceId = ids.next('dataset_collection_element');
    uow.add('dataset_collection_element', dceId, {
      dataset_collection_id: dcId,
      hda_id: isDatasetElement(element) ? element.dataset : null,
      child_collection_id: child,
      element_index: index,
      element_identifier: element.identifier,
    });
    elements.set(elementKey(hdcaId, elementPath), dceId);
  });
  return dcId;
}

/** One implicit output collection precreated for a map-over: the HDCA and its leaf element slots. */
interface ImplicitOutput {
  readonly output: ToolOutput;
  readonly hdca: RowHandle;
  readonly collectionRows: RowHandle[];
  /** Leaf DCE per structure leaf, in walk order. */
  readonly leaves: RowHandle[];
}

/** State a workflow step keeps between scheduling iterations. */
interface StepState {
  wis: RowHandle;
  wisIntent: WisIntent;
  icj: IcjIntent | null;
  icjRow: RowHandle | null;
  implicitOutputs: ImplicitOutput[];
  isNew: boolean;
}

class Execution {
  constructor(
    readonly c: Case,
    readonly expansion: Expansion,
    readonly ctx: ExecutorContext,
    readonly uow: UnitOfWork,
    readonly ids: Ids,
    readonly fixture: FixtureIndex,
    readonly intent: ExecutionIntent,
  ) {}

  get tracksState(): boolean {
    return this.ctx.settings.executionState === 'tes';
  }

  /** POST /api/jobs: mint tool source, TES and tool request, then queue_jobs runs `_execute`. */
  toolRequestEntry(): void {
    const { expansion, uow } = this;
    if (!expansion.ok && expansion.error.stage === 'request') return;
    const requestJson = JSON.stringify(this.c.request);
    const toolSourceId = this.writeToolSource();
    let tes: TesIntent | null = null;
    if (this.tracksState) {
      tes = this.mintTes('validated', 'tool-request', requestJson, toolSourceId);
    }
    const trId = this.ids.next('tool_request');
    const tr = uow.add('tool_request', trId, {
      history_id: HISTORY_ID,
      state: 'new',
      request: requestJson,
      tool_source_id: toolSourceId,
      tool_execution_state_id: tes?.id ?? null,
    });
    const trIntent: ToolRequestIntent = { id: trId, tesId: tes?.id ?? null, state: 'new' };
    this.intent.toolRequest = trIntent;
    uow.commit();
    if (!expansion.ok) {
      uow.set(tr, 'state', 'failed');
      trIntent.state = 'failed';
      uow.commit();
      return;
    }
    const runs = this.ctx.settings.queueJobsRuns === 'twice' ? 2 : 1;
    for (let pass = 0; pass < runs; pass++) {
      this.executePass({ toolRequestId: trId, tes, tesForJobs: tes, step: null, maxJobs: Infinity, pass });
    }
    uow.set(tr, 'state', 'submitted');
    trIntent.state = 'submitted';
    uow.commit();
  }

  /** POST /api/tools: no tool request, no TES. */
  legacyEntry(): void {
    if (!this.expansion.ok) return;
    this.executePass({ toolRequestId: null, tes: null, tesForJobs: null, step: null, maxJobs: Infinity, pass: 0 });
  }

  /** A workflow tool step: capture state, write the invocation step, schedule in iterations of at most `job_limit` jobs. */
  workflowStepEntry(): void {
    if (!this.expansion.ok) return;
    const { uow } = this;
    const state: TesCaptureState = this.c.step?.state ?? 'validated';
    const requestJson = JSON.stringify(this.c.request);
    const capture = (): TesIntent | null =>
      this.tracksState && (state === 'validated' || this.ctx.settings.captureBailout === 'mint')
        ? this.mintTes(state, 'workflow-step', requestJson, this.writeToolSource())
        : null;
    let tes = capture();
    const wisId = this.ids.next('workflow_invocation_step');
    const wis = uow.add('workflow_invocation_step', wisId, {
      workflow_invocation_id: 1,
      workflow_step_id: 1,
      state: 'new',
      tool_execution_state_id: tes?.id ?? null,
    });
    const wisIntent: WisIntent = { id: wisId, tesId: tes?.id ?? null, jobId: null, icjId: null };
    this.intent.wis = wisIntent;
    uow.commit();
    const step: StepState = { wis, wisIntent, icj: null, icjRow: null, implicitOutputs: [], isNew: true };
    const jobLimit = this.c.step?.job_limit ?? Infinity;
    const combos = this.expansion.combinations.length;
    // A correct scheduler needs ceil(combinations / limit) iterations; stop there even if work remains
    // (a step that re-yields finished slices would otherwise never finish).
    const iterations = Number.isFinite(jobLimit) ? Math.max(1, Math.ceil(combos / jobLimit)) : 1;
    for (let pass = 0; pass < iterations; pass++) {
      if (pass > 0 && this.ctx.settings.recaptureOnReentry === 'on') {
        const again = capture();
        if (again) {
          tes = again;
          uow.set(wis, 'tool_execution_state_id', again.id);
          wisIntent.tesId = again.id;
          uow.commit();
        }
      }
      const tesForJobs = tes !== null && tes.state === 'validated' ? tes : null;
      const remaining = this.executePass({ toolRequestId: null, tes, tesForJobs, step, maxJobs: jobLimit, pass });
      if (!remaining) break;
    }
    uow.set(wis, 'state', 'scheduled');
    uow.commit();
  }

  #toolSource: number | null = null;

  /** The branch's get_or_create_tool_source reuses the row for the same tool; upstream mints one per request. */
  writeToolSource(): number {
    if (this.tracksState && this.#toolSource !== null) return this.#toolSource;
    const id = this.ids.next('tool_source');
    this.#toolSource = id;
    const tool = this.c.tool;
    this.uow.add('tool_source', id, {
      hash: this.tracksState ? `sha256:${tool.id}:${tool.version ?? '1.0'}` : 'TODO',
      source: JSON.stringify({ id: tool.id }),
      source_class: 'XmlToolSource',
      identity_hash: `static:${tool.id}:${tool.version ?? '1.0'}`,
      tool_id: tool.id,
      tool_version: tool.version ?? '1.0',
    });
    return id;
  }

  mintTes(state: TesCaptureState, origin: TesIntent['origin'], request: string, toolSourceId: number): TesIntent {
    const id = this.ids.next('tool_execution_state');
    this.uow.add('tool_execution_state', id, { request: state === 'validated' ? request : null, state, tool_source_id: toolSourceId });
    const tes: TesIntent = { id, state, origin };
    this.intent.tes.push(tes);
    return tes;
  }

  /**
   * One `_execute` pass. Returns whether jobs remain (partial scheduling).
   */
  executePass(options: {
    toolRequestId: number | null;
    tes: TesIntent | null;
    tesForJobs: TesIntent | null;
    step: StepState | null;
    maxJobs: number;
    pass: number;
  }): boolean {
    const expansion = this.expansion;
    if (!expansion.ok) return false;
    const { uow } = this;
    const { step } = options;
    this.intent.passes++;
    const combos = expansion.combinations;
    const mapOver = expansion.mapOver;
    const outputs = activeOutputs(this.c.tool, expansion, this.c.history);
    this.intent.activeOutputs = outputs.map((o) => o.name);

    let icj: IcjIntent | null = null;
    let icjRow: RowHandle | null = null;
    let implicit: ImplicitOutput[] = [];
    if (mapOver !== null) {
      if (step !== null && !step.isNew) {
        icj = step.icj;
        icjRow = step.icjRow;
        implicit = step.implicitOutputs;
      } else {
        // precreate_output_collections: the ICJ carries the TES when there is one to give (TR's TES, or a validated WIS TES).
        ({ icj, icjRow, implicit } = this.precreate(outputs, mapOver.structure, options.toolRequestId, options.tesForJobs, step));
      }
      if (step !== null) {
        step.isNew = false;
        step.icj = icj;
        step.icjRow = icjRow;
        step.implicitOutputs = implicit;
        // ensure_implicit_collections_populated: the WIS points at the ICJ the HDCAs carry (none without outputs) ...
        const linked = implicit.length > 0 ? icj : null;
        uow.set(step.wis, 'implicit_collection_jobs_id', linked && icjRow ? linked.id : null);
        step.wisIntent.icjId = linked?.id ?? null;
        // ... and the WIS's TES is copied onto an ICJ that has none, whatever its validation state.
        if (linked && icjRow && linked.tesId === null && options.tes !== null) {
          uow.set(icjRow, 'tool_execution_state_id', options.tes.id);
          linked.tesId = options.tes.id;
        }
        uow.commit();
      }
    }

    // Execution slices: one per combination, or the combinations zipped with the structure's leaves.
    const sliceCount = mapOver === null ? combos.length : Math.min(combos.length, mapOver.leafCount);
    let executed = 0;
    let remaining = false;
    for (let index = 0; index < sliceCount; index++) {
      if (step !== null && this.sliceDone(step, index, mapOver !== null)) continue;
      if (executed >= options.maxJobs) {
        remaining = true;
        break;
      }
      this.runJob(combos[index]!, index, options, outputs, icj, icjRow, implicit);
      executed++;
    }
    uow.commit();
    if (!remaining && icj !== null && icjRow !== null && implicit.length > 0) {
      // finalize_dataset_collections
      uow.set(icjRow, 'populated_state', 'ok');
      for (const out of implicit) for (const row of out.collectionRows) uow.set(row, 'populated_state', 'ok');
      uow.commit();
    }
    return remaining;
  }

  /** Whether a workflow step's slice already ran (WorkflowStepExecutionTracker skips populated output elements). */
  sliceDone(step: StepState, index: number, mapped: boolean): boolean {
    if (!mapped) return step.wisIntent.jobId !== null;
    const first = step.implicitOutputs[0];
    if (first === undefined) return false; // no outputs: nothing shows the work was done
    const leaf = first.leaves[index];
    return leaf !== undefined && (this.uow.get(leaf, 'hda_id') !== null || this.uow.get(leaf, 'child_collection_id') !== null);
  }

  precreate(
    outputs: readonly ToolOutput[],
    structure: Shape,
    toolRequestId: number | null,
    tes: TesIntent | null,
    step: StepState | null,
  ): { icj: IcjIntent; icjRow: RowHandle | null; implicit: ImplicitOutput[] } {
    const { uow, ids } = this;
    const icjId = ids.next('implicit_collection_jobs');
    const persisted = outputs.length > 0 || this.ctx.settings.icjWithoutOutputs === 'persisted';
    const icj: IcjIntent = { id: icjId, persisted, tesId: tes?.id ?? null, jobIds: [], outputCollectionIds: [] };
    this.intent.icjs.push(icj);
    const icjRow = persisted ? uow.add('implicit_collection_jobs', icjId, { populated_state: 'new', tool_execution_state_id: tes?.id ?? null }) : null;
    const implicit: ImplicitOutput[] = [];
    const expansion = this.expansion;
    const linkedInputs = expansion.ok && expansion.mapOver ? expansion.mapOver.collections.filter((m) => m.linked) : [];
    for (const output of outputs) {
      const collectionRows: RowHandle[] = [];
      const leaves: RowHandle[] = [];
      const outputType = output.type === 'collection' && expansion.ok ? `${structure.collectionType}:${outputCollectionType(output, expansion, expansion.combinations[0] ?? null)}` : structure.collectionType;
      const dcId = this.writeStructure(structure, outputType, collectionRows, leaves);
      const hdcaId = ids.next('history_dataset_collection_association');
      const hdca = uow.add('history_dataset_collection_association', hdcaId, {
        collection_id: dcId,
        history_id: HISTORY_ID,
        name: `${this.c.tool.id} on collection (${output.name})`,
        implicit_output_name: output.name,
        implicit_collection_jobs_id: icjRow ? icjId : null,
      });
      const outIntent: OutputCollectionIntent = {
        hdcaId,
        outputName: output.name,
        icjId,
        jobId: null,
        teicaTesId: null,
        tricaToolRequestId: null,
      };
      if (toolRequestId !== null && this.ctx.settings.outputCollectionLink === 'teica' && tes !== null) {
        uow.add('tool_execution_implicit_collection_association', ids.next('tool_execution_implicit_collection_association'), {
          tool_execution_state_id: tes.id,
          dataset_collection_id: hdcaId,
          output_name: output.name,
        });
        outIntent.teicaTesId = tes.id;
      }
      if (toolRequestId !== null && this.ctx.settings.outputCollectionLink === 'trica') {
        uow.add('tool_request_implicit_collection_association', ids.next('tool_request_implicit_collection_association'), {
          tool_request_id: toolRequestId,
          dataset_collection_id: hdcaId,
          output_name: output.name,
        });
        outIntent.tricaToolRequestId = toolRequestId;
      }
      for (const input of linkedInputs) {
        uow.add('implicitly_created_dataset_collection_inputs', ids.next('implicitly_created_dataset_collection_inputs'), {
          dataset_collection_id: hdcaId,
          input_dataset_collection_id: input.source.hdcaId,
          name: input.key,
        });
      }
      if (step !== null) {
        uow.add('workflow_invocation_step_output_dataset_collection_association', ids.next('workflow_invocation_step_output_dataset_collection_association'), {
          workflow_invocation_step_id: step.wisIntent.id,
          dataset_collection_id: hdcaId,
          output_name: output.name,
        });
      }
      this.intent.outputCollections.push(outIntent);
      icj.outputCollectionIds.push(hdcaId);
      implicit.push({ output, hdca, collectionRows, leaves });
    }
    uow.commit();
    return { icj, icjRow, implicit };
  }

  /** Precreates an output collection in the map-over's shape; leaf elements stay uninitialized until a job fills them. */
  writeStructure(shape: Shape, collectionType: string, collectionRows: RowHandle[], leaves: RowHandle[]): number {
    const dcId = this.ids.next('dataset_collection');
    collectionRows.push(this.uow.add('dataset_collection', dcId, { collection_type: collectionType, populated_state: 'new', element_count: shape.elements.length }));
    const innerType = collectionType.split(':').slice(1).join(':');
    shape.elements.forEach((element, index) => {
      const child = element.child === null ? null : this.writeStructure(element.child, innerType, collectionRows, leaves);
      const dce = this.uow.add('dataset_collection_element', this.ids.next('dataset_collection_element'), {
        dataset_collection_id: dcId,
        hda_id: null,
        child_collection_id: child,
        element_index: index,
        element_identifier: element.identifier,
      });
      if (element.child === null) leaves.push(dce);
    });
    return dcId;
  }

  runJob(
    combo: readonly ParamValue[],
    index: number,
    options: { toolRequestId: number | null; tesForJobs: TesIntent | null; step: StepState | null; pass: number },
    outputs: readonly ToolOutput[],
    icj: IcjIntent | null,
    icjRow: RowHandle | null,
    implicit: readonly ImplicitOutput[],
  ): void {
    const { uow, ids } = this;
    const expansion = this.expansion;
    if (!expansion.ok) return;
    const mapped = expansion.mapOver !== null;
    const jobId = ids.next('job');
    const stampTes = options.tesForJobs !== null && !mapped;
    uow.add('job', jobId, {
      history_id: HISTORY_ID,
      tool_id: this.c.tool.id,
      state: 'new',
      tool_request_id: options.toolRequestId,
      tool_execution_state_id: stampTes ? options.tesForJobs!.id : null,
    });
    this.recordInputs(jobId, combo, expansion.params.map((p) => p.key));
    const outputDatasetIds: number[] = [];
    const outputCollectionIds: number[] = [];
    outputs.forEach((output, outputIndex) => {
      const slot = mapped ? implicit[outputIndex]?.leaves[index] : undefined;
      if (output.type === 'data') {
        const hdaId = ids.next('history_dataset_association');
        uow.add('history_dataset_association', hdaId, { history_id: HISTORY_ID, name: `${output.name} of job ${jobId}` });
        uow.add('job_to_output_dataset', ids.next('job_to_output_dataset'), { job_id: jobId, dataset_id: hdaId, name: output.name });
        outputDatasetIds.push(hdaId);
        if (slot) uow.set(slot, 'hda_id', hdaId);
        if (options.step !== null && !mapped) {
          uow.add('workflow_invocation_step_output_dataset_association', ids.next('workflow_invocation_step_output_dataset_association'), {
            workflow_invocation_step_id: options.step.wisIntent.id,
            dataset_id: hdaId,
            output_name: output.name,
          });
        }
        return;
      }
      const dcId = ids.next('dataset_collection');
      uow.add('dataset_collection', dcId, { collection_type: outputCollectionType(output, expansion, combo), populated_state: 'new', element_count: 0 });
      uow.add('job_to_implicit_output_dataset_collection', ids.next('job_to_implicit_output_dataset_collection'), { job_id: jobId, dataset_collection_id: dcId, name: output.name });
      if (slot) {
        uow.set(slot, 'child_collection_id', dcId);
        return;
      }
      const hdcaId = ids.next('history_dataset_collection_association');
      uow.add('history_dataset_collection_association', hdcaId, { collection_id: dcId, history_id: HISTORY_ID, name: `${output.name} of job ${jobId}`, job_id: jobId });
      uow.add('job_to_output_dataset_collection', ids.next('job_to_output_dataset_collection'), { job_id: jobId, dataset_collection_id: hdcaId, name: output.name });
      outputCollectionIds.push(hdcaId);
      this.intent.outputCollections.push({ hdcaId, outputName: output.name, icjId: null, jobId, teicaTesId: null, tricaToolRequestId: null });
      if (options.step !== null) {
        uow.add('workflow_invocation_step_output_dataset_collection_association', ids.next('workflow_invocation_step_output_dataset_collection_association'), {
          workflow_invocation_step_id: options.step.wisIntent.id,
          dataset_collection_id: hdcaId,
          output_name: output.name,
        });
      }
    });
    const linkIcj = mapped && icj !== null && implicit.length > 0;
    if (linkIcj) {
      // record_success: one JTODCA per implicit output and one ICJJA per job.
      for (const out of implicit) {
        uow.add('job_to_output_dataset_collection', ids.next('job_to_output_dataset_collection'), { job_id: jobId, dataset_collection_id: out.hdca.id, name: out.output.name });
      }
      uow.add('implicit_collection_jobs_job_association', ids.next('implicit_collection_jobs_job_association'), {
        implicit_collection_jobs_id: icjRow ? icj.id : null,
        job_id: jobId,
        order_index: index,
      });
      icj.jobIds.push(jobId);
    }
    let wisId: number | null = null;
    if (options.step !== null && !mapped) {
      uow.set(options.step.wis, 'job_id', jobId);
      options.step.wisIntent.jobId = jobId;
      wisId = options.step.wisIntent.id;
    }
    const job: JobIntent = {
      id: jobId,
      combination: index,
      toolRequestId: options.toolRequestId,
      tesId: stampTes ? options.tesForJobs!.id : null,
      icjId: linkIcj ? icj.id : null,
      orderIndex: linkIcj ? index : null,
      wisId,
      pass: options.pass,
      outputDatasetIds,
      outputCollectionIds,
    };
    this.intent.jobs.push(job);
  }

  /** Job input associations as Galaxy's tool action records them (JTIDA, JTIDCA, JTIDCEA). */
  recordInputs(jobId: number, combo: readonly ParamValue[], keys: readonly string[]): void {
    combo.forEach((value, i) => {
      const key = keys[i]!;
      // A legacy Batch on an undeclared key multiplies jobs but is no tool input (meta.py expand_meta_parameters).
      if (this.expansion.ok && this.expansion.params[i]!.undeclared) return;
      switch (value.kind) {
        case 'dataset':
          this.inputDataset(jobId, value.datasetId, key);
          return;
        case 'none':
          if (this.expansion.ok && this.expansion.params[i]!.input.type === 'data') this.inputDataset(jobId, null, key);
          return;
        case 'collection':
          this.inputCollection(jobId, value, key);
          return;
        case 'list': {
          // A multiple="true" parameter: the first dataset is recorded as `name` and again as `name1`, then `name2`...
          const datasets: number[] = [];
          for (const item of value.items) {
            if (item.kind === 'dataset') datasets.push(item.datasetId);
            else {
              this.collectionAssociation(jobId, item, key);
              datasets.push(...leafIds(item.collection));
            }
          }
          if (datasets.length > 0) this.inputDataset(jobId, datasets[0]!, key);
          datasets.forEach((d, n) => this.inputDataset(jobId, d, `${key}${n + 1}`));
          return;
        }
        case 'scalar':
          return;
      }
    });
  }

  inputDataset(jobId: number, datasetId: number | null, name: string): void {
    this.uow.add('job_to_input_dataset', this.ids.next('job_to_input_dataset'), { job_id: jobId, dataset_id: datasetId, name });
  }

  collectionAssociation(jobId: number, value: CollectionValue, name: string): void {
    if (value.elementPath.length === 0) {
      this.uow.add('job_to_input_dataset_collection', this.ids.next('job_to_input_dataset_collection'), { job_id: jobId, dataset_collection_id: value.hdcaId, name });
    } else {
      const dceId = this.fixture.elements.get(elementKey(value.hdcaId, value.elementPath)) ?? null;
      this.uow.add('job_to_input_dataset_collection_element', this.ids.next('job_to_input_dataset_collection_element'), {
        job_id: jobId,
        dataset_collection_element_id: dceId,
        name,
      });
    }
  }

  /** A whole collection or a subcollection element, plus one JTIDA per dataset in it (`name1`, `name2`, ...). */
  inputCollection(jobId: number, value: CollectionValue, name: string): void {
    this.collectionAssociation(jobId, value, name);
    leafIds(value.collection).forEach((d, n) => this.inputDataset(jobId, d, `${name}${n + 1}`));
  }
}

function leafIds(collection: NestedCollection): number[] {
  const out: number[] = [];
  for (const element of collection.elements) {
    if (isDatasetElement(element)) out.push(element.dataset);
    else out.push(...leafIds(element.collection));
  }
  return out;
}

