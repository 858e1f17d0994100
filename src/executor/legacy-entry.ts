import type { Expansion } from '../expansion/expansion.js';
import { execute } from './execute.js';
import type { EntryOutcome, ExecutionRun } from './execution-run.js';

/**
 * `POST /api/tools`: `ToolsService._create` (lib/galaxy/webapps/galaxy/services/tools.py)
 * → `Tool.handle_input` → `execute` → `_execute` with no tool request and no
 * TES (galaxy-semantics §3.1).
 */
export function legacyEntry(run: ExecutionRun, expansion: Expansion): EntryOutcome {
  if (!expansion.ok) return { passes: 0, activeOutputs: [] };
  const { activeOutputs } = execute({ run, expansion, toolRequestId: null, tes: null, step: null, maxJobs: Infinity, pass: 0 });
  return { passes: 1, activeOutputs };
}
