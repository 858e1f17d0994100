import { PROPERTIES } from '../../../properties/index.js';
import type { StepValue, WorkflowTrace } from '../../executor/invoke-workflow.js';
import { classifyShapes, SHAPES } from '../../expansion/shape-classes.js';
import { isJsonObject } from '../../model/json-checks.js';
import { readCase } from '../../model/parse-case.js';
import { formatApproximation } from '../../tools/approximations.js';
import { parseRegressionCase } from '../../regression/regression-case.js';
import type { SettingsPatch } from '../../profiles/settings.js';
import type { ConstraintViolation } from '../../persistence/case-database.js';
import { tablesUsedBy } from '../../persistence/open-case-database.js';
import { executorSettingsOf } from '../../profiles/settings.js';
import { readerRequestsFor } from '../../readers/reader-requests.js';
import { executionNotApplicable } from '../../runner/applicability.js';
import { openTarget, type TargetOptions } from '../../runner/open-target.js';
import { NOT_JUDGED, violationOf, type CaseEvaluation, type Judgement, type Violation } from '../../runner/property.js';
import { executionRowCounts } from '../../runner/row-counts.js';
import type { Io } from '../io.js';
import { readJsonFile } from '../read-input-file.js';

export interface ExplainOptions {
  readonly file: string;
  /** The target, given what a regression case file records (its profile and settings; --profile and --set win). */
  readonly target: (recorded: { readonly profile: string; readonly settings: SettingsPatch } | undefined) => Promise<TargetOptions>;
  readonly json: boolean;
}

/**
 * `cardfuzz explain CASE.json`: one case without fuzzing — the expansion,
 * the rows per table, Galaxy's readers and every property's verdict; how a
 * person checks the model against what real Galaxy did.
 */
export async function explainCommand(options: ExplainOptions, io: Io): Promise<number> {
  const raw = await readJsonFile(options.file);
  // A regression case file is read as replay reads it: the same checks, the same refusals (format, version).
  const regression = isJsonObject(raw) && ('format' in raw || ('case' in raw && !('tool' in raw))) ? parseRegressionCase(JSON.stringify(raw), options.file) : undefined;
  const { case: c, approximations } = regression !== undefined ? { case: regression.case, approximations: [] } : readCase(raw, options.file);
  if (!options.json) for (const a of approximations) io.err(`note: ${formatApproximation(a)}`);
  const target = await options.target(regression === undefined ? undefined : { profile: regression.profile, settings: regression.settings });
  const { system, database } = await openTarget(target);
  try {
    const plan = system.plan(c);
    const outcome = await database.runCase(plan, { readers: readerRequestsFor, overfull: true });
    const evaluation: CaseEvaluation = { case: c, plan, outcome, system };
    const judgements: [string, Judgement][] = PROPERTIES.flatMap((p) => (p.family === 'execution' ? [[p.id, p.check(evaluation)] as [string, Judgement]] : []));
    // A property the schema gives nothing to judge says why, rather than "not judged".
    const notApplicable = Object.fromEntries(
      PROPERTIES.flatMap((p) => {
        const reason = p.family === 'execution' ? executionNotApplicable(p, system, database.catalog) : null;
        return reason !== null && judgements.some(([id, j]) => id === p.id && j === NOT_JUDGED) ? [[p.id, reason]] : [];
      }),
    );
    const verdicts: [string, Violation | null][] = judgements.map(([id, j]) => [id, violationOf(j)]);
    const expansion = plan.expansion;
    const rows = executionRowCounts(plan, tablesUsedBy(executorSettingsOf(system.settings)), outcome.failure?.statementIndex ?? null);
    const shapes = classifyShapes(c, expansion);
    const intent = plan.intent;
    const document = {
      profile: system.profile.name,
      approximations,
      settings: target.settings,
      ...(regression === undefined ? {} : { recorded: { property: regression.property, fingerprint: regression.fingerprint, profile: regression.profile } }),
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
      ...(plan.workflow === null ? {} : { workflow: workflowSteps(plan.workflow) }),
      rows,
      write: outcome.failure === null ? ('persisted' as const) : { failedAt: outcome.failure.statement.table, statementIndex: outcome.failure.statementIndex, violation: outcome.failure.violation },
      readers: outcome.readings?.map((r) => ({ reader: r.reader, argument: r.argument, ids: r.ids })) ?? [],
      overfull: outcome.overfull ?? [],
      properties: Object.fromEntries(judgements.map(([id, j]) => [id, j === NOT_JUDGED ? (id in notApplicable ? 'not applicable' : 'not judged') : j === null ? 'passed' : 'failed'])),
      notApplicable,
      violations: Object.fromEntries(verdicts.filter(([, v]) => v !== null)),
    };
    if (options.json) io.out(JSON.stringify(document, null, 2));
    else io.out(formatExplanation(document, shapes, regression === undefined ? null : `${regression.property} ${regression.fingerprint}`, plan.workflow));
    return verdicts.some(([, v]) => v !== null) ? 1 : 0;
  } finally {
    await database.close();
  }
}

