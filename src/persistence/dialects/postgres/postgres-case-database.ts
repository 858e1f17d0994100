import { DatabaseUnavailableError } from '../../../errors.js';
import type { CaseDatabase } from '../../case-database.js';
import type { CaseDatabaseSpec } from '../../open-case-database.js';

/** PostgreSQL support arrives with its own issue; until then the dialect says so clearly. */
export function openPostgresCaseDatabase(_spec: CaseDatabaseSpec, _url: string): Promise<CaseDatabase> {
  return Promise.reject(new DatabaseUnavailableError('the postgres dialect is not available in this build'));
}
