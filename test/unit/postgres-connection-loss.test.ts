import { describe, expect, it } from 'vitest';
import { isConnectionLoss } from '../../src/persistence/dialects/postgres/postgres-errors.js';

/** Which errors retry a case on a new connection: a lost connection only, never a refusal by the schema. */
const serverError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'FATAL' });

describe('isConnectionLoss', () => {
  it.each([
    ['a terminated backend (57P01)', serverError('57P01', 'terminating connection due to administrator command')],
    ['a crash shutdown (57P02)', serverError('57P02', 'terminating connection because of crash of another server process')],
    ['a server starting or stopping (57P03)', serverError('57P03', 'the database system is shutting down')],
    ['a connection failure (08006)', serverError('08006', 'connection failure')],
    ['a reset socket', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['pg’s end of socket', new Error('Connection terminated unexpectedly')],
    ['pg’s dead client', new Error('Client has encountered a connection error and is not queryable')],
  ])('is true for %s', (_label, error) => {
    expect(isConnectionLoss(error)).toBe(true);
  });

  it.each([
    ['a unique violation (23505)', serverError('23505', 'duplicate key value violates unique constraint "uq"')],
    ['a missing table (42P01)', serverError('42P01', 'relation "job" does not exist')],
    ['a missing prepared statement (26000)', serverError('26000', 'prepared statement "cardfuzz_insert_0" does not exist')],
    ['a bug', new TypeError('x is undefined')],
    ['not an error', 'ECONNRESET'],
  ])('is false for %s', (_label, error) => {
    expect(isConnectionLoss(error)).toBe(false);
  });
});
