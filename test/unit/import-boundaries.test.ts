import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layering rules, made executable: pure model code imports no database
 * or fast-check; only dialect folders import a driver; only the CLI touches
 * argv, exits or writes to the process streams.
 */
const root = resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const sources = ['src', 'generators', 'properties'].flatMap((d) => files(join(root, d))).map((path) => ({ path: relative(root, path), text: readFileSync(path, 'utf8') }));

function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:import|export)[^'"]*from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2]!);
}

describe('import boundaries', () => {
  it('keeps the model, expansion, executor and shrinker free of databases, kysely and fast-check', () => {
    for (const file of sources.filter((f) => /^src\/(model|expansion|executor|shrink)\//.test(f.path))) {
      for (const spec of importsOf(file.text)) {
        expect([file.path, spec]).not.toEqual([file.path, expect.stringMatching(/^(better-sqlite3|pg|kysely|fast-check)$|persistence|runner|cli/)]);
      }
    }
  });

  it('lets only dialect folders import a database driver', () => {
    for (const file of sources) {
      const drivers = importsOf(file.text).filter((s) => s === 'better-sqlite3' || s === 'pg');
      if (drivers.length > 0) expect(file.path).toMatch(/^src\/persistence\/dialects\//);
    }
  });

  it('lets only the CLI read argv, exit or write to the process streams', () => {
    for (const file of sources.filter((f) => !f.path.startsWith('src/cli/'))) {
      expect([file.path, /process\.(argv|exit|stdout|stderr)/.test(file.text)]).toEqual([file.path, false]);
    }
  });

  it('keeps generators and properties out of src/ except in the CLI', () => {
    for (const file of sources.filter((f) => f.path.startsWith('src/') && !f.path.startsWith('src/cli/'))) {
      expect([file.path, importsOf(file.text).some((s) => /\/(generators|properties)\//.test(s))]).toEqual([file.path, false]);
    }
  });
});
