import { afterAll, describe, expect, it } from 'vitest';
import { generatorFingerprint } from '../generators/fingerprint.js';
import { PROPERTIES } from '../properties/index.js';
import { DEFAULT_REGRESSIONS_DIR, loadRegressionCases } from '../src/regression/regression-store.js';
import { propertyOfCase } from '../src/regression/replay-cases.js';
import { CaseJudge } from '../src/runner/case-judge.js';

/**
 * Every committed regression case is a test named by its property and
 * fingerprint (never its seed), asserting the verdict recorded for each
 * profile still holds.
 */
const loaded = await loadRegressionCases([DEFAULT_REGRESSIONS_DIR]);
const judge = new CaseJudge({ dialect: 'sqlite' });
afterAll(() => judge.close());

describe('committed regression cases', () => {
  it('are all readable and recorded by the current generators', () => {
    expect(loaded.problems).toEqual([]);
    const current = generatorFingerprint();
    expect(loaded.cases.filter((c) => c.regression.generatorFingerprint !== current).map((c) => c.file)).toEqual([]);
    expect(loaded.cases.length).toBeGreaterThan(0);
  });

  it.each(loaded.cases.map((c) => [`${c.regression.property} ${c.regression.fingerprint}`, c] as const))('%s keeps its recorded verdicts', async (_name, { regression }) => {
    const property = propertyOfCase(regression, PROPERTIES);
    expect(property, `property ${regression.property}`).toBeDefined();
    for (const [profile, expected] of Object.entries(regression.expected)) {
      const verdict = await judge.judge({ profile, settings: regression.settings, property: property!, case: regression.case, ...(regression.history ? { history: regression.history } : {}) });
      expect([profile, verdict.status]).toEqual([profile, expected]);
    }
  });
});
