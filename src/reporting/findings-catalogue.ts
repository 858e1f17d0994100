/**
 * What cardfuzz has found in Galaxy, entry by entry, as docs/findings.md
 * explains each one: the page's anchors, which campaign findings belong to
 * an entry, and what the Galaxy test that `export --format galaxy-test`
 * writes for it expects. `run`, `gate` and the nightly report link a hazard
 * property's finding to its entry; the export's docstring says which Galaxy
 * behaviour the test expects to fail today.
 */

export const FINDINGS_PAGE = 'docs/findings.md';

/** One line that `run`, `gate` and the nightly report print about the hazard properties. */
export const HAZARD_NOTE =
  'hazard properties report defects in upstream Galaxy code that a branch does not introduce: each is a finding about Galaxy, explained with its Galaxy test at docs/findings.md';

/**
 * The hazard properties: each reports a defect in upstream Galaxy code (the
 * properties carrying a `hazard` field; test/docs/findings-page.test.ts
 * checks that the two lists agree).
 */
export const HAZARD_PROPERTIES: readonly string[] = [
  'every-combination-runs-once',
  'implicit-jobs-have-representative',
  'execution-state-reaches-its-jobs',
  'invocation-finishes',
  'one-output-row-per-step-output',
];

export function isHazard(property: string): boolean {
  return HAZARD_PROPERTIES.includes(property);
}

/** What a report says next to a hazard property's finding. */
export function hazardNote(f: { readonly property: string; readonly violation: { readonly kind: string }; readonly shapeClass: string }): string {
  return `upstream Galaxy defect, not introduced by this branch: ${findingLink(f)}`;
}

/** Which campaign findings belong to an entry: the property, the violation kind and, where it tells entries apart, the shape class. */
export interface FindingMatch {
  readonly property: string;
  readonly kind: string;
  readonly shapes?: readonly string[];
}

export interface FindingEntry {
  /** The heading's anchor on the findings page. */
  readonly anchor: string;
  readonly title: string;
  /** Upstream Galaxy code, or only the branch of the ledger. */
  readonly origin: 'upstream' | 'branch-only';
  readonly matches: readonly FindingMatch[];
  /** What the exported Galaxy test asserts (what Galaxy should do) and what it expects to fail on Galaxy today. */
  readonly galaxyTest: { readonly expects: string; readonly failsToday: string };
}

