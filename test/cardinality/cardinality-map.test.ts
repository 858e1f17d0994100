import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseArbitrary } from '../../generators/case.js';
import { generatorFingerprint } from '../../generators/fingerprint.js';
import { findProperties, PROPERTIES } from '../../properties/index.js';
import { buildCardinalityMap, type MapEntry } from '../../src/cardinality/cardinality-map.js';
import { emptyObservation } from '../../src/cardinality/observe.js';
import { mapMarkdown } from '../../src/cardinality/render-map.js';
import { runCardinalityMap, type MapRunResult } from '../../src/cardinality/run-map.js';
import { witnessProperty } from '../../src/cardinality/witness-property.js';
import type { Relationship } from '../../src/coverage/coverage.js';
import type { Case } from '../../src/model/case.js';
import type { Catalog } from '../../src/persistence/catalog.js';
import { recordWitness } from '../../src/regression/record-witness.js';
import { parseRegressionCase, serializeRegressionCase } from '../../src/regression/regression-case.js';
import { replayCases } from '../../src/regression/replay-cases.js';
import { CaseJudge } from '../../src/runner/case-judge.js';
import type { ExecutionProperty } from '../../src/runner/property.js';
import { runCli, tempDir } from '../helpers/cli.js';

const RUNS = 400;
const PROPERTIES_RUN = PROPERTIES.filter((p): p is ExecutionProperty => p.family === 'execution' && p.hazard === undefined);
const JUDGES = findProperties(['persists-without-constraint-violations', 'declared-cardinality-holds']) as ExecutionProperty[];
const TES = (child: string): string => `${child}.tool_execution_state_id -> tool_execution_state`;

function mapOf(profile: string): Promise<MapRunResult> {
  return runCardinalityMap({ target: { profile, settings: {}, dialect: 'sqlite' }, properties: PROPERTIES_RUN, judges: JUDGES, caseArbitrary: caseArbitrary(), seed: 1, runs: RUNS, shrinkTimeLimitMs: 5000, replayCommand: () => '' });
}

const entry = (result: MapRunResult, name: string): MapEntry => {
  const e = result.map.relationships.find((x) => x.relationship === name);
  expect(e, name).toBeDefined();
  return e!;
};

/** JSON with object keys sorted: the same request whichever order shrinking left its keys in. */
function sorted(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}

function isCanonicalBatch(c: Case): boolean {
  return (
    c.entry === 'tool-request' &&
    JSON.stringify(c.tool.inputs) === JSON.stringify([{ name: 'input1', type: 'data' }]) &&
    JSON.stringify(c.history) === JSON.stringify({ datasets: [{ id: 1 }, { id: 2 }], collections: [] }) &&
    sorted(c.request) === sorted({ input1: { __class__: 'Batch', values: [{ src: 'hda', id: 1 }, { src: 'hda', id: 2 }] } })
  );
}

const judge = new CaseJudge({ dialect: 'sqlite' });
afterAll(() => judge.close());

