import { existsSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FileAccessError } from '../../errors.js';
import { appendHistory, HISTORY_FILE, loadHistory } from '../../nightly/findings-history.js';
import { EVENTS_FILE, historyEntry, summaryFromEvents } from '../../nightly/night-events.js';
import { commitNight, readNightlySummary, SUMMARY_FILE, writeNightlyReports } from '../../nightly/report-files.js';
import { nightlyMarkdown } from '../../reporting/nightly-summary.js';
import type { Io } from '../io.js';

export interface ReportOptions {
  readonly dir: string;
  readonly stepSummary: string | undefined;
}

/**
 * `cardfuzz report RUN_DIR`: completes a nightly run folder that a kill left
 * unfinished. With its summary.json it renders the other reports again; with
 * only events.ndjson it rebuilds the summary from the events (marked
 * interrupted) and writes every report. Either way, when the folder sits in
 * OUT/runs and OUT's findings history does not list the night yet, the
 * night's findings are appended to it, last. Exits like the night would have.
 */
export async function reportCommand(options: ReportOptions, io: Io): Promise<number> {
  const dir = options.dir.replace(/\/+$/, '') || options.dir;
  const hasSummary = existsSync(join(dir, SUMMARY_FILE));
  if (!hasSummary && !existsSync(join(dir, EVENTS_FILE))) throw new FileAccessError(`${dir}: neither ${SUMMARY_FILE} nor ${EVENTS_FILE} here; give a nightly run folder (OUT/runs/RUN_ID)`);
  const historyFile = basename(dirname(dir)) === 'runs' ? join(dirname(dirname(dir)), HISTORY_FILE) : undefined;
  const history = historyFile === undefined ? [] : await loadHistory(historyFile);
  let listed: boolean;
  if (hasSummary) {
    const summary = await readNightlySummary(join(dir, SUMMARY_FILE));
    listed = history.some((e) => e.runId === summary.runId);
    await writeNightlyReports(dir, summary);
    if (historyFile !== undefined && !listed) await appendHistory(historyFile, summary.findings.map((f) => historyEntry(summary.runId, summary.finishedAt, f)));
    return finish(summary, false);
  }
  const rebuilt = summaryFromEvents(dir, history);
  listed = history.some((e) => e.runId === rebuilt.summary.runId);
  if (historyFile !== undefined && !listed) await commitNight(dir, historyFile, rebuilt.summary, rebuilt.entries);
  else await writeNightlyReports(dir, rebuilt.summary);
  return finish(rebuilt.summary, true);

  async function finish(summary: Awaited<ReturnType<typeof readNightlySummary>>, fromEvents: boolean): Promise<number> {
    if (fromEvents) io.err(`cardfuzz report: ${dir}: rebuilt the summary from ${EVENTS_FILE} (the run stopped before writing it${summary.interrupted ? '; marked interrupted' : ''})`);
    if (historyFile === undefined) io.err(`cardfuzz report: ${dir} is not in an OUT/runs folder; no findings history updated`);
    else io.err(listed ? `cardfuzz report: ${historyFile} already lists this night` : `cardfuzz report: appended ${summary.findings.length} finding${summary.findings.length === 1 ? '' : 's'} of this night to ${historyFile}`);
    const markdown = nightlyMarkdown(summary);
    if (options.stepSummary) await appendFile(options.stepSummary, markdown).catch(() => undefined);
    io.out(markdown);
    io.out(`reports: ${dir}/report.html (summary.json, summary.md, junit.xml)`);
    return summary.exitCode;
  }
}
