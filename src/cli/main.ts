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

/** The composition root: parse argv and dispatch; a usage error is one line and exit 2. */
await yargs(hideBin(process.argv))
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
  .demandCommand(1, 'name a command (cardfuzz --help lists them)')
  .strict()
  .recommendCommands()
  .fail((message, error) => {
    process.stderr.write(`cardfuzz: ${message ?? error?.message ?? 'invalid arguments'} (cardfuzz --help)\n`);
    process.exit(2);
  })
  .help()
  .version()
  .wrap(Math.min(110, process.stdout.columns ?? 100))
  .parseAsync();
