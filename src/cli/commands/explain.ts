import { PROPERTIES } from '../../../properties/index.js';
import { classifyShapes, SHAPES } from '../../expansion/shape-classes.js';
import { isJsonObject } from '../../model/json-checks.js';
import { readCase } from '../../model/parse-case.js';
import { formatApproximation } from '../../tools/approximations.js';
import { tablesUsedBy } from '../../persistence/open-case-database.js';
import { executorSettingsOf } from '../../profiles/settings.js';
import { readerRequestsFor } from '../../readers/reader-requests.js';
import { openTarget, type TargetOptions } from '../../runner/open-target.js';
import { NOT_JUDGED, violationOf, type CaseEvaluation, type Judgement, type Violation } from '../../runner/property.js';
import { executionRowCounts } from '../../runner/row-counts.js';
import type { Io } from '../io.js';
import { readJsonFile } from '../read-input-file.js';

export interface ExplainOptions {
  readonly file: string;
  readonly target: TargetOptions;
  readonly json: boolean;
}

/**
 * `cardfuzz explain CASE.json`: one case without fuzzing — the expansion,
 * the rows per table, Galaxy's readers and every property's verdict; how a
 * person checks the model against what real Galaxy did.
 */
export async function explainCommand(options: ExplainOptions, io: Io): Promise<number> {
  const raw = await readJsonFile(options.file);
  const caseValue = isJsonObject(raw) && 'case' in raw && !('tool' in raw) ? raw['case'] : raw;
  const { case: c, approximations } = readCase(caseValue, isJsonObject(raw) && 'case' in raw && !('tool' in raw) ? `${options.file}: case` : options.file);
  if (!options.json) for (const a of approximations) io.err(`note: ${formatApproximation(a)}`);
  const { system, database } = await openTarget(options.target);
  try {
    const plan = system.plan(c);
    const outcome = await database.runCase(plan, { readers: readerRequestsFor, overfull: true });
    const evaluation: CaseEvaluation = { case: c, plan, outcome, system };
    const judgements: [string, Judgement][] = PROPERTIES.flatMap((p) => (p.family === 'execution' ? [[p.id, p.check(evaluation)] as [string, Judgement]] : []));
    const verdicts: [string, Violation | null][] = judgements.map(([id, j]) => [id, violationOf(j)]);
    const expansion = plan.expansion;
    const rows = executionRowCounts(plan, tablesUsedBy(executorSettingsOf(system.settings)), outcome.failure?.statementIndex ?? null);
    const shapes = classifyShapes(c, expansion);
    const intent = plan.intent;
    const document = {
      profile: system.profile.name,
      approximations,
      expansion: {
        combinations: expansion.ok ? expansion.combinations.length : 0,
        mapOver: expansion.ok && expansion.mapOver !== null,
        error: expansion.ok ? null : `${expansion.error.kind}: ${expansion.error.message}`,
        errorStage: expansion.ok ? null : expansion.error.stage,
        shapes,
        parameters: expansion.params.map((p) => ({ key: p.key, classification: p.classification, values: p.batchLength, mapOver: p.mapOver ? { collectionType: p.mapOver.collectionType, subcollectionType: p.mapOver.subcollectionType, linked: p.mapOver.linked } : null })),
        structureLeaves: expansion.ok && expansion.mapOver ? expansion.mapOver.leafCount : null,
      },
      execution: {
        jobs: intent.jobs.length,
        implicitCollectionJobs: intent.icjs.filter((i) => i.persisted).length,
        // Galaxy's `implicit_collections` in a tool run response: the output collections a map-over creates.
        implicitCollections: intent.outputCollections.filter((o) => o.icjId !== null).length,
        implicitCollectionJobsJobRows: intent.jobs.filter((j) => j.icjId !== null).length,
        toolExecutionStates: intent.tes.length,
        jobsStampedWithTes: intent.jobs.filter((j) => j.tesId !== null).length,
        activeOutputs: intent.activeOutputs,
        passes: intent.passes,
      },
      rows,
      write: outcome.failure === null ? 'persisted' : { failedAt: outcome.failure.statement.table, violation: outcome.failure.violation },
      readers: outcome.readings?.map((r) => ({ reader: r.reader, argument: r.argument, ids: r.ids })) ?? [],
      overfull: outcome.overfull ?? [],
      properties: Object.fromEntries(judgements.map(([id, j]) => [id, j === NOT_JUDGED ? 'not judged' : j === null ? 'passed' : 'failed'])),
      violations: Object.fromEntries(verdicts.filter(([, v]) => v !== null)),
    };
    if (options.json) io.out(JSON.stringify(document, null, 2));
    else io.out(formatExplanation(document, shapes));
    return verdicts.some(([, v]) => v !== null) ? 1 : 0;
  } finally {
    await database.close();
  }
}

function formatExplanation(d: { profile: string; expansion: { combinations: number; mapOver: boolean; error: string | null; structureLeaves: number | null }; execution: Record<string, unknown>; rows: Record<string, number>; write: unknown; readers: readonly { reader: string; argument: number; ids: readonly number[] }[]; properties: Record<string, string>; violations: Record<string, Violation | null> }, shapes: readonly (keyof typeof SHAPES)[]): string {
  const lines = [`profile ${d.profile}`, `shapes: ${shapes.map((s) => `${s} (${SHAPES[s]})`).join('; ')}`];
  lines.push(
    d.expansion.error !== null
      ? `expansion: Galaxy raises ${d.expansion.error}`
      : `expansion: ${d.expansion.combinations} combination${d.expansion.combinations === 1 ? '' : 's'}, ${d.expansion.mapOver ? `map-over of ${d.expansion.structureLeaves} element(s)` : 'no map-over'}`,
  );
  lines.push(`execution: ${Object.entries(d.execution).map(([k, v]) => `${k} ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`).join(', ')}`);
  lines.push(`rows written: ${Object.entries(d.rows).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`).join(', ') || 'none'}`);
  lines.push(`write: ${typeof d.write === 'string' ? d.write : JSON.stringify(d.write)}`);
  if (d.readers.length > 0) {
    lines.push('readers:');
    for (const r of d.readers) lines.push(`  ${r.reader}(${r.argument}) -> [${r.ids.join(', ')}]`);
  }
  lines.push('properties:');
  for (const [id, verdict] of Object.entries(d.properties)) {
    const v = d.violations[id];
    lines.push(`  ${verdict === 'passed' ? 'pass' : verdict === 'failed' ? 'FAIL' : verdict} ${id}${v ? `: ${v.message}` : ''}`);
  }
  return lines.join('\n');
}
