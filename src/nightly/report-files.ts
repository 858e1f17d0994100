import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FileAccessError, InvalidInputError } from '../errors.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import { nightlyHtml } from '../reporting/html-report.js';
import { nightlyJunit, nightlyMarkdown, type NightlySummary } from '../reporting/nightly-summary.js';

/** The files of a nightly run folder: summary.json, summary.md, junit.xml and report.html. */
export const SUMMARY_FILE = 'summary.json';

/** Writes every report of a run folder, each atomically (summary.json last, so its presence means the folder is whole). */
export async function writeNightlyReports(dir: string, summary: NightlySummary): Promise<void> {
  await writeFileAtomic(join(dir, 'summary.md'), nightlyMarkdown(summary));
  await writeFileAtomic(join(dir, 'junit.xml'), nightlyJunit(summary));
  await writeFileAtomic(join(dir, 'report.html'), nightlyHtml(summary));
  await writeFileAtomic(join(dir, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
}

export async function readNightlySummary(path: string): Promise<NightlySummary> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FileAccessError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let summary: NightlySummary;
  try {
    summary = JSON.parse(text) as NightlySummary;
  } catch (error) {
    throw new InvalidInputError(`${path}: not JSON (${(error as Error).message})`);
  }
  if (summary?.format !== 'cardfuzz-nightly') throw new InvalidInputError(`${path}: not a cardfuzz nightly summary (format "${String((summary as { format?: unknown } | null)?.format)}")`);
  if (summary.version !== 1) throw new InvalidInputError(`${path}: nightly summary version ${String(summary.version)} is not supported (expected 1)`);
  return summary;
}

/**
 * The summary files under the given paths: a summary.json itself, a run
 * folder, or any folder holding run folders (for example the artifacts a CI
 * matrix downloads), searched a few levels deep.
 */
export async function findNightlySummaries(paths: readonly string[], depth = 4): Promise<string[]> {
  const found: string[] = [];
  const visit = async (path: string, level: number): Promise<void> => {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      throw new FileAccessError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    if (info.isFile()) {
      found.push(path);
      return;
    }
    const entries = await readdir(path, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name === SUMMARY_FILE)) {
      found.push(join(path, SUMMARY_FILE));
      return;
    }
    if (level === 0) return;
    for (const e of entries.filter((x) => x.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) await visit(join(path, e.name), level - 1);
  };
  for (const path of paths) await visit(path, depth);
  return found;
}
