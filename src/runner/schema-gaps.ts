import type { Catalog } from '../persistence/catalog.js';
import { missingColumnsOf } from '../persistence/case-statements.js';
import { READERS } from '../readers/galaxy-readers.js';
import type { AnyProperty } from './property.js';

/**
 * What a run's schema lacks that a selected property reads: one entry per
 * missing table or column, naming the readers that cannot run without it and
 * the properties they weaken. Said at the start of a run, so that a property
 * that then judges nothing is understood, never mistaken for one that held.
 */
export interface SchemaGap {
  /** `table t` or `t.c`. */
  readonly missing: string;
  readonly readers: readonly string[];
  readonly properties: readonly string[];
}

export function schemaGaps(catalog: Catalog, properties: readonly AnyProperty[]): SchemaGap[] {
  const gaps = new Map<string, { readers: Set<string>; properties: Set<string> }>();
  for (const reader of READERS) {
    const users = properties.filter((p) => p.family === 'execution' && (p.needs.readers ?? []).includes(reader.id)).map((p) => p.id);
    if (users.length === 0) continue;
    for (const missing of missingColumnsOf(reader, catalog)) {
      let gap = gaps.get(missing);
      if (gap === undefined) {
        gap = { readers: new Set(), properties: new Set() };
        gaps.set(missing, gap);
      }
      gap.readers.add(reader.id);
      for (const u of users) gap.properties.add(u);
    }
  }
  return [...gaps].map(([missing, g]) => ({ missing, readers: [...g.readers], properties: [...g.properties] }));
}

/** One line per gap, e.g. `schema lacks job.tool_execution_state_id: reader ToolExecutionState.job cannot run; weakens readers-agree`. */
export function describeSchemaGap(gap: SchemaGap): string {
  return `schema lacks ${gap.missing}: reader${gap.readers.length === 1 ? '' : 's'} ${gap.readers.join(', ')} cannot run; weakens ${gap.properties.join(', ')}`;
}

/**
 * Every gap in one line, e.g. `schema lacks 4 columns and 1 table that 5
 * readers read; weakens readers-agree`; a single gap is described in full.
 */
export function summariseSchemaGaps(gaps: readonly SchemaGap[]): string {
  if (gaps.length === 1) return describeSchemaGap(gaps[0]!);
  const tables = gaps.filter((g) => g.missing.startsWith('table ')).length;
  const columns = gaps.length - tables;
  const pieces = [columns > 0 ? `${columns} column${columns === 1 ? '' : 's'}` : '', tables > 0 ? `${tables} table${tables === 1 ? '' : 's'}` : ''].filter((p) => p !== '').join(' and ');
  const readers = new Set(gaps.flatMap((g) => g.readers)).size;
  const properties = [...new Set(gaps.flatMap((g) => g.properties))];
  return `schema lacks ${pieces} that ${readers} reader${readers === 1 ? '' : 's'} read${readers === 1 ? 's' : ''}; weakens ${properties.join(', ')}`;
}
