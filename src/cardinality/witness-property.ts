import type { Relationship } from '../coverage/coverage.js';
import type { Layouts } from '../executor/tables.js';
import { tablesUsedBy } from '../persistence/open-case-database.js';
import { executorSettingsOf } from '../profiles/settings.js';
import { defineExecutionProperty, type ExecutionProperty, type Violation } from '../runner/property.js';
import { mostChildren, parseRelationshipName } from './plan-rows.js';

/**
 * What replaying a cardinality witness means. A witness is a case that gives
 * one parent two or more children along a foreign key the map found loose;
 * its replay holds when the relationship still does (the model still writes
 * two children) and the case still persists with no relationship over that
 * foreign key declared scalar. A later UNIQUE, or a `uselist=False`
 * declaration, on a loose relationship then fails the gate with the witness;
 * a change of the model that makes the witness 1:1 fails it too (the map is
 * out of date). A profile that does not write the foreign key at all cannot
 * judge it ("not applicable", never "passes").
 */

export const WITNESS_PROPERTY_ID = 'cardinality-witness';

export function witnessRelationship(name: string): Relationship {
  const r = parseRelationshipName(name);
  if (r === null) throw new Error(`not a relationship name: ${name}`);
  return r;
}

export function witnessProperty(relationshipName: string): ExecutionProperty {
  const r = witnessRelationship(relationshipName);
  const violation = (kind: string, constraint: string | null, message: string): Violation => ({ kind, table: r.childTable, columns: [r.column], constraint, message });
  return defineExecutionProperty({
    id: WITNESS_PROPERTY_ID,
    summary: `${r.name} stays 1:N: the witness still gives one ${r.parentTable} two or more ${r.childTable} rows, and persists`,
    needs: {},
    notApplicable(system) {
      const tables = tablesUsedBy(executorSettingsOf(system.settings));
      if (!tables.includes(r.childTable as never) || !tables.includes(r.parentTable as never)) return `profile ${system.profile.name} writes no ${!tables.includes(r.childTable as never) ? r.childTable : r.parentTable} rows`;
      if (!system.executor.layouts[r.childTable as keyof Layouts].index.has(r.column)) return `profile ${system.profile.name} writes no ${r.childTable}.${r.column}`;
      return null;
    },
    check({ plan, outcome, system }) {
      const n = mostChildren(plan, r, system.executor.layouts);
      if (n < 2) return violation('witness-lost', r.name, `the witness no longer gives one ${r.parentTable} two ${r.childTable} rows (at most ${n}): ${r.name} may be 1:1 now; run cardfuzz cardinality again`);
      if (outcome.failure !== null) {
        const v = outcome.failure.violation;
        return { kind: v.kind, table: v.table, columns: v.columns, constraint: v.constraint, message: `${r.name} is 1:N (the witness gives one ${r.parentTable} ${n} ${r.childTable} rows), but the database refuses it: ${v.message}` };
      }
      const scalar = system.profile.relationships.find((d) => d.childTable === r.childTable && d.column === r.column && d.parentTable === r.parentTable && !d.uselist);
      if (scalar !== undefined) return violation('overfull-scalar', scalar.name, `${scalar.name} is declared scalar (uselist=False), but the witness gives one ${r.parentTable} ${n} ${r.childTable} rows`);
      return null;
    },
  });
}
