import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isFuzzerError } from '../errors.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import { parseRegressionCase, serializeRegressionCase, type RegressionCase } from './regression-case.js';

/**
 * Regression cases live as one JSON file per fingerprint under
 * `<dir>/<property>/<fingerprint>.json` (committed; the tests and the gate
 * read them). Loading reports every file it cannot use by name, never
 * skipping one silently.
 */
export const DEFAULT_REGRESSIONS_DIR = 'reports/regressions';

export interface LoadedRegressionCase {
  readonly file: string;
  readonly regression: RegressionCase;
}

export interface RegressionLoadProblem {
  readonly file: string;
  readonly message: string;
}

export function regressionCasePath(dir: string, property: string, fingerprint: string): string {
  return join(dir, property, `${fingerprint}.json`);
}

/** Loads the given files, and every `.json` below the given directories (sorted, so order is stable). */
export async function loadRegressionCases(paths: readonly string[]): Promise<{ cases: LoadedRegressionCase[]; problems: RegressionLoadProblem[] }> {
  const files: string[] = [];
  const problems: RegressionLoadProblem[] = [];
  for (const path of paths) {
    try {
      files.push(...((await stat(path)).isDirectory() ? await jsonFilesBelow(path) : [path]));
    } catch (error) {
      problems.push({ file: path, message: `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` });
    }
  }
  const cases: LoadedRegressionCase[] = [];
  for (const file of files) {
    try {
      cases.push({ file, regression: parseRegressionCase(await readFile(file, 'utf8'), file) });
    } catch (error) {
      if (!isFuzzerError(error) && !(error as NodeJS.ErrnoException).code) throw error;
      problems.push({ file, message: isFuzzerError(error) ? error.message : `${file}: cannot read (${(error as NodeJS.ErrnoException).code})` });
    }
  }
  return { cases, problems };
}

async function jsonFilesBelow(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await jsonFilesBelow(path)));
    else if (entry.isFile() && entry.name.endsWith('.json') && !entry.name.startsWith('.')) out.push(path);
  }
  return out;
}

/** Saves a regression case unless one with its fingerprint exists; returns where it is. */
export async function saveRegressionCase(dir: string, regression: RegressionCase): Promise<{ readonly path: string; readonly created: boolean }> {
  const path = regressionCasePath(dir, regression.property, regression.fingerprint);
  try {
    await stat(path);
    return { path, created: false };
  } catch {
    await writeFileAtomic(path, serializeRegressionCase(regression));
    return { path, created: true };
  }
}

/** Rewrites a regression case in place (atomically), e.g. to refresh its generator fingerprint. */
export async function rewriteRegressionCase(file: string, regression: RegressionCase): Promise<void> {
  await writeFileAtomic(file, serializeRegressionCase(regression));
}
