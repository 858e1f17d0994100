import type { TableName } from './tables.js';

/**
 * A relationship as the ORM declares it: the parent's back-populate reads the
 * child rows whose `column` points at the parent. `uselist: false` declares it
 * scalar (at most one child), whether or not a database constraint enforces it.
 */
export interface RelationshipDeclaration {
  /** `Parent.attribute`, e.g. `ToolExecutionState.job`. */
  readonly name: string;
  readonly parentTable: TableName;
  readonly childTable: TableName;
  readonly column: string;
  readonly uselist: boolean;
}

/** What the ORM does when a second child is assigned to a scalar relationship (galaxy-semantics §0.1(4), §7.1 Q1). */
export type ScalarReplace = 'raise' | 'repoint';

export function relationshipKey(childTable: string, column: string): string {
  return `${childTable}.${column}`;
}
