import fc from 'fast-check';
import { fuzzCaseArbitrary, historyArbitrary } from '../../../generators/case.js';
import { workflowFileCaseArbitrary } from '../../../generators/workflow-file-cases.js';
import { workflowCaseArbitrary } from '../../../generators/workflow.js';
import { DEFAULT_CONSTRAINTS } from '../../../generators/constraints.js';
import type { Case } from '../../model/case.js';
import type { WorkflowFile } from '../../model/read-workflow-file.js';
import { findWorkflowFiles, loadWorkflowFile } from '../../tools/load-workflow.js';
import { caseForToolArbitrary } from '../../../generators/tool-cases.js';
import { findToolFiles, loadToolFile, type FoundFile, type LoadedTool } from '../../tools/load-tool.js';
import { isApproximation } from '../../tools/approximations.js';
import { runToolFolder } from './run-tool-folder.js';
import { findProperties, PROPERTIES } from '../../../properties/index.js';
import { generatorFingerprint } from '../../../generators/fingerprint.js';
import { recordFinding } from '../../regression/record-finding.js';
import { saveRegressionCase } from '../../regression/regression-store.js';
import { CaseJudge } from '../../runner/case-judge.js';
import { InvalidInputError, isFuzzerError, NotModelledError } from '../../errors.js';
import { checkWritableDirectory } from '../../files/check-writable.js';
import type { Finding } from '../../runner/finding.js';
import { resolveTargetProfile, type TargetOptions } from '../../runner/open-target.js';
import { notCheckedLines, runSuite, type PropertyCheck } from '../../runner/run-suite.js';
import { formatDuration } from '../durations.js';
import { formatFinding } from '../format-finding.js';
import type { Io } from '../io.js';
import { progressReporter, terminalStatus } from '../progress.js';
import { schemaGapNotes } from '../schema-notes.js';
import { cardfuzzInvocation } from '../invocation.js';
import { defaultSaveDir } from '../project-root.js';
import { displayPath, runSummary } from '../run-summary.js';
import { shellQuote, targetFlags } from '../shared-options.js';
import type { AnyProperty } from '../../runner/property.js';

export interface RunOptions {
  readonly target: TargetOptions;
  readonly properties: readonly string[] | undefined;
  readonly seed: number;
  readonly runs: number | undefined;
  readonly timeLimitMs: number | undefined;
  readonly shrinkTimeLimitMs: number | undefined;
  readonly path: string | undefined;
  readonly json: boolean;
  /** Save each finding as a regression case under this folder. */
  readonly save: string | undefined;
  /** Galaxy tool XML files: fuzz requests for these tools instead of generated ones. */
  readonly tools: readonly string[];
  /** Galaxy workflow files or folders: fuzz invocations of these workflows (their tool steps run `tools` where given). */
  readonly workflows?: readonly string[];
  /** With `tools`: fuzz invocations of generated workflows whose tool steps run these tools. */
  readonly inWorkflows?: boolean;
  /** Also check the hazard properties when no --property names them. */
  readonly hazards: boolean;
  /** One note line per piece the schema lacks, instead of one line for all. */
  readonly verbose?: boolean;
  /** Read tool XML as a linter would (refuse attributes Galaxy's loader ignores) instead of as Galaxy's loader does. */
  readonly strict?: boolean;
  /** With a tool folder: worker threads to fuzz its tools on (default 1: one after another in this process). */
  readonly workers?: number;
  /** The signal that asked the run to stop (set by the CLI's handlers), if any: generation stops, findings so far are kept. */
  readonly stopSignal?: () => NodeJS.Signals | null;
}

/** Exit codes of a run stopped by a signal, after it printed and saved what it found. */
const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

