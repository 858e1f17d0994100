import { readFile } from 'node:fs/promises';
import { FileAccessError } from '../errors.js';
import { parseJsonText } from '../model/json-checks.js';

/** Reads and parses a JSON file, or throws a one-line FileAccessError / InvalidInputError naming it. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileAccessError(`${path}: cannot read (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? (error as Error).message)})`);
  }
  return parseJsonText(text, path);
}
