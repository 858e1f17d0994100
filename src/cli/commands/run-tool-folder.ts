import { caseForToolArbitrary } from '../../../generators/tool-cases.js';
import type { AnyProperty } from '../../runner/property.js';
import type { TargetOptions } from '../../runner/open-target.js';
import type { FuzzToolResult } from '../../runner/fuzz-tool-file.js';
import { fuzzToolFiles } from '../../runner/fuzz-tool-files.js';
import { isApproximation } from '../../tools/approximations.js';
import { groupFindingsByFingerprint, notesByConstruct, reasonPattern, tally, type FindingGroup, type ToolReport } from '../../reporting/tool-folder-summary.js';
import type { FoundFile } from '../../tools/load-tool.js';
import type { Profile } from '../../profiles/profile.js';
import { formatDuration } from '../durations.js';
import { formatFinding } from '../format-finding.js';
import type { Io } from '../io.js';
import { shellQuote, targetFlags } from '../shared-options.js';

/**
 * `run --tool DIR` (or a glob), at tool-shed scale: every tool found is loaded
 * and fuzzed on its own, with the same seed and budget. Stdout gets one short
 * line per file (loaded, refused by Galaxy's loader, not modelled, skipped),
 * then the findings grouped across tools by fingerprint (one block each: how
 * many tools, which, and the smallest case), then a tally. A terminal also
 * gets a progress line on stderr; a pipe gets nothing more. `--json` prints
 * one document with each tool's results, the groups and the tally.
 *
 * With several tool files and `workers` > 1 the tools run on the nightly's
 * worker pool (runner/fuzz-tool-files.ts); each tool gets the same seed and
 * budget either way, and its line is printed in the order the files were
 * found, as soon as the tools before it are done: stdout is the same with one
 * worker or many, whichever tool finishes first.
 *
 * Exit 1 when any tool has a finding, else 0; exit 2 when cardfuzz itself
 * fails (on a tool: its worker crashed twice, say, which gives that tool an
 * `error` line, the others going on and everything found being printed), or
 * when nothing was checked (no tool file found, every tool refused, or no
 * property judged a case). A refused tool is reported, never fatal.
 */
export interface ToolFolderOptions {
  readonly target: TargetOptions;
  readonly profile: Profile;
  readonly properties: readonly AnyProperty[];
  readonly seed: number;
  readonly runs: number;
  readonly timeLimitMs: number | undefined;
  readonly shrinkTimeLimitMs: number | undefined;
  readonly json: boolean;
  readonly strict: boolean;
  readonly arguments: readonly string[];
  /** Worker threads to run the tools on (1: one after another in this process). */
  readonly workers: number;
  /** The run is asked to stop (Ctrl-C): no more tools are started. */
  readonly shouldStop?: () => boolean;
}

/** How many tool files a finding group names before "and N more". */
const TOOLS_LISTED = 10;

type Other = Extract<FoundFile, { kind: 'other' }>;
type Unreadable = Extract<FoundFile, { kind: 'unreadable' }>;

