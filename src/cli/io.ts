/**
 * Where the CLI writes. Only src/cli/ touches process streams; commands get
 * an Io so they can be run in tests without a process.
 */
export interface Io {
  /** Standard output: results, or the one JSON document with --json. */
  out(text: string): void;
  /** Standard error: progress, notes and one-line errors. */
  err(text: string): void;
  /** Rewrites the current stderr line (progress on a terminal). */
  status(text: string): void;
  readonly stderrIsTTY: boolean;
}

export function processIo(): Io {
  let statusShown = false;
  const clear = (): void => {
    if (statusShown) {
      process.stderr.write('\r\u001b[2K');
      statusShown = false;
    }
  };
  return {
    out(text) {
      clear();
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    err(text) {
      clear();
      process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    status(text) {
      if (process.stderr.isTTY) {
        process.stderr.write(`\r\u001b[2K${text}`);
        statusShown = true;
      } else process.stderr.write(`${text}\n`);
    },
    stderrIsTTY: Boolean(process.stderr.isTTY),
  };
}

/** An Io that records everything, for tests. */
export function memoryIo(): Io & { readonly stdout: string[]; readonly stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), status: (t) => stderr.push(t), stderrIsTTY: false };
}
