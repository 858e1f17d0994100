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

/** Source without comments (block comments, and whole-line // comments), so that prose is not read as code. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/**
 * Every module specifier a file names: `import … from`, `import type`,
 * `export … from`, side-effect `import 'x'`, and dynamic `import('x')`, in
 * single or double quotes, over several lines.
 */
export function importsOf(text: string): string[] {
  const pattern = /(?:^|[\s;}])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?(['"])([^'"\n]+)\1|\bimport\s*\(\s*(['"])([^'"\n]+)\3\s*\)/g;
  return [...code(text).matchAll(pattern)].map((m) => m[2] ?? m[4]!);
}

describe('import boundaries', () => {
  it('sees every form of import (the check of the checks)', () => {
    const text = [
      "import a from 'single';",
      'import { b } from "double";',
      "import type { C } from './types.js';",
      'import {\n  d,\n  e,\n} from "multi-line";',
      "import * as f from 'namespace';",
      "import 'side-effect';",
      'import "side-effect-double";',
      "export * from 'export-star';",
      'export { g } from "export-named";',
      'export type { H } from "export-type";',
      "const m = await import('dynamic');",
      'const n = await import("dynamic-double");',
      '// import nothing from "a-comment"',
      '/* import nothing from "a-block-comment" */',
      "const s = 'not an import from \"x\"';",
    ].join('\n');
    expect(importsOf(text)).toEqual(['single', 'double', './types.js', 'multi-line', 'namespace', 'side-effect', 'side-effect-double', 'export-star', 'export-named', 'export-type', 'dynamic', 'dynamic-double']);
  });

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
      expect([file.path, /process\.(argv|exit|stdout|stderr)/.test(code(file.text))]).toEqual([file.path, false]);
    }
  });

  it('lets only the CLI print with console.*', () => {
    for (const file of sources.filter((f) => !f.path.startsWith('src/cli/'))) {
      expect([file.path, /\bconsole\s*\.\s*\w+/.test(code(file.text))]).toEqual([file.path, false]);
    }
  });

  it('keeps generators and properties out of src/ except in the CLI', () => {
    for (const file of sources.filter((f) => f.path.startsWith('src/') && !f.path.startsWith('src/cli/'))) {
      expect([file.path, importsOf(file.text).some((s) => /\/(generators|properties)\//.test(s))]).toEqual([file.path, false]);
    }
  });
});
