import type { NightlyMapRow } from '../cardinality/nightly-map.js';
import { BUCKETS, type CardinalityBucket, type Coverage, type CoverageGap } from '../coverage/coverage.js';
import type { Case } from '../model/case.js';
import { expectArray, expectBoolean, expectInteger, expectNumber, expectObject, expectOneOf, expectString, fail, optional, type JsonObject } from '../model/json-checks.js';
import { parseCase } from '../model/parse-case.js';
import type { FindingStatus, NightlyFinding, NightlySummary, NightSummaryLine, ThroughputSeries } from '../reporting/nightly-summary.js';
import type { Violation } from '../runner/property.js';

/**
 * Checked reading of the files the nightly reads back (findings history,
 * summary.json, events.ndjson), in the style of case files
 * (src/model/json-checks.ts): each reader names the first place that is
 * wrong and throws an InvalidInputError, which the CLI prints as one line
 * with exit 2. Cases inside them go through parseCase, like a case file.
 * Unknown fields are ignored: these files are written by cardfuzz, and a
 * newer minor writer may add some.
 */

export const FINDING_STATUSES: readonly FindingStatus[] = ['new', 'still-failing', 'fixed'];

const nullableString = (value: unknown, path: string): string | null => (value === null ? null : expectString(value, path));
const strings = (value: unknown, path: string): string[] => expectArray(value, path).map((v, i) => expectString(v, `${path}[${i}]`));

export function parseViolation(value: unknown, path: string): Violation {
  const o = expectObject(value, path);
  return {
    kind: expectString(o['kind'], `${path}.kind`),
    table: nullableString(o['table'] ?? null, `${path}.table`),
    columns: strings(o['columns'] ?? [], `${path}.columns`),
    constraint: nullableString(o['constraint'] ?? null, `${path}.constraint`),
    message: expectString(o['message'], `${path}.message`),
  };
}

export function parseCases(value: unknown, path: string): Case[] {
  return expectArray(value, path).map((c, i) => parseCase(c, `${path}[${i}]`));
}

function counts(value: unknown, path: string): Record<string, number> {
  const o = expectObject(value, path);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, expectNumber(v, `${path}.${k}`)]));
}

export function parseCoverage(value: unknown, path: string): Coverage {
  const o = expectObject(value, path);
  const cardinality = expectObject(o['cardinality'], `${path}.cardinality`);
  return {
    cases: expectInteger(o['cases'], `${path}.cases`, 0),
    shapes: counts(o['shapes'], `${path}.shapes`),
    collectionTypes: counts(o['collectionTypes'], `${path}.collectionTypes`),
    nestingDepths: counts(o['nestingDepths'], `${path}.nestingDepths`),
    batchSizes: counts(o['batchSizes'], `${path}.batchSizes`),
    cardinality: Object.fromEntries(
      Object.entries(cardinality).map(([name, buckets]) => {
        const b = expectObject(buckets, `${path}.cardinality.${name}`);
        return [name, Object.fromEntries(BUCKETS.map((k) => [k, expectInteger(b[k], `${path}.cardinality.${name}.${k}`, 0)])) as Record<CardinalityBucket, number>];
      }),
    ),
  };
}

function parseFindingBase(o: JsonObject, path: string) {
  const history = optional(o, 'history', parseCases, path);
  return {
    fingerprint: expectString(o['fingerprint'], `${path}.fingerprint`),
    property: expectString(o['property'], `${path}.property`),
    profile: expectString(o['profile'], `${path}.profile`),
    shapeClass: expectString(o['shapeClass'], `${path}.shapeClass`),
    status: expectOneOf(o['status'], FINDING_STATUSES, `${path}.status`),
    violation: parseViolation(o['violation'], `${path}.violation`),
    case: parseCase(o['case'], `${path}.case`),
    ...(history === undefined ? {} : { history }),
  };
}

