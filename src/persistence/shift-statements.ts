import type { Layouts, TableName } from '../executor/tables.js';
import type { RowStatement } from '../executor/unit-of-work.js';
import type { Catalog } from './catalog.js';

/**
 * Several cases written into one database (a history for the upgrade
 * property) must not collide on ids: each case's ids, and every foreign key
 * pointing at them, are shifted past the ids the earlier cases used. The
 * catalog says which column references which table.
 */
export class StatementShifter {
  readonly #references = new Map<TableName, { index: number; parent: TableName }[]>();
  readonly #columnParents = new Map<string, TableName>();
  readonly #offsets = new Map<TableName, number>();

  constructor(catalog: Catalog, layouts: Layouts) {
    for (const [table, layout] of Object.entries(layouts) as [TableName, Layouts[TableName]][]) {
      const refs: { index: number; parent: TableName }[] = [];
      for (const fk of catalog.get(table)?.foreignKeys ?? []) {
        if (fk.columns.length !== 1) continue;
        const index = layout.index.get(fk.columns[0]!);
        if (index === undefined || !(fk.parentTable in layouts)) continue;
        refs.push({ index, parent: fk.parentTable as TableName });
        this.#columnParents.set(`${table}.${fk.columns[0]}`, fk.parentTable as TableName);
      }
      this.#references.set(table, refs);
    }
  }

  /** Shifts one case's statements past everything shifted before, and records its highest ids. */
  shift(statements: readonly RowStatement[]): RowStatement[] {
    const offset = (t: TableName): number => this.#offsets.get(t) ?? 0;
    const used = new Map<TableName, number>();
    const out = statements.map((s): RowStatement => {
      if (s.op === 'update') {
        const parent = this.#columnParents.get(`${s.table}.${s.column}`);
        return { ...s, id: s.id + offset(s.table), value: parent !== undefined && typeof s.value === 'number' ? s.value + offset(parent) : s.value };
      }
      const values = s.values.slice();
      values[0] = (values[0] as number) + offset(s.table);
      used.set(s.table, Math.max(used.get(s.table) ?? 0, values[0] as number));
      for (const ref of this.#references.get(s.table) ?? []) {
        const v = values[ref.index];
        if (typeof v === 'number') values[ref.index] = v + offset(ref.parent);
      }
      return { ...s, values };
    });
    for (const [table, max] of used) this.#offsets.set(table, Math.max(offset(table), max));
    return out;
  }
}