/** `cardfuzz run`: a fuzz campaign; exit 1 when a property fails, 0 when all hold. */
export async function runCommand(options: RunOptions, io: Io): Promise<number> {
  // As in gate and nightly: the hazard properties fail on every profile (their finding is upstream
  // Galaxy's), so a default run checks the profile's own properties and a fixed branch can come out green.
  // A run over --tool generates tool executions only: the properties of whole workflow invocations have nothing to judge there.
  const workflowMode = (options.workflows ?? []).length > 0;
  const inWorkflows = options.inWorkflows === true;
  if (inWorkflows && workflowMode) throw new InvalidInputError('--in-workflows generates the workflows its --tool tools run in; --workflow fuzzes workflows you give: use one or the other');
  if (inWorkflows && options.tools.length === 0) throw new InvalidInputError('--in-workflows draws the tool steps of generated workflows from the --tool tools: give at least one --tool FILE');
  const toolsOnly = options.tools.length > 0 && !workflowMode && !inWorkflows;
  const properties = findProperties(options.properties).filter(
    (p) => options.properties !== undefined || ((options.hazards || p.hazard === undefined) && !(toolsOnly && p.family === 'execution' && p.workflowOnly === true)),
  );
  const leftOut = options.properties !== undefined || options.hazards ? [] : PROPERTIES.filter((p) => p.hazard !== undefined);
  if (options.path !== undefined && !/^\d+(:\d+)*$/.test(options.path)) {
    throw new InvalidInputError(`--path ${options.path}: expected a counterexample path such as 0:1:4, as a finding's replay line gives it`);
  }
  if (options.path !== undefined && properties.length !== 1) throw new InvalidInputError('--path replays one counterexample: name exactly one --property');
  // Resolve everything that can be wrong before printing anything, so bad input is one line.
  const profile = await resolveTargetProfile(options.target);
  // Before the first case: a campaign must not run only to lose its findings to an unwritable folder.
  if (options.save !== undefined) await checkWritableDirectory(options.save, '--save');
  const workflows = workflowMode ? loadWorkflows(options, io) : null;
  const found = workflowMode ? [] : options.tools.map((t) => findToolFiles(t));
  // A folder or glob with --in-workflows: the tools Galaxy's loader loads from it are the pool the generated workflows draw from.
  const pool = inWorkflows && found.some((f) => f.expanded) ? loadToolPool(found.flatMap((f) => f.files), options, io) : null;
  if (pool === null && found.some((f) => f.expanded)) {
    if (options.path !== undefined) throw new InvalidInputError('--path replays one counterexample of one tool: give --tool a file, not a folder or a glob');
    const folder = { target: options.target, profile, properties, seed: options.seed, runs: options.runs ?? 200, timeLimitMs: options.timeLimitMs, shrinkTimeLimitMs: options.shrinkTimeLimitMs, json: options.json, strict: options.strict === true, workers: options.workers ?? 1, arguments: options.tools, ...(options.stopSignal !== undefined ? { shouldStop: () => options.stopSignal!() !== null } : {}) };
    const code = await runToolFolder(found.flatMap((f) => f.files), folder, io);
    const signal = options.stopSignal?.() ?? null;
    return signal !== null ? (SIGNAL_EXIT[signal] ?? 130) : code;
  }
  const tools = workflowMode ? [] : (pool ?? options.tools.map((file) => loadToolFile(file, { strict: options.strict === true })));
  const runs = options.runs ?? (options.timeLimitMs === undefined ? 2000 : undefined);
  const budget = options.path !== undefined ? `replaying path ${options.path}` : runs !== undefined ? `${runs.toLocaleString('en-US')} cases` : formatDuration(options.timeLimitMs!);
  io.err(`cardfuzz run: profile ${profile.name}, seed ${options.seed}, ${budget}, ${properties.length} propert${properties.length === 1 ? 'y' : 'ies'}${leftOut.length > 0 ? ` (${leftOut.length} hazard properties left out; --hazards adds them)` : ''}, ${options.target.dialect}`);
  const cardfuzz = cardfuzzInvocation();
  const reporters = new Map<string, ReturnType<typeof progressReporter>>();
  const status = terminalStatus(io);
  // A pool's approximations are on its tools' lines above.
  if (pool === null) for (const warning of tools.flatMap((t) => t.warnings)) io.err(`note: ${warning}`);
  if (inWorkflows) io.err(`generated workflows: tool steps run ${namesOf(tools.map((t) => t.tool.id))}`);
  const cases: fc.Arbitrary<Case> =
    workflows !== null
      ? fc.oneof(...workflows.map((w) => workflowFileCaseArbitrary(w) as fc.Arbitrary<Case>))
      : inWorkflows
        ? (workflowCaseArbitrary(DEFAULT_CONSTRAINTS, { tools: tools.map((t) => t.tool), only: true }) as fc.Arbitrary<Case>)
        : tools.length === 0
        ? fuzzCaseArbitrary()
        : fc.oneof(...tools.map((t) => caseForToolArbitrary(t.tool) as fc.Arbitrary<Case>));
  const histories = tools.length === 0 && workflows === null ? historyArbitrary() : fc.array(cases, { minLength: 1, maxLength: 3 });
  const result = await runSuite({
    target: { ...options.target, profile, schemaSql: undefined },
    properties,
    caseArbitrary: cases,
    historyArbitrary: histories,
    toolFixed: tools.length > 0 || workflows !== null,
    seed: options.seed,
    ...(runs !== undefined ? { runs } : {}),
    ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
    ...(options.shrinkTimeLimitMs !== undefined ? { shrinkTimeLimitMs: options.shrinkTimeLimitMs } : {}),
    ...(options.path !== undefined ? { path: options.path } : {}),
    onProgress: (group, p) => {
      let reporter = reporters.get(group);
      if (reporter === undefined) {
        reporter = progressReporter(io, group === 'execution' ? 'fuzzing' : 'upgrading', null, null, status);
        reporters.set(group, reporter);
      }
      reporter(p);
    },
    ...(options.stopSignal !== undefined ? { shouldStop: () => options.stopSignal!() !== null, yieldEveryMs: 100 } : {}),
    onSchemaGaps: (gaps) => {
      for (const line of schemaGapNotes(gaps, options.verbose ?? false)) io.err(line);
    },
    replayCommand: (f) => `${cardfuzz} run ${targetFlags(options.target)}${(options.workflows ?? []).map((w) => ` --workflow ${shellQuote(w)}`).join('')}${options.tools.map((t) => ` --tool ${shellQuote(t)}`).join('')}${inWorkflows ? ' --in-workflows' : ''}${options.strict === true ? ' --strict' : ''} --seed ${f.seed} --path ${shellQuote(f.path)} --property ${f.property}`,
  });
  // A cardfuzz error (a lost database, a bug) ends the run with exit 2, after the findings made so far are printed and saved.
  const failure =
    result.error === undefined ? undefined : result.error.code !== undefined ? result.error.message : `internal error while fuzzing: ${result.error.message}${result.error.input ? ` (input: ${JSON.stringify(result.error.input)})` : ''}`;
  if (failure === undefined && options.path !== undefined && result.runs === 0) {
    // Nothing green unless something ran: a path this seed's generators never reach replays no case.
    throw new InvalidInputError(`--path ${options.path} replays no case of seed ${options.seed} (the generators reach no such path; copy --seed and --path from the finding's replay line)`);
  }
  const findings = orderFindings(result.findings.map((f): Finding => ({ ...f, settings: options.target.settings })), properties);
  const saveDir = options.save === undefined ? defaultSaveDir() : options.save;
  const signal = options.stopSignal?.() ?? null;
  // A failed save still prints every finding (and the --json document) before the one-line error and exit 2.
  let saveError: string | undefined;
  let saved: { fingerprint: string; path: string; created: boolean }[] = [];
  try {
    saved = options.save === undefined ? [] : await saveFindings(findings, saveDir, options.target, io);
  } catch (error) {
    if (!isFuzzerError(error)) throw error;
    saveError = error.message;
  }
  // Green means checked: a run in which no selected property judged a single case checked nothing, and says so (exit 2, never 0).
  const nothingChecked =
    failure === undefined && signal === null && findings.length === 0 && result.checks.length > 0 && result.checks.every((c) => c.status === 'not-checked' || c.status === 'not-applicable')
      ? `nothing was checked: no selected property judged any of the ${result.runs.toLocaleString('en-US')} cases (see above)`
      : undefined;
  const summary = `${result.runs.toLocaleString('en-US')} cases in ${formatDuration(result.elapsedMs)} (${Math.round((result.runs * 1000) / Math.max(1, result.elapsedMs)).toLocaleString('en-US')} cases/s)${signal !== null ? `, stopped by ${signal}` : result.interrupted ? ', stopped early' : ''}`;
  const notChecked = notCheckedLines(result.checks);
  if (options.json) {
    io.out(
      JSON.stringify(
        {
          findings,
          runs: result.runs,
          elapsedMs: Math.round(result.elapsedMs),
          profile: result.system.profile.name,
          seed: options.seed,
          groups: result.groups,
          checks: result.checks,
          schemaGaps: result.schemaGaps,
          hazardsLeftOut: leftOut.map((p) => p.id),
          saved,
          ...(failure !== undefined ? { error: failure } : nothingChecked !== undefined ? { error: nothingChecked } : {}),
          ...(signal !== null ? { stoppedBy: signal } : {}),
          ...(saveError !== undefined ? { saveError } : {}),
        },
        null,
        2,
      ),
    );
  } else {
    for (const f of findings) {
      const file = saved.find((s) => s.fingerprint === f.fingerprint);
      const hazard = properties.find((p) => p.id === f.property)?.hazard;
      io.out(`${formatFinding(f, hazard)}${file ? `\n  ${file.created ? 'saved' : 'already recorded'}: ${shellQuote(displayPath(file.path, process.cwd()))}` : ''}\n\n`);
    }
    io.out(checksTable(result.checks));
    for (const line of notChecked) io.out(`note: ${line}`);
    if (failure === undefined && nothingChecked === undefined) {
      io.out(
        runSummary({
          cardfuzz,
          findings,
          properties,
          leftOut,
          notChecked: notChecked.length,
          notApplicable: result.checks.filter((c) => c.status === 'not-applicable').length,
          totals: summary,
          profile: result.system.profile.name,
          saveCommand: options.save === undefined && options.path === undefined ? `${campaignCommand(cardfuzz, options)} --save` : null,
          regressionsDir: saveDir,
          saved: new Map(saved.map((s) => [s.fingerprint, s.path])),
          cwd: process.cwd(),
        }),
      );
    } else if (findings.length > 0) io.out(`${findings.length} finding${findings.length === 1 ? '' : 's'} before the run stopped, over ${summary}`);
  }
  // One line: what stopped the run, then any schema it could not drop.
  const problems = [...(failure === undefined ? [] : [failure]), ...(nothingChecked === undefined ? [] : [nothingChecked]), ...result.closeErrors, ...(saveError === undefined ? [] : [`${saveError} (the findings are printed above)`])];
  if (problems.length > 0) {
    io.err(`cardfuzz: ${problems.join('; ')}`);
    return 2;
  }
  if (signal !== null) return SIGNAL_EXIT[signal] ?? 130;
  return findings.length > 0 ? 1 : 0;
}

