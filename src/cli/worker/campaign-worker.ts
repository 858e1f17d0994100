import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { fuzzCaseArbitrary, historyArbitrary } from '../../../generators/case.js';
import { caseForToolArbitrary } from '../../../generators/tool-cases.js';
import { PROPERTIES } from '../../../properties/index.js';
import { CoverageRecorder, relationshipsOf } from '../../coverage/coverage.js';
import { shouldStop, type FuzzToolTask, type PoolTask, type RunSlice, type WorkerMessage, type WorkerSetup } from '../../nightly/worker-protocol.js';
import { openUpgradeDatabase } from '../../persistence/open-case-database.js';
import { upgradeSteps } from '../../persistence/schema-plan.js';
import { resolveProfile } from '../../profiles/resolve-profile.js';
import { runCampaign } from '../../runner/campaign.js';
import { fuzzToolFile } from '../../runner/fuzz-tool-file.js';
import { executionGroup } from '../../runner/execution-group.js';
import { openTarget, resolveTargetProfile, type Target } from '../../runner/open-target.js';
import type { ExecutionProperty, UpgradeProperty } from '../../runner/property.js';
import { createSystemUnderTest } from '../../runner/system-under-test.js';
import { upgradeGroup } from '../../runner/upgrade-group.js';
import type { UpgradeDatabase } from '../../persistence/case-database.js';
import { loadToolFile } from '../../tools/load-tool.js';
import { injectSliceFault, workerFault } from './test-faults.js';

/**
 * A campaign worker: one database per worker, opened once; runs the tasks the
 * coordinator sends, one after another on that database — slices of a nightly
 * (reporting progress, findings and coverage as messages), or tool files of
 * `run --tool DIR` (reporting each tool's report when it is done). It stops
 * between cases when the shared stop flag is set.
 */
const fault = workerFault();
if (fault?.kind === 'start') throw new Error('injected worker fault (CARDFUZZ_TEST_WORKER_FAULT=start)');
const setup = workerData as WorkerSetup;
const stop = new Int32Array(setup.stop);
const post = (message: WorkerMessage): void => parentPort!.postMessage(message);

const tools = setup.target.tools.map((file) => loadToolFile(file).tool);
const cases = tools.length === 0 ? fuzzCaseArbitrary() : fc.oneof(...tools.map((t) => caseForToolArbitrary(t)));
const histories = tools.length === 0 ? historyArbitrary() : fc.array(cases, { minLength: 1, maxLength: 3 });
const targetOptions = {
  profile: setup.target.profile,
  settings: setup.target.settings,
  dialect: setup.target.dialect,
  ...(setup.target.databaseUrl ? { databaseUrl: setup.target.databaseUrl } : {}),
  ...(setup.target.schemaSql ? { schemaSql: setup.target.schemaSql } : {}),
};
let execution: Promise<Target> | undefined;
let upgrade: Promise<{ group: (properties: readonly UpgradeProperty[]) => ReturnType<typeof upgradeGroup>; database: UpgradeDatabase }> | undefined;

async function openUpgrade(): Promise<{ group: (properties: readonly UpgradeProperty[]) => ReturnType<typeof upgradeGroup>; database: UpgradeDatabase }> {
  const profile = await resolveTargetProfile(targetOptions);
  if (profile.previous === undefined) throw new Error(`profile ${profile.name} names no previous profile`);
  const target = createSystemUnderTest(profile, setup.target.settings);
  const previous = createSystemUnderTest(await resolveProfile(profile.previous));
  const database = await openUpgradeDatabase(previous.databaseSpec(setup.target.dialect), upgradeSteps(previous.profile, target.profile, setup.target.dialect), {
    dialect: setup.target.dialect,
    ...(setup.target.databaseUrl ? { databaseUrl: setup.target.databaseUrl } : {}),
  });
  return { database, group: (properties) => upgradeGroup(previous, target, database, histories, properties, { toolFixed: tools.length > 0 }) };
}

