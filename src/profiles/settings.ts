import { UnknownNameError } from '../errors.js';
import type { ExpansionSettings } from '../expansion/expansion.js';
import type { ExecutorSettings } from '../executor/execution.js';

/**
 * Every behaviour setting a profile fixes and `--set name=value` overrides.
 * The open questions of galaxy-semantics §7.1 are settings whose default is
 * the reading of the code, so a Galaxy developer can flip one when the branch
 * pins the answer.
 */
export const SETTING_DEFINITIONS = [
  {
    name: 'schema.source',
    values: ['migrations', 'orm'],
    description: 'schema built by the migrations (with their UNIQUEs) or from the ORM metadata (create_all, without migration-only constraints)',
    question: 'Q2',
  },
  {
    name: 'orm.scalarReplace',
    values: ['raise', 'repoint'],
    description: 'a second child assigned to a scalar (uselist=False) relationship is written as is (the database raises if a constraint exists) or silently re-points (the earlier child loses its link)',
    question: 'Q1',
  },
  {
    name: 'executor.executionState',
    values: ['none', 'tes'],
    description: 'upstream Galaxy (no ToolExecutionState) or the workflow_state_backfill branch (TES minted per execution and stamped on rows)',
  },
  {
    name: 'executor.outputCollectionLink',
    values: ['trica', 'teica'],
    description: 'implicit output collections linked to the tool request (TRICA, upstream) or to the TES (TEICA, branch)',
  },
  {
    name: 'executor.icjWithoutOutputs',
    values: ['unsaved', 'persisted'],
    description: 'map-over of a tool with no unfiltered outputs: the ImplicitCollectionJobs row is never inserted (nothing holds it), or it is',
    question: 'Q4',
  },
  {
    name: 'executor.queueJobsRuns',
    values: ['once', 'twice'],
    description: 'the queue_jobs task for a tool request runs once, or is redelivered and runs twice',
    question: 'Q8',
  },
  {
    name: 'executor.unlinkedMapOverBatch',
    values: ['truncate', 'reject'],
    description: 'a map-over whose combinations do not line up with its elements (a plain Batch unlinked from it, S14; an unlinked collection crossed with a linked map-over): the executor zips them, truncating and filling elements with other elements\' results, or the request is rejected',
    question: 'Q5',
  },
  {
    name: 'request.linkedNull',
    values: ['multiplied', 'linked'],
    description: 'a Batch sent with "linked": null is multiplied (as the code reads) or linked',
    question: 'Q6',
  },
  {
    name: 'workflow.captureBailout',
    values: ['skip', 'mint'],
    description: 'a workflow step whose state capture does not validate gets no TES, or a TES in state not_validated / validation_failed',
    question: 'Q7',
  },
  {
    name: 'workflow.recaptureOnReentry',
    values: ['off', 'on'],
    description: 'state capture runs again when partial scheduling re-enters a step, minting a second TES for the invocation step',
    question: 'Q9',
  },
  {
    name: 'workflow.finishedSlices',
    values: ['output-element', 'job'],
    description: "how a mapped workflow step re-entered by the scheduler knows a slice already ran: by its filled output element, as Galaxy's tracker does (a step whose tool has no outputs then re-runs its first slices forever), or by the slice's job (a fixed Galaxy)",
  },
  {
    name: 'workflow.stepOutputRows',
    values: ['twice-on-first-pass', 'once'],
    description: "a tool step finished on its first scheduling pass records its outputs twice, as Galaxy's tracker and set_step_outputs both do, and an approved pause step records its output again on every later pass (PauseModule.recover_mapping), or each output once (a fixed Galaxy)",
  },
  {
    name: 'workflow.implicitDependencies',
    values: ['checked', 'ignored'],
    description: "a step with a non-data ($step) connection waits until that step is scheduled and its jobs have finished, as Galaxy's scheduler checks (__check_implicitly_dependent_steps), or is scheduled regardless",
  },
  {
    name: 'workflow.unpopulatedInputs',
    values: ['waited-for', 'used'],
    description: "a step connected to an input collection an upload is still populating waits until it is populated, as Galaxy's scheduler does (replacement_for_connection, waiting_for_elements), or takes it as it is",
  },
  {
    name: 'workflow.failedJobs',
    values: ['fail-dependents', 'ignored'],
    description: "a step with a non-data ($step) connection to a step whose job failed fails the invocation with job_failed, as Galaxy's scheduler does (__check_implicitly_dependent_step), or the scheduler takes the failed job as ok and runs the step",
  },
  {
    name: 'extraction.dedup',
    values: ['none', 'drop', 'merge'],
    description: 'workflow extraction of work items sharing a (tier, source_id) key: keep every item, drop the later ones, or merge their outputs into one step',
  },
  {
    name: 'extraction.batchStep',
    values: ['one-step', 'error'],
    description: 'extracting a tool request whose Batch has several plain values gives one step holding the Batch, or RequestInternalToWorkflowStateError',
    question: 'Q3',
  },
  {
    name: 'extraction.mappedInputs',
    values: ['implicit-input-collection', 'element'],
    description: "extraction connects a mapped step's input to the collection it was mapped over (implicit_input_collections, as Galaxy does), or to the element dataset its representative job read",
  },
] as const;

