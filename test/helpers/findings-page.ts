import { galaxyWorkflowApiTest, workflowExpectations } from '../../src/reporting/galaxy-workflow-test.js';
import { fuzzCaseArbitrary, historyArbitrary } from '../../generators/case.js';
import { PROPERTIES } from '../../properties/index.js';
import { formatFinding } from '../../src/cli/format-finding.js';
import { resolveProfile } from '../../src/profiles/resolve-profile.js';
import { FINDINGS, FINDINGS_PAGE, findingEntryFor, type FindingEntry } from '../../src/reporting/findings-catalogue.js';
import { galaxyApiTest, galaxyChecksFor } from '../../src/reporting/galaxy-test.js';
import type { Finding } from '../../src/runner/finding.js';
import { runSuite } from '../../src/runner/run-suite.js';
import { createSystemUnderTest } from '../../src/runner/system-under-test.js';

/**
 * What docs/findings.md shows for each finding, computed afresh: the
 * campaigns of `cardfuzz run --profile P --hazards --seed S` (the same
 * runSuite call, in process), each finding filed under its entry, the
 * profiles each entry fails on, its minimal case(s) as run prints them, and
 * the assertions of the Galaxy test that export --format galaxy-test writes.
 */

export const PAGE_PROFILES = ['upstream', 'branch-1f87eebce', 'branch-fixed'] as const;
export const PAGE_SEEDS = [1, 2, 20] as const;

/** The campaign whose finding is shown as an entry's minimal case. */
export const CASE_CAMPAIGN: Readonly<Record<string, { readonly profile: string; readonly seed: number }>> = {
  'ledger-unique-job-execution-state': { profile: 'branch-1f87eebce', seed: 1 },
  'extraction-duplicate-steps': { profile: 'branch-1f87eebce', seed: 1 },
  's14-unlinked-batch-on-a-map-over': { profile: 'upstream', seed: 1 },
  'crossed-map-over-pairing': { profile: 'upstream', seed: 20 },
  'workflow-step-without-outputs-reruns': { profile: 'upstream', seed: 1 },
  'representative-job-of-an-empty-map-over': { profile: 'upstream', seed: 1 },
  'icj-of-a-map-over-without-outputs': { profile: 'branch-fixed', seed: 1 },
  'step-output-rows-written-twice': { profile: 'upstream', seed: 1 },
};

export function campaignCommand(profile: string, seed: number): string {
  return `npx cardfuzz run --profile ${profile} --hazards --seed ${seed}`;
}

/** `cardfuzz run --profile P --hazards --seed S`: every property, 2,000 cases, default generators. */
export async function campaign(profile: string, seed: number): Promise<readonly Finding[]> {
  const resolved = await resolveProfile(profile);
  const result = await runSuite({
    target: { profile: resolved, settings: {}, dialect: 'sqlite' },
    properties: PROPERTIES,
    caseArbitrary: fuzzCaseArbitrary(),
    historyArbitrary: historyArbitrary(),
    seed,
    runs: 2000,
    replayCommand: () => '',
  });
  if (result.error !== undefined) throw new Error(`campaign error: ${result.error.message}`);
  return result.findings;
}

/** A finding as run prints it, less what changes with the machine (shrink count, replay) and the rows. */
export function caseBlock(f: Finding, command: string): string {
  const lines = formatFinding(f).split('\n');
  const kept = lines.filter((l) => !/^ {2}(profile |rows written:|replay:)/.test(l));
  return [`$ ${command}`, ...kept].join('\n');
}

/** The lines of the exported Galaxy test that state what it expects. */
export function testBlock(f: Finding): string | null {
  if (f.case.entry === 'workflow-step') return null;
  if (f.case.entry === 'workflow-invocation') {
    const lines = exportedWorkflowTest(f).split('\n');
    return lines.filter((l) => /^EXPECTED_(INVOCATIONS|STATES|JOBS) = /.test(l) || /^Expected to FAIL on Galaxy today: /.test(l)).join('\n');
  }
  const system = createSystemUnderTest(PROFILE_CACHE.get(f.profile)!, f.settings ?? {});
  const plan = system.plan(f.case);
  const exported = galaxyApiTest(f.case, { title: `${f.property} ${f.fingerprint} on ${f.profile}`, violation: f.violation.message, slug: f.fingerprint, expectedJobs: plan.intent.combinations, checks: galaxyChecksFor(plan, f) });
  const lines = exported.test.text.split('\n');
  const wanted = lines.filter((l) => /^(EXPECTED_JOBS|MAPPED_AXES) = /.test(l) || /^ {12}(self\._assert_(?!status)|assert len\(jobs\))/.test(l) || /^Expected to FAIL on Galaxy today: /.test(l));
  return wanted.map((l) => l.trim()).join('\n');
}