/** The invocation step by step: each invocation, then each step the scheduler reached, in the order it reached them. */
function workflowSteps(trace: WorkflowTrace) {
  const value = (v: StepValue | null): string =>
    v === null ? 'not reached' : v.kind === 'dataset' ? `dataset ${v.id}` : v.kind === 'collection' ? `collection ${v.id} (${v.collection.collection_type}, ${v.collection.elements.length} elements)` : v.kind === 'parameter' ? JSON.stringify(v.value) : 'none';
  return {
    refused: trace.refused,
    passes: trace.passes,
    unfinished: trace.unfinished,
    waitingForJobs: trace.waitingForJobs,
    populated: trace.populated,
    endedJobs: trace.endedJobs,
    invocations: trace.invocations.map((i) => ({ id: i.id, parent: i.parentId, config: i.config, state: i.state, message: i.message })),
    steps: trace.steps.map((s) => ({
      invocation: s.invocationId,
      step: s.orderIndex,
      type: s.type,
      tool: s.toolId,
      stepRow: s.wisId,
      state: s.state,
      passes: s.passes,
      expansion: s.expansion === null ? null : s.expansion.ok ? { combinations: s.expansion.combinations.length, mapOver: s.expansion.mapOver?.leafCount ?? null } : { error: `${s.expansion.error.kind}: ${s.expansion.error.message}` },
      jobs: s.jobs.map((j) => j.id),
      jobsFail: s.failing,
      implicitCollectionJobs: s.icjId,
      connections: s.connections.map((c) => `${c.input} <- step ${c.from} ${c.outputName}: ${value(c.value)}`),
      outputs: s.outputs === null ? null : s.outputs.map((o) => `${o.name}: ${value(o.value)}`),
    })),
  };
}

function formatWorkflow(w: ReturnType<typeof workflowSteps>): string[] {
  if (w.refused !== null) return [`invocation: Galaxy refuses the request: ${w.refused}`];
  const lines = [`invocations (${w.passes} scheduling pass${w.passes === 1 ? '' : 'es'}):`];
  for (const p of w.populated) lines.push(`  collection ${p.hdcaId}: its upload populated it before pass ${p.pass}`);
  for (const i of w.invocations) {
    lines.push(`  invocation ${i.id}${i.parent === null ? ` (batch combination ${i.config})` : ` (subworkflow of invocation ${i.parent})`}: ${i.state}${i.message ? ` — ${i.message}` : ''}${w.unfinished.includes(i.id) ? ' — never finishes' : w.waitingForJobs.includes(i.id) ? ` — ${w.endedJobs.some((e) => e.state === 'paused') ? 'waits for its jobs (a collection a job fills, or a paused job a person resumes)' : 'waits for a job to fill a collection'} (the model runs no job to the end)` : ''}`);
    for (const s of w.steps.filter((x) => x.invocation === i.id)) {
      const exp = s.expansion === null ? '' : 'error' in s.expansion ? `, Galaxy raises ${s.expansion.error}` : `, ${s.expansion.combinations} combination(s)${s.expansion.mapOver === null ? '' : `, mapped over ${s.expansion.mapOver} element(s)`}`;
      // A job that did not end ok shows the state it ended in (scheduling.failed_jobs: error; a job reading a failed output: paused).
      const job = (id: number): string => {
        const ended = w.endedJobs.find((e) => e.jobId === id);
        return ended === undefined ? String(id) : `${id} ${ended.state} before pass ${ended.pass}`;
      };
      lines.push(`    step ${s.step} ${s.type}${s.tool ? ` ${s.tool}` : ''}: step row ${s.stepRow} ${s.state} after ${s.passes} pass(es)${exp}; jobs [${s.jobs.map(job).join(', ')}]${s.implicitCollectionJobs === null ? '' : `, ICJ ${s.implicitCollectionJobs}`}${s.jobsFail ? ' (its jobs fail: scheduling.failed_jobs)' : ''}`);
      for (const c of s.connections) lines.push(`      in  ${c}`);
      for (const o of s.outputs ?? []) lines.push(`      out ${o}`);
    }
  }
  return lines;
}

