import type { CardinalityBucket, Relationship } from '../coverage/coverage.js';
import type { RelationshipDeclaration } from '../executor/relationships.js';
import type { Case } from '../model/case.js';
import type { Catalog } from '../persistence/catalog.js';
import type { CardinalityObservation } from './observe.js';

/**
 * The cardinality map (pure): for every foreign key among the tables the
 * cases write, what the campaign saw, the declarations that bear on it and
 * one verdict —
 *
 * - `conflict`: declared scalar or UNIQUE, yet a witness gives a parent two children;
 * - `loose`: 1:N, with a witness, and declared as a list (or not declared);
 * - `1:1 so far`: never more than one child per parent in the cases run;
 * - `never written`: the campaign wrote no child row.
 *
 * — and the columns the executions never left NULL (NOT NULL candidates) or
 * never wrote, each with the coverage that says how strong "so far" is.
 */

export const MAP_FORMAT = 'cardfuzz-cardinality-map';
export const MAP_FORMAT_VERSION = 1;

export type MapVerdict = 'conflict' | 'loose' | '1:1 so far' | 'never written';

export interface UniqueDeclaration {
  readonly name: string | null;
  readonly partial: boolean;
}

export interface Declarations {
  /** The profile's back-populate over this foreign key (`Parent.attribute`, uselist). */
  readonly relationship: { readonly name: string; readonly uselist: boolean } | null;
  /** UNIQUE constraints or indexes on exactly this column. */
  readonly uniques: readonly UniqueDeclaration[];
}

/** What a witness does when written to the target database, judged by the properties that would report it. */
export interface WitnessJudgement {
  /** The property that refuses it, when one does (persists-without-constraint-violations, then declared-cardinality-holds). */
  readonly property: string | null;
  readonly fingerprint: string | null;
  readonly constraint: string | null;
  readonly message: string | null;
}

export interface Witness {
  readonly case: Case;
  readonly shapeClass: string;
  /** Children of the busiest parent in the witness. */
  readonly children: number;
  /** The witness came from a regression case already saved, not from this campaign's shrinker. */
  readonly reused: boolean;
  readonly judgement: WitnessJudgement;
  /** The regression case it was saved as, when it was. */
  file?: string;
}

export interface Strength {
  /** Cases that wrote a parent row. */
  readonly cases: number;
  readonly parents: number;
  /** Shapes that wrote a parent row in this campaign, and in the reachable baseline. */
  readonly shapesReached: readonly string[];
  readonly shapesReachable: readonly string[];
  /** Buckets this campaign reached, of those the baseline reached. */
  readonly bucketsReached: readonly CardinalityBucket[];
  readonly bucketsReachable: readonly CardinalityBucket[];
  /** Share of the reachable shapes and buckets reached (1 when the baseline reached none). */
  readonly share: number;
}

export interface MapEntry {
  readonly relationship: string;
  readonly childTable: string;
  readonly column: string;
  readonly parentTable: string;
  readonly parents: number;
  readonly children: number;
  readonly mostChildren: number;
  readonly buckets: Readonly<Record<CardinalityBucket, number>>;
  readonly declarations: Declarations;
  readonly verdict: MapVerdict;
  /** For a conflict: what is declared that the witness contradicts. */
  readonly conflict: string | null;
  /** For `1:1 so far`: what could be declared that is not. */
  readonly candidate: string | null;
  readonly witness: Witness | null;
  readonly strength: Strength;
  readonly note: string | null;
}

export interface ColumnCandidate {
  readonly table: string;
  readonly column: string;
  readonly kind: 'not-null' | 'never-written';
  /** Rows the executions inserted into the table. */
  readonly rows: number;
}

