import type { Finding } from '../runner/finding.js';
import type { PropertyCheck } from '../runner/run-suite.js';
import { isApproximation, type Approximation } from '../tools/approximations.js';

/**
 * The results of `run --tool DIR` at tool-shed scale, as data: one report per
 * tool file, the findings grouped across tools by fingerprint (the same bug
 * found in 113 tools is one block, with its smallest case), and the tally of
 * what loaded, what Galaxy's loader refuses and why, and what cardfuzz does
 * not model. The CLI prints it; `--json` gives it as it is.
 */
export interface ToolReport {
  readonly file: string;
  readonly id: string | null;
  /**
   * `refused`: Galaxy's own loader refuses the tool (the reason is Galaxy's);
   * `not-modelled`: Galaxy loads it, cardfuzz cannot fuzz it (the reason says why);
   * `error`: cardfuzz itself failed on it (its worker crashed twice, say: a tool error, never a finding).
   */
  readonly status: 'ok' | 'findings' | 'refused' | 'not-modelled' | 'error';
  readonly reason?: string;
  /** Approximations and the Galaxy loader rules applied (`kind: "galaxy-rule"`), as every command lists them. */
  readonly approximations: readonly Approximation[];
  readonly cases: number;
  readonly findings: readonly Finding[];
  /** Per property: failed, held, or not checked (judged no case of this tool). */
  readonly checks: readonly PropertyCheck[];
}

export interface FindingGroup {
  readonly fingerprint: string;
  readonly property: string;
  /** The tool files with this finding, in the order they were run. */
  readonly tools: readonly string[];
  /** The finding whose shrunk case is the smallest (its request, tool and history, as JSON). */
  readonly smallest: Finding;
}

const caseSize = (f: Finding): number => JSON.stringify(f.case).length;

/** The findings of all tools, one group per fingerprint, largest group first (then by fingerprint, so the order is stable). */
export function groupFindingsByFingerprint(reports: readonly ToolReport[]): FindingGroup[] {
  const groups = new Map<string, { property: string; tools: string[]; smallest: Finding }>();
  for (const report of reports) {
    for (const finding of report.findings) {
      const group = groups.get(finding.fingerprint);
      if (group === undefined) groups.set(finding.fingerprint, { property: finding.property, tools: [report.file], smallest: finding });
      else {
        if (!group.tools.includes(report.file)) group.tools.push(report.file);
        if (caseSize(finding) < caseSize(group.smallest)) group.smallest = finding;
      }
    }
  }
  return [...groups.entries()].map(([fingerprint, g]) => ({ fingerprint, ...g })).sort((a, b) => b.tools.length - a.tools.length || (a.fingerprint < b.fingerprint ? -1 : 1));
}

/**
 * A refusal's reason without the file, the place in the tool and the names it
 * quotes, so that the same reason in many tools counts once:
 * `parameter 'x' uses an unknown type 'y'` becomes `parameter '…' uses an unknown type '…'`.
 */
export function reasonPattern(report: Pick<ToolReport, 'file' | 'reason'>): string {
  const reason = report.reason ?? '';
  const withoutFile = reason.startsWith(report.file) ? reason.slice(report.file.length) : reason;
  const withoutPlace = withoutFile.replace(/^(:\s*)?\/[^:]*:\s*/, '').replace(/^(:\s*)?(tool(\.[\w$]+|\[\d+\])*:\s*|input [^:]*:\s*)*/, '');
  return withoutPlace.replace(/'[^']*'/g, "'…'").replace(/"[^"]*"/g, '"…"').replace(/\(known: [^)]*\)/, '(known: …)');
}

/** How many tools carry each note, by construct (quoted names and filter texts folded together). */
export function notesByConstruct(reports: readonly ToolReport[]): { readonly construct: string; readonly tools: number; readonly changesCounts: boolean; readonly galaxyRule: boolean }[] {
  const byConstruct = new Map<string, { tools: Set<string>; changesCounts: boolean; galaxyRule: boolean }>();
  for (const r of reports) {
    for (const a of r.approximations) {
      const construct = a.construct.replace(/<filter>.*<\/filter>/, '<filter>…</filter>').replace(/"[^"]*"/g, '"…"');
      let entry = byConstruct.get(construct);
      if (entry === undefined) byConstruct.set(construct, (entry = { tools: new Set(), changesCounts: false, galaxyRule: !isApproximation(a) }));
      entry.tools.add(r.file);
      entry.changesCounts ||= a.changesCounts;
    }
  }
  return [...byConstruct.entries()].map(([construct, e]) => ({ construct, tools: e.tools.size, changesCounts: e.changesCounts, galaxyRule: e.galaxyRule })).sort((a, b) => b.tools - a.tools || (a.construct < b.construct ? -1 : 1));
}

/** How many reports have each value of `key`, most frequent first. */
export function tally<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return Object.fromEntries([...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}
