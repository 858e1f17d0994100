import type { Case } from '../model/case.js';
import { isDatasetElement, type NestedCollection } from '../model/history.js';
import type { Session, SessionRow } from './session.js';

/**
 * The history a case runs in, written before the execution: its datasets,
 * its collections (dataset_collection + elements + HDCA) and, for a workflow
 * step, the workflow and its invocation. Not Galaxy's execution code: the
 * state a user's history is in when the request arrives.
 */

export const HISTORY_ID = 1;
export const WORKFLOW_INVOCATION_ID = 1;
export const WORKFLOW_STEP_ID = 1;

/** Where the fixture's collection elements were written: the DCE id of each (HDCA, element path). */
export interface FixtureIndex {
  elementId(hdcaId: number, path: readonly string[]): number | null;
  /** The `dataset_collection` row of a history collection (an upload that finishes populates it). */
  collectionRow(hdcaId: number): SessionRow<'dataset_collection'> | null;
}

function elementKey(hdcaId: number, path: readonly string[]): string {
  return `${hdcaId}\u0000${path.join('\u0000')}`;
}

export function writeHistoryFixture(c: Case, session: Session): FixtureIndex {
  const elements = new Map<string, number>();
  session.addWithId('history', HISTORY_ID, { name: 'cardfuzz history' });
  let maxDataset = 0;
  for (const d of c.history.datasets) {
    session.addWithId('history_dataset_association', d.id, { history_id: HISTORY_ID, name: `dataset ${d.id}` });
    maxDataset = Math.max(maxDataset, d.id);
  }
  session.startAfter('history_dataset_association', maxDataset);
  let maxCollection = 0;
  const collectionRows = new Map<number, SessionRow<'dataset_collection'>>();
  for (const hdca of c.history.collections) {
    const dc = writeInputCollection(hdca, hdca.id, [], session, elements, hdca.populated_state ?? 'ok');
    collectionRows.set(hdca.id, dc);
    session.addWithId('history_dataset_collection_association', hdca.id, { collection_id: dc.id, history_id: HISTORY_ID, name: `collection ${hdca.id}` });
    maxCollection = Math.max(maxCollection, hdca.id);
  }
  session.startAfter('history_dataset_collection_association', maxCollection);
  if (c.entry === 'workflow-step') {
    session.addWithId('workflow', 1, { name: 'cardfuzz workflow' });
    session.addWithId('workflow_step', WORKFLOW_STEP_ID, { workflow_id: 1, type: 'tool' });
    session.addWithId('workflow_invocation', WORKFLOW_INVOCATION_ID, { workflow_id: 1, history_id: HISTORY_ID, state: 'scheduled' });
  }
  session.commit();
  return { elementId: (hdcaId, path) => elements.get(elementKey(hdcaId, path)) ?? null, collectionRow: (hdcaId) => collectionRows.get(hdcaId) ?? null };
}

/** A collection's rows; the top level carries the history's `populated_state` (a nested one is written populated). */
function writeInputCollection(collection: NestedCollection, hdcaId: number, path: readonly string[], session: Session, elements: Map<string, number>, populatedState: string): SessionRow<'dataset_collection'> {
  const dc = session.add('dataset_collection', { collection_type: collection.collection_type, populated_state: populatedState, element_count: collection.elements.length });
  collection.elements.forEach((element, index) => {
    const elementPath = [...path, element.identifier];
    const child = isDatasetElement(element) ? null : writeInputCollection(element.collection, hdcaId, elementPath, session, elements, 'ok').id;
    const dce = session.add('dataset_collection_element', {
      dataset_collection_id: dc.id,
      hda_id: isDatasetElement(element) ? element.dataset : null,
      child_collection_id: child,
      element_index: index,
      element_identifier: element.identifier,
    });
    elements.set(elementKey(hdcaId, elementPath), dce.id);
  });
  return dc;
}