describe('the cardinality map on branch-fixed (the ledger’s analysis)', () => {
  let fixed: MapRunResult;
  beforeAll(async () => {
    fixed = await mapOf('branch-fixed');
  }, 120_000);

  it('finds tool_request, workflow_invocation_step and implicit_collection_jobs 1:1 with tool_execution_state so far', () => {
    expect(fixed.suite.error).toBeUndefined();
    for (const child of ['tool_request', 'workflow_invocation_step', 'implicit_collection_jobs']) {
      const e = entry(fixed, TES(child));
      expect([child, e.verdict, e.mostChildren]).toEqual([child, '1:1 so far', 1]);
      expect(e.buckets['1']).toBeGreaterThan(0);
      expect(e.declarations.uniques.map((u) => u.name)).toEqual([`uq_${child}_tool_execution_state_id`]);
      expect(e.candidate).toBe('already declared scalar and UNIQUE');
      expect(e.strength.cases).toBeGreaterThan(0);
      expect(e.strength.share).toBeGreaterThan(0);
    }
  });

  it('finds job.tool_execution_state_id loose, with the canonical two-dataset Batch as its witness', () => {
    const e = entry(fixed, TES('job'));
    expect(e.verdict).toBe('loose');
    expect(e.mostChildren).toBeGreaterThanOrEqual(2);
    expect(e.declarations).toEqual({ relationship: { name: 'ToolExecutionState.job', uselist: true }, uniques: [] });
    expect(e.witness).not.toBeNull();
    expect(isCanonicalBatch(e.witness!.case)).toBe(true);
    expect(e.witness!.shapeClass).toBe('S2');
    expect(e.witness!.children).toBe(2);
    expect(e.witness!.judgement.property).toBeNull();
  });

  it('gives every relationship seen with two or more children a witness that replays: still 1:N, and it persists', async () => {
    const witnessed = fixed.map.relationships.filter((e) => e.mostChildren >= 2);
    expect(witnessed.length).toBeGreaterThan(3);
    for (const e of witnessed) {
      expect([e.relationship, e.verdict]).toEqual([e.relationship, 'loose']);
      const regression = await recordWitness({ relationship: e.relationship, case: e.witness!.case, shapeClass: e.witness!.shapeClass, children: e.witness!.children }, judge, { profile: 'branch-fixed', settings: {}, seed: 1, generatorFingerprint: generatorFingerprint(), now: new Date() });
      expect([e.relationship, regression.expected['branch-fixed']]).toEqual([e.relationship, 'passes']);
      const reread = parseRegressionCase(serializeRegressionCase(regression), 'witness.json');
      const { replayed, problems } = await replayCases([{ file: 'witness.json', regression: reread }], { judge, properties: PROPERTIES, generatorFingerprint: generatorFingerprint() });
      expect(problems).toEqual([]);
      expect([e.relationship, replayed[0]!.verdict.status]).toEqual([e.relationship, 'passes']);
    }
  });

  it('makes the gate fail with the witness once a constraint makes the loose relationship scalar', async () => {
    const w = entry(fixed, TES('job')).witness!;
    const regression = await recordWitness({ relationship: TES('job'), case: w.case, shapeClass: w.shapeClass, children: w.children }, judge, { profile: 'branch-fixed', settings: {}, seed: 1, generatorFingerprint: generatorFingerprint(), now: new Date() });
    // branch-1f87eebce declares UNIQUE(job.tool_execution_state_id) and TES.job scalar; upstream writes no TES at all.
    expect(regression.expected).toEqual({ 'branch-fixed': 'passes', 'branch-1f87eebce': 'fails' });
    const planted = await replayCases([{ file: 'w.json', regression }], { judge, properties: PROPERTIES, profile: join(import.meta.dirname, '../fixtures/profiles/repoint.yaml'), generatorFingerprint: generatorFingerprint() });
    expect(planted.replayed[0]!.verdict.status).toBe('fails');
    const upstream = await replayCases([{ file: 'w.json', regression }], { judge, properties: PROPERTIES, profile: 'upstream', generatorFingerprint: generatorFingerprint() });
    expect(upstream.replayed[0]!.verdict.status).toBe('not-applicable');
  });

  it('fails the replay of a witness that no longer gives a parent two children', async () => {
    const single: Case = { tool: { id: 't', inputs: [{ name: 'input1', type: 'data' }], outputs: [] }, history: { datasets: [{ id: 1 }], collections: [] }, entry: 'tool-request', request: { input1: { src: 'hda', id: 1 } } };
    const verdict = await judge.judge({ profile: 'branch-fixed', settings: {}, property: witnessProperty(TES('job')), case: single });
    expect(verdict.status).toBe('fails');
    expect(verdict.status === 'fails' && verdict.violation.kind).toBe('witness-lost');
  });

  it('writes the ledger-style Markdown: the sound ones, the loose ones with request bodies', () => {
    const md = mapMarkdown(fixed.map, 'cardfuzz cardinality --profile branch-fixed');
    expect(md).toContain('Three of the five foreign keys into tool_execution_state are 1:1 so far (implicit_collection_jobs, tool_request and workflow_invocation_step)');
    expect(md).toMatch(/job is loose|job and [a-z_]+ are loose|, job and|job, /);
    expect(md).toContain('`job.tool_execution_state_id -> tool_execution_state`');
    expect(md).toContain('"values": [{"src": "hda", "id": 1}, {"src": "hda", "id": 2}]');
    expect(md).toContain('| `job.tool_execution_state_id -> tool_execution_state` |');
    expect(md).not.toContain('Conflicts');
  });

  it('lists never-NULL nullable columns as NOT NULL candidates', () => {
    const columns = fixed.map.columns.filter((c) => c.kind === 'not-null').map((c) => `${c.table}.${c.column}`);
    // Every execution's job belongs to a history; the schema leaves the column nullable.
    expect(columns).toContain('job.history_id');
    // A job outside a tool request (a workflow step) has no tool_request_id: never a candidate.
    expect(columns).not.toContain('job.tool_request_id');
  });
});

