import type fc from 'fast-check';
import type { Case } from '../model/case.js';
import { openUpgradeDatabase } from '../persistence/open-case-database.js';
import { upgradeSteps } from '../persistence/schema-plan.js';
import { resolveProfile } from '../profiles/resolve-profile.js';
import { campaignError, runCampaign, type CampaignError, type CampaignProgress, type CampaignResult } from './campaign.js';
import { executionGroup } from './execution-group.js';
import type { Finding } from './finding.js';
import { openTarget, type Target, type TargetOptions } from './open-target.js';
import type { AnyProperty, CaseEvaluation, ExecutionProperty, UpgradeProperty } from './property.js';
import { createSystemUnderTest, type SystemUnderTest } from './system-under-test.js';
import { notApplicableReason, upgradeNotApplicable } from './applicability.js';
import { schemaGaps, type SchemaGap } from './schema-gaps.js';
import { upgradeGroup } from './upgrade-group.js';

/**
 * A whole run over a profile: the execution properties' campaign, then the
 * upgrade property's campaign (when selected and the profile has a previous
 * profile), sharing the runs or the time between them. Never throws once the
 * target is open; cardfuzz errors come back in `error`.
 */

export interface SuiteOptions {
  readonly target: TargetOptions;
  /** The target, already open (it is then the caller's to close): the cardinality map judges its witnesses on the campaign's own database. */
  readonly opened?: Target;
  readonly properties: readonly AnyProperty[];
  readonly caseArbitrary: fc.Arbitrary<Case>;
  readonly historyArbitrary: fc.Arbitrary<readonly Case[]>;
  /** The cases use real tools (read from XML): shrinking may not change the tool. */
  readonly toolFixed?: boolean;
  readonly seed: number;
  readonly runs?: number;
  readonly timeLimitMs?: number;
  readonly shrinkTimeLimitMs?: number;
  readonly path?: string;
  readonly knownSignatures?: readonly string[];
  readonly onProgress?: (group: string, progress: CampaignProgress) => void;
  readonly onCaseEvaluation?: (evaluation: CaseEvaluation) => void;
  readonly onFinding?: (finding: Finding) => void;
  /** Called once the schema is open, with what it lacks that a selected, applicable property reads (see `schemaGaps`). */
  readonly onSchemaGaps?: (gaps: readonly SchemaGap[]) => void;
  readonly shouldStop?: () => boolean;
  /** See CampaignOptions.yieldEveryMs: lets signal handlers run during a synchronous campaign. */
  readonly yieldEveryMs?: number;
  readonly replayCommand: (finding: Omit<Finding, 'replay'>) => string;
}

export interface GroupReport {
  readonly name: string;
  readonly properties: readonly string[];
  readonly runs: number;
  readonly elapsedMs: number;
  /** Why the group did not run, when it did not. */
  readonly skipped: string | null;
  readonly stopReason: CampaignResult['stopReason'] | null;
  /** Per property, the inputs it judged. */
  readonly judged: Readonly<Record<string, number>>;
}

/**
 * A property's result in a run: failed (a finding), held (judged at least one
 * input and never failed), not applicable (judged none, and the schema lacks
 * what it needs to judge any: runner/applicability.ts), or not checked
 * (judged none though it could have: no input met its precondition, or its
 * campaign did not run).
 */
export interface PropertyCheck {
  readonly property: string;
  readonly status: 'failed' | 'held' | 'not-applicable' | 'not-checked';
  readonly judged: number;
  /** Why it was not applicable or not checked. */
  readonly reason?: string;
}

export interface SuiteResult {
  readonly system: SystemUnderTest;
  readonly findings: readonly Finding[];
  readonly runs: number;
  readonly elapsedMs: number;
  readonly interrupted: boolean;
  readonly groups: readonly GroupReport[];
  readonly error?: CampaignError;
  /** Databases that could not be closed cleanly (a PostgreSQL schema left behind, named): the run is not clean. */
  readonly closeErrors: readonly string[];
  /** Per selected property: failed, held or not checked, with the inputs it judged. */
  readonly checks: readonly PropertyCheck[];
  /** What the schema lacks that a selected, applicable property reads. */
  readonly schemaGaps: readonly SchemaGap[];
}

/**
 * Share of the budget the upgrade campaign gets when both groups run: each of
 * its inputs writes a whole history and runs the branch migrations (about 5 ms
 * on SQLite, against about 0.25 ms for an execution case), and the bugs it
 * looks for show up within tens of histories (at least 20 run).
 */
const UPGRADE_SHARE = 0.005;

