import type { CampaignProgress } from '../runner/campaign.js';
import type { Io } from './io.js';

/**
 * Progress of a campaign: redrawn in place on a terminal (and erased by the
 * next output), otherwise one line every ten seconds, the first after ten
 * seconds, so that a short run's log ends with its results, not a progress line.
 */
export function progressReporter(io: Io, label: string, totalRuns: number | null, timeLimitMs: number | null): (p: CampaignProgress) => void {
  let lastLine = performance.now();
  return (p) => {
    const now = performance.now();
    if (!io.stderrIsTTY && now - lastLine < 10_000) return;
    lastLine = now;
    const done = totalRuns !== null && totalRuns < Number.MAX_SAFE_INTEGER ? ` / ${totalRuns.toLocaleString('en-US')}` : '';
    const time = timeLimitMs !== null ? ` | ${Math.max(0, Math.round((timeLimitMs - p.elapsedMs) / 1000))} s left` : '';
    const bar = totalRuns !== null && totalRuns < Number.MAX_SAFE_INTEGER ? `${barOf(p.runs / totalRuns)} ` : timeLimitMs !== null ? `${barOf(p.elapsedMs / timeLimitMs)} ` : '';
    const shrinking = p.shrinking ? ` | shrinking ${p.shrinking}` : '';
    io.status(`${label} ${bar}${p.runs.toLocaleString('en-US')}${done} cases | ${Math.round(p.casesPerSecond).toLocaleString('en-US')} cases/s | ${p.findings} finding${p.findings === 1 ? '' : 's'}${time}${shrinking}`);
  };
}

function barOf(fraction: number): string {
  const width = 20;
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}
