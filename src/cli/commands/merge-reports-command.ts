import type { Argv, CommandModule } from 'yargs';
import { handleErrors } from '../handle-errors.js';
import { processIo } from '../io.js';

interface MergeReportsArgs {
  readonly folders: readonly string[];
  readonly out: string;
}

export const mergeReportsCommandModule: CommandModule<object, MergeReportsArgs> = {
  command: 'merge-reports <folders..>',
  describe: 'combine the run folders of a sharded nightly into one report',
  builder: (yargs: Argv<object>) =>
    yargs
      .positional('folders', { type: 'string', array: true, describe: 'shard run folders, summary.json files, or folders holding them' })
      .option('out', { type: 'string', default: 'reports/nightly', describe: 'output folder; the merged run folder goes under OUT/runs' }) as unknown as Argv<MergeReportsArgs>,
  handler: async (args) => {
    const io = processIo();
    process.exitCode = await handleErrors(io, async () => {
      const { mergeReportsCommand } = await import('./merge-reports.js');
      return mergeReportsCommand({ inputs: args.folders, out: args.out, stepSummary: process.env['GITHUB_STEP_SUMMARY'] || undefined }, io);
    });
  },
};
