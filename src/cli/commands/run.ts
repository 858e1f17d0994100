import { caseArbitrary } from '../../../generators/case.js';
import { InvalidInputError } from '../../errors.js';
import { findProperties } from '../../../properties/index.js';
import { tablesUsedBy } from '../../persistence/open-case-database.js';
import { executorSettingsOf } from '../../profiles/settings.js';
import { runCampaign } from '../../runner/campaign.js';
import { executionGroup } from '../../runner/execution-group.js';
import type { Finding } from '../../runner/finding.js';
import { openTarget, type TargetOptions } from '../../runner/open-target.js';
import { executionRowCounts } from '../../runner/row-counts.js';
import { formatDuration } from '../durations.js';
import { formatFinding } from '../format-finding.js';
import type { Io } from '../io.js';
import { progressReporter } from '../progress.js';
import { shellQuote, targetFlags } from '../shared-options.js';

export interface RunOptions {
  readonly target: TargetOptions;
  readonly properties: readonly string[] | undefined;
  readonly seed: number;
  readonly runs: number | undefined;
  readonly timeLimitMs: number | undefined;
  readonly shrinkTimeLimitMs: number | undefined;
  readonly path: string | undefined;
  readonly json: boolean;
}

/** `cardfuzz run`: a fuzz campaign; exit 1 when a property fails, 0 when all hold. */
export async function runCommand(options: RunOptions, io: Io): Promise<number> {
  const properties = findProperties(options.properties);
  if (options.path !== undefined && properties.length !== 1) throw new InvalidInputError('--path replays one counterexample: name exactly one --property');
  const { system, database } = await openTarget(options.target);
  const runs = options.runs ?? (options.timeLimitMs === undefined ? 2000 : undefined);
  const budget = options.path !== undefined ? `replaying path ${options.path}` : runs !== undefined ? `${runs.toLocaleString('en-US')} cases` : `${formatDuration(options.timeLimitMs!)}`;
  io.err(`cardfuzz run: profile ${system.profile.name}, seed ${options.seed}, ${budget}, ${properties.length} propert${properties.length === 1 ? 'y' : 'ies'}, ${database.dialect}`);
  try {
    const result = await runCampaign({
      group: executionGroup(system, database, caseArbitrary(), properties),
      profile: system.profile.name,
      seed: options.seed,
      ...(runs !== undefined ? { runs } : {}),
      ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
      ...(options.shrinkTimeLimitMs !== undefined ? { shrinkTimeLimitMs: options.shrinkTimeLimitMs } : {}),
      ...(options.path !== undefined ? { path: options.path } : {}),
      onProgress: progressReporter(io, 'fuzzing', runs ?? null, options.timeLimitMs ?? null),
      replayCommand: (f) => `cardfuzz run ${targetFlags(options.target)} --seed ${f.seed} --path ${shellQuote(f.path)} --property ${f.property}`,
    });
    const findings = result.findings.map((f): Finding => ({ ...f, settings: options.target.settings }));
    const tables = tablesUsedBy(executorSettingsOf(system.settings));
    const rowsOf = async (f: Finding): Promise<Record<string, number>> => {
      const plan = system.plan(f.case);
      const outcome = await database.runCase(plan);
      return executionRowCounts(plan, tables, outcome.failure?.statementIndex ?? null);
    };
    if (result.error !== undefined) {
      io.err(`cardfuzz: internal error while fuzzing: ${result.error.message}${result.error.input ? ` (input: ${JSON.stringify(result.error.input)})` : ''}`);
      return 2;
    }
    const summary = `${result.runs.toLocaleString('en-US')} cases in ${formatDuration(result.elapsedMs)} (${Math.round((result.runs * 1000) / Math.max(1, result.elapsedMs)).toLocaleString('en-US')} cases/s)${result.interrupted ? `, stopped early (${result.stopReason})` : ''}`;
    if (options.json) {
      const withRows = await Promise.all(findings.map(async (f) => ({ ...f, rows: await rowsOf(f) })));
      io.out(JSON.stringify({ findings: withRows, runs: result.runs, elapsedMs: Math.round(result.elapsedMs), profile: system.profile.name, seed: options.seed, stopReason: result.stopReason }, null, 2));
    } else {
      for (const f of findings) io.out(`${formatFinding(f, await rowsOf(f))}\n`);
      io.out(findings.length === 0 ? `ok: every property held over ${summary}` : `${findings.length} finding${findings.length === 1 ? '' : 's'} over ${summary}`);
    }
    return findings.length > 0 ? 1 : 0;
  } finally {
    await database.close();
  }
}
