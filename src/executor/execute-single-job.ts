import type { JobContext } from './execute.js';
import type { ExecutionSlice } from './execution-slices.js';
import { HISTORY_ID } from './history-fixture.js';
import { recordSuccess } from './record-success.js';
import type { SessionRow } from './session.js';
import { executeToolAction } from './tool-action.js';

/**
 * `execute_single_job` inside `_execute` (lib/galaxy/tools/execute.py
 * l.218-275, galaxy-semantics §3.2 step 4): the tool action makes the job
 * and its dataset associations, the job gets the tool request and the
 * execution state, and the tracker records the success.
 */
export function executeSingleJob(slice: ExecutionSlice, job: JobContext): void {
  const { run, toolRequestId } = job.pass;
  const row = run.session.add(
    'job',
    { history_id: HISTORY_ID, tool_id: run.c.tool.id, state: job.pass.skip === true ? 'skipped' : 'new', tool_request_id: toolRequestId, tool_execution_state_id: stampExecutionState(job)?.id ?? null },
    { slice: { combination: slice.index, pass: job.pass.pass } },
  );
  const outputs = executeToolAction(job, row, slice);
  recordSuccess(job, row, slice, outputs);
}

/**
 * Which TES the job is stamped with: `if tool_execution_state is not None and
 * execution_tracker.collection_info is None: job.tool_execution_state =
 * tool_execution_state` (execute.py l.259-262). The same TES object for every
 * slice — so every job of a Batch over plain datasets gets the request's one
 * TES, which `UNIQUE(job.tool_execution_state_id)` refuses from the second
 * job on (the ledger's bug, galaxy-semantics §3.6). Under a map-over the ICJ
 * carries it instead.
 */
export function stampExecutionState(job: JobContext): SessionRow<'tool_execution_state'> | null {
  return job.collectionInfo ? null : job.tesForJobs;
}