/** Tool ids, the first few of a long list and how many more. */
function namesOf(ids: readonly string[]): string {
  const shown = 8;
  return ids.length <= shown ? ids.join(', ') : `${ids.slice(0, shown).join(', ')} and ${ids.length - shown} more (${ids.length} tools)`;
}

/**
 * `--tool DIR --in-workflows`: every tool file found, loaded as `run --tool DIR`
 * loads it (Galaxy's loader, or --strict), one line each on stderr: loaded
 * (with its approximations), refused by Galaxy's loader with Galaxy's reason,
 * not modelled, or skipped; then a tally. The loaded tools are the pool the
 * generated workflows' tool steps draw from, in the order found (so a
 * finding's replay, which names the same folder, draws from the same pool).
 * None loaded: one line, exit 2.
 */
function loadToolPool(files: readonly FoundFile[], options: RunOptions, io: Io): LoadedTool[] {
  const loaded: LoadedTool[] = [];
  let refused = 0;
  let notModelled = 0;
  const ids = new Map<string, string>();
  for (const f of files) {
    if (f.kind === 'other') continue;
    if (f.kind === 'unreadable') {
      io.err(`skipped   ${f.file}: ${f.reason}`);
      continue;
    }
    let tool: LoadedTool;
    try {
      tool = loadToolFile(f.file, { strict: options.strict === true });
    } catch (error) {
      if (!isFuzzerError(error)) throw error;
      const reason = error.message.startsWith(`${f.file}: `) ? error.message.slice(f.file.length + 2) : error.message;
      if (error instanceof NotModelledError) notModelled++;
      else refused++;
      io.err(`${error instanceof NotModelledError ? 'not modelled' : 'refused  '} ${f.file}: ${reason}`);
      continue;
    }
    // A workflow case runs one tool per id (Galaxy's toolbox keeps each version of an id; a step names one by tool_id and tool_version): the first file found stays.
    const first = ids.get(tool.tool.id);
    if (first !== undefined) {
      io.err(`skipped   ${f.file}: tool id ${tool.tool.id}${tool.tool.version === undefined ? '' : ` (version ${tool.tool.version})`} is already in the pool, from ${first}`);
      continue;
    }
    ids.set(tool.tool.id, f.file);
    loaded.push(tool);
    const approximations = tool.approximations.filter(isApproximation);
    const counting = approximations.filter((a) => a.changesCounts).length;
    io.err(`loaded    ${f.file} (${tool.tool.id})${approximations.length === 0 ? '' : `, ${approximations.length} approximation${approximations.length === 1 ? '' : 's'}${counting > 0 ? ` (${counting} can change counts)` : ''}`}`);
  }
  const others = files.filter((f) => f.kind === 'other').length;
  const candidates = files.length - others;
  const skipped = candidates - loaded.length - refused - notModelled;
  io.err(
    `tool pool: ${candidates.toLocaleString('en-US')} tool file${candidates === 1 ? '' : 's'}: ${loaded.length} loaded, ${refused} refused ${options.strict === true ? 'by --strict' : "by Galaxy's loader"}, ${notModelled} not modelled${skipped > 0 ? `, ${skipped} skipped` : ''}${others > 0 ? `; ${others} other file${others === 1 ? '' : 's'} skipped (macro files, configs, data)` : ''}`,
  );
  if (loaded.length === 0) throw new InvalidInputError(`--in-workflows: none of the ${candidates} tool files found in ${options.tools.join(', ')} could be loaded (see above)`);
  return loaded;
}

