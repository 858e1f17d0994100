import { describe, expect, it } from 'vitest';
import { findBuiltinProfile } from '../../src/profiles/builtin-profiles.js';
import { createSystemUnderTest } from '../../src/runner/system-under-test.js';
import { batch, data, hda, makeCase } from '../helpers/cases.js';

/** The executor's intent is read off what Galaxy's code wrote, before the ORM semantics change anything. */
describe('executor intent', () => {
  const plainBatch = makeCase({ inputs: [data('input1')], outputs: [], datasets: 3, request: { input1: batch([hda(1), hda(2), hda(3)]) } });

  it('keeps the TES stamp on every job of a plain Batch while the re-pointing scalar back-populate unlinks all but the last', () => {
    const system = createSystemUnderTest(findBuiltinProfile('branch-1f87eebce')!, { 'orm.scalarReplace': 'repoint' });
    const plan = system.plan(plainBatch);
    // What the code meant: one job per value, each stamped with the request's one TES (execute.py l.259-262).
    expect(plan.intent.jobs.map((j) => [j.combination, j.tesId])).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
    ]);
    // What reaches the database: each later stamp re-points TES.job, so the earlier jobs' column is written NULL.
    const jobInserts = plan.statements.filter((s) => s.op === 'insert' && s.table === 'job');
    expect(jobInserts).toHaveLength(3);
    const tesColumn = system.executor.layouts.job.columns.indexOf('tool_execution_state_id');
    expect(jobInserts.map((s) => (s.op === 'insert' ? s.values[tesColumn] : undefined))).toEqual([null, null, 1]);
  });

  it('writes the same rows and intent whichever ORM semantics only differ in what they re-point', () => {
    const raise = createSystemUnderTest(findBuiltinProfile('branch-1f87eebce')!, { 'orm.scalarReplace': 'raise' }).plan(plainBatch);
    const repoint = createSystemUnderTest(findBuiltinProfile('branch-1f87eebce')!, { 'orm.scalarReplace': 'repoint' }).plan(plainBatch);
    expect(repoint.intent).toEqual(raise.intent);
    expect(raise.statements).not.toEqual(repoint.statements);
  });
});
