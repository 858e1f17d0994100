import type { DdlDialect, SqlDialectName } from '../schema/render-schema.js';
import type { CaseDatabase, CaseDatabaseSpec, UpgradeDatabase, UpgradeStep } from './case-database.js';

/**
 * What shared code asks a dialect, instead of comparing its name: how its
 * DDL is written, whether it needs a server, and how to open its databases.
 * Each dialect's object is in its folder (src/persistence/dialects/NAME/);
 * `sqlDialect(name)` in src/persistence/dialects/dialects.ts returns it.
 * Opening loads the dialect's driver only then.
 */
export interface SqlDialect {
  readonly name: SqlDialectName;
  readonly ddl: DdlDialect;
  /** The dialect runs on a server named by a URL (`--database-url`), not embedded in the process. */
  readonly needsServer: boolean;
  openCaseDatabase(spec: CaseDatabaseSpec, url: string | undefined): Promise<CaseDatabase>;
  openUpgradeDatabase(previous: CaseDatabaseSpec, steps: readonly UpgradeStep[], url: string | undefined): Promise<UpgradeDatabase>;
}
