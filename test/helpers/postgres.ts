import { describe, it } from 'vitest';

/**
 * The PostgreSQL server the tests use: CARDFUZZ_TEST_DATABASE_URL (.ci/run
 * starts a throwaway one with .ci/postgres-server). Without it the
 * PostgreSQL suites are skipped and say why; with CARDFUZZ_REQUIRE_POSTGRES=1
 * (as in CI) a missing server is a failure, never a silent skip.
 */
export const POSTGRES_URL: string | undefined = process.env['CARDFUZZ_TEST_DATABASE_URL'] || undefined;

const SKIPPED_URL = 'postgres://skipped@127.0.0.1:1/skipped';

export function describePostgres(name: string, body: (url: string) => void): void {
  if (POSTGRES_URL !== undefined) {
    describe(name, () => body(POSTGRES_URL));
    return;
  }
  if (process.env['CARDFUZZ_REQUIRE_POSTGRES'] === '1') {
    describe(name, () => {
      it('has a PostgreSQL server to run against', () => {
        throw new Error('CARDFUZZ_REQUIRE_POSTGRES=1 but CARDFUZZ_TEST_DATABASE_URL is not set');
      });
    });
    return;
  }
  // The body still runs to list its tests as skipped, so it gets a well-formed URL it never connects to.
  describe.skip(`${name} (no CARDFUZZ_TEST_DATABASE_URL; start a server with .ci/postgres-server start DIR)`, () => body(SKIPPED_URL));
}
