import { describe, expect, it } from 'vitest';
import type { WorkflowCase } from '../../src/model/workflow.js';
import { loadProfileFile } from '../../src/profiles/profile-file.js';
import { findingFor, fuzz } from '../helpers/fuzz.js';
import { sqliteTarget } from '../helpers/targets.js';
import fc from 'fast-check';
import { workflowCaseArbitrary } from '../../generators/workflow.js';
import { connectionsReachUpstreamOutputs } from '../../properties/connections-reach-upstream-outputs.js';
import { NOT_JUDGED } from '../../src/runner/property.js';

/**
 * The properties only whole workflow invocations can show hold on the
 * correct profile over generated workflows (their planted bugs are in the
 * kill matrix, test/mutants), and constraints that only a second step of one
 * invocation, or a second invocation of one workflow, can violate are found by
 * the default campaign and shrink to the same minimal workflow from any seed.
 */

const WORKFLOW_PROPERTIES = ['one-step-row-per-invocation-step', 'connections-reach-upstream-outputs', 'mapped-step-consumed-whole', 'extraction-round-trip'];

describe('workflow properties on branch-fixed', () => {
  it.each(WORKFLOW_PROPERTIES)('%s holds, having judged workflow cases', async (property) => {
    const result = await fuzz('branch-fixed', { cases: 'workflow', runs: 800, properties: [property] });
    expect(result.findings.map((f) => `${f.property}: ${f.violation.message}`)).toEqual([]);
    expect(result.checks.find((c) => c.property === property)).toMatchObject({ status: 'held' });
  });

  it('extraction-round-trip fails when extraction connects a mapped step to its element, shrunk to an input and one mapped step', async () => {
    const f = findingFor(await fuzz('branch-fixed', { cases: 'workflow', runs: 800, settings: { 'extraction.mappedInputs': 'element' }, properties: ['extraction-round-trip'] }), 'extraction-round-trip');
    expect(f?.violation.kind).toBe('round-trip-mismatch');
    expect(Object.values((f!.case as WorkflowCase).workflow.steps).map((s) => s.type)).toEqual(['data_collection_input', 'tool']);
  });

  it('connections-reach-upstream-outputs fails when the scheduler takes an input collection an upload has not populated, shrunk to an input and one step', async () => {
    const f = findingFor(await fuzz('branch-fixed', { cases: 'workflow', runs: 800, settings: { 'workflow.unpopulatedInputs': 'used' }, properties: ['connections-reach-upstream-outputs'] }), 'connections-reach-upstream-outputs');
    expect(f?.violation.kind).toBe('input-not-populated');
    const c = f!.case as WorkflowCase;
    expect(Object.values(c.workflow.steps).map((s) => s.type)).toEqual(['data_collection_input', 'tool']);
    expect(c.history.collections.map((h) => h.populated_state)).toEqual(['new']);
  });

  it('invocation-finishes (hazard) fails on a mapped step whose tool has no outputs under a job cap, shrunk to that step', async () => {
    const f = findingFor(await fuzz('branch-fixed', { cases: 'workflow', runs: 800, properties: ['invocation-finishes'] }), 'invocation-finishes');
    expect(f?.violation.kind).toBe('never-finishes');
    const c = f!.case as WorkflowCase;
    expect(c.scheduling?.jobs_per_iteration).toBeDefined();
    const tools = Object.values(c.workflow.steps).filter((s) => s.type === 'tool');
    expect(tools.some((s) => c.tools.find((t) => t.id === s.tool_id)?.outputs.length === 0)).toBe(true);
  });
});

describe('failed jobs (scheduling.failed_jobs)', () => {
  it('connections-reach-upstream-outputs holds on branch-fixed over generated invocations, some of which fail with job_failed', async () => {
    const target = await sqliteTarget('branch-fixed');
    try {
      const reasons = new Map<string, number>();
      let failing = 0;
      for (const c of fc.sample(workflowCaseArbitrary(), { numRuns: 600, seed: 11 })) {
        if (c.scheduling?.failed_jobs === undefined) continue;
        failing++;
        const plan = target.system.plan(c);
        const outcome = await target.database.runCase(plan);
        for (const i of plan.workflow?.invocations ?? []) if (i.message !== null) reasons.set(i.message.split(':')[0]!, (reasons.get(i.message.split(':')[0]!) ?? 0) + 1);
        const judgement = connectionsReachUpstreamOutputs.check({ case: c, plan, outcome, system: target.system });
        expect(judgement === null || judgement === NOT_JUDGED ? null : judgement).toBeNull();
      }
      expect(failing).toBeGreaterThan(50);
      // The generator reaches the new rule: some invocations fail with job_failed.
      expect(reasons.get('job_failed') ?? 0).toBeGreaterThan(0);
    } finally {
      await target.database.close();
    }
  });

  it('connections-reach-upstream-outputs fails when the scheduler ignores a failed job, shrunk to a failing step and a step waiting on it', async () => {
    const f = findingFor(await fuzz('branch-fixed', { cases: 'workflow', runs: 800, settings: { 'workflow.failedJobs': 'ignored' }, properties: ['connections-reach-upstream-outputs'] }), 'connections-reach-upstream-outputs');
    expect(f?.violation.kind).toBe('dependency-failed');
    const c = f!.case as WorkflowCase;
    expect(c.scheduling?.failed_jobs).toHaveLength(1);
    const waiting = Object.values(c.workflow.steps).filter((s) => s.input_connections?.['__NO_INPUT_OUTPUT_NAME__'] !== undefined);
    expect(waiting).toHaveLength(1);
  });
});

