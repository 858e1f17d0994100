/**
 * A model of workflow extraction by ids (`extract_steps_by_ids`, galaxy-
 * semantics §4.2–4.4): work items from job ids, implicit-collection-jobs ids
 * and tool-request ids, each keyed `(tier, source_id)` — `(1, tes.id)` for a
 * validated execution state, `(0, job.id)` otherwise — stably sorted, then
 * deduplicated as the profile says, one workflow step per remaining item.
 * Pure: the caller reads the persisted rows.
 */

export type Dedup = 'none' | 'drop' | 'merge';

export interface ExtractionSettings {
  readonly dedup: Dedup;
  /** Q3: a structured step whose payload holds a Batch of several plain values. */
  readonly batchStep: 'one-step' | 'error';
}

export interface ExtractionJob {
  readonly id: number;
  readonly tesId: number | null;
  readonly icjId: number | null;
  /** TES of the invocation step whose `job` this is (the resolver's last fallback). */
  readonly stepTesId: number | null;
  /** Output keys (`dataset:5`, `collection:7`) downstream steps connect to. */
  readonly outputs: readonly string[];
}

export interface ExtractionIcj {
  readonly id: number;
  readonly tesId: number | null;
  readonly jobIds: readonly number[];
  readonly outputs: readonly string[];
  /** The ICJ's execution came from a tool request (the service re-buckets it to tool_request_ids). */
  readonly toolRequestId: number | null;
}

export interface ExtractionToolRequest {
  readonly id: number;
  readonly tesId: number | null;
  readonly jobless: boolean;
  /** Failed tool requests are not extractable (the service's state gate). */
  readonly failed: boolean;
  /** The TEICA walk: implicit output collections of its TES. */
  readonly outputs: readonly string[];
}

export interface ExtractionInput {
  readonly jobs: readonly ExtractionJob[];
  readonly icjs: readonly ExtractionIcj[];
  readonly toolRequests: readonly ExtractionToolRequest[];
  readonly tesStates: ReadonlyMap<number, string>;
  /** The request carries a Batch of two or more plain values (a structured payload `to_workflow_step_state` must unwrap). */
  readonly plainBatchPayload: boolean;
  /** The schema has execution states (the branch): tool requests are a selection bucket and TR-backed ICJs are re-bucketed. */
  readonly hasExecutionState: boolean;
}

export interface Selection {
  readonly label: string;
  readonly jobIds: readonly number[];
  readonly icjIds: readonly number[];
  readonly toolRequestIds: readonly number[];
}

export interface WorkflowStep {
  readonly key: readonly [number, number];
  readonly outputs: readonly string[];
  /** How many work items this step stands for. */
  readonly items: number;
}

export type ExtractionResult = { readonly ok: true; readonly steps: readonly WorkflowStep[]; readonly keys: number } | { readonly ok: false; readonly error: string };

interface WorkItem {
  readonly key: readonly [number, number];
  readonly outputs: readonly string[];
  readonly structured: boolean;
}

/** The rows of an extraction input by id, so that every lookup below is O(1). */
interface Indexed {
  readonly jobs: ReadonlyMap<number, ExtractionJob>;
  readonly icjs: ReadonlyMap<number, ExtractionIcj>;
  readonly toolRequests: ReadonlyMap<number, ExtractionToolRequest>;
}

function indexed(input: ExtractionInput): Indexed {
  return {
    jobs: new Map(input.jobs.map((j) => [j.id, j])),
    icjs: new Map(input.icjs.map((i) => [i.id, i])),
    toolRequests: new Map(input.toolRequests.map((t) => [t.id, t])),
  };
}

