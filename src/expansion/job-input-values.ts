import type { History, NestedCollection } from '../model/history.js';
import { elementsDeleted, leafDatasets, UNUSABLE_DATASET_STATES } from '../model/history.js';
import { findCollection } from '../model/request-references.js';
import type { ExpandedParam, GalaxyError, ParamValue } from './expansion.js';

/**
 * The checks Galaxy makes on each job's dataset values when it builds the
 * job's state (`populate_state` → `from_json` / `validate` of tools/parameters/basic.py),
 * after the request was expanded. Any failure fails the whole request: the
 * legacy API answers 400 ("Parameter 'x': ..."), the tool request API marks
 * its tool request failed; no job is made.
 *
 * - `DataToolParameter.from_json`: a deleted dataset ("the previously selected
 *   dataset has been deleted."), one in state error or discarded ("... has
 *   entered an unusable state"), a deleted collection given to a multiple data
 *   parameter, and a collection with a deleted element ("the previously
 *   selected dataset collection has elements that are deleted.");
 * - `DataCollectionToolParameter.from_json`: a deleted HDCA ("the previously
 *   selected dataset collection has been deleted"), and an HDCA or a
 *   subcollection element with a deleted element;
 * - `BaseDataToolParameter.validate`: a multiple data parameter's `min` and
 *   `max` on the number of datasets it receives ("At least %d datasets are
 *   required for %s" / "At most %d datasets are required for %s").
 *
 * Only runs what a case can trip: a history without deleted or unusable items,
 * and a tool without min/max, cost one scan of the history per case.
 */
export function checkJobInputValues(history: History, params: readonly ExpandedParam[], combinations: readonly (readonly ParamValue[])[]): GalaxyError | null {
  const bounded = params.some((p) => p.input.type === 'data' && (p.input.min !== undefined || p.input.max !== undefined));
  const flagged = historyHasFlags(history);
  if (!bounded && !flagged) return null;
  for (const combo of combinations) {
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      if (p.undeclared) continue;
      const value = combo[i]!;
      const why = flagged ? whyUnusable(p, value, history) : null;
      if (why !== null) return parameterValueError(p, why);
      if (bounded && p.input.type === 'data' && value.kind !== 'none') {
        const count = datasetCount(value);
        if (p.input.min !== undefined && p.input.min > count) return parameterValueError(p, `At least ${p.input.min} datasets are required for ${p.input.name}`, false);
        if (p.input.max !== undefined && p.input.max < count) return parameterValueError(p, `At most ${p.input.max} datasets are required for ${p.input.name}`, false);
      }
      if (bounded && p.input.type === 'data' && value.kind === 'none' && p.input.min !== undefined && p.input.min > 0) {
        return parameterValueError(p, `At least ${p.input.min} datasets are required for ${p.input.name}`, false);
      }
    }
  }
  return null;
}

function parameterValueError(p: ExpandedParam, message: string, prefixed = true): GalaxyError {
  // ParameterValueError renders as "Parameter 'name': message"; validate's ValueError is the bare text.
  return { stage: 'expansion', kind: 'ParameterValueError', message: prefixed ? `Parameter '${p.input.name}': ${message}` : message };
}

const flagCache = new WeakMap<History, boolean>();

function historyHasFlags(history: History): boolean {
  let flagged = flagCache.get(history);
  if (flagged === undefined) {
    flagged =
      history.datasets.some((d) => d.deleted === true || (d.state !== undefined && (UNUSABLE_DATASET_STATES as readonly string[]).includes(d.state))) ||
      history.collections.some((c) => c.deleted === true);
    flagCache.set(history, flagged);
  }
  return flagged;
}

/** The number of datasets `BaseDataToolParameter.validate` counts: a collection counts its datasets. */
function datasetCount(value: ParamValue): number {
  switch (value.kind) {
    case 'dataset':
      return 1;
    case 'collection':
      return leafDatasets(value.collection).length;
    case 'list':
      return value.items.reduce((n, item) => n + datasetCount(item), 0);
    default:
      return 0;
  }
}

function whyUnusable(p: ExpandedParam, value: ParamValue, history: History): string | null {
  if (p.input.type === 'data') return whyUnusableForData(value, history);
  if (p.input.type === 'data_collection' && value.kind === 'collection') return whyUnusableCollection(value.hdcaId, value.elementPath, value.collection, history, 'the previously selected dataset collection has been deleted');
  return null;
}

function whyUnusableForData(value: ParamValue, history: History): string | null {
  switch (value.kind) {
    case 'dataset': {
      const dataset = history.datasets.find((d) => d.id === value.datasetId);
      if (dataset?.deleted === true) return 'the previously selected dataset has been deleted.';
      if (dataset?.state !== undefined && (UNUSABLE_DATASET_STATES as readonly string[]).includes(dataset.state)) return 'the previously selected dataset has entered an unusable state';
      return null;
    }
    case 'collection':
      return whyUnusableCollection(value.hdcaId, value.elementPath, value.collection, history, 'the previously selected dataset collection has been deleted.');
    case 'list':
      for (const item of value.items) {
        const why = whyUnusableForData(item, history);
        if (why !== null) return why;
      }
      return null;
    default:
      return null;
  }
}

function whyUnusableCollection(hdcaId: number, elementPath: readonly string[], collection: NestedCollection, history: History, deletedMessage: string): string | null {
  if (elementPath.length === 0 && findCollection(history, hdcaId)?.deleted === true) return deletedMessage;
  if (elementsDeleted(collection, history)) return 'the previously selected dataset collection has elements that are deleted.';
  return null;
}