/** Each property's result and the inputs it judged, one line each; a property not applicable says why. */
export function checksTable(checks: readonly PropertyCheck[]): string {
  const width = Math.max(1, ...checks.map((c) => c.judged.toLocaleString('en-US').length));
  const label = { failed: 'FAILED', held: 'held', 'not-applicable': 'n/a', 'not-checked': 'not checked' } as const;
  const why = (c: PropertyCheck): string => (c.status === 'not-applicable' && c.reason !== undefined ? ` (${c.reason})` : '');
  return ['properties (inputs judged):', ...checks.map((c) => `  ${label[c.status].padEnd(11)} ${c.judged.toLocaleString('en-US').padStart(width)}  ${c.property}${why(c)}`)].join('\n');
}

/** The profile's own findings first, then the hazards; each in the order the properties are listed. */
function orderFindings(findings: readonly Finding[], properties: readonly AnyProperty[]): Finding[] {
  const rank = (f: Finding): number => {
    const index = properties.findIndex((p) => p.id === f.property);
    return (properties[index]?.hazard === undefined ? 0 : properties.length) + index;
  };
  return findings.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f);
}

/** This campaign's command line (same seed and budget), to rerun it with another flag. */
function campaignCommand(cardfuzz: string, options: RunOptions): string {
  const parts = [`${cardfuzz} run ${targetFlags(options.target)}`];
  for (const w of options.workflows ?? []) parts.push(`--workflow ${shellQuote(w)}`);
  for (const t of options.tools) parts.push(`--tool ${shellQuote(t)}`);
  if (options.inWorkflows === true) parts.push('--in-workflows');
  for (const p of options.properties ?? []) parts.push(`--property ${p}`);
  if (options.hazards) parts.push('--hazards');
  parts.push(`--seed ${options.seed}`);
  if (options.runs !== undefined) parts.push(`--runs ${options.runs}`);
  if (options.timeLimitMs !== undefined) parts.push(`--time-limit ${options.timeLimitMs}ms`);
  return parts.join(' ');
}