export async function runToolFolder(files: readonly FoundFile[], options: ToolFolderOptions, io: Io): Promise<number> {
  const toolFiles = files.filter((f) => f.kind === 'tool');
  const others = files.filter((f): f is Other => f.kind === 'other');
  const unreadable = files.filter((f): f is Unreadable => f.kind === 'unreadable');
  if (!options.json) for (const u of unreadable) io.out(`skipped   ${u.file}: ${u.reason}`);
  if (toolFiles.length === 0) {
    io.err(`cardfuzz: no tool found in ${options.arguments.join(', ')}${others.length > 0 ? ` (${others.length} other file${others.length === 1 ? '' : 's'})` : ''}${unreadable.length > 0 ? ` (${unreadable.length} path${unreadable.length === 1 ? '' : 's'} skipped)` : ''}`);
    return 2;
  }
  const budget = options.timeLimitMs !== undefined ? `${formatDuration(options.timeLimitMs)} per tool` : `${options.runs.toLocaleString('en-US')} cases per tool`;
  const workers = Math.max(1, Math.min(options.workers, toolFiles.length));
  io.err(`cardfuzz run: profile ${options.profile.name}, seed ${options.seed}, ${toolFiles.length} tool file${toolFiles.length === 1 ? '' : 's'}, ${budget}, ${options.properties.length} propert${options.properties.length === 1 ? 'y' : 'ies'}, ${options.target.dialect}${options.strict ? ', --strict' : ''}${workers > 1 ? `, ${workers} worker threads` : ''}`);
  const started = performance.now();
  // Results by file index, as they come; lines are printed in file order, each once the tools before it are done.
  const byIndex: (ToolReport | undefined)[] = toolFiles.map(() => undefined);
  let done = 0;
  let printed = 0;
  const progress = (): void => {
    // Progress is for a person at a terminal: a pipe or a CI log gets the tool lines only.
    if (!io.stderrIsTTY || options.json) return;
    const elapsed = (performance.now() - started) / 1000;
    const findings = byIndex.filter((r) => r?.status === 'findings').length;
    io.status(`tools ${done.toLocaleString('en-US')} / ${toolFiles.length.toLocaleString('en-US')} | ${(done / Math.max(elapsed, 0.001)).toFixed(1)} tools/s | ${findings} with findings${workers > 1 ? ` | ${workers} workers` : ''}`);
  };
  const printReady = (): void => {
    while (printed < byIndex.length && byIndex[printed] !== undefined) {
      if (!options.json) io.out(toolLine(byIndex[printed]!));
      printed++;
    }
  };
  progress();
  const run = await fuzzToolFiles(
    toolFiles.map((f) => f.file),
    {
      ...options,
      workerEntry: new URL('../worker/campaign-worker.js', import.meta.url),
      caseArbitraryFor: caseForToolArbitrary,
      replayCommand: (tool, f) => `cardfuzz run ${targetFlags(options.target)} --tool ${shellQuote(tool)}${options.strict ? ' --strict' : ''} --seed ${f.seed} --path ${shellQuote(f.path)} --property ${f.property}`,
      onResult: (index, result) => {
        byIndex[index] = reportOf(toolFiles[index]!.file, result);
        done++;
        printReady();
        progress();
      },
      onWorkerProblem: (message) => io.err(`cardfuzz run: ${message}`),
    },
  );
  // Stopped (Ctrl-C): the tools that did run, still in file order.
  const reports = byIndex.filter((r): r is ToolReport => r !== undefined);
  if (!options.json) for (const r of byIndex.slice(printed)) if (r !== undefined) io.out(toolLine(r));
  const elapsedMs = performance.now() - started;
  // Faults are not findings: cardfuzz's own failures make the exit 2, after everything found was printed.
  const failed = reports.filter((r) => r.status === 'error');
  const problems = [
    ...(failed.length > 0 ? [`cardfuzz failed on ${failed.length === 1 ? `1 tool (${failed[0]!.file})` : `${failed.length} tools`}; see its error line${failed.length === 1 ? '' : 's'}`] : []),
    ...(run.startError !== undefined ? [`${run.startError}; ${toolFiles.length - reports.length} of ${plural(toolFiles.length, 'tool file')} not run`] : []),
    ...run.closeErrors,
  ];
  const groups = groupFindingsByFingerprint(reports);
  const summary = summarise(reports, others, unreadable, groups, elapsedMs, options.strict);
  if (options.json) {
    io.out(JSON.stringify({ profile: options.profile.name, seed: options.seed, tools: reports, findingGroups: groups, skipped: others, unreadable, summary, ...(problems.length > 0 ? { error: problems.join('; ') } : {}) }, null, 2));
  } else {
    for (const g of groups) io.out(`\n${groupBlock(g)}`);
    io.out(summary.text);
  }
  if (problems.length > 0) {
    io.err(`cardfuzz: ${problems.join('; ')}`);
    return 2;
  }
  if (reports.some((r) => r.status === 'findings')) return 1;
  // Green means checked: refused tools, or tools whose cases no property could judge, checked nothing.
  // Held or failed: a property the schema cannot reach (n/a) or that judged nothing checked nothing.
  if (!reports.some((r) => r.checks.some((c) => c.status === 'held' || c.status === 'failed'))) {
    const loaded = reports.filter((r) => r.status === 'ok').length;
    const refusal = (r: ToolReport): string => (r.status === 'not-modelled' ? 'not modelled' : 'refused');
    const notLoaded = reports.length === 1 ? `the one tool file was ${refusal(reports[0]!)}` : `all ${reports.length} tool files were refused or not modelled`;
    io.err(`cardfuzz: nothing was checked: ${loaded === 0 ? notLoaded : `no selected property judged any case of the ${loaded} tool${loaded === 1 ? '' : 's'} loaded`}`);
    return 2;
  }
  return 0;
}