/** The Galaxy test `export --format galaxy-test` writes for a workflow invocation finding. */
export function exportedWorkflowTest(f: Finding): string {
  if (f.case.entry !== 'workflow-invocation') throw new Error('not a workflow invocation finding');
  const plan = createSystemUnderTest(PROFILE_CACHE.get(f.profile)!, f.settings ?? {}).plan(f.case);
  const entry = findingEntryFor(f);
  return galaxyWorkflowApiTest(f.case, {
    title: `${f.property} ${f.fingerprint} on ${f.profile}`,
    violation: f.violation.message,
    slug: f.fingerprint,
    expected: workflowExpectations(plan.workflow!),
    ...(entry === undefined ? {} : { finding: { expects: entry.galaxyTest.expects, failsToday: entry.galaxyTest.failsToday, link: `${FINDINGS_PAGE}#${entry.anchor}` } }),
  }).test.text;
}

export function exportedTest(f: Finding): string {
  if (f.case.entry === 'workflow-invocation') return exportedWorkflowTest(f);
  const system = createSystemUnderTest(PROFILE_CACHE.get(f.profile)!, f.settings ?? {});
  const plan = system.plan(f.case);
  return galaxyApiTest(f.case, { title: `${f.property} ${f.fingerprint} on ${f.profile}`, violation: f.violation.message, slug: f.fingerprint, expectedJobs: plan.intent.combinations, checks: galaxyChecksFor(plan, f) }).test.text;
}

const PROFILE_CACHE = new Map<string, Awaited<ReturnType<typeof resolveProfile>>>();

export interface PageFacts {
  readonly failsOn: ReadonlyMap<string, readonly string[]>;
  /** Per entry, its findings from the entry's own campaign. */
  readonly cases: ReadonlyMap<string, readonly Finding[]>;
  /** Campaign findings no entry explains. */
  readonly unexplained: readonly Finding[];
  /** The fingerprints each campaign found, by `profile seed`. */
  readonly fingerprints: ReadonlyMap<string, readonly string[]>;
}

export async function pageFacts(): Promise<PageFacts> {
  const failsOn = new Map<string, string[]>(FINDINGS.map((e) => [e.anchor, []]));
  const cases = new Map<string, Finding[]>(FINDINGS.map((e) => [e.anchor, []]));
  const unexplained: Finding[] = [];
  const fingerprints = new Map<string, string[]>();
  for (const profile of PAGE_PROFILES) {
    PROFILE_CACHE.set(profile, await resolveProfile(profile));
    for (const seed of PAGE_SEEDS) {
      const found = await campaign(profile, seed);
      fingerprints.set(`${profile} ${seed}`, found.map((f) => f.fingerprint).sort());
      for (const f of found) {
        const entry: FindingEntry | undefined = findingEntryFor(f);
        if (entry === undefined) {
          unexplained.push(f);
          continue;
        }
        const profiles = failsOn.get(entry.anchor)!;
        if (!profiles.includes(profile)) profiles.push(profile);
        const own = CASE_CAMPAIGN[entry.anchor];
        if (own?.profile === profile && own.seed === seed) cases.get(entry.anchor)!.push(f);
      }
    }
  }
  return { failsOn, cases, unexplained, fingerprints };
}

/** The page's generated fragments: `case:ANCHOR`, `test:ANCHOR` and `failsOn:ANCHOR`. */
export function fragments(facts: PageFacts): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of FINDINGS) {
    const own = CASE_CAMPAIGN[entry.anchor]!;
    const found = facts.cases.get(entry.anchor) ?? [];
    out.set(`failsOn:${entry.anchor}`, (facts.failsOn.get(entry.anchor) ?? []).map((p) => `\`${p}\``).join(', '));
    out.set(`case:${entry.anchor}`, '```text\n' + found.map((f) => caseBlock(f, campaignCommand(own.profile, own.seed))).join('\n\n') + '\n```');
    const tests = [...new Set(found.map((f) => testBlock(f)).filter((t): t is string => t !== null))];
    if (tests.length > 0) out.set(`test:${entry.anchor}`, '```python\n' + tests.join('\n\n') + '\n```');
  }
  return out;
}
