/**
 * Size limits of the generated cases. Defaults keep cases small enough for
 * thousands per second while reaching every cardinality boundary.
 */
export interface GeneratorConstraints {
  /** Most parameters at one level of a tool. @defaultValue 3 */
  readonly maxParams: number;
  /** Most values in a Batch. @defaultValue 5 */
  readonly maxBatchLength: number;
  /** Most elements of an outer collection. @defaultValue 4 */
  readonly maxCollectionLength: number;
  /** Most elements of a nested (inner) collection. @defaultValue 3 */
  readonly maxInnerLength: number;
  /** Deepest nesting of sections and conditionals. @defaultValue 2 */
  readonly maxDepth: number;
  /** Most tool outputs. @defaultValue 3 */
  readonly maxOutputs: number;
  /** Most repeat instances. @defaultValue 3 */
  readonly maxRepeats: number;
  /** Fewest tool outputs. @defaultValue 0 */
  readonly minOutputs: number;
  /** Fewest values in a plain Batch (1 rules out empty Batches). @defaultValue 0 */
  readonly minBatchLength: number;
  /** Fewest elements of a collection (1 rules out empty collections). @defaultValue 0 */
  readonly minCollectionLength: number;
  /** Whether outputs may carry filters (which can remove every output). @defaultValue true */
  readonly outputFilters: boolean;
  /** Entry points to generate. @defaultValue all three */
  readonly entries: readonly ('tool-request' | 'legacy' | 'workflow-step')[];
}

export const DEFAULT_CONSTRAINTS: GeneratorConstraints = {
  maxParams: 3,
  maxBatchLength: 5,
  maxCollectionLength: 4,
  maxInnerLength: 3,
  maxDepth: 2,
  maxOutputs: 3,
  maxRepeats: 3,
  minOutputs: 0,
  minBatchLength: 0,
  minCollectionLength: 0,
  outputFilters: true,
  entries: ['tool-request', 'legacy', 'workflow-step'],
};
