import type { Argv, CommandModule } from 'yargs';
import { handleErrors } from '../handle-errors.js';
import { type ArgsOf } from '../shared-options.js';
import { processIo } from '../io.js';
import { checkInteger } from '../numbers.js';

const builder = (yargs: Argv) =>
  yargs
    .option('seed', { type: 'number', default: 20261126, describe: 'seed of every run' })
    .option('runs', { type: 'number', default: 3000, describe: 'cases per profile variant' })
    .option('update-readme', { type: 'string', describe: 'replace the verdicts section of this README' })
    .option('json', { type: 'boolean', default: false });

export const verdictsCommandModule: CommandModule<object, ArgsOf<typeof builder>> = {
  command: 'verdicts',
  describe: 'run every property on each built-in profile variant and print the verdict table',
  builder,
  handler: async (args) => {
    const io = processIo();
    process.exitCode = await handleErrors(io, async () => {
      const { verdictsCommand } = await import('./verdicts.js');
      return verdictsCommand({ seed: checkInteger(args.seed, '--seed', 0)!, runs: checkInteger(args.runs, '--runs', 1)!, updateReadme: args['update-readme'], json: args.json }, io);
    });
  },
};