export interface CardinalityMap {
  readonly format: typeof MAP_FORMAT;
  readonly version: typeof MAP_FORMAT_VERSION;
  readonly profile: string;
  readonly seed: number;
  readonly cases: number;
  readonly elapsedMs: number;
  /** Share of the reachable shapes the campaign reached. */
  readonly shapesReached: number;
  readonly shapesReachable: number;
  readonly relationships: readonly MapEntry[];
  readonly columns: readonly ColumnCandidate[];
  /** Tables the executions inserted no row into (their columns are not judged). */
  readonly tablesNeverWritten: readonly string[];
}

export interface MapInputs {
  readonly profile: string;
  readonly seed: number;
  readonly elapsedMs: number;
  readonly relationships: readonly Relationship[];
  readonly declarations: readonly RelationshipDeclaration[];
  readonly catalog: Catalog;
  readonly observation: CardinalityObservation;
  /** What the model reaches on a baseline sample (shapes and buckets per relationship). */
  readonly reachable: CardinalityObservation;
  readonly witnesses: ReadonlyMap<string, Witness>;
}

const BUCKET_ORDER: readonly CardinalityBucket[] = ['0', '1', '2', 'many'];

export function declarationsOf(relationship: Relationship, declarations: readonly RelationshipDeclaration[], catalog: Catalog): Declarations {
  const declared = declarations.find((d) => d.childTable === relationship.childTable && d.column === relationship.column && d.parentTable === relationship.parentTable);
  const uniques = (catalog.get(relationship.childTable)?.uniques ?? [])
    .filter((u) => u.origin !== 'primary-key' && u.columns.length === 1 && u.columns[0] === relationship.column)
    .map((u) => ({ name: u.name, partial: u.partial }));
  return { relationship: declared === undefined ? null : { name: declared.name, uselist: declared.uselist }, uniques };
}

function uniqueLabel(r: Relationship, u: UniqueDeclaration): string {
  return `${u.partial ? 'partial ' : ''}UNIQUE(${r.childTable}.${r.column})${u.name ? ` [${u.name}]` : ''}`;
}

