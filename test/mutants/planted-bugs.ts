import type { ExecutionPlan } from '../../src/executor/execution.js';
import { tableLayouts } from '../../src/executor/tables.js';
import type { RowStatement } from '../../src/executor/unit-of-work.js';
import type { Profile } from '../../src/profiles/profile.js';
import type { SettingsPatch } from '../../src/profiles/settings.js';
import type { PlanMutation } from '../../src/runner/system-under-test.js';
import { builtin } from '../helpers/targets.js';

/**
 * Deliberately wrong systems: wrong profiles, wrong settings, and executors
 * with a planted bug (a mutation of the rows they write). Each names the
 * properties that must catch it; the kill matrix checks every bug is caught
 * and every property catches something.
 */
export interface PlantedBug {
  readonly name: string;
  readonly profile: string | Profile;
  readonly settings?: SettingsPatch;
  readonly mutation?: PlanMutation;
  /** Properties that must fail on it. */
  readonly caughtBy: readonly string[];
  /** Fuzz whole workflow invocations instead of tool executions. */
  readonly cases?: 'workflow';
}

const JOB_TES = tableLayouts('tes').job.index.get('tool_execution_state_id')!;

function withStatements(plan: ExecutionPlan, statements: RowStatement[]): ExecutionPlan {
  return { ...plan, statements };
}

/** The executor stamps the TES on mapped jobs too (the `collection_info is None` guard removed). */
export const stampsTesOnMappedJobs: PlanMutation = (plan) => {
  const tes = plan.intent.toolRequest?.tesId;
  if (tes == null) return plan;
  const mapped = new Set(plan.intent.jobs.filter((j) => j.icjId !== null).map((j) => j.id));
  return withStatements(
    plan,
    plan.statements.map((s) => {
      if (s.op !== 'insert' || s.table !== 'job' || !mapped.has(s.values[0] as number)) return s;
      const values = s.values.slice();
      values[JOB_TES] = tes;
      return { ...s, values };
    }),
  );
};

/** The workflow tracker sets `wis.job` on mapped steps too. */
export const setsJobOnMappedStep: PlanMutation = (plan) => {
  const wis = plan.intent.steps[0];
  const first = plan.intent.jobs[0];
  if (wis === undefined || wis.icjId === null || first === undefined) return plan;
  return withStatements(plan, [...plan.statements, { op: 'update', table: 'workflow_invocation_step', column: 'job_id', id: wis.id, value: first.id }]);
};

/** The ICJ-job association rows never reach the database. */
export const losesIcjJobRows: PlanMutation = (plan) =>
  withStatements(
    plan,
    plan.statements.filter((s) => !(s.op === 'insert' && s.table === 'implicit_collection_jobs_job_association')),
  );

const WIS_ID = 0;

/** The scheduler makes a second step row when it reaches a step again (the lazy get-or-create broken). */
export const duplicatesStepRows: PlanMutation = (plan) => {
  if (plan.workflow === null) return plan;
  const first = plan.statements.findIndex((s, i) => i >= plan.fixtureStatements && s.op === 'insert' && s.table === 'workflow_invocation_step');
  if (first < 0) return plan;
  const row = plan.statements[first]!;
  if (row.op !== 'insert') return plan;
  const copy = row.values.slice();
  copy[WIS_ID] = 100_000;
  return withStatements(plan, [...plan.statements, { op: 'insert', table: 'workflow_invocation_step', values: copy }]);
};

/** `WorkflowInvocationStep.add_output` rows never reach the database. */
export const losesStepOutputRows: PlanMutation = (plan) =>
  plan.workflow === null
    ? plan
    : withStatements(
        plan,
        plan.statements.filter((s) => !(s.op === 'insert' && (s.table === 'workflow_invocation_step_output_dataset_association' || s.table === 'workflow_invocation_step_output_dataset_collection_association'))),
      );

/** The last job of each map-over never fills its element of the implicit collection. */
export const losesLastElementFill: PlanMutation = (plan) => {
  if (plan.workflow === null) return plan;
  const fills = plan.statements.flatMap((s, i) => (s.op === 'update' && s.table === 'dataset_collection_element' && s.column === 'hda_id' ? [i] : []));
  const drop = new Set(fills.length > 1 ? [fills[fills.length - 1]!] : []);
  return drop.size === 0 ? plan : withStatements(plan, plan.statements.filter((_, i) => !drop.has(i)));
};

/** A map-over's jobs fill the wrong output elements: each job's output dataset lands in the next element (rotated). */
export const rotatesOutputElements: PlanMutation = (plan) => {
  const fills = plan.statements.flatMap((s, i) => (s.op === 'update' && s.table === 'dataset_collection_element' && s.column === 'hda_id' ? [i] : []));
  if (fills.length < 2) return plan;
  const statements = plan.statements.slice();
  fills.forEach((at, k) => {
    const s = plan.statements[at]!;
    const next = plan.statements[fills[(k + 1) % fills.length]!]!;
    if (s.op === 'update' && next.op === 'update') statements[at] = { ...s, value: next.value };
  });
  return withStatements(plan, statements);
};

/** branch-fixed plus a migration that makes job.tool_request_id unique. */
export function uniqueJobToolRequestProfile(): Profile {
  const fixed = builtin('branch-fixed');
  const index = 'CREATE UNIQUE INDEX ix_job_tool_request_id_unique ON job (tool_request_id)';
  return { ...fixed, name: 'branch-fixed+unique-job-tool-request', extraSql: { sqlite: [index], postgres: [index] } };
}

