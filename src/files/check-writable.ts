import { randomBytes } from 'node:crypto';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FileAccessError } from '../errors.js';

/**
 * Checks, before any work, that cardfuzz will be able to write its outputs:
 * a folder is created if needed and a probe file written into it and
 * removed; for a file, the same is done in its folder, and the file must not
 * be a folder. A failure is a FileAccessError naming the option and the
 * reason, so a campaign never runs only to lose its results at the end.
 */
export async function checkWritableDirectory(dir: string, option: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await probe(dir);
  } catch (error) {
    throw new FileAccessError(`${option} ${dir}: cannot write there (${reason(error)})`);
  }
}

export async function checkWritableFile(file: string, option: string): Promise<void> {
  try {
    const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (info?.isDirectory()) throw Object.assign(new Error('it is a folder'), { code: 'EISDIR' });
    await mkdir(dirname(file), { recursive: true });
    await probe(dirname(file), basename(file));
  } catch (error) {
    throw new FileAccessError(`${option} ${file}: cannot write there (${reason(error)})`);
  }
}

async function probe(dir: string, name = 'probe'): Promise<void> {
  const path = join(dir, `.${name}.${randomBytes(6).toString('hex')}.writable.tmp`);
  await writeFile(path, '', { flag: 'wx' });
  await rm(path, { force: true });
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EISDIR' ? 'it is a folder' : (code ?? (error as Error).message);
}
