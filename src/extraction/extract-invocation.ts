import type { Snapshot } from '../persistence/snapshot.js';

/**
 * Extracting a workflow from an invocation's persisted rows, as Galaxy's two
 * entry points do (lib/galaxy/workflow/extract.py, galaxy-workflows §6):
 *
 * - `extract_steps` (the HID path, `POST /api/workflows` with
 *   `from_history_id`): the inputs by HID, one job id per tool step (a mapped
 *   step passed as one of its jobs); each job becomes a step, connected by the
 *   HIDs of its inputs, a mapped job's element input redirected to the
 *   collection it was mapped over (`find_implicit_input_collection`);
 * - `extract_steps_by_ids` (`POST /api/workflows/extract`): the inputs by id,
 *   plain jobs by id and mapped steps by their implicit collection jobs id
 *   (its `representative_job`), sorted by job id; inputs keyed by
 *   `(dataset|collection, id)`, a mapped step's inputs redirected to the
 *   collections its outputs were mapped over (`implicit_input_collections`).
 *
 * In the model a history item's HID and id name the same object, so both
 * paths build the same connections; they differ in what the client selects.
 * Pure: the caller passes the rows it read.
 */

export type MappedInputs = 'implicit-input-collection' | 'element';

export interface ExtractedStep {
  /** Input steps: the dataset or collection; tool steps: the job or ICJ they came from. */
  readonly origin: string;
  readonly type: 'data_input' | 'data_collection_input' | 'tool';
  /**
   * Tool steps: input name → the indexes of the steps it is connected to, in
   * the order of the job's values (absent: left unconnected). A `multiple`
   * data input given several datasets or collections is connected to each
   * (`__cleanup_param_values` appends one association per item).
   */
  readonly connections: ReadonlyMap<string, readonly number[]>;
}

export interface ExtractionSelection {
  readonly entry: 'extract_steps' | 'extract_steps_by_ids';
  readonly datasetIds: readonly number[];
  readonly collectionIds: readonly number[];
  /** Plain jobs, and (HID path) one job of each mapped step. */
  readonly jobIds: readonly number[];
  /** ID path: mapped steps by their ICJ. */
  readonly icjIds: readonly number[];
  /** The names of each job's tool inputs (the tool state's data parameters), by job id. */
  readonly inputNames: ReadonlyMap<number, readonly string[]>;
}

type Key = `dataset:${number}` | `collection:${number}`;

export function extractInvocation(snapshot: Snapshot, selection: ExtractionSelection, mappedInputs: MappedInputs): ExtractedStep[] {
  const steps: ExtractedStep[] = [];
  const producers = new Map<Key, number>();
  for (const id of selection.datasetIds) {
    producers.set(`dataset:${id}`, steps.length);
    steps.push({ origin: `dataset:${id}`, type: 'data_input', connections: new Map() });
  }
  for (const id of selection.collectionIds) {
    producers.set(`collection:${id}`, steps.length);
    steps.push({ origin: `collection:${id}`, type: 'data_collection_input', connections: new Map() });
  }
  const icjOfJob = new Map<number, number>();
  for (const a of snapshot.icjJobs) if (a.jobId !== null && a.icjId !== null) icjOfJob.set(a.jobId, a.icjId);
  // Work items: (job that stands for the step, the ICJ if mapped), sorted by that job's id.
  const items: { job: number; icj: number | null }[] = [];
  for (const job of selection.jobIds) items.push({ job, icj: icjOfJob.get(job) ?? null });
  for (const icj of selection.icjIds) {
    // `ImplicitCollectionJobs.representative_job`: the job of the lowest order_index.
    const first = snapshot.icjJobs.filter((a) => a.icjId === icj && a.jobId !== null).sort((a, b) => (a.orderIndex ?? 0) - (b.orderIndex ?? 0) || a.jobId! - b.jobId!)[0];
    if (first !== undefined) items.push({ job: first.jobId!, icj });
  }
  // Both paths build steps in job order: the ID path sorts its work items by (representative) job id; the
  // HID path walks the history's jobs in the order they were created (`WorkflowSummary`).
  items.sort((a, b) => a.job - b.job);
  for (const item of items) {
    const outputsOfIcj = item.icj === null ? [] : snapshot.outputCollections.filter((o) => o.icjId === item.icj);
    const connections = new Map<string, number[]>();
    const names = selection.inputNames.get(item.job) ?? [];
    for (const name of names) {
      const found = inputKeys(snapshot, item.job, name, names, outputsOfIcj, mappedInputs).flatMap((key) => {
        const producer = producers.get(key);
        return producer === undefined ? [] : [producer];
      });
      if (found.length > 0) connections.set(name, found);
    }
    const index = steps.length;
    steps.push({ origin: item.icj === null ? `job:${item.job}` : `icj:${item.icj}`, type: 'tool', connections });
    if (item.icj === null) {
      for (const o of snapshot.jobOutputs) if (o.jobId === item.job && o.datasetId !== null) producers.set(`dataset:${o.datasetId}`, index);
      for (const o of snapshot.outputCollections) if (o.jobId === item.job) producers.set(`collection:${o.id}`, index);
    } else {
      for (const o of outputsOfIcj) producers.set(`collection:${o.id}`, index);
    }
  }
  return steps;
}

