import { InvalidInputError } from '../../../errors.js';
import type { CompiledStatement } from '../../compiled-query.js';

/**
 * kysely-compiled statements turned into SQL text with their values written
 * in as literals, so that a whole case goes to the server as one
 * simple-protocol query (one round trip instead of one per row). A statement
 * can also be prepared once per session (`PREPARE name AS ...`); it is then
 * sent as `EXECUTE name(literals)`, which the server neither parses nor plans
 * again: the prepared-statement cache of the PostgreSQL path.
 */

/** A value as a PostgreSQL literal (standard_conforming_strings is on for every session). */
export function postgresLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as an SQL literal`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'bigint') return value.toString();
  const text = String(value);
  // PostgreSQL text cannot hold NUL at all (SQLite's can): say so rather than fail in the protocol.
  if (text.includes('\0')) throw new InvalidInputError(`PostgreSQL text cannot hold a NUL character: ${JSON.stringify(text)} (a value of the case)`);
  return `'${text.replaceAll("'", "''")}'`;
}

type Slot = { readonly argument: number } | { readonly literal: string };

export class StatementTemplate {
  /** `PREPARE` text for this statement, when it has a name. */
  readonly prepareSql: string | null;
  readonly #name: string | null;
  /** Text between placeholders in text order: `parts.length === textSlots.length + 1`. */
  readonly #parts: string[] = [];
  readonly #textSlots: Slot[] = [];
  /** The value of each parameter $1..$n, in parameter order (for EXECUTE). */
  readonly #parameterSlots: Slot[];

  /**
   * `argumentOf(name)` maps a parameter name of the compiled statement to the
   * position of its value in the argument arrays given to `render`. With a
   * `name`, the statement is rendered as EXECUTE of a prepared statement.
   */
  constructor(statement: CompiledStatement, argumentOf: (name: string) => number, name: string | null = null) {
    this.#parameterSlots = statement.parameterNames.map((parameter, i): Slot => (parameter === '' ? { literal: postgresLiteral(statement.fixed.get(i)) } : { argument: argumentOf(parameter) }));
    const re = /\$(\d+)/g;
    let last = 0;
    for (let m = re.exec(statement.sql); m; m = re.exec(statement.sql)) {
      this.#parts.push(statement.sql.slice(last, m.index));
      const slot = this.#parameterSlots[Number(m[1]) - 1];
      if (slot === undefined) throw new Error(`placeholder $${m[1]} beyond the statement's parameters`);
      this.#textSlots.push(slot);
      last = m.index + m[0].length;
    }
    this.#parts.push(statement.sql.slice(last));
    this.#name = name;
    this.prepareSql = name === null ? null : `PREPARE ${name} AS ${statement.sql}`;
  }

  render(args: readonly unknown[]): string {
    if (this.#name !== null) {
      if (this.#parameterSlots.length === 0) return `EXECUTE ${this.#name}`;
      return `EXECUTE ${this.#name}(${this.#parameterSlots.map((slot) => value(slot, args)).join(', ')})`;
    }
    let out = this.#parts[0]!;
    for (let i = 0; i < this.#textSlots.length; i++) out += value(this.#textSlots[i]!, args) + this.#parts[i + 1]!;
    return out;
  }
}

function value(slot: Slot, args: readonly unknown[]): string {
  return 'literal' in slot ? slot.literal : postgresLiteral(args[slot.argument]);
}
