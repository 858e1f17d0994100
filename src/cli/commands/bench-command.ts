import type { Argv, CommandModule } from 'yargs';
import { parseDuration } from '../durations.js';
import { handleErrors } from '../handle-errors.js';
import { type ArgsOf } from '../shared-options.js';
import { processIo } from '../io.js';
import { checkInteger, workerCount } from '../numbers.js';

const builder = (yargs: Argv) =>
  yargs
    .option('runs', { type: 'number', default: 20000, describe: 'cases in the default campaign' })
    .option('rounds', { type: 'number', default: 3, describe: 'rounds of the default campaign and its raw floor, alternated; each side keeps its best' })
    .option('seeds', { type: 'number', default: 20, describe: 'seeds for the ledger-bug timing' })
    .option('soak', { type: 'string', describe: 'also run this long (e.g. 10m) and report memory' })
    .option('out', { type: 'string', default: 'reports', describe: 'folder for bench.json and bench.md' })
    .option('update-readme', { type: 'string', describe: 'replace the bench section of this README' })
    .option('worker-runs', { type: 'number', default: 60000, describe: 'cases for the worker-thread speed-up (0 skips it)' })
    .option('workers', { type: 'number', describe: 'worker threads to compare with one, for the nightly and for run --tool DIR (default: the number of CPUs)' })
    .option('database-url', { type: 'string', describe: 'also measure on this PostgreSQL server' })
    .option('postgres-runs', { type: 'number', default: 3000, describe: 'cases in the PostgreSQL campaign' })
    .option('map-runs', { type: 'number', default: 5000, describe: 'cases for the cardinality map against a plain campaign (0 skips it)' });

export const benchCommandModule: CommandModule<object, ArgsOf<typeof builder>> = {
  command: 'bench',
  describe: 'measure throughput against the raw SQLite floor, time to find and shrink the ledger bug, worker speed-up, memory, and PostgreSQL',
  builder,
  handler: async (args) => {
    const io = processIo();
    process.exitCode = await handleErrors(io, async () => {
      const { benchCommand } = await import('./bench.js');
      return benchCommand(
        {
          runs: checkInteger(args.runs, '--runs', 100)!,
          rounds: checkInteger(args.rounds, '--rounds', 1)!,
          seeds: checkInteger(args.seeds, '--seeds', 1)!,
          soakMs: args.soak === undefined ? undefined : parseDuration(args.soak, '--soak'),
          out: args.out,
          updateReadme: args['update-readme'],
          workerRuns: checkInteger(args['worker-runs'], '--worker-runs', 0)!,
          workers: workerCount(args.workers),
          databaseUrl: args['database-url'],
          postgresRuns: checkInteger(args['postgres-runs'], '--postgres-runs', 100)!,
          mapRuns: checkInteger(args['map-runs'], '--map-runs', 0)!,
        },
        io,
      );
    });
  },
};
