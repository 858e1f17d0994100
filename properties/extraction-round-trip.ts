import type { StepTrace, StepValue, WorkflowTrace } from '../src/executor/invoke-workflow.js';
import { extractInvocation, type ExtractionSelection } from '../src/extraction/extract-invocation.js';
import { NON_DATA_CONNECTION, workflowGraph, subworkflowOutputs, type StepNode, type WorkflowGraph } from '../src/model/workflow-graph.js';
import type { WorkflowCase } from '../src/model/workflow.js';
import { defineExecutionProperty, NOT_JUDGED, type Judgement } from '../src/runner/property.js';

/**
 * The extraction round trip: extracting a workflow from a scheduled
 * invocation's jobs and implicit collection jobs, through both of Galaxy's
 * entry points (extract.py `extract_steps` and `extract_steps_by_ids`), gives
 * back one input step per input given and one tool step per executed tool
 * step, each input of each tool step connected to the step that produced what
 * it read. Up to what extraction is known to lose (galaxy-workflows §6.3):
 * parameter and `when` connections, pauses (the consumer connects to the
 * pause's producer), subworkflow nesting (inner steps come back top level),
 * and a map-over with no job (its `representative_job` cannot be found) or no
 * outputs (no implicit collection jobs row to select).
 */
export const extractionRoundTrip = defineExecutionProperty({
  id: 'extraction-round-trip',
  summary: "extracting a workflow from an invocation's jobs and ICJs gives back its input steps and one tool step per executed step, with the same connections",
  workflowOnly: true,
  needs: { columns: [['implicitly_created_dataset_collection_inputs', 'input_dataset_collection_id'], ['implicit_collection_jobs_job_association', 'order_index']] },
  check({ case: c, plan, outcome, system }) {
    const trace = plan.workflow;
    const snapshot = outcome.snapshot;
    if (trace === null || snapshot === null || c.entry !== 'workflow-invocation') return NOT_JUDGED;
    const graph = workflowGraph(c.workflow, c.tools);
    let judged = 0;
    for (const top of trace.invocations.filter((i) => i.parentId === null)) {
      const tree = invocationTree(trace, top.id);
      if (tree.some((id) => trace.invocations.find((i) => i.id === id)!.state !== 'scheduled')) continue;
      const roundTrip = new RoundTrip(c, graph, trace, tree, top.id);
      const executed = roundTrip.executedToolSteps();
      if (executed.length === 0) continue;
      for (const entry of ['extract_steps', 'extract_steps_by_ids'] as const) {
        const selection = roundTrip.selection(entry, executed);
        const steps = extractInvocation(snapshot, selection, system.settings['extraction.mappedInputs']);
        const inputs = selection.datasetIds.length + selection.collectionIds.length;
        if (steps.length !== inputs + executed.length) {
          return violation(`${entry} from invocation ${top.id} gives ${steps.length} steps for ${inputs} inputs and ${executed.length} executed tool steps`);
        }
        for (const step of executed) {
          const extracted = steps.findIndex((s) => s.origin === originOf(step));
          // Several connections into one input (merged into a multiple data input) come back as several, one per value.
          const byInput = new Map<string, StepTrace['connections'][number][]>();
          for (const connection of step.connections) {
            if (!isHistoryContent(connection.value) || connection.input === 'when') continue;
            byInput.set(connection.input, [...(byInput.get(connection.input) ?? []), connection]);
          }
          for (const [input, connections] of byInput) {
            const actual = (steps[extracted]?.connections.get(input) ?? []).map((to) => steps[to]!.origin);
            const said = actual.length === 0 ? 'nothing' : actual.join(', ');
            let expectedAll = true;
            for (const connection of connections) {
              const expected = roundTrip.producerOrigin(step.invocationId, connection.from, connection.outputName);
              if (expected === null) {
                expectedAll = false;
                continue;
              }
              judged++;
              if (!actual.includes(expected)) {
                return violation(
                  `${entry} from invocation ${top.id}: step ${step.orderIndex}'s input '${input}' is connected to ${said}, but the workflow connects it to step ${connection.from}'s '${connection.outputName}' (${expected})`,
                );
              }
            }
            if (expectedAll && actual.length !== connections.length) {
              return violation(`${entry} from invocation ${top.id}: step ${step.orderIndex}'s input '${input}' is connected to ${said}, but the workflow gives it ${connections.length} connection${connections.length === 1 ? '' : 's'}`);
            }
          }
        }
      }
    }
    return judged === 0 ? NOT_JUDGED : null;
  },
});

function violation(message: string): Judgement {
  return { kind: 'round-trip-mismatch', table: 'workflow_step', columns: [], constraint: 'extract_steps / extract_steps_by_ids', message };
}

function isHistoryContent(value: StepValue | null): boolean {
  return value !== null && (value.kind === 'dataset' || value.kind === 'collection');
}

function originOf(step: StepTrace): string {
  return step.icjId !== null ? `icj:${step.icjId}` : `job:${step.jobs[0]!.id}`;
}

function invocationTree(trace: WorkflowTrace, id: number): number[] {
  return [id, ...trace.invocations.filter((i) => i.parentId === id).flatMap((i) => invocationTree(trace, i.id))];
}

/** The invocation as the workflow describes it, to say which step should feed which, independently of the rows. */
class RoundTrip {
  readonly #graphs = new Map<number, WorkflowGraph>();

