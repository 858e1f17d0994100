import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDatabase } from '../../src/persistence/case-database.js';
import type { SystemUnderTest } from '../../src/runner/system-under-test.js';
import { list } from '../helpers/cases.js';
import { sqliteTarget } from '../helpers/targets.js';
import { extractionRoundTrip } from '../../properties/extraction-round-trip.js';
import { mappedStepConsumedWhole } from '../../properties/mapped-step-consumed-whole.js';
import { connectionsReachUpstreamOutputs } from '../../properties/connections-reach-upstream-outputs.js';
import { CAT1, MULTI, NO_OUTPUTS, WorkflowBuilder, rowsOf, tool, workflowCase } from '../helpers/workflows.js';
import { parse as parseYaml } from 'yaml';
import { readWorkflowFile } from '../../src/model/read-workflow-file.js';
import { tableLayouts } from '../../src/executor/tables.js';
import type { RowStatement as PlannedStatement } from '../../src/executor/unit-of-work.js';

/** Like Galaxy's random_lines1 as far as cardinality goes: one data input, one data output. */
const RANDOM_LINES = tool('random_lines1', [{ name: 'input', type: 'data' }], ['out_file1']);

/**
 * Whole workflow invocations against the counts Galaxy's own API tests assert
 * (lib/galaxy_test/api/test_workflows.py, galaxy-workflows §7), each case
 * written here from the test's shape, planned by the model and written to the
 * branch-fixed schema without a refusal.
 */

let target: { system: SystemUnderTest; database: CaseDatabase };
beforeAll(async () => {
  target = await sqliteTarget('branch-fixed');
});
afterAll(async () => {
  await target.database.close();
});

async function planAndWrite(c: Parameters<SystemUnderTest['plan']>[0]) {
  const plan = target.system.plan(c);
  const outcome = await target.database.runCase(plan);
  expect(outcome.failure).toBeNull();
  return { plan, outcome, trace: plan.workflow!, rows: rowsOf(plan) };
}

const hda = (id: number) => ({ src: 'hda', id });
const hdca = (id: number) => ({ src: 'hdca', id });

