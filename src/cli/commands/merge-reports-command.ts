import type { Argv, CommandModule } from 'yargs';
import { handleErrors } from '../handle-errors.js';
import { type ArgsOf } from '../shared-options.js';
import { processIo } from '../io.js';

const builder = (yargs: Argv) =>
  yargs
    .positional('folders', { type: 'string', array: true, demandOption: true, describe: 'shard run folders, summary.json files, or folders holding them' })
    .option('out', { type: 'string', default: 'reports/nightly', describe: 'output folder; the merged run folder goes under OUT/runs' });

export const mergeReportsCommandModule: CommandModule<object, ArgsOf<typeof builder>> = {
  command: 'merge-reports <folders..>',
  describe: 'combine the run folders of a sharded nightly into one report',
  builder,
  handler: async (args) => {
    const io = processIo();
    process.exitCode = await handleErrors(io, async () => {
      const { mergeReportsCommand } = await import('./merge-reports.js');
      return mergeReportsCommand({ inputs: args.folders, out: args.out, stepSummary: process.env['GITHUB_STEP_SUMMARY'] || undefined }, io);
    });
  },
};
