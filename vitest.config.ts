import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['dist/**', 'node_modules/**'],
    // Says which tests will be skipped for want of a browser, a PostgreSQL server, sqlite3 or python3.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The JSON report is what .ci/run counts its "N passed, N failed" line from.
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/test-results.json' },
  },
});
