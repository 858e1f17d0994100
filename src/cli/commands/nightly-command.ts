import type { Argv, CommandModule } from 'yargs';
import { parseShard } from '../../nightly/work-units.js';
import { PROPERTY_CHOICES } from '../../../properties/property-ids.js';
import { createStopFlags, STOP_REQUESTED } from '../../nightly/worker-protocol.js';
import { parseDuration } from '../durations.js';
import { handleErrors } from '../handle-errors.js';
import { processIo, type Io } from '../io.js';
import { checkInteger, workerCount } from '../numbers.js';
import { randomSeed } from '../seeds.js';
import { type ArgsOf, DEFAULT_PROFILE, toTargetOptions, withTargetOptions } from '../shared-options.js';

/**
 * Ctrl-C or SIGTERM sets the shared stop flag: workers finish the case (or
 * end the shrink) they are in and the reports are written; a worker that does
 * not stop within a grace period is terminated. A second signal quits at
 * once; the history and events written so far stay whole, and
 * `cardfuzz report` completes the run folder.
 */
function installStopHandlers(stop: SharedArrayBuffer, io: Io): () => void {
  const flag = new Int32Array(stop);
  const onSignal = (signal: NodeJS.Signals): void => {
    if (Atomics.load(flag, STOP_REQUESTED) === 1) {
      io.err(`cardfuzz nightly: ${signal} again, quitting without the report (cardfuzz report OUT/runs/RUN_ID turns the run's events.ndjson into it)`);
      process.exit(signal === 'SIGTERM' ? 143 : 130);
    }
    Atomics.store(flag, STOP_REQUESTED, 1);
    io.err(`cardfuzz nightly: ${signal}: stopping, writing the report of what was done (send it again to quit now)`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

const builder = (yargs: Argv) =>
  withTargetOptions(yargs)
    .option('time-budget', { type: 'string', conflicts: 'runs', describe: 'wall-clock budget for the whole campaign, e.g. 10m (default 10m without --runs)' })
    .option('runs', { type: 'number', describe: 'a fixed number of cases instead of a time budget (deterministic for a seed)' })
    .option('seed', { type: 'number', describe: 'seed of the campaign (default: random, printed first)' })
    .option('workers', { type: 'number', describe: 'worker threads, one database each (default: the number of CPUs)' })
    .option('shard', { type: 'string', describe: 'run shard i/n of the campaign’s work units (CI matrix), e.g. 0/4' })
    .option('seeds-per-lane', { type: 'number', default: 4, describe: 'work units (seeds) per lane; shards and workers split these' })
    .option('out', { type: 'string', default: 'reports/nightly', describe: 'output folder: the findings history and one folder per run' })
    .option('save-regressions', { type: 'string', describe: 'save new findings as regression cases here (default OUT/regressions)' })
    .option('min-coverage', { type: 'number', describe: 'fail (exit 1) when less than this share (0..1) of the reachable coverage buckets was reached' })
    .option('shrink-time-limit', { type: 'string', default: '10s', describe: 'budget to shrink each finding; the best case so far is kept' })
    .option('property', { type: 'string', array: true, choices: PROPERTY_CHOICES, describe: 'property id to check (repeatable; default: all but the hazards)' })
    .option('hazards', { type: 'boolean', default: false, describe: 'also check the hazard properties (documented Galaxy hazards)' })
    .option('tool', { type: 'string', array: true, describe: 'a Galaxy tool XML file to fuzz requests for (repeatable)' });

export const nightlyCommandModule: CommandModule<object, ArgsOf<typeof builder>> = {
  command: 'nightly',
  describe: 'a nightly campaign: time budget, worker threads, shards, findings across nights, coverage and an HTML report',
  builder,
  handler: async (args) => {
    const io = processIo();
    const stop = createStopFlags();
    const removeHandlers = installStopHandlers(stop, io);
    try {
      process.exitCode = await handleErrors(io, async () => {
        const { InvalidInputError } = await import('../../errors.js');
        const minCoverage = args['min-coverage'];
        if (minCoverage !== undefined && !(minCoverage >= 0 && minCoverage <= 1)) throw new InvalidInputError(`--min-coverage ${String(minCoverage)}: expected a share between 0 and 1, e.g. 0.95`);
        const { nightlyCommand } = await import('./nightly.js');
        const runs = checkInteger(args.runs, '--runs', 1);
        return nightlyCommand(
          {
            target: { ...(await toTargetOptions(args)), profile: args.profile ?? DEFAULT_PROFILE },
            properties: args.property,
            hazards: args.hazards,
            seed: checkInteger(args.seed, '--seed', 0) ?? randomSeed(),
            timeBudgetMs: runs !== undefined ? undefined : parseDuration(args['time-budget'] ?? '10m', '--time-budget'),
            runs,
            workers: workerCount(args.workers),
            shard: args.shard === undefined ? undefined : parseShard(args.shard),
            seedsPerLane: checkInteger(args['seeds-per-lane'], '--seeds-per-lane', 1)!,
            out: args.out,
            saveRegressions: args['save-regressions'],
            minCoverage,
            shrinkTimeLimitMs: parseDuration(args['shrink-time-limit'], '--shrink-time-limit'),
            tools: args.tool ?? [],
            stepSummary: process.env['GITHUB_STEP_SUMMARY'] || undefined,
            stop,
          },
          io,
        );
      });
    } finally {
      removeHandlers();
    }
  },
};
