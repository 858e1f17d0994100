import { describeWorkflowSteps } from '../model/request-body.js';
import { SHAPES, type ShapeId } from '../expansion/shape-classes.js';
import type { Case } from '../model/case.js';
import type { CardinalityMap, MapEntry } from './cardinality-map.js';

/**
 * The map as text: a terminal table, and Markdown in the style of the
 * branch's problem ledger (the sound relationships, the loose ones with
 * their witness request bodies, the conflicts), ready to paste into a pull
 * request.
 */

const n = (x: number): string => x.toLocaleString('en-US');
const pct = (x: number): string => `${Math.round(100 * x)}%`;
const shapeName = (s: string): string => (s in SHAPES ? SHAPES[s as ShapeId] : s);

export function describeDeclarations(e: MapEntry): string {
  const parts: string[] = [];
  if (e.declarations.relationship !== null) parts.push(`${e.declarations.relationship.name} ${e.declarations.relationship.uselist ? 'list' : 'scalar'}`);
  for (const u of e.declarations.uniques) parts.push(`${u.partial ? 'partial ' : ''}UNIQUE${u.name ? ` ${u.name}` : ''}`);
  return parts.join(', ') || 'none';
}

export function describeBuckets(e: MapEntry): string {
  return `${n(e.buckets['0'])} / ${n(e.buckets['1'])} / ${n(e.buckets['2'])} / ${n(e.buckets.many)}`;
}

export function describeStrength(e: MapEntry): string {
  const s = e.strength;
  return `${n(s.cases)} cases, ${n(s.parents)} parents; ${s.shapesReachable.filter((x) => s.shapesReached.includes(x)).length} of ${s.shapesReachable.length} reachable shapes, buckets ${s.bucketsReached.join('/') || 'none'} of ${s.bucketsReachable.join('/') || 'none'} (${pct(s.share)})`;
}

/** The request body as the ledger prints it: `{"inputs": ...}`, short values on one line. */
export function witnessBody(c: Case): string {
  return pretty(witnessRequestBody(c), '');
}

function witnessRequestBody(c: Case): object {
  if (c.entry === 'workflow-invocation') return { inputs: c.invocation.inputs };
  return c.entry === 'tool-request' && c.rerun_remap_job_id !== undefined ? { inputs: c.request, rerun_remap_job_id: c.rerun_remap_job_id } : { inputs: c.request };
}

function compact(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(compact).join(', ')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${compact(x)}`).join(', ')}}`;
  return JSON.stringify(v);
}

function pretty(v: unknown, indent: string): string {
  const flat = compact(v);
  if (v === null || typeof v !== 'object' || flat.length + indent.length <= 64) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(v)) return `[\n${v.map((x) => `${inner}${pretty(x, inner)}`).join(',\n')}\n${indent}]`;
  return `{\n${Object.entries(v).map(([k, x]) => `${inner}${JSON.stringify(k)}: ${pretty(x, inner)}`).join(',\n')}\n${indent}}`;
}

function describeCase(c: Case): string {
  if (c.entry === 'workflow-invocation') return `POST /api/workflows/{id}/invocations; workflow: ${describeWorkflowSteps(c)}; history: ${c.history.datasets.length} datasets, ${c.history.collections.length} collections`;
  const inputs = c.tool.inputs.map((i) => (i.type === 'data_collection' ? `${i.name} (data_collection ${i.collection_type})` : i.type === 'data' ? `${i.name} (data${i.multiple ? ', multiple' : ''})` : `${i.name} (${i.type})`));
  const outputs = c.tool.outputs.map((o) => (o.type === 'data' ? o.name : `${o.name} (${o.collection_type})`));
  const entry = c.entry === 'tool-request' ? 'POST /api/jobs' : c.entry === 'legacy' ? 'POST /api/tools (legacy)' : `workflow step${c.step ? ` ${JSON.stringify(c.step)}` : ''}`;
  return `${entry}; tool ${c.tool.id}: ${inputs.join(', ') || 'no inputs'} -> ${outputs.join(', ') || 'no outputs'}; history: ${c.history.datasets.length} datasets, ${c.history.collections.length} collections${c.history.collections.length > 0 ? ` (${c.history.collections.map((x) => `${x.collection_type} of ${x.elements.length}`).join(', ')})` : ''}`;
}

