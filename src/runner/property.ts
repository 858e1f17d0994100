import type { ExecutionPlan } from '../executor/execution.js';
import type { Case } from '../model/case.js';
import type { DeclaredColumn, ReaderId } from '../readers/galaxy-readers.js';
import type { CaseOutcome, UpgradeOutcome } from '../persistence/case-database.js';
import type { SystemUnderTest } from './system-under-test.js';

/**
 * A property is a named invariant over one evaluated case. The id is stable:
 * it is the CLI choice, the report label and part of a finding's fingerprint.
 */

/** What a failing property reports: a finding in the system under test, never a cardfuzz error. */
export interface Violation {
  /** `unique`, `foreign-key`, ... for database constraints; a kebab-case word for model checks (`count-mismatch`, `would-raise`, ...). */
  readonly kind: string;
  readonly table: string | null;
  readonly columns: readonly string[];
  /** The constraint, relationship or reader concerned. */
  readonly constraint: string | null;
  readonly message: string;
}

/**
 * What a property returns for an input it could not judge: its precondition
 * did not hold (no tool request, no mapped job, a refused write) or the
 * readers or columns it needs are not in the schema. Only judged inputs
 * count; a property that judged none in a campaign is "not checked", never
 * "held".
 */
export const NOT_JUDGED: unique symbol = Symbol('not judged');
export type NotJudged = typeof NOT_JUDGED;

/** A property's answer for one input: a violation, `null` (judged and held), or NOT_JUDGED. */
export type Judgement = Violation | null | NotJudged;

/** The violation of a judgement, if it is one. */
export function violationOf(judgement: Judgement): Violation | null {
  return judgement === null || judgement === NOT_JUDGED ? null : judgement;
}

/** One case run through the model and the database. */
export interface CaseEvaluation {
  readonly case: Case;
  readonly plan: ExecutionPlan;
  readonly outcome: CaseOutcome;
  readonly system: SystemUnderTest;
}

export interface PropertyNeeds {
  /**
   * Columns without which the property can judge no case at all: a schema that
   * lacks one (or a profile that writes none of it) makes the property not
   * applicable there (see runner/applicability.ts).
   */
  readonly columns?: readonly DeclaredColumn[];
  /** Galaxy's reader queries it reads after the write (ids of readers/galaxy-readers.ts); a schema that cannot run one weakens the property, one that can run none of them makes it not applicable. */
  readonly readers?: readonly ReaderId[];
  /** Children counted per parent for every relationship declared scalar. */
  readonly overfull?: boolean;
}

export interface ExecutionProperty {
  readonly family: 'execution';
  readonly id: string;
  readonly summary: string;
  /** Set when the property checks a documented hazard of Galaxy's code rather than an invariant the branch promises. */
  readonly hazard?: string;
  /** Judges whole workflow invocations only: left out of a run that generates tool executions only (--tool). */
  readonly workflowOnly?: true;
  readonly needs: PropertyNeeds;
  /** Why the property cannot judge any case of this system (a table or column it needs is not written), or null. */
  readonly notApplicable?: (system: SystemUnderTest) => string | null;
  check(evaluation: CaseEvaluation): Judgement;
}

export function defineExecutionProperty(p: Omit<ExecutionProperty, 'family'>): ExecutionProperty {
  return { family: 'execution', ...p };
}

/** A history of cases written under the previous profile, then upgraded by the target profile's migrations. */
export interface UpgradeEvaluation {
  readonly cases: readonly Case[];
  readonly plans: readonly ExecutionPlan[];
  readonly outcome: UpgradeOutcome;
  readonly previous: SystemUnderTest;
  readonly target: SystemUnderTest;
}

export interface UpgradeProperty {
  readonly family: 'upgrade';
  readonly id: string;
  readonly summary: string;
  readonly hazard?: string;
  check(evaluation: UpgradeEvaluation): Judgement;
}

export type AnyProperty = ExecutionProperty | UpgradeProperty;
