/**
 * A conditional step's `when` expression, as Galaxy evaluates it
 * (lib/galaxy/workflow/modules.py `evaluate_value_from_expressions`): a CWL
 * parameter reference run by Galaxy's JavaScript sandbox over the step's
 * inputs (each connected value, by the step input's name), where
 * `${inputs.when}`, the spelling of workflows made on 23.0, is read as
 * `$(inputs.when)`. A result that is not a boolean fails the invocation with
 * `when_not_boolean`.
 *
 * cardfuzz runs no JavaScript: it reads the forms Galaxy's workflows and
 * tests write — `$(inputs.NAME)`, its negation `$(!inputs.NAME)`, and the
 * constants `$(true)` and `$(false)` — and says "not modelled" for any other
 * expression. Pure.
 */
export type WhenExpression =
  | { readonly kind: 'input'; readonly name: string; readonly negate: boolean }
  | { readonly kind: 'constant'; readonly value: boolean };

const INPUT = /^\$\(\s*(!?)\s*inputs\.([A-Za-z_][A-Za-z0-9_]*)\s*\)$/;
const CONSTANT = /^\$\(\s*(true|false)\s*\)$/;

/** The expression as cardfuzz reads it, or null for one it does not. */
export function readWhenExpression(text: string): WhenExpression | null {
  const expression = text.trim() === '${inputs.when}' ? '$(inputs.when)' : text.trim();
  const input = INPUT.exec(expression);
  if (input !== null) return { kind: 'input', name: input[2]!, negate: input[1] === '!' };
  const constant = CONSTANT.exec(expression);
  if (constant !== null) return { kind: 'constant', value: constant[1] === 'true' };
  return null;
}

/**
 * The value of a `when` over the step's inputs: a boolean, or null when it
 * is not one (`when_not_boolean`; a missing input is JavaScript's
 * `undefined`, and its negation `true`).
 */
export function evaluateWhen(when: WhenExpression, inputs: ReadonlyMap<string, unknown>): boolean | null {
  if (when.kind === 'constant') return when.value;
  const value = inputs.get(when.name);
  if (when.negate) return !truthy(value);
  return typeof value === 'boolean' ? value : null;
}

/** JavaScript's truthiness of a JSON value (what `!` negates). */
function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  return !(typeof value === 'number' && Number.isNaN(value));
}
