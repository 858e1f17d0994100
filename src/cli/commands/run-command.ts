import type { Argv, CommandModule } from 'yargs';
import { parseDuration } from '../durations.js';
import { handleErrors } from '../handle-errors.js';
import { processIo, type Io } from '../io.js';
import { toTargetOptions, withTargetOptions, type TargetArgs } from '../shared-options.js';
import { randomSeed } from '../seeds.js';
import { checkInteger } from '../numbers.js';
import { DEFAULT_REGRESSIONS_DIR } from '../../regression/regression-store.js';

interface RunArgs extends TargetArgs {
  readonly property: readonly string[] | undefined;
  readonly seed: number | undefined;
  readonly runs: number | undefined;
  readonly 'time-limit': string | undefined;
  readonly 'shrink-time-limit': string | undefined;
  readonly path: string | undefined;
  readonly json: boolean;
  readonly save: string | undefined;
  readonly tool: readonly string[] | undefined;
}

export const runCommandModule: CommandModule<object, RunArgs> = {
  command: 'run',
  describe: 'fuzz a profile: generate requests, persist them, check the properties, shrink what fails',
  builder: (yargs: Argv<object>) =>
    withTargetOptions(yargs)
      .option('property', { type: 'string', array: true, describe: 'property id to check (repeatable; default: all)' })
      .option('seed', { type: 'number', describe: 'seed of the campaign (default: random, printed)' })
      .option('runs', { type: 'number', describe: 'cases to generate (default 2000 without --time-limit)' })
      .option('time-limit', { type: 'string', describe: 'stop generating after this long, e.g. 30s or 5m' })
      .option('shrink-time-limit', { type: 'string', describe: 'budget to shrink each finding (default 10s)' })
      .option('path', { type: 'string', describe: 'replay one counterexample path of --seed (with --property)' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON document on stdout' })
      .option('tool', { type: 'string', array: true, describe: 'a tool to fuzz requests for: Galaxy tool XML, /api/tools/{id}?io_details=true JSON, or a folder or glob of tools (each fuzzed on its own; repeatable)' })
      .option('save', { type: 'string', describe: `save each finding as a regression case under this folder (default ${DEFAULT_REGRESSIONS_DIR} when given without a value)` }) as unknown as Argv<RunArgs>,
  handler: async (args) => {
    const io = processIo();
    const stop = installRunStopHandlers(io);
    try {
      process.exitCode = await handleErrors(io, async () => {
        const { runCommand } = await import('./run.js');
        return runCommand(
        {
          target: await toTargetOptions(args),
          properties: args.property,
          seed: checkInteger(args.seed, '--seed', 0) ?? randomSeed(),
          runs: checkInteger(args.runs, '--runs', 1),
          timeLimitMs: args['time-limit'] === undefined ? undefined : parseDuration(args['time-limit'], '--time-limit'),
          shrinkTimeLimitMs: args['shrink-time-limit'] === undefined ? undefined : parseDuration(args['shrink-time-limit'], '--shrink-time-limit'),
          path: args.path,
          json: args.json,
          tools: args.tool ?? [],
          save: args.save === undefined ? undefined : args.save === '' ? DEFAULT_REGRESSIONS_DIR : args.save,
          stopSignal: stop.signal,
        },
        io,
      );
      });
    } finally {
      stop.remove();
    }
  },
};

/**
 * The first Ctrl-C or SIGTERM asks the run to stop: generation stops, a
 * shrink in progress ends with its best case, and the findings so far are
 * printed and saved before the exit (130 or 143). A second one quits at once.
 */
function installRunStopHandlers(io: Io): { signal: () => NodeJS.Signals | null; remove: () => void } {
  let received: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received !== null) {
      io.err(`cardfuzz run: ${signal} again, quitting without printing or saving the findings`);
      process.exit(signal === 'SIGTERM' ? 143 : 130);
    }
    received = signal;
    io.err(`cardfuzz run: ${signal}: stopping; printing and saving the findings so far (send it again to quit now)`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: () => received,
    remove: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
