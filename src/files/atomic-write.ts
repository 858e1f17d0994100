import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { FileAccessError } from '../errors.js';

/**
 * Writes a file atomically: the text goes to a temporary file beside it,
 * which is renamed over the target, so a reader (or an interrupted run)
 * never sees half a file.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const directory = dirname(path);
  const temporary = join(directory, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(directory, { recursive: true });
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, path);
  } catch (error) {
    // The temporary file may not exist, or its folder may not be one (ENOTDIR): the write's own error is the one to report.
    await rm(temporary, { force: true }).catch(() => undefined);
    throw new FileAccessError(`${path}: cannot write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
