import type { Expansion } from '../expansion/expansion.js';
import { expandCase } from '../expansion/expand-case.js';
import type { ExpansionSettings, ExpansionSuccess } from '../expansion/expansion.js';
import type { Case, ToolCase } from '../model/case.js';
import { workflowGraph } from '../model/workflow-graph.js';
import type { WorkflowCase } from '../model/workflow.js';
import { invokeWorkflow, writeStoredWorkflow } from './invoke-workflow.js';
import { deriveIntent } from './derive-intent.js';
import type { EntryOutcome, ExecutionRun } from './execution-run.js';
import type { ExecutionPlan, ExecutorSettings } from './execution.js';
import { executorRulesOf, type ExecutorRules } from './executor-rules.js';
import { writeHistoryFixture } from './history-fixture.js';
import { legacyEntry } from './legacy-entry.js';
import type { RelationshipDeclaration } from './relationships.js';
import { Session } from './session.js';
import { tableLayouts, type Layouts } from './tables.js';
import { toolRequestEntry } from './tool-request-entry.js';
import { scalarLinksOf, UnitOfWork } from './unit-of-work.js';
import { workflowStepEntry } from './workflow-step.js';

/**
 * The executor model: from a case and its expansion, the rows Galaxy writes
 * and in which order (galaxy-semantics §3 and §5), and the links Galaxy's
 * code intends (the intent, derived from the same writes). Pure: no
 * database, no randomness. Each part follows one Galaxy function:
 *
 * | Galaxy | here |
 * |---|---|
 * | `JobsService.create` + `queue_jobs` (`POST /api/jobs`) | tool-request-entry.ts |
 * | `ToolsService._create` → `execute` (`POST /api/tools`) | legacy-entry.ts |
 * | `ToolModule.execute`, `_capture_workflow_tool_request_state` | workflow-step.ts |
 * | `get_or_create_tool_source`, minting a `ToolExecutionState` | execution-state.ts |
 * | `_execute`, `_tool_execution_state_for_jobs` | execute.ts |
 * | `new_execution_slices` (one job per Batch value) | execution-slices.ts |
 * | `execute_single_job` (the TES stamp) | execute-single-job.ts |
 * | `DefaultToolAction.execute` (inputs, outputs) | tool-action.ts |
 * | `record_success` (ICJJA, JTODCA, `invocation_step.job`) | record-success.ts |
 * | `precreate_output_collections`, `ensure_implicit_collections_populated`, `finalize_dataset_collections` | implicit-collections.ts |
 * | what the profile's settings mean | executor-rules.ts |
 * | a whole workflow invocation (`WorkflowInvoker`, `WorkflowProgress`, the modules' `execute`) | invoke-workflow.ts |
 */

export interface ExecutorContext {
  readonly layouts: Layouts;
  readonly scalarLinks: ReturnType<typeof scalarLinksOf>;
  readonly settings: ExecutorSettings;
  readonly rules: ExecutorRules;
  /** Workflow invocations expand each tool step's request when the scheduler reaches it. */
  readonly expansionSettings: ExpansionSettings;
}

export function createExecutorContext(settings: ExecutorSettings, relationships: readonly RelationshipDeclaration[], expansionSettings: ExpansionSettings): ExecutorContext {
  const layouts = tableLayouts(settings.executionState);
  return { layouts, scalarLinks: scalarLinksOf(layouts, relationships), settings, rules: executorRulesOf(settings), expansionSettings };
}

const ENTRIES: Readonly<Record<ToolCase['entry'], (run: ExecutionRun, expansion: Expansion) => EntryOutcome>> = {
  'tool-request': toolRequestEntry,
  legacy: legacyEntry,
  'workflow-step': workflowStepEntry,
};

/** A workflow invocation has no single expansion: each tool step has its own (`plan.workflow.steps`). */
export const NO_SINGLE_EXPANSION: ExpansionSuccess = { ok: true, params: [], template: [], combinations: [], mapOver: null };

/** Plans any case: a tool execution through its entry point, a workflow invocation through the invoker. */
export function planCase(c: Case, ctx: ExecutorContext): ExecutionPlan {
  return c.entry === 'workflow-invocation' ? executeWorkflowCase(c, ctx) : executeCase(c, expandCase(c, ctx.expansionSettings), ctx);
}

export function executeWorkflowCase(c: WorkflowCase, ctx: ExecutorContext): ExecutionPlan {
  const uow = new UnitOfWork(ctx.layouts, ctx.scalarLinks, ctx.settings.scalarReplace);
  const session = new Session(uow);
  const fixture = writeHistoryFixture(c, session);
  const stored = writeStoredWorkflow(session, workflowGraph(c.workflow, c.tools));
  session.commit();
  const fixtureStatements = uow.statements.length;
  session.record();
  const trace = invokeWorkflow(c, stored, session, fixture, ctx.rules, ctx.expansionSettings);
  const passes = trace.passes;
  const intent = deriveIntent(session, c.entry, NO_SINGLE_EXPANSION, { passes, activeOutputs: [], unfinishedSteps: trace.unfinished.length });
  return { expansion: NO_SINGLE_EXPANSION, statements: uow.statements, fixtureStatements, intent, workflow: trace };
}

export function executeCase(c: ToolCase, expansion: Expansion, ctx: ExecutorContext): ExecutionPlan {
  const uow = new UnitOfWork(ctx.layouts, ctx.scalarLinks, ctx.settings.scalarReplace);
  const session = new Session(uow);
  const fixture = writeHistoryFixture(c, session);
  const fixtureStatements = uow.statements.length;
  session.record();
  const run: ExecutionRun = { c, rules: ctx.rules, session, fixture, toolSource: { current: null } };
  const outcome = ENTRIES[c.entry](run, expansion);
  return { expansion, statements: uow.statements, fixtureStatements, intent: deriveIntent(session, c.entry, expansion, outcome), workflow: null };
}
