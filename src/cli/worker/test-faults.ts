/**
 * TEST-ONLY fault injection for the campaign worker, so the fault suite
 * (test/faults/) can check that the nightly survives its workers. Set
 * CARDFUZZ_TEST_WORKER_FAULT to one of:
 *
 * - `start`: the worker throws while it loads (no worker can be started);
 * - `throw:N`: the worker throws an uncaught error when it is given slice N,
 *   on every attempt (the slice is retried once, then reported as a tool error);
 * - `throw-once:N`: the same, on the first attempt only (the retry succeeds);
 * - `stall:N`: the worker blocks forever on slice N (a stuck worker).
 *
 * It is not a feature: nothing but the tests sets it, and it is read only here.
 */
export interface WorkerFault {
  readonly kind: 'start' | 'throw' | 'throw-once' | 'stall';
  readonly slice: number | null;
}

export function workerFault(env: NodeJS.ProcessEnv = process.env): WorkerFault | null {
  const text = env['CARDFUZZ_TEST_WORKER_FAULT'];
  if (!text) return null;
  const match = /^(start|throw|throw-once|stall)(?::(\d+))?$/.exec(text);
  if (match === null) return null;
  return { kind: match[1] as WorkerFault['kind'], slice: match[2] === undefined ? null : Number(match[2]) };
}

/** Acts out the fault for a slice about to run (attempt 1 first, 2 on the retry). */
export function injectSliceFault(fault: WorkerFault | null, slice: number, attempt: number): void {
  if (fault === null || fault.slice !== slice) return;
  if (fault.kind === 'throw' || (fault.kind === 'throw-once' && attempt === 1)) {
    // Thrown from the message listener, outside any promise: an uncaught exception, which ends the worker with an 'error' event.
    throw new Error(`injected worker fault (CARDFUZZ_TEST_WORKER_FAULT=${fault.kind}:${slice})`);
  }
  if (fault.kind === 'stall') {
    for (;;) {
      // A worker stuck in a loop: it neither answers nor sees the stop flags.
    }
  }
}
