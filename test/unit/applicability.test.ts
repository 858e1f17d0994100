import { afterAll, describe, expect, it } from 'vitest';
import { PROPERTIES } from '../../properties/index.js';
import { notApplicableReason } from '../../src/runner/applicability.js';
import { openTarget, type Target } from '../../src/runner/open-target.js';
import { defineExecutionProperty, NOT_JUDGED } from '../../src/runner/property.js';

/**
 * "Not applicable" is computed from the opened schema and what the profile
 * writes, never from a profile's name: the same property applies wherever
 * its tables and columns are there and written.
 */

const opened: Target[] = [];
async function target(profile: string, settings: Record<string, string> = {}): Promise<Target> {
  const t = await openTarget({ profile, settings, dialect: 'sqlite' });
  opened.push(t);
  return t;
}
afterAll(async () => {
  for (const t of opened) await t.database.close();
});

const byId = (id: string) => PROPERTIES.find((p) => p.id === id)!;
const reasons = (t: Target) => Object.fromEntries(PROPERTIES.map((p) => [p.id, notApplicableReason(p, t.system, t.database.catalog)]).filter(([, r]) => r !== null));

describe('not applicable', () => {
  it('on upstream: the properties whose ToolExecutionState columns its schema lacks, and the upgrade with no previous profile', async () => {
    expect(reasons(await target('upstream'))).toEqual({
      'icj-supersedes-job-tes': 'the schema lacks job.tool_execution_state_id',
      'execution-state-reaches-its-jobs': 'the schema lacks tool_request.tool_execution_state_id, job.tool_execution_state_id, implicit_collection_jobs.tool_execution_state_id',
      'step-execution-keeps-one-state': 'the schema lacks workflow_invocation_step.tool_execution_state_id, implicit_collection_jobs.tool_execution_state_id',
      'migration-upgrades-any-history': 'profile upstream names no previous profile to upgrade from',
    });
  });

  it('on the branches: none, every table and column is there', async () => {
    expect(reasons(await target('branch-fixed'))).toEqual({});
    expect(reasons(await target('branch-1f87eebce'))).toEqual({});
  });

  it('where the schema has the column but the profile writes none of it', async () => {
    // The branch's schema under upstream's executor (a dump of the branch with the upstream profile, say).
    const branch = await target('branch-fixed');
    const upstream = await target('upstream');
    expect(notApplicableReason(byId('icj-supersedes-job-tes'), upstream.system, branch.database.catalog)).toBe('profile upstream writes no job.tool_execution_state_id');
  });

  it('names a missing table as a table, and a property none of whose readers can run', async () => {
    const t = await target('upstream');
    const teica = defineExecutionProperty({ id: 'planted', summary: '', needs: { columns: [['tool_execution_implicit_collection_association', 'tool_execution_state_id']] }, check: () => NOT_JUDGED });
    expect(notApplicableReason(teica, t.system, t.database.catalog)).toBe('the schema lacks table tool_execution_implicit_collection_association');
    const blind = defineExecutionProperty({ id: 'planted', summary: '', needs: { readers: ['ToolExecutionState.job', 'ToolExecutionState.output_collections'] }, check: () => NOT_JUDGED });
    expect(notApplicableReason(blind, t.system, t.database.catalog)).toBe('the schema lacks job.tool_execution_state_id, table tool_execution_implicit_collection_association: none of its readers can run');
    // One reader that can run is enough to apply: readers-agree is weakened on upstream, not blind.
    const weakened = defineExecutionProperty({ id: 'planted', summary: '', needs: { readers: ['ToolExecutionState.job', 'ToolRequest.jobs'] }, check: () => NOT_JUDGED });
    expect(notApplicableReason(weakened, t.system, t.database.catalog)).toBeNull();
  });
});
