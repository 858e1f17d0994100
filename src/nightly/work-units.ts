import { deriveSeed } from '../runner/campaign.js';
import { InvalidInputError } from '../errors.js';

/**
 * A nightly campaign is a deterministic list of work units — a lane of
 * properties (the execution properties, or the upgrade property) and a seed —
 * so that shards and workers can split it and their findings add up to those
 * of one unsharded run with the same seeds.
 */
export type Lane = 'execution' | 'upgrade';

export interface WorkUnit {
  readonly index: number;
  readonly lane: Lane;
  readonly properties: readonly string[];
  readonly seed: number;
}

export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Share of cases (runs mode) or of the first round's time (time mode) each lane gets. */
export const LANE_SHARES: Readonly<Record<Lane, number>> = { execution: 0.95, upgrade: 0.05 };

export function planUnits(lanes: Readonly<Record<Lane, readonly string[]>>, seed: number, seedsPerLane: number): WorkUnit[] {
  const units: WorkUnit[] = [];
  for (const lane of ['execution', 'upgrade'] as const) {
    if (lanes[lane].length === 0) continue;
    for (let k = 0; k < seedsPerLane; k++) {
      units.push({ index: units.length, lane, properties: lanes[lane], seed: deriveSeed(seed, (lane === 'execution' ? 0 : 1000) + k) });
    }
  }
  return units;
}

/**
 * Cases per unit for a campaign of `totalRuns` cases, computed over the whole
 * plan so a unit runs the same cases whichever shard or worker runs it. The
 * upgrade lane gets at least 20 histories in all.
 */
export function unitRuns(units: readonly WorkUnit[], totalRuns: number): Map<number, number> {
  const lanes = (['execution', 'upgrade'] as const).filter((l) => units.some((u) => u.lane === l));
  const total = lanes.reduce((n, l) => n + LANE_SHARES[l], 0);
  const runs = new Map<number, number>();
  for (const lane of lanes) {
    const laneUnits = units.filter((u) => u.lane === lane);
    const share = Math.round((totalRuns * LANE_SHARES[lane]) / total / laneUnits.length);
    const floor = lane === 'upgrade' ? Math.ceil(20 / laneUnits.length) : 1;
    for (const u of laneUnits) runs.set(u.index, Math.max(floor, share));
  }
  return runs;
}

/** The units shard `i/n` runs: every n-th unit, starting at i. */
export function shardUnits(units: readonly WorkUnit[], shard: Shard): WorkUnit[] {
  return units.filter((u) => u.index % shard.count === shard.index);
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index >= count) throw new InvalidInputError(`--shard ${text}: expected i/n with 0 <= i < n, e.g. 0/4`);
  return { index, count };
}
