import { hasColumn, type Catalog } from '../persistence/catalog.js';
import { missingColumnsOf } from '../persistence/case-statements.js';
import { tablesUsedBy } from '../persistence/open-case-database.js';
import type { Profile } from '../profiles/profile.js';
import { executorSettingsOf } from '../profiles/settings.js';
import type { TableLayout } from '../executor/tables.js';
import { READERS } from '../readers/galaxy-readers.js';
import type { AnyProperty, ExecutionProperty } from './property.js';
import type { SystemUnderTest } from './system-under-test.js';

/**
 * Whether a property can judge any case of a system at all. It is not
 * applicable when the schema lacks a table or column it needs, when the
 * profile writes none of such a column, when the schema can run none of the
 * readers it reads, or (an upgrade property) when there are no migrations to
 * upgrade through. Computed from the opened schema and the profile, never from
 * a list of profile names. A property this finds applicable and that still
 * judges no case is "not checked": it could have judged and did not.
 */

/** Why an execution property can judge no case of `system` on the schema `catalog`, or null. */
export function executionNotApplicable(property: ExecutionProperty, system: SystemUnderTest, catalog: Catalog): string | null {
  const own = property.notApplicable?.(system) ?? null;
  if (own !== null) return own;
  const columns = property.needs.columns ?? [];
  const label = ([table, column]: readonly [string, string]): string => (catalog.has(table) ? `${table}.${column}` : `table ${table}`);
  const missing = [...new Set(columns.filter(([t, c]) => !hasColumn(catalog, t, c)).map(label))];
  if (missing.length > 0) return `the schema lacks ${missing.join(', ')}`;
  const tablesUsed: readonly string[] = tablesUsedBy(executorSettingsOf(system.settings));
  const layouts: Readonly<Record<string, TableLayout | undefined>> = system.executor.layouts;
  const written = (table: string, column: string): boolean => tablesUsed.includes(table) && (layouts[table]?.index.has(column) ?? false);
  const unwritten = columns.filter(([t, c]) => !written(t, c)).map(([t, c]) => `${t}.${c}`);
  if (unwritten.length > 0) return `profile ${system.profile.name} writes no ${unwritten.join(', ')}`;
  const readers = READERS.filter((r) => (property.needs.readers ?? []).includes(r.id));
  if (readers.length > 0 && readers.every((r) => missingColumnsOf(r, catalog).length > 0)) {
    return `the schema lacks ${[...new Set(readers.flatMap((r) => missingColumnsOf(r, catalog)))].join(', ')}: none of its readers can run`;
  }
  return null;
}

/** Why an upgrade property can judge no history of `profile`, or null. */
export function upgradeNotApplicable(profile: Profile): string | null {
  if (profile.previous === undefined) return `profile ${profile.name} names no previous profile to upgrade from`;
  if (profile.schemaSql !== undefined) return 'a schema dump has no migrations to upgrade with';
  return null;
}

/** Why `property` can judge nothing on this system and schema, or null. */
export function notApplicableReason(property: AnyProperty, system: SystemUnderTest, catalog: Catalog): string | null {
  return property.family === 'execution' ? executionNotApplicable(property, system, catalog) : upgradeNotApplicable(system.profile);
}
