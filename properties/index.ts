import { UnknownNameError } from '../src/errors.js';
import type { AnyProperty } from '../src/runner/property.js';
import { declaredCardinalityHolds } from './declared-cardinality-holds.js';
import { everyCombinationRunsOnce } from './every-combination-runs-once.js';
import { executionStateReachesItsJobs } from './execution-state-reaches-its-jobs.js';
import { extractionOneStepPerExecution } from './extraction-one-step-per-execution.js';
import { icjSupersedesJobTes } from './icj-supersedes-job-tes.js';
import { implicitJobsHaveRepresentative } from './implicit-jobs-have-representative.js';
import { migrationUpgradesAnyHistory } from './migration-upgrades-any-history.js';
import { persistsWithoutConstraintViolations } from './persists-without-constraint-violations.js';
import { readersAgree } from './readers-agree.js';
import { rowsMatchModel } from './rows-match-model.js';
import { stepExecutionKeepsOneState } from './step-execution-keeps-one-state.js';
import { wisTargetsJobXorIcj } from './wis-targets-job-xor-icj.js';
import { oneStepRowPerInvocationStep } from './one-step-row-per-invocation-step.js';
import { connectionsReachUpstreamOutputs } from './connections-reach-upstream-outputs.js';
import { mappedStepConsumedWhole } from './mapped-step-consumed-whole.js';
import { invocationFinishes } from './invocation-finishes.js';
import { extractionRoundTrip } from './extraction-round-trip.js';
import { oneOutputRowPerStepOutput } from './one-output-row-per-step-output.js';

/** Every property cardfuzz checks, by stable id, in the order they judge a case. */
export const PROPERTIES: readonly AnyProperty[] = [
  persistsWithoutConstraintViolations,
  rowsMatchModel,
  declaredCardinalityHolds,
  readersAgree,
  icjSupersedesJobTes,
  wisTargetsJobXorIcj,
  extractionOneStepPerExecution,
  everyCombinationRunsOnce,
  implicitJobsHaveRepresentative,
  executionStateReachesItsJobs,
  stepExecutionKeepsOneState,
  oneStepRowPerInvocationStep,
  connectionsReachUpstreamOutputs,
  mappedStepConsumedWhole,
  extractionRoundTrip,
  invocationFinishes,
  oneOutputRowPerStepOutput,
  migrationUpgradesAnyHistory,
];

export const PROPERTY_IDS: readonly string[] = PROPERTIES.map((p) => p.id);

export function findProperties(ids: readonly string[] | undefined): AnyProperty[] {
  if (ids === undefined || ids.length === 0) return [...PROPERTIES];
  return ids.map((id) => {
    const property = PROPERTIES.find((p) => p.id === id);
    if (property === undefined) throw new UnknownNameError(`unknown property "${id}" (known: ${PROPERTY_IDS.join(', ')})`);
    return property;
  });
}