function formatExplanation(d: { profile: string; settings: SettingsPatch; expansion: { combinations: number; mapOver: boolean; error: string | null; structureLeaves: number | null }; execution: Record<string, unknown>; rows: Record<string, number>; write: 'persisted' | { failedAt: string; statementIndex: number; violation: ConstraintViolation }; readers: readonly { reader: string; argument: number; ids: readonly number[] }[]; properties: Record<string, string>; notApplicable: Record<string, string>; violations: Record<string, Violation | null> }, shapes: readonly (keyof typeof SHAPES)[], recorded: string | null, trace: WorkflowTrace | null): string {
  const settings = Object.entries(d.settings).map(([k, v]) => `${k}=${String(v)}`);
  const lines = [`profile ${d.profile}${settings.length > 0 ? `, ${settings.join(', ')}` : ''}${recorded === null ? '' : ` (as recorded for ${recorded})`}`, `shapes: ${shapes.map((s) => `${s} (${SHAPES[s]})`).join('; ')}`];
  if (trace !== null) lines.push(...formatWorkflow(workflowSteps(trace)));
  else lines.push(
    d.expansion.error !== null
      ? `expansion: Galaxy raises ${d.expansion.error}`
      : `expansion: ${d.expansion.combinations} combination${d.expansion.combinations === 1 ? '' : 's'}, ${d.expansion.mapOver ? `map-over of ${d.expansion.structureLeaves} element(s)` : 'no map-over'}`,
  );
  lines.push(`execution: ${Object.entries(d.execution).map(([k, v]) => `${k} ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`).join(', ')}`);
  lines.push(`rows written: ${Object.entries(d.rows).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`).join(', ') || 'none'}`);
  lines.push(`write: ${describeWrite(d.write)}`);
  if (d.readers.length > 0) {
    lines.push('readers:');
    for (const r of d.readers) lines.push(`  ${r.reader}(${r.argument}) -> [${r.ids.join(', ')}]`);
  }
  lines.push('properties:');
  for (const [id, verdict] of Object.entries(d.properties)) {
    const v = d.violations[id];
    const na = d.notApplicable[id];
    lines.push(`  ${verdict === 'passed' ? 'pass' : verdict === 'failed' ? 'FAIL' : na !== undefined ? 'n/a' : verdict} ${id}${v ? `: ${v.message}` : na !== undefined ? ` (${na})` : ''}`);
  }
  return lines.join('\n');
}

/** "persisted", or which write was refused and by what, in words. */
function describeWrite(write: 'persisted' | { failedAt: string; statementIndex: number; violation: ConstraintViolation }): string {
  if (write === 'persisted') return 'every row persisted';
  const v = write.violation;
  const on = [v.table, v.columns.length > 0 ? `(${v.columns.join(', ')})` : null].filter(Boolean).join(' ');
  return `refused at statement ${write.statementIndex + 1} (a write to ${write.failedAt}): ${v.kind}${on ? ` on ${on}` : ''}${v.constraint ? ` (${v.constraint})` : ''}\n  ${v.message}`;
}