async function runSlice(message: RunSlice): Promise<void> {
  const common = {
    profile: typeof setup.target.profile === 'string' ? setup.target.profile : setup.target.profile.name,
    seed: message.seed,
    ...(message.runs !== undefined ? { runs: message.runs } : {}),
    ...(message.timeLimitMs !== undefined ? { timeLimitMs: message.timeLimitMs } : {}),
    shrinkTimeLimitMs: message.shrinkTimeLimitMs,
    knownSignatures: message.knownSignatures,
    shouldStop: () => shouldStop(stop),
    onProgress: (p: { runs: number; findings: number; shrinking: string | null }) => post({ type: 'progress', slice: message.slice, runs: p.runs, findings: p.findings, shrinking: p.shrinking }),
    progressIntervalMs: 250,
    onFinding: (finding: Parameters<NonNullable<Parameters<typeof runCampaign>[0]['onFinding']>>[0]) => post({ type: 'finding', slice: message.slice, finding }),
    replayCommand: () => '',
  };
  if (message.unit.lane === 'execution') {
    execution ??= openTarget(targetOptions);
    const { system, database } = await execution;
    const properties = PROPERTIES.filter((p): p is ExecutionProperty => p.family === 'execution' && message.unit.properties.includes(p.id));
    const recorder = new CoverageRecorder(relationshipsOf(database.catalog, system.executor.layouts), system.executor.layouts);
    const result = await runCampaign({
      ...common,
      group: executionGroup(system, database, cases, properties, { toolFixed: tools.length > 0 }),
      onEvaluation: (e) => recorder.record(e.case, e.plan),
    });
    if (result.error) throw new Error(result.error.message);
    post({ type: 'done', slice: message.slice, runs: result.runs, elapsedMs: result.elapsedMs, stopReason: result.stopReason, judged: result.judged, coverage: recorder.coverage });
    return;
  }
  upgrade ??= openUpgrade();
  const opened = await upgrade;
  const properties = PROPERTIES.filter((p): p is UpgradeProperty => p.family === 'upgrade' && message.unit.properties.includes(p.id));
  const result = await runCampaign({ ...common, group: opened.group(properties) });
  if (result.error) throw new Error(result.error.message);
  post({ type: 'done', slice: message.slice, runs: result.runs, elapsedMs: result.elapsedMs, stopReason: result.stopReason, judged: result.judged, coverage: null });
}

/** One tool file, on this worker's database (kept between tools); its findings' replay commands are the coordinator's to write. */
async function fuzzTool(task: FuzzToolTask): Promise<void> {
  execution ??= openTarget(targetOptions);
  const opened = await execution;
  const byId = new Map(PROPERTIES.map((p) => [p.id, p]));
  const result = await fuzzToolFile(task.file, {
    target: targetOptions,
    opened,
    profile: opened.system.profile,
    properties: task.properties.map((id) => byId.get(id)!),
    seed: task.seed,
    runs: task.runs,
    timeLimitMs: task.timeLimitMs,
    shrinkTimeLimitMs: task.shrinkTimeLimitMs,
    strict: task.strict,
    caseArbitraryFor: caseForToolArbitrary,
    shouldStop: () => shouldStop(stop),
    // The stop flags are shared memory: no need to yield to this worker's event loop between cases (as for a slice).
    stopIsShared: true,
    replayCommand: () => '',
  });
  post({ type: 'tool-done', slice: task.slice, result });
}

parentPort!.on('message', (message: PoolTask | { type: 'close' }) => {
  if (message.type === 'close') {
    void (async () => {
      // Each database drops its PostgreSQL schema on close: close both whatever happens to the other.
      // A database that never opened has nothing to drop; one that cannot be dropped is reported by name.
      const opened = [execution, upgrade].filter((p) => p !== undefined);
      const closed = await Promise.allSettled(opened.map(async (p) => (await p!.catch(() => null))?.database.close()));
      for (const c of closed) if (c.status === 'rejected') post({ type: 'close-failed', message: c.reason instanceof Error ? c.reason.message : String(c.reason) });
      process.exit(0);
    })();
    return;
  }
  injectSliceFault(fault, message.slice, message.attempt ?? 1);
  (message.type === 'run' ? runSlice(message) : fuzzTool(message)).catch((error: unknown) => post({ type: 'failed', slice: message.slice, message: error instanceof Error ? error.message : String(error) }));
});

post({ type: 'ready' });
