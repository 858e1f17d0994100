import type { Argv, CommandModule } from 'yargs';
import { parseDuration } from '../durations.js';
import { handleErrors } from '../handle-errors.js';
import { processIo, type Io } from '../io.js';
import { type ArgsOf, toTargetOptions, withTargetOptions } from '../shared-options.js';
import { InvalidInputError } from '../../errors.js';
import { defaultSaveDir } from '../project-root.js';
import { PROPERTY_CHOICES } from '../../../properties/property-ids.js';
import { randomSeed, seedFromEnvironment } from '../seeds.js';
import { checkInteger, toolWorkerCount } from '../numbers.js';
import { DEFAULT_REGRESSIONS_DIR } from '../../regression/regression-store.js';


const builder = (yargs: Argv) =>
  withTargetOptions(yargs)
    .option('property', { type: 'string', array: true, choices: PROPERTY_CHOICES, describe: 'property id to check (repeatable; default: all but the hazard properties)' })
    .option('seed', { type: 'number', describe: 'seed of the campaign (default $CARDFUZZ_SEED, else random; printed)' })
    .option('runs', { type: 'number', describe: 'cases to generate (default 2000 without --time-limit)' })
    .option('time-limit', { type: 'string', describe: 'stop generating after this long, e.g. 30s or 5m' })
    .option('shrink-time-limit', { type: 'string', describe: 'budget to shrink each finding (default 10s)' })
    .option('path', { type: 'string', describe: 'replay one counterexample path of --seed (with --property)' })
    .option('json', { type: 'boolean', default: false, describe: 'print one JSON document on stdout' })
    .option('hazards', { type: 'boolean', default: false, describe: 'also check the hazard properties (documented hazards of upstream Galaxy code; they fail on every profile)' })
    .option('verbose', { type: 'boolean', default: false, describe: 'one note per table or column the schema lacks, instead of one line for all' })
    .option('tool', { type: 'string', array: true, describe: 'a tool to fuzz requests for: Galaxy tool XML, /api/tools/{id}?io_details=true JSON, or a folder or glob of tools (each fuzzed on its own; repeatable)' })
    .option('workflow', { type: 'string', array: true, describe: "a Galaxy workflow (.ga or gxformat2 .gxwf.yml) or a folder of them: fuzz invocations of it (repeatable); its tool steps run the --tool tools where given, else what the workflow says of them" })
    .option('in-workflows', { type: 'boolean', default: false, describe: 'with --tool FILE|DIR: fuzz invocations of generated workflows whose tool steps run the given tools, or draw from the tools Galaxy loads from a folder or glob (input steps, maps, reductions, pauses, subworkflows, batches)' })
    .option('workers', { type: 'number', describe: 'with --tool DIR: worker threads to fuzz the tools on, one database each (default: one fewer than the CPUs, so one after another on 2 CPUs, where the pool is slower; 1 runs them one after another)' })
    .option('strict', { type: 'boolean', default: false, describe: "read tool XML as a linter would: refuse attributes Galaxy's loader never reads and constructs it resolves by a rule (default: load what Galaxy loads, with a note)" })
    .option('save', { type: 'string', describe: `save each finding as a regression case under this folder (default ${DEFAULT_REGRESSIONS_DIR} when given without a value)` });

export const runCommandModule: CommandModule<object, ArgsOf<typeof builder>> = {
  command: 'run',
  describe: 'fuzz a profile: generate requests, persist them, check the properties, shrink what fails',
  builder,
  handler: async (args) => {
    const io = processIo();
    const stop = installRunStopHandlers(io);
    try {
      process.exitCode = await handleErrors(io, async () => {
        const { runCommand } = await import('./run.js');
        const envSeed = seedFromEnvironment();
        if (args.path !== undefined && args.seed === undefined && envSeed === undefined) {
          throw new InvalidInputError('--path replays a counterexample of one campaign: give its --seed too (the replay line has both)');
        }
        return runCommand(
        {
          target: await toTargetOptions(args),
          properties: args.property,
          seed: checkInteger(args.seed, '--seed', 0) ?? envSeed ?? randomSeed(),
          runs: checkInteger(args.runs, '--runs', 1),
          timeLimitMs: args['time-limit'] === undefined ? undefined : parseDuration(args['time-limit'], '--time-limit'),
          shrinkTimeLimitMs: args['shrink-time-limit'] === undefined ? undefined : parseDuration(args['shrink-time-limit'], '--shrink-time-limit'),
          path: args.path,
          json: args.json,
          tools: args.tool ?? [],
          workflows: args.workflow ?? [],
          inWorkflows: args['in-workflows'],
          save: args.save === undefined ? undefined : args.save === '' ? defaultSaveDir() : args.save,
          hazards: args.hazards,
          verbose: args.verbose,
          strict: args.strict,
          workers: toolWorkerCount(args.workers),
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
