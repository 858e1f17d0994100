import type { JsonValue } from '../model/case.js';
import { isJsonObject } from '../model/json-checks.js';

/**
 * The shrinker's one way of rewriting request values: rebuilds `value` top
 * down. `visit` sees each value before its children and returns its
 * replacement (which is not visited further), or `undefined` to keep the
 * value and rebuild its children. Never changes its argument.
 */
export function mapJson(value: JsonValue, visit: (v: JsonValue) => JsonValue | undefined): JsonValue {
  const replaced = visit(value);
  if (replaced !== undefined) return replaced;
  if (Array.isArray(value)) return (value as readonly JsonValue[]).map((v) => mapJson(v, visit));
  if (isJsonObject(value)) {
    const out: Record<string, JsonValue> = {};
    for (const [key, v] of Object.entries(value)) out[key] = mapJson(v as JsonValue, visit);
    return out;
  }
  return value;
}

/** An object without the named keys (key order otherwise kept); only for optional keys or index-signature objects. */
export function withoutKeys<T extends object>(object: T, keys: readonly string[]): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(object)) if (!keys.includes(key)) out[key] = v;
  return out as T;
}
