import { appendFile, readFile } from 'node:fs/promises';
import { FileAccessError, InvalidInputError } from '../errors.js';
import type { Case } from '../model/case.js';
import type { FindingStatus, NightSummaryLine } from '../reporting/nightly-summary.js';
import type { Violation } from '../runner/property.js';
import { parseHistoryFields } from './file-checks.js';

/**
 * Findings across nights: an append-only NDJSON file in the output folder,
 * one line per finding per night with its status, keyed by fingerprint.
 * First-seen and last-seen are derived from it. A night is appended last,
 * after its summary.json is written, so every night the history lists has
 * its summary.
 */
export type { FindingStatus };

export interface HistoryEntry {
  readonly runId: string;
  readonly at: string;
  readonly fingerprint: string;
  readonly property: string;
  readonly profile: string;
  readonly shapeClass: string;
  readonly status: FindingStatus;
  readonly violation: Violation;
  readonly case: Case;
  readonly history?: readonly Case[];
  /** The regression case saved the night the finding was new. */
  readonly regressionFile?: string;
}

export interface KnownFinding {
  readonly fingerprint: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly lastStatus: FindingStatus;
  readonly latest: HistoryEntry;
}

export const HISTORY_FILE = 'findings-history.ndjson';

export async function loadHistory(path: string): Promise<HistoryEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new FileAccessError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const entries = text
    .split('\n')
    .map((line, i) => [line, i + 1] as const)
    .filter(([line]) => line.trim() !== '')
    .map(([line, number]) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new InvalidInputError(`${path}: line ${number} is not a finding history entry (${(error as Error).message}); fix or remove the line`);
      }
      try {
        return parseHistoryFields(value, 'entry') as HistoryEntry;
      } catch (error) {
        throw new InvalidInputError(`${path}: line ${number} is not a finding history entry (${(error as Error).message}); fix or remove the line`);
      }
    });
  // A night is listed once per finding: a second append of the same night (a shard committing it while the next
  // nightly completes it, see completeUnlistedNights) changes nothing.
  const seen = new Set<string>();
  return entries.filter((e) => {
    const key = `${e.runId}\u0000${e.fingerprint}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function knownFindings(entries: readonly HistoryEntry[]): Map<string, KnownFinding> {
  const known = new Map<string, KnownFinding>();
  for (const e of entries) {
    const previous = known.get(e.fingerprint);
    known.set(e.fingerprint, { fingerprint: e.fingerprint, firstSeen: previous?.firstSeen ?? e.at, lastSeen: e.status === 'fixed' ? (previous?.lastSeen ?? e.at) : e.at, lastStatus: e.status, latest: e.status === 'fixed' && previous ? previous.latest : e });
  }
  return known;
}

/** Appends one line per entry; each line is written whole, so an interrupted night leaves whole lines. */
export async function appendHistory(path: string, entries: readonly HistoryEntry[]): Promise<void> {
  if (entries.length === 0) return;
  try {
    await appendFile(path, entries.map((e) => `${JSON.stringify(e)}\n`).join(''), 'utf8');
  } catch (error) {
    throw new FileAccessError(`${path}: cannot append (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** Findings across nights, from the history file (this night included). */
export function nightsFromHistory(entries: readonly HistoryEntry[], last = 14): NightSummaryLine[] {
  const byRun = new Map<string, NightSummaryLine>();
  for (const e of entries) {
    const line = byRun.get(e.runId) ?? { runId: e.runId, at: e.at, new: 0, stillFailing: 0, fixed: 0 };
    byRun.set(e.runId, {
      ...line,
      new: line.new + (e.status === 'new' ? 1 : 0),
      stillFailing: line.stillFailing + (e.status === 'still-failing' ? 1 : 0),
      fixed: line.fixed + (e.status === 'fixed' ? 1 : 0),
    });
  }
  return [...byRun.values()].sort((a, b) => a.at.localeCompare(b.at)).slice(-last);
}