function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const NUMBER_WORDS = ['none', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const word = (k: number): string => NUMBER_WORDS[k] ?? String(k);

/** Per parent table with two or more foreign keys into it: the ledger's "three of the four are sound; job is loose". */
export function parentSummaries(map: CardinalityMap): string[] {
  const byParent = new Map<string, MapEntry[]>();
  for (const e of map.relationships) byParent.set(e.parentTable, [...(byParent.get(e.parentTable) ?? []), e]);
  const lines: string[] = [];
  for (const [parent, entries] of [...byParent].sort(([a], [b]) => a.localeCompare(b))) {
    const written = entries.filter((e) => e.verdict !== 'never written');
    if (written.length < 2) continue;
    const label = (e: MapEntry): string => `${e.childTable}${entries.filter((x) => x.childTable === e.childTable).length > 1 ? `.${e.column}` : ''}`;
    const sound = written.filter((e) => e.verdict === '1:1 so far').map(label);
    const loose = written.filter((e) => e.verdict === 'loose').map(label);
    const conflicts = written.filter((e) => e.verdict === 'conflict').map(label);
    const parts = [`${word(sound.length).replace(/^./, (c) => c.toUpperCase())} of the ${word(written.length)} foreign keys into ${parent} ${sound.length === 1 ? 'is' : 'are'} 1:1 so far${sound.length > 0 ? ` (${listWords(sound)})` : ''}`];
    if (loose.length > 0) parts.push(`${listWords(loose)} ${loose.length === 1 ? 'is' : 'are'} loose`);
    if (conflicts.length > 0) parts.push(`${listWords(conflicts)} ${conflicts.length === 1 ? 'is a conflict' : 'are conflicts'}`);
    lines.push(`${parts.join('; ')}.`);
  }
  return lines;
}

export function mapMarkdown(map: CardinalityMap, command: string): string {
  const sound = map.relationships.filter((e) => e.verdict === '1:1 so far');
  const loose = map.relationships.filter((e) => e.verdict === 'loose');
  const conflicts = map.relationships.filter((e) => e.verdict === 'conflict');
  const never = map.relationships.filter((e) => e.verdict === 'never written');
  const out: string[] = [
    `Cardinality map — ${map.profile}`,
    '',
    `Which foreign keys among the tables cardfuzz writes are 1:1 and which are 1:N, from ${n(map.cases)} generated cases (seed ${map.seed}; ${map.shapesReached} of the ${map.shapesReachable} shapes the model reaches). Generated by \`${command}\`.`,
    '',
  ];
  const summaries = parentSummaries(map);
  if (summaries.length > 0) out.push(...summaries, '');
  out.push(`${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}, ${loose.length} loose, ${sound.length} 1:1 so far, ${never.length} never written.`, '');

  let section = 0;
  if (conflicts.length > 0) {
    out.push('', `${++section}. Conflicts: declared scalar or UNIQUE, yet 1:N`, '');
    for (const e of conflicts) out.push(...entryBlock(e, 'conflict'));
  }
  out.push('', `${++section}. Sound: 1:1 so far`, '');
  if (sound.length === 0) out.push('None.', '');
  else {
    out.push(`No parent had more than one child through these in ${n(map.cases)} cases. "So far" is as strong as the coverage column: the cases that wrote a parent, and the share of the reachable shapes and cardinality buckets they reached.`, '');
    out.push('| foreign key | parents (0 / 1 children) | declared | could also declare | coverage |', '|---|---|---|---|---|');
    for (const e of sound) out.push(`| \`${e.relationship}\` | ${n(e.buckets['0'])} / ${n(e.buckets['1'])} | ${describeDeclarations(e)} | ${e.candidate} | ${describeStrength(e)} |`);
    out.push('');
  }
  out.push('', `${++section}. Loose: 1:N, declared as a list`, '');
  if (loose.length === 0) out.push('None.', '');
  else {
    out.push('Each with its witness, the smallest request that still gives one parent two children (a `--save` witness is replayed by the gate: a later UNIQUE or scalar declaration fails it).', '');
    out.push('| foreign key | most children | declared | witness | request body |', '|---|---|---|---|---|');
    for (const e of loose) {
      const w = e.witness;
      const body = w === null ? 'none (shrink budget spent)' : `\`${compact(witnessRequestBody(w.case)).replaceAll('|', '\\|')}\`${w.case.entry === 'tool-request' ? '' : ` (${w.case.entry})`}`;
      const notes = [w?.file ? `saved as \`${w.file}\`` : null, e.note].filter((x) => x !== null);
      out.push(`| \`${e.relationship}\` | ${e.mostChildren} | ${describeDeclarations(e)} | ${w === null ? '-' : `${w.shapeClass}, ${w.children} children`}${notes.length > 0 ? `; ${notes.join('; ')}` : ''} | ${body} |`);
    }
    out.push('');
  }
  if (never.length > 0) {
    out.push('', `${++section}. Never written`, '', 'No execution wrote a child row through these (history fixture rows are cardfuzz’s set-up, not Galaxy’s writer), so the map says nothing about them:', '');
    for (const e of never) out.push(`- \`${e.relationship}\` (declared: ${describeDeclarations(e)}; ${n(e.parents)} parents written)`);
    out.push('');
  }
  const notNull = map.columns.filter((c) => c.kind === 'not-null');
  const unwritten = map.columns.filter((c) => c.kind === 'never-written');
  out.push('', `${++section}. Column candidates`, '', `Over the rows the executions inserted (history fixture rows excluded), with the same coverage caveat (${map.shapesReached} of ${map.shapesReachable} reachable shapes):`, '');
  out.push(`- NOT NULL candidates (never NULL, declared nullable): ${notNull.length === 0 ? 'none' : notNull.map((c) => `\`${c.table}.${c.column}\` (${n(c.rows)} rows)`).join(', ')}`);
  out.push(`- Never written (NULL in every row): ${unwritten.length === 0 ? 'none' : unwritten.map((c) => `\`${c.table}.${c.column}\` (${n(c.rows)} rows)`).join(', ')}`);
  if (map.tablesNeverWritten.length > 0) out.push(`- Tables no execution inserted into: ${map.tablesNeverWritten.map((t) => `\`${t}\``).join(', ')}`);
  out.push('');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

function entryBlock(e: MapEntry, kind: 'loose' | 'conflict'): string[] {
  const out = [`\`${e.relationship}\``, ''];
  out.push(`Most children of one ${e.parentTable}: ${e.mostChildren} (${n(e.buckets['2'])} parents with two, ${n(e.buckets.many)} with more; ${n(e.parents)} in all). Declared: ${describeDeclarations(e)}.${e.note ? ` Note: ${e.note}.` : ''}`, '');
  if (kind === 'conflict') out.push(`Declared 1:1 by ${e.conflict}, yet one ${e.parentTable} gets ${e.witness?.children ?? e.mostChildren} ${e.childTable} rows.`, '');
  const w = e.witness;
  if (w === null) {
    out.push('No witness: shrinking ran out of budget before this relationship (raise --shrink-time-limit).', '');
    return out;
  }
  out.push(`The shape that gives one ${e.parentTable} ${w.children} ${e.childTable} rows (${w.shapeClass}, ${shapeName(w.shapeClass).replace(/^./, (c) => c.toLowerCase())}; ${describeCase(w.case)}):`, '', '```json', witnessBody(w.case), '```', '');
  if (w.judgement.property !== null) out.push(`${w.judgement.property} reports it: fingerprint ${w.judgement.fingerprint}${w.judgement.constraint ? `, ${w.judgement.constraint}` : ''} — ${w.judgement.message}`, '');
  else if (kind === 'loose') out.push('It persists on this profile.', '');
  if (w.file !== undefined) out.push(`Saved as \`${w.file}\` (the gate replays it).`, '');
  else if (w.reused) out.push('Reused from a saved witness.', '');
  return out;
}

