import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['dist/**', 'node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The JSON report is what .ci/run counts its "N passed, N failed" line from.
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/test-results.json' },
  },
});
