import type { Argv, CommandModule } from 'yargs';
import { handleErrors } from '../handle-errors.js';
import { processIo } from '../io.js';
import { checkInteger } from '../numbers.js';

interface VerdictsArgs {
  readonly seed: number;
  readonly runs: number;
  readonly 'update-readme': string | undefined;
  readonly json: boolean;
}

export const verdictsCommandModule: CommandModule<object, VerdictsArgs> = {
  command: 'verdicts',
  describe: 'run every property on each built-in profile variant and print the verdict table',
  builder: (yargs: Argv<object>) =>
    yargs
      .option('seed', { type: 'number', default: 20261126, describe: 'seed of every run' })
      .option('runs', { type: 'number', default: 3000, describe: 'cases per profile variant' })
      .option('update-readme', { type: 'string', describe: 'replace the verdicts section of this README' })
      .option('json', { type: 'boolean', default: false }) as unknown as Argv<VerdictsArgs>,
  handler: async (args) => {
    const io = processIo();
    process.exitCode = await handleErrors(io, async () => {
      const { verdictsCommand } = await import('./verdicts.js');
      return verdictsCommand({ seed: checkInteger(args.seed, '--seed', 0)!, runs: checkInteger(args.runs, '--runs', 1)!, updateReadme: args['update-readme'], json: args.json }, io);
    });
  },
};
