import type { CompiledStatement } from '../../compiled-query.js';

/**
 * kysely-compiled statements with their values written in as SQL literals,
 * so that a whole case goes to the server as one simple-protocol query (one
 * round trip instead of one per row). Each statement is split once at its
 * `$n` placeholders; rendering a row is then string concatenation.
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
  return `'${String(value).replaceAll("'", "''")}'`;
}

export class LiteralTemplate {
  /** Text between placeholders: `parts.length === slots.length + 1`. */
  readonly #parts: string[];
  /** For each placeholder in text order, the argument position it takes, or a fixed literal. */
  readonly #slots: ({ readonly argument: number } | { readonly literal: string })[];

  /**
   * `argumentOf(name)` maps a parameter name of the compiled statement to
   * the position of its value in the argument arrays given to `render`.
   */
  constructor(statement: CompiledStatement, argumentOf: (name: string) => number) {
    this.#parts = [];
    this.#slots = [];
    const re = /\$(\d+)/g;
    let last = 0;
    for (let m = re.exec(statement.sql); m; m = re.exec(statement.sql)) {
      this.#parts.push(statement.sql.slice(last, m.index));
      const position = Number(m[1]) - 1;
      const name = statement.parameterNames[position];
      if (name === undefined) throw new Error(`placeholder $${m[1]} beyond the statement's parameters`);
      this.#slots.push(name === '' ? { literal: postgresLiteral(statement.fixed.get(position)) } : { argument: argumentOf(name) });
      last = m.index + m[0].length;
    }
    this.#parts.push(statement.sql.slice(last));
  }

  render(args: readonly unknown[]): string {
    let out = this.#parts[0]!;
    for (let i = 0; i < this.#slots.length; i++) {
      const slot = this.#slots[i]!;
      out += ('literal' in slot ? slot.literal : postgresLiteral(args[slot.argument])) + this.#parts[i + 1]!;
    }
    return out;
  }
}
