import type { RelationshipDeclaration } from '../executor/relationships.js';
import { BRANCH_1F87EEBCE_MIGRATIONS, BRANCH_FIXED_MIGRATIONS, UPSTREAM_MIGRATIONS } from '../schema/galaxy-migrations.js';
import type { Profile } from './profile.js';
import type { Settings } from './settings.js';

/**
 * The built-in profiles (DESIGN.md §3). Settings left open by
 * galaxy-semantics §7.1 take the reading of the code as their default.
 */

function rel(name: string, parentTable: RelationshipDeclaration['parentTable'], childTable: RelationshipDeclaration['childTable'], column: string, uselist: boolean): RelationshipDeclaration {
  return { name, parentTable, childTable, column, uselist };
}

const COMMON_RELATIONSHIPS: readonly RelationshipDeclaration[] = [
  rel('ToolRequest.jobs', 'tool_request', 'job', 'tool_request_id', true),
  rel('Job.implicit_collection_jobs_association', 'job', 'implicit_collection_jobs_job_association', 'job_id', false),
  rel('ImplicitCollectionJobs.jobs', 'implicit_collection_jobs', 'implicit_collection_jobs_job_association', 'implicit_collection_jobs_id', true),
  rel('Job.workflow_invocation_step', 'job', 'workflow_invocation_step', 'job_id', false),
  rel('ImplicitCollectionJobs.workflow_invocation_step', 'implicit_collection_jobs', 'workflow_invocation_step', 'implicit_collection_jobs_id', false),
];

const UPSTREAM_RELATIONSHIPS: readonly RelationshipDeclaration[] = [
  ...COMMON_RELATIONSHIPS,
  rel('ToolRequest.implicit_collections', 'tool_request', 'tool_request_implicit_collection_association', 'tool_request_id', true),
  rel('HistoryDatasetCollectionAssociation.tool_request_association', 'history_dataset_collection_association', 'tool_request_implicit_collection_association', 'dataset_collection_id', false),
];

function branchRelationships(jobIsList: boolean): readonly RelationshipDeclaration[] {
  return [
    ...COMMON_RELATIONSHIPS,
    rel('ToolExecutionState.tool_request', 'tool_execution_state', 'tool_request', 'tool_execution_state_id', false),
    rel('ToolExecutionState.job', 'tool_execution_state', 'job', 'tool_execution_state_id', jobIsList),
    rel('ToolExecutionState.workflow_invocation_step', 'tool_execution_state', 'workflow_invocation_step', 'tool_execution_state_id', false),
    rel('ToolExecutionState.implicit_collection_jobs', 'tool_execution_state', 'implicit_collection_jobs', 'tool_execution_state_id', false),
    rel('ToolExecutionState.implicit_collection_associations', 'tool_execution_state', 'tool_execution_implicit_collection_association', 'tool_execution_state_id', true),
    rel('HistoryDatasetCollectionAssociation.tool_execution_association', 'history_dataset_collection_association', 'tool_execution_implicit_collection_association', 'dataset_collection_id', false),
  ];
}

export const DEFAULT_SETTINGS: Settings = {
  'schema.source': 'migrations',
  'orm.scalarReplace': 'raise',
  'executor.executionState': 'none',
  'executor.outputCollectionLink': 'trica',
  'executor.icjWithoutOutputs': 'unsaved',
  'executor.queueJobsRuns': 'once',
  'executor.unlinkedMapOverBatch': 'truncate',
  'request.linkedNull': 'multiplied',
  'workflow.captureBailout': 'skip',
  'workflow.recaptureOnReentry': 'off',
  'workflow.finishedSlices': 'output-element',
  'workflow.stepOutputRows': 'twice-on-first-pass',
  'workflow.implicitDependencies': 'checked',
  'workflow.unpopulatedInputs': 'waited-for',
  'workflow.failedJobs': 'fail-dependents',
  'extraction.dedup': 'none',
  'extraction.batchStep': 'one-step',
  'extraction.mappedInputs': 'implicit-input-collection',
};

const BRANCH_SETTINGS: Settings = { ...DEFAULT_SETTINGS, 'executor.executionState': 'tes', 'executor.outputCollectionLink': 'teica' };

const NO_SQL = { sqlite: [], postgres: [] } as const;

export const BUILTIN_PROFILES: readonly Profile[] = [
  {
    name: 'upstream',
    description: 'public Galaxy: tool requests and TRICA, no ToolExecutionState',
    expectation: 'whatever the model finds; each finding is a documented hazard of upstream code',
    migrations: UPSTREAM_MIGRATIONS,
    extraSql: NO_SQL,
    relationships: UPSTREAM_RELATIONSHIPS,
    settings: DEFAULT_SETTINGS,
    origin: 'built-in',
  },
  {
    name: 'branch-1f87eebce',
    description: 'workflow_state_backfill @1f87eebce: TES, UNIQUE(tool_execution_state_id) on TR/job/ICJ/WIS, TES.job scalar, extraction without dedup',
    expectation: 'fails: a Batch of two datasets violates UNIQUE(job.tool_execution_state_id); extraction yields duplicate steps',
    migrations: BRANCH_1F87EEBCE_MIGRATIONS,
    extraSql: NO_SQL,
    relationships: branchRelationships(false),
    settings: BRANCH_SETTINGS,
    previous: 'upstream',
    origin: 'built-in',
  },
  {
    name: 'branch-fixed',
    description: 'the ledger’s fix: job UNIQUE dropped, TES.job a list, extraction merges work items sharing (tier, source_id)',
    expectation: 'passes the branch’s properties; only upstream hazards remain',
    migrations: BRANCH_FIXED_MIGRATIONS,
    extraSql: NO_SQL,
    relationships: branchRelationships(true),
    settings: { ...BRANCH_SETTINGS, 'extraction.dedup': 'merge' },
    previous: 'upstream',
    origin: 'built-in',
  },
];

export function findBuiltinProfile(name: string): Profile | undefined {
  return BUILTIN_PROFILES.find((p) => p.name === name);
}
