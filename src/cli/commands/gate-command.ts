import type { Argv, CommandModule } from 'yargs';
import { DEFAULT_REGRESSIONS_DIR } from '../../regression/regression-store.js';
import { handleErrors } from '../handle-errors.js';
import { processIo } from '../io.js';
import { checkInteger } from '../numbers.js';
import { seedFromEnvironment } from '../seeds.js';
import { toTargetOptions, withTargetOptions, type TargetArgs } from '../shared-options.js';

interface GateArgs extends TargetArgs {
  readonly regressions: string | undefined;
  readonly seed: number | undefined;
  readonly runs: number;
  readonly hazards: boolean;
  readonly 'allow-stale': boolean;
  readonly 'allow-unchecked': boolean;
  readonly junit: string | undefined;
  readonly markdown: string | undefined;
  readonly verbose: boolean;
}

/** The gate's seed: --seed, else $CARDFUZZ_SEED, else 1 — never random, so a build is reproducible. */
function gateSeed(flag: number | undefined): number {
  if (flag !== undefined) return checkInteger(flag, '--seed', 0)!;
  return seedFromEnvironment() ?? 1;
}

export const gateCommandModule: CommandModule<object, GateArgs> = {
  command: 'gate',
  describe: 'CI gate: replay every regression case, then a deterministic campaign; JUnit and Markdown reports',
  builder: (yargs: Argv<object>) =>
    withTargetOptions(yargs)
      .option('regressions', { type: 'string', describe: `folder of regression cases (default ${DEFAULT_REGRESSIONS_DIR} here, else at the project root)` })
      .option('seed', { type: 'number', describe: 'campaign seed (default $CARDFUZZ_SEED, else 1)' })
      .option('runs', { type: 'number', default: 2000, describe: 'cases in the campaign' })
      .option('hazards', { type: 'boolean', default: false, describe: 'also check the hazard properties (documented Galaxy hazards; nightly checks them)' })
      .option('allow-stale', { type: 'boolean', default: false, describe: 'accept regression cases recorded by other generators' })
      .option('allow-unchecked', { type: 'boolean', default: false, describe: 'accept properties the campaign did not check (judged no case); by default the gate fails on them' })
      .option('junit', { type: 'string', describe: 'write a JUnit XML report here' })
      .option('markdown', { type: 'string', describe: 'write a Markdown summary here' })
      .option('verbose', { type: 'boolean', default: false, describe: 'one note per table or column the schema lacks, instead of one line for all' }) as unknown as Argv<GateArgs>,
  handler: async (args) => {
    const io = processIo();
    process.exitCode = await handleErrors(io, async () => {
      const { gateCommand } = await import('./gate.js');
      return gateCommand(
        {
          target: await toTargetOptions(args),
          regressions: args.regressions,
          seed: gateSeed(args.seed),
          runs: checkInteger(args.runs, '--runs', 1)!,
          hazards: args.hazards,
          allowStale: args['allow-stale'],
          allowUnchecked: args['allow-unchecked'],
          junit: args.junit,
          markdown: args.markdown,
          verbose: args.verbose,
          stepSummary: process.env['GITHUB_STEP_SUMMARY'] || undefined,
        },
        io,
      );
    });
  },
};
