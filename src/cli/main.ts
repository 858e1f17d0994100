#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { benchCommandModule } from './commands/bench-command.js';
import { cardinalityCommandModule } from './commands/cardinality-command.js';
import { cleanCommandModule } from './commands/clean-command.js';
import { explainCommandModule } from './commands/explain-command.js';
import { exportCommandModule } from './commands/export-command.js';
import { gateCommandModule } from './commands/gate-command.js';
import { lintCommandModule } from './commands/lint-command.js';
import { mergeReportsCommandModule } from './commands/merge-reports-command.js';
import { nightlyCommandModule } from './commands/nightly-command.js';
import { profilesCommandModule } from './commands/profiles-command.js';
import { replayCommandModule } from './commands/replay-command.js';
import { reportCommandModule } from './commands/report-command.js';
import { runCommandModule } from './commands/run-command.js';
import { verdictsCommandModule } from './commands/verdicts-command.js';

/**
 * `--time-budget -5m` would reach yargs as the short flags -5 and -m
 * ("Unknown arguments: 5, m"); joined as `--time-budget=-5m`, the value gets
 * the option's own message ("expected a duration such as 30s").
 */
function keepNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (/^--[a-z][\w-]*$/.test(arg) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i += 1;
    } else out.push(arg);
  }
  return out;
}

/** The composition root: parse argv and dispatch; a usage error is one line and exit 2. */
await yargs(keepNegativeValues(hideBin(process.argv)))
  .scriptName('cardfuzz')
  .command(runCommandModule)
  .command(explainCommandModule)
  .command(replayCommandModule)
  .command(gateCommandModule)
  .command(nightlyCommandModule)
  .command(mergeReportsCommandModule)
  .command(reportCommandModule)
  .command(exportCommandModule)
  .command(lintCommandModule)
  .command(cardinalityCommandModule)
  .command(profilesCommandModule)
  .command(verdictsCommandModule)
  .command(benchCommandModule)
  .command(cleanCommandModule)
  .completion('completion', 'print a bash/zsh completion script (cardfuzz completion >> ~/.bashrc)')
  .demandCommand(1, 'name a command (cardfuzz --help lists them)')
  .strict()
  .recommendCommands()
  .fail((message, error) => {
    // yargs puts some messages on several lines ("Missing dependent arguments:\n path -> seed"): one line.
    const text = (message ?? error?.message ?? 'invalid arguments').replace(/\s*\n\s*/g, ' ');
    process.stderr.write(`cardfuzz: ${text} (cardfuzz --help)\n`);
    process.exit(2);
  })
  .help()
  .version()
  .wrap(Math.min(110, process.stdout.columns ?? 100))
  .parseAsync();
