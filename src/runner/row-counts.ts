import type { ExecutionPlan } from '../executor/execution.js';

/**
 * Rows the execution wrote per Galaxy table (the history fixture excluded),
 * counting only inserts that reached the database before a refused write.
 */
export function executionRowCounts(plan: ExecutionPlan, tables: readonly string[], failureIndex: number | null): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(tables.map((t) => [t, 0]));
  const end = failureIndex ?? plan.statements.length;
  for (let i = plan.fixtureStatements; i < end; i++) {
    const s = plan.statements[i]!;
    if (s.op === 'insert') counts[s.table] = (counts[s.table] ?? 0) + 1;
  }
  return counts;
}
