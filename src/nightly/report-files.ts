import { open, readdir, readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FileAccessError, InvalidInputError } from '../errors.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import { nightlyHtml } from '../reporting/html-report.js';
import { nightlyJunit, nightlyMarkdown, type NightlySummary } from '../reporting/nightly-summary.js';
import { parseNightlySummary } from './file-checks.js';
import { appendHistory, type HistoryEntry } from './findings-history.js';
import { EVENTS_FILE, historyEntry } from './night-events.js';

/** The files of a nightly run folder: summary.json, summary.md, junit.xml and report.html (and events.ndjson, see night-events.ts). */
export const SUMMARY_FILE = 'summary.json';

/** Named points between a night's writes, where the fault suite can stop the process (see src/cli/test-kill-point.ts). */
export type NightCheckpoint = 'after-summary' | 'after-reports' | 'after-history';

/**
 * Writes every report of a run folder, each atomically. summary.json comes
 * first: every other report is rendered from it, so once it is there
 * `merge-reports` can use the night and `cardfuzz report` can render the
 * rest.
 */
export async function writeNightlyReports(dir: string, summary: NightlySummary, checkpoint: (point: NightCheckpoint) => void = () => undefined): Promise<void> {
  await writeFileAtomic(join(dir, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
  checkpoint('after-summary');
  await writeFileAtomic(join(dir, 'summary.md'), nightlyMarkdown(summary));
  await writeFileAtomic(join(dir, 'junit.xml'), nightlyJunit(summary));
  await writeFileAtomic(join(dir, 'report.html'), nightlyHtml(summary));
  checkpoint('after-reports');
}

/**
 * Commits a night: its reports (summary.json first), then its lines in the
 * findings history, last. A kill at any point leaves a consistent state:
 * either the history does not list the night yet (the next night sees its
 * findings as new, and `cardfuzz report` can complete it), or the history
 * lists it and its summary.json is there for `merge-reports`.
 */
export async function commitNight(dir: string, historyFile: string, summary: NightlySummary, entries: readonly HistoryEntry[], checkpoint: (point: NightCheckpoint) => void = () => undefined): Promise<void> {
  await writeNightlyReports(dir, summary, checkpoint);
  await appendHistory(historyFile, entries);
  checkpoint('after-history');
}

/**
 * Nights of OUT/runs that wrote their summary.json but were killed before
 * their history lines (between the two writes of `commitNight`): their
 * findings are appended now, as `cardfuzz report` would, so that the next
 * night sees them as known (still failing or fixed), not new again. A night
 * whose events end with `run-finished`, or that the history lists, was
 * committed; only the others' summaries are read. Returns what was added, and
 * the summaries that could not be read (left alone, for the caller to name).
 */
export async function completeUnlistedNights(out: string, historyFile: string, history: readonly HistoryEntry[]): Promise<{ readonly added: readonly { readonly runId: string; readonly findings: number }[]; readonly unreadable: readonly string[] }> {
  const runs = join(out, 'runs');
  const listed = new Set(history.map((e) => e.runId));
  const added: { runId: string; findings: number }[] = [];
  const unreadable: string[] = [];
  let names: string[];
  try {
    names = (await readdir(runs, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return { added, unreadable }; // no run folder yet
  }
  for (const name of names) {
    const dir = join(runs, name);
    if (listed.has(name) || !existsSync(join(dir, SUMMARY_FILE)) || (await endsWithRunFinished(join(dir, EVENTS_FILE)))) continue;
    let summary: NightlySummary;
    try {
      summary = await readNightlySummary(join(dir, SUMMARY_FILE));
    } catch (error) {
      unreadable.push(error instanceof Error ? error.message : String(error));
      continue;
    }
    if (listed.has(summary.runId) || summary.findings.length === 0) continue;
    await appendHistory(historyFile, summary.findings.map((f) => historyEntry(summary.runId, summary.finishedAt, f)));
    added.push({ runId: summary.runId, findings: summary.findings.length });
  }
  return { added, unreadable };
}

/** Whether the night's event log ends with its `run-finished` event (written after the history); reads only the log's tail. */
async function endsWithRunFinished(file: string): Promise<boolean> {
  let tail: string;
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, 64 * 1024);
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, size - length);
      tail = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
  const last = tail.trimEnd().split('\n').at(-1) ?? '';
  try {
    return (JSON.parse(last) as { type?: unknown }).type === 'run-finished';
  } catch {
    return false; // a partial or torn last line: not finished
  }
}

export async function readNightlySummary(path: string): Promise<NightlySummary> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FileAccessError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`${path}: not JSON (${(error as Error).message})`);
  }
  return parseNightlySummary(value, path);
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
    if (entries.some((e) => e.isFile() && e.name === 'events.ndjson')) {
      throw new InvalidInputError(`${path}: the run stopped before writing its summary (only events.ndjson); complete it first with: cardfuzz report ${path}`);
    }
    if (level === 0) return;
    for (const e of entries.filter((x) => x.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) await visit(join(path, e.name), level - 1);
  };
  for (const path of paths) await visit(path, depth);
  return found;
}
