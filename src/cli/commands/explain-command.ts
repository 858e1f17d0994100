import type { Argv, CommandModule } from 'yargs';
import { handleErrors } from '../handle-errors.js';
import { processIo } from '../io.js';
import { type ArgsOf, toTargetOptions, withTargetOptions } from '../shared-options.js';

const builder = (yargs: Argv) =>
  withTargetOptions(yargs, 'built-in profile name or profile file (default: the profile a regression case file records, else upstream)')
    .positional('case', { type: 'string', demandOption: true, describe: 'case JSON file (or a regression case file)' })
    .option('json', { type: 'boolean', default: false, describe: 'print one JSON document on stdout' });

export const explainCommandModule: CommandModule<object, ArgsOf<typeof builder>> = {
  command: 'explain <case>',
  describe: 'run one case file without fuzzing and show the expansion, rows, readers and verdicts',
  builder,
  handler: async (args) => {
    const io = processIo();
    process.exitCode = await handleErrors(io, async () => {
      const { explainCommand } = await import('./explain.js');
      return explainCommand({ file: args.case, target: (recorded) => toTargetOptions(args, recorded), json: args.json }, io);
    });
  },
};
