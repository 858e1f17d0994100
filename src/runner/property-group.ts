import type fc from 'fast-check';
import type { Case } from '../model/case.js';
import type { Judgement } from './property.js';

/**
 * Properties that judge the same kind of evaluated input: execution
 * properties judge one case written and read back; the upgrade property
 * judges a history of cases written under a previous profile and upgraded.
 * A campaign runs one group.
 */
export interface PropertyGroup<T, E> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<T>;
  readonly properties: readonly { readonly id: string; check(evaluation: E): Judgement }[];
  /** Whether `evaluate` returns synchronously (the fast path on embedded SQLite). */
  readonly synchronous: boolean;
  evaluate(input: T): E | Promise<E>;
  /** Domain-level reduction after fast-check's shrinking (keeps only inputs that still fail). */
  reduce?(input: T, stillFails: (input: T) => Promise<boolean>, budgetMs: number): Promise<T>;
  /** The input's shape class, for fingerprints and coverage. */
  shapeClass(input: T, evaluation: E): string;
  /** Rows the input's execution wrote per table, for reports (the fixture excluded). */
  rowsWritten?(evaluation: E): Record<string, number>;
  /** How a finding records the input. */
  findingCases(input: T): { readonly case: Case; readonly history?: readonly Case[] };
}
