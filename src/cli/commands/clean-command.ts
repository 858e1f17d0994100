import type { Argv, CommandModule } from 'yargs';
import { handleErrors } from '../handle-errors.js';
import { type ArgsOf } from '../shared-options.js';
import { processIo } from '../io.js';
import { cleanCommand } from './clean.js';

const builder = (yargs: Argv) =>
  yargs
    .option('database-url', { type: 'string', demandOption: true, describe: 'PostgreSQL URL of the server to clean' })
    .option('all', { type: 'boolean', default: false, describe: 'also drop schemas whose process id is alive on this host (never one a connection uses)' })
    .option('dry-run', { type: 'boolean', default: false, describe: 'list what would be dropped, drop nothing' });

export const cleanCommandModule: CommandModule<object, ArgsOf<typeof builder>> = {
  command: 'clean',
  describe: 'drop the PostgreSQL schemas killed runs left (cardfuzz_<pid>_…)',
  builder,
  handler: async (args) => {
    const io = processIo();
    process.exitCode = await handleErrors(io, async () => cleanCommand({ databaseUrl: args['database-url'], all: args.all, dryRun: args['dry-run'] }, io));
  },
};
