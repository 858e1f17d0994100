import { SHAPES, shapeClassOf, type ShapeId } from '../expansion/shape-classes.js';
import type { ExecutionPlan } from '../executor/execution.js';
import type { Layouts } from '../executor/tables.js';
import type { Case } from '../model/case.js';
import type { Catalog } from '../persistence/catalog.js';
import { reduceCase } from '../shrink/reduce-case.js';
import type { SystemUnderTest } from '../runner/system-under-test.js';

/**
 * A static cardinality check: every unique constraint of the schema and
 * every relationship the profile declares scalar, against the cardinalities
 * the executor model reaches on example cases — no database writes, no
 * fuzzing. A conflict names the constraint, the shape that reaches it and a
 * minimal example case.
 */

export interface LintConflict {
  readonly kind: 'unique' | 'scalar-relationship';
  readonly table: string;
  readonly columns: readonly string[];
  /** The constraint or index name, or the relationship's name. */
  readonly constraint: string;
  readonly shape: ShapeId;
  /** Every shape among the examples that reaches the conflict. */
  readonly shapes: readonly ShapeId[];
  readonly example: Case;
  readonly message: string;
}

interface Rule {
  readonly kind: LintConflict['kind'];
  readonly table: string;
  readonly columns: readonly string[];
  readonly constraint: string;
  readonly parent: string | null;
}

/** The rows a plan leaves behind, by table and id (inserts and later updates applied). */
function finalRows(plan: ExecutionPlan, layouts: Layouts, only: ReadonlySet<string>): Map<string, Map<number, Map<string, unknown>>> {
  const tables = new Map<string, Map<number, Map<string, unknown>>>();
  for (let i = plan.fixtureStatements; i < plan.statements.length; i++) {
    const s = plan.statements[i]!;
    if (!only.has(s.table)) continue;
    let rows = tables.get(s.table);
    if (rows === undefined) {
      rows = new Map();
      tables.set(s.table, rows);
    }
    if (s.op === 'insert') rows.set(s.values[0] as number, new Map(layouts[s.table].columns.map((c, i) => [c, s.values[i]])));
    else rows.get(s.id)?.set(s.column, s.value);
  }
  return tables;
}

/** How many rows share one value of the rule's columns, at most (NULLs never collide). */
function largestGroup(rule: Rule, rows: Map<string, Map<number, Map<string, unknown>>>): number {
  const groups = new Map<string, number>();
  for (const row of rows.get(rule.table)?.values() ?? []) {
    const values = rule.columns.map((c) => row.get(c));
    if (values.some((v) => v === null || v === undefined)) continue;
    const key = JSON.stringify(values);
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return Math.max(0, ...groups.values());
}

export function lintRules(system: SystemUnderTest, catalog: Catalog): Rule[] {
  const rules: Rule[] = [];
  for (const table of Object.keys(system.executor.layouts)) {
    const entry = catalog.get(table);
    for (const unique of entry?.uniques ?? []) {
      if (unique.origin === 'primary-key') continue;
      const fk = entry!.foreignKeys.find((f) => f.columns.length === 1 && unique.columns.length === 1 && f.columns[0] === unique.columns[0]);
      rules.push({ kind: 'unique', table, columns: unique.columns, constraint: unique.name ?? `UNIQUE(${unique.columns.join(', ')})`, parent: fk?.parentTable ?? null });
    }
  }
  for (const r of system.profile.relationships) {
    if (!r.uselist) rules.push({ kind: 'scalar-relationship', table: r.childTable, columns: [r.column], constraint: r.name, parent: r.parentTable });
  }
  return rules;
}

/**
 * Each conflict's example is reduced to the reduction's fixpoint: the model
 * alone judges it, in milliseconds. The time budget is only a safety net;
 * at 100 ms a loaded machine stopped the reduction early, and the same
 * profile printed another example (S3 for S2).
 */
const REDUCE_SAFETY_BUDGET_MS = 10_000;

export async function lintProfile(system: SystemUnderTest, catalog: Catalog, examples: readonly Case[], reduceBudgetMs = REDUCE_SAFETY_BUDGET_MS): Promise<LintConflict[]> {
  const rules = lintRules(system, catalog);
  const layouts = system.executor.layouts;
  const tables = new Set(rules.map((r) => r.table));
  const reached = new Map<Rule, { smallest: Case; group: number; shapes: Set<ShapeId> }>();
  for (const example of examples) {
    const plan = system.plan(example);
    const rows = finalRows(plan, layouts, tables);
    for (const rule of rules) {
      const group = largestGroup(rule, rows);
      if (group < 2) continue;
      const shape = shapeClassOf(example, plan.expansion);
      const seen = reached.get(rule);
      if (seen === undefined) reached.set(rule, { smallest: example, group, shapes: new Set([shape]) });
      else {
        seen.shapes.add(shape);
        if (JSON.stringify(example).length < JSON.stringify(seen.smallest).length) seen.smallest = example;
      }
    }
  }
  const conflicts: LintConflict[] = [];
  for (const [rule, seen] of reached) {
    const stillReaches = (c: Case): boolean => largestGroup(rule, finalRows(system.plan(c), layouts, tables)) >= 2;
    const example = (await reduceCase(seen.smallest, stillReaches, reduceBudgetMs)).case;
    const plan = system.plan(example);
    const shape = shapeClassOf(example, plan.expansion);
    const group = largestGroup(rule, finalRows(plan, layouts, tables));
    const target = `${rule.table}.${rule.columns.join(', ')}`;
    const declared = rule.kind === 'unique' ? `UNIQUE(${target}) [${rule.constraint}]` : `${rule.constraint} is declared scalar (uselist=False, read from ${target})`;
    const what = rule.parent !== null ? `points ${group} ${rule.table} rows at one ${rule.parent}` : `writes ${group} ${rule.table} rows with the same ${rule.columns.join(', ')}`;
    conflicts.push({
      kind: rule.kind,
      table: rule.table,
      columns: rule.columns,
      constraint: rule.constraint,
      shape,
      shapes: [...seen.shapes].sort(),
      example,
      message: `${declared}, but ${SHAPES[shape].replace(/^./, (c) => c.toLowerCase())} (${shape}) ${what}`,
    });
  }
  return conflicts.sort((a, b) => a.table.localeCompare(b.table) || a.constraint.localeCompare(b.constraint));
}
