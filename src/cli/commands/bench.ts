import { join } from 'node:path';
import { fuzzCaseArbitrary, historyArbitrary } from '../../../generators/case.js';
import { caseForToolArbitrary } from '../../../generators/tool-cases.js';
import { findToolFiles } from '../../tools/load-tool.js';
import { projectRoot } from '../project-root.js';
import { PROPERTIES } from '../../../properties/index.js';
import { runBench, type BenchReport } from '../../bench/run-bench.js';
import { writeFileAtomic } from '../../files/atomic-write.js';
import type { Case } from '../../model/case.js';
import type { ExecutionPlan } from '../../executor/execution.js';
import { openTarget } from '../../runner/open-target.js';
import { createSystemUnderTest } from '../../runner/system-under-test.js';
import { resolveProfile } from '../../profiles/resolve-profile.js';
import { upgradeSteps } from '../../persistence/schema-plan.js';
import { readerRequestsFor } from '../../readers/reader-requests.js';
import type { Io } from '../io.js';
import { readFile } from 'node:fs/promises';
import { InvalidInputError } from '../../errors.js';

const LEDGER_REQUEST = JSON.stringify({ input1: { __class__: 'Batch', values: [{ src: 'hda', id: 1 }, { src: 'hda', id: 2 }] } });

function isCanonicalLedgerCase(c: Case): boolean {
  return (
    c.entry === 'tool-request' &&
    JSON.stringify(c.tool.inputs) === JSON.stringify([{ name: 'input1', type: 'data' }]) &&
    JSON.stringify(c.history) === JSON.stringify({ datasets: [{ id: 1 }, { id: 2 }], collections: [] }) &&
    JSON.stringify(c.request) === LEDGER_REQUEST
  );
}

