import { redact } from '../../persistence/database-url.js';
import { openSchemaCleaner } from '../../persistence/open-case-database.js';
import type { Io } from '../io.js';

export interface CleanOptions {
  readonly databaseUrl: string;
  /** Also drop schemas whose process id is alive on this host (it may be another host's run, or a reused pid). */
  readonly all: boolean;
  readonly dryRun: boolean;
}

/** Whether a process with this id runs on this host (EPERM: it runs, as another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * `cardfuzz clean --database-url URL`: drops the schemas killed runs left
 * (`cardfuzz_<pid>_…`). A schema a connection still uses is never dropped; one
 * whose pid is alive on this host is kept unless --all is given. One line per
 * schema; exit 2 when a drop fails (the schema named), else 0.
 */
export async function cleanCommand(options: CleanOptions, io: Io): Promise<number> {
  const where = redact(options.databaseUrl);
  const cleaner = await openSchemaCleaner(options.databaseUrl);
  let failed = 0;
  try {
    const schemas = await cleaner.list();
    if (schemas.length === 0) {
      io.out(`no cardfuzz schemas on ${where}`);
      return 0;
    }
    let dropped = 0;
    for (const schema of schemas) {
      const reason = schema.inUse ? 'in use: a running cardfuzz is connected to it' : !options.all && isAlive(schema.pid) ? `process ${schema.pid} is alive on this host (--all drops it)` : null;
      if (reason !== null) {
        io.out(`kept ${schema.name} (${reason})`);
        continue;
      }
      if (options.dryRun) {
        io.out(`would drop ${schema.name}`);
        continue;
      }
      try {
        await cleaner.drop(schema.name);
        dropped++;
        io.out(`dropped ${schema.name}`);
      } catch (error) {
        failed++;
        io.err(`cardfuzz: ${(error as Error).message}`);
      }
    }
    if (!options.dryRun) io.out(`${dropped} schema${dropped === 1 ? '' : 's'} dropped on ${where}${failed > 0 ? `, ${failed} could not be dropped` : ''}`);
  } finally {
    await cleaner.close();
  }
  return failed > 0 ? 2 : 0;
}