describe('the cardinality map on branch-1f87eebce', () => {
  it('gives the job row a conflict with the fingerprint the persist property gives', async () => {
    const result = await mapOf('branch-1f87eebce');
    const e = entry(result, TES('job'));
    expect(e.verdict).toBe('conflict');
    expect(e.conflict).toContain('uq_job_tool_execution_state_id');
    expect(e.conflict).toContain('ToolExecutionState.job declared scalar');
    expect(isCanonicalBatch(e.witness!.case)).toBe(true);
    expect(e.witness!.judgement.property).toBe('persists-without-constraint-violations');
    const finding = result.suite.findings.find((f) => f.property === 'persists-without-constraint-violations' && f.violation.constraint === 'uq_job_tool_execution_state_id');
    expect(finding).toBeDefined();
    expect(e.witness!.judgement.fingerprint).toBe(finding!.fingerprint);
    const committed = JSON.parse(await readFile(join(import.meta.dirname, '../../reports/regressions/persists-without-constraint-violations/e0e4095b936a.json'), 'utf8')) as { fingerprint: string };
    expect(e.witness!.judgement.fingerprint).toBe(committed.fingerprint);
    for (const child of ['tool_request', 'workflow_invocation_step', 'implicit_collection_jobs']) expect(entry(result, TES(child)).verdict).toBe('1:1 so far');
  }, 120_000);
});

describe('declarations against the map', () => {
  it('makes a planted UNIQUE on a loose relationship a conflict', async () => {
    const result = await mapOf(join(import.meta.dirname, '../fixtures/profiles/unique-job-tool-request.json'));
    const e = entry(result, 'job.tool_request_id -> tool_request');
    expect(e.verdict).toBe('conflict');
    expect(e.declarations.uniques.map((u) => u.name)).toEqual(['ix_job_tool_request_id_unique']);
    expect(e.witness!.judgement.property).toBe('persists-without-constraint-violations');
    expect(e.witness!.judgement.constraint).toBe('ix_job_tool_request_id_unique');
    const finding = result.suite.findings.find((f) => f.violation.constraint === 'ix_job_tool_request_id_unique');
    expect(e.witness!.judgement.fingerprint).toBe(finding?.fingerprint);
  }, 120_000);

  it('still gives "1:1 so far" when a true invariant’s UNIQUE is dropped, naming it as a candidate', async () => {
    const result = await mapOf(join(import.meta.dirname, '../fixtures/profiles/no-unique-tool-request-tes.json'));
    const e = entry(result, TES('tool_request'));
    expect(e.verdict).toBe('1:1 so far');
    expect(e.declarations.uniques).toEqual([]);
    expect(e.candidate).toBe('UNIQUE(tool_request.tool_execution_state_id)');
  }, 120_000);

  const r: Relationship = { name: 'child.parent_id -> parent', childTable: 'child', column: 'parent_id', parentTable: 'parent' };
  const catalog = (partial: boolean | null): Catalog =>
    new Map([['child', { name: 'child', columns: [], foreignKeys: [], uniques: partial === null ? [] : [{ name: 'uq_child_parent_id', columns: ['parent_id'], partial, origin: 'index' as const }] }]]);
  const observed = (most: number, children: number) => {
    const o = emptyObservation([r], {} as never, []);
    o.relationships[r.name] = { parents: 3, children, mostChildren: most, buckets: { '0': 1, '1': 1, '2': most >= 2 ? 1 : 0, many: 0 }, cases: 3, shapes: { S2: 3 } };
    return o;
  };
  const witness = (accepted: boolean) => ({ case: {} as Case, shapeClass: 'S2', children: 2, reused: false, judgement: accepted ? { property: null, fingerprint: null, constraint: null, message: null } : { property: 'persists-without-constraint-violations', fingerprint: 'abc', constraint: 'uq_child_parent_id', message: 'refused' } });
  const verdictOf = (partial: boolean | null, most: number, children: number, accepted: boolean, uselist = true) =>
    buildCardinalityMap({ profile: 'p', seed: 1, elapsedMs: 0, relationships: [r], declarations: [{ name: 'Parent.children', parentTable: 'parent' as never, childTable: 'child' as never, column: 'parent_id', uselist }], catalog: catalog(partial), observation: observed(most, children), reachable: observed(most, children), witnesses: new Map(most >= 2 ? [[r.name, witness(accepted)]] : []) }).relationships[0]!;

  it('judges a partial UNIQUE by what the database does with the witness', () => {
    expect(verdictOf(true, 2, 3, true).verdict).toBe('loose');
    expect(verdictOf(true, 2, 3, true).note).toContain('does not cover');
    expect(verdictOf(true, 2, 3, false).verdict).toBe('conflict');
    expect(verdictOf(false, 2, 3, true).verdict).toBe('conflict');
  });

  it('makes a scalar declaration without a UNIQUE a conflict, and no child rows "never written"', () => {
    expect(verdictOf(null, 2, 3, true, false).verdict).toBe('conflict');
    expect(verdictOf(null, 2, 3, true, true).verdict).toBe('loose');
    expect(verdictOf(null, 0, 0, true).verdict).toBe('never written');
    expect(verdictOf(null, 1, 2, true).candidate).toBe('UNIQUE(child.parent_id) and Parent.children as scalar (uselist=False)');
  });
});

