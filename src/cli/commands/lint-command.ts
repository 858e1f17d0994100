import type { Argv, CommandModule } from 'yargs';
import { parseSettingAssignments } from '../../profiles/settings.js';
import { handleErrors } from '../handle-errors.js';
import { processIo } from '../io.js';
import { type ArgsOf, DEFAULT_PROFILE } from '../shared-options.js';

/**
 * `cardfuzz lint` is static: it takes no --dialect or --database-url and
 * ignores a profile file's `database:` (no server is ever contacted; the
 * schema's constraints are read from an in-memory SQLite copy of it).
 */
const builder = (yargs: Argv) =>
  yargs
    .option('profile', { type: 'string', describe: `built-in profile name or profile file (default ${DEFAULT_PROFILE})` })
    .option('set', { type: 'string', array: true, describe: 'override a profile setting: name=value' })
    .option('schema-sql', { type: 'string', describe: 'a SQLite schema dump to check instead of the profile’s migrations' })
    .option('json', { type: 'boolean', default: false });

export const lintCommandModule: CommandModule<object, ArgsOf<typeof builder>> = {
  command: 'lint',
  describe: 'static check, no database server: each unique constraint and scalar declaration against the cardinalities the executor model reaches',
  builder,
  handler: async (args) => {
    const io = processIo();
    process.exitCode = await handleErrors(io, async () => {
      const { lintCommand } = await import('./lint.js');
      const target = {
        profile: args.profile ?? DEFAULT_PROFILE,
        settings: parseSettingAssignments(args.set ?? []),
        dialect: 'sqlite' as const,
        ...(args['schema-sql'] === undefined ? {} : { schemaSql: args['schema-sql'] }),
      };
      return lintCommand({ target, json: args.json }, io);
    });
  },
};
