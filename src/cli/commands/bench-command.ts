import type { Argv, CommandModule } from 'yargs';
import { parseDuration } from '../durations.js';
import { handleErrors } from '../handle-errors.js';
import { processIo } from '../io.js';
import { checkInteger } from '../numbers.js';

interface BenchArgs {
  readonly runs: number;
  readonly seeds: number;
  readonly soak: string | undefined;
  readonly out: string;
  readonly 'update-readme': string | undefined;
}

export const benchCommandModule: CommandModule<object, BenchArgs> = {
  command: 'bench',
  describe: 'measure throughput against the raw SQLite floor, time to find and shrink the ledger bug, and memory',
  builder: (yargs: Argv<object>) =>
    yargs
      .option('runs', { type: 'number', default: 20000, describe: 'cases in the default campaign' })
      .option('seeds', { type: 'number', default: 20, describe: 'seeds for the ledger-bug timing' })
      .option('soak', { type: 'string', describe: 'also run this long (e.g. 10m) and report memory' })
      .option('out', { type: 'string', default: 'reports', describe: 'folder for bench.json and bench.md' })
      .option('update-readme', { type: 'string', describe: 'replace the bench section of this README' }) as unknown as Argv<BenchArgs>,
  handler: async (args) => {
    const io = processIo();
    process.exitCode = await handleErrors(io, async () => {
      const { benchCommand } = await import('./bench.js');
      return benchCommand(
        {
          runs: checkInteger(args.runs, '--runs', 100)!,
          seeds: checkInteger(args.seeds, '--seeds', 1)!,
          soakMs: args.soak === undefined ? undefined : parseDuration(args.soak, '--soak'),
          out: args.out,
          updateReadme: args['update-readme'],
        },
        io,
      );
    });
  },
};