export function parseNightlyFinding(value: unknown, path: string): NightlyFinding {
  const o = expectObject(value, path);
  const reappeared = optional(o, 'reappeared', expectBoolean, path);
  const seed = optional(o, 'seed', expectNumber, path);
  const findingPath = optional(o, 'path', expectString, path);
  const regressionFile = optional(o, 'regressionFile', expectString, path);
  return {
    ...parseFindingBase(o, path),
    ...(reappeared === undefined ? {} : { reappeared }),
    firstSeen: expectString(o['firstSeen'], `${path}.firstSeen`),
    lastSeen: expectString(o['lastSeen'], `${path}.lastSeen`),
    ...(seed === undefined ? {} : { seed }),
    ...(findingPath === undefined ? {} : { path: findingPath }),
    replay: expectString(o['replay'], `${path}.replay`),
    ...(regressionFile === undefined ? {} : { regressionFile }),
  };
}

/** The fields of a history entry (src/nightly/findings-history.ts), checked. */
export function parseHistoryFields(value: unknown, path: string) {
  const o = expectObject(value, path);
  const regressionFile = optional(o, 'regressionFile', expectString, path);
  return {
    runId: expectString(o['runId'], `${path}.runId`),
    at: expectString(o['at'], `${path}.at`),
    ...parseFindingBase(o, path),
    ...(regressionFile === undefined ? {} : { regressionFile }),
  };
}

function parseThroughput(value: unknown, path: string): ThroughputSeries[] {
  return expectArray(value, path).map((s, i) => {
    const o = expectObject(s, `${path}[${i}]`);
    return {
      label: expectString(o['label'], `${path}[${i}].label`),
      points: expectArray(o['points'], `${path}[${i}].points`).map((p, j) => {
        const q = expectObject(p, `${path}[${i}].points[${j}]`);
        return { elapsedMs: expectNumber(q['elapsedMs'], `${path}[${i}].points[${j}].elapsedMs`), runs: expectNumber(q['runs'], `${path}[${i}].points[${j}].runs`) };
      }),
    };
  });
}

function parseNights(value: unknown, path: string): NightSummaryLine[] {
  return expectArray(value, path).map((n, i) => {
    const o = expectObject(n, `${path}[${i}]`);
    const p = `${path}[${i}]`;
    return { runId: expectString(o['runId'], `${p}.runId`), at: expectString(o['at'], `${p}.at`), new: expectInteger(o['new'], `${p}.new`, 0), stillFailing: expectInteger(o['stillFailing'], `${p}.stillFailing`, 0), fixed: expectInteger(o['fixed'], `${p}.fixed`, 0) };
  });
}

const MAP_VERDICTS = ['conflict', 'loose', '1:1 so far', 'never written'] as const;

function parseMapRow(value: unknown, path: string): NightlyMapRow {
  const o = expectObject(value, path);
  const b = expectObject(o['buckets'], `${path}.buckets`);
  return {
    relationship: expectString(o['relationship'], `${path}.relationship`),
    verdict: expectOneOf(o['verdict'], MAP_VERDICTS, `${path}.verdict`),
    buckets: Object.fromEntries(BUCKETS.map((k) => [k, expectNumber(b[k], `${path}.buckets.${k}`)])) as Record<CardinalityBucket, number>,
    declared: expectString(o['declared'], `${path}.declared`),
    conflict: nullableString(o['conflict'] ?? null, `${path}.conflict`),
    witnessShape: nullableString(o['witnessShape'] ?? null, `${path}.witnessShape`),
    witnessRequest: nullableString(o['witnessRequest'] ?? null, `${path}.witnessRequest`),
    witnessFile: nullableString(o['witnessFile'] ?? null, `${path}.witnessFile`),
    fingerprint: nullableString(o['fingerprint'] ?? null, `${path}.fingerprint`),
  };
}