describe('the hazard properties of whole invocations hold on a Galaxy fixed as their findings say', () => {
  it('invocation-finishes holds when a re-entered step knows its slices by their jobs', async () => {
    const result = await fuzz('branch-fixed', { cases: 'workflow', runs: 800, settings: { 'workflow.finishedSlices': 'job' }, properties: ['invocation-finishes', 'every-combination-runs-once'] });
    expect(result.findings.filter((f) => f.property === 'invocation-finishes' || f.violation.kind === 'combination-ran-twice').map((f) => f.violation.message)).toEqual([]);
    expect(result.checks.find((c) => c.property === 'invocation-finishes')).toMatchObject({ status: 'held' });
  });

  it('one-output-row-per-step-output fails as Galaxy writes first-pass output rows twice, shrunk to an input and one tool step', async () => {
    const f = findingFor(await fuzz('branch-fixed', { cases: 'workflow', runs: 300, properties: ['one-output-row-per-step-output'] }), 'one-output-row-per-step-output');
    expect(f?.violation.kind).toBe('duplicate-output-rows');
    expect(Object.values((f!.case as WorkflowCase).workflow.steps).map((s) => (s.type === 'tool' ? 'tool' : 'input'))).toEqual(['input', 'tool']);
  });

  it('one-output-row-per-step-output holds when set_step_outputs records them once', async () => {
    const result = await fuzz('branch-fixed', { cases: 'workflow', runs: 800, settings: { 'workflow.stepOutputRows': 'once' }, properties: ['one-output-row-per-step-output'] });
    expect(result.findings).toEqual([]);
    expect(result.checks.find((c) => c.property === 'one-output-row-per-step-output')).toMatchObject({ status: 'held' });
  });
});

describe('planted constraints only whole workflows can violate (default campaign: tool and workflow cases mixed)', () => {
  async function minimal(profileFile: string, seed: number): Promise<{ constraint: string | null; steps: string[]; inputs: unknown }> {
    const profile = await loadProfileFile(`test/fixtures/profiles/${profileFile}`);
    const f = findingFor(await fuzz(profile, { cases: 'mixed', runs: 1500, seed, properties: ['persists-without-constraint-violations'] }), 'persists-without-constraint-violations');
    expect(f, `no finding on ${profileFile} with seed ${seed}`).toBeDefined();
    const c = f!.case as WorkflowCase;
    expect(c.entry).toBe('workflow-invocation');
    return { constraint: f!.violation.constraint, steps: Object.values(c.workflow.steps).map((s) => s.type), inputs: c.invocation.inputs };
  }

  it('UNIQUE(workflow_invocation_step.workflow_invocation_id): found, and shrunk to an input and one tool step from any seed', async () => {
    for (const seed of [1, 2, 3]) {
      expect(await minimal('unique-step-row-per-invocation.yaml', seed)).toEqual({ constraint: 'ix_wis_invocation_unique', steps: ['data_input', 'tool'], inputs: { 0: { src: 'hda', id: 1 } } });
    }
  });

  it('UNIQUE(workflow_invocation.workflow_id): found, and shrunk to a batch of two invocations from any seed', async () => {
    for (const seed of [1, 2, 3]) {
      expect(await minimal('unique-invocation-per-workflow.yaml', seed)).toEqual({
        constraint: 'ix_wi_workflow_unique',
        steps: ['data_input', 'tool'],
        inputs: { 0: { batch: true, values: [{ src: 'hda', id: 1 }, { src: 'hda', id: 2 }] } },
      });
    }
  });

  it('UNIQUE(workflow_invocation_id, workflow_step_id), a true invariant planted the same way, stays clean', async () => {
    const profile = await loadProfileFile('test/fixtures/profiles/unique-step-row-per-invocation-step.yaml');
    const result = await fuzz(profile, { cases: 'mixed', runs: 2000, seed: 5, properties: ['persists-without-constraint-violations'] });
    expect(result.findings).toEqual([]);
    expect(result.checks.find((c) => c.property === 'persists-without-constraint-violations')).toMatchObject({ status: 'held' });
  });
});
