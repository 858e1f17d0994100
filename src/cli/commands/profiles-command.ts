import type { Argv, CommandModule } from 'yargs';
import { handleErrors } from '../handle-errors.js';
import { type ArgsOf } from '../shared-options.js';
import { processIo } from '../io.js';
import { profilesCommand } from './profiles.js';

const builder = (yargs: Argv) =>
  yargs
    .option('settings', { type: 'boolean', default: false, describe: 'list every setting, its values and each profile’s default' })
    .option('json', { type: 'boolean', default: false, describe: 'print JSON' });

export const profilesCommandModule: CommandModule<object, ArgsOf<typeof builder>> = {
  command: 'profiles',
  describe: 'list the built-in profiles (--settings: the settings --set accepts)',
  builder,
  handler: async (args) => {
    const io = processIo();
    process.exitCode = await handleErrors(io, async () => profilesCommand(args, io));
  },
};
