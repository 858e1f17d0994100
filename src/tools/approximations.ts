/**
 * What a tool reader could not model exactly. Every reader (a case file's
 * `tool`, Galaxy tool XML, Galaxy's `/api/tools/{id}?io_details=true` JSON)
 * records the same approximation for the same construct, so a tool read three
 * ways gives the same notes; the CLI prints each once when the tool is loaded,
 * and `explain --json` and the nightly report list them.
 */
export interface Approximation {
  /** Where, in Galaxy's own terms: the tool id and a `|`-joined parameter path or an output name. */
  readonly at: string;
  /** The construct, as Galaxy names it (`<filter>`, `collection_type="list,paired"`, `type_source`, ...). */
  readonly construct: string;
  /** What cardfuzz does instead. */
  readonly note: string;
  /** Whether the approximation can change how many jobs or implicit collections Galaxy makes. */
  readonly changesCounts: boolean;
  /**
   * `galaxy-rule`: not an approximation but what Galaxy's own loader does with
   * the construct (an attribute it never reads, a duplicate name it resolves by
   * a rule); the model is exactly Galaxy's. Absent: an approximation.
   */
  readonly kind?: 'galaxy-rule';
}

/** Whether a note is an approximation (as opposed to a Galaxy loader rule applied as Galaxy applies it). */
export const isApproximation = (a: Approximation): boolean => a.kind !== 'galaxy-rule';

/** One line, as the CLI prints it after `note: `. */
export function formatApproximation(a: Approximation): string {
  const rule = a.kind === 'galaxy-rule' ? " (as Galaxy's loader does)" : '';
  return `${a.at}: ${a.construct}: ${a.note}${a.changesCounts ? ' (can change job or collection counts)' : ''}${rule}`;
}

/** Collects approximations while a tool is read; one per (at, construct). */
export class ApproximationLog {
  private readonly seen = new Set<string>();
  readonly entries: Approximation[] = [];

  add(approximation: Approximation): void {
    const key = `${approximation.at}\u0000${approximation.construct}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.entries.push(approximation);
  }
}
