import type { Argv, CommandModule } from 'yargs';
import { handleErrors } from '../handle-errors.js';
import { processIo } from '../io.js';
import { toTargetOptions, withTargetOptions, type TargetArgs } from '../shared-options.js';

interface LintArgs extends TargetArgs {
  readonly json: boolean;
}

export const lintCommandModule: CommandModule<object, LintArgs> = {
  command: 'lint',
  describe: 'static check: each unique constraint and scalar declaration against the cardinalities the executor model reaches',
  builder: (yargs: Argv<object>) => withTargetOptions(yargs).option('json', { type: 'boolean', default: false }) as unknown as Argv<LintArgs>,
  handler: async (args) => {
    const io = processIo();
    process.exitCode = await handleErrors(io, async () => {
      const { lintCommand } = await import('./lint.js');
      return lintCommand({ target: await toTargetOptions(args), json: args.json }, io);
    });
  },
};
