import type { CampaignProgress } from '../runner/campaign.js';
import type { Io } from './io.js';

/** How long a command runs before its progress shows: a short run shows none. */
export const PROGRESS_DELAY_MS = 2000;

/**
 * A status line on a terminal only: shown once the command has run for
 * `delayMs`, redrawn in place and erased by the next output. A pipe or a CI
 * log gets nothing, so that it holds the results alone.
 */
export function terminalStatus(io: Io, options: { readonly delayMs?: number; readonly now?: () => number } = {}): (text: string) => void {
  if (!io.stderrIsTTY) return () => undefined;
  const now = options.now ?? (() => performance.now());
  const from = now() + (options.delayMs ?? PROGRESS_DELAY_MS);
  return (text) => {
    if (now() >= from) io.status(text);
  };
}

/** A campaign's progress line: cases (of the total), cases/s, findings, time left, a shrink in progress. */
export function progressLine(label: string, p: CampaignProgress, totalRuns: number | null, timeLimitMs: number | null): string {
  const known = totalRuns !== null && totalRuns < Number.MAX_SAFE_INTEGER;
  const done = known ? ` / ${totalRuns.toLocaleString('en-US')}` : '';
  const time = timeLimitMs !== null ? ` | ${Math.max(0, Math.round((timeLimitMs - p.elapsedMs) / 1000))} s left` : '';
  const bar = known ? `${barOf(p.runs / totalRuns)} ` : timeLimitMs !== null ? `${barOf(p.elapsedMs / timeLimitMs)} ` : '';
  const shrinking = p.shrinking ? ` | shrinking ${p.shrinking}` : '';
  return `${label} ${bar}${p.runs.toLocaleString('en-US')}${done} cases | ${Math.round(p.casesPerSecond).toLocaleString('en-US')} cases/s | ${p.findings} finding${p.findings === 1 ? '' : 's'}${time}${shrinking}`;
}

/** Progress of a campaign on a terminal (see terminalStatus); nothing in a pipe. */
export function progressReporter(io: Io, label: string, totalRuns: number | null, timeLimitMs: number | null, status: (text: string) => void = terminalStatus(io)): (p: CampaignProgress) => void {
  if (!io.stderrIsTTY) return () => undefined;
  return (p) => status(progressLine(label, p, totalRuns, timeLimitMs));
}

/** `[#####...............]` for a fraction done. */
export function barOf(fraction: number): string {
  const width = 20;
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}
