import { requestBody } from '../model/request-body.js';
import type { CardinalityBucket, Coverage, Relationship } from '../coverage/coverage.js';
import type { CardinalityMap, MapVerdict } from './cardinality-map.js';
import { emptyObservation, type CardinalityObservation } from './observe.js';
import { describeDeclarations } from './render-map.js';

/**
 * The map as the nightly report shows it: one row per foreign key (verdict,
 * buckets, declarations, witness shape and the file of the witness case),
 * from the night's coverage buckets — the workers already count them — and
 * witnesses shrunk from the baseline sample. Rows of shards merge: buckets
 * add, and the verdict is the strongest either saw (the declarations are
 * the same profile's).
 */

export interface NightlyMapRow {
  readonly relationship: string;
  readonly verdict: MapVerdict;
  readonly buckets: Readonly<Record<CardinalityBucket, number>>;
  readonly declared: string;
  /** What a conflict contradicts. */
  readonly conflict: string | null;
  readonly witnessShape: string | null;
  /** The witness's request inputs (JSON). */
  readonly witnessRequest: string | null;
  /** The witness regression case, relative to the run folder. */
  readonly witnessFile: string | null;
  /** For a conflict: the fingerprint of the finding the witness makes. */
  readonly fingerprint: string | null;
}

/**
 * Coverage buckets as an observation: parents and a lower bound on the
 * children and on the most children (`many` counts as three).
 */
export function observationFromCoverage(coverage: Coverage, relationships: readonly Relationship[]): CardinalityObservation {
  const obs = emptyObservation(relationships, {} as never, []);
  obs.cases = coverage.cases;
  obs.shapes = { ...coverage.shapes };
  for (const r of relationships) {
    const b = coverage.cardinality[r.name];
    if (b === undefined) continue;
    obs.relationships[r.name] = {
      parents: b['0'] + b['1'] + b['2'] + b.many,
      children: b['1'] + 2 * b['2'] + 3 * b.many,
      mostChildren: b.many > 0 ? 3 : b['2'] > 0 ? 2 : b['1'] > 0 ? 1 : 0,
      buckets: { ...b },
      cases: coverage.cases,
      shapes: {},
    };
  }
  return obs;
}

export function nightlyMapRows(map: CardinalityMap): NightlyMapRow[] {
  return map.relationships.map((e) => ({
    relationship: e.relationship,
    verdict: e.verdict,
    buckets: e.buckets,
    declared: describeDeclarations(e),
    conflict: e.conflict,
    witnessShape: e.witness?.shapeClass ?? null,
    witnessRequest: e.witness ? JSON.stringify(requestBody(e.witness.case).inputs) : null,
    witnessFile: e.witness?.file ?? null,
    fingerprint: e.witness?.judgement.fingerprint ?? null,
  }));
}

const RANK: Readonly<Record<MapVerdict, number>> = { 'never written': 0, '1:1 so far': 1, loose: 2, conflict: 3 };

export function mergeNightlyMapRows(a: readonly NightlyMapRow[], b: readonly NightlyMapRow[]): NightlyMapRow[] {
  const out = new Map<string, NightlyMapRow>(a.map((r) => [r.relationship, r]));
  for (const row of b) {
    const seen = out.get(row.relationship);
    if (seen === undefined) {
      out.set(row.relationship, row);
      continue;
    }
    const strongest = RANK[row.verdict] > RANK[seen.verdict] || (seen.witnessFile === null && row.witnessFile !== null && RANK[row.verdict] === RANK[seen.verdict]) ? row : seen;
    const buckets = { '0': seen.buckets['0'] + row.buckets['0'], '1': seen.buckets['1'] + row.buckets['1'], '2': seen.buckets['2'] + row.buckets['2'], many: seen.buckets.many + row.buckets.many };
    out.set(row.relationship, { ...strongest, buckets });
  }
  return [...out.values()].sort((x, y) => x.relationship.localeCompare(y.relationship));
}

const esc = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** The report's table: verdict, foreign key, buckets, declarations, witness shape with a link to its case. */
export function nightlyMapTable(rows: readonly NightlyMapRow[]): string {
  if (rows.length === 0) return '<p>No cardinality map recorded.</p>';
  const fmt = (n: number): string => n.toLocaleString('en-US');
  const body = rows.map((r) => {
    const witness = r.witnessShape === null ? (r.verdict === 'loose' || r.verdict === 'conflict' ? 'none (not in the baseline sample, or no time left)' : '') : `${r.witnessFile ? `<a href="${esc(r.witnessFile)}">${esc(r.witnessShape)}</a>` : esc(r.witnessShape)} <code>${esc(r.witnessRequest ?? '')}</code>${r.fingerprint ? ` <small>${esc(r.fingerprint)}</small>` : ''}`;
    return `<tr class="map-${r.verdict.replaceAll(/[^a-z0-9]+/g, '-')}"><td>${esc(r.verdict)}</td><td><code>${esc(r.relationship)}</code></td><td>${fmt(r.buckets['0'])} / ${fmt(r.buckets['1'])} / ${fmt(r.buckets['2'])} / ${fmt(r.buckets.many)}</td><td>${esc(r.conflict ?? r.declared)}</td><td>${witness}</td></tr>`;
  });
  return `<table class="cardinality-map"><thead><tr><th>verdict</th><th>foreign key</th><th>parents with 0 / 1 / 2 / many children</th><th>declared</th><th>witness</th></tr></thead><tbody>${body.join('')}</tbody></table>`;
}

/** One Markdown line for the nightly summary. */
export function nightlyMapLine(rows: readonly NightlyMapRow[]): string {
  const count = (v: MapVerdict): number => rows.filter((r) => r.verdict === v).length;
  const conflicts = rows.filter((r) => r.verdict === 'conflict').map((r) => `\`${r.relationship}\`${r.fingerprint ? ` (${r.fingerprint})` : ''}`);
  return `Cardinality map: ${count('conflict')} conflict${count('conflict') === 1 ? '' : 's'}${conflicts.length > 0 ? ` (${conflicts.join(', ')})` : ''}, ${count('loose')} loose, ${count('1:1 so far')} 1:1 so far, ${count('never written')} never written.`;
}
