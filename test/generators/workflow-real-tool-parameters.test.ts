import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowCaseArbitrary } from '../../generators/workflow.js';
import { DEFAULT_CONSTRAINTS } from '../../generators/constraints.js';
import type { JsonValue } from '../../src/model/case.js';
import { parameterInputTypeFor } from '../../src/model/connection-match.js';
import { inputAtPrefixedName } from '../../src/model/tool.js';
import type { GaWorkflow, WorkflowCase } from '../../src/model/workflow.js';
import { parseCase } from '../../src/model/parse-case.js';
import { loadToolFile } from '../../src/tools/load-tool.js';
import type { CaseDatabase } from '../../src/persistence/case-database.js';
import type { SystemUnderTest } from '../../src/runner/system-under-test.js';
import { sqliteTarget } from '../helpers/targets.js';

/**
 * Generated workflows connect parameter inputs to real tools' scalar
 * parameters, at top level and nested (a section, a conditional's when, a
 * repeat instance), each from a parameter input of the type Galaxy lets
 * connect to it (a select from a text input), and the input's value reaches
 * the parameter in the step's request.
 */

const MAP_AND_BATCH = loadToolFile('test/fixtures/tools/map_and_batch.xml').tool;
const PAIRS = loadToolFile('test/fixtures/workflow-tools/pairs_in_section.xml').tool;
const NESTED = loadToolFile('test/fixtures/workflows-nested/nested_params.xml').tool;
const POOL = { tools: [MAP_AND_BATCH, PAIRS, NESTED], only: true };

let target: { system: SystemUnderTest; database: CaseDatabase };
beforeAll(async () => {
  target = await sqliteTarget('branch-fixed');
});
afterAll(async () => {
  await target.database.close();
});

interface ParameterConnection {
  readonly tool: string;
  readonly name: string;
  readonly parameterType: string;
  /** The input step's order index in the top-level workflow, when it is there. */
  readonly inputStep: number | null;
  /** The step's state (which when its conditionals select). */
  readonly state: { readonly [key: string]: JsonValue };
}

function parameterConnections(c: WorkflowCase): ParameterConnection[] {
  const out: ParameterConnection[] = [];
  const walk = (w: GaWorkflow, top: boolean): void => {
    for (const s of Object.values(w.steps)) {
      if (s.subworkflow !== undefined) walk(s.subworkflow, false);
      if (s.type !== 'tool') continue;
      for (const [name, conn] of Object.entries(s.input_connections ?? {})) {
        const from = w.steps[String((Array.isArray(conn) ? conn[0] : conn).id)]!;
        if (from.type !== 'parameter_input' || name === 'when') continue;
        out.push({ tool: s.tool_id!, name, parameterType: (JSON.parse(from.tool_state!) as { parameter_type: string }).parameter_type, inputStep: top ? from.id : null, state: JSON.parse(s.tool_state ?? '{}') as { readonly [key: string]: JsonValue } });
      }
    }
  };
  walk(c.workflow, true);
  return out;
}

function at(request: JsonValue, name: string): JsonValue | undefined {
  let level: JsonValue | undefined = request;
  for (const part of name.split('|')) {
    const repeat = /^(.*)_(\d+)$/.exec(part);
    const o = level as { readonly [k: string]: JsonValue } | undefined;
    if (o !== undefined && o !== null && typeof o === 'object' && !Array.isArray(o) && part in o) level = o[part];
    else if (repeat !== null && o !== undefined && o !== null && Array.isArray(o[repeat[1]!])) level = (o[repeat[1]!] as readonly JsonValue[])[Number(repeat[2])];
    else return undefined;
  }
  return level;
}

describe('generated workflows: parameter inputs into real tools\' scalar parameters', () => {
  const cases = fc.sample(workflowCaseArbitrary(DEFAULT_CONSTRAINTS, POOL), { numRuns: 300, seed: 11 });

  it('connects a parameter input of the type Galaxy accepts to top-level and nested scalar parameters', () => {
    const seen = new Set<string>();
    for (const c of cases) {
      expect(parseCase(JSON.parse(JSON.stringify(c)))).toEqual(c);
      for (const p of parameterConnections(c)) {
        const tool = [MAP_AND_BATCH, PAIRS, NESTED].find((t) => t.id === p.tool)!;
        const input = inputAtPrefixedName(tool.inputs, p.name, p.state);
        expect(input, `${p.tool} ${p.name}`).toBeDefined();
        expect(p.parameterType).toBe(parameterInputTypeFor(input!));
        seen.add(`${p.tool} ${p.name} <- ${p.parameterType}`);
      }
    }
    for (const s of [
      `${MAP_AND_BATCH.id} lines <- integer`,
      `${PAIRS.id} opts|trim <- boolean`,
      `${NESTED.id} opts|lines <- integer`,
      `${NESTED.id} cond|threshold <- float`,
      `${NESTED.id} extra_0|label <- text`,
      `${NESTED.id} mode <- text`,
    ]) expect(seen).toContain(s);
  });

  it('runs every invocation, the parameter input\'s value reaching the parameter in the step\'s request, in subworkflows too', async () => {
    let reached = 0;
    let nested = 0;
    let inner = 0;
    let jobs = 0;
    for (const c of cases) {
      const plan = target.system.plan(c);
      const trace = plan.workflow!;
      expect(trace.refused).toBeNull();
      // No step fails; the one failure a generator may ask for is an input collection whose population failed (collection_failed).
      expect(trace.invocations.filter((i) => i.state === 'failed' && i.message !== 'collection_failed').map((i) => i.message)).toEqual([]);
      for (const step of trace.steps.filter((s) => s.type === 'tool' && s.request !== null)) {
        for (const k of step.connections.filter((x) => x.input !== 'when' && x.value?.kind === 'parameter')) {
          expect(at(step.request!, k.input), `${step.toolId} ${k.input}`).toEqual((k.value as { value: JsonValue }).value);
          // And so the job's parameters: every combination the step runs carries the value.
          const expansion = step.expansion;
          if (expansion?.ok === true) {
            const index = expansion.params.findIndex((x) => x.key === k.input);
            expect(index, `${step.toolId} ${k.input} expanded`).toBeGreaterThanOrEqual(0);
            for (const combination of expansion.combinations) expect(combination[index]).toEqual({ kind: 'scalar', value: (k.value as { value: JsonValue }).value });
            jobs += step.jobs.length;
          }
          reached++;
          if (k.input.includes('|')) nested++;
          if (trace.invocations.find((i) => i.id === step.invocationId)?.parentId !== null) inner++;
        }
      }
      // The top-level parameter inputs' values are the invocation's.
      for (const p of parameterConnections(c).filter((x) => x.inputStep !== null)) expect(c.invocation.inputs[String(p.inputStep)]).toBeDefined();
      expect((await target.database.runCase(plan)).failure).toBeNull();
    }
    expect(reached).toBeGreaterThan(20);
    expect(nested).toBeGreaterThan(10);
    expect(inner).toBeGreaterThan(0);
    expect(jobs).toBeGreaterThan(20);
  });
});