/**
 * Records each finding as a regression case (one file per fingerprint). When
 * the run's PostgreSQL server is gone, the expected verdicts are judged on
 * SQLite instead, so that the findings are kept; a note says so.
 */
async function saveFindings(findings: readonly Finding[], dir: string, target: TargetOptions, io: Io): Promise<{ fingerprint: string; path: string; created: boolean }[]> {
  const onFallback = (): void => io.err('note: PostgreSQL is unreachable; the findings are saved with their expected verdicts judged on SQLite');
  const judge = new CaseJudge({ dialect: target.dialect, ...(target.databaseUrl === undefined ? {} : { databaseUrl: target.databaseUrl }), onFallback });
  const fingerprint = generatorFingerprint();
  const out: { fingerprint: string; path: string; created: boolean }[] = [];
  try {
    for (const finding of findings) {
      const property = PROPERTIES.find((p) => p.id === finding.property)!;
      const regression = await recordFinding({ ...finding, profile: typeof target.profile === 'string' ? target.profile : target.profile.name }, property, judge, { profile: target.profile, generatorFingerprint: fingerprint, now: new Date() });
      out.push({ fingerprint: finding.fingerprint, ...(await saveRegressionCase(dir, regression)) });
    }
  } finally {
    await judge.close();
  }
  return out;
}

