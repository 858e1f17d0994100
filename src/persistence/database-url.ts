import { DatabaseUnavailableError } from '../errors.js';

/** PostgreSQL connection URLs: checked before any connection is tried, and shown without their password. */

/** Checks the URL's form before any connection is tried, so a typo gets its own message. */
export function checkDatabaseUrl(url: string): URL {
  if (url.trim() === '') throw new DatabaseUnavailableError('--database-url is empty; expected postgres://user@host:port/database');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseUnavailableError(`--database-url ${redact(url)}: not a URL; expected postgres://user@host:port/database`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new DatabaseUnavailableError(`--database-url ${redact(url)}: expected a postgres:// or postgresql:// URL, got ${parsed.protocol}//`);
  }
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) throw new DatabaseUnavailableError(`--database-url ${redact(url)}: no host; expected postgres://user@host:port/database`);
  return parsed;
}

/** The URL without its password (in the authority or as ?password=), for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return parsed.toString();
  } catch {
    // Not a URL: hide whatever stands between the last ':' of the authority and its '@'.
    return url.replace(/(\/\/[^:/]*):.*@/, '$1:***@');
  }
}

/** The URL with no password at all, for replay commands printed in reports (pg then reads ~/.pgpass or PGPASSWORD). */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    parsed.searchParams.delete('password');
    return parsed.toString();
  } catch {
    return redact(url);
  }
}
