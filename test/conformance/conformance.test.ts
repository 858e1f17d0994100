import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCase } from '../../src/model/parse-case.js';
import { findBuiltinProfile } from '../../src/profiles/builtin-profiles.js';
import { createSystemUnderTest } from '../../src/runner/system-under-test.js';

/**
 * cardfuzz's own conformance suite: case files written from reading Galaxy's
 * API tests (lib/galaxy_test/api/test_tool_execute.py, test_tools.py,
 * test_jobs.py) and the test tools they run, each naming the test it mirrors
 * and the counts Galaxy asserts (jobs, implicit collections, their types, or
 * the error it raises). Tools are described with Galaxy's own attribute names.
 * Where Galaxy states a rule only in code, the file names the code and the
 * API test whose request shape it borrows.
 */

interface Expectation {
  readonly jobs: number;
  readonly implicit_collections: number;
  readonly implicit_collection_types?: readonly string[];
  readonly error?: string;
  /** Values of the first parameter combination, by prefixed key (which conditional branch ran). */
  readonly parameters?: Readonly<Record<string, string | number | boolean>>;
}

interface ConformanceFile {
  readonly mirrors: string;
  readonly covers: readonly string[];
  readonly galaxy: Expectation;
  readonly case: unknown;
}

const directory = join(import.meta.dirname, 'cases');
const files = readdirSync(directory).filter((f) => f.endsWith('.json')).sort();
const system = createSystemUnderTest(findBuiltinProfile('branch-fixed')!);

describe('conformance with Galaxy API tests', () => {
  it('has case files', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  for (const file of files) {
    const doc = JSON.parse(readFileSync(join(directory, file), 'utf8')) as ConformanceFile;
    it(`${file}: ${doc.mirrors}`, () => {
      expect(doc.mirrors.length).toBeGreaterThan(0);
      const c = parseCase(doc.case, file);
      const plan = system.plan(c);
      const { expansion, intent } = plan;
      const implicit = intent.outputCollections.filter((o) => o.icjId !== null);
      if (doc.galaxy.error !== undefined) {
        expect(expansion.ok ? 'no error' : expansion.error.message).toContain(doc.galaxy.error);
      } else {
        expect(expansion.ok ? null : expansion.error.message).toBeNull();
      }
      expect({ jobs: intent.jobs.length, implicit_collections: implicit.length }).toEqual({ jobs: doc.galaxy.jobs, implicit_collections: doc.galaxy.implicit_collections });
      if (doc.galaxy.implicit_collection_types !== undefined) {
        const layouts = system.executor.layouts;
        const inserted = (table: 'history_dataset_collection_association' | 'dataset_collection', id: unknown) =>
          plan.statements.find((s) => s.op === 'insert' && s.table === table && s.values[layouts[table].index.get('id')!] === id);
        const types = implicit.map((o) => {
          const hdca = inserted('history_dataset_collection_association', o.hdcaId);
          const dc = hdca?.op === 'insert' ? inserted('dataset_collection', hdca.values[layouts.history_dataset_collection_association.index.get('collection_id')!]) : undefined;
          return dc?.op === 'insert' ? dc.values[layouts.dataset_collection.index.get('collection_type')!] : undefined;
        });
        expect(types).toEqual(doc.galaxy.implicit_collection_types);
      }
      if (doc.galaxy.parameters !== undefined && expansion.ok) {
        for (const [key, value] of Object.entries(doc.galaxy.parameters)) {
          const index = expansion.params.findIndex((p) => p.key === key);
          expect(index, `parameter ${key}`).toBeGreaterThanOrEqual(0);
          expect(expansion.combinations[0]![index]).toEqual({ kind: 'scalar', value });
        }
      }
    });
  }
});
