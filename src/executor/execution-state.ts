import type { TesCaptureState } from '../model/case.js';
import type { ExecutionRun } from './execution-run.js';
import type { SessionRow } from './session.js';

/**
 * Minting the execution state: the tool source row and the branch's
 * ToolExecutionState (galaxy-semantics §1.1, §1.3, §3.4, §5).
 */

/**
 * The tool source of a request. Follows `get_or_create_tool_source`
 * (lib/galaxy/managers/tools.py, workflow_state_backfill branch), which
 * reuses the row for the same tool; upstream writes one per request.
 */
export function toolSourceFor(run: ExecutionRun): number {
  const reused = run.toolSource.current;
  if (run.rules.reusesToolSource && reused !== null) return reused;
  const tool = run.c.tool;
  const version = tool.version ?? '1.0';
  const row = run.session.add('tool_source', {
    hash: run.rules.tracksExecutionState ? `sha256:${tool.id}:${version}` : 'TODO',
    source: JSON.stringify({ id: tool.id }),
    source_class: 'XmlToolSource',
    identity_hash: `static:${tool.id}:${version}`,
    tool_id: tool.id,
    tool_version: version,
  });
  run.toolSource.current = row.id;
  return row.id;
}

/**
 * One ToolExecutionState: minted by the web request before the tool request
 * (`JobsService.create`, lib/galaxy/webapps/galaxy/services/jobs.py, branch)
 * or by a workflow step's state capture (`_capture_workflow_tool_request_state`,
 * lib/galaxy/workflow/modules.py, branch). Only a validated capture keeps the
 * request.
 */
export function mintExecutionState(run: ExecutionRun, state: TesCaptureState, request: string, toolSourceId: number): SessionRow<'tool_execution_state'> {
  return run.session.add('tool_execution_state', { request: state === 'validated' ? request : null, state, tool_source_id: toolSourceId });
}
