import type { ExpansionSuccess } from '../expansion/expansion.js';
import type { Shape } from '../expansion/shape.js';
import type { ToolOutput } from '../model/tool.js';
import type { ExecutionRun } from './execution-run.js';
import { HISTORY_ID } from './history-fixture.js';
import { outputCollectionType } from './output-collections.js';
import type { SessionRow } from './session.js';

/**
 * The implicit output collections of a map-over and their
 * ImplicitCollectionJobs, as `ExecutionTracker` in lib/galaxy/tools/execute.py
 * creates, populates and finalizes them (galaxy-semantics §3.3).
 */

/** One precreated output HDCA, its collection rows and its leaf element slots (in walk order) that jobs fill. */
export interface ImplicitOutput {
  readonly output: ToolOutput;
  readonly hdca: SessionRow<'history_dataset_collection_association'>;
  readonly collectionRows: readonly SessionRow<'dataset_collection'>[];
  readonly leaves: readonly SessionRow<'dataset_collection_element'>[];
}

export interface ImplicitCollections {
  readonly icj: SessionRow<'implicit_collection_jobs'>;
  readonly outputs: readonly ImplicitOutput[];
}

/** A linked input collection of the map-over (`implicit_inputs`). */
export interface ImplicitInput {
  readonly hdcaId: number;
  readonly name: string;
}

/**
 * `ExecutionTracker.precreate_output_collections` (execute.py l.627-690): one
 * ICJ, carrying the TES when there is one to give; per output left by the
 * filters, an HDCA in the map-over's structure held by the ICJ, linked by a
 * TEICA to the TES (branch) or a TRICA to the tool request (upstream) on the
 * tool request path, and recorded as an output of the workflow step. With no
 * outputs no HDCA holds the ICJ, and the session does not insert it unless
 * the profile says so (Q4).
 */
export function precreateOutputCollections(
  run: ExecutionRun,
  request: {
    readonly expansion: ExpansionSuccess;
    readonly outputs: readonly ToolOutput[];
    readonly structure: Shape;
    readonly implicitInputs: readonly ImplicitInput[];
    readonly toolRequestId: number | null;
    readonly tes: SessionRow<'tool_execution_state'> | null;
    readonly stepId: number | null;
  },
): ImplicitCollections {
  const { session, rules } = run;
  const { outputs, structure, toolRequestId, tes } = request;
  const persisted = outputs.length > 0 || rules.persistsIcjWithoutOutputs;
  const icj = session.add('implicit_collection_jobs', { populated_state: 'new', tool_execution_state_id: tes?.id ?? null }, { persisted });
  const implicit: ImplicitOutput[] = [];
  for (const output of outputs) {
    const collectionRows: SessionRow<'dataset_collection'>[] = [];
    const leaves: SessionRow<'dataset_collection_element'>[] = [];
    const outputType = output.type === 'collection' ? `${structure.collectionType}:${outputCollectionType(output, request.expansion, request.expansion.combinations[0] ?? null)}` : structure.collectionType;
    const dcId = writeStructure(run, structure, outputType, collectionRows, leaves);
    const hdca = session.add('history_dataset_collection_association', {
      collection_id: dcId,
      history_id: HISTORY_ID,
      name: `${run.c.tool.id} on collection (${output.name})`,
      implicit_output_name: output.name,
      implicit_collection_jobs_id: icj.persisted ? icj.id : null,
    });
    if (toolRequestId !== null && rules.outputCollectionLink === 'teica' && tes !== null) {
      session.add('tool_execution_implicit_collection_association', { tool_execution_state_id: tes.id, dataset_collection_id: hdca.id, output_name: output.name });
    }
    if (toolRequestId !== null && rules.outputCollectionLink === 'trica') {
      session.add('tool_request_implicit_collection_association', { tool_request_id: toolRequestId, dataset_collection_id: hdca.id, output_name: output.name });
    }
    for (const input of request.implicitInputs) {
      session.add('implicitly_created_dataset_collection_inputs', { dataset_collection_id: hdca.id, input_dataset_collection_id: input.hdcaId, name: input.name });
    }
    if (request.stepId !== null) {
      session.add('workflow_invocation_step_output_dataset_collection_association', { workflow_invocation_step_id: request.stepId, dataset_collection_id: hdca.id, output_name: output.name });
    }
    implicit.push({ output, hdca, collectionRows, leaves });
  }
  session.commit();
  return { icj, outputs: implicit };
}

/** `precreate_dataset_collection_instance`'s structure: the map-over's shape, leaf elements uninitialized until a job fills them. */
function writeStructure(run: ExecutionRun, shape: Shape, collectionType: string, collectionRows: SessionRow<'dataset_collection'>[], leaves: SessionRow<'dataset_collection_element'>[]): number {
  const { session } = run;
  const dc = session.add('dataset_collection', { collection_type: collectionType, populated_state: 'new', element_count: shape.elements.length });
  collectionRows.push(dc);
  const innerType = collectionType.split(':').slice(1).join(':');
  shape.elements.forEach((element, index) => {
    const child = element.child === null ? null : writeStructure(run, element.child, innerType, collectionRows, leaves);
    const dce = session.add('dataset_collection_element', { dataset_collection_id: dc.id, hda_id: null, child_collection_id: child, element_index: index, element_identifier: element.identifier });
    if (element.child === null) leaves.push(dce);
  });
  return dc.id;
}

/**
 * `WorkflowStepExecutionTracker.ensure_implicit_collections_populated`
 * (execute.py l.903-931): a new step precreates its output collections, a
 * step scheduled again reuses them; the step then points at the ICJ its
 * HDCAs carry (none without outputs), and the step's TES is copied onto an
 * ICJ that has none, whatever its validation state.
 */
export function ensureImplicitCollectionsPopulated(
  run: ExecutionRun,
  step: { readonly wis: SessionRow<'workflow_invocation_step'>; readonly stepTes: SessionRow<'tool_execution_state'> | null; readonly existing: ImplicitCollections | null },
  precreate: () => ImplicitCollections,
): ImplicitCollections {
  const { session } = run;
  const implicit = step.existing ?? precreate();
  const linked = implicit.outputs.length > 0 && implicit.icj.persisted ? implicit.icj : null;
  session.set(step.wis, 'implicit_collection_jobs_id', linked?.id ?? null);
  if (linked !== null && linked.cells['tool_execution_state_id'] == null && step.stepTes !== null) {
    session.set(linked, 'tool_execution_state_id', step.stepTes.id);
  }
  session.commit();
  return implicit;
}

/** `ExecutionTracker.finalize_dataset_collections` (execute.py l.700-762): the ICJ and its collections become `ok` once every slice ran. */
export function finalizeDatasetCollections(run: ExecutionRun, implicit: ImplicitCollections): void {
  if (!implicit.icj.persisted || implicit.outputs.length === 0) return;
  run.session.set(implicit.icj, 'populated_state', 'ok');
  for (const out of implicit.outputs) for (const row of out.collectionRows) run.session.set(row, 'populated_state', 'ok');
  run.session.commit();
}
