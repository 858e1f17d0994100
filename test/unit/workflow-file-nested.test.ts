import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowFileCaseArbitrary } from '../../generators/workflow-file-cases.js';
import type { JsonValue } from '../../src/model/case.js';
import { loadToolFile } from '../../src/tools/load-tool.js';
import { loadWorkflowFile } from '../../src/tools/load-workflow.js';
import type { CaseDatabase } from '../../src/persistence/case-database.js';
import type { SystemUnderTest } from '../../src/runner/system-under-test.js';
import { sqliteTarget } from '../helpers/targets.js';

/**
 * `run --workflow FILE --tool TOOL`: a workflow that connects into nested
 * parameters of a given tool (`cond|reads`, `opts|ref`, `extra_0|input`, as a
 * `.ga` and gxformat2 name them) runs them into the real tool's nested
 * parameters, in the when the step's saved state selects (modules.py
 * `ToolModule.execute`: `visit_input_values` with `prefixed_name`, run.py
 * `replacement_for_input`).
 */

const TOOL = loadToolFile('test/fixtures/workflows-nested/nested_params.xml').tool;
const FILES = ['test/fixtures/workflows-nested/nested-connections.ga', 'test/fixtures/workflows-nested/nested-connections.gxwf.yml'];

let target: { system: SystemUnderTest; database: CaseDatabase };
beforeAll(async () => {
  target = await sqliteTarget('branch-fixed');
});
afterAll(async () => {
  await target.database.close();
});

const isRef = (v: JsonValue | undefined): boolean => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as { readonly [k: string]: JsonValue };
  // A dataset, or a Batch of one collection the step maps over.
  return o['src'] === 'hda' || (o['__class__'] === 'Batch' && Array.isArray(o['values']) && o['values'].length === 1);
};

describe('run --workflow with a given tool: nested connections', () => {
  for (const file of FILES) {
    it(`${file}: keeps the prefixed names and the selected when, and the values reach the nested parameters of the request`, async () => {
      const loaded = loadWorkflowFile(file, [TOOL]);
      expect(loaded.notes).toEqual([]);
      const step = Object.values(loaded.workflow.steps).find((s) => s.type === 'tool')!;
      expect(Object.keys(step.input_connections ?? {}).sort()).toEqual(['cond|reads', 'extra_0|input', 'opts|ref']);
      expect(JSON.parse(step.tool_state!)).toMatchObject({ cond: { kind: 'many' } });
      const cases = fc.sample(workflowFileCaseArbitrary(loaded), { numRuns: 40, seed: 5 });
      let jobs = 0;
      for (const c of cases) {
        const plan = target.system.plan(c);
        const trace = plan.workflow!;
        expect(trace.refused).toBeNull();
        // An invocation fails only as Galaxy fails it: lists of unequal lengths mapped together.
        for (const i of trace.invocations.filter((x) => x.state === 'failed')) expect(i.message).toMatch(/these should be of equal length/);
        for (const s of trace.steps.filter((x) => x.type === 'tool')) {
          const request = s.request as { readonly [k: string]: JsonValue };
          const cond = request['cond'] as { readonly [k: string]: JsonValue };
          expect(cond['kind']).toBe('many');
          expect(isRef(cond['reads'])).toBe(true);
          expect(isRef((request['opts'] as { readonly [k: string]: JsonValue })['ref'])).toBe(true);
          expect(isRef((request['extra'] as readonly { readonly [k: string]: JsonValue }[])[0]!['input'])).toBe(true);
          // Nothing is left at top level under a prefixed or renamed name.
          expect(Object.keys(request).filter((k) => k.includes('|') || k.includes('__'))).toEqual([]);
          jobs += s.jobs.length;
        }
        expect((await target.database.runCase(plan)).failure).toBeNull();
      }
      expect(jobs).toBeGreaterThan(0);
    });
  }
});
