import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fuzzCaseArbitrary } from '../../../generators/case.js';
import { generatorFingerprint } from '../../../generators/fingerprint.js';
import { findProperties } from '../../../properties/index.js';
import { mapHasConflict } from '../../cardinality/cardinality-map.js';
import { mapMarkdown, mapText } from '../../cardinality/render-map.js';
import { runCardinalityMap } from '../../cardinality/run-map.js';
import { WITNESS_PROPERTY_ID } from '../../cardinality/witness-property.js';
import { InvalidInputError } from '../../errors.js';
import { writeFileAtomic } from '../../files/atomic-write.js';
import type { Case } from '../../model/case.js';
import { saveWitnesses } from '../../regression/record-witness.js';
import { loadRegressionCases } from '../../regression/regression-store.js';
import { resolveTargetProfile, type TargetOptions } from '../../runner/open-target.js';
import type { ExecutionProperty } from '../../runner/property.js';
import { caseSize } from '../../shrink/reduce-case.js';
import { formatDuration } from '../durations.js';
import type { Io } from '../io.js';
import { progressReporter } from '../progress.js';
import { shellQuote, targetFlags } from '../shared-options.js';

export interface CardinalityOptions {
  readonly target: TargetOptions;
  readonly seed: number;
  readonly runs: number | undefined;
  readonly timeLimitMs: number | undefined;
  readonly shrinkTimeLimitMs: number | undefined;
  readonly json: boolean;
  readonly markdown: string | undefined;
  readonly save: string | undefined;
}

/** The properties a witness is judged by: the ones whose findings a conflict is. */
const JUDGES = ['persists-without-constraint-violations', 'declared-cardinality-holds'];

/**
 * `cardfuzz cardinality`: a campaign (the execution properties, hazards left
 * to nightly) that also maps every foreign key; exit 1 on a conflict or a
 * finding, 0 otherwise.
 */
export async function cardinalityCommand(options: CardinalityOptions, io: Io): Promise<number> {
  if (options.markdown === '') throw new InvalidInputError('--markdown needs a file name');
  const profile = await resolveTargetProfile(options.target);
  const properties = findProperties(undefined).filter((p): p is ExecutionProperty => p.family === 'execution' && p.hazard === undefined);
  const judges = findProperties(JUDGES) as ExecutionProperty[];
  const runs = options.runs ?? (options.timeLimitMs === undefined ? 2000 : undefined);
  const saved = options.save === undefined ? new Map<string, Case>() : await savedWitnesses(options.save);
  const budget = runs !== undefined ? `${runs.toLocaleString('en-US')} cases` : formatDuration(options.timeLimitMs!);
  io.err(`cardfuzz cardinality: profile ${profile.name}, seed ${options.seed}, ${budget}, ${options.target.dialect}${saved.size > 0 ? `, ${saved.size} saved witness${saved.size === 1 ? '' : 'es'}` : ''}`);
  const target: TargetOptions = { ...options.target, profile };
  const result = await runCardinalityMap({
    target,
    properties,
    judges,
    caseArbitrary: fuzzCaseArbitrary(),
    seed: options.seed,
    ...(runs !== undefined ? { runs } : {}),
    ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
    ...(options.shrinkTimeLimitMs !== undefined ? { shrinkTimeLimitMs: options.shrinkTimeLimitMs } : {}),
    savedWitnesses: saved,
    onProgress: progressReporter(io, 'mapping', runs ?? null, options.timeLimitMs ?? null),
    replayCommand: (f) => `cardfuzz run ${targetFlags(options.target)} --seed ${f.seed} --path ${shellQuote(f.path)} --property ${f.property}`,
  });
  if (result.suite.error !== undefined) {
    io.err(`cardfuzz: internal error while fuzzing: ${result.suite.error.message}${result.suite.error.input ? ` (input: ${JSON.stringify(result.suite.error.input)})` : ''}`);
    return 2;
  }
  const map = result.map;
  const savedFiles = options.save === undefined ? [] : await saveWitnesses(map, options.save, options.target, { seed: options.seed, generatorFingerprint: generatorFingerprint() });
  const command = `cardfuzz cardinality ${targetFlags(options.target)} --seed ${options.seed}${runs !== undefined ? ` --runs ${runs}` : ` --time-limit ${formatDuration(options.timeLimitMs!)}`}`;
  if (options.markdown !== undefined) await writeFileAtomic(options.markdown, mapMarkdown(map, command));
  const findings = result.suite.findings;
  if (options.json) {
    io.out(JSON.stringify({ map, findings: findings.map((f) => ({ property: f.property, fingerprint: f.fingerprint, shapeClass: f.shapeClass, violation: f.violation, replay: f.replay })), saved: savedFiles, runs: result.suite.runs, mapOverheadMs: Math.round(result.mapOverheadMs) }, null, 2));
  } else {
    io.out(mapText(map));
    for (const f of findings) io.out(`campaign finding: ${f.property} [fingerprint ${f.fingerprint}, shape ${f.shapeClass}]: ${f.violation.message}\n  replay: ${f.replay}`);
    for (const s of savedFiles) io.out(`${s.created ? 'saved' : 'already recorded'}: ${s.path} (${s.relationship})`);
    if (options.markdown !== undefined) io.out(`markdown: ${options.markdown}`);
    const conflicts = map.relationships.filter((e) => e.verdict === 'conflict').length;
    io.out(`${conflicts === 0 ? 'ok: no conflict' : `${conflicts} conflict${conflicts === 1 ? '' : 's'}`} over ${result.suite.runs.toLocaleString('en-US')} cases in ${formatDuration(map.elapsedMs)} (map overhead ${formatDuration(result.mapOverheadMs)})${result.suite.interrupted ? ', stopped early' : ''}`);
  }
  return mapHasConflict(map) || findings.length > 0 ? 1 : 0;
}

/** Witnesses saved earlier under `dir`, by foreign key (the smallest one per key). */
async function savedWitnesses(dir: string): Promise<Map<string, Case>> {
  const folder = join(dir, WITNESS_PROPERTY_ID);
  try {
    await stat(folder);
  } catch {
    return new Map();
  }
  const loaded = await loadRegressionCases([folder]);
  if (loaded.problems.length > 0) throw new InvalidInputError(loaded.problems[0]!.message);
  const out = new Map<string, Case>();
  for (const { regression } of loaded.cases) {
    if (regression.witness === undefined) continue;
    const seen = out.get(regression.witness);
    if (seen === undefined || smaller(caseSize(regression.case), caseSize(seen))) out.set(regression.witness, regression.case);
  }
  return out;
}

function smaller(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}
