import type fc from 'fast-check';
import type { Case } from '../model/case.js';
import type { SettingsPatch } from '../profiles/settings.js';
import type { Finding } from './finding.js';
import type { AnyProperty } from './property.js';
import { runSuite } from './run-suite.js';

/**
 * The verdict of every property on a set of profile variants, each from a
 * real seeded run — the README's verdict table is generated from this,
 * never typed by hand.
 */

export interface Variant {
  readonly label: string;
  readonly profile: string;
  readonly settings: SettingsPatch;
}

export const VERDICT_VARIANTS: readonly Variant[] = [
  { label: 'upstream', profile: 'upstream', settings: {} },
  { label: 'branch-1f87eebce', profile: 'branch-1f87eebce', settings: {} },
  { label: 'branch-1f87eebce, orm.scalarReplace=repoint', profile: 'branch-1f87eebce', settings: { 'orm.scalarReplace': 'repoint' } },
  { label: 'branch-1f87eebce, schema.source=orm', profile: 'branch-1f87eebce', settings: { 'schema.source': 'orm' } },
  { label: 'branch-fixed', profile: 'branch-fixed', settings: {} },
  { label: 'branch-fixed, extraction.dedup=drop', profile: 'branch-fixed', settings: { 'extraction.dedup': 'drop' } },
];

export type Verdict =
  | { readonly status: 'passed'; readonly judged: number }
  | { readonly status: 'failed'; readonly finding: Finding }
  | { readonly status: 'not-applicable'; readonly reason: string }
  | { readonly status: 'not-checked'; readonly reason: string };

export interface VerdictRow {
  readonly variant: Variant;
  readonly runs: number;
  readonly verdicts: Readonly<Record<string, Verdict>>;
}

export async function verdictMatrix(options: {
  readonly variants: readonly Variant[];
  readonly properties: readonly AnyProperty[];
  readonly caseArbitrary: fc.Arbitrary<Case>;
  readonly historyArbitrary: fc.Arbitrary<readonly Case[]>;
  readonly seed: number;
  readonly runs: number;
  readonly onVariant?: (variant: Variant) => void;
}): Promise<VerdictRow[]> {
  const rows: VerdictRow[] = [];
  for (const variant of options.variants) {
    options.onVariant?.(variant);
    const result = await runSuite({
      target: { profile: variant.profile, settings: variant.settings, dialect: 'sqlite' },
      properties: options.properties,
      caseArbitrary: options.caseArbitrary,
      historyArbitrary: options.historyArbitrary,
      seed: options.seed,
      runs: options.runs,
      replayCommand: () => '',
    });
    if (result.error !== undefined) throw new Error(`${variant.label}: ${result.error.message}`);
    const verdicts: Record<string, Verdict> = {};
    for (const property of options.properties) {
      const finding = result.findings.find((f) => f.property === property.id);
      const check = result.checks.find((c) => c.property === property.id);
      verdicts[property.id] = check?.status === 'not-applicable'
        ? { status: 'not-applicable', reason: check.reason ?? 'the schema lacks what it needs' }
        : finding
          ? { status: 'failed', finding }
          : check?.status === 'not-checked'
            ? { status: 'not-checked', reason: check.reason ?? 'judged no case' }
            : { status: 'passed', judged: check?.judged ?? 0 };
    }
    rows.push({ variant, runs: result.runs, verdicts });
  }
  return rows;
}

/** The matrix as a Markdown table: a row per variant, a column per property; a failure shows its shrunk shape. */
export function verdictTable(rows: readonly VerdictRow[], properties: readonly AnyProperty[]): string {
  const header = `| profile | ${properties.map((p) => `${p.id}${p.hazard ? ' (hazard)' : ''}`).join(' | ')} |`;
  const rule = `|---|${properties.map(() => '---').join('|')}|`;
  const body = rows.map((row) => {
    const cells = properties.map((p) => {
      const v = row.verdicts[p.id]!;
      if (v.status === 'passed') return 'pass';
      if (v.status === 'not-applicable') return 'n/a';
      if (v.status === 'not-checked') return 'not checked';
      return `**FAIL** ${v.finding.shapeClass}`;
    });
    return `| ${row.variant.label} | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...body].join('\n');
}
