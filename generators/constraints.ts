/**
 * Size limits of the generated cases. Defaults keep cases small enough for
 * thousands per second while reaching every cardinality boundary.
 */
export interface GeneratorConstraints {
  /** Most parameters at one level of a tool. @defaultValue 4 */
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
}

export const DEFAULT_CONSTRAINTS: GeneratorConstraints = {
  maxParams: 4,
  maxBatchLength: 5,
  maxCollectionLength: 4,
  maxInnerLength: 3,
  maxDepth: 2,
  maxOutputs: 3,
  maxRepeats: 3,
};
