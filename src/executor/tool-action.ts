import type { CollectionValue, ParamValue } from '../expansion/expansion.js';
import { leafDatasets } from '../model/history.js';
import type { ToolOutput } from '../model/tool.js';
import type { JobContext } from './execute.js';
import type { ExecutionSlice } from './execution-slices.js';
import { HISTORY_ID } from './history-fixture.js';
import { outputCollectionType } from './output-collections.js';
import type { SessionRow } from './session.js';

/**
 * `DefaultToolAction.execute` (lib/galaxy/tools/actions/__init__.py) for one
 * job: its input associations as `_record_inputs` writes them, and its
 * outputs. Under a map-over each output fills its slot in the precreated
 * implicit collection, the leaf at the slice's index whatever input element
 * its combination came from (the slice's `dataset_collection_elements`,
 * execute.py `new_collection_execution_slices`); otherwise a collection
 * output gets its own HDCA held by the job.
 */

/** The outputs one job created (what `record_success` then records). */
export interface JobOutputs {
  readonly datasets: readonly { readonly output: ToolOutput; readonly hdaId: number }[];
  /** HDCAs of the job itself (not under a map-over). */
  readonly collections: readonly { readonly output: ToolOutput; readonly hdcaId: number }[];
}

export function executeToolAction(job: JobContext, row: SessionRow<'job'>, slice: ExecutionSlice): JobOutputs {
  recordInputs(job, row.id, slice.combination);
  return createOutputs(job, row.id, slice);
}

function createOutputs(job: JobContext, jobId: number, slice: ExecutionSlice): JobOutputs {
  const index = slice.index;
  const { session } = job.pass.run;
  const datasets: { output: ToolOutput; hdaId: number }[] = [];
  const collections: { output: ToolOutput; hdcaId: number }[] = [];
  job.outputs.forEach((output, outputIndex) => {
    const slot = job.implicit?.outputs[outputIndex]?.leaves[index];
    if (output.type === 'data') {
      const hda = session.add('history_dataset_association', { history_id: HISTORY_ID, name: `${output.name} of job ${jobId}` });
      session.add('job_to_output_dataset', { job_id: jobId, dataset_id: hda.id, name: output.name });
      if (slot) session.set(slot, 'hda_id', hda.id);
      datasets.push({ output, hdaId: hda.id });
      return;
    }
    const dc = session.add('dataset_collection', { collection_type: outputCollectionType(output, job.pass.expansion, slice.combination), populated_state: 'new', element_count: 0 });
    session.add('job_to_implicit_output_dataset_collection', { job_id: jobId, dataset_collection_id: dc.id, name: output.name });
    if (slot) {
      session.set(slot, 'child_collection_id', dc.id);
      return;
    }
    const hdca = session.add('history_dataset_collection_association', { collection_id: dc.id, history_id: HISTORY_ID, name: `${output.name} of job ${jobId}`, job_id: jobId });
    session.add('job_to_output_dataset_collection', { job_id: jobId, dataset_collection_id: hdca.id, name: output.name });
    collections.push({ output, hdcaId: hdca.id });
  });
  return { datasets, collections };
}

/** Job input associations as Galaxy's tool action records them (JTIDA, JTIDCA, JTIDCEA). */
function recordInputs(job: JobContext, jobId: number, combination: readonly ParamValue[]): void {
  const { params } = job.pass.expansion;
  combination.forEach((value, i) => {
    const param = params[i]!;
    const key = param.key;
    // A legacy Batch on an undeclared key multiplies jobs but is no tool input (meta.py expand_meta_parameters).
    if (param.undeclared) return;
    switch (value.kind) {
      case 'dataset':
        inputDataset(job, jobId, value.datasetId, key);
        return;
      case 'none':
        if (param.input.type === 'data') inputDataset(job, jobId, null, key);
        return;
      case 'collection':
        inputCollection(job, jobId, value, key);
        return;
      case 'list': {
        // A multiple="true" parameter: the first dataset is recorded as `name` and again as `name1`, then `name2`...
        const datasets: number[] = [];
        for (const item of value.items) {
          if (item.kind === 'dataset') datasets.push(item.datasetId);
          else {
            collectionAssociation(job, jobId, item, key);
            datasets.push(...leafDatasets(item.collection));
          }
        }
        if (datasets.length > 0) inputDataset(job, jobId, datasets[0]!, key);
        datasets.forEach((d, n) => inputDataset(job, jobId, d, `${key}${n + 1}`));
        return;
      }
      case 'scalar':
        return;
    }
  });
}

function inputDataset(job: JobContext, jobId: number, datasetId: number | null, name: string): void {
  job.pass.run.session.add('job_to_input_dataset', { job_id: jobId, dataset_id: datasetId, name });
}

function collectionAssociation(job: JobContext, jobId: number, value: CollectionValue, name: string): void {
  const { session, fixture } = job.pass.run;
  if (value.elementPath.length === 0) {
    session.add('job_to_input_dataset_collection', { job_id: jobId, dataset_collection_id: value.hdcaId, name });
  } else {
    session.add('job_to_input_dataset_collection_element', { job_id: jobId, dataset_collection_element_id: fixture.elementId(value.hdcaId, value.elementPath), name });
  }
}

/** A whole collection or a subcollection element, plus one JTIDA per dataset in it (`name1`, `name2`, ...). */
function inputCollection(job: JobContext, jobId: number, value: CollectionValue, name: string): void {
  collectionAssociation(job, jobId, value, name);
  leafDatasets(value.collection).forEach((d, n) => inputDataset(job, jobId, d, `${name}${n + 1}`));
}