  constructor(
    readonly c: WorkflowCase,
    graph: WorkflowGraph,
    readonly trace: WorkflowTrace,
    readonly tree: readonly number[],
    readonly top: number,
  ) {
    this.#graphs.set(top, graph);
    const attach = (invocation: number, g: WorkflowGraph): void => {
      for (const child of trace.invocations.filter((i) => i.parentId === invocation)) {
        const parentStep = trace.steps.find((s) => s.invocationId === invocation && s.type === 'subworkflow' && this.#childOf(invocation, s.orderIndex) === child.id);
        const node = g.steps.find((s) => s.orderIndex === parentStep?.orderIndex);
        if (node?.subworkflow) {
          this.#graphs.set(child.id, node.subworkflow);
          attach(child.id, node.subworkflow);
        }
      }
    };
    attach(top, graph);
  }

  /** The child invocations of an invocation's subworkflow steps, in step order (each subworkflow step has one child). */
  #childOf(invocation: number, orderIndex: number): number | undefined {
    const subSteps = this.trace.steps.filter((s) => s.invocationId === invocation && s.type === 'subworkflow').map((s) => s.orderIndex).sort((a, b) => a - b);
    const children = this.trace.invocations.filter((i) => i.parentId === invocation).map((i) => i.id).sort((a, b) => a - b);
    return children[subSteps.indexOf(orderIndex)];
  }

  #step(invocation: number, orderIndex: number): StepTrace | undefined {
    return this.trace.steps.find((s) => s.invocationId === invocation && s.orderIndex === orderIndex);
  }

  #node(invocation: number, orderIndex: number): StepNode | undefined {
    return this.#graphs.get(invocation)?.steps.find((s) => s.orderIndex === orderIndex);
  }

  /** Tool steps whose jobs Galaxy can extract: at least one job, and mapped ones with an implicit collection jobs row. */
  executedToolSteps(): StepTrace[] {
    return this.trace.steps.filter((s) => this.tree.includes(s.invocationId) && s.type === 'tool' && s.jobs.length > 0 && (s.icjId !== null || !isMapped(s)));
  }

  selection(entry: ExtractionSelection['entry'], executed: readonly StepTrace[]): ExtractionSelection {
    const datasetIds: number[] = [];
    const collectionIds: number[] = [];
    for (const s of this.trace.steps) {
      if (s.invocationId !== this.top || (s.type !== 'data_input' && s.type !== 'data_collection_input')) continue;
      const value = s.outputs?.[0]?.value;
      if (value?.kind === 'dataset') datasetIds.push(value.id);
      else if (value?.kind === 'collection') collectionIds.push(value.id);
    }
    const inputNames = new Map<number, readonly string[]>();
    const jobIds: number[] = [];
    const icjIds: number[] = [];
    for (const s of executed) {
      const names = [...new Set(s.connections.filter((c) => c.input !== 'when' && c.input !== NON_DATA_CONNECTION).map((c) => c.input))];
      for (const job of s.jobs) inputNames.set(job.id, names);
      if (s.icjId !== null && entry === 'extract_steps_by_ids') icjIds.push(s.icjId);
      else jobIds.push(s.jobs[0]!.id);
    }
    return { entry, datasetIds, collectionIds, jobIds, icjIds, inputNames };
  }

  /**
   * The extracted step that should feed a connection: a tool step itself; an
   * input of the top invocation by what it was given; through a pause to what
   * the pause received; through a subworkflow step to the inner step behind
   * the output; from a subworkflow's input to what the parent connected to it.
   */
  producerOrigin(invocation: number, orderIndex: number, outputName: string, depth = 0): string | null {
    if (depth > 16) return null;
    const node = this.#node(invocation, orderIndex);
    const step = this.#step(invocation, orderIndex);
    if (node === undefined) return null;
    switch (node.type) {
      case 'tool':
        return step !== undefined && step.jobs.length > 0 ? originOf(step) : null;
      case 'parameter_input':
        return null;
      case 'data_input':
      case 'data_collection_input': {
        if (invocation === this.top) {
          const value = step?.outputs?.[0]?.value;
          return value?.kind === 'dataset' ? `dataset:${value.id}` : value?.kind === 'collection' ? `collection:${value.id}` : null;
        }
        const parent = this.trace.invocations.find((i) => i.id === invocation)!.parentId!;
        const parentStep = this.trace.steps.find((s) => s.invocationId === parent && s.type === 'subworkflow' && this.#childOf(parent, s.orderIndex) === invocation);
        const parentNode = parentStep === undefined ? undefined : this.#node(parent, parentStep.orderIndex);
        const feeding = parentNode === undefined ? undefined : [...parentNode.connections.values()].flat().find((c) => c.input_subworkflow_step_id === orderIndex) ?? parentNode.connections.get(node.label ?? '')?.[0];
        return feeding === undefined ? null : this.producerOrigin(parent, feeding.id, feeding.output_name, depth + 1);
      }
      case 'pause': {
        const feeding = node.connections.get('input')?.[0];
        return feeding === undefined ? null : this.producerOrigin(invocation, feeding.id, feeding.output_name, depth + 1);
      }
      case 'subworkflow': {
        const child = this.#childOf(invocation, orderIndex);
        const output = subworkflowOutputs(node.subworkflow!).find((o) => o.name === outputName);
        return child === undefined || output === undefined ? null : this.producerOrigin(child, output.step.orderIndex, output.outputName, depth + 1);
      }
    }
  }
}

function isMapped(step: StepTrace): boolean {
  return step.expansion !== null && step.expansion.ok && step.expansion.mapOver !== null;
}
