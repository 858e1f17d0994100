import type { Case, TesCaptureState } from '../model/case.js';
import type { WorkflowTrace } from './invoke-workflow.js';
import type { Expansion } from '../expansion/expansion.js';
import type { RowStatement } from './unit-of-work.js';
import type { ExecutionStateVariant, OutputCollectionLink } from './tables.js';
import type { ScalarReplace } from './relationships.js';

/**
 * What Galaxy's code means to write for one case (the executor's intent,
 * before ORM semantics and the database have their say; derived from the
 * code's writes in derive-intent.ts), and the statements that actually reach
 * the database.
 */

export interface TesIntent {
  readonly id: number;
  readonly state: TesCaptureState;
  readonly origin: 'tool-request' | 'workflow-step';
}

export interface JobIntent {
  readonly id: number;
  /** Index of the parameter combination this job runs. */
  readonly combination: number;
  readonly toolRequestId: number | null;
  /** The TES Galaxy's code stamps on the job (`job.tool_execution_state = tes`). */
  readonly tesId: number | null;
  readonly icjId: number | null;
  readonly orderIndex: number | null;
  /** The invocation step whose `job` the code sets (non-mapped workflow steps). */
  readonly wisId: number | null;
  /** Which `_execute` pass created it (retries and scheduling iterations count from 0). */
  readonly pass: number;
  readonly outputDatasetIds: readonly number[];
  readonly outputCollectionIds: readonly number[];
}

export interface IcjIntent {
  readonly id: number;
  /** Whether the ICJ row is written at all (no output HDCA holds it when the tool has no outputs). */
  readonly persisted: boolean;
  readonly tesId: number | null;
  readonly jobIds: number[];
  readonly outputCollectionIds: number[];
}

export interface WisIntent {
  readonly id: number;
  readonly tesId: number | null;
  readonly jobId: number | null;
  readonly icjId: number | null;
}

export interface OutputCollectionIntent {
  readonly hdcaId: number;
  readonly outputName: string;
  readonly icjId: number | null;
  readonly jobId: number | null;
  /** TEICA row's TES (branch) or null. */
  readonly teicaTesId: number | null;
  /** TRICA row's tool request (upstream) or null. */
  readonly tricaToolRequestId: number | null;
}

export interface ToolRequestIntent {
  readonly id: number;
  readonly tesId: number | null;
  readonly state: 'new' | 'submitted' | 'failed';
}

export interface ExecutionIntent {
  readonly entry: Case['entry'];
  readonly toolRequest: ToolRequestIntent | null;
  readonly tes: TesIntent[];
  readonly jobs: JobIntent[];
  readonly icjs: IcjIntent[];
  /** Every invocation step the code wrote, in order. */
  readonly steps: WisIntent[];
  readonly outputCollections: OutputCollectionIntent[];
  /** Number of parameter combinations of the expansion (0 on an error). */
  readonly combinations: number;
  readonly mapped: boolean;
  /** Outputs left after the output filters. */
  readonly activeOutputs: readonly string[];
  /** How many `_execute` passes ran (queue retries, workflow scheduling iterations). */
  readonly passes: number;
}

export interface ExecutionPlan {
  readonly expansion: Expansion;
  readonly statements: readonly RowStatement[];
  /** The first `fixtureStatements` statements write the history fixture, not the execution. */
  readonly fixtureStatements: number;
  readonly intent: ExecutionIntent;
  /** A workflow invocation: what happened at each step of each invocation (null for a tool execution). */
  readonly workflow: WorkflowTrace | null;
}

/** Executor behaviour a profile sets (galaxy-semantics §3, §5 and the open questions of §7.1). */
export interface ExecutorSettings {
  readonly executionState: ExecutionStateVariant;
  readonly outputCollectionLink: OutputCollectionLink;
  readonly scalarReplace: ScalarReplace;
  /** Q4: map-over of a tool with no (unfiltered) outputs — the ICJ is never inserted, or it is. */
  readonly icjWithoutOutputs: 'unsaved' | 'persisted';
  /** Q8: the `queue_jobs` task runs once, or is redelivered and runs twice. */
  readonly queueJobsRuns: 'once' | 'twice';
  /** Q7: a workflow step whose state capture did not validate — no TES, or a TES in that state. */
  readonly captureBailout: 'skip' | 'mint';
  /** Q9: state capture runs again on each scheduling re-entry, minting a new TES. */
  readonly recaptureOnReentry: 'off' | 'on';
  /** How a re-entered mapped step knows a slice ran: its filled output element (Galaxy) or its job (fixed). */
  readonly finishedSlices: 'output-element' | 'job';
  /** A tool step finished on its first pass records its outputs twice (Galaxy) or once (fixed). */
  readonly stepOutputRows: 'twice-on-first-pass' | 'once';
  /** A step with a non-data connection waits for that step and its jobs (Galaxy), or not. */
  readonly implicitDependencies: 'checked' | 'ignored';
  /** A step connected to an input collection not yet populated waits for it (Galaxy), or takes it as it is. */
  readonly unpopulatedInputs: 'waited-for' | 'used';
  /** A `$step` dependency on a step whose job failed fails the invocation with `job_failed` (Galaxy), or is taken as ok. */
  readonly failedJobs: 'fail-dependents' | 'ignored';
}
