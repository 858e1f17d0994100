import { isFuzzerError } from '../errors.js';
import type { Io } from './io.js';

/**
 * Runs a command and turns what it throws into an exit code: a FuzzerError
 * (bad input, unknown name, unreachable database) is one line and exit 2;
 * anything else is a cardfuzz bug, also exit 2, with the stack only when
 * CARDFUZZ_DEBUG is set.
 */
export async function handleErrors(io: Io, command: () => Promise<number>): Promise<number> {
  try {
    return await command();
  } catch (error) {
    if (isFuzzerError(error)) {
      io.err(`cardfuzz: ${error.message}`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`cardfuzz: internal error: ${message.split('\n')[0]}${process.env['CARDFUZZ_DEBUG'] ? `\n${(error as Error).stack ?? ''}` : ' (set CARDFUZZ_DEBUG=1 for the stack)'}`);
    return 2;
  }
}
