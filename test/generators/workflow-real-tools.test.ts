import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowCaseArbitrary } from '../../generators/workflow.js';
import { DEFAULT_CONSTRAINTS } from '../../generators/constraints.js';
import { parseCase } from '../../src/model/parse-case.js';
import { loadToolFile } from '../../src/tools/load-tool.js';
import type { CaseDatabase } from '../../src/persistence/case-database.js';
import type { SystemUnderTest } from '../../src/runner/system-under-test.js';
import type { WorkflowCase } from '../../src/model/workflow.js';
import { sqliteTarget } from '../helpers/targets.js';
import { findingFor, fuzz } from '../helpers/fuzz.js';
import { loadProfileFile } from '../../src/profiles/profile-file.js';

/**
 * Generated workflows whose tool steps run real tools read from tool XML:
 * every dataset parameter the step's state reaches (top level, in a section,
 * in a conditional's when, in a repeat) is connected to an upstream output it
 * accepts by Galaxy's rules, or to a new input step of its type, so every
 * invocation runs without a refusal or a failed step, and the jobs and ICJs
 * are what the connections say.
 */

const MAP_AND_BATCH = loadToolFile('test/fixtures/tools/map_and_batch.xml').tool;
const PAIRS = loadToolFile('test/fixtures/workflow-tools/pairs_in_section.xml').tool;
const POOL = { tools: [MAP_AND_BATCH, PAIRS], only: true };

let target: { system: SystemUnderTest; database: CaseDatabase };
beforeAll(async () => {
  target = await sqliteTarget('branch-fixed');
});
afterAll(async () => {
  await target.database.close();
});

function toolSteps(c: WorkflowCase): { id: string; connections: string[] }[] {
  const out: { id: string; connections: string[] }[] = [];
  const walk = (steps: WorkflowCase['workflow']['steps']): void => {
    for (const s of Object.values(steps)) {
      if (s.type === 'tool') out.push({ id: s.tool_id!, connections: Object.keys(s.input_connections ?? {}) });
      if (s.subworkflow !== undefined) walk(s.subworkflow.steps);
    }
  };
  walk(c.workflow.steps);
  return out;
}

describe('generated workflows with real tools on their tool steps', () => {
  const cases = fc.sample(workflowCaseArbitrary(DEFAULT_CONSTRAINTS, POOL), { numRuns: 300, seed: 11 });

  it('runs only the pool tools, connects every required dataset parameter, and the case file round-trips', () => {
    const connected = new Set<string>();
    for (const c of cases) {
      expect(c.tools.every((t) => t === MAP_AND_BATCH || t === PAIRS)).toBe(true);
      expect(parseCase(JSON.parse(JSON.stringify(c)))).toEqual(c);
      for (const s of toolSteps(c)) {
        // Required parameters at top level and in the section are always connected.
        if (s.id === MAP_AND_BATCH.id) expect(s.connections).toContain('input1');
        else expect(s.connections).toContain('opts|pair');
        for (const name of s.connections) connected.add(`${s.id} ${name}`);
      }
    }
    // Connections reach parameters at every level of the tools' trees.
    for (const name of ['input1', 'mode|extra', 'mode|pair', 'queries_0|input2', 'samples']) expect(connected).toContain(`${MAP_AND_BATCH.id} ${name}`);
    for (const name of ['opts|pair', 'extra']) expect(connected).toContain(`${PAIRS.id} ${name}`);
  });

  it('executes every invocation without a refusal or a failed step, with jobs and ICJs as the connections map', async () => {
    let mapped = 0;
    let subcollection = 0;
    let reduced = 0;
    let jobs = 0;
    let waiting = 0;
    for (const c of cases) {
      const plan = target.system.plan(c);
      const trace = plan.workflow!;
      expect(trace.refused).toBeNull();
      // The only failures are those the case asks for, for Galaxy's reasons: jobs it makes fail (scheduling.failed_jobs),
      // and an input collection whose population failed (collection_failed).
      const uploadFailed = c.history.collections.some((h) => h.populated_state === 'failed');
      const failed = trace.invocations.filter(
        (i) => i.state === 'failed' && !((c.scheduling?.failed_jobs !== undefined && ['job_failed', 'collection_failed', 'dataset_failed'].includes(i.message ?? '')) || (uploadFailed && i.message === 'collection_failed')),
      );
      expect(failed.map((i) => i.message)).toEqual([]);
      // Every invocation finishes, or waits for a review or for a job to fill a tool's own collection output.
      expect(trace.unfinished).toEqual([]);
      waiting += trace.waitingForJobs.length;
      for (const step of trace.steps.filter((s) => s.type === 'tool' && s.state === 'scheduled')) {
        const expansion = step.expansion!;
        expect(expansion.ok).toBe(true);
        if (!expansion.ok) continue;
        jobs += step.jobs.length;
        // One job per combination; a mapped step has one ICJ, an unmapped one none.
        expect(step.jobs.length).toBe(expansion.combinations.length);
        if (expansion.mapOver !== null) {
          mapped++;
          if (step.jobs.length > 0) expect(step.icjId).not.toBeNull();
          if (expansion.params.some((p) => p.mapOver?.subcollectionType === 'paired')) subcollection++;
        } else {
          expect(step.icjId).toBeNull();
          expect(step.jobs.length).toBe(1);
        }
        if (step.connections.some((x) => x.input === 'extra' && x.value?.kind === 'collection') && expansion.mapOver === null) reduced++;
      }
      const outcome = await target.database.runCase(plan);
      expect(outcome.failure).toBeNull();
    }
    expect(jobs).toBeGreaterThan(100);
    expect(mapped).toBeGreaterThan(10);
    expect(subcollection).toBeGreaterThan(0);
    expect(reduced).toBeGreaterThan(0);
    // The tools' own collection outputs (structured_like, filtered ones never) feed later steps, which wait for them.
    expect(waiting).toBeGreaterThan(0);
  });
});

describe('shrinking workflows with real tools', () => {
  async function minimal(only: boolean, seed: number): Promise<{ steps: string[]; tools: string[]; connections: string[][] }> {
    const profile = await loadProfileFile('test/fixtures/profiles/unique-step-row-per-invocation.yaml');
    const result = await fuzz(profile, { cases: 'workflow', runs: 200, seed, properties: ['persists-without-constraint-violations'], workflowTools: { tools: [MAP_AND_BATCH, PAIRS], only } });
    const f = findingFor(result, 'persists-without-constraint-violations');
    expect(f, `no finding with seed ${seed}`).toBeDefined();
    const c = f!.case as WorkflowCase;
    return { steps: Object.values(c.workflow.steps).map((s) => s.type), tools: c.tools.map((t) => t.id), connections: toolSteps(c).map((s) => s.connections) };
  }

  it('with only real tools, shrinks to an input and one step running the first tool, its required parameter connected', async () => {
    for (const seed of [1, 2]) expect(await minimal(true, seed)).toEqual({ steps: ['data_input', 'tool'], tools: [MAP_AND_BATCH.id], connections: [['input1']] });
  });

  it('with real tools mixed in, shrinks to a generated tool', async () => {
    for (const seed of [1, 2]) expect(await minimal(false, seed)).toEqual({ steps: ['data_input', 'tool'], tools: ['wf_tool_1'], connections: [['in1']] });
  });
});
