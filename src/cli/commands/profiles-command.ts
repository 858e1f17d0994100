import type { Argv, CommandModule } from 'yargs';
import { handleErrors } from '../handle-errors.js';
import { processIo } from '../io.js';
import { profilesCommand } from './profiles.js';

interface ProfilesArgs {
  readonly settings: boolean;
  readonly json: boolean;
}

export const profilesCommandModule: CommandModule<object, ProfilesArgs> = {
  command: 'profiles',
  describe: 'list the built-in profiles (--settings: the settings --set accepts)',
  builder: (yargs: Argv<object>) =>
    yargs
      .option('settings', { type: 'boolean', default: false, describe: 'list every setting, its values and each profile’s default' })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON' }) as unknown as Argv<ProfilesArgs>,
  handler: async (args) => {
    const io = processIo();
    process.exitCode = await handleErrors(io, async () => profilesCommand(args, io));
  },
};
