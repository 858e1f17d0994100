import { allRequirements, decide } from './helpers/requirements.js';

/**
 * Printed once at the start of `npm test`: every test group that will be
 * skipped for want of something `npm ci` does not install, with how to get
 * it, so that a green run on a fresh machine says what it did not cover.
 */
export default function setup(): void {
  const lines = allRequirements().flatMap((r) => {
    const d = decide(r);
    return d.kind === 'skip' ? [`cardfuzz tests: skipping the tests that need ${d.message.replace(/^needs /, '')}`] : [];
  });
  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n(.ci/run installs all of them and requires them: CARDFUZZ_REQUIRE_CHROMIUM=1, CARDFUZZ_REQUIRE_POSTGRES=1, CARDFUZZ_REQUIRE_SQLITE3=1, CARDFUZZ_REQUIRE_PYTHON=1)\n`);
}