export async function runSuite(options: SuiteOptions): Promise<SuiteResult> {
  const started = performance.now();
  const execution = options.properties.filter((p): p is ExecutionProperty => p.family === 'execution');
  const upgrade = options.properties.filter((p): p is UpgradeProperty => p.family === 'upgrade');
  const { system, database } = options.opened ?? (await openTarget(options.target));
  // A property that judges nothing where the schema lacks what it needs is not applicable; the others' gaps weaken them.
  const notApplicable = new Map(options.properties.map((p) => [p.id, notApplicableReason(p, system, database.catalog)]));
  const gaps = schemaGaps(database.catalog, options.properties.filter((p) => notApplicable.get(p.id) === null));
  options.onSchemaGaps?.(gaps);
  const groups: GroupReport[] = [];
  const findings: Finding[] = [];
  let error: SuiteResult['error'];
  const closeErrors: string[] = [];
  let interrupted = false;
  const both = execution.length > 0 && upgrade.length > 0;
  const share = (fraction: number) => ({
    ...(options.runs !== undefined ? { runs: Math.max(Math.min(options.runs, 20), Math.round(options.runs * fraction)) } : {}),
    ...(options.timeLimitMs !== undefined ? { timeLimitMs: Math.max(1, options.timeLimitMs * fraction) } : {}),
  });
  const common = {
    profile: system.profile.name,
    seed: options.seed,
    ...(options.shrinkTimeLimitMs !== undefined ? { shrinkTimeLimitMs: options.shrinkTimeLimitMs } : {}),
    ...(options.path !== undefined ? { path: options.path } : {}),
    ...(options.knownSignatures !== undefined ? { knownSignatures: options.knownSignatures } : {}),
    ...(options.shouldStop !== undefined ? { shouldStop: options.shouldStop } : {}),
    ...(options.yieldEveryMs !== undefined ? { yieldEveryMs: options.yieldEveryMs } : {}),
    ...(options.onFinding !== undefined ? { onFinding: options.onFinding } : {}),
    replayCommand: options.replayCommand,
  };
  const record = (name: string, properties: readonly { id: string }[], result: CampaignResult): void => {
    findings.push(...result.findings);
    groups.push({ name, properties: properties.map((p) => p.id), runs: result.runs, elapsedMs: result.elapsedMs, skipped: null, stopReason: result.stopReason, judged: result.judged });
    if (result.error !== undefined) error = result.error;
    interrupted ||= result.interrupted;
  };
  try {
    if (execution.length > 0) {
      const result = await runCampaign({
        ...common,
        ...share(both ? 1 - UPGRADE_SHARE : 1),
        group: executionGroup(system, database, options.caseArbitrary, execution, { toolFixed: options.toolFixed ?? false }),
        ...(options.onProgress ? { onProgress: (p: CampaignProgress) => options.onProgress!('execution', p) } : {}),
        ...(options.onCaseEvaluation ? { onEvaluation: options.onCaseEvaluation } : {}),
      });
      record('execution', execution, result);
    }
    if (upgrade.length > 0 && error === undefined && !(interrupted && options.shouldStop?.())) {
      const profile = system.profile;
      const skip = upgradeNotApplicable(profile);
      if (skip !== null) {
        groups.push({ name: 'upgrade', properties: upgrade.map((p) => p.id), runs: 0, elapsedMs: 0, skipped: skip, stopReason: null, judged: Object.fromEntries(upgrade.map((p) => [p.id, 0])) });
      } else {
        const previous = createSystemUnderTest(await resolveProfile(profile.previous!));
        const steps = upgradeSteps(previous.profile, profile, options.target.dialect);
        const upgradeDb = await openUpgradeDatabase(previous.databaseSpec(options.target.dialect), steps, {
          dialect: options.target.dialect,
          ...(options.target.databaseUrl === undefined ? {} : { databaseUrl: options.target.databaseUrl }),
        });
        try {
          const result = await runCampaign({
            ...common,
            ...share(both ? UPGRADE_SHARE : 1),
            group: upgradeGroup(previous, system, upgradeDb, options.historyArbitrary, upgrade, { toolFixed: options.toolFixed ?? false }),
            ...(options.onProgress ? { onProgress: (p: CampaignProgress) => options.onProgress!('upgrade', p) } : {}),
          });
          record('upgrade', upgrade, result);
        } finally {
          await upgradeDb.close().catch((e: unknown) => void closeErrors.push(campaignError(e).message));
        }
      }
    }
  } catch (e) {
    // Opening the upgrade database failed (the server went away, say): the findings so far are kept.
    error ??= campaignError(e);
  } finally {
    // A schema that cannot be dropped is reported (the run is not clean), without losing the findings.
    if (options.opened === undefined) await database.close().catch((e: unknown) => void closeErrors.push(campaignError(e).message));
  }
  return {
    system,
    findings,
    runs: groups.reduce((n, g) => n + g.runs, 0),
    elapsedMs: performance.now() - started,
    interrupted,
    groups,
    checks: propertyChecks(options.properties, groups, findings, gaps, notApplicable),
    schemaGaps: gaps,
    ...(error !== undefined ? { error } : {}),
    closeErrors,
  };
}

function propertyChecks(properties: readonly AnyProperty[], groups: readonly GroupReport[], findings: readonly Finding[], gaps: readonly SchemaGap[], notApplicable: ReadonlyMap<string, string | null>): PropertyCheck[] {
  return properties.map((p): PropertyCheck => {
    const group = groups.find((g) => g.properties.includes(p.id));
    const judged = group?.judged[p.id] ?? 0;
    if (findings.some((f) => f.property === p.id)) return { property: p.id, status: 'failed', judged };
    if (judged > 0) return { property: p.id, status: 'held', judged };
    // Only a property that judged nothing is not applicable: the reason never hides a judged case or a finding.
    const na = notApplicable.get(p.id) ?? null;
    if (na !== null) return { property: p.id, status: 'not-applicable', judged: 0, reason: na };
    const own = gaps.filter((g) => g.properties.includes(p.id)).map((g) => g.missing);
    const reason =
      group === undefined
        ? 'its campaign did not run'
        : group.skipped !== null
          ? group.skipped
          : `judged none of ${group.runs.toLocaleString('en-US')} input${group.runs === 1 ? '' : 's'}${own.length > 0 ? ` (the schema lacks ${own.join(', ')})` : ' (no input met its precondition)'}`;
    return { property: p.id, status: 'not-checked', judged: 0, reason };
  });
}

/** The properties a run did not check (though they apply), as note lines. */
export function notCheckedLines(checks: readonly PropertyCheck[]): string[] {
  return checks.filter((c) => c.status === 'not-checked').map((c) => `${c.property} not checked: ${c.reason ?? 'judged no input'}`);
}