export const FINDINGS: readonly FindingEntry[] = [
  {
    anchor: 'ledger-unique-job-execution-state',
    title: 'A Batch of two datasets violates UNIQUE(job.tool_execution_state_id)',
    origin: 'branch-only',
    matches: [
      { property: 'persists-without-constraint-violations', kind: 'unique' },
      { property: 'migration-upgrades-any-history', kind: 'unique' },
    ],
    galaxyTest: {
      expects: 'the tool request ends submitted with one job per dataset of the Batch',
      failsToday: 'on branch 1f87eebce the second job insert violates UNIQUE(job.tool_execution_state_id), so the tool request fails and the job count assertion fails',
    },
  },
  {
    anchor: 'extraction-duplicate-steps',
    title: 'Extracting a workflow by job and tool request ids yields two steps for one execution',
    origin: 'branch-only',
    matches: [{ property: 'extraction-one-step-per-execution', kind: 'duplicate-steps' }],
    galaxyTest: {
      expects: 'extracting by the job ids and the tool request id gives one tool step for the one tool request',
      failsToday: 'on branch 1f87eebce extract_steps_by_ids keeps both work items of one (tier, source_id), so the extracted workflow has two tool steps',
    },
  },
  {
    anchor: 's14-unlinked-batch-on-a-map-over',
    title: 'A map-over with an unlinked Batch runs M of M×N jobs and fills elements with other elements’ results (S14)',
    origin: 'upstream',
    matches: [
      { property: 'every-combination-runs-once', kind: 'combination-never-ran' },
      { property: 'every-combination-runs-once', kind: 'output-from-another-element', shapes: ['S14'] },
    ],
    galaxyTest: {
      expects: 'one job per parameter combination (M×N), each output element holding the result of its own input element',
      failsToday: 'Galaxy zips the M×N combinations with the M output elements (new_collection_execution_slices): M jobs run and the job count assertion fails',
    },
  },
  {
    anchor: 'crossed-map-over-pairing',
    title: 'A linked map-over crossed with an unlinked collection fills elements with other elements’ results',
    origin: 'upstream',
    matches: [{ property: 'every-combination-runs-once', kind: 'output-from-another-element' }],
    galaxyTest: {
      expects: 'each output element holds the result of the job that ran on that element’s own input elements',
      failsToday: 'combinations are ordered linked-first, the output structure unlinked-first, and the zip pairs them by position: the element pairing assertion fails',
    },
  },
  {
    anchor: 'workflow-step-without-outputs-reruns',
    title: 'A mapped workflow step whose tool has no outputs re-runs its first slices under partial scheduling',
    origin: 'upstream',
    matches: [
      { property: 'invocation-finishes', kind: 'never-finishes' },
      { property: 'every-combination-runs-once', kind: 'combination-ran-twice' },
    ],
    galaxyTest: {
      expects: 'the invocation, scheduled with a job cap, ends scheduled with one job per element of the mapped step',
      failsToday: 'the step re-runs the same first k elements at every scheduling iteration and never finishes: the invocation is never scheduled and the job count is wrong',
    },
  },
  {
    anchor: 'representative-job-of-an-empty-map-over',
    title: 'Extracting a workflow with the ICJ of an empty map-over answers 500 (representative_job)',
    origin: 'upstream',
    matches: [{ property: 'implicit-jobs-have-representative', kind: 'would-raise' }],
    galaxyTest: {
      expects: 'extracting a workflow by the implicit collection jobs id of the map-over answers without a server error (a workflow, or a 400 that names the empty map-over)',
      failsToday: 'extract_steps_by_ids calls representative_job unguarded; .one() raises NoResultFound on an ICJ without jobs and the API answers 500',
    },
  },
  {
    anchor: 'icj-of-a-map-over-without-outputs',
    title: 'A map-over whose tool has no outputs never inserts its ICJ; the execution state reaches none of its jobs',
    origin: 'branch-only',
    matches: [{ property: 'execution-state-reaches-its-jobs', kind: 'unreachable-job' }],
    galaxyTest: {
      expects: 'the tool request’s execution state has its implicit collection jobs row, holding every job of the request',
      failsToday: 'precreate_output_collections attaches the ICJ to the execution state only; with no output HDCA SQLAlchemy 2.0 never inserts it, so the ICJ assertion fails',
    },
  },
  {
    anchor: 'step-output-rows-written-twice',
    title: 'Invocation-step output rows written twice on a step’s first pass',
    origin: 'upstream',
    matches: [{ property: 'one-output-row-per-step-output', kind: 'duplicate-output-rows' }],
    galaxyTest: {
      expects: 'the invocation is scheduled with its jobs; the duplicate rows show only in a model-store export, which the test does not read yet',
      failsToday: 'nothing the API shows: invocation step outputs are keyed by name, so the second row is invisible there',
    },
  },
];

/** The entry a campaign's finding belongs to (the first entry that matches it). */
export function findingEntryFor(f: { readonly property: string; readonly violation: { readonly kind: string }; readonly shapeClass: string }): FindingEntry | undefined {
  return FINDINGS.find((e) => e.matches.some((m) => m.property === f.property && m.kind === f.violation.kind && (m.shapes === undefined || m.shapes.includes(f.shapeClass))));
}

/** Where the findings page explains a finding: its entry's anchor, else the page. */
export function findingLink(f: { readonly property: string; readonly violation: { readonly kind: string }; readonly shapeClass: string }): string {
  const entry = findingEntryFor(f);
  return entry === undefined ? FINDINGS_PAGE : `${FINDINGS_PAGE}#${entry.anchor}`;
}

/** The entries a property's findings belong to, as links (for a hazard property that found nothing in this run). */
export function propertyLinks(property: string): string[] {
  return FINDINGS.filter((e) => e.matches.some((m) => m.property === property)).map((e) => `${FINDINGS_PAGE}#${e.anchor}`);
}
