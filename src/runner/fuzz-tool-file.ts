import fc from 'fast-check';
import type { Case } from '../model/case.js';
import type { Tool } from '../model/tool.js';
import { FuzzerError, NotModelledError } from '../errors.js';
import type { Profile } from '../profiles/profile.js';
import type { ToolReport } from '../reporting/tool-folder-summary.js';
import { loadToolFile } from '../tools/load-tool.js';
import type { Finding } from './finding.js';
import type { Target, TargetOptions } from './open-target.js';
import type { AnyProperty } from './property.js';
import { runSuite } from './run-suite.js';

/**
 * One tool file of `run --tool DIR`: loaded as Galaxy's loader loads it (or
 * `strict`ly), then fuzzed on its own with the seed and budget every tool
 * gets. A tool Galaxy's loader refuses, or that cardfuzz does not model, is a
 * report, never an error; cardfuzz's own failure while fuzzing is returned as
 * `error` (a tool error, never a finding). The bench measures tools per second
 * with this same function, on this thread and on the pool's workers.
 */
export interface FuzzToolOptions {
  readonly target: TargetOptions;
  /** The target, already open (a pool worker keeps its database between tools; it stays the caller's to close). */
  readonly opened?: Target;
  readonly profile: Profile;
  readonly properties: readonly AnyProperty[];
  readonly seed: number;
  readonly runs: number;
  readonly timeLimitMs?: number | undefined;
  readonly shrinkTimeLimitMs?: number | undefined;
  readonly strict: boolean;
  /** The cases of one tool (generators/tool-cases.ts `caseForToolArbitrary`, passed in by the CLI). */
  readonly caseArbitraryFor: (tool: Tool) => fc.Arbitrary<Case>;
  readonly shouldStop?: () => boolean;
  /**
   * `shouldStop` reads shared memory (a pool worker's stop flags), so the campaign need not let the
   * event loop run between cases and runs synchronously; otherwise a run that can be stopped yields
   * every 100 ms, so that this thread's signal handlers can ask it to stop.
   */
  readonly stopIsShared?: boolean;
  /** The replay command of a finding of this tool file. */
  readonly replayCommand: (file: string, finding: Pick<Finding, 'seed' | 'path' | 'property'>) => string;
}

export type FuzzToolResult = { readonly report: ToolReport; readonly interrupted: boolean } | { readonly error: string };

export async function fuzzToolFile(file: string, options: FuzzToolOptions): Promise<FuzzToolResult> {
  let loaded;
  try {
    loaded = loadToolFile(file, { strict: options.strict });
  } catch (error) {
    if (!(error instanceof FuzzerError)) throw error;
    const status = error instanceof NotModelledError ? 'not-modelled' : 'refused';
    return { report: { file, id: null, status, reason: error.message, approximations: [], cases: 0, findings: [], checks: [] }, interrupted: false };
  }
  // Built exactly as `run --tool FILE` builds it, so a finding's replay command (which names the one file) replays it.
  const cases = fc.oneof(options.caseArbitraryFor(loaded.tool));
  const result = await runSuite({
    target: { ...options.target, profile: options.profile, schemaSql: undefined },
    ...(options.opened !== undefined ? { opened: options.opened } : {}),
    properties: options.properties,
    caseArbitrary: cases,
    historyArbitrary: fc.array(cases, { minLength: 1, maxLength: 3 }),
    toolFixed: true,
    seed: options.seed,
    ...(options.timeLimitMs === undefined ? { runs: options.runs } : { timeLimitMs: options.timeLimitMs }),
    ...(options.shrinkTimeLimitMs !== undefined ? { shrinkTimeLimitMs: options.shrinkTimeLimitMs } : {}),
    ...(options.shouldStop !== undefined ? { shouldStop: options.shouldStop, ...(options.stopIsShared === true ? {} : { yieldEveryMs: 100 }) } : {}),
    replayCommand: (f) => options.replayCommand(file, f),
  });
  if (result.error !== undefined) return { error: `${result.error.message}${result.error.input ? ` (input: ${JSON.stringify(result.error.input)})` : ''}` };
  const findings = result.findings.map((f): Finding => ({ ...f, settings: options.target.settings }));
  return {
    report: { file, id: loaded.tool.id, status: findings.length > 0 ? 'findings' : 'ok', approximations: loaded.approximations, cases: result.runs, findings, checks: result.checks },
    interrupted: result.interrupted,
  };
}
