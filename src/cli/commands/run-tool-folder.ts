import { basename } from 'node:path';
import fc from 'fast-check';
import { caseForToolArbitrary } from '../../../generators/tool-cases.js';
import type { AnyProperty } from '../../runner/property.js';
import { FuzzerError } from '../../errors.js';
import type { Finding } from '../../runner/finding.js';
import type { TargetOptions } from '../../runner/open-target.js';
import { runSuite, type PropertyCheck } from '../../runner/run-suite.js';
import { formatApproximation, type Approximation } from '../../tools/approximations.js';
import { loadToolFile, type FoundFile } from '../../tools/load-tool.js';
import type { Profile } from '../../profiles/profile.js';
import { formatDuration } from '../durations.js';
import { formatFinding } from '../format-finding.js';
import type { Io } from '../io.js';
import { progressReporter, terminalStatus } from '../progress.js';
import { shellQuote, targetFlags } from '../shared-options.js';

/**
 * `run --tool DIR` (or a glob): every tool found is loaded and fuzzed on its
 * own, with the same seed and budget; one line per tool (loaded or refused,
 * its approximations, its findings), then a summary. A refused tool is
 * reported, not fatal: exit 1 when any tool has a finding, else 0; exit 2
 * when cardfuzz itself fails, or when nothing was checked (no tool file
 * found, every tool refused, or no property judged a case).
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
  readonly arguments: readonly string[];
}

interface ToolReport {
  readonly file: string;
  readonly id: string | null;
  readonly status: 'ok' | 'findings' | 'refused';
  readonly reason?: string;
  readonly approximations: readonly Approximation[];
  readonly cases: number;
  readonly findings: readonly Finding[];
  /** Per property: failed, held, or not checked (judged no case of this tool). */
  readonly checks: readonly PropertyCheck[];
}

export async function runToolFolder(files: readonly FoundFile[], options: ToolFolderOptions, io: Io): Promise<number> {
  const toolFiles = files.filter((f) => f.kind === 'tool');
  const others = files.filter((f): f is Extract<FoundFile, { kind: 'other' }> => f.kind === 'other');
  if (toolFiles.length === 0) {
    io.err(`cardfuzz: no tool found in ${options.arguments.join(', ')}${others.length > 0 ? ` (${others.length} other file${others.length === 1 ? '' : 's'})` : ''}`);
    return 2;
  }
  const budget = options.timeLimitMs !== undefined ? `${formatDuration(options.timeLimitMs)} per tool` : `${options.runs.toLocaleString('en-US')} cases per tool`;
  io.err(`cardfuzz run: profile ${options.profile.name}, seed ${options.seed}, ${toolFiles.length} tool file${toolFiles.length === 1 ? '' : 's'}, ${budget}, ${options.properties.length} propert${options.properties.length === 1 ? 'y' : 'ies'}, ${options.target.dialect}`);
  const started = performance.now();
  const reports: ToolReport[] = [];
  // Progress on a terminal only, once the folder has taken a few seconds; nothing in a pipe or CI.
  const status = terminalStatus(io);
  for (const [index, { file }] of toolFiles.entries()) {
    let loaded;
    try {
      loaded = loadToolFile(file);
    } catch (error) {
      if (!(error instanceof FuzzerError)) throw error;
      const report: ToolReport = { file, id: null, status: 'refused', reason: error.message, approximations: [], cases: 0, findings: [], checks: [] };
      reports.push(report);
      if (!options.json) io.out(toolLine(report));
      continue;
    }
    for (const a of loaded.approximations) io.err(`note: ${formatApproximation(a)}`);
    // Built exactly as `run --tool FILE` builds it, so a finding's replay command (which names the one file) replays it.
    const cases = fc.oneof(caseForToolArbitrary(loaded.tool));
    const progress = progressReporter(io, `tool ${index + 1}/${toolFiles.length} ${basename(file)}:`, null, options.timeLimitMs ?? null, status);
    const result = await runSuite({
      target: { ...options.target, profile: options.profile, schemaSql: undefined },
      properties: options.properties,
      caseArbitrary: cases,
      historyArbitrary: fc.array(cases, { minLength: 1, maxLength: 3 }),
      toolFixed: true,
      seed: options.seed,
      ...(options.timeLimitMs === undefined ? { runs: options.runs } : { timeLimitMs: options.timeLimitMs }),
      ...(options.shrinkTimeLimitMs !== undefined ? { shrinkTimeLimitMs: options.shrinkTimeLimitMs } : {}),
      onProgress: (_group, p) => progress(p),
      replayCommand: (f) => `cardfuzz run ${targetFlags(options.target)} --tool ${shellQuote(file)} --seed ${f.seed} --path ${shellQuote(f.path)} --property ${f.property}`,
    });
    if (result.error !== undefined) {
      io.err(`cardfuzz: internal error while fuzzing ${file}: ${result.error.message}${result.error.input ? ` (input: ${JSON.stringify(result.error.input)})` : ''}`);
      return 2;
    }
    const findings = result.findings.map((f): Finding => ({ ...f, settings: options.target.settings }));
    const report: ToolReport = { file, id: loaded.tool.id, status: findings.length > 0 ? 'findings' : 'ok', approximations: loaded.approximations, cases: result.runs, findings, checks: result.checks };
    reports.push(report);
    if (!options.json) io.out(toolLine(report));
    if (result.interrupted) break;
  }
  const summary = summarise(reports, others, performance.now() - started);
  if (options.json) {
    io.out(JSON.stringify({ profile: options.profile.name, seed: options.seed, tools: reports, skipped: others, summary }, null, 2));
  } else {
    for (const r of reports) for (const f of r.findings) io.out(`\n${r.file}:\n${formatFinding(f)}`);
    io.out(summary.text);
  }
  if (reports.some((r) => r.status === 'findings')) return 1;
  // Green means checked: refused tools, or tools whose cases no property could judge, checked nothing.
  if (!reports.some((r) => r.checks.some((c) => c.status === 'held' || c.status === 'failed'))) {
    const loaded = reports.filter((r) => r.status !== 'refused').length;
    io.err(`cardfuzz: nothing was checked: ${loaded === 0 ? reports.length === 1 ? 'the one tool file was refused' : `all ${reports.length} tool files were refused` : `no selected property judged any case of the ${loaded} tool${loaded === 1 ? '' : 's'} loaded`}`);
    return 2;
  }
  return 0;
}