const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** A tool's result as its report; cardfuzz's own failure on it is an `error` report (never a finding). */
function reportOf(file: string, result: FuzzToolResult): ToolReport {
  if ('report' in result) return result.report;
  return { file, id: null, status: 'error', reason: result.error, approximations: [], cases: 0, findings: [], checks: [] };
}

function toolLine(r: ToolReport): string {
  const reason = (): string => (r.reason!.startsWith(r.file) ? r.reason!.slice(r.file.length).replace(/^:\s*/, '') : r.reason!);
  if (r.status === 'error') return `error     ${r.file}: cardfuzz failed on this tool (a tool error, not a finding): ${reason()}`;
  if (r.status === 'refused') return `refused   ${r.file}: ${reason()}`;
  if (r.status === 'not-modelled') return `not modelled ${r.file}: ${reason()}`;
  const approximations = r.approximations.filter(isApproximation);
  const counting = approximations.filter((a) => a.changesCounts).length;
  const rules = r.approximations.length - approximations.length;
  const notes = [
    approximations.length === 0 ? 'no approximations' : `${plural(approximations.length, 'approximation')}${counting > 0 ? ` (${counting} can change counts)` : ''}`,
    ...(rules === 0 ? [] : [`${plural(rules, 'Galaxy loader rule')} applied`]),
  ].join(', ');
  const findings = r.findings.length === 0 ? 'no findings' : `${plural(r.findings.length, 'finding')} (${[...new Set(r.findings.map((f) => f.fingerprint))].join(', ')})`;
  const notChecked = r.checks.filter((c) => c.status === 'not-checked').map((c) => c.property);
  const unchecked = notChecked.length === 0 ? '' : `; not checked: ${notChecked.join(', ')}`;
  return `${r.status === 'ok' ? 'ok      ' : 'FINDINGS'}  ${r.file} (${r.id}): loaded, ${notes}; ${findings} over ${r.cases.toLocaleString('en-US')} cases${unchecked}`;
}

/** One finding group: the fingerprint, how many tools and which, then the smallest case in full. */
function groupBlock(g: FindingGroup): string {
  const listed = g.tools.slice(0, TOOLS_LISTED).map((t) => `  - ${t}`);
  const more = g.tools.length > TOOLS_LISTED ? [`  - and ${g.tools.length - TOOLS_LISTED} more (--json lists them all)`] : [];
  return [`fingerprint ${g.fingerprint}: ${g.property} in ${plural(g.tools.length, 'tool')}`, ...listed, ...more, `smallest case (${g.smallest.case.entry === "workflow-invocation" ? "a workflow invocation" : g.smallest.case.tool.id}):`, formatFinding(g.smallest)].join('\n');
}