type Definitions = typeof SETTING_DEFINITIONS;
export type SettingName = Definitions[number]['name'];
export type SettingValue<N extends SettingName> = Extract<Definitions[number], { name: N }>['values'][number];
export type Settings = { readonly [N in SettingName]: SettingValue<N> };
export type SettingsPatch = { readonly [N in SettingName]?: SettingValue<N> };

export const SETTING_NAMES: readonly SettingName[] = SETTING_DEFINITIONS.map((d) => d.name);

export function findSetting(name: string): (typeof SETTING_DEFINITIONS)[number] | undefined {
  return SETTING_DEFINITIONS.find((d) => d.name === name);
}

/** Checks one `name=value` pair; throws UnknownNameError naming what is allowed. */
export function checkSetting(name: string, value: string, where: string): SettingsPatch {
  const definition = findSetting(name);
  if (definition === undefined) {
    throw new UnknownNameError(`${where}: unknown setting "${name}" (see cardfuzz profiles --settings; known: ${SETTING_NAMES.join(', ')})`);
  }
  if (!(definition.values as readonly string[]).includes(value)) {
    throw new UnknownNameError(`${where}: setting ${name} takes ${definition.values.join(' | ')}, not "${value}"`);
  }
  return { [name]: value } as SettingsPatch;
}

/** Parses `--set name=value` arguments. */
export function parseSettingAssignments(assignments: readonly string[]): SettingsPatch {
  let patch: SettingsPatch = {};
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new UnknownNameError(`--set ${assignment}: expected name=value`);
    patch = { ...patch, ...checkSetting(assignment.slice(0, eq), assignment.slice(eq + 1), `--set ${assignment}`) };
  }
  return patch;
}

export function expansionSettingsOf(s: Settings): ExpansionSettings {
  return { linkedNull: s['request.linkedNull'], unlinkedMapOverBatch: s['executor.unlinkedMapOverBatch'] };
}

export function executorSettingsOf(s: Settings): ExecutorSettings {
  return {
    executionState: s['executor.executionState'],
    outputCollectionLink: s['executor.outputCollectionLink'],
    scalarReplace: s['orm.scalarReplace'],
    icjWithoutOutputs: s['executor.icjWithoutOutputs'],
    queueJobsRuns: s['executor.queueJobsRuns'],
    captureBailout: s['workflow.captureBailout'],
    recaptureOnReentry: s['workflow.recaptureOnReentry'],
    finishedSlices: s['workflow.finishedSlices'],
    stepOutputRows: s['workflow.stepOutputRows'],
    implicitDependencies: s['workflow.implicitDependencies'],
    unpopulatedInputs: s['workflow.unpopulatedInputs'],
    failedJobs: s['workflow.failedJobs'],
  };
}
