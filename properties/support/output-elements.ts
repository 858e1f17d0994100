import type { ExecutionPlan } from '../../src/executor/execution.js';
import type { Cell, Layouts, TableName } from '../../src/executor/tables.js';

/**
 * Which job's result each element of a map-over's output collections holds,
 * read off the statements the executor wrote (the rows a user's history
 * shows), and which input element that job ran on.
 *
 * In Galaxy, `ToolExecutionTracker.new_collection_execution_slices`
 * (lib/galaxy/tools/execute.py, read at 02d6db70) enumerates
 * `zip(param_combinations, walk_implicit_collections())`: slice i runs
 * combination i and its outputs go into the i-th leaf of the precreated
 * output collections, whatever input element combination i came from. When
 * combinations and structure come from the same expansion they agree; S14's
 * combinations (`permutations.expand_multi_inputs`, element-major: element
 * ⌊i/N⌋ with Batch value i mod N) do not.
 */

/** One filled leaf of an implicit output collection. */
export interface FilledElement {
  readonly outputName: string;
  /** Element identifiers from the output HDCA down to the leaf. */
  readonly path: readonly string[];
  readonly jobId: number;
}

interface Rows {
  readonly layouts: Layouts;
  readonly byTable: Map<TableName, Map<number, Cell[]>>;
}

function cell(rows: Rows, table: TableName, values: readonly Cell[], column: string): Cell {
  const i = rows.layouts[table].index.get(column);
  return i === undefined ? null : (values[i] ?? null);
}

function readRows(plan: ExecutionPlan, layouts: Layouts): Rows {
  const byTable = new Map<TableName, Map<number, Cell[]>>();
  const rows: Rows = { layouts, byTable };
  for (const s of plan.statements.slice(plan.fixtureStatements)) {
    let table = byTable.get(s.table);
    if (table === undefined) byTable.set(s.table, (table = new Map()));
    if (s.op === 'insert') table.set(s.values[0] as number, s.values.slice());
    else {
      const row = table.get(s.id);
      const i = layouts[s.table].index.get(s.column);
      if (row !== undefined && i !== undefined) row[i] = s.value;
    }
  }
  return rows;
}

/** Every leaf of an implicit output collection that holds a job's output dataset or collection. */
export function filledOutputElements(plan: ExecutionPlan, layouts: Layouts): FilledElement[] {
  const rows = readRows(plan, layouts);
  const all = (table: TableName): [number, Cell[]][] => [...(rows.byTable.get(table) ?? new Map<number, Cell[]>()).entries()];
  const jobOfDataset = new Map<number, number>();
  for (const [, v] of all('job_to_output_dataset')) jobOfDataset.set(cell(rows, 'job_to_output_dataset', v, 'dataset_id') as number, cell(rows, 'job_to_output_dataset', v, 'job_id') as number);
  const jobOfCollection = new Map<number, number>();
  for (const [, v] of all('job_to_implicit_output_dataset_collection')) {
    jobOfCollection.set(cell(rows, 'job_to_implicit_output_dataset_collection', v, 'dataset_collection_id') as number, cell(rows, 'job_to_implicit_output_dataset_collection', v, 'job_id') as number);
  }
  const elementsOf = new Map<number, Cell[][]>();
  for (const [, v] of all('dataset_collection_element')) {
    const dc = cell(rows, 'dataset_collection_element', v, 'dataset_collection_id') as number;
    const list = elementsOf.get(dc);
    if (list === undefined) elementsOf.set(dc, [v]);
    else list.push(v);
  }
  const filled: FilledElement[] = [];
  const walk = (outputName: string, dc: number, path: readonly string[]): void => {
    for (const e of elementsOf.get(dc) ?? []) {
      const here = [...path, String(cell(rows, 'dataset_collection_element', e, 'element_identifier'))];
      const hda = cell(rows, 'dataset_collection_element', e, 'hda_id');
      const child = cell(rows, 'dataset_collection_element', e, 'child_collection_id');
      const job = typeof hda === 'number' ? jobOfDataset.get(hda) : typeof child === 'number' ? jobOfCollection.get(child) : undefined;
      if (job !== undefined) filled.push({ outputName, path: here, jobId: job });
      else if (typeof child === 'number') walk(outputName, child, here);
    }
  };
  for (const [, v] of all('history_dataset_collection_association')) {
    const name = cell(rows, 'history_dataset_collection_association', v, 'implicit_output_name');
    if (typeof name !== 'string') continue;
    walk(name, cell(rows, 'history_dataset_collection_association', v, 'collection_id') as number, []);
  }
  return filled;
}