/** A summary.json of format cardfuzz-nightly, version 1 (the caller has checked both). */
export function parseNightlySummary(value: unknown, path: string): NightlySummary {
  const o = expectObject(value, path);
  if (o['format'] !== 'cardfuzz-nightly') fail(path, `not a cardfuzz nightly summary (format "${String(o['format'])}")`);
  if (o['version'] !== 1) fail(path, `nightly summary version ${String(o['version'])} is not supported (expected 1)`);
  const settings = expectObject(o['settings'], `${path}.settings`);
  const minCoverage = o['minCoverage'] === null ? null : expectNumber(o['minCoverage'], `${path}.minCoverage`);
  const approximations = optional(
    o,
    'approximations',
    (v, p) =>
      expectArray(v, p).map((a, i) => {
        const q = expectObject(a, `${p}[${i}]`);
        const kind = q['kind'] === undefined ? undefined : expectOneOf(q['kind'], ['galaxy-rule'] as const, `${p}[${i}].kind`);
        return { at: expectString(q['at'], `${p}[${i}].at`), construct: expectString(q['construct'], `${p}[${i}].construct`), note: expectString(q['note'], `${p}[${i}].note`), changesCounts: expectBoolean(q['changesCounts'], `${p}[${i}].changesCounts`), ...(kind === undefined ? {} : { kind }) };
      }),
    path,
  );
  const cardinalityMap = optional(o, 'cardinalityMap', (v, p) => expectArray(v, p).map((r, i) => parseMapRow(r, `${p}[${i}]`)), path);
  return {
    format: 'cardfuzz-nightly',
    version: 1,
    runId: expectString(o['runId'], `${path}.runId`),
    startedAt: expectString(o['startedAt'], `${path}.startedAt`),
    finishedAt: expectString(o['finishedAt'], `${path}.finishedAt`),
    seed: expectNumber(o['seed'], `${path}.seed`),
    profile: expectString(o['profile'], `${path}.profile`),
    settings: Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, expectString(v, `${path}.settings.${k}`)])),
    properties: strings(o['properties'], `${path}.properties`),
    shards: strings(o['shards'], `${path}.shards`),
    workers: expectInteger(o['workers'], `${path}.workers`, 0),
    budget: expectString(o['budget'], `${path}.budget`),
    elapsedMs: expectNumber(o['elapsedMs'], `${path}.elapsedMs`),
    runs: expectInteger(o['runs'], `${path}.runs`, 0),
    casesPerSecond: expectNumber(o['casesPerSecond'], `${path}.casesPerSecond`),
    interrupted: expectBoolean(o['interrupted'], `${path}.interrupted`),
    errors: strings(o['errors'], `${path}.errors`),
    units: expectArray(o['units'], `${path}.units`).map((u, i) => {
      const q = expectObject(u, `${path}.units[${i}]`);
      const p = `${path}.units[${i}]`;
      return { shard: expectString(q['shard'], `${p}.shard`), index: expectInteger(q['index'], `${p}.index`, 0), lane: expectString(q['lane'], `${p}.lane`), seed: expectNumber(q['seed'], `${p}.seed`), runs: expectInteger(q['runs'], `${p}.runs`, 0), elapsedMs: expectNumber(q['elapsedMs'], `${p}.elapsedMs`) };
    }),
    laneTimeMs: counts(o['laneTimeMs'], `${path}.laneTimeMs`),
    findings: expectArray(o['findings'], `${path}.findings`).map((f, i) => parseNightlyFinding(f, `${path}.findings[${i}]`)),
    coverage: parseCoverage(o['coverage'], `${path}.coverage`),
    reachable: parseCoverage(o['reachable'], `${path}.reachable`),
    gaps: expectArray(o['gaps'], `${path}.gaps`).map((g, i): CoverageGap => {
      const q = expectObject(g, `${path}.gaps[${i}]`);
      return { kind: expectOneOf(q['kind'], ['shape', 'cardinality'] as const, `${path}.gaps[${i}].kind`), name: expectString(q['name'], `${path}.gaps[${i}].name`) };
    }),
    reachedShare: expectNumber(o['reachedShare'], `${path}.reachedShare`),
    minCoverage,
    throughput: parseThroughput(o['throughput'], `${path}.throughput`),
    nights: parseNights(o['nights'], `${path}.nights`),
    ...(approximations === undefined ? {} : { approximations }),
    ...(cardinalityMap === undefined ? {} : { cardinalityMap }),
    exitCode: expectInteger(o['exitCode'], `${path}.exitCode`, 0),
  };
}
