import Database from 'better-sqlite3';
import type { ExecutionPlan } from '../../../executor/execution.js';
import type { Layouts, TableName } from '../../../executor/tables.js';
import type { CaseDatabaseSpec, CaseRunOptions } from '../../case-database.js';
import { compileCaseStatements } from '../../case-statements.js';
import { bindArguments } from '../../compiled-query.js';
import { emptySnapshot, type Snapshot } from '../../snapshot.js';
import { StatementShifter } from '../../shift-statements.js';
import { applySqliteSchema } from './sqlite-case-database.js';
import { readSqliteCatalog } from './sqlite-catalog.js';

/**
 * The floor a campaign is measured against: the same rows written and read
 * back by plain better-sqlite3 — hand-written INSERT/UPDATE statements
 * prepared once, the same reads, BEGIN … ROLLBACK per case — with nothing of
 * cardfuzz in between (no generation, model, classification or checks).
 */
export function measureSqliteFloor(
  spec: CaseDatabaseSpec,
  plans: readonly ExecutionPlan[],
  layouts: Layouts,
  repetitions: number,
  readerRequests: NonNullable<CaseRunOptions['readers']>,
): { readonly casesPerSecond: number; readonly statementsPerCase: number } {
  const db = new Database(':memory:');
  try {
    db.pragma('foreign_keys = ON');
    applySqliteSchema(db, spec.schemaSteps);
    const catalog = readSqliteCatalog(db);
    const compiled = compileCaseStatements('sqlite', catalog, { ...spec, layouts });
    const inserts = new Map<TableName, Database.Statement>();
    for (const table of spec.tablesUsed) {
      const columns = layouts[table].columns;
      inserts.set(table, db.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`));
    }
    const updates = new Map<string, Database.Statement>();
    const scans = compiled.scans.map((s) => ({ key: s.key, workflowOnly: s.workflowOnly, statement: db.prepare(s.statement.sql) }));
    const readers = new Map([...compiled.readers].map(([id, c]) => [id, { c, statement: db.prepare(c.sql) }]));
    const overfull = compiled.overfull.map((o) => ({ args: bindArguments(o.statement, {}), statement: db.prepare(o.statement.sql) }));
    const begin = db.prepare('BEGIN');
    const rollback = db.prepare('ROLLBACK');
    const once = (plan: ExecutionPlan): void => {
      begin.run();
      try {
        for (const s of plan.statements) {
          if (s.op === 'insert') inserts.get(s.table)!.run(s.values);
          else {
            const key = `${s.table}.${s.column}`;
            let u = updates.get(key);
            if (u === undefined) {
              u = db.prepare(`UPDATE "${s.table}" SET "${s.column}" = ? WHERE "id" = ?`);
              updates.set(key, u);
            }
            u.run(s.value, s.id);
          }
        }
        const snapshot = emptySnapshot();
        for (const scan of scans) if (plan.workflow !== null || !scan.workflowOnly) (snapshot as Record<string, unknown>)[scan.key] = scan.statement.all();
        for (const request of readerRequests(snapshot as Snapshot)) {
          const r = readers.get(request.reader);
          if (r) r.statement.all(bindArguments(r.c, { arg: request.argument }));
        }
        for (const o of overfull) o.statement.all(o.args);
      } catch {
        // A refused write ends the case, as it does in a campaign.
      } finally {
        rollback.run();
      }
    };
    for (const plan of plans.slice(0, 200)) once(plan);
    const started = performance.now();
    for (let r = 0; r < repetitions; r++) for (const plan of plans) once(plan);
    const seconds = (performance.now() - started) / 1000;
    const statements = plans.reduce((n, p) => n + p.statements.length, 0) / Math.max(1, plans.length);
    return { casesPerSecond: (plans.length * repetitions) / seconds, statementsPerCase: statements };
  } finally {
    db.close();
  }
}

/**
 * The upgrade property's floor: the same histories written (hand-written
 * inserts) and upgraded by the same migration statements, BEGIN … ROLLBACK.
 */
export function measureSqliteUpgradeFloor(previous: CaseDatabaseSpec, steps: readonly { sql: string }[], histories: readonly (readonly ExecutionPlan[])[], layouts: Layouts): { readonly historiesPerSecond: number } {
  const db = new Database(':memory:');
  try {
    db.pragma('foreign_keys = OFF');
    db.pragma('legacy_alter_table = ON');
    applySqliteSchema(db, previous.schemaSteps);
    const inserts = new Map<TableName, Database.Statement>();
    for (const table of previous.tablesUsed) {
      const columns = layouts[table].columns;
      inserts.set(table, db.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`));
    }
    const catalog = readSqliteCatalog(db);
    const updates = new Map<string, Database.Statement>();
    const started = performance.now();
    for (const plans of histories) {
      db.exec('BEGIN');
      try {
        // Each history's ids shifted apart, as the upgrade database writes them.
        const shifter = new StatementShifter(catalog, layouts);
        for (const plan of plans) {
          for (const s of shifter.shift(plan.statements)) {
            if (s.op === 'insert') inserts.get(s.table)!.run(s.values);
            else {
              const key = `${s.table}.${s.column}`;
              let u = updates.get(key);
              if (u === undefined) {
                u = db.prepare(`UPDATE "${s.table}" SET "${s.column}" = ? WHERE "id" = ?`);
                updates.set(key, u);
              }
              u.run(s.value, s.id);
            }
          }
        }
        for (const step of steps) db.exec(step.sql);
        db.pragma('foreign_key_check');
      } catch {
        // A failing migration ends the history, as it does for the property.
      } finally {
        db.exec('ROLLBACK');
      }
    }
    return { historiesPerSecond: histories.length / ((performance.now() - started) / 1000) };
  } finally {
    db.close();
  }
}
