import { describeWorkflowSteps, requestBody } from '../../model/request-body.js';
import fc from 'fast-check';
import { fuzzCaseArbitrary } from '../../../generators/case.js';
import { lintProfile } from '../../lint/lint-profile.js';
import { openTarget, type TargetOptions } from '../../runner/open-target.js';
import type { Io } from '../io.js';

/** Examples the lint judges: generated cases of every shape (a fixed sample, so lint is deterministic). */
const EXAMPLES = 1000;

/** `cardfuzz lint`: unique constraints and scalar declarations against what the executor reaches; exit 1 on a conflict. */
export async function lintCommand(options: { readonly target: TargetOptions; readonly json: boolean }, io: Io): Promise<number> {
  const started = performance.now();
  const { system, database } = await openTarget(options.target);
  try {
    const examples = fc.sample(fuzzCaseArbitrary(), { numRuns: EXAMPLES, seed: 1 });
    const conflicts = await lintProfile(system, database.catalog, examples);
    const elapsed = performance.now() - started;
    if (options.json) {
      io.out(JSON.stringify({ profile: system.profile.name, conflicts, examples: EXAMPLES, elapsedMs: Math.round(elapsed) }, null, 2));
    } else {
      for (const c of conflicts) {
        io.out(`CONFLICT ${c.message}\n  shapes reaching it: ${c.shapes.join(', ')}\n  example request: ${JSON.stringify(requestBody(c.example).inputs)} (${c.example.entry === 'workflow-invocation' ? `workflow: ${describeWorkflowSteps(c.example)}` : `tool inputs ${c.example.tool.inputs.map((i) => `${i.name}:${i.type}`).join(', ') || 'none'}`}; ${c.example.history.datasets.length} datasets, ${c.example.history.collections.length} collections)\n`);
      }
      io.out(conflicts.length === 0 ? `ok: no conflict in profile ${system.profile.name} (${EXAMPLES} example cases, ${Math.round(elapsed)} ms)` : `${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'} in profile ${system.profile.name} (${Math.round(elapsed)} ms)`);
    }
    return conflicts.length > 0 ? 1 : 0;
  } finally {
    await database.close();
  }
}
