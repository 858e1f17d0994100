import type { Expansion } from '../expansion/expansion.js';
import { execute } from './execute.js';
import type { EntryOutcome, ExecutionRun } from './execution-run.js';
import { mintExecutionState, toolSourceFor } from './execution-state.js';
import { HISTORY_ID } from './history-fixture.js';

/**
 * `POST /api/jobs`: `JobsService.create` (lib/galaxy/webapps/galaxy/services/jobs.py)
 * writes the tool source, the branch's TES and the tool request in the web
 * request; the `queue_jobs` task (lib/galaxy/celery/tasks.py) then runs
 * `execute_async` → `_execute` (galaxy-semantics §3.1, §3.4). A request the
 * API refuses writes nothing; one that fails later leaves the tool request
 * `failed`.
 */
export function toolRequestEntry(run: ExecutionRun, expansion: Expansion): EntryOutcome {
  if (!expansion.ok && expansion.error.stage === 'request') return { passes: 0, activeOutputs: [] };
  const { session, rules } = run;
  const requestJson = JSON.stringify(run.c.request);
  const toolSourceId = toolSourceFor(run);
  const tes = rules.tracksExecutionState ? mintExecutionState(run, 'validated', requestJson, toolSourceId) : null;
  const tr = session.add('tool_request', { history_id: HISTORY_ID, state: 'new', request: requestJson, tool_source_id: toolSourceId, tool_execution_state_id: tes?.id ?? null });
  session.commit();
  if (!expansion.ok) {
    session.set(tr, 'state', 'failed');
    session.commit();
    return { passes: 0, activeOutputs: [] };
  }
  let activeOutputs: readonly string[] = [];
  for (let pass = 0; pass < rules.queueJobsPasses; pass++) {
    ({ activeOutputs } = execute({ run, expansion, toolRequestId: tr.id, tes, step: null, maxJobs: Infinity, pass }));
  }
  session.set(tr, 'state', 'submitted');
  session.commit();
  return { passes: rules.queueJobsPasses, activeOutputs };
}
