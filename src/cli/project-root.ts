import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_REGRESSIONS_DIR } from '../regression/regression-store.js';

/**
 * The project root: the nearest folder, from `cwd` up, holding a
 * package.json or a .git. The default regressions folder
 * (reports/regressions) is resolved from it, so that `gate`, `replay` and
 * `run --save` find the same folder from anywhere in the project.
 */
export function projectRoot(cwd: string = process.cwd()): string | null {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) || existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

export interface RegressionsLookup {
  /** The folder to read, when one was found. */
  readonly dir: string | null;
  /** Every folder looked at, in order (for the message when none was found). */
  readonly looked: readonly string[];
}

/** Where the default regressions folder is: the current folder's, else the project root's. */
export function findDefaultRegressionsDir(cwd: string = process.cwd()): RegressionsLookup {
  const here = resolve(cwd, DEFAULT_REGRESSIONS_DIR);
  const looked = [here];
  if (isDirectory(here)) return { dir: here, looked };
  const root = projectRoot(cwd);
  if (root !== null) {
    const atRoot = join(root, DEFAULT_REGRESSIONS_DIR);
    if (atRoot !== here) {
      looked.push(atRoot);
      if (isDirectory(atRoot)) return { dir: atRoot, looked };
    }
  }
  return { dir: null, looked };
}

/** Where `run --save` (without a folder) saves: the project root's reports/regressions, else the current folder's. */
export function defaultSaveDir(cwd: string = process.cwd()): string {
  return join(projectRoot(cwd) ?? resolve(cwd), DEFAULT_REGRESSIONS_DIR);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
