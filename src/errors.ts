/**
 * Problems of cardfuzz itself (bad input, bad profile, unreachable database).
 * A finding in the system under test is never one of these: findings are data
 * (see src/runner/finding.ts). The CLI maps every FuzzerError to exit code 2
 * and prints its message as one line.
 */
export abstract class FuzzerError extends Error {
  abstract readonly code: `FUZZ_${string}`;
}

/** Untrusted input (a case file, a request, a profile file) is malformed. */
export class InvalidInputError extends FuzzerError {
  readonly code = 'FUZZ_INVALID_INPUT';
}

/**
 * A tool that Galaxy loads but cardfuzz does not model (the upload tool): reported
 * as "not modelled", never as refused by Galaxy.
 */
export class NotModelledError extends InvalidInputError {}

/** A name given on the command line or in a file does not exist. */
export class UnknownNameError extends FuzzerError {
  readonly code = 'FUZZ_UNKNOWN_NAME';
}

/** A file could not be read or written. */
export class FileAccessError extends FuzzerError {
  readonly code = 'FUZZ_FILE_ACCESS';
}

/** The database could not be reached or prepared. */
export class DatabaseUnavailableError extends FuzzerError {
  readonly code = 'FUZZ_DATABASE_UNAVAILABLE';
}

/** A regression case file is stale or of an unknown format. */
export class IncompatibleCaseError extends FuzzerError {
  readonly code = 'FUZZ_INCOMPATIBLE_CASE';
}

/** A schema (built-in, profile file or dump) cannot be applied or cannot host the model's rows. */
export class SchemaError extends FuzzerError {
  readonly code = 'FUZZ_SCHEMA';
}

export function isFuzzerError(error: unknown): error is FuzzerError {
  return error instanceof FuzzerError;
}
