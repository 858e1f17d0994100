import { defineExecutionProperty } from '../src/runner/property.js';

/** Every generated execution persists: no write of the case is refused by a database constraint. */
export const persistsWithoutConstraintViolations = defineExecutionProperty({
  id: 'persists-without-constraint-violations',
  summary: 'every generated execution persists without a constraint violation',
  needs: {},
  check({ outcome }) {
    if (outcome.failure === null) return null;
    const v = outcome.failure.violation;
    return { kind: v.kind, table: v.table, columns: v.columns, constraint: v.constraint, message: v.message };
  },
});
