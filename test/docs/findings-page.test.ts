import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROPERTIES } from '../../properties/index.js';
import { FINDINGS, FINDINGS_PAGE, HAZARD_PROPERTIES, propertyLinks } from '../../src/reporting/findings-catalogue.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { exportedTest, fragments, pageFacts, type PageFacts } from '../helpers/findings-page.js';
import { itNeeding, python3Requirement } from '../helpers/requirements.js';

/**
 * docs/findings.md is regenerated, not typed: the campaigns of
 * `cardfuzz run --profile P --hazards --seed S` (three profiles, seeds 1, 2 and 20
 * give each entry its minimal cases and the profiles it fails on, and the
 * Galaxy test export gives the excerpts the page shows. A change to the
 * model, the generators, the shrinker or the export that changes any of them
 * fails here until the page is brought up to date.
 */
const page = readFileSync(FINDINGS_PAGE, 'utf8');
let facts: PageFacts;
let generated: Map<string, string>;

beforeAll(async () => {
  facts = await pageFacts();
  generated = fragments(facts);
}, 300_000);

function between(open: string, close: string): string | undefined {
  const start = page.indexOf(open);
  if (start < 0) return undefined;
  const end = page.indexOf(close, start + open.length);
  return end < 0 ? undefined : page.slice(start + open.length, end);
}

/** The page's section of an entry: from its anchor to the next one. */
function section(anchor: string): string {
  const start = page.indexOf(`<a id="${anchor}"></a>`);
  expect(start, `no section for ${anchor}`).toBeGreaterThanOrEqual(0);
  const next = page.indexOf('<a id="', start + 1);
  return page.slice(start, next < 0 ? undefined : next);
}

describe('docs/findings.md', () => {
  it('files every finding of the campaigns under an entry of the page', () => {
    expect(facts.unexplained.map((f) => `${f.profile}: ${f.property} ${f.violation.kind} ${f.shapeClass}`)).toEqual([]);
    for (const entry of FINDINGS) expect([entry.anchor, (facts.cases.get(entry.anchor) ?? []).length > 0]).toEqual([entry.anchor, true]);
  });

  it.each(FINDINGS.map((e) => e.anchor))('shows the minimal case(s) of %s as the campaign shrinks them today', (anchor) => {
    expect(between(`<!-- case:${anchor} -->\n`, '\n<!-- /case -->')).toBe(generated.get(`case:${anchor}`));
  });

  it.each(FINDINGS.map((e) => e.anchor))('names the profiles %s fails on, in its section and in the table', (anchor) => {
    const failsOn = generated.get(`failsOn:${anchor}`)!;
    expect(failsOn).not.toBe('');
    expect(section(anchor)).toContain(`**Fails on:** ${failsOn}.`);
    const row = page.split('\n').find((l) => l.includes(`](#${anchor})`));
    expect(row?.endsWith(`| ${failsOn} |`), row).toBe(true);
  });

  it.each(FINDINGS.map((e) => e.anchor))('quotes the assertions of the Galaxy test exported for %s', (anchor) => {
    expect(between(`<!-- galaxy-test:${anchor} -->\n`, '\n<!-- /galaxy-test -->')).toBe(generated.get(`test:${anchor}`));
  });

  it('links an entry for every hazard property, as run, gate and nightly print it', () => {
    expect([...HAZARD_PROPERTIES].sort()).toEqual(PROPERTIES.filter((x) => x.hazard !== undefined).map((x) => x.id).sort());
    for (const p of PROPERTIES.filter((x) => x.hazard !== undefined)) {
      const links = propertyLinks(p.id);
      expect([p.id, links.length > 0]).toEqual([p.id, true]);
      for (const link of links) expect(page).toContain(`<a id="${link.split('#')[1]}"></a>`);
    }
  });

  it('shows what the command it cites finds: cardfuzz run gives the same findings as the in-process campaign', () => {
    const r = runCli(['run', '--profile', 'upstream', '--hazards', '--seed', '1', '--json']);
    expect(r.status, r.stderr).toBe(1);
    const cli = (JSON.parse(r.stdout) as { findings: { fingerprint: string }[] }).findings.map((f) => f.fingerprint).sort();
    expect(cli).toEqual(facts.fingerprints.get('upstream 1'));
  });

  itNeeding(python3Requirement(), 'exports a Galaxy test for each tool-request case that compiles and says what it expects to fail today', (python3) => {
    const dir = tempDir();
    for (const entry of FINDINGS) {
      for (const f of facts.cases.get(entry.anchor) ?? []) {
        if (f.case.entry === 'workflow-step') continue;
        const text = exportedTest(f);
        expect(text).toContain(`Expected to FAIL on Galaxy today: ${entry.galaxyTest.failsToday}.`);
        expect(text).toContain(`The finding: ${FINDINGS_PAGE}#${entry.anchor}`);
        const file = join(dir, `test_${f.fingerprint}.py`);
        writeFileSync(file, text);
        const compiled = spawnSync(python3, ['-m', 'py_compile', file], { encoding: 'utf8' });
        expect([entry.anchor, compiled.status, compiled.stderr]).toEqual([entry.anchor, 0, '']);
      }
    }
  });
});
