import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ToolCase } from '../../src/model/case.js';
import { parseToolCase } from '../../src/model/parse-case.js';
import { findBuiltinProfile } from '../../src/profiles/builtin-profiles.js';
import { galaxyToolXml } from '../../src/reporting/galaxy-test.js';
import { createSystemUnderTest } from '../../src/runner/system-under-test.js';
import { readGalaxyToolXml } from '../../src/tools/galaxy-tool-xml.js';

/**
 * The tool XML that `export --format galaxy-test` writes is the case's tool
 * as far as cardinality goes: read back by cardfuzz's own Galaxy tool XML
 * reader, it gives every conformance case (cases written from Galaxy's API
 * tests) the same jobs, implicit collection jobs and refusals as the tool in
 * the case file.
 */
const root = resolve(import.meta.dirname, '../..');
const dir = join(root, 'test/conformance/cases');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const system = createSystemUnderTest(findBuiltinProfile('branch-fixed')!);


function outcome(c: ToolCase): unknown {
  const plan = system.plan(c);
  return {
    error: plan.expansion.ok ? null : plan.expansion.error.kind,
    combinations: plan.expansion.ok ? plan.expansion.combinations.length : 0,
    jobs: plan.intent.jobs.length,
    icjs: plan.intent.icjs.filter((i) => i.persisted).length,
  };
}

describe('the exported tool XML', () => {
  it('reads back as a tool with the same cardinality on every conformance case', () => {
    expect(files.length).toBeGreaterThan(20);
    const out = mkdtempSync(join(tmpdir(), 'cardfuzz-tool-xml-'));
    const differences: unknown[] = [];
    for (const file of files) {
      const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { case?: unknown };
      const c = parseToolCase(raw.case ?? raw, file);
      const path = join(out, `${file}.xml`);
      writeFileSync(path, galaxyToolXml(c.tool.inputs, c.tool.outputs, 'cardfuzz_export', file));
      const tool = readGalaxyToolXml(path).tool;
      const [read, original] = [outcome({ ...c, tool: { ...tool, id: c.tool.id } }), outcome(c)];
      if (JSON.stringify(read) !== JSON.stringify(original)) differences.push({ file, read, original });
    }
    expect(differences).toEqual([]);
  });
});
