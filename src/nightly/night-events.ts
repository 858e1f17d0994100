import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { coverageGaps, emptyCoverage, mergeCoverage, type Coverage } from '../coverage/coverage.js';
import { FileAccessError, InvalidInputError } from '../errors.js';
import { expectArray, expectInteger, expectNumber, expectObject, expectString, optional } from '../model/json-checks.js';
import { exitCodeOf, type NightlyFinding, type NightlySummary } from '../reporting/nightly-summary.js';
import { parseCases, parseCoverage, parseNightlyFinding, parseViolation } from './file-checks.js';
import { nightsFromHistory, type HistoryEntry } from './findings-history.js';

/**
 * events.ndjson: the log a nightly appends to as it runs, one JSON object a
 * line, each line written whole. It holds enough to rebuild the night's
 * summary when the run was killed before writing it (`cardfuzz report`):
 *
 * - `run-started`: the run's identity and plan (seed, profile, settings, properties, budget);
 * - `known`: the findings of earlier nights replayed tonight (still failing or fixed),
 *   and when each fingerprint known from earlier nights was first seen;
 * - `plan`: the reachable coverage (the model-only baseline) and the empty coverage of the schema;
 * - `finding`, `slice-finished` (with the slice's coverage), `progress`, `error`, `worker-problem`;
 * - `recorded`: a new finding saved as a regression case;
 * - `run-finished`: the reports and the history are written.
 */

export const EVENTS_FILE = 'events.ndjson';

export function eventLog(dir: string): (event: { readonly type: string; readonly [key: string]: unknown }) => void {
  const file = join(dir, EVENTS_FILE);
  return (event) => {
    try {
      appendFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), ...event })}\n`);
    } catch (error) {
      throw new FileAccessError(`${file}: cannot append (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  };
}

interface RawEvent {
  readonly type: string;
  readonly at: string;
  readonly [key: string]: unknown;
}

/**
 * The events of a run folder, checked line by line. A last line cut short
 * (the process was killed while appending it) is left out; any other bad
 * line is an error naming it.
 */
export function readEvents(dir: string): RawEvent[] {
  const file = join(dir, EVENTS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new FileAccessError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const lines = text.split('\n');
  const events: RawEvent[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      if (i === lines.length - 1) break; // no newline after it: cut short by a kill
      throw new InvalidInputError(`${file}: line ${i + 1} is not JSON (${(error as Error).message})`);
    }
    const o = expectObject(value, `${file}: line ${i + 1}`);
    events.push({ ...o, type: expectString(o['type'], `${file}: line ${i + 1}.type`), at: expectString(o['at'], `${file}: line ${i + 1}.at`) });
  }
  return events;
}

/**
 * The summary of a night rebuilt from its events, as the nightly would have
 * written it had it finished: the run is marked interrupted unless its
 * events say it finished. `history` is the findings history as it stood
 * before this night (the night's own entries, if any, are left out).
 */
