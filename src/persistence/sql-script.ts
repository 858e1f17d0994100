import type { ExecutionPlan } from '../executor/execution.js';
import type { Cell, Layouts } from '../executor/tables.js';

/** A cell as an SQL literal. */
export function sqlLiteral(value: Cell): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  return `'${value.replaceAll("'", "''")}'`;
}

/** The plan's writes as literal SQL statements, in order (fixture first). */
export function planAsSql(plan: ExecutionPlan, layouts: Layouts): string[] {
  return plan.statements.map((s) => {
    if (s.op === 'update') return `UPDATE "${s.table}" SET "${s.column}" = ${sqlLiteral(s.value)} WHERE "id" = ${s.id};`;
    const columns = layouts[s.table].columns;
    return `INSERT INTO "${s.table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${s.values.map(sqlLiteral).join(', ')});`;
  });
}