/**
 * What a job's input names, as extraction keys it (`__cleanup_param_values`,
 * one association per value item): a mapped input by the collection it was
 * mapped over; else the collections the job read under that name, then the
 * datasets. A `multiple` data input's datasets are recorded as `name1`,
 * `name2`, ... (the first also as `name`), and those of a collection it read
 * are that collection's, not items of their own.
 */
function inputKeys(snapshot: Snapshot, job: number, name: string, inputNames: readonly string[], outputsOfIcj: Snapshot['outputCollections'], mappedInputs: MappedInputs): Key[] {
  if (mappedInputs === 'implicit-input-collection') {
    for (const output of outputsOfIcj) {
      const implicit = snapshot.implicitInputs.find((i) => i.hdcaId === output.id && i.name === name);
      if (implicit?.inputHdcaId != null) return [`collection:${implicit.inputHdcaId}`];
    }
  }
  const collections = snapshot.jobInputCollections.filter((i) => i.jobId === job && i.name === name && i.hdcaId != null).map((i) => i.hdcaId!);
  const inCollections = new Set(collections.flatMap((c) => leafDatasets(snapshot, c)));
  // `name1`, `name2`, ...: unless the tool has an input of that name itself.
  const numbered = snapshot.jobInputs.filter(
    (i) => i.jobId === job && i.datasetId != null && i.name !== null && i.name.startsWith(name) && /^\d+$/.test(i.name.slice(name.length)) && !inputNames.includes(i.name),
  );
  const datasets = numbered.length > 0 ? numbered : snapshot.jobInputs.filter((i) => i.jobId === job && i.datasetId != null && i.name === name);
  return [
    ...collections.map((c): Key => `collection:${c}`),
    ...datasets.filter((d) => !inCollections.has(d.datasetId!)).map((d): Key => `dataset:${d.datasetId!}`),
  ];
}

/** The datasets at the leaves of an HDCA's collection. */
function leafDatasets(snapshot: Snapshot, hdcaId: number): number[] {
  const root = snapshot.collections.find((c) => c.id === hdcaId)?.collectionId ?? null;
  const out: number[] = [];
  const walk = (dc: number, depth: number): void => {
    if (depth > 8) return;
    for (const e of snapshot.elements) {
      if (e.collectionId !== dc) continue;
      if (e.hdaId !== null) out.push(e.hdaId);
      else if (e.childId !== null) walk(e.childId, depth + 1);
    }
  };
  if (root !== null) walk(root, 0);
  return out;
}