describe('whole workflow invocations (conformance with Galaxy API tests)', () => {
  it('test_invocation_usage: input, two tool steps: three step rows, the input step without a job, each tool step with its job', async () => {
    const w = new WorkflowBuilder();
    const input = w.dataInput('input1');
    const first = w.tool('cat1', { input1: [input, 'output'] });
    w.tool('cat1', { input1: [first, 'out_file1'] });
    const { outcome, rows, trace } = await planAndWrite(workflowCase({ workflow: w.build(), tools: [CAT1], datasets: 1, inputs: { 0: hda(1) } }));
    const steps = outcome.snapshot!.steps;
    expect(steps).toHaveLength(3);
    expect(steps[0]).toMatchObject({ jobId: null, icjId: null, state: 'scheduled' });
    expect(steps[1]!.jobId).not.toBeNull();
    expect(steps[2]!.jobId).not.toBeNull();
    expect(rows['job']).toBe(2);
    expect(rows['workflow_invocation']).toBe(1);
    expect(rows['workflow_request_to_input_dataset']).toBe(1);
    expect(rows['workflow_request_step_states']).toBe(3);
    expect(trace.invocations[0]!.state).toBe('scheduled');
    // The second step's job reads the first step's output.
    const firstOutput = outcome.snapshot!.jobOutputs.find((o) => o.jobId === steps[1]!.jobId)!.datasetId;
    expect(outcome.snapshot!.jobInputs.filter((i) => i.jobId === steps[2]!.jobId).map((i) => i.datasetId)).toEqual([firstOutput]);
  });

  it('test_invocation_with_collection_mapping: a mapped tool step points at its ICJ, not a job (2 jobs)', async () => {
    const w = new WorkflowBuilder();
    const input = w.collectionInput('input1', 'list');
    w.tool('cat1', { input1: [input, 'output'] });
    const { outcome, rows } = await planAndWrite(workflowCase({ workflow: w.build(), tools: [CAT1], datasets: 2, collections: [list(1, [1, 2])], inputs: { 0: hdca(1) } }));
    const tool = outcome.snapshot!.steps[1]!;
    expect(tool).toMatchObject({ jobId: null, state: 'scheduled' });
    expect(tool.icjId).not.toBeNull();
    expect(rows['job']).toBe(2);
    expect(rows['implicit_collection_jobs']).toBe(1);
    expect(rows['workflow_request_to_input_collection_dataset']).toBe(1);
  });

  it('test_workflow_input_mapping: a list given to a data input maps the next step: an output collection of 2 elements', async () => {
    const w = new WorkflowBuilder();
    const input = w.dataInput('input1');
    w.tool('cat1', { input1: [input, 'output'] }, { outputs: [{ output_name: 'out_file1', label: 'wf_output_1' }] });
    const { rows, trace } = await planAndWrite(workflowCase({ workflow: w.build(), tools: [CAT1], datasets: 2, collections: [list(1, [1, 2])], inputs: { 0: hdca(1) } }));
    const out = trace.steps[1]!.outputs!.find((o) => o.name === 'out_file1')!.value;
    expect(out.kind === 'collection' && out.collection.elements.length).toBe(2);
    expect(rows['workflow_invocation_output_dataset_collection_association']).toBe(1);
    expect(rows['workflow_request_to_input_collection_dataset']).toBe(1);
  });

  it('map-over from step to step: the second step maps over the first step’s implicit collection (4 jobs, 2 ICJs, lineage row)', async () => {
    const w = new WorkflowBuilder();
    const input = w.collectionInput('input1', 'list');
    const first = w.tool('cat1', { input1: [input, 'output'] });
    w.tool('cat1', { input1: [first, 'out_file1'] });
    const { rows, trace } = await planAndWrite(workflowCase({ workflow: w.build(), tools: [CAT1], datasets: 2, collections: [list(1, [1, 2])], inputs: { 0: hdca(1) } }));
    expect(rows['job']).toBe(4);
    expect(rows['implicit_collection_jobs']).toBe(2);
    expect(rows['implicit_collection_jobs_job_association']).toBe(4);
    // ICDCI: each output collection names the collection it was mapped over.
    expect(rows['implicitly_created_dataset_collection_inputs']).toBe(2);
    expect(trace.steps[2]!.connections[0]!.value).toMatchObject({ kind: 'collection' });
  });

  it('test_extract_reduction_from_history: a mapped output reduced by a multiple="true" input: one job reading every element', async () => {
    const w = new WorkflowBuilder();
    const input = w.collectionInput('input1', 'list');
    const mapped = w.tool('cat1', { input1: [input, 'output'] });
    w.tool('multi_data_param', { f1: [mapped, 'out_file1'] });
    const { outcome, trace } = await planAndWrite(workflowCase({ workflow: w.build(), tools: [CAT1, MULTI], datasets: 3, collections: [list(1, [1, 2, 3])], inputs: { 0: hdca(1) } }));
    const reduce = trace.steps[2]!;
    expect(reduce.jobs).toHaveLength(1);
    expect(outcome.snapshot!.steps[2]!.jobId).toBe(reduce.jobs[0]!.id);
    expect(outcome.snapshot!.jobInputCollections.filter((c) => c.jobId === reduce.jobs[0]!.id)).toHaveLength(1);
  });

  it('test_run_batch: one data input and three tool steps, four batch values: 4 invocations, 12 jobs, 16 step rows', async () => {
    const w = new WorkflowBuilder();
    const input = w.dataInput('input1');
    const a = w.tool('cat1', { input1: [input, 'output'] });
    const b = w.tool('cat1', { input1: [a, 'out_file1'] });
    w.tool('cat1', { input1: [b, 'out_file1'] });
    const { rows, trace } = await planAndWrite(
      workflowCase({ workflow: w.build(), tools: [CAT1], datasets: 4, inputs: { 0: { batch: true, values: [hda(1), hda(2), hda(3), hda(4)] } }, batch: true }),
    );
    expect(rows['workflow_invocation']).toBe(4);
    expect(rows['job']).toBe(12);
    expect(rows['workflow_invocation_step']).toBe(16);
    expect(trace.invocations.every((i) => i.state === 'scheduled')).toBe(true);
  });

  it('batch product: two inputs of 2 and 3 values multiply into 6 invocations; unequal linked batches are refused', async () => {
    const w = new WorkflowBuilder();
    const a = w.dataInput('a');
    const b = w.dataInput('b');
    w.tool('two', { x: [a, 'output'], y: [b, 'output'] });
    const two = tool('two', [
      { name: 'x', type: 'data' },
      { name: 'y', type: 'data' },
    ]);
    const product = await planAndWrite(
      workflowCase({
        workflow: w.build(),
        tools: [two],
        datasets: 5,
        inputs: { 0: { batch: true, product: true, values: [hda(1), hda(2)] }, 1: { batch: true, product: true, values: [hda(3), hda(4), hda(5)] } },
        batch: true,
      }),
    );
    expect(product.rows['workflow_invocation']).toBe(6);
    const linked = target.system.plan(
      workflowCase({ workflow: w.build(), tools: [two], datasets: 5, inputs: { 0: { batch: true, values: [hda(1), hda(2)] }, 1: { batch: true, values: [hda(3), hda(4), hda(5)] } }, batch: true }),
    );
    expect(linked.workflow!.refused).toBe('Failed to match linked batch selections. Please select equal number of data files.');
    expect(rowsOf(linked)['workflow_invocation'] ?? 0).toBe(0);
  });

  it('subworkflow: one child invocation with its association row; the parent step has no job and re-exports the child’s output', async () => {
    const inner = new WorkflowBuilder('inner');
    const innerInput = inner.dataInput('inner_input');
    inner.tool('cat1', { input1: [innerInput, 'output'] }, { outputs: [{ output_name: 'out_file1', label: 'inner_out' }] });
    const w = new WorkflowBuilder();
    const input = w.dataInput('input1');
    const sub = w.subworkflow(inner.build(), { inner_input: [input, 'output'] });
    w.tool('cat1', { input1: [sub, 'inner_out'] });
    const { outcome, rows, trace } = await planAndWrite(workflowCase({ workflow: w.build(), tools: [CAT1], datasets: 1, inputs: { 0: hda(1) } }));
    expect(rows['workflow_invocation']).toBe(2);
    expect(rows['workflow_invocation_to_subworkflow_invocation_association']).toBe(1);
    expect(rows['job']).toBe(2);
    const parentSub = outcome.snapshot!.steps.find((s) => s.id === trace.steps.find((t) => t.type === 'subworkflow')!.wisId)!;
    expect(parentSub).toMatchObject({ jobId: null, icjId: null, state: 'scheduled' });
    const child = trace.invocations.find((i) => i.parentId !== null)!;
    expect(child.state).toBe('scheduled');
    // The last step reads the dataset the inner step made: the same object, no copy.
    const innerJob = trace.steps.find((s) => s.invocationId === child.id && s.type === 'tool')!.jobs[0]!.id;
    const innerOut = outcome.snapshot!.jobOutputs.find((o) => o.jobId === innerJob)!.datasetId;
    const lastJob = trace.steps[trace.steps.length - 1]!.jobs[0]!.id;
    expect(outcome.snapshot!.jobInputs.find((i) => i.jobId === lastJob)!.datasetId).toBe(innerOut);
  });

  it('a mapped subworkflow is one child invocation whose inner step maps (2 jobs, 1 ICJ in the child)', async () => {
    const inner = new WorkflowBuilder('inner');
    const innerInput = inner.dataInput('inner_input');
    inner.tool('cat1', { input1: [innerInput, 'output'] }, { outputs: [{ output_name: 'out_file1', label: 'inner_out' }] });
    const w = new WorkflowBuilder();
    const input = w.collectionInput('input1', 'list');
    w.subworkflow(inner.build(), { inner_input: [input, 'output'] });
    const { rows } = await planAndWrite(workflowCase({ workflow: w.build(), tools: [CAT1], datasets: 2, collections: [list(1, [1, 2])], inputs: { 0: hdca(1) } }));
    expect(rows['workflow_invocation']).toBe(2);
    expect(rows['job']).toBe(2);
    expect(rows['implicit_collection_jobs']).toBe(1);
  });

  it('a job cap per iteration: a mapped step is partial, then scheduled; later steps get their step rows on later passes', async () => {
    const w = new WorkflowBuilder();
    const input = w.collectionInput('input1', 'list');
    const first = w.tool('cat1', { input1: [input, 'output'] });
    w.tool('cat1', { input1: [first, 'out_file1'] });
    const { rows, trace } = await planAndWrite(
      workflowCase({ workflow: w.build(), tools: [CAT1], datasets: 3, collections: [list(1, [1, 2, 3])], inputs: { 0: hdca(1) }, scheduling: { jobs_per_iteration: 2 } }),
    );
    expect(rows['job']).toBe(6);
    expect(rows['workflow_invocation_step']).toBe(3);
    expect(trace.passes).toBe(3);
    expect(trace.steps[1]!.jobs.map((j) => j.pass)).toEqual([0, 0, 1]);
    expect(trace.invocations[0]!.state).toBe('scheduled');
  });

  it('test_workflow_pause: not reviewed, the step after the pause waits (step row new, no job); approved it runs; refused the invocation is cancelled', async () => {
    const w = new WorkflowBuilder();
    const input = w.dataInput('input1');
    const first = w.tool('cat1', { input1: [input, 'output'] });
    const pause = w.pause([first, 'out_file1']);
    w.tool('cat1', { input1: [pause, 'output'] });
    const parts = { workflow: w.build(), tools: [CAT1], datasets: 1, inputs: { 0: hda(1) } };
    const waiting = await planAndWrite(workflowCase(parts));
    expect(waiting.trace.invocations[0]!.state).toBe('ready');
    expect(waiting.trace.unfinished).toEqual([]);
    expect(waiting.outcome.snapshot!.steps.map((s) => [s.jobId === null, s.state])).toEqual([
      [true, 'scheduled'],
      [false, 'scheduled'],
      [true, 'scheduled'],
      [true, 'new'],
    ]);
    const approved = await planAndWrite(workflowCase({ ...parts, scheduling: { review: 'approve' } }));
    expect(approved.rows['job']).toBe(2);
    expect(approved.trace.invocations[0]!.state).toBe('scheduled');
    const cancelled = await planAndWrite(workflowCase({ ...parts, scheduling: { review: 'cancel' } }));
    expect(cancelled.trace.invocations[0]!.state).toBe('cancelled');
    expect(cancelled.rows['workflow_invocation_message']).toBe(1);
  });

  it('test_run_with_implicit_connection: a $step connection waits for its step and its jobs: 1 job while the pause waits (no step row for the dependent step), 3 once approved', async () => {
    const workflow = readWorkflowFile(
      parseYaml(`
class: GalaxyWorkflow
inputs:
  data: data
steps:
  cat_a:
    tool_id: cat1
    in: {input1: data}
  review:
    type: pause
    in: {input: cat_a/out_file1}
  cat_b:
    tool_id: cat1
    in: {input1: review}
  lines:
    tool_id: random_lines1
    in:
      $step: cat_b
      input: data
`),
      'implicit connection',
      [CAT1, RANDOM_LINES],
    ).workflow;
    const parts = { workflow, tools: [CAT1, RANDOM_LINES], datasets: 1, inputs: { 0: hda(1) } };
    const waiting = await planAndWrite(workflowCase(parts));
    expect(waiting.rows['job']).toBe(1);
    expect(waiting.trace.invocations[0]!.state).toBe('ready');
    expect(waiting.trace.steps.map((s) => [s.orderIndex, s.state])).toEqual([
      [0, 'scheduled'],
      [1, 'scheduled'],
      [2, 'scheduled'],
      [3, 'new'],
    ]);
    const approved = await planAndWrite(workflowCase({ ...parts, scheduling: { review: 'approve' } }));
    expect(approved.rows['job']).toBe(3);
    expect(approved.trace.invocations[0]!.state).toBe('scheduled');
    // The dependent step ran a pass after the step it waits for made its job (that job finished in between).
    const jobOf = (i: number) => approved.trace.steps.find((s) => s.orderIndex === i)!.jobs[0]!;
    expect(jobOf(4).id).toBeGreaterThan(jobOf(3).id);
    expect(approved.trace.steps.find((s) => s.orderIndex === 4)!.passes).toBe(1);
  });

  it('an approved pause records its output again on each later pass (PauseModule.recover_mapping without already_persisted); once on a fixed Galaxy', async () => {
    const w = new WorkflowBuilder();
    const input = w.collectionInput('input1', 'list');
    const first = w.tool('cat1', { input1: [input, 'output'] });
    const pause = w.pause([first, 'out_file1']);
    w.tool('cat1', { input1: [pause, 'output'] });
    // A job cap of 1 over a list of 2: the first step's jobs on passes 1 and 2 (the cap then stops the pass before the pause),
    // the pause reached on pass 3, approved on pass 4 (one job after it), the last job on pass 5.
    const c = workflowCase({ workflow: w.build(), tools: [CAT1], datasets: 2, collections: [list(1, [1, 2])], inputs: { 0: hdca(1) }, scheduling: { review: 'approve', jobs_per_iteration: 1 } });
    const { plan, outcome } = await planAndWrite(c);
    expect(plan.workflow!.invocations[0]!.state).toBe('scheduled');
    expect(plan.workflow!.passes).toBe(5);
    const pauseRow = outcome.snapshot!.steps[2]!.id;
    expect(outcome.snapshot!.stepOutputCollections.filter((o) => o.wisId === pauseRow)).toHaveLength(2);
    const fixed = await sqliteTarget('branch-fixed', { 'workflow.stepOutputRows': 'once' });
    try {
      const fixedPlan = fixed.system.plan(c);
      const fixedOutcome = await fixed.database.runCase(fixedPlan);
      expect(fixedOutcome.snapshot!.stepOutputCollections.filter((o) => o.wisId === fixedOutcome.snapshot!.steps[2]!.id)).toHaveLength(1);
    } finally {
      await fixed.database.close();
    }
  });

  it('test_workflow_failed_output_not_found: a connection to an output the step lacks fails the invocation with output_not_found', async () => {
    const w = new WorkflowBuilder();
    const input = w.dataInput('input1');
    const first = w.tool('cat1', { input1: [input, 'output'] });
    w.tool('cat1', { input1: [first, 'does_not_exist'] });
    const { rows, trace } = await planAndWrite(workflowCase({ workflow: w.build(), tools: [CAT1], datasets: 1, inputs: { 0: hda(1) } }));
    expect(trace.invocations[0]!.state).toBe('failed');
    expect(trace.invocations[0]!.message).toMatch(/^output_not_found/);
    expect(rows['workflow_invocation_message']).toBe(1);
    expect(rows['job']).toBe(1);
  });

  it('inputs not yet populated: a step mapping over a collection an upload still fills waits, without jobs, until the collection is populated (replacement_for_connection: waiting_for_elements)', async () => {
    const w = new WorkflowBuilder();
    const input = w.collectionInput('input1', 'list');
    w.tool('cat1', { input1: [input, 'output'] });
    const uploading = { ...list(1, [1, 2]), populated_state: 'new' };
    const parts = { workflow: w.build(), tools: [CAT1], datasets: 2, collections: [uploading], inputs: { 0: hdca(1) } };
    const populated = await planAndWrite(workflowCase({ ...parts, scheduling: { populated_at: { '1': 2 } } }));
    // Passes 0 and 1: the input step is scheduled (InputModule reads no state), the tool step has its row, delayed.
    expect(populated.trace.steps[1]!.jobs.map((j) => j.pass)).toEqual([2, 2]);
    expect(populated.trace.populated).toEqual([{ hdcaId: 1, pass: 2 }]);
    expect(populated.trace.invocations[0]!.state).toBe('scheduled');
    expect(populated.rows['job']).toBe(2);
    expect(populated.rows['workflow_invocation_step']).toBe(2);
    // The upload's end is the one update of the history collection's row (the fixture's first dataset_collection, id 1).
    expect(populated.plan.statements.filter((st) => st.op === 'update' && st.table === 'dataset_collection' && st.id === 1).map((st) => st.op === 'update' && [st.column, st.value])).toEqual([['populated_state', 'ok']]);

    const never = await planAndWrite(workflowCase(parts));
    expect(never.rows['job'] ?? 0).toBe(0);
    expect(never.trace.invocations[0]!.state).toBe('ready');
    expect(never.outcome.snapshot!.steps.map((st) => st.state)).toEqual(['scheduled', 'new']);
    // Waiting for the upload's job is not an invocation that never finishes.
    expect(never.trace.waitingForJobs).toEqual([never.trace.invocations[0]!.id]);
    expect(never.trace.unfinished).toEqual([]);
  });

  it('an input collection whose population failed fails the invocation with collection_failed, naming the collection (InvocationFailureCollectionFailed)', async () => {
    const w = new WorkflowBuilder();
    const input = w.collectionInput('input1', 'list');
    w.tool('cat1', { input1: [input, 'output'] });
    const failed = { ...list(1, [1, 2]), populated_state: 'failed' };
    const { plan, rows, trace } = await planAndWrite(workflowCase({ workflow: w.build(), tools: [CAT1], datasets: 2, collections: [failed], inputs: { 0: hdca(1) } }));
    expect(trace.invocations[0]!.state).toBe('failed');
    expect(trace.invocations[0]!.message).toBe('collection_failed');
    expect(rows['job'] ?? 0).toBe(0);
    const columns = tableLayouts('tes').workflow_invocation_message.columns;
    const message = plan.statements.find((st) => st.op === 'insert' && st.table === 'workflow_invocation_message');
    const cells = Object.fromEntries(columns.map((c, i) => [c, message!.op === 'insert' ? message!.values[i] : null]));
    expect(cells).toMatchObject({ reason: 'collection_failed', hdca_id: 1, job_id: null, hda_id: null, workflow_step_id: trace.steps[1]!.workflowStepId, dependent_workflow_step_id: trace.steps[0]!.workflowStepId });
  });

  it('a case file naming a collection in populated_at that is not waiting to be populated is refused with one line', () => {
    const w = new WorkflowBuilder();
    const input = w.collectionInput('input1', 'list');
    w.tool('cat1', { input1: [input, 'output'] });
    const parts = { workflow: w.build(), tools: [CAT1], datasets: 2, collections: [list(1, [1, 2])], inputs: { 0: hdca(1) } };
    expect(() => workflowCase({ ...parts, scheduling: { populated_at: { '1': 1 } } })).toThrow(/populated_at\.1: collection 1 is not waiting to be populated/);
    expect(() => workflowCase({ ...parts, scheduling: { populated_at: { '7': 1 } } })).toThrow(/no collection 7 in the history/);
  });

  it('test_workflow_resume_from_failed_step: a failed job does not stop the scheduler; the steps reading its output are scheduled and their jobs paused (1 error + 2 paused jobs, 3 step rows scheduled, invocation scheduled, no message)', async () => {
    // Galaxy's test: job_properties (failbool: true) -> identifier -> cat1 reading identifier's output twice; no workflow inputs.
    const JOB_PROPERTIES = tool('job_properties', [], ['out_file1']);
    const IDENTIFIER = tool('identifier', [{ name: 'input1', type: 'data' }], ['output1']);
    const CAT_TWO = tool('cat1', [
      { name: 'input1', type: 'data' },
      { name: 'input2', type: 'data' },
    ]);
    const w = new WorkflowBuilder();
    const props = w.tool('job_properties', {});
    const identifier = w.tool('identifier', { input1: [props, 'out_file1'] });
    w.tool('cat1', { input1: [identifier, 'output1'], input2: [identifier, 'output1'] });
    const parts = { workflow: w.build(), tools: [JOB_PROPERTIES, IDENTIFIER, CAT_TWO], inputs: {} };
    const { plan, outcome, rows, trace } = await planAndWrite(workflowCase({ ...parts, scheduling: { failed_jobs: [0] } }));
    expect(trace.invocations[0]!.state).toBe('scheduled');
    expect(rows['workflow_invocation_message'] ?? 0).toBe(0);
    expect(rows['job']).toBe(3);
    expect(outcome.snapshot!.steps.map((st) => st.state)).toEqual(['scheduled', 'scheduled', 'scheduled']);
    const jobs = trace.steps.map((st) => st.jobs[0]!.id);
    expect(trace.endedJobs.map((e) => [e.jobId, e.state])).toEqual([
      [jobs[0], 'error'],
      [jobs[1], 'paused'],
      [jobs[2], 'paused'],
    ]);
    // The ends are UPDATEs of job.state after the scheduler made the jobs (state new).
    expect(plan.statements.filter((st) => st.op === 'update' && st.table === 'job').map((st) => st.op === 'update' && [st.id, st.column, st.value])).toEqual([
      [jobs[0], 'state', 'error'],
      [jobs[1], 'state', 'paused'],
      [jobs[2], 'state', 'paused'],
    ]);
    // Without the failure every job is taken to finish ok and keeps its row as made.
    const ok = await planAndWrite(workflowCase(parts));
    expect(ok.trace.endedJobs).toEqual([]);
    expect(ok.plan.statements.some((st) => st.op === 'update' && st.table === 'job')).toBe(false);
  });

  it('test_run_with_implicit_connection, its job failed: a $step dependency on a failed job fails the invocation with job_failed naming the job, the step and the step it depends on (1 job, 2 step rows, no row for the dependent step)', async () => {
    // The shape of Galaxy's test without its pause: random_lines1 waits ($step) on cat1, whose job fails (run.py __check_implicitly_dependent_step).
    const w = new WorkflowBuilder();
    const input = w.dataInput('input1');
    const cat = w.tool('cat1', { input1: [input, 'output'] });
    w.tool('random_lines1', { input: [input, 'output'], __NO_INPUT_OUTPUT_NAME__: [cat, '__NO_INPUT_OUTPUT_NAME__'] });
    const parts = { workflow: w.build(), tools: [CAT1, RANDOM_LINES], datasets: 1, inputs: { 0: hda(1) } };
    const { plan, outcome, rows, trace } = await planAndWrite(workflowCase({ ...parts, scheduling: { failed_jobs: [1] } }));
    expect(trace.invocations[0]!.state).toBe('failed');
    expect(trace.invocations[0]!.message).toBe('job_failed');
    expect(rows['job']).toBe(1);
    expect(rows['workflow_invocation_step']).toBe(2);
    expect(outcome.snapshot!.steps.map((st) => st.state)).toEqual(['scheduled', 'scheduled']);
    const catJob = trace.steps[1]!.jobs[0]!.id;
    expect(trace.endedJobs).toEqual([{ jobId: catJob, state: 'error', pass: 1 }]);
    const columns = tableLayouts('tes').workflow_invocation_message.columns;
    const messages = plan.statements.filter((st) => st.op === 'insert' && st.table === 'workflow_invocation_message');
    expect(messages).toHaveLength(1);
    const cells = Object.fromEntries(columns.map((c, i) => [c, messages[0]!.op === 'insert' ? messages[0]!.values[i] : null]));
    const stepIds = plan.statements.filter((st) => st.op === 'insert' && st.table === 'workflow_step').map((st) => st.op === 'insert' && st.values[0]);
    expect(cells).toMatchObject({ reason: 'job_failed', job_id: catJob, hda_id: null, hdca_id: null, workflow_step_id: stepIds[2], dependent_workflow_step_id: stepIds[1] });
    // Not failing, the dependent step runs a pass later: 2 jobs, scheduled.
    const ok = await planAndWrite(workflowCase(parts));
    expect(ok.rows['job']).toBe(2);
    expect(ok.trace.invocations[0]!.state).toBe('scheduled');
  });

  it('a $step dependency on a paused job waits: the job has not finished (Job.finished), so the invocation stays ready, waiting for a person to resume it, not failed and not stuck (2 jobs, 3 step rows)', async () => {
    // __check_implicitly_dependent_step (run.py) delays on a job not finished; the paused job is test_workflow_resume_from_failed_step's.
    const w = new WorkflowBuilder();
    const input = w.dataInput('input1');
    const failing = w.tool('cat1', { input1: [input, 'output'] });
    const reading = w.tool('cat1', { input1: [failing, 'out_file1'] });
    w.tool('random_lines1', { input: [input, 'output'], __NO_INPUT_OUTPUT_NAME__: [reading, '__NO_INPUT_OUTPUT_NAME__'] });
    const { rows, trace } = await planAndWrite(workflowCase({ workflow: w.build(), tools: [CAT1, RANDOM_LINES], datasets: 1, inputs: { 0: hda(1) }, scheduling: { failed_jobs: [1], budget: 4 } }));
    expect(trace.invocations[0]!.state).toBe('ready');
    expect(rows['workflow_invocation_message'] ?? 0).toBe(0);
    expect(rows['job']).toBe(2);
    expect(rows['workflow_invocation_step']).toBe(3);
    expect(trace.endedJobs.map((e) => e.state)).toEqual(['error', 'paused']);
    expect(trace.waitingForJobs).toEqual([trace.invocations[0]!.id]);
    expect(trace.unfinished).toEqual([]);
  });

  it('a job whose explicit collection output it never fills fails: the step reading the collection fails the invocation with collection_failed naming it (JobWrapper.fail leaves it unpopulated; waiting_for_elements is false once its job ended)', async () => {
    // Like Galaxy's collection_split_on_column: a list filled by <discover_datasets>; its job fails, so nothing is discovered.
    const SPLIT = tool('split_on_column', [{ name: 'input1', type: 'data' }], [{ name: 'split_output', type: 'collection', collection_type: 'list', discover_datasets: [{ pattern: '__name_and_ext__', directory: 'outputs' }] } as never]);
    const w = new WorkflowBuilder();
    const input = w.dataInput('input1');
    const split = w.tool('split_on_column', { input1: [input, 'output'] });
    w.tool('cat1', { input1: [split, 'split_output'] });
    const parts = { workflow: w.build(), tools: [SPLIT, CAT1], datasets: 1, inputs: { 0: hda(1) } };
    const { plan, rows, trace } = await planAndWrite(workflowCase({ ...parts, scheduling: { failed_jobs: [1] } }));
    expect(trace.invocations[0]!.state).toBe('failed');
    expect(trace.invocations[0]!.message).toBe('collection_failed');
    expect(rows['job']).toBe(1);
    // The reading step had its row (it waited on pass 0, the job ended before pass 1): 3 step rows, the last new.
    expect(trace.steps.map((st) => st.state)).toEqual(['scheduled', 'scheduled', 'new']);
    const hdcaId = (trace.steps[1]!.outputs!.find((o) => o.name === 'split_output')!.value as { id: number }).id;
    const columns = tableLayouts('tes').workflow_invocation_message.columns;
    const message = plan.statements.find((st) => st.op === 'insert' && st.table === 'workflow_invocation_message');
    const cells = Object.fromEntries(columns.map((c, i) => [c, message!.op === 'insert' ? message!.values[i] : null]));
    expect(cells).toMatchObject({ reason: 'collection_failed', hdca_id: hdcaId, job_id: null, workflow_step_id: trace.steps[2]!.workflowStepId, dependent_workflow_step_id: trace.steps[1]!.workflowStepId });
    // The collection's own row is not updated: Galaxy leaves it new.
    expect(plan.statements.some((st) => st.op === 'update' && st.table === 'dataset_collection')).toBe(false);
    // Its job not failing, the step waits for the job to fill it (the model runs no job to the end).
    const ok = await planAndWrite(workflowCase(parts));
    expect(ok.trace.invocations[0]!.state).toBe('ready');
    expect(ok.trace.waitingForJobs).toEqual([ok.trace.invocations[0]!.id]);
  });

  it('test_workflow_failed_input_not_ok: a failed job\'s dataset read through a parameter connection (is_data=False) fails the invocation with dataset_failed at step 1, naming the dataset (1 job, 2 step rows)', async () => {
    // Galaxy's test reads job_properties' failed output with __APPLY_RULES__ (check_inputs_ready); the model has no database
    // operation tools, so the same reason is reached as replacement_for_connection raises it for a non-data input.
    const JOB_PROPERTIES = tool('job_properties', [], ['out_file1']);
    const LINES = tool('lines', [{ name: 'num_lines', type: 'integer', value: 1 } as never]);
    const w = new WorkflowBuilder();
    const props = w.tool('job_properties', {});
    w.tool('lines', { num_lines: [props, 'out_file1'] });
    const parts = { workflow: w.build(), tools: [JOB_PROPERTIES, LINES], inputs: {} };
    const { plan, rows, trace } = await planAndWrite(workflowCase({ ...parts, scheduling: { failed_jobs: [0] } }));
    expect(trace.invocations[0]!.state).toBe('failed');
    expect(trace.invocations[0]!.message).toBe('dataset_failed');
    expect(rows['job']).toBe(1);
    // Step 1 waited on pass 0 (its dataset pending: is_pending), and failed on pass 1 once the job had failed.
    expect(trace.steps.map((st) => [st.orderIndex, st.state, st.passes])).toEqual([
      [0, 'scheduled', 1],
      [1, 'new', 2],
    ]);
    const hdaId = (trace.steps[0]!.outputs!.find((o) => o.name === 'out_file1')!.value as { id: number }).id;
    const columns = tableLayouts('tes').workflow_invocation_message.columns;
    const messages = plan.statements.filter((st) => st.op === 'insert' && st.table === 'workflow_invocation_message');
    expect(messages).toHaveLength(1);
    const cells = Object.fromEntries(columns.map((c, i) => [c, messages[0]!.op === 'insert' ? messages[0]!.values[i] : null]));
    expect(cells).toMatchObject({ reason: 'dataset_failed', hda_id: hdaId, job_id: null, hdca_id: null, workflow_step_id: trace.steps[1]!.workflowStepId, dependent_workflow_step_id: trace.steps[0]!.workflowStepId });
  });

  it('a case file naming in failed_jobs a step that is not a top-level tool step is refused with one line', () => {
    const w = new WorkflowBuilder();
    const input = w.dataInput('input1');
    w.tool('cat1', { input1: [input, 'output'] });
    const parts = { workflow: w.build(), tools: [CAT1], datasets: 1, inputs: { 0: hda(1) } };
    expect(() => workflowCase({ ...parts, scheduling: { failed_jobs: [0] } })).toThrow(/failed_jobs\[0\]: step 0 is a data_input step, not a tool step/);
    expect(() => workflowCase({ ...parts, scheduling: { failed_jobs: [5] } })).toThrow(/failed_jobs\[0\]: no step 5 in the workflow/);
    expect(() => workflowCase({ ...parts, scheduling: { failed_jobs: [1, 1] } })).toThrow(/failed_jobs\[1\]: step 1 is named twice/);
  });

  it('test_run_workflow_simple_conditional_step: a step whose when is false still makes its job, skipped', async () => {
    const w = new WorkflowBuilder();
    const input = w.dataInput('input1');
    const flag = w.parameterInput('should_run', 'boolean');
    w.tool('cat1', { input1: [input, 'output'] }, { when: [flag, 'output'] });
    const { plan, rows } = await planAndWrite(workflowCase({ workflow: w.build(), tools: [CAT1], datasets: 1, inputs: { 0: hda(1), 1: false } }));
    expect(rows['job']).toBe(1);
    const job = plan.statements.find((s) => s.op === 'insert' && s.table === 'job');
    expect(job?.op === 'insert' && job.values.includes('skipped')).toBe(true);
    expect(rows['workflow_request_input_step_parameter']).toBe(1);
  });

  const CONDITIONAL_SUBWORKFLOW = (input: string) => `
class: GalaxyWorkflow
inputs:
  should_run: boolean
  some_input: ${input}
steps:
  subworkflow:
    run:
      class: GalaxyWorkflow
      inputs:
        some_input: ${input}
        should_run: boolean
      outputs:
        inner_out:
          outputSource: a_tool_step/out_file1
      steps:
        a_tool_step:
          tool_id: cat1
          in: {input1: some_input}
    in: {some_input: some_input, should_run: should_run}
    when: $(inputs.should_run)
`;
  const jobStates = (plan: { statements: readonly PlannedStatement[] }) => {
    const state = tableLayouts('tes').job.columns.indexOf('state');
    return plan.statements.flatMap((st) => (st.op === 'insert' && st.table === 'job' ? [st.values[state]] : []));
  };

  it('test_run_workflow_subworkflow_conditional_step: a subworkflow step whose when is false runs its child with the inner job skipped (1 skipped job)', async () => {
    const workflow = readWorkflowFile(parseYaml(CONDITIONAL_SUBWORKFLOW('data')), 'conditional subworkflow', [CAT1]).workflow;
    const parts = { workflow, tools: [CAT1], datasets: 1 };
    const skipped = await planAndWrite(workflowCase({ ...parts, inputs: { 0: false, 1: hda(1) } }));
    expect(jobStates(skipped.plan)).toEqual(['skipped']);
    expect(skipped.trace.invocations.map((i) => i.state)).toEqual(['scheduled', 'scheduled']);
    const ran = await planAndWrite(workflowCase({ ...parts, inputs: { 0: true, 1: hda(1) } }));
    expect(jobStates(ran.plan)).toEqual(['new']);
  });

  it('test_run_workflow_subworkflow_conditional_with_simple_mapping_step: false over a list of 2: the inner mapped step makes 2 skipped jobs', async () => {
    const workflow = readWorkflowFile(parseYaml(CONDITIONAL_SUBWORKFLOW('collection')), 'conditional mapped subworkflow', [CAT1]).workflow;
    const { plan, trace } = await planAndWrite(workflowCase({ workflow, tools: [CAT1], datasets: 2, collections: [list(1, [1, 2])], inputs: { 0: false, 1: hdca(1) } }));
    expect(jobStates(plan)).toEqual(['skipped', 'skipped']);
    expect(trace.steps.find((st) => st.type === 'tool')!.icjId).not.toBeNull();
  });

  it('a when is read as Galaxy evaluates it: $(inputs.NAME) of any input name, its negation, constants; a non-boolean fails with when_not_boolean; another expression is not modelled', async () => {
    const tool = (when: string, flag: string) => `
class: GalaxyWorkflow
inputs:
  data: data
  ${flag}: boolean
steps:
  cat:
    tool_id: cat1
    in: {input1: data, ${flag}: ${flag}}
    when: ${when}
`;
    const run = async (when: string, flag: string, value: unknown) => {
      const workflow = readWorkflowFile(parseYaml(tool(when, flag)), 'when', [CAT1]).workflow;
      return planAndWrite(workflowCase({ workflow, tools: [CAT1], datasets: 1, inputs: { 0: hda(1), 1: value as never } }));
    };
    expect(jobStates((await run('$(inputs.go)', 'go', false)).plan)).toEqual(['skipped']);
    expect(jobStates((await run('$(inputs.go)', 'go', true)).plan)).toEqual(['new']);
    expect(jobStates((await run('$(!inputs.go)', 'go', true)).plan)).toEqual(['skipped']);
    expect(jobStates((await run('$(false)', 'go', true)).plan)).toEqual(['skipped']);
    expect(jobStates((await run('${inputs.when}', 'when', false)).plan)).toEqual(['skipped']);
    // Given nothing, an optional boolean input is null (a required one is refused at the request).
    const notBoolean = await planAndWrite(
      workflowCase({ workflow: readWorkflowFile(parseYaml(tool('$(inputs.go)', 'go').replace('go: boolean', 'go: {type: boolean, optional: true}')), 'when', [CAT1]).workflow, tools: [CAT1], datasets: 1, inputs: { 0: hda(1) } }),
    );
    expect(notBoolean.trace.invocations[0]!.message).toBe('when_not_boolean');
    expect(() => readWorkflowFile(parseYaml(tool('$(inputs.go && inputs.other)', 'go')), 'when', [CAT1])).toThrow(/not modelled: step 2: a when expression other than/);
  });

  it('test_empty_list_mapping: mapping over an empty list makes no job but an ICJ the step points at', async () => {
    const w = new WorkflowBuilder();
    const input = w.collectionInput('input1', 'list');
    w.tool('cat1', { input1: [input, 'output'] });
    const { outcome, rows } = await planAndWrite(workflowCase({ workflow: w.build(), tools: [CAT1], collections: [list(1, [])], inputs: { 0: hdca(1) } }));
    expect(rows['job'] ?? 0).toBe(0);
    expect(outcome.snapshot!.steps[1]!.icjId).not.toBeNull();
  });

  it('test_run_with_non_optional_data_unspecified_fails_invocation: a required input given nothing refuses the request (400, "is not optional and no input"); an optional one runs', async () => {
    const w = new WorkflowBuilder();
    const input = w.dataInput('input1');
    w.tool('cat1', { input1: [input, 'output'] });
    const { rows, trace } = await planAndWrite(workflowCase({ workflow: w.build(), tools: [CAT1], datasets: 1, inputs: {} }));
    expect(trace.refused).toMatch(/^Workflow cannot be run because input step '\d+' \(input1\) is not optional and no input provided\.$/);
    expect(trace.invocations).toEqual([]);
    expect(rows['workflow_invocation'] ?? 0).toBe(0);
    const optional = new WorkflowBuilder();
    const maybe = optional.dataInput('input1', true);
    optional.tool('multi_data_param', { f1: [maybe, 'output'] });
    const ran = await planAndWrite(workflowCase({ workflow: optional.build(), tools: [MULTI], datasets: 1, inputs: {} }));
    expect(ran.trace.refused).toBeNull();
    expect(ran.trace.invocations).toHaveLength(1);
  });

  it('a subworkflow whose required input nothing feeds fails the invocation with output_not_found (WorkflowProgress.subworkflow_progress); an optional one runs', async () => {
    const build = (optional: boolean) => {
      const inner = new WorkflowBuilder('inner');
      const a = inner.dataInput('a');
      inner.dataInput('b', optional);
      inner.tool('cat1', { input1: [a, 'output'] });
      const w = new WorkflowBuilder();
      const input = w.dataInput('input1');
      w.subworkflow(inner.build(), { a: [input, 'output'] });
      return w.build();
    };
    const failed = await planAndWrite(workflowCase({ workflow: build(false), tools: [CAT1], datasets: 1, inputs: { 0: hda(1) } }));
    expect(failed.trace.invocations[0]!.state).toBe('failed');
    expect(failed.trace.invocations[0]!.message).toMatch(/^output_not_found/);
    expect(failed.rows['job'] ?? 0).toBe(0);
    const ran = await planAndWrite(workflowCase({ workflow: build(true), tools: [CAT1], datasets: 1, inputs: { 0: hda(1) } }));
    expect(ran.trace.invocations.map((i) => i.state)).toEqual(['scheduled', 'scheduled']);
  });

  it('a workflow with a cycle is refused with Galaxy’s message and writes no invocation', () => {
    const w = new WorkflowBuilder();
    w.tool('cat1', { input1: [1, 'out_file1'] });
    w.tool('cat1', { input1: [0, 'out_file1'] });
    const plan = target.system.plan(workflowCase({ workflow: w.build(), tools: [CAT1], inputs: {} }));
    expect(plan.workflow!.refused).toBe('Workflow cannot be run because it contains cycles');
    expect(rowsOf(plan)['workflow_invocation'] ?? 0).toBe(0);
  });

  it('a mapped step whose tool has no outputs, under a job cap, runs its first slices again on every pass and never finishes (hazards-verified §1b)', async () => {
    const w = new WorkflowBuilder();
    const input = w.collectionInput('input1', 'list');
    w.tool('no_outputs', { input1: [input, 'output'] });
    const { trace } = await planAndWrite(
      workflowCase({ workflow: w.build(), tools: [NO_OUTPUTS], datasets: 3, collections: [list(1, [1, 2, 3])], inputs: { 0: hdca(1) }, scheduling: { jobs_per_iteration: 1, budget: 5 } }),
    );
    expect(trace.steps[1]!.jobs.map((j) => j.combination)).toEqual([0, 0, 0, 0, 0]);
    expect(trace.unfinished).toEqual([trace.invocations[0]!.id]);
  });

  it('extraction gives back the connection through an approved pause into a subworkflow, whose inner job runs after its consumer’s step row exists', async () => {
    const inner = new WorkflowBuilder('inner');
    const innerInput = inner.dataInput('inner_input');
    inner.tool('cat1', { input1: [innerInput, 'output'] }, { outputs: [{ output_name: 'out_file1', label: 'inner_out' }] });
    const w = new WorkflowBuilder();
    const input = w.dataInput('input1');
    const pause = w.pause([input, 'output']);
    const sub = w.subworkflow(inner.build(), { inner_input: [pause, 'output'] });
    w.tool('cat1', { input1: [sub, 'inner_out'] });
    const c = workflowCase({ workflow: w.build(), tools: [CAT1], datasets: 1, inputs: { 0: hda(1) }, scheduling: { review: 'approve' } });
    const { plan, outcome } = await planAndWrite(c);
    // The consumer's step row comes before the inner step's (it waited while the pause did), its job after.
    expect(plan.workflow!.steps.map((s) => `${s.invocationId}:${s.orderIndex}`)).toEqual(['1:0', '1:1', '1:2', '1:3', '2:0', '2:1']);
    expect(extractionRoundTrip.check({ case: c, plan, outcome, system: target.system })).toBeNull();
  });

  it('a tool with a discovered list output mapped over a list: one job per element, a list:list collection; mapped-step-consumed-whole counts the filled elements at the map-over depth', async () => {
    // Like Galaxy's collection_split_on_column test tool: a data input, a `list` output filled by <discover_datasets>.
    const SPLIT = tool('split_on_column', [{ name: 'input1', type: 'data' }], [{ name: 'split_output', type: 'collection', collection_type: 'list', discover_datasets: [{ pattern: '__name_and_ext__', directory: 'outputs' }] } as never]);
    const w = new WorkflowBuilder();
    const input = w.collectionInput('input1', 'list');
    const split = w.tool('split_on_column', { input1: [input, 'output'] });
    w.tool('cat1', { input1: [split, 'split_output'] });
    const c = workflowCase({ workflow: w.build(), tools: [SPLIT, CAT1], datasets: 2, collections: [list(1, [1, 2])], inputs: { 0: hdca(1) } });
    const { plan, outcome, rows } = await planAndWrite(c);
    expect(rows['implicit_collection_jobs']).toBeGreaterThanOrEqual(1);
    const splitStep = plan.workflow!.steps.find((s) => s.orderIndex === 1)!;
    expect(splitStep.jobs).toHaveLength(2);
    // Each job fills its element of the list:list with its own (discovered) list: judged, and it holds.
    expect(mappedStepConsumedWhole.check({ case: c, plan, outcome, system: target.system })).toBeNull();
    const m = new WorkflowBuilder();
    const coll = m.collectionInput('input1', 'list');
    m.tool('cat1', { input1: [coll, 'output'] });
    const d = workflowCase({ workflow: m.build(), tools: [CAT1], datasets: 2, collections: [list(1, [1, 2])], inputs: { 0: hdca(1) } });
    const data = await planAndWrite(d);
    expect(mappedStepConsumedWhole.check({ case: d, plan: data.plan, outcome: data.outcome, system: target.system })).toBeNull();
  });

  it('two connections merged into a multiple data input: one job reading both datasets; extraction connects the input to both steps', async () => {
    const w = new WorkflowBuilder();
    const a = w.dataInput('a');
    const b = w.dataInput('b');
    w.tool('multi_data_param', { f1: [[a, 'output'], [b, 'output']] });
    const c = workflowCase({ workflow: w.build(), tools: [MULTI], datasets: 2, inputs: { 0: hda(1), 1: hda(2) } });
    const { plan, outcome, rows } = await planAndWrite(c);
    expect(rows['job']).toBe(1);
    const job = plan.workflow!.steps.find((s) => s.orderIndex === 2)!.jobs[0]!.id;
    expect(outcome.snapshot!.jobInputs.filter((i) => i.jobId === job).map((i) => [i.name, i.datasetId])).toEqual([
      ['f1', 1],
      ['f11', 1],
      ['f12', 2],
    ]);
    // __cleanup_param_values gives one association per value: f1 <- input a, f1 <- input b.
    expect(extractionRoundTrip.check({ case: c, plan, outcome, system: target.system })).toBeNull();
  });

  it('two connections into a paired collection input: Galaxy takes the first (replacement_for_input, connection[0]); the second carries nothing, and the connection and extraction properties judge the first', async () => {
    const PAIRED_IN = tool('paired_in', [{ name: 'p', type: 'data_collection', collection_type: 'paired' }]);
    const w = new WorkflowBuilder();
    const a = w.collectionInput('a', 'paired');
    const b = w.collectionInput('b', 'paired');
    w.tool('paired_in', { p: [[a, 'output'], [b, 'output']] });
    const pair = (id: number, first: number) => ({ id, collection_type: 'paired', elements: [{ identifier: 'forward', dataset: first }, { identifier: 'reverse', dataset: first + 1 }] });
    const c = workflowCase({ workflow: w.build(), tools: [PAIRED_IN], datasets: 4, collections: [pair(1, 1), pair(2, 3)], inputs: { 0: hdca(1), 1: hdca(2) } });
    const { plan, outcome, rows } = await planAndWrite(c);
    expect(rows['job']).toBe(1);
    const step = plan.workflow!.steps.find((s) => s.orderIndex === 2)!;
    expect(step.connections.map((x) => x.value?.kind ?? null)).toEqual(['collection', null]);
    expect(outcome.snapshot!.jobInputCollections.filter((i) => i.jobId === step.jobs[0]!.id).map((i) => i.hdcaId)).toEqual([1]);
    expect(extractionRoundTrip.check({ case: c, plan, outcome, system: target.system })).toBeNull();
    expect(connectionsReachUpstreamOutputs.check({ case: c, plan, outcome, system: target.system })).toBeNull();
  });

  it('step output rows on a tool step’s first pass are written twice, as Galaxy’s tracker and set_step_outputs both add them (hazards-verified §4)', async () => {
    const w = new WorkflowBuilder();
    const input = w.dataInput('input1');
    w.tool('cat1', { input1: [input, 'output'] });
    const plain = await planAndWrite(workflowCase({ workflow: w.build(), tools: [CAT1], datasets: 1, inputs: { 0: hda(1) } }));
    const toolWis = plain.outcome.snapshot!.steps[1]!.id;
    expect(plain.outcome.snapshot!.stepOutputs.filter((o) => o.wisId === toolWis).map((o) => o.outputName)).toEqual(['out_file1', 'out_file1']);
    const m = new WorkflowBuilder();
    const coll = m.collectionInput('input1', 'list');
    m.tool('cat1', { input1: [coll, 'output'] });
    const mapped = await planAndWrite(workflowCase({ workflow: m.build(), tools: [CAT1], datasets: 2, collections: [list(1, [1, 2])], inputs: { 0: hdca(1) } }));
    const mappedWis = mapped.outcome.snapshot!.steps[1]!.id;
    expect(mapped.outcome.snapshot!.stepOutputCollections.filter((o) => o.wisId === mappedWis)).toHaveLength(2);
    // The input steps' own output rows are written once.
    expect(mapped.outcome.snapshot!.stepOutputCollections.filter((o) => o.wisId === mapped.outcome.snapshot!.steps[0]!.id)).toHaveLength(1);
  });
});
