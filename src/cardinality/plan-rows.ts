import type { ExecutionPlan } from '../executor/execution.js';
import type { Layouts } from '../executor/tables.js';
import type { Relationship } from '../coverage/coverage.js';

/**
 * The rows one plan leaves behind (inserts with later updates applied), and
 * how many children each parent has along one foreign key. Pure: the map's
 * observer, the witness shrinker and the witness replay all count children
 * the same way, from the model's statements.
 */

export interface PlanRow {
  /** The insert's values, copied on the first update (the plan's own arrays are never changed). */
  values: readonly unknown[];
  copied: boolean;
  /** Written by the history fixture, not by the execution. */
  readonly fixture: boolean;
}

export type PlanRows = Map<string, Map<number, PlanRow>>;

export function planRows(plan: ExecutionPlan, layouts: Layouts): PlanRows {
  const rows: PlanRows = new Map();
  const statements = plan.statements;
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i]!;
    let table = rows.get(s.table);
    if (table === undefined) {
      table = new Map();
      rows.set(s.table, table);
    }
    if (s.op === 'insert') table.set(s.values[0] as number, { values: s.values, copied: false, fixture: i < plan.fixtureStatements });
    else {
      const row = table.get(s.id);
      const index = layouts[s.table].index.get(s.column);
      if (row === undefined || index === undefined) continue;
      if (!row.copied) {
        row.values = row.values.slice();
        row.copied = true;
      }
      (row.values as unknown[])[index] = s.value;
    }
  }
  return rows;
}

/**
 * Children per parent id along `relationship` (parents with none are absent),
 * counting the child rows the execution writes: the history fixture (input
 * datasets and collections, the invocation a workflow step runs in) is
 * cardfuzz's own set-up, not Galaxy's writer.
 */
export function childrenPerParent(rows: PlanRows, relationship: Relationship, layouts: Layouts, into: Map<unknown, number> = new Map()): Map<unknown, number> {
  const children = into;
  children.clear();
  const index = layouts[relationship.childTable as keyof Layouts]?.index.get(relationship.column);
  if (index === undefined) return children;
  const table = rows.get(relationship.childTable);
  if (table === undefined) return children;
  for (const row of table.values()) {
    if (row.fixture) continue;
    const parent = row.values[index];
    if (parent !== null && parent !== undefined) children.set(parent, (children.get(parent) ?? 0) + 1);
  }
  return children;
}

/** The most children one parent has along `relationship` in this plan. */
export function mostChildren(plan: ExecutionPlan, relationship: Relationship, layouts: Layouts): number {
  let most = 0;
  for (const n of childrenPerParent(planRows(plan, layouts), relationship, layouts).values()) if (n > most) most = n;
  return most;
}

/** Parses `child.column -> parent`, the name coverage and the map give a foreign key. */
export function parseRelationshipName(name: string): Relationship | null {
  const m = /^([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*) -> ([a-z_][a-z0-9_]*)$/.exec(name);
  return m === null ? null : { name, childTable: m[1]!, column: m[2]!, parentTable: m[3]! };
}
