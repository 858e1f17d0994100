import type { Case } from './case.js';

/**
 * The body a developer sends to Galaxy to reproduce a case: `POST /api/jobs`
 * (legacy: `POST /api/tools`) for a tool execution, the inputs of the step for
 * a single workflow step, and `POST /api/workflows/{id}/invocations` for a
 * whole workflow invocation (inputs by step order index).
 */
export function requestBody(c: Case): Record<string, unknown> {
  if (c.entry === 'workflow-invocation') {
    return { history_id: 'HISTORY_ID', inputs_by: 'step_index', inputs: c.invocation.inputs, ...(c.invocation.batch === true ? { batch: true } : {}) };
  }
  if (c.entry === 'legacy') return { tool_id: c.tool.id, history_id: 'HISTORY_ID', inputs: c.request };
  return {
    tool_id: c.tool.id,
    history_id: 'HISTORY_ID',
    inputs: c.request,
    ...(c.rerun_remap_job_id === undefined ? {} : { rerun_remap_job_id: c.rerun_remap_job_id }),
  };
}

/** Which API the request body is for. */
export function requestEndpoint(c: Case): string {
  switch (c.entry) {
    case 'tool-request':
      return 'POST /api/jobs';
    case 'legacy':
      return 'POST /api/tools';
    case 'workflow-step':
      return 'workflow step inputs';
    case 'workflow-invocation':
      return 'POST /api/workflows/{id}/invocations';
  }
}

/** A workflow's steps in one line: `0 data_input, 1 tool fuzz_tool_1 (input1 <- 0:output), ...`. */
export function describeWorkflowSteps(c: Case): string {
  if (c.entry !== 'workflow-invocation') return '';
  return Object.values(c.workflow.steps)
    .map((s) => {
      const what = s.type === 'tool' ? `tool ${s.tool_id}` : s.type === 'subworkflow' ? `subworkflow (${Object.keys(s.subworkflow?.steps ?? {}).length} steps)` : s.type;
      const conns = Object.entries(s.input_connections ?? {}).flatMap(([input, c]) => (Array.isArray(c) ? c : [c]).map((x: { id: number; output_name: string }) => `${input} <- ${x.id}:${x.output_name}`));
      return `${s.id} ${what}${s.when ? ' (when)' : ''}${conns.length > 0 ? ` (${conns.join(', ')})` : ''}`;
    })
    .join('; ');
}
