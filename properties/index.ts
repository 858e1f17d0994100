import { UnknownNameError } from '../src/errors.js';
import type { ExecutionProperty } from '../src/runner/property.js';
import { persistsWithoutConstraintViolations } from './persists-without-constraint-violations.js';
import { rowsMatchModel } from './rows-match-model.js';

/** Every property cardfuzz checks, by stable id. */
export const PROPERTIES: readonly ExecutionProperty[] = [persistsWithoutConstraintViolations, rowsMatchModel];

export const PROPERTY_IDS: readonly string[] = PROPERTIES.map((p) => p.id);

export function findProperties(ids: readonly string[] | undefined): ExecutionProperty[] {
  if (ids === undefined || ids.length === 0) return [...PROPERTIES];
  return ids.map((id) => {
    const property = PROPERTIES.find((p) => p.id === id);
    if (property === undefined) throw new UnknownNameError(`unknown property "${id}" (known: ${PROPERTY_IDS.join(', ')})`);
    return property;
  });
}