describe('cardfuzz cardinality', () => {
  it('prints the map as JSON, writes Markdown and saves witnesses the gate replays', async () => {
    const dir = tempDir();
    const md = join(dir, 'map.md');
    const saveDir = join(dir, 'regressions');
    const result = runCli(['cardinality', '--profile', 'branch-fixed', '--seed', '1', '--runs', '300', '--json', '--markdown', md, '--save', saveDir]);
    expect(result.stderr).not.toMatch(/Error|at .*\.js/);
    expect(result.status).toBe(0);
    const out = JSON.parse(result.stdout) as { map: { relationships: MapEntry[] }; saved: { relationship: string; path: string; created: boolean }[] };
    expect(out.map.relationships.find((e) => e.relationship === TES('job'))!.verdict).toBe('loose');
    expect(out.saved.length).toBeGreaterThan(0);
    expect(out.saved.every((s) => s.created)).toBe(true);
    expect(await readFile(md, 'utf8')).toContain('Cardinality map — branch-fixed');
    const gate = runCli(['gate', '--profile', 'branch-fixed', '--regressions', saveDir, '--runs', '50', '--seed', '1']);
    expect(gate.stdout + gate.stderr).toContain('cardinality-witness');
    expect(gate.status).toBe(0);
    // A second map reuses the saved witnesses instead of shrinking again.
    const again = runCli(['cardinality', '--profile', 'branch-fixed', '--seed', '2', '--runs', '300', '--json', '--save', saveDir]);
    const second = JSON.parse(again.stdout) as { map: { relationships: MapEntry[] } };
    expect(second.map.relationships.find((e) => e.relationship === TES('job'))!.witness!.reused).toBe(true);
  }, 180_000);

  it('refuses bad input with one line and exit 2', () => {
    const result = runCli(['cardinality', '--profile', 'no-such-profile', '--runs', '10']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('the map in the nightly report', () => {
  it('shows a table with each verdict and a link to each witness case, which replays', async () => {
    const out = tempDir();
    const r = runCli(['nightly', '--out', out, '--workers', '1', '--profile', 'branch-1f87eebce', '--runs', '400', '--seed', '5']);
    expect(r.status).toBe(1);
    const { readdirSync } = await import('node:fs');
    const dir = join(out, 'runs', readdirSync(join(out, 'runs'))[0]!);
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as { cardinalityMap: { relationship: string; verdict: string; witnessFile: string | null; witnessShape: string | null; fingerprint: string | null }[]; findings: { fingerprint: string; violation: { constraint: string | null } }[] };
    const job = summary.cardinalityMap.find((row) => row.relationship === TES('job'))!;
    expect(job.verdict).toBe('conflict');
    expect(job.witnessShape).toBe('S2');
    expect(job.fingerprint).toBe(summary.findings.find((f) => f.violation.constraint === 'uq_job_tool_execution_state_id')?.fingerprint);
    expect(summary.cardinalityMap.find((row) => row.relationship === TES('tool_request'))!.verdict).toBe('1:1 so far');
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Cardinality map</h2>');
    expect(html).toContain(`<a href="${job.witnessFile}">S2</a>`);
    const { loadRegressionCases } = await import('../../src/regression/regression-store.js');
    const loaded = await loadRegressionCases([join(dir, job.witnessFile!)]);
    expect(loaded.problems).toEqual([]);
    const replayed = await replayCases(loaded.cases, { judge, properties: PROPERTIES, profile: 'branch-fixed', generatorFingerprint: generatorFingerprint() });
    expect(replayed.replayed[0]!.verdict.status).toBe('passes');
    expect(await readFile(join(dir, 'summary.md'), 'utf8')).toMatch(/Cardinality map: 1 conflict \(`job.tool_execution_state_id -> tool_execution_state` \([0-9a-f]{12}\)\)/);
  }, 180_000);
});
