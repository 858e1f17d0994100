import { describeSchemaGap, summariseSchemaGaps, type SchemaGap } from '../runner/schema-gaps.js';

/**
 * What the schema lacks that the selected properties read, as the note lines
 * `run` and `gate` print before their results: one line for all of it, or
 * one per table or column with --verbose.
 */
export function schemaGapNotes(gaps: readonly SchemaGap[], verbose: boolean): string[] {
  if (gaps.length === 0) return [];
  if (verbose || gaps.length === 1) return gaps.map((gap) => `note: ${describeSchemaGap(gap)}`);
  return [`note: ${summariseSchemaGaps(gaps)} (--verbose lists each)`];
}