export const PLANTED_BUGS: readonly PlantedBug[] = [
  { name: 'UNIQUE(job.tool_execution_state_id) on batch tool requests (branch-1f87eebce)', profile: 'branch-1f87eebce', caughtBy: ['persists-without-constraint-violations', 'migration-upgrades-any-history', 'extraction-one-step-per-execution'] },
  { name: 'scalar TES.job back-populate that re-points', profile: 'branch-1f87eebce', settings: { 'orm.scalarReplace': 'repoint' }, caughtBy: ['rows-match-model', 'readers-agree'] },
  { name: 'schema from ORM metadata, without the UNIQUEs', profile: 'branch-1f87eebce', settings: { 'schema.source': 'orm' }, caughtBy: ['declared-cardinality-holds', 'readers-agree'] },
  { name: 'extraction drops duplicate work items', profile: 'branch-fixed', settings: { 'extraction.dedup': 'drop' }, caughtBy: ['extraction-one-step-per-execution'] },
  { name: 'extraction keeps duplicate work items', profile: 'branch-fixed', settings: { 'extraction.dedup': 'none' }, caughtBy: ['extraction-one-step-per-execution'] },
  { name: 'extraction refuses a batch payload (Q3 as error)', profile: 'branch-fixed', settings: { 'extraction.batchStep': 'error' }, caughtBy: ['extraction-one-step-per-execution'] },
  { name: 'executor stamps the TES on mapped jobs', profile: 'branch-fixed', mutation: stampsTesOnMappedJobs, caughtBy: ['icj-supersedes-job-tes', 'rows-match-model'] },
  { name: 'workflow tracker sets wis.job on mapped steps', profile: 'branch-fixed', mutation: setsJobOnMappedStep, caughtBy: ['wis-targets-job-xor-icj'] },
  { name: 'ICJ-job rows lost', profile: 'branch-fixed', mutation: losesIcjJobRows, caughtBy: ['rows-match-model', 'readers-agree'] },
  { name: 'state capture runs again on scheduling re-entry (Q9)', profile: 'branch-fixed', settings: { 'workflow.recaptureOnReentry': 'on' }, caughtBy: ['step-execution-keeps-one-state'] },
  { name: 'queue_jobs task redelivered (Q8)', profile: 'branch-fixed', settings: { 'executor.queueJobsRuns': 'twice' }, caughtBy: ['every-combination-runs-once', 'persists-without-constraint-violations'] },
  { name: 'UNIQUE(job.tool_request_id) added by a profile', profile: uniqueJobToolRequestProfile(), caughtBy: ['persists-without-constraint-violations'] },
  { name: 'upstream executor truncates a map-over with an unlinked plain Batch (S14)', profile: 'upstream', caughtBy: ['every-combination-runs-once'] },
  { name: 'map-over jobs fill the wrong output elements', profile: 'branch-fixed', settings: { 'executor.unlinkedMapOverBatch': 'reject' }, mutation: rotatesOutputElements, caughtBy: ['every-combination-runs-once'] },
  { name: 'upstream representative_job on an empty map-over (S8)', profile: 'upstream', caughtBy: ['implicit-jobs-have-representative'] },
  { name: 'map-over of a tool without outputs loses its TES links (Q4)', profile: 'branch-fixed', caughtBy: ['execution-state-reaches-its-jobs'] },
  { name: 'scheduler makes a second step row for a step', profile: 'branch-fixed', mutation: duplicatesStepRows, caughtBy: ['one-step-row-per-invocation-step'], cases: 'workflow' },
  { name: 'invocation step output rows lost', profile: 'branch-fixed', mutation: losesStepOutputRows, caughtBy: ['connections-reach-upstream-outputs'], cases: 'workflow' },
  { name: 'scheduler runs a step before the step it waits on ($step) is done', profile: 'branch-fixed', settings: { 'workflow.implicitDependencies': 'ignored' }, caughtBy: ['connections-reach-upstream-outputs'], cases: 'workflow' },
  { name: 'scheduler takes an input collection an upload has not populated yet', profile: 'branch-fixed', settings: { 'workflow.unpopulatedInputs': 'used' }, caughtBy: ['connections-reach-upstream-outputs'], cases: 'workflow' },
  { name: 'scheduler ignores a failed job a $step dependency waits on (job_failed)', profile: 'branch-fixed', settings: { 'workflow.failedJobs': 'ignored' }, caughtBy: ['connections-reach-upstream-outputs'], cases: 'workflow' },
  { name: 'a mapped step leaves its last element empty', profile: 'branch-fixed', mutation: losesLastElementFill, caughtBy: ['mapped-step-consumed-whole'], cases: 'workflow' },
  { name: "extraction connects a mapped step to its job's element instead of the collection it mapped over", profile: 'branch-fixed', settings: { 'extraction.mappedInputs': 'element' }, caughtBy: ['extraction-round-trip'], cases: 'workflow' },
  { name: "upstream scheduler records a first-pass tool step's outputs twice (§4)", profile: 'branch-fixed', caughtBy: ['one-output-row-per-step-output'], cases: 'workflow' },
  { name: 'upstream scheduler re-runs a mapped step without outputs under a job cap (1b)', profile: 'branch-fixed', caughtBy: ['invocation-finishes'], cases: 'workflow' },
];
