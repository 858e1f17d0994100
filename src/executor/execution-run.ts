import type { ToolCase } from '../model/case.js';
import type { ExecutorRules } from './executor-rules.js';
import type { FixtureIndex } from './history-fixture.js';
import type { Session } from './session.js';

/**
 * The context every part of the executor receives for one case: the case,
 * the rules the profile sets, the session rows are written through, and
 * where the history fixture put its collection elements.
 */
export interface ExecutionRun {
  readonly c: ToolCase;
  readonly rules: ExecutorRules;
  readonly session: Session;
  readonly fixture: FixtureIndex;
  /** The tool source row written for this case so far (the branch reuses it). */
  readonly toolSource: { current: number | null };
}

/** What an entry point reports besides its rows: how many `_execute` passes ran and the outputs left after the filters. */
export interface EntryOutcome {
  readonly passes: number;
  readonly activeOutputs: readonly string[];
  /** Workflow tool steps still unfinished when the scheduling budget was spent (they never finish in Galaxy). */
  readonly unfinishedSteps?: number;
}

export const NO_PASS: EntryOutcome = { passes: 0, activeOutputs: [] };
