import { caseArbitrary, historyArbitrary } from '../../../generators/case.js';
import { PROPERTIES } from '../../../properties/index.js';
import { runBench, type BenchReport } from '../../bench/run-bench.js';
import { writeFileAtomic } from '../../files/atomic-write.js';
import type { Case } from '../../model/case.js';
import { openTarget } from '../../runner/open-target.js';
import { createSystemUnderTest } from '../../runner/system-under-test.js';
import { resolveProfile } from '../../profiles/resolve-profile.js';
import { upgradeSteps } from '../../persistence/schema-plan.js';
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
    `| default campaign (${r.campaign.profile}, all properties, ${n(r.campaign.runs)} cases, ${r.campaign.findings} findings shrunk) | **${n(r.campaign.casesPerSecond)} cases/s** |`,
    `| — its execution group / its upgrade group | ${n(r.campaign.executionCasesPerSecond)} cases/s / ${n(r.campaign.upgradeHistoriesPerSecond)} histories/s |`,
    `| raw better-sqlite3 floor, same writes and reads: execution cases / upgrade histories | ${n(r.campaign.floorCasesPerSecond)} cases/s / ${n(r.campaign.upgradeFloorHistoriesPerSecond)} histories/s |`,
    `| campaign time / floor time for the same cases (${n(r.campaign.seconds, 2)} s / ${n(r.campaign.floorSeconds, 2)} s) | **${n(r.campaign.ratioToFloor, 2)}×** |`,
    `| generation alone (fast-check) | ${n(r.campaign.generationCasesPerSecond)} cases/s |`,
    `| ledger bug, time to first failure (${r.ledger.seeds} seeds, persists-without-constraint-violations) | median **${n(r.ledger.firstFailureMs.median)} ms**, worst ${n(r.ledger.firstFailureMs.worst)} ms |`,
    `| ledger bug, time to shrink | median **${n(r.ledger.shrinkMs.median)} ms**, worst ${n(r.ledger.shrinkMs.worst)} ms |`,
    `| shrunk to the canonical two-dataset Batch | **${r.ledger.canonical} of ${r.ledger.seeds}** seeds |`,
    `| first failure of any property on branch-1f87eebce (all properties) | median ${n(r.ledger.allPropertiesFirstFailureMs.median)} ms, worst ${n(r.ledger.allPropertiesFirstFailureMs.worst)} ms |`,
  ];
  if (r.memory) lines.push(`| memory over a ${n(r.memory.seconds)} s run (${n(r.memory.cases)} cases) | peak RSS ${n(r.memory.peakRssMiB)} MiB; heap peak ${n(r.memory.heapFirstMinuteMiB)} MiB in the first minute, ${n(r.memory.heapLastMinuteMiB)} MiB in the last |`);
  for (const [k, v] of Object.entries(r.extra ?? {})) lines.push(`| ${k} | ${String(v)} |`);
  lines.push('', '| shape family | cases | statements per case | cardfuzz pipeline (plan, write, read, all checks) | raw floor | ratio |', '|---|---|---|---|---|---|');
  for (const f of r.families) lines.push(`| ${f.family} | ${n(f.cases)} | ${n(f.statementsPerCase, 1)} | ${n(f.pipelineCasesPerSecond)} cases/s | ${n(f.floorCasesPerSecond)} cases/s | ${n(f.ratio, 2)}× |`);
  return lines.join('\n');
}

/** `cardfuzz bench`: measures, writes reports/bench.json and reports/bench.md, prints the table. */
export async function benchCommand(options: { readonly runs: number; readonly seeds: number; readonly soakMs: number | undefined; readonly out: string; readonly updateReadme: string | undefined }, io: Io): Promise<number> {
  const report = await runBench({
    properties: PROPERTIES,
    caseArbitrary: caseArbitrary(),
    historyArbitrary: historyArbitrary(),
    runs: options.runs,
    ledgerSeeds: options.seeds,
    ...(options.soakMs !== undefined ? { soakMs: options.soakMs } : {}),
    isCanonicalLedgerCase,
    onStage: (stage) => io.status(`bench: ${stage}`),
    floor: async (plans, profile) => {
      const { system, database } = await openTarget({ profile, settings: {}, dialect: 'sqlite' });
      await database.close();
      const { measureSqliteFloor } = await import('../../persistence/dialects/sqlite/sqlite-raw-floor.js');
      return measureSqliteFloor(system.databaseSpec('sqlite'), plans, system.executor.layouts, Math.max(1, Math.ceil(3000 / Math.max(1, plans.length))));
    },
    upgradeFloor: async (histories) => {
      const target = createSystemUnderTest(await resolveProfile('branch-fixed'));
      const previous = createSystemUnderTest(await resolveProfile('upstream'));
      const { measureSqliteUpgradeFloor } = await import('../../persistence/dialects/sqlite/sqlite-raw-floor.js');
      const plans = histories.map((h) => h.map((c) => previous.plan(c)));
      return measureSqliteUpgradeFloor(previous.databaseSpec('sqlite'), upgradeSteps(previous.profile, target.profile, 'sqlite'), plans, previous.executor.layouts).historiesPerSecond;
    },
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
