import { caseArbitrary, fuzzCaseArbitrary, historyArbitrary } from '../../generators/case.js';
import { workflowCaseArbitrary, type WorkflowToolPool } from '../../generators/workflow.js';
import type { Case } from '../../src/model/case.js';
import type fc from 'fast-check';
import { DEFAULT_CONSTRAINTS, type GeneratorConstraints } from '../../generators/constraints.js';
import { PROPERTIES } from '../../properties/index.js';
import type { Profile } from '../../src/profiles/profile.js';
import type { SettingsPatch } from '../../src/profiles/settings.js';
import type { Finding } from '../../src/runner/finding.js';
import { runSuite, type SuiteResult } from '../../src/runner/run-suite.js';
import type { PlanMutation } from '../../src/runner/system-under-test.js';

export interface FuzzOptions {
  readonly settings?: SettingsPatch;
  readonly mutation?: PlanMutation;
  readonly properties?: readonly string[];
  readonly runs?: number;
  readonly seed?: number;
  readonly constraints?: Partial<GeneratorConstraints>;
  /** Which cases: tool executions (the default here), whole workflow invocations, or the CLI's default mix of both. */
  readonly cases?: 'tool' | 'workflow' | 'mixed';
  /** Workflow cases: real tools their tool steps may run. */
  readonly workflowTools?: WorkflowToolPool;
}

/** A seeded campaign on SQLite, for tests. */
export async function fuzz(profile: string | Profile, options: FuzzOptions = {}): Promise<SuiteResult> {
  const constraints = { ...DEFAULT_CONSTRAINTS, ...options.constraints };
  const properties = options.properties === undefined ? PROPERTIES : PROPERTIES.filter((p) => options.properties!.includes(p.id));
  const result = await runSuite({
    target: { profile, settings: options.settings ?? {}, dialect: 'sqlite', ...(options.mutation ? { mutation: options.mutation } : {}) },
    properties,
    caseArbitrary: ((): fc.Arbitrary<Case> => {
      if (options.cases === 'workflow') return workflowCaseArbitrary(constraints, options.workflowTools);
      if (options.cases === 'mixed') return fuzzCaseArbitrary(constraints);
      return caseArbitrary(constraints);
    })(),
    historyArbitrary: historyArbitrary(constraints),
    seed: options.seed ?? 42,
    runs: options.runs ?? 1500,
    shrinkTimeLimitMs: 5000,
    replayCommand: () => '',
  });
  if (result.error !== undefined) throw new Error(`campaign error: ${result.error.message}`);
  return result;
}

export function findingFor(result: SuiteResult, property: string): Finding | undefined {
  return result.findings.find((f) => f.property === property);
}
