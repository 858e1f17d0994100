import type { JsonValue } from '../src/model/case.js';
import type { GaConnection, GaStep, GaWorkflow, GaWorkflowOutput } from '../src/model/workflow.js';

/**
 * Builds `.ga` workflows (format-version 0.1) step by step, as Galaxy exports
 * them: each step keyed by its order index, connections as
 * `input_connections`, input steps' options in `tool_state`. Used by the
 * workflow generator and by hand-written test cases.
 */

/** A step output: the step's order index and the output's name. */
export type Source = readonly [step: number, output: string];

export class WorkflowBuilder {
  readonly #steps: GaStep[] = [];
  readonly #name: string;

  constructor(name = 'cardfuzz workflow') {
    this.#name = name;
  }

  #add(step: Omit<GaStep, 'id'>): number {
    const id = this.#steps.length;
    this.#steps.push({ id, ...step });
    return id;
  }

  dataInput(label: string, optional = false): number {
    return this.#add({ type: 'data_input', label, tool_state: JSON.stringify({ optional }), input_connections: {}, workflow_outputs: [] });
  }

  collectionInput(label: string, collectionType: string): number {
    return this.#add({ type: 'data_collection_input', label, tool_state: JSON.stringify({ optional: false, collection_type: collectionType }), input_connections: {}, workflow_outputs: [] });
  }

  parameterInput(label: string, parameterType: 'boolean' | 'text' | 'integer' | 'float' | 'color'): number {
    return this.#add({ type: 'parameter_input', label, tool_state: JSON.stringify({ optional: false, parameter_type: parameterType }), input_connections: {}, workflow_outputs: [] });
  }

  /** A tool step; `connections` by input name; `when` makes it conditional on a boolean source. */
  tool(
    toolId: string,
    connections: { readonly [input: string]: Source | readonly Source[] },
    options: { readonly state?: { readonly [key: string]: JsonValue }; readonly outputs?: readonly GaWorkflowOutput[]; readonly when?: Source; readonly label?: string } = {},
  ): number {
    const input_connections: Record<string, GaConnection | GaConnection[]> = {};
    for (const [input, source] of Object.entries(connections)) {
      input_connections[input] = isSourceList(source) ? source.map(connection) : connection(source);
    }
    if (options.when !== undefined) input_connections['when'] = connection(options.when);
    return this.#add({
      type: 'tool',
      tool_id: toolId,
      ...(options.label === undefined ? {} : { label: options.label }),
      tool_state: JSON.stringify(options.state ?? {}),
      input_connections,
      workflow_outputs: options.outputs ?? [],
      ...(options.when === undefined ? {} : { when: '$(inputs.when)' }),
    });
  }

  pause(source: Source): number {
    return this.#add({ type: 'pause', label: `pause ${this.#steps.length}`, input_connections: { input: connection(source) }, workflow_outputs: [] });
  }

  /** A subworkflow step; `connections` by the inner input step's label; `when` makes it conditional on a boolean source. */
  subworkflow(inner: GaWorkflow, connections: { readonly [innerLabel: string]: Source }, outputs: readonly GaWorkflowOutput[] = [], when?: Source): number {
    const input_connections: Record<string, GaConnection> = {};
    for (const [label, source] of Object.entries(connections)) {
      const innerStep = Object.values(inner.steps).find((s) => s.label === label);
      input_connections[label] = { ...connection(source), ...(innerStep === undefined ? {} : { input_subworkflow_step_id: innerStep.id }) };
    }
    if (when !== undefined) input_connections['when'] = connection(when);
    return this.#add({
      type: 'subworkflow',
      label: `subworkflow ${this.#steps.length}`,
      subworkflow: inner,
      input_connections,
      workflow_outputs: outputs,
      ...(when === undefined ? {} : { when: '$(inputs.when)' }),
    });
  }

  build(): GaWorkflow {
    return { a_galaxy_workflow: 'true', 'format-version': '0.1', name: this.#name, steps: Object.fromEntries(this.#steps.map((s) => [String(s.id), s])) };
  }
}

function isSourceList(source: Source | readonly Source[]): source is readonly Source[] {
  return Array.isArray(source[0]);
}

function connection(source: Source): GaConnection {
  return { id: source[0], output_name: source[1] };
}