/** The terminal rendering: one line per foreign key, then the witnesses and column candidates. */
export function mapText(map: CardinalityMap): string {
  const rows = map.relationships.map((e) => [e.verdict, e.relationship, String(e.mostChildren), describeBuckets(e), describeDeclarations(e), e.witness ? `${e.witness.shapeClass}${e.witness.judgement.fingerprint ? ` ${e.witness.judgement.fingerprint}` : ''}` : e.verdict === '1:1 so far' ? pct(e.strength.share) : '-']);
  const header = ['VERDICT', 'FOREIGN KEY', 'MOST', '0 / 1 / 2 / MANY', 'DECLARED', 'WITNESS / COVERAGE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const out = [`cardinality map: profile ${map.profile}, ${n(map.cases)} cases (seed ${map.seed}), ${map.shapesReached} of ${map.shapesReachable} reachable shapes`, line(header), ...rows.map(line), ''];
  out.push(...parentSummaries(map));
  for (const e of map.relationships) {
    if (e.witness === null) continue;
    out.push(`${e.verdict === 'conflict' ? 'CONFLICT' : 'loose'} ${e.relationship}: witness ${e.witness.shapeClass} ${JSON.stringify(witnessRequestBody(e.witness.case))}${e.conflict ? `\n  declared: ${e.conflict}` : ''}${e.witness.judgement.property ? `\n  ${e.witness.judgement.property} [fingerprint ${e.witness.judgement.fingerprint}]: ${e.witness.judgement.message}` : ''}${e.note ? `\n  note: ${e.note}` : ''}${e.witness.file ? `\n  saved: ${e.witness.file}` : ''}`);
  }
  const notNull = map.columns.filter((c) => c.kind === 'not-null');
  const unwritten = map.columns.filter((c) => c.kind === 'never-written');
  out.push(`NOT NULL candidates: ${notNull.map((c) => `${c.table}.${c.column}`).join(', ') || 'none'}`);
  out.push(`never written: ${unwritten.map((c) => `${c.table}.${c.column}`).join(', ') || 'none'}`);
  return out.join('\n');
}
