import type { CaseOutcome } from '../../src/persistence/case-database.js';
import { findReader, type ReaderCalls, type ReaderId } from '../../src/readers/galaxy-readers.js';
import type { Profile } from '../../src/profiles/profile.js';

const indexes = new WeakMap<CaseOutcome, Map<string, Map<number, readonly number[]>>>();

/** What a reader returned for one argument, or undefined when it did not run (no such table, or no such row). */
export function readingOf(outcome: CaseOutcome, reader: ReaderId, argument: number): readonly number[] | undefined {
  if (outcome.readings === null) return undefined;
  let index = indexes.get(outcome);
  if (index === undefined) {
    // By reader, then argument (a later reading of the same pair wins, as it always has).
    index = new Map();
    for (const r of outcome.readings) {
      let byArgument = index.get(r.reader);
      if (byArgument === undefined) index.set(r.reader, (byArgument = new Map()));
      byArgument.set(r.argument, r.ids);
    }
    indexes.set(outcome, index);
  }
  return index.get(reader)?.get(argument);
}

/** How Galaxy consumes a reader on this profile: a back-populate is scalar or a list as the profile declares it. */
export function callsOf(profile: Profile, reader: ReaderId): ReaderCalls {
  const definition = findReader(reader);
  const declared = profile.relationships.find((r) => r.name === reader);
  if (declared !== undefined && definition.calls === 'scalar') return declared.uselist ? 'list' : 'scalar';
  return definition.calls;
}

/** The table a reader reads from (where a mismatch is reported). */
export function tableOf(reader: ReaderId): string {
  return findReader(reader).requires[0]![0];
}

export function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export const ascending = (ids: readonly number[]): number[] => [...ids].sort((x, y) => x - y);
