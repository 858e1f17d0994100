import { createHash } from 'node:crypto';
import type { Case } from '../model/case.js';
import type { SettingsPatch } from '../profiles/settings.js';
import type { Violation } from './property.js';

/**
 * A finding: a property that failed, with the shrunk case that shows it.
 * Its fingerprint names the bug, not the run: property, violation kind,
 * table and constraint (or columns), and the shape class of the shrunk case.
 */
export interface Finding {
  readonly property: string;
  readonly profile: string;
  readonly settings: SettingsPatch;
  readonly seed: number;
  readonly path: string;
  readonly case: Case;
  /** For the upgrade property: the whole history written before the upgrade (`case` is its first entry). */
  readonly history?: readonly Case[];
  readonly violation: Violation;
  readonly shapeClass: string;
  readonly fingerprint: string;
  /** Shrink steps fast-check took from the first failing case. */
  readonly shrinks: number;
  /** The shape class of the first failing case, before shrinking. */
  readonly firstShapeClass: string;
  readonly replay: string;
  /** Rows the shrunk case's execution wrote per table, up to a refused write. */
  readonly rows?: Record<string, number>;
}

/** The violation without the shape: what the campaign treats as "the same bug" while it keeps fuzzing. */
export function violationSignature(property: string, v: Violation): string {
  return [property, v.kind, v.table ?? '', v.constraint ?? v.columns.join(',')].join('|');
}

export function fingerprintOf(property: string, v: Violation, shapeClass: string): string {
  return createHash('sha256').update(`${violationSignature(property, v)}|${shapeClass}`).digest('hex').slice(0, 12);
}
