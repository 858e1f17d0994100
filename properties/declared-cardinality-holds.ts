import { defineExecutionProperty, NOT_JUDGED } from '../src/runner/property.js';

/**
 * No relationship the profile declares scalar (`uselist=False`) has two rows
 * on its many side — checked on the rows themselves, so it holds the schema
 * to the ORM's declarations even where no database constraint enforces them
 * (a database created from the ORM metadata has none of the migrations' UNIQUEs).
 */
export const declaredCardinalityHolds = defineExecutionProperty({
  id: 'declared-cardinality-holds',
  summary: 'no relationship declared scalar (uselist=False) ever has two rows on its many side',
  needs: { overfull: true },
  check({ outcome, system }) {
    // Nothing counted: the write was refused, or the schema has none of the scalar relationships' columns.
    if (outcome.overfull === null || !system.profile.relationships.some((r) => !r.uselist && system.executor.layouts[r.childTable].index.has(r.column))) return NOT_JUDGED;
    const over = outcome.overfull[0];
    if (over === undefined) return null;
    const declaration = system.profile.relationships.find((r) => r.name === over.relationship);
    return {
      kind: 'overfull-scalar',
      table: declaration?.childTable ?? null,
      columns: declaration ? [declaration.column] : [],
      constraint: over.relationship,
      message: `${over.relationship} is declared scalar (uselist=False) but ${declaration?.parentTable ?? 'parent'} ${over.parentId} has ${over.children} ${declaration?.childTable ?? ''} rows pointing at it`,
    };
  },
});
