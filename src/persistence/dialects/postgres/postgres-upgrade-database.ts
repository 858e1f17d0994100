import { DatabaseUnavailableError } from '../../../errors.js';
import type { UpgradeDatabase } from '../../case-database.js';
import type { CaseDatabaseSpec } from '../../open-case-database.js';
import type { UpgradeStep } from '../../schema-plan.js';

export function openPostgresUpgradeDatabase(_previous: CaseDatabaseSpec, _steps: readonly UpgradeStep[], _url: string): Promise<UpgradeDatabase> {
  return Promise.reject(new DatabaseUnavailableError('the postgres dialect is not available in this build'));
}