function toolLine(r: ToolReport): string {
  if (r.status === 'refused') return `refused   ${r.file}: ${r.reason!.startsWith(r.file) ? r.reason!.slice(r.file.length).replace(/^:\s*/, '') : r.reason}`;
  const counting = r.approximations.filter((a) => a.changesCounts).length;
  const approximations = r.approximations.length === 0 ? 'no approximations' : `${r.approximations.length} approximation${r.approximations.length === 1 ? '' : 's'}${counting > 0 ? ` (${counting} can change counts)` : ''}`;
  const findings = r.findings.length === 0 ? 'no findings' : `${r.findings.length} finding${r.findings.length === 1 ? '' : 's'} (${[...new Set(r.findings.map((f) => f.property))].join(', ')})`;
  const notChecked = r.checks.filter((c) => c.status === 'not-checked').map((c) => c.property);
  const unchecked = notChecked.length === 0 ? '' : `; not checked: ${notChecked.join(', ')}`;
  return `${r.status === 'ok' ? 'ok      ' : 'FINDINGS'}  ${r.file} (${r.id}): loaded, ${approximations}; ${findings} over ${r.cases.toLocaleString('en-US')} cases${unchecked}`;
}

function summarise(reports: readonly ToolReport[], others: readonly Extract<FoundFile, { kind: 'other' }>[], elapsedMs: number) {
  const loaded = reports.filter((r) => r.status !== 'refused');
  const refused = reports.filter((r) => r.status === 'refused');
  const approximated = loaded.filter((r) => r.approximations.length > 0);
  const countChanging = loaded.filter((r) => r.approximations.some((a) => a.changesCounts));
  const withFindings = loaded.filter((r) => r.findings.length > 0);
  const byProperty: Record<string, number> = {};
  for (const r of withFindings) for (const p of new Set(r.findings.map((f) => f.property))) byProperty[p] = (byProperty[p] ?? 0) + 1;
  const constructs: Record<string, number> = {};
  for (const r of loaded) for (const a of r.approximations) constructs[a.construct.replace(/"[^"]*"/g, '"…"').replace(/<filter>.*<\/filter>/, '<filter>…</filter>')] = (constructs[a.construct.replace(/"[^"]*"/g, '"…"').replace(/<filter>.*<\/filter>/, '<filter>…</filter>')] ?? 0) + 1;
  const cases = loaded.reduce((n, r) => n + r.cases, 0);
  // "Not checked" is a result of its own: how many tools' cases never gave each property something to judge.
  const notChecked: Record<string, number> = {};
  for (const r of loaded) for (const c of r.checks) if (c.status === 'not-checked') notChecked[c.property] = (notChecked[c.property] ?? 0) + 1;
  const text = [
    '',
    `${reports.length} tool file${reports.length === 1 ? '' : 's'}: ${loaded.length} loaded, ${refused.length} refused${others.length > 0 ? `; ${others.length} other file${others.length === 1 ? '' : 's'} skipped (macro files, configs, data)` : ''}`,
    `approximations: ${approximated.length} tool${approximated.length === 1 ? '' : 's'} approximated, ${countChanging.length} in a way that can change job or collection counts (each noted above)`,
    `findings: ${withFindings.length === 0 ? 'none' : `${withFindings.length} tool${withFindings.length === 1 ? '' : 's'} — ${Object.entries(byProperty).map(([p, n]) => `${p} in ${n}`).join(', ')}`} over ${cases.toLocaleString('en-US')} cases in ${formatDuration(elapsedMs)}`,
    ...(Object.keys(notChecked).length === 0 ? [] : [`not checked: ${Object.entries(notChecked).map(([p, n]) => `${p} in ${n} tool${n === 1 ? '' : 's'}`).join(', ')}`]),
  ].join('\n');
  return { text, tools: reports.length, loaded: loaded.length, refused: refused.length, otherFiles: others.length, approximated: approximated.length, approximatedChangingCounts: countChanging.length, toolsWithFindings: withFindings.length, findingsByProperty: byProperty, notCheckedByProperty: notChecked, constructs, cases };
}
