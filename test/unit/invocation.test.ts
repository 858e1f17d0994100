import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cardfuzzInvocation } from '../../src/cli/invocation.js';
import { tempDir } from '../helpers/cli.js';

describe('the command printed in replay and next-step lines', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'cardfuzz'), '#!/bin/sh\n');
  chmodSync(join(dir, 'cardfuzz'), 0o755);

  it('is cardfuzz when it is on PATH, npx cardfuzz when it is not', () => {
    expect(cardfuzzInvocation({ PATH: dir })).toBe('cardfuzz');
    expect(cardfuzzInvocation({ PATH: tempDir() })).toBe('npx cardfuzz');
  });

  it('is npx cardfuzz under npx, whose own PATH has a cardfuzz the shell does not', () => {
    expect(cardfuzzInvocation({ PATH: dir, npm_command: 'exec', npm_lifecycle_event: 'npx' })).toBe('npx cardfuzz');
  });
});