/**
 * The workflows of `--workflow` (files, or every `.ga` or gxformat2 workflow under a folder),
 * their tool steps running the `--tool` tools where given; one line per file
 * Galaxy would refuse, and the notes on what the files stood in for. With one
 * file, a refusal is the run's error (exit 2).
 */
function loadWorkflows(options: RunOptions, io: Io): WorkflowFile[] {
  const tools = options.tools.flatMap((t) => findToolFiles(t).files).flatMap((f) => {
    if (f.kind !== 'tool') return [];
    try {
      return [loadToolFile(f.file, { strict: options.strict === true }).tool];
    } catch (error) {
      if (!isFuzzerError(error)) throw error;
      io.err(`note: tool ${f.file} not used: ${error.message}`);
      return [];
    }
  });
  const files = (options.workflows ?? []).flatMap((w) => findWorkflowFiles(w));
  if (files.length === 0) throw new InvalidInputError(`--workflow ${(options.workflows ?? []).join(' ')}: no Galaxy workflow (.ga, or gxformat2 .yml) found`);
  const loaded: WorkflowFile[] = [];
  for (const file of files) {
    try {
      loaded.push(loadWorkflowFile(file, tools));
      io.err(`workflow ${file}: loaded`);
    } catch (error) {
      if (!isFuzzerError(error) || files.length === 1) throw error;
      // Galaxy would run what cardfuzz does not model: said as such, never as Galaxy's refusal.
      const reason = error.message.startsWith(`${file}: `) ? error.message.slice(file.length + 2) : error.message;
      io.err(`workflow ${file}: ${error instanceof NotModelledError ? reason : `refused: ${reason}`}`);
    }
  }
  for (const note of loaded.flatMap((w) => w.notes)) io.err(`note: ${note}`);
  if (loaded.length === 0) throw new InvalidInputError(`--workflow: none of the ${files.length} workflow files could be read (see above)`);
  return loaded;
}
