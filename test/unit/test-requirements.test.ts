import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { chromiumRequirement, decide, postgresRequirement } from '../helpers/requirements.js';

/**
 * The skip path of the tests that need a browser or a server: on a fresh
 * machine they are skipped with what they need and how to get it; with
 * CARDFUZZ_REQUIRE_... set (as .ci/run sets it) they fail instead.
 */
describe('tests that need Chromium', () => {
  it('are skipped, saying what they need, when the browser path given does not exist', () => {
    const d = decide(chromiumRequirement({ CARDFUZZ_CHROMIUM: '/nonexistent/chromium', PATH: '' }), {});
    expect(d.kind).toBe('skip');
    expect(d.kind !== 'run' && d.message).toBe('needs Chromium: CARDFUZZ_CHROMIUM=/nonexistent/chromium is not an executable');
  });

  it('are skipped, saying how to get it, when no chromium is on PATH', () => {
    const d = decide(chromiumRequirement({ PATH: tempDir() }), {});
    expect(d.kind).toBe('skip');
    expect(d.kind !== 'run' && d.message).toMatch(/no chromium on PATH; install Debian's chromium package .*CARDFUZZ_CHROMIUM=/);
  });

  it('fail instead of skipping under CARDFUZZ_REQUIRE_CHROMIUM=1', () => {
    const d = decide(chromiumRequirement({ CARDFUZZ_CHROMIUM: '/nonexistent/chromium' }), { CARDFUZZ_REQUIRE_CHROMIUM: '1' });
    expect(d.kind).toBe('fail');
    expect(d.kind !== 'run' && d.message).toMatch(/^CARDFUZZ_REQUIRE_CHROMIUM=1 but this needs Chromium/);
  });

  it('run with the chromium found on PATH, or the one the override names', () => {
    const dir = tempDir();
    const fake = join(dir, 'chromium');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    expect(decide(chromiumRequirement({ PATH: dir }), {})).toEqual({ kind: 'run', found: fake });
    expect(decide(chromiumRequirement({ CARDFUZZ_CHROMIUM: fake, PATH: '' }), {})).toEqual({ kind: 'run', found: fake });
  });
});

describe('tests that need PostgreSQL', () => {
  it('are skipped without CARDFUZZ_TEST_DATABASE_URL and fail under CARDFUZZ_REQUIRE_POSTGRES=1', () => {
    expect(decide(postgresRequirement({}), {}).kind).toBe('skip');
    expect(decide(postgresRequirement({}), { CARDFUZZ_REQUIRE_POSTGRES: '1' }).kind).toBe('fail');
    expect(decide(postgresRequirement({ CARDFUZZ_TEST_DATABASE_URL: 'postgres://x@localhost/db' }), {}).kind).toBe('run');
  });
});