function summarise(reports: readonly ToolReport[], others: readonly Other[], unreadable: readonly Unreadable[], groups: readonly FindingGroup[], elapsedMs: number, strict: boolean) {
  const loaded = reports.filter((r) => r.status === 'ok' || r.status === 'findings');
  const refused = reports.filter((r) => r.status === 'refused');
  const notModelled = reports.filter((r) => r.status === 'not-modelled');
  const failed = reports.filter((r) => r.status === 'error');
  const approximated = loaded.filter((r) => r.approximations.some(isApproximation));
  const countChanging = loaded.filter((r) => r.approximations.some((a) => isApproximation(a) && a.changesCounts));
  const withRules = loaded.filter((r) => r.approximations.some((a) => !isApproximation(a)));
  const withFindings = loaded.filter((r) => r.findings.length > 0);
  const refusedByReason = tally(refused, reasonPattern);
  const notModelledByReason = tally(notModelled, reasonPattern);
  const constructs = notesByConstruct(loaded);
  const cases = loaded.reduce((n, r) => n + r.cases, 0);
  // "Not checked" is a result of its own: how many tools' cases never gave each property something to judge.
  const notChecked: Record<string, number> = {};
  for (const r of loaded) for (const c of r.checks) if (c.status === 'not-checked') notChecked[c.property] = (notChecked[c.property] ?? 0) + 1;
  const toolsPerSecond = reports.length / Math.max(elapsedMs / 1000, 0.001);
  const byReason = (counts: Record<string, number>): string[] => Object.entries(counts).map(([reason, n]) => `  ${String(n).padStart(5)}  ${reason}`);
  const text = [
    '',
    `${plural(reports.length, 'tool file')}: ${loaded.length} loaded, ${refused.length} refused ${strict ? 'by --strict (a linter\'s view)' : "by Galaxy's loader"}, ${notModelled.length} not modelled${failed.length > 0 ? `, ${failed.length} failed (cardfuzz errors)` : ''}${others.length > 0 ? `; ${plural(others.length, 'other file')} skipped (macro files, configs, data)` : ''}${unreadable.length > 0 ? `; ${plural(unreadable.length, 'path')} unreadable` : ''}`,
    ...(refused.length === 0 ? [] : ['refused, by reason:', ...byReason(refusedByReason)]),
    ...(notModelled.length === 0 ? [] : ['not modelled, by reason:', ...byReason(notModelledByReason)]),
    `approximations: ${plural(approximated.length, 'tool')} approximated, ${countChanging.length} in a way that can change job or collection counts; Galaxy loader rules applied in ${plural(withRules.length, 'tool')}`,
    ...constructs.map((c) => `  ${String(c.tools).padStart(5)}  ${c.construct}${c.galaxyRule ? " (Galaxy's rule)" : c.changesCounts ? ' (can change counts)' : ''}`),
    `findings: ${withFindings.length === 0 ? 'none' : `${plural(groups.length, 'fingerprint')} in ${plural(withFindings.length, 'tool')}`} over ${cases.toLocaleString('en-US')} cases in ${formatDuration(elapsedMs)} (${toolsPerSecond.toFixed(1)} tools/s)`,
    ...(Object.keys(notChecked).length === 0 ? [] : [`not checked: ${Object.entries(notChecked).map(([p, n]) => `${p} in ${plural(n, 'tool')}`).join(', ')}`]),
  ].join('\n');
  const findingsByProperty: Record<string, number> = {};
  for (const r of withFindings) for (const p of new Set(r.findings.map((f) => f.property))) findingsByProperty[p] = (findingsByProperty[p] ?? 0) + 1;
  return {
    text,
    tools: reports.length,
    loaded: loaded.length,
    refused: refused.length,
    refusedByReason,
    notModelled: notModelled.length,
    notModelledByReason,
    errors: failed.length,
    otherFiles: others.length,
    unreadable: unreadable.length,
    approximated: approximated.length,
    approximatedChangingCounts: countChanging.length,
    galaxyRulesApplied: withRules.length,
    toolsWithFindings: withFindings.length,
    fingerprints: groups.length,
    findingsByProperty,
    notCheckedByProperty: notChecked,
    constructs,
    cases,
    elapsedMs: Math.round(elapsedMs),
    toolsPerSecond: Number(toolsPerSecond.toFixed(2)),
  };
}