export function extractWorkflow(input: ExtractionInput, selection: Selection, settings: ExtractionSettings): ExtractionResult {
  const validated = (tesId: number | null): tesId is number => tesId !== null && input.tesStates.get(tesId) === 'validated';
  const byId = indexed(input);
  const items: WorkItem[] = [];
  for (const jobId of selection.jobIds) {
    const job = byId.jobs.get(jobId);
    if (job === undefined) return { ok: false, error: `job ${jobId} does not exist` };
    if (job.icjId !== null) return { ok: false, error: `job ${jobId} belongs to implicit collection jobs ${job.icjId} (400)` };
    const tes = job.tesId ?? job.stepTesId;
    items.push(validated(tes) ? { key: [1, tes], outputs: job.outputs, structured: true } : { key: [0, job.id], outputs: job.outputs, structured: false });
  }
  for (const icjId of selection.icjIds) {
    const icj = byId.icjs.get(icjId);
    if (icj === undefined) return { ok: false, error: `implicit collection jobs ${icjId} does not exist` };
    const representative = icj.jobIds[0];
    if (representative === undefined) return { ok: false, error: `implicit collection jobs ${icjId} has no jobs and no tool request (400)` };
    items.push(validated(icj.tesId) ? { key: [1, icj.tesId], outputs: icj.outputs, structured: true } : { key: [0, representative], outputs: icj.outputs, structured: false });
  }
  for (const trId of selection.toolRequestIds) {
    const tr = byId.toolRequests.get(trId);
    if (tr === undefined) return { ok: false, error: `tool request ${trId} does not exist` };
    if (!validated(tr.tesId)) return { ok: false, error: `tool request ${trId} has no validated execution state` };
    items.push({ key: [1, tr.tesId], outputs: tr.outputs, structured: true });
  }
  if (settings.batchStep === 'error' && input.plainBatchPayload && items.some((i) => i.structured)) {
    return { ok: false, error: 'RequestInternalToWorkflowStateError: a Batch of several values cannot become one step state (400)' };
  }
  const sorted = items.map((item, order) => ({ item, order })).sort((a, b) => a.item.key[0] - b.item.key[0] || a.item.key[1] - b.item.key[1] || a.order - b.order);
  // Consecutive items sharing a key form one run; `merge` unions the run's outputs into one set (each output added once,
  // so a run of n items costs O(total outputs), not the O(n²) of copying the growing list on every merge).
  const steps: WorkflowStep[] = [];
  let keys = 0;
  for (let start = 0; start < sorted.length; ) {
    const first = sorted[start]!.item;
    let end = start + 1;
    while (end < sorted.length && sorted[end]!.item.key[0] === first.key[0] && sorted[end]!.item.key[1] === first.key[1]) end++;
    keys++;
    if (settings.dedup === 'none') {
      for (let i = start; i < end; i++) steps.push({ key: first.key, outputs: sorted[i]!.item.outputs, items: 1 });
    } else if (settings.dedup === 'drop') {
      steps.push({ key: first.key, outputs: first.outputs, items: 1 });
    } else {
      const outputs = new Set<string>();
      for (let i = start; i < end; i++) for (const output of sorted[i]!.item.outputs) outputs.add(output);
      steps.push({ key: first.key, outputs: [...outputs], items: end - start });
    }
    start = end;
  }
  return { ok: true, steps, keys };
}

/** Every output the selected work items produce, with repeats (what the extracted steps must keep connectable). */
export function selectedOutputs(input: ExtractionInput, selection: Selection): string[] {
  const byId = indexed(input);
  return [
    ...selection.jobIds.flatMap((id) => byId.jobs.get(id)?.outputs ?? []),
    ...selection.icjIds.flatMap((id) => byId.icjs.get(id)?.outputs ?? []),
    ...selection.toolRequestIds.flatMap((id) => byId.toolRequests.get(id)?.outputs ?? []),
  ];
}

/**
 * The selections a client sends for one case's executions: what the history
 * panel sends (job ids and ICJ ids, the service re-bucketing tool-request
 * ICJs), jobless tool requests by id, and the mixed payload naming every tool
 * request too (allowed since REJECT_MIXED_PAYLOAD was removed).
 */
export function selectionsFor(input: ExtractionInput): Selection[] {
  const plainJobs = input.jobs.filter((j) => j.icjId === null).map((j) => j.id);
  // A jobless ICJ is refused by the service (400) by design; a client cannot select it.
  const icjs = input.icjs.filter((i) => i.jobIds.length > 0);
  if (!input.hasExecutionState) {
    const ids = { jobIds: plainJobs, icjIds: icjs.map((i) => i.id), toolRequestIds: [] };
    return ids.jobIds.length + ids.icjIds.length > 0 ? [{ label: 'job and ICJ ids', ...ids }] : [];
  }
  const workflowIcjs = icjs.filter((i) => i.toolRequestId === null).map((i) => i.id);
  const rebucketed = input.icjs.flatMap((i) => (i.toolRequestId === null ? [] : [i.toolRequestId]));
  const extractable = input.toolRequests.filter((t) => !t.failed);
  const jobless = extractable.filter((t) => t.jobless).map((t) => t.id);
  const panel: Selection = { label: 'job and ICJ ids', jobIds: plainJobs, icjIds: workflowIcjs, toolRequestIds: [...new Set([...rebucketed, ...jobless])] };
  const mixed: Selection = { label: 'job ids and every tool request id', jobIds: plainJobs, icjIds: workflowIcjs, toolRequestIds: [...new Set([...rebucketed, ...extractable.map((t) => t.id)])] };
  return [panel, mixed].filter((s) => s.jobIds.length + s.icjIds.length + s.toolRequestIds.length > 0);
}
