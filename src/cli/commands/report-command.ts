import type { Argv, CommandModule } from 'yargs';
import { handleErrors } from '../handle-errors.js';
import { processIo } from '../io.js';

interface ReportArgs {
  readonly dir: string;
}

export const reportCommandModule: CommandModule<object, ReportArgs> = {
  command: 'report <dir>',
  describe: 'complete a nightly run folder a kill left unfinished: rebuild its reports from summary.json or events.ndjson',
  builder: (yargs: Argv<object>) => yargs.positional('dir', { type: 'string', demandOption: true, describe: 'the run folder (OUT/runs/RUN_ID)' }) as unknown as Argv<ReportArgs>,
  handler: async (args) => {
    const io = processIo();
    process.exitCode = await handleErrors(io, async () => {
      const { reportCommand } = await import('./report.js');
      return reportCommand({ dir: args.dir, stepSummary: process.env['GITHUB_STEP_SUMMARY'] || undefined }, io);
    });
  },
};
