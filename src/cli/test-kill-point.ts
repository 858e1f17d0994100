/**
 * TEST-ONLY: the fault suite (test/faults/) stops the nightly with SIGKILL
 * at a named point between its writes, to check that what a kill leaves is
 * consistent. Set CARDFUZZ_TEST_KILL_AT to a checkpoint name
 * (`after-summary`, `after-reports`, `after-history`, or `during-run` after the
 * first finished slice). Nothing but the tests sets it.
 */
export function testKillPoint(env: NodeJS.ProcessEnv = process.env): (point: string) => void {
  const at = env['CARDFUZZ_TEST_KILL_AT'];
  if (!at) return () => undefined;
  return (point) => {
    if (point === at) process.kill(process.pid, 'SIGKILL');
  };
}
