import { describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { progressReporter, terminalStatus } from '../../src/cli/progress.js';

/** An Io that records status lines apart from the rest, on a terminal or not. */
function recordingIo(tty: boolean): Io & { readonly statuses: string[]; readonly lines: string[] } {
  const statuses: string[] = [];
  const lines: string[] = [];
  return { statuses, lines, out: (t) => lines.push(t), err: (t) => lines.push(t), status: (t) => statuses.push(t), stderrIsTTY: tty };
}

const progress = { runs: 1200, findings: 1, elapsedMs: 3000, casesPerSecond: 400, shrinking: null };

describe('progress', () => {
  it('shows nothing in a pipe or a CI log, however long the command runs', () => {
    const io = recordingIo(false);
    let clock = 0;
    const status = terminalStatus(io, { now: () => clock });
    const report = progressReporter(io, 'fuzzing', 2000, null, status);
    for (clock = 0; clock <= 600_000; clock += 500) report(progress);
    status('anything');
    expect(io.statuses).toEqual([]);
    expect(io.lines).toEqual([]);
  });

  it('shows on a terminal once the command has run past the delay, never before', () => {
    const io = recordingIo(true);
    let clock = 1000;
    const status = terminalStatus(io, { delayMs: 2000, now: () => clock });
    const report = progressReporter(io, 'fuzzing', 2000, null, status);
    report(progress);
    clock = 2999;
    report(progress);
    expect(io.statuses).toEqual([]);
    clock = 3000;
    report(progress);
    expect(io.statuses).toEqual(['fuzzing [############........] 1,200 / 2,000 cases | 400 cases/s | 1 finding']);
  });

  it('counts the time left of a time budget', () => {
    const io = recordingIo(true);
    const report = progressReporter(io, 'nightly', null, 10_000, terminalStatus(io, { delayMs: 0 }));
    report({ ...progress, shrinking: 'persists-without-constraint-violations' });
    expect(io.statuses).toEqual(['nightly [######..............] 1,200 cases | 400 cases/s | 1 finding | 7 s left | shrinking persists-without-constraint-violations']);
  });
});