export function summaryFromEvents(dir: string, history: readonly HistoryEntry[]): { summary: NightlySummary; entries: HistoryEntry[] } {
  const events = readEvents(dir);
  const file = join(dir, EVENTS_FILE);
  const where = (type: string) => `${file}: ${type} event`;
  const started = events.find((e) => e.type === 'run-started');
  if (started === undefined) throw new InvalidInputError(`${file}: no run-started event; not the events of a nightly run`);
  const runId = expectString(started['runId'], `${where('run-started')}.runId`);
  if (started['budget'] === undefined) throw new InvalidInputError(`${file}: written by an older cardfuzz without the run's plan; it cannot be turned into a report`);
  const profile = expectString(started['profile'], `${where('run-started')}.profile`);
  const shard = started['shard'] === null || started['shard'] === undefined ? '' : expectString(started['shard'], `${where('run-started')}.shard`);
  const settings = expectObject(started['settings'], `${where('run-started')}.settings`) as Record<string, string>;
  const finished = events.find((e) => e.type === 'run-finished');

  const known = events.find((e) => e.type === 'known');
  const replayed = known === undefined ? [] : expectArray(known['replayed'], `${where('known')}.replayed`).map((f, i) => parseNightlyFinding(f, `${where('known')}.replayed[${i}]`));
  const firstSeen = known === undefined ? {} : (expectObject(known['firstSeen'], `${where('known')}.firstSeen`) as Record<string, string>);
  const plan = events.find((e) => e.type === 'plan');
  const reachable = plan === undefined ? emptyCoverage([]) : parseCoverage(plan['reachable'], `${where('plan')}.reachable`);
  let coverage: Coverage = plan === undefined ? emptyCoverage([]) : parseCoverage(plan['empty'], `${where('plan')}.empty`);

  const regressionFiles = new Map<string, string>();
  for (const e of events.filter((x) => x.type === 'recorded')) regressionFiles.set(expectString(e['fingerprint'], `${where('recorded')}.fingerprint`), expectString(e['regressionFile'], `${where('recorded')}.regressionFile`));

  const findings: NightlyFinding[] = [...replayed];
  const entries: HistoryEntry[] = replayed.map((f) => historyEntry(runId, f.lastSeen, f));
  const units = new Map<number, { shard: string; index: number; lane: string; seed: number; runs: number; elapsedMs: number }>();
  const laneTimeMs: Record<string, number> = {};
  const errors: string[] = [];
  const throughput: { elapsedMs: number; runs: number }[] = [];
  const unitLane = new Map<number, { lane: string; seed: number }>();
  const fresh = new Map<string, NightlyFinding>();
  for (const e of events) {
    if (e.type === 'slice-started') {
      const unit = expectObject(e['unit'], `${where('slice-started')}.unit`);
      unitLane.set(expectInteger(unit['index'], `${where('slice-started')}.unit.index`, 0), { lane: expectString(unit['lane'], `${where('slice-started')}.unit.lane`), seed: expectNumber(unit['seed'], `${where('slice-started')}.unit.seed`) });
    } else if (e.type === 'slice-finished') {
      const index = expectInteger(e['unit'], `${where('slice-finished')}.unit`, 0);
      const runs = expectInteger(e['runs'], `${where('slice-finished')}.runs`, 0);
      const elapsedMs = expectNumber(e['elapsedMs'], `${where('slice-finished')}.elapsedMs`);
      const info = unitLane.get(index) ?? { lane: 'execution', seed: 0 };
      const unit = units.get(index) ?? { shard, index, lane: info.lane, seed: info.seed, runs: 0, elapsedMs: 0 };
      units.set(index, { ...unit, runs: unit.runs + runs, elapsedMs: unit.elapsedMs + Math.round(elapsedMs) });
      laneTimeMs[info.lane] = (laneTimeMs[info.lane] ?? 0) + elapsedMs;
      const sliceCoverage = optional(e, 'coverage', (v, p) => (v === null ? null : parseCoverage(v, p)), where('slice-finished'));
      if (sliceCoverage) coverage = mergeCoverage(coverage, sliceCoverage);
    } else if (e.type === 'finding') {
      const f = expectObject(e['finding'], `${where('finding')}.finding`);
      const fingerprint = expectString(f['fingerprint'], `${where('finding')}.finding.fingerprint`);
      if (findings.some((x) => x.fingerprint === fingerprint)) continue;
      const seed = expectNumber(f['seed'], `${where('finding')}.finding.seed`);
      const path = expectString(f['path'], `${where('finding')}.finding.path`);
      const property = expectString(f['property'], `${where('finding')}.finding.property`);
      const history = optional(f, 'history', parseCases, `${where('finding')}.finding`);
      const candidate: NightlyFinding = {
        fingerprint,
        property,
        profile,
        shapeClass: expectString(f['shapeClass'], `${where('finding')}.finding.shapeClass`),
        status: 'new',
        ...(firstSeen[fingerprint] !== undefined ? { reappeared: true } : {}),
        firstSeen: firstSeen[fingerprint] ?? e.at,
        lastSeen: e.at,
        violation: parseViolation(f['violation'], `${where('finding')}.finding.violation`),
        case: parseCases([f['case']], `${where('finding')}.finding.case`)[0]!,
        ...(history === undefined ? {} : { history }),
        seed,
        path,
        replay: expectString(f['replay'], `${where('finding')}.finding.replay`),
      };
      const seen = fresh.get(fingerprint);
      if (seen === undefined || JSON.stringify(candidate.case).length < JSON.stringify(seen.case).length) fresh.set(fingerprint, candidate);
    } else if (e.type === 'progress') {
      if (typeof e['elapsedMs'] === 'number' && typeof e['runs'] === 'number') throughput.push({ elapsedMs: e['elapsedMs'], runs: e['runs'] });
    } else if (e.type === 'error') {
      const message = expectString(e['message'], `${where('error')}.message`);
      if (!errors.includes(message)) errors.push(message);
    }
  }
  for (const f of fresh.values()) {
    const regressionFile = regressionFiles.get(f.fingerprint);
    const finding = regressionFile === undefined ? f : { ...f, regressionFile };
    findings.push(finding);
    entries.push(historyEntry(runId, f.lastSeen, finding));
  }
  const runs = [...units.values()].reduce((n, u) => n + u.runs, 0);
  const startedAt = started.at;
  const finishedAt = (finished ?? events.at(-1)!).at;
  const elapsedMs = Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt));
  const { gaps, reachedShare } = coverageGaps(coverage, reachable);
  const minCoverage = started['minCoverage'] === null || started['minCoverage'] === undefined ? null : expectNumber(started['minCoverage'], `${where('run-started')}.minCoverage`);
  const partial: Omit<NightlySummary, 'exitCode'> = {
    format: 'cardfuzz-nightly',
    version: 1,
    runId,
    startedAt,
    finishedAt,
    seed: expectNumber(started['seed'], `${where('run-started')}.seed`),
    profile,
    settings,
    properties: expectArray(started['properties'], `${where('run-started')}.properties`).map((p, i) => expectString(p, `${where('run-started')}.properties[${i}]`)),
    shards: shard ? [shard] : [],
    workers: expectInteger(started['workers'], `${where('run-started')}.workers`, 0),
    budget: expectString(started['budget'], `${where('run-started')}.budget`),
    elapsedMs,
    runs,
    casesPerSecond: elapsedMs > 0 ? (runs * 1000) / elapsedMs : 0,
    interrupted: finished === undefined ? true : finished['interrupted'] === true,
    errors,
    units: [...units.values()].sort((a, b) => a.index - b.index),
    laneTimeMs,
    findings,
    coverage,
    reachable,
    gaps,
    reachedShare,
    minCoverage,
    throughput: [{ label: shard ? `shard ${shard}` : 'run', points: throughput }],
    nights: nightsFromHistory([...history, ...entries]),
  };
  return { summary: { ...partial, exitCode: exitCodeOf(partial) }, entries };
}

/** The history line of a finding of a night. */
export function historyEntry(runId: string, at: string, f: NightlyFinding): HistoryEntry {
  return {
    runId,
    at,
    fingerprint: f.fingerprint,
    property: f.property,
    profile: f.profile,
    shapeClass: f.shapeClass,
    status: f.status,
    violation: f.violation,
    case: f.case,
    ...(f.history ? { history: f.history } : {}),
    ...(f.regressionFile !== undefined ? { regressionFile: f.regressionFile } : {}),
  };
}