const n = (x: number, digits = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function benchMarkdown(r: BenchReport): string {
  const lines = [
    `Measured ${r.date.slice(0, 10)} on ${r.machine.cpu} (${r.machine.cores} cores, ${r.machine.memoryGiB} GiB), Node ${r.machine.node}, one worker, SQLite in memory.`,
    '',
    '| figure | value |',
    '|---|---|',
    `| default campaign (${r.campaign.profile}, all properties, ${n(r.campaign.runs)} cases, ${r.campaign.findings} findings shrunk; its best of ${r.campaign.rounds.length} rounds) | **${n(r.campaign.casesPerSecond)} cases/s** |`,
    `| — its execution group / its upgrade group | ${n(r.campaign.executionCasesPerSecond)} cases/s / ${n(r.campaign.upgradeHistoriesPerSecond)} histories/s |`,
    `| raw better-sqlite3 floor, same writes and reads: execution cases / upgrade histories | ${n(r.campaign.floorCasesPerSecond)} cases/s / ${n(r.campaign.upgradeFloorHistoriesPerSecond)} histories/s |`,
    `| campaign time / floor time for the same cases, best of ${r.campaign.rounds.length} alternated rounds each (${n(r.campaign.seconds, 2)} s / ${n(r.campaign.floorSeconds, 2)} s) | **${n(r.campaign.ratioToFloor, 2)}×**; rounds: ${r.campaign.rounds.map((x) => `${n(x.campaign, 2)} s / ${n(x.floor, 2)} s`).join(', ')} |`,
    `| generation alone (fast-check) | ${n(r.campaign.generationCasesPerSecond)} cases/s |`,
    `| ledger bug, time to first failure (${r.ledger.seeds} seeds, persists-without-constraint-violations) | median **${n(r.ledger.firstFailureMs.median)} ms**, worst ${n(r.ledger.firstFailureMs.worst)} ms |`,
    `| ledger bug, time to shrink | median **${n(r.ledger.shrinkMs.median)} ms**, worst ${n(r.ledger.shrinkMs.worst)} ms |`,
    `| shrunk to the canonical two-dataset Batch | **${r.ledger.canonical} of ${r.ledger.seeds}** seeds |`,
    `| first failure of any property on branch-1f87eebce (all properties) | median ${n(r.ledger.allPropertiesFirstFailureMs.median)} ms, worst ${n(r.ledger.allPropertiesFirstFailureMs.worst)} ms |`,
  ];
  if (r.memory) {
    lines.push(`| memory over a ${n(r.memory.seconds)} s run (${n(r.memory.cases)} cases) | peak RSS ${n(r.memory.peakRssMiB)} MiB; heap peak ${n(r.memory.heapFirstMinuteMiB)} MiB in the first minute, ${n(r.memory.heapLastMinuteMiB)} MiB in the last |`);
    const live = r.memory.liveHeapMiB ?? [];
    if (live.length >= 4) {
      const early = live.filter((x) => x.seconds <= 60 && x.seconds > 0);
      const late = live.filter((x) => x.seconds >= r.memory!.seconds - 60);
      const mean = (xs: readonly { mib: number }[]): number => xs.reduce((a, x) => a + x.mib, 0) / Math.max(1, xs.length);
      lines.push(`| live heap after a full collection, every 10 s | first minute ${n(mean(early), 1)} MiB, last minute ${n(mean(late), 1)} MiB (lowest ${n(Math.min(...live.map((x) => x.mib)), 1)}, highest ${n(Math.max(...live.map((x) => x.mib)), 1)}) |`);
    }
  }
  if (r.workers && r.workers.length > 1) {
    const one = r.workers[0]!;
    for (const w of r.workers.slice(1)) lines.push(`| nightly worker threads: 1 / ${w.workers} (${n(w.cases)} cases each, branch-fixed) | ${n(one.casesPerSecond)} / ${n(w.casesPerSecond)} cases/s: **${n(w.casesPerSecond / one.casesPerSecond, 2)}× speed-up** |`);
  }
  if (r.postgres) {
    const p = r.postgres;
    lines.push(
      `| PostgreSQL (${p.server}, loopback, one connection): default campaign (${n(p.runs)} cases) | **${n(p.casesPerSecond)} cases/s**; execution group ${n(p.executionCasesPerSecond)} cases/s (SQLite ${n(p.sqliteExecutionCasesPerSecond)}), upgrade group ${n(p.upgradeHistoriesPerSecond)} histories/s |`,
      `| raw pg floor, the same statements sent the same way (two round trips per case, the campaign's own cases): execution cases / upgrade histories | ${n(p.floorCasesPerSecond)} cases/s / ${n(p.upgradeFloorHistoriesPerSecond)} histories/s |`,
      `| PostgreSQL campaign time / raw pg floor time for the same cases (${n(p.seconds, 2)} s / ${n(p.floorSeconds, 2)} s) | **${n(p.ratioToFloor, 2)}×**; execution group alone ${n(p.floorCasesPerSecond / p.executionCasesPerSecond, 2)}× |`,
      `| PostgreSQL round-trip floor (two empty round trips per case, no work) | ${n(p.roundTripFloorCasesPerSecond)} cases/s |`,
      `| PostgreSQL: ledger bug, first failure / shrink (${p.ledger.seeds} seeds) | median ${n(p.ledger.firstFailureMs.median)} ms / ${n(p.ledger.shrinkMs.median)} ms, worst ${n(p.ledger.firstFailureMs.worst)} ms / ${n(p.ledger.shrinkMs.worst)} ms; canonical ${p.ledger.canonical} of ${p.ledger.seeds} |`,
    );
  }
  if (r.cardinalityMap) {
    const m = r.cardinalityMap;
    lines.push(`| cardinality map vs a plain campaign of the same ${n(m.runs)} cases (branch-fixed, seed 3, best of three) | ${n(m.mapSeconds, 2)} s / ${n(m.plainSeconds, 2)} s: **${m.overhead >= 0 ? '+' : ''}${n(100 * m.overhead, 1)} %**; the map's own work inside its run: **+${n(100 * m.inRunShare, 1)} %** (budget +10 %) |`);
  }
  if (r.toolFolder) {
    const t = r.toolFolder;
    lines.push(`| run --tool DIR over the ${n(t.files)} fixture tool files (test/fixtures/tools) | loaded: **${n(t.loadedPerSecond)} tools/s**; fuzzed with ${n(t.runsPerTool)} cases each (branch-fixed): **${n(t.fuzzedPerSecond, 1)} tools/s** |`);
    if (t.pool) {
      const p = t.pool;
      lines.push(`| run --tool DIR worker threads: 1 / ${p.workers} (the fixture tool files ${n(p.tools / t.files)} times over, ${n(p.tools)} tools, ${n(t.runsPerTool)} cases each, branch-fixed) | ${n(p.serialPerSecond, 1)} / ${n(p.pooledPerSecond, 1)} tools/s: **${n(p.pooledPerSecond / p.serialPerSecond, 2)}× speed-up** |`);
    }
  }
  for (const [k, v] of Object.entries(r.extra ?? {})) lines.push(`| ${k} | ${String(v)} |`);
  lines.push('', '| shape family | cases | statements per case | cardfuzz pipeline (plan, write, read, all checks) | raw floor | ratio |', '|---|---|---|---|---|---|');
  for (const f of r.families) lines.push(`| ${f.family} | ${n(f.cases)} | ${n(f.statementsPerCase, 1)} | ${n(f.pipelineCasesPerSecond)} cases/s | ${n(f.floorCasesPerSecond)} cases/s | ${n(f.ratio, 2)}× |`);
  return lines.join('\n');
}

export interface BenchCommandOptions {
  readonly runs: number;
  /** Rounds of the default campaign and its raw floor, alternated (each side keeps its best). */
  readonly rounds: number;
  readonly seeds: number;
  readonly soakMs: number | undefined;
  readonly out: string;
  readonly updateReadme: string | undefined;
  /** Cases for the worker speed-up (0 skips it). */
  readonly workerRuns: number;
  readonly workers: number;
  readonly databaseUrl: string | undefined;
  readonly postgresRuns: number;
  /** Cases for the cardinality map's budget figure (0 skips it). */
  readonly mapRuns: number;
}

/** The same nightly work units (branch-fixed, the execution properties) on 1 and on N worker threads. */
async function measureWorkerScaling(cases: number, workers: number): Promise<NonNullable<BenchReport['workers']>> {
  const { runNightly } = await import('../../nightly/run-nightly.js');
  const { planUnits, unitRuns } = await import('../../nightly/work-units.js');
  const { createStopFlags } = await import('../../nightly/worker-protocol.js');
  const { emptyCoverage } = await import('../../coverage/coverage.js');
  const properties = PROPERTIES.filter((p) => p.family === 'execution' && !p.hazard).map((p) => p.id);
  const units = planUnits({ execution: properties, upgrade: [] }, 11, 4);
  const runsByUnit = unitRuns(units, cases);
  const figures: { workers: number; cases: number; seconds: number; casesPerSecond: number }[] = [];
  for (const n of [...new Set([1, workers])]) {
    const result = await runNightly({
      setup: { target: { profile: 'branch-fixed', settings: {}, dialect: 'sqlite', tools: [] }, stop: createStopFlags() },
      workerEntry: new URL('../worker/campaign-worker.js', import.meta.url),
      units,
      workers: n,
      runsByUnit,
      shrinkTimeLimitMs: 2000,
      knownSignatures: [],
      relationshipsCoverage: emptyCoverage([]),
      onEvent: () => undefined,
    });
    if (result.errors.length > 0) throw new Error(result.errors[0]);
    figures.push({ workers: n, cases: result.runs, seconds: result.elapsedMs / 1000, casesPerSecond: result.runs / (result.elapsedMs / 1000) });
  }
  return figures;
}

/** `cardfuzz bench`: measures, writes reports/bench.json and reports/bench.md, prints the table. */
export async function benchCommand(options: BenchCommandOptions, io: Io): Promise<number> {
  const postgres = options.databaseUrl === undefined ? undefined : await import('../../persistence/dialects/postgres/postgres-raw-floor.js');
  // The fixture tools stand for a checkout: tools with macros, refused ones and macro files among them.
  const root = projectRoot();
  const toolFiles = root === null ? [] : findToolFiles(join(root, 'test/fixtures/tools')).files.filter((f) => f.kind === 'tool').map((f) => f.file);
  const report = await runBench({
    properties: PROPERTIES,
    caseArbitrary: fuzzCaseArbitrary(),
    historyArbitrary: historyArbitrary(),
    runs: options.runs,
    campaignRounds: options.rounds,
    cardinalityMapRuns: options.mapRuns,
    ledgerSeeds: options.seeds,
    ...(options.soakMs !== undefined ? { soakMs: options.soakMs } : {}),
    isCanonicalLedgerCase,
    onStage: (stage) => io.status(`bench: ${stage}`),
    floor: async (plans, profile) => {
      const { system, database } = await openTarget({ profile, settings: {}, dialect: 'sqlite' });
      await database.close();
      const { measureSqliteFloor } = await import('../../persistence/dialects/sqlite/sqlite-raw-floor.js');
      return measureSqliteFloor(system.databaseSpec('sqlite'), plans, system.executor.layouts, Math.max(1, Math.ceil(3000 / Math.max(1, plans.length))), readerRequestsFor);
    },
    upgradeFloor: async (histories) => {
      const target = createSystemUnderTest(await resolveProfile('branch-fixed'));
      const previous = createSystemUnderTest(await resolveProfile('upstream'));
      const { measureSqliteUpgradeFloor } = await import('../../persistence/dialects/sqlite/sqlite-raw-floor.js');
      const plans = histories.map((h) => h.map((c) => previous.plan(c)));
      return measureSqliteUpgradeFloor(previous.databaseSpec('sqlite'), upgradeSteps(previous.profile, target.profile, 'sqlite'), plans, previous.executor.layouts).historiesPerSecond;
    },
    ...(toolFiles.length > 0 ? { toolFolder: { files: toolFiles, runs: 20, caseArbitraryFor: caseForToolArbitrary, workers: options.workers, workerEntry: new URL('../worker/campaign-worker.js', import.meta.url) } } : {}),
    ...(options.workerRuns > 0 ? { workerScaling: () => measureWorkerScaling(options.workerRuns, options.workers) } : {}),
    ...(postgres !== undefined && options.databaseUrl !== undefined
      ? {
          postgres: {
            url: options.databaseUrl,
            runs: options.postgresRuns,
            roundTripFloor: postgres.measurePostgresRoundTrips,
            floor: async (url: string, plans: readonly ExecutionPlan[], profile: string) => {
              const system = createSystemUnderTest(await resolveProfile(profile));
              return postgres.measurePostgresFloor(url, system.databaseSpec('postgres'), plans, system.executor.layouts, 1, readerRequestsFor);
            },
            upgradeFloor: async (url: string, histories: readonly (readonly Case[])[]) => {
              const target = createSystemUnderTest(await resolveProfile('branch-fixed'));
              const previous = createSystemUnderTest(await resolveProfile('upstream'));
              const plans = histories.map((h) => h.map((c) => previous.plan(c)));
              return (await postgres.measurePostgresUpgradeFloor(url, previous.databaseSpec('postgres'), upgradeSteps(previous.profile, target.profile, 'postgres'), plans, previous.executor.layouts)).historiesPerSecond;
            },
            server: postgres.postgresServerVersion,
          },
        }
      : {}),
  });
  const markdown = benchMarkdown(report);
  await writeFileAtomic(`${options.out}/bench.json`, `${JSON.stringify(report, null, 2)}\n`);
  await writeFileAtomic(`${options.out}/bench.md`, `${markdown}\n`);
  if (options.updateReadme !== undefined) {
    const text = await readFile(options.updateReadme, 'utf8');
    const begin = text.indexOf('<!-- bench:begin -->');
    const end = text.indexOf('<!-- bench:end -->');
    if (begin < 0 || end < begin) throw new InvalidInputError(`${options.updateReadme}: no <!-- bench:begin --> … <!-- bench:end --> section`);
    await writeFileAtomic(options.updateReadme, `${text.slice(0, begin + '<!-- bench:begin -->'.length)}\n${markdown}\n${text.slice(end)}`);
  }
  io.out(markdown);
  return 0;
}
