import type { JsonValue } from '../../src/model/case.js';
import type { HistoryCollection, HistoryDataset } from '../../src/model/history.js';
import { parseCase } from '../../src/model/parse-case.js';
import type { Tool, ToolInput, ToolOutput } from '../../src/model/tool.js';
import type { GaWorkflow, SchedulingOptions, WorkflowCase } from '../../src/model/workflow.js';
import type { ExecutionPlan } from '../../src/executor/execution.js';

export { WorkflowBuilder } from '../../generators/workflow-builder.js';

/** A tool of the test tools' kind: named inputs and data outputs. */
export function tool(id: string, inputs: readonly ToolInput[], outputs: readonly string[] | readonly ToolOutput[] = ['out_file1']): Tool {
  return { id, inputs, outputs: outputs.map((o) => (typeof o === 'string' ? { name: o, type: 'data' as const } : o)) };
}

/** Galaxy's `cat1` test tool as far as cardinality goes: one data input, one data output. */
export const CAT1 = tool('cat1', [{ name: 'input1', type: 'data' }]);
/** A tool reducing many datasets (a `multiple="true"` data parameter), like Galaxy's `multi_data_param`. */
export const MULTI = tool('multi_data_param', [{ name: 'f1', type: 'data', multiple: true }]);
/** A tool with no outputs. */
export const NO_OUTPUTS = tool('no_outputs', [{ name: 'input1', type: 'data' }], []);

/** A workflow invocation case, checked by parseCase like a case file. */
export function workflowCase(parts: {
  readonly workflow: GaWorkflow;
  readonly tools: readonly Tool[];
  readonly datasets?: number;
  readonly collections?: readonly HistoryCollection[];
  readonly inputs: { readonly [orderIndex: string]: JsonValue };
  readonly batch?: boolean;
  readonly scheduling?: SchedulingOptions;
}): WorkflowCase {
  const datasets: HistoryDataset[] = Array.from({ length: parts.datasets ?? 0 }, (_, i) => ({ id: i + 1 }));
  const c = parseCase({
    entry: 'workflow-invocation',
    workflow: parts.workflow,
    tools: parts.tools,
    history: { datasets, collections: parts.collections ?? [] },
    invocation: { inputs: parts.inputs, ...(parts.batch === undefined ? {} : { batch: parts.batch }) },
    ...(parts.scheduling === undefined ? {} : { scheduling: parts.scheduling }),
  });
  if (c.entry !== 'workflow-invocation') throw new Error('expected a workflow case');
  return c;
}

/** Rows the plan writes per table (the history fixture and stored workflow excluded). */
export function rowsOf(plan: ExecutionPlan): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = plan.fixtureStatements; i < plan.statements.length; i++) {
    const s = plan.statements[i]!;
    if (s.op === 'insert') counts[s.table] = (counts[s.table] ?? 0) + 1;
  }
  return counts;
}