export function buildCardinalityMap(inputs: MapInputs): CardinalityMap {
  const entries = inputs.relationships.map((r): MapEntry => {
    const seen = inputs.observation.relationships[r.name] ?? { parents: 0, children: 0, mostChildren: 0, buckets: { '0': 0, '1': 0, '2': 0, many: 0 }, cases: 0, shapes: {} };
    const baseline = inputs.reachable.relationships[r.name];
    const declarations = declarationsOf(r, inputs.declarations, inputs.catalog);
    const witness = inputs.witnesses.get(r.name) ?? null;
    // A saved witness that still gives a parent two children counts, even when this campaign did not reach it.
    const most = Math.max(seen.mostChildren, witness?.children ?? 0);
    const scalar = declarations.relationship !== null && !declarations.relationship.uselist;
    const declaredScalar = [...declarations.uniques.filter((u) => !u.partial).map((u) => uniqueLabel(r, u)), ...(scalar ? [`${declarations.relationship!.name} declared scalar (uselist=False)`] : [])];
    // A partial UNIQUE covers only the rows its WHERE selects: it conflicts when the database refuses the witness.
    const partial = declarations.uniques.filter((u) => u.partial).map((u) => uniqueLabel(r, u));
    const partialAccepts = partial.length > 0 && witness !== null && witness.judgement.property === null;
    let verdict: MapVerdict;
    let note: string | null = null;
    if (seen.children === 0 && witness === null) verdict = 'never written';
    else if (most >= 2) {
      if (partial.length > 0 && !partialAccepts) declaredScalar.push(...partial);
      verdict = declaredScalar.length > 0 ? 'conflict' : 'loose';
      if (partialAccepts) note = `${partial.join(', ')} does not cover the witness's rows (the database accepts it)`;
      else if (verdict === 'loose' && witness !== null && witness.judgement.property !== null) note = `the witness is refused on this profile by ${witness.judgement.constraint ?? witness.judgement.property} (${witness.judgement.property}), another relationship's constraint`;
    } else verdict = '1:1 so far';
    const missing: string[] = [];
    if (verdict === '1:1 so far') {
      if (declarations.uniques.length === 0) missing.push(`UNIQUE(${r.childTable}.${r.column})`);
      if (declarations.relationship === null) missing.push(`a scalar back-populate on ${r.parentTable}`);
      else if (declarations.relationship.uselist) missing.push(`${declarations.relationship.name} as scalar (uselist=False)`);
    }
    const shapesReachable = Object.keys(baseline?.shapes ?? {}).filter((s) => (baseline!.shapes[s] ?? 0) > 0).sort(byShape);
    const shapesReached = Object.keys(seen.shapes).filter((s) => (seen.shapes[s] ?? 0) > 0).sort(byShape);
    const bucketsReachable = BUCKET_ORDER.filter((b) => (baseline?.buckets[b] ?? 0) > 0);
    const bucketsReached = BUCKET_ORDER.filter((b) => seen.buckets[b] > 0);
    const reachable = shapesReachable.length + bucketsReachable.length;
    const reached = shapesReachable.filter((s) => shapesReached.includes(s)).length + bucketsReachable.filter((b) => bucketsReached.includes(b)).length;
    return {
      relationship: r.name,
      childTable: r.childTable,
      column: r.column,
      parentTable: r.parentTable,
      parents: seen.parents,
      children: seen.children,
      mostChildren: most,
      buckets: { ...seen.buckets },
      declarations,
      verdict,
      conflict: verdict === 'conflict' ? declaredScalar.join('; ') : null,
      candidate: verdict === '1:1 so far' ? (missing.length === 0 ? 'already declared scalar and UNIQUE' : missing.join(' and ')) : null,
      witness: verdict === 'conflict' || verdict === 'loose' ? witness : null,
      strength: { cases: seen.cases, parents: seen.parents, shapesReached, shapesReachable, bucketsReached, bucketsReachable, share: reachable === 0 ? 1 : reached / reachable },
      note,
    };
  });
  const columns: ColumnCandidate[] = [];
  const tablesNeverWritten = new Set<string>();
  for (const [name, o] of Object.entries(inputs.observation.columns)) {
    const [table, column] = name.split('.') as [string, string];
    if (o.rows === 0) {
      tablesNeverWritten.add(table);
      continue;
    }
    const declared = inputs.catalog.get(table)?.columns.find((c) => c.name === column);
    if (o.nulls === o.rows) columns.push({ table, column, kind: 'never-written', rows: o.rows });
    else if (o.nulls === 0 && declared !== undefined && !declared.notNull && !declared.primaryKey) columns.push({ table, column, kind: 'not-null', rows: o.rows });
  }
  const reachableShapes = Object.keys(inputs.reachable.shapes).filter((s) => (inputs.reachable.shapes[s] ?? 0) > 0);
  return {
    format: MAP_FORMAT,
    version: MAP_FORMAT_VERSION,
    profile: inputs.profile,
    seed: inputs.seed,
    cases: inputs.observation.cases,
    elapsedMs: Math.round(inputs.elapsedMs),
    shapesReached: reachableShapes.filter((s) => (inputs.observation.shapes[s] ?? 0) > 0).length,
    shapesReachable: reachableShapes.length,
    relationships: entries,
    columns: columns.sort((a, b) => a.table.localeCompare(b.table) || a.column.localeCompare(b.column)),
    tablesNeverWritten: [...tablesNeverWritten].sort(),
  };
}

/** S1, S2, ..., S10 in numeric order. */
function byShape(a: string, b: string): number {
  return Number(a.slice(1)) - Number(b.slice(1)) || a.localeCompare(b);
}

/** Exit status of a map: a conflict is a finding. */
export function mapHasConflict(map: CardinalityMap): boolean {
  return map.relationships.some((e) => e.verdict === 'conflict');
}
