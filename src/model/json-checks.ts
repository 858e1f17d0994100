import { checkJsonDepth, withoutByteOrderMark } from '../files/input-text.js';
import { InvalidInputError } from '../errors.js';

/**
 * Small helpers that check untrusted JSON and name the exact place that is
 * wrong (`case.tool.inputs[2].type: expected ...`). They throw
 * InvalidInputError, which the CLI prints as one line with exit code 2.
 */

export type JsonObject = { readonly [key: string]: unknown };

export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

export function fail(path: string, message: string): never {
  throw new InvalidInputError(`${path}: ${message}`);
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectObject(value: unknown, path: string): JsonObject {
  if (!isJsonObject(value)) fail(path, `expected an object, got ${describeJson(value)}`);
  return value;
}

export function expectArray(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) fail(path, `expected an array, got ${describeJson(value)}`);
  return value;
}

export function expectString(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, `expected a string, got ${describeJson(value)}`);
  return value;
}

export function expectNonEmptyString(value: unknown, path: string): string {
  const s = expectString(value, path);
  if (s.length === 0) fail(path, 'expected a non-empty string');
  return s;
}

export function expectBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, `expected true or false, got ${describeJson(value)}`);
  return value;
}

export function expectNumber(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, `expected a number, got ${describeJson(value)}`);
  return value;
}

export function expectInteger(value: unknown, path: string, min = Number.MIN_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail(path, `expected an integer, got ${describeJson(value)}`);
  if (value < min) fail(path, `expected an integer of at least ${min}, got ${value}`);
  return value;
}

export function expectOneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(path, `expected one of ${allowed.join(', ')}, got ${describeJson(value)}`);
  }
  return value as T;
}

/** Rejects keys outside `allowed`, so a typo in a file is named instead of ignored. */
export function expectKnownKeys(object: JsonObject, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) fail(path, `unknown field "${key}" (expected ${allowed.join(', ')})`);
  }
}

export function optional<T>(object: JsonObject, key: string, read: (value: unknown, path: string) => T, path: string): T | undefined {
  return object[key] === undefined ? undefined : read(object[key], `${path}.${key}`);
}

/** Parses JSON text, turning a syntax error into a one-line InvalidInputError naming the source. */
export function parseJsonText(text: string, source: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(withoutByteOrderMark(text)) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new InvalidInputError(`${source}: malformed JSON (${reason})`);
  }
  checkJsonDepth(value, source);
  return value;
}
