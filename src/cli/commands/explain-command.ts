import type { Argv, CommandModule } from 'yargs';
import { handleErrors } from '../handle-errors.js';
import { processIo } from '../io.js';
import { toTargetOptions, withTargetOptions, type TargetArgs } from '../shared-options.js';

interface ExplainArgs extends TargetArgs {
  readonly case: string;
  readonly json: boolean;
}

export const explainCommandModule: CommandModule<object, ExplainArgs> = {
  command: 'explain <case>',
  describe: 'run one case file without fuzzing and show the expansion, rows, readers and verdicts',
  builder: (yargs: Argv<object>) =>
    withTargetOptions(yargs)
      .positional('case', { type: 'string', demandOption: true, describe: 'case JSON file (or a regression case file)' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON document on stdout' }) as unknown as Argv<ExplainArgs>,
  handler: async (args) => {
    const io = processIo();
    process.exitCode = await handleErrors(io, async () => {
      const { explainCommand } = await import('./explain.js');
      return explainCommand({ file: args.case, target: await toTargetOptions(args), json: args.json }, io);
    });
  },
};
