/**
 * The property ids, without loading the properties: the CLI offers them as
 * `--property` choices at startup. test/unit/property-ids.test.ts checks this
 * list against properties/index.ts, in order.
 */
export const PROPERTY_CHOICES = [
  'persists-without-constraint-violations',
  'rows-match-model',
  'declared-cardinality-holds',
  'readers-agree',
  'icj-supersedes-job-tes',
  'wis-targets-job-xor-icj',
  'extraction-one-step-per-execution',
  'every-combination-runs-once',
  'implicit-jobs-have-representative',
  'execution-state-reaches-its-jobs',
  'step-execution-keeps-one-state',
  'one-step-row-per-invocation-step',
  'connections-reach-upstream-outputs',
  'mapped-step-consumed-whole',
  'extraction-round-trip',
  'invocation-finishes',
  'one-output-row-per-step-output',
  'migration-upgrades-any-history',
] as const;
