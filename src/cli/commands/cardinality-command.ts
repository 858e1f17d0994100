import type { Argv, CommandModule } from 'yargs';
import { parseDuration } from '../durations.js';
import { handleErrors } from '../handle-errors.js';
import { processIo } from '../io.js';
import { checkInteger } from '../numbers.js';
import { randomSeed } from '../seeds.js';
import { type ArgsOf, toTargetOptions, withTargetOptions } from '../shared-options.js';
import { DEFAULT_REGRESSIONS_DIR } from '../../regression/regression-store.js';

const builder = (yargs: Argv) =>
  withTargetOptions(yargs)
    .option('seed', { type: 'number', describe: 'seed of the campaign (default: random, printed)' })
    .option('runs', { type: 'number', describe: 'cases to generate (default 2000 without --time-limit)' })
    .option('time-limit', { type: 'string', describe: 'stop generating after this long, e.g. 30s or 5m' })
    .option('shrink-time-limit', { type: 'string', describe: 'budget to shrink all witnesses together, and each campaign finding (default 10s)' })
    .option('json', { type: 'boolean', default: false, describe: 'print the map as one JSON document on stdout' })
    .option('markdown', { type: 'string', describe: 'write the map as Markdown in the problem ledger’s style to this file' })
    .option('save', { type: 'string', describe: `save each witness as a regression case the gate replays, under this folder (default ${DEFAULT_REGRESSIONS_DIR} when given without a value); witnesses saved there are reused, not shrunk again` });

export const cardinalityCommandModule: CommandModule<object, ArgsOf<typeof builder>> = {
  command: 'cardinality',
  describe: 'the cardinality map: per foreign key, 1:1 so far, loose (with a shrunk witness), conflict or never written',
  builder,
  handler: async (args) => {
    const io = processIo();
    process.exitCode = await handleErrors(io, async () => {
      const { cardinalityCommand } = await import('./cardinality.js');
      return cardinalityCommand(
        {
          target: await toTargetOptions(args),
          seed: checkInteger(args.seed, '--seed', 0) ?? randomSeed(),
          runs: checkInteger(args.runs, '--runs', 1),
          timeLimitMs: args['time-limit'] === undefined ? undefined : parseDuration(args['time-limit'], '--time-limit'),
          shrinkTimeLimitMs: args['shrink-time-limit'] === undefined ? undefined : parseDuration(args['shrink-time-limit'], '--shrink-time-limit'),
          json: args.json,
          markdown: args.markdown,
          save: args.save === undefined ? undefined : args.save === '' ? DEFAULT_REGRESSIONS_DIR : args.save,
        },
        io,
      );
    });
  },
};
