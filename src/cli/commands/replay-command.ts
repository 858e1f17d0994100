import type { Argv, CommandModule } from 'yargs';
import { parseSettingAssignments } from '../../profiles/settings.js';
import { handleErrors } from '../handle-errors.js';
import { processIo } from '../io.js';
import { type ArgsOf, checkDialectAndUrl } from '../shared-options.js';

const builder = (yargs: Argv) =>
  yargs
    .positional('paths', { type: 'string', array: true, describe: 'regression case files or folders' })
    .option('profile', { type: 'string', describe: 'replay on this profile instead of each case’s recorded one' })
    .option('set', { type: 'string', array: true, describe: 'override a setting: name=value' })
    .option('dialect', { choices: ['sqlite', 'postgres'] as const, describe: 'database to replay on (default sqlite, or postgres with --database-url)' })
    .option('database-url', { type: 'string', describe: 'PostgreSQL URL (with --dialect postgres)' })
    .option('allow-stale', { type: 'boolean', default: false, describe: 'do not fail on cases recorded by other generators' })
    .option('refresh', { type: 'boolean', default: false, describe: 're-record stale cases (generator fingerprint and expected verdicts)' })
    .option('json', { type: 'boolean', default: false });

export const replayCommandModule: CommandModule<object, ArgsOf<typeof builder>> = {
  command: 'replay [paths..]',
  describe: 'replay regression case files or folders (default reports/regressions) and compare with their recorded verdicts',
  builder,
  handler: async (args) => {
    const io = processIo();
    process.exitCode = await handleErrors(io, async () => {
      const { replayCommand } = await import('./replay.js');
      checkDialectAndUrl(args.dialect, args['database-url']);
      return replayCommand(
        {
          paths: args.paths ?? [],
          profile: args.profile,
          settings: parseSettingAssignments(args.set ?? []),
          dialect: args.dialect ?? (args['database-url'] !== undefined ? 'postgres' : 'sqlite'),
          ...(args['database-url'] === undefined ? {} : { databaseUrl: args['database-url'] }),
          allowStale: args['allow-stale'],
          refresh: args.refresh,
          json: args.json,
        },
        io,
      );
    });
  },
};
