import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

/**
 * What some tests need beyond `npm ci`: a browser, a PostgreSQL server, the
 * sqlite3 shell, Python. Without it they are skipped, and say what they need
 * and how to get it (test/global-setup.ts prints the same at the start of the
 * run); with the requirement's CARDFUZZ_REQUIRE_... variable set to 1 (as
 * .ci/run sets them) a missing one is a failure, never a silent skip.
 */
export interface Requirement {
  /** What is needed, e.g. "Chromium". */
  readonly name: string;
  /** The environment variable that makes the requirement mandatory. */
  readonly requireEnv: string;
  /** Where it was found, or null. */
  readonly found: string | null;
  /** Why it is missing and how to get it (when `found` is null). */
  readonly howToGet: string;
}

/** The first executable of these names in PATH. */
export function onPath(names: readonly string[], env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const name of names) {
      const path = join(dir, name);
      if (isExecutable(path)) return path;
    }
  }
  return null;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Headless Chromium for the HTML report test: CARDFUZZ_CHROMIUM (or CHROMIUM_PATH), else chromium on PATH. */
export function chromiumRequirement(env: NodeJS.ProcessEnv = process.env): Requirement {
  const override = env['CARDFUZZ_CHROMIUM'] || env['CHROMIUM_PATH'] || undefined;
  const found = override !== undefined ? (isExecutable(override) ? override : null) : onPath(['chromium', 'chromium-browser'], env);
  return {
    name: 'Chromium',
    requireEnv: 'CARDFUZZ_REQUIRE_CHROMIUM',
    found,
    howToGet:
      override !== undefined
        ? `CARDFUZZ_CHROMIUM=${override} is not an executable`
        : 'no chromium on PATH; install Debian\'s chromium package (apt-get install chromium; .ci/run does), or set CARDFUZZ_CHROMIUM=/path/to/chromium',
  };
}

export function postgresRequirement(env: NodeJS.ProcessEnv = process.env): Requirement {
  return {
    name: 'a PostgreSQL server',
    requireEnv: 'CARDFUZZ_REQUIRE_POSTGRES',
    found: env['CARDFUZZ_TEST_DATABASE_URL'] || null,
    howToGet: 'CARDFUZZ_TEST_DATABASE_URL is not set; start a throwaway server with .ci/postgres-server start /tmp/pg and export the URL it prints',
  };
}

export function sqlite3ShellRequirement(env: NodeJS.ProcessEnv = process.env): Requirement {
  return { name: 'the sqlite3 shell', requireEnv: 'CARDFUZZ_REQUIRE_SQLITE3', found: onPath(['sqlite3'], env), howToGet: "no sqlite3 on PATH; install Debian's sqlite3 package (.ci/run does)" };
}

export function python3Requirement(env: NodeJS.ProcessEnv = process.env): Requirement {
  return { name: 'python3', requireEnv: 'CARDFUZZ_REQUIRE_PYTHON', found: onPath(['python3'], env), howToGet: "no python3 on PATH; install Debian's python3 package (.ci/run does)" };
}

/** Every requirement some test has, for the line printed at the start of the run. */
export function allRequirements(env: NodeJS.ProcessEnv = process.env): Requirement[] {
  return [chromiumRequirement(env), postgresRequirement(env), sqlite3ShellRequirement(env), python3Requirement(env)];
}

/** What the suite does about a requirement: run, skip (saying why), or fail because it is required. */
export function decide(requirement: Requirement, env: NodeJS.ProcessEnv = process.env): { readonly kind: 'run'; readonly found: string } | { readonly kind: 'skip' | 'fail'; readonly message: string } {
  if (requirement.found !== null) return { kind: 'run', found: requirement.found };
  const message = `needs ${requirement.name}: ${requirement.howToGet}`;
  return env[requirement.requireEnv] === '1' ? { kind: 'fail', message: `${requirement.requireEnv}=1 but this ${message}` } : { kind: 'skip', message };
}

/** A describe block that runs only with the requirement met; `body` gets where it was found. */
export function describeNeeding(requirement: Requirement, name: string, body: (found: string) => void): void {
  const d = decide(requirement);
  if (d.kind === 'run') describe(name, () => body(d.found));
  else if (d.kind === 'fail') {
    describe(name, () => {
      it(`has ${requirement.name}`, () => {
        throw new Error(d.message);
      });
    });
  } else describe.skip(`${name} (skipped: ${d.message})`, () => body(''));
}

/** One test that runs only with the requirement met. */
export function itNeeding(requirement: Requirement, name: string, body: (found: string) => unknown | Promise<unknown>, timeout?: number): void {
  const d = decide(requirement);
  if (d.kind === 'run') it(name, () => body(d.found), timeout);
  else if (d.kind === 'fail') {
    it(name, () => {
      throw new Error(d.message);
    });
  } else it.skip(`${name} (skipped: ${d.message})`, () => undefined);
}
