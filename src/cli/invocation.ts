import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * How to call cardfuzz where the user is: `cardfuzz` when it is on PATH (a
 * global install or `npm link`), otherwise `npx cardfuzz`, which runs the
 * project's own bin after `npm ci`. Replay and next-step commands start with it.
 */
export function cardfuzzInvocation(env: NodeJS.ProcessEnv = process.env): string {
  // Under `npx cardfuzz`, npm puts a cardfuzz on this process's PATH that the user's shell does not have.
  if (env['npm_command'] === 'exec' || env['npm_lifecycle_event'] === 'npx') return 'npx cardfuzz';
  return onPath('cardfuzz', env['PATH'] ?? '') ? 'cardfuzz' : 'npx cardfuzz';
}

function onPath(name: string, path: string): boolean {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}
