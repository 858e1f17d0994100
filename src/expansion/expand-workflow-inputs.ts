import type { JsonValue } from '../model/case.js';

/**
 * `expand_workflow_inputs` (lib/galaxy/tools/parameters/meta.py, stored text
 * read for galaxy-workflows §4): an invocation request's inputs become one
 * run configuration per batch combination. A value is a batch when it is an
 * object with `batch: true` and a `values` list; `product: true` batches
 * multiply, all others are linked (zipped). The linked index is the outer
 * loop (`itertools.product(zip(*linked), itertools.product(*product))`).
 * Unequal linked lengths raise Galaxy's RequestParameterInvalidException; a
 * `batch: false` wrapper is unwrapped to its first value.
 */

export const LINKED_BATCH_MISMATCH = 'Failed to match linked batch selections. Please select equal number of data files.';

export type WorkflowInputsExpansion =
  | { readonly ok: true; readonly configs: readonly { readonly [key: string]: JsonValue }[]; readonly batched: boolean }
  | { readonly ok: false; readonly message: string };

function asBatch(value: JsonValue): { values: readonly JsonValue[]; product: boolean } | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const object = value as { readonly [key: string]: JsonValue };
  if (object['batch'] !== true || !Array.isArray(object['values'])) return null;
  return { values: object['values'] as readonly JsonValue[], product: object['product'] === true };
}

function unwrapUnbatched(value: JsonValue): JsonValue {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const object = value as { readonly [key: string]: JsonValue };
  if (object['batch'] === false && Array.isArray(object['values'])) return (object['values'] as readonly JsonValue[])[0] ?? null;
  return value;
}

export function expandWorkflowInputs(inputs: { readonly [key: string]: JsonValue }): WorkflowInputsExpansion {
  const keys = Object.keys(inputs).sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  const linked: { key: string; values: readonly JsonValue[] }[] = [];
  const product: { key: string; values: readonly JsonValue[] }[] = [];
  const fixed: { [key: string]: JsonValue } = {};
  for (const key of keys) {
    const value = inputs[key]!;
    const batch = asBatch(value);
    if (batch === null) fixed[key] = unwrapUnbatched(value);
    else (batch.product ? product : linked).push({ key, values: batch.values });
  }
  // meta.py compares each later linked batch with the first one only.
  const first = linked[0];
  for (const l of linked.slice(1)) if (l.values.length !== first!.values.length) return { ok: false, message: LINKED_BATCH_MISMATCH };
  const linkedRows: { [key: string]: JsonValue }[] = [];
  if (first === undefined) linkedRows.push({});
  else for (let i = 0; i < first.values.length; i++) linkedRows.push(Object.fromEntries(linked.map((l) => [l.key, l.values[i]!])));
  let productRows: { [key: string]: JsonValue }[] = [{}];
  for (const p of product) productRows = productRows.flatMap((row) => p.values.map((v) => ({ ...row, [p.key]: v })));
  const configs = linkedRows.flatMap((l) => productRows.map((p) => ({ ...fixed, ...l, ...p })));
  return { ok: true, configs, batched: linked.length + product.length > 0 };
}
