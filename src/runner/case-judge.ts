import { DatabaseUnavailableError } from '../errors.js';
import type { Case } from '../model/case.js';
import { sqlDialect } from '../persistence/dialects/dialects.js';
import { openUpgradeDatabase } from '../persistence/open-case-database.js';
import type { UpgradeDatabase } from '../persistence/case-database.js';
import { upgradeSteps } from '../persistence/schema-plan.js';
import type { Profile } from '../profiles/profile.js';
import { resolveProfile } from '../profiles/resolve-profile.js';
import type { SettingsPatch } from '../profiles/settings.js';
import type { SqlDialectName } from '../schema/render-schema.js';
import { executionNotApplicable, upgradeNotApplicable } from './applicability.js';
import { caseRunOptions } from './execution-group.js';
import { openTarget, type Target } from './open-target.js';
import { NOT_JUDGED, type AnyProperty, type Judgement, type Violation } from './property.js';
import { createSystemUnderTest, type SystemUnderTest } from './system-under-test.js';

export type CaseVerdict =
  | { readonly status: 'fails'; readonly violation: Violation }
  | { readonly status: 'passes' }
  | { readonly status: 'not-applicable'; readonly reason: string };

/** A property's judgement as a case verdict: a case it cannot judge is not applicable, never a pass. */
function verdictOf(judgement: Judgement): CaseVerdict {
  if (judgement === NOT_JUDGED) return { status: 'not-applicable', reason: 'the property cannot judge this case on this profile (its precondition does not hold, or the schema lacks what it reads)' };
  return judgement === null ? { status: 'passes' } : { status: 'fails', violation: judgement };
}

/**
 * Judges stored cases one at a time — for replay, the gate and recording
 * expected verdicts — keeping one open database per profile and settings.
 */
export class CaseJudge {
  #dialect: SqlDialectName;
  #databaseUrl: string | undefined;
  #targets = new Map<string, Promise<Target>>();
  #upgrades = new Map<string, Promise<{ previous: SystemUnderTest; target: SystemUnderTest; database: UpgradeDatabase } | string>>();
  readonly #onFallback: ((reason: string) => void) | undefined;

  /**
   * `onFallback`: when the PostgreSQL server cannot be reached, judge on
   * SQLite instead (both dialects give the same verdicts, as
   * test/postgres/dialect-differential.test.ts checks) and say why, once —
   * for recording the findings of a run whose server went away.
   */
  constructor(options: { readonly dialect: SqlDialectName; readonly databaseUrl?: string; readonly onFallback?: (reason: string) => void }) {
    this.#dialect = options.dialect;
    this.#databaseUrl = options.databaseUrl;
    this.#onFallback = options.onFallback;
  }

  async judge(options: { readonly profile: string | Profile; readonly settings: SettingsPatch; readonly property: AnyProperty; readonly case: Case; readonly history?: readonly Case[] }): Promise<CaseVerdict> {
    try {
      return await this.#judge(options);
    } catch (error) {
      if (!(error instanceof DatabaseUnavailableError) || this.#onFallback === undefined || !sqlDialect(this.#dialect).needsServer) throw error;
      await this.close().catch(() => undefined);
      this.#dialect = 'sqlite';
      this.#databaseUrl = undefined;
      this.#targets = new Map();
      this.#upgrades = new Map();
      this.#onFallback(error.message);
      return this.#judge(options);
    }
  }

  async #judge(options: { readonly profile: string | Profile; readonly settings: SettingsPatch; readonly property: AnyProperty; readonly case: Case; readonly history?: readonly Case[] }): Promise<CaseVerdict> {
    const key = `${typeof options.profile === 'string' ? options.profile : `object:${options.profile.name}`}|${JSON.stringify(options.settings)}`;
    if (options.property.family === 'execution') {
      let target = this.#targets.get(key);
      if (target === undefined) {
        target = openTarget({ profile: options.profile, settings: options.settings, dialect: this.#dialect, ...(this.#databaseUrl === undefined ? {} : { databaseUrl: this.#databaseUrl }) });
        this.#targets.set(key, target);
      }
      const { system, database } = await target;
      const skip = executionNotApplicable(options.property, system, database.catalog);
      if (skip !== null) return { status: 'not-applicable', reason: skip };
      const plan = system.plan(options.case);
      const outcome = await database.runCase(plan, caseRunOptions([options.property]));
      return verdictOf(options.property.check({ case: options.case, plan, outcome, system }));
    }
    let upgrade = this.#upgrades.get(key);
    if (upgrade === undefined) {
      upgrade = this.#openUpgrade(options.profile, options.settings);
      this.#upgrades.set(key, upgrade);
    }
    const opened = await upgrade;
    if (typeof opened === 'string') return { status: 'not-applicable', reason: opened };
    const cases = options.history ?? [options.case];
    const plans = cases.map((c) => opened.previous.plan(c));
    const outcome = await opened.database.runUpgrade(plans);
    return verdictOf(options.property.check({ cases, plans, outcome, previous: opened.previous, target: opened.target }));
  }

  async #openUpgrade(profileOrName: string | Profile, settings: SettingsPatch): Promise<{ previous: SystemUnderTest; target: SystemUnderTest; database: UpgradeDatabase } | string> {
    const profile = typeof profileOrName === 'string' ? await resolveProfile(profileOrName) : profileOrName;
    const skip = upgradeNotApplicable(profile);
    if (skip !== null || profile.previous === undefined) return skip ?? `profile ${profile.name} names no previous profile to upgrade from`;
    const target = createSystemUnderTest(profile, settings);
    const previous = createSystemUnderTest(await resolveProfile(profile.previous));
    const database = await openUpgradeDatabase(previous.databaseSpec(this.#dialect), upgradeSteps(previous.profile, target.profile, this.#dialect), {
      dialect: this.#dialect,
      ...(this.#databaseUrl === undefined ? {} : { databaseUrl: this.#databaseUrl }),
    });
    return { previous, target, database };
  }

  /** Closes every database it opened, all of them even when one fails (the first failure is thrown). */
  async close(): Promise<void> {
    const opened = [...this.#targets.values(), ...this.#upgrades.values()];
    const closing = (await Promise.allSettled(opened)).map((result) => (result.status === 'fulfilled' && typeof result.value !== 'string' ? result.value.database.close() : Promise.resolve()));
    const failed = (await Promise.allSettled(closing)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }
}
