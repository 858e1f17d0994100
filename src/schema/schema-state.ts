import type { Migration } from './schema-ops.js';

/**
 * The tables and columns a chain of migrations leaves, in creation order:
 * the state of the revision it ends at. (SchemaRenderer tracks the same
 * state while rendering; this is the state alone, for code that needs to
 * know what a revision has without rendering SQL.)
 */
export function schemaStateOf(migrations: readonly Migration[]): ReadonlyMap<string, readonly string[]> {
  const tables = new Map<string, string[]>();
  for (const migration of migrations) {
    for (const op of migration.ops) {
      switch (op.op) {
        case 'createTable':
          tables.set(op.table, op.columns.map((c) => c.name));
          break;
        case 'addColumn':
          tables.get(op.table)?.push(op.column.name);
          break;
        case 'dropColumn':
          tables.set(op.table, (tables.get(op.table) ?? []).filter((c) => c !== op.column));
          break;
        case 'dropTable':
          tables.delete(op.table);
          break;
        default:
          break;
      }
    }
  }
  return tables;
}
