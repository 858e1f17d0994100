import type { Argv, CommandModule } from 'yargs';
import { parseSettingAssignments } from '../../profiles/settings.js';
import { handleErrors } from '../handle-errors.js';
import { type ArgsOf } from '../shared-options.js';
import { processIo } from '../io.js';

const builder = (yargs: Argv) =>
  yargs
    .positional('case', { type: 'string', demandOption: true })
    .option('format', { choices: ['galaxy-test', 'sql', 'json'] as const, demandOption: true, describe: 'galaxy-test: pytest for a running Galaxy; sql: sqlite3 script; json: POST /api/jobs body' })
    .option('profile', { type: 'string', describe: 'profile whose schema and executor the SQL uses (default: the recorded one, else upstream)' })
    .option('set', { type: 'string', array: true, describe: 'override a setting: name=value' })
    .option('out', { type: 'string', describe: 'galaxy-test: write the test and its tool XML under this folder, at their paths in a Galaxy checkout' });

export const exportCommandModule: CommandModule<object, ArgsOf<typeof builder>> = {
  command: 'export <case>',
  describe: 'print a case (or regression case) as a Galaxy API test, a standalone SQLite script, or the request body',
  builder,
  handler: async (args) => {
    const io = processIo();
    process.exitCode = await handleErrors(io, async () => {
      const { exportCommand } = await import('./export.js');
      return exportCommand({ file: args.case, format: args.format, profile: args.profile, settings: parseSettingAssignments(args.set ?? []), ...(args.out === undefined ? {} : { out: args.out }) }, io);
    });
  },
};
