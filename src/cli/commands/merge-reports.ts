import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError } from '../../errors.js';
import { appendHistory, HISTORY_FILE, type HistoryEntry } from '../../nightly/findings-history.js';
import { historyEntry } from '../../nightly/night-events.js';
import { findNightlySummaries, readNightlySummary, writeNightlyReports } from '../../nightly/report-files.js';
import { mergeSummaries, nightlyMarkdown } from '../../reporting/nightly-summary.js';
import type { Io } from '../io.js';

export interface MergeReportsOptions {
  readonly inputs: readonly string[];
  readonly out: string;
  readonly stepSummary: string | undefined;
}

/**
 * `cardfuzz merge-reports`: combines the run folders of a sharded nightly
 * (same seed and profile, distinct shards) into one run folder with every
 * report, and appends the merged night to OUT's findings history (so the
 * next night, sharded or not, knows its findings); exits like a nightly run would (0 clean, 1 findings, 2 errors).
 */
export async function mergeReportsCommand(options: MergeReportsOptions, io: Io): Promise<number> {
  const files = await findNightlySummaries(options.inputs);
  if (files.length === 0) throw new InvalidInputError(`no nightly summary (summary.json) under ${options.inputs.join(', ')}`);
  const summaries = await Promise.all(files.map((f) => readNightlySummary(f)));
  const first = summaries[0]!;
  for (const [i, s] of summaries.entries()) {
    if (s.seed !== first.seed || s.profile !== first.profile || JSON.stringify(s.settings) !== JSON.stringify(first.settings)) {
      throw new InvalidInputError(`${files[i]}: seed ${s.seed} on ${s.profile} does not belong with ${files[0]} (seed ${first.seed} on ${first.profile}); merge the shards of one run`);
    }
  }
  const shards = summaries.flatMap((s) => s.shards);
  const repeated = shards.find((s, i) => shards.indexOf(s) !== i);
  if (repeated !== undefined) throw new InvalidInputError(`shard ${repeated} appears twice among ${files.join(', ')}`);
  const counts = new Set(shards.map((s) => s.split('/')[1]));
  const missing = counts.size === 1 ? Number([...counts][0]) - shards.length : 0;
  const merged = mergeSummaries(summaries, `${first.runId.replace(/-shard\d+of\d+$/, '')}-merged`);
  const dir = join(options.out, 'runs', merged.runId);
  await writeNightlyReports(dir, merged);
  // The merged night joins the findings history of OUT, as one unsharded night would.
  const at = merged.finishedAt;
  const entries: HistoryEntry[] = merged.findings.map((f) => historyEntry(merged.runId, at, f));
  await appendHistory(join(options.out, HISTORY_FILE), entries);
  if (missing > 0) io.err(`warning: ${missing} of ${[...counts][0]} shards missing; the report covers ${shards.join(', ')}`);
  const markdown = nightlyMarkdown(merged);
  if (options.stepSummary) await appendFile(options.stepSummary, markdown).catch(() => undefined);
  io.out(markdown);
  io.out(`merged ${summaries.length} shard report${summaries.length === 1 ? '' : 's'}: ${dir}/report.html`);
  return merged.exitCode;
}
