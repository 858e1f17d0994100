/**
 * A safe evaluator for the small subset of Python that Galaxy tools write in
 * output `<filter>`s (Galaxy evaluates them with `eval` against the job's
 * parameters, tools/execution_helpers.py `filter_output`):
 *
 * - names, `None`/`True`/`False`, numbers, strings, lists and tuples;
 * - `a['b']`, `a[0]` and `a.b`;
 * - `==`, `!=`, `<`, `<=`, `>`, `>=`, `in`, `not in`, `is`, `is not`, chained as Python chains them;
 * - `not`, `and`, `or` (with Python's truthiness);
 * - calls of `len`, `str`, `int`, `float`, `bool`, and a dataset's `is_of_type(...)`.
 *
 * `parsePython` returns null for anything outside the subset (arithmetic,
 * lambdas, other calls, ...): the caller keeps the output and records an
 * approximation. Evaluation never throws for a Python-level problem: a
 * missing name or key, an attribute a value does not have, comparing what
 * Python cannot order — these come back as `{ raised }`, as the `eval` would
 * raise in Galaxy.
 */

/** Python values as the filter sees them: dicts for conditionals and sections, objects for datasets and collections. */
export type PyValue = null | boolean | number | string | readonly PyValue[] | PyDict | PyObject;

export interface PyDict {
  readonly kind: 'dict';
  readonly entries: ReadonlyMap<string, PyValue>;
}

/** An object with attributes (an HDA, HDCA or DCE); attributes set to `undefined` are unknown to cardfuzz. */
export interface PyObject {
  readonly kind: 'object';
  readonly type: string;
  readonly attributes: ReadonlyMap<string, PyValue | undefined>;
  /** For a dataset: the extensions `is_of_type` accepts exactly (no datatype subclasses are known). */
  readonly extension?: string;
}

export type PyExpr =
  | { readonly t: 'const'; readonly v: PyValue }
  | { readonly t: 'name'; readonly name: string }
  | { readonly t: 'list'; readonly items: readonly PyExpr[] }
  | { readonly t: 'index'; readonly target: PyExpr; readonly index: PyExpr }
  | { readonly t: 'attr'; readonly target: PyExpr; readonly name: string }
  | { readonly t: 'call'; readonly callee: PyExpr; readonly args: readonly PyExpr[] }
  | { readonly t: 'not'; readonly operand: PyExpr }
  | { readonly t: 'neg'; readonly operand: PyExpr }
  | { readonly t: 'bool'; readonly op: 'and' | 'or'; readonly left: PyExpr; readonly right: PyExpr }
  | { readonly t: 'compare'; readonly first: PyExpr; readonly rest: readonly { readonly op: CompareOp; readonly right: PyExpr }[] };

type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'is' | 'is not';

export type PyResult = { readonly value: PyValue } | { readonly raised: string } | { readonly unknown: string };

const BUILTINS = new Set(['len', 'str', 'int', 'float', 'bool']);
const METHODS = new Set(['is_of_type']);

// ---------------------------------------------------------------- tokens

type Token = { readonly k: 'num'; readonly v: number } | { readonly k: 'str'; readonly v: string } | { readonly k: 'id'; readonly v: string } | { readonly k: 'op'; readonly v: string };

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'None', 'True', 'False']);
const REJECTED_KEYWORDS = new Set(['lambda', 'if', 'else', 'for', 'import', 'yield', 'await', 'del']);

function tokenize(text: string): Token[] | null {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i))!;
      tokens.push({ k: 'num', v: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      let out = '';
      while (j < text.length && text[j] !== ch) {
        if (text[j] === '\\' && j + 1 < text.length) {
          const next = text[j + 1]!;
          out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          j += 2;
        } else out += text[j++];
      }
      if (j >= text.length) return null;
      tokens.push({ k: 'str', v: out });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!;
      if (REJECTED_KEYWORDS.has(m[0])) return null;
      tokens.push(KEYWORDS.has(m[0]) ? { k: 'op', v: m[0] } : { k: 'id', v: m[0] });
      i += m[0].length;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (['==', '!=', '<=', '>='].includes(two)) {
      tokens.push({ k: 'op', v: two });
      i += 2;
      continue;
    }
    if ('()[],.<>-'.includes(ch)) {
      tokens.push({ k: 'op', v: ch });
      i++;
      continue;
    }
    return null; // arithmetic, f-strings, anything else
  }
  return tokens;
}

// ---------------------------------------------------------------- parser

class Parser {
  #i = 0;
  constructor(readonly tokens: readonly Token[]) {}
  peek(v?: string): boolean {
    const t = this.tokens[this.#i];
    return t !== undefined && t.k === 'op' && (v === undefined || t.v === v);
  }
  eat(v: string): boolean {
    if (this.peek(v)) {
      this.#i++;
      return true;
    }
    return false;
  }
  expect(v: string): void {
    if (!this.eat(v)) throw new SyntaxError(v);
  }
  done(): boolean {
    return this.#i >= this.tokens.length;
  }
  orExpr(): PyExpr {
    let left = this.andExpr();
    while (this.eat('or')) left = { t: 'bool', op: 'or', left, right: this.andExpr() };
    return left;
  }
  andExpr(): PyExpr {
    let left = this.notExpr();
    while (this.eat('and')) left = { t: 'bool', op: 'and', left, right: this.notExpr() };
    return left;
  }
  notExpr(): PyExpr {
    if (this.eat('not')) return { t: 'not', operand: this.notExpr() };
    return this.comparison();
  }
  comparison(): PyExpr {
    const first = this.unary();
    const rest: { op: CompareOp; right: PyExpr }[] = [];
    for (;;) {
      let op: CompareOp | null = null;
      for (const candidate of ['==', '!=', '<=', '>=', '<', '>'] as const) if (this.eat(candidate)) op = candidate;
      if (op === null && this.eat('in')) op = 'in';
      if (op === null && this.peek('not') && this.tokens[this.#i + 1]?.k === 'op' && this.tokens[this.#i + 1]?.v === 'in') {
        this.#i += 2;
        op = 'not in';
      }
      if (op === null && this.eat('is')) op = this.eat('not') ? 'is not' : 'is';
      if (op === null) break;
      rest.push({ op, right: this.unary() });
    }
    return rest.length === 0 ? first : { t: 'compare', first, rest };
  }
  unary(): PyExpr {
    if (this.eat('-')) return { t: 'neg', operand: this.unary() };
    return this.postfix();
  }
  postfix(): PyExpr {
    let e = this.atom();
    for (;;) {
      if (this.eat('[')) {
        const index = this.orExpr();
        this.expect(']');
        e = { t: 'index', target: e, index };
      } else if (this.eat('.')) {
        const t = this.tokens[this.#i++];
        if (t?.k !== 'id') throw new SyntaxError('attribute');
        e = { t: 'attr', target: e, name: t.v };
      } else if (this.eat('(')) {
        const args: PyExpr[] = [];
        if (!this.eat(')')) {
          do args.push(this.orExpr());
          while (this.eat(','));
          this.expect(')');
        }
        const callable = (e.t === 'name' && BUILTINS.has(e.name)) || (e.t === 'attr' && METHODS.has(e.name));
        if (!callable) throw new SyntaxError('call');
        e = { t: 'call', callee: e, args };
      } else return e;
    }
  }
  atom(): PyExpr {
    const t = this.tokens[this.#i++];
    if (t === undefined) throw new SyntaxError('end');
    if (t.k === 'num' || t.k === 'str') return { t: 'const', v: t.v };
    if (t.k === 'id') return { t: 'name', name: t.v };
    if (t.v === 'None') return { t: 'const', v: null };
    if (t.v === 'True') return { t: 'const', v: true };
    if (t.v === 'False') return { t: 'const', v: false };
    if (t.v === '(' || t.v === '[') {
      const close = t.v === '(' ? ')' : ']';
      const items: PyExpr[] = [];
      let tuple = t.v === '[';
      if (!this.eat(close)) {
        items.push(this.orExpr());
        while (this.eat(',')) {
          tuple = true;
          if (this.peek(close)) break;
          items.push(this.orExpr());
        }
        this.expect(close);
      } else tuple = true;
      return tuple ? { t: 'list', items } : items[0]!;
    }
    throw new SyntaxError(t.v);
  }
}

const parsed = new Map<string, PyExpr | null>();

/** The expression as cardfuzz's subset reads it, or null when it falls outside (cached by text). */
export function parsePython(text: string): PyExpr | null {
  const key = text.trim();
  if (parsed.has(key)) return parsed.get(key)!;
  let result: PyExpr | null = null;
  const tokens = tokenize(key);
  if (tokens !== null && tokens.length > 0) {
    try {
      const parser = new Parser(tokens);
      const expr = parser.orExpr();
      result = parser.done() ? expr : null;
    } catch {
      result = null;
    }
  }
  parsed.set(key, result);
  return result;
}

/** The top-level names an expression reads. */
export function namesRead(expr: PyExpr): string[] {
  const out: string[] = [];
  const walk = (e: PyExpr): void => {
    switch (e.t) {
      case 'name':
        out.push(e.name);
        return;
      case 'list':
        e.items.forEach(walk);
        return;
      case 'index':
        walk(e.target);
        walk(e.index);
        return;
      case 'attr':
        walk(e.target);
        return;
      case 'call':
        if (e.callee.t !== 'name') walk(e.callee);
        e.args.forEach(walk);
        return;
      case 'not':
      case 'neg':
        walk(e.operand);
        return;
      case 'bool':
        walk(e.left);
        walk(e.right);
        return;
      case 'compare':
        walk(e.first);
        e.rest.forEach((r) => walk(r.right));
        return;
      case 'const':
        return;
    }
  };
  walk(expr);
  return out;
}

// ---------------------------------------------------------------- evaluation

export function truthy(v: PyValue): boolean {
  if (v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isDict(v)) return v.entries.size > 0;
  return true;
}

function isDict(v: PyValue): v is PyDict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as PyDict).kind === 'dict';
}

function isObject(v: PyValue): v is PyObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as PyObject).kind === 'object';
}

function pyEquals(a: PyValue, b: PyValue): boolean {
  if (a === null || b === null) return a === b;
  const na = typeof a === 'boolean' ? Number(a) : a;
  const nb = typeof b === 'boolean' ? Number(b) : b;
  if (typeof na === 'number' && typeof nb === 'number') return na === nb;
  if (typeof na === 'string' && typeof nb === 'string') return na === nb;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]!));
  return a === b;
}

function describe(v: PyValue): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  return isDict(v) ? 'dict' : (v as PyObject).type;
}

const raise = (message: string): PyResult => ({ raised: message });

export function evaluatePython(expr: PyExpr, scope: ReadonlyMap<string, PyValue>): PyResult {
  switch (expr.t) {
    case 'const':
      return { value: expr.v };
    case 'name':
      return scope.has(expr.name) ? { value: scope.get(expr.name)! } : raise(`NameError: name '${expr.name}' is not defined`);
    case 'list': {
      const items: PyValue[] = [];
      for (const item of expr.items) {
        const r = evaluatePython(item, scope);
        if (!('value' in r)) return r;
        items.push(r.value);
      }
      return { value: items };
    }
    case 'index': {
      const target = evaluatePython(expr.target, scope);
      if (!('value' in target)) return target;
      const index = evaluatePython(expr.index, scope);
      if (!('value' in index)) return index;
      const t = target.value;
      const k = index.value;
      if (isDict(t)) return typeof k === 'string' && t.entries.has(k) ? { value: t.entries.get(k)! } : raise(`KeyError: ${String(k)}`);
      if (Array.isArray(t) || typeof t === 'string') {
        if (typeof k !== 'number' || !Number.isInteger(k)) return raise('TypeError: indices must be integers');
        const i = k < 0 ? t.length + k : k;
        if (i < 0 || i >= t.length) return raise('IndexError: index out of range');
        return { value: (t as readonly PyValue[] | string)[i] as PyValue };
      }
      return raise(`TypeError: '${describe(t)}' object is not subscriptable`);
    }
    case 'attr': {
      const target = evaluatePython(expr.target, scope);
      if (!('value' in target)) return target;
      const t = target.value;
      // Conditionals and sections are plain dicts in Galaxy's parameters: `cond.x` raises there.
      if (!isObject(t) || !t.attributes.has(expr.name)) return raise(`AttributeError: '${describe(t)}' object has no attribute '${expr.name}'`);
      const v = t.attributes.get(expr.name);
      return v === undefined ? { unknown: `${t.type}.${expr.name} is not given in the history` } : { value: v };
    }
    case 'call':
      return call(expr, scope);
    case 'not': {
      const r = evaluatePython(expr.operand, scope);
      return 'value' in r ? { value: !truthy(r.value) } : r;
    }
    case 'neg': {
      const r = evaluatePython(expr.operand, scope);
      if (!('value' in r)) return r;
      return typeof r.value === 'number' ? { value: -r.value } : raise(`TypeError: bad operand type for unary -: '${describe(r.value)}'`);
    }
    case 'bool': {
      const left = evaluatePython(expr.left, scope);
      if (!('value' in left)) return left;
      const shortCircuit = expr.op === 'and' ? !truthy(left.value) : truthy(left.value);
      return shortCircuit ? left : evaluatePython(expr.right, scope);
    }
    case 'compare': {
      let left = evaluatePython(expr.first, scope);
      if (!('value' in left)) return left;
      for (const { op, right: rightExpr } of expr.rest) {
        const right = evaluatePython(rightExpr, scope);
        if (!('value' in right)) return right;
        const r = compare(op, left.value, right.value);
        if (!('value' in r)) return r;
        if (r.value === false) return r;
        left = right;
      }
      return { value: true };
    }
  }
}

function compare(op: CompareOp, a: PyValue, b: PyValue): PyResult {
  switch (op) {
    case '==':
      return { value: pyEquals(a, b) };
    case '!=':
      return { value: !pyEquals(a, b) };
    case 'is':
    case 'is not': {
      // Only None, True and False have an identity a filter can rely on.
      const same = a === null || b === null || typeof a === 'boolean' || typeof b === 'boolean' ? a === b : a === b && typeof a !== 'object';
      return { value: op === 'is' ? same : !same };
    }
    case 'in':
    case 'not in': {
      let found: boolean;
      if (Array.isArray(b)) found = b.some((x) => pyEquals(a, x));
      else if (typeof b === 'string') {
        if (typeof a !== 'string') return raise("TypeError: 'in <string>' requires string as left operand");
        found = b.includes(a);
      } else if (isDict(b)) found = typeof a === 'string' && b.entries.has(a);
      else return raise(`TypeError: argument of type '${describe(b)}' is not iterable`);
      return { value: op === 'in' ? found : !found };
    }
    default: {
      const na = typeof a === 'boolean' ? Number(a) : a;
      const nb = typeof b === 'boolean' ? Number(b) : b;
      const comparable = (typeof na === 'number' && typeof nb === 'number') || (typeof na === 'string' && typeof nb === 'string');
      if (!comparable) return raise(`TypeError: '${op}' not supported between instances of '${describe(a)}' and '${describe(b)}'`);
      const x = na as number | string;
      const y = nb as number | string;
      return { value: op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y };
    }
  }
}

function call(expr: Extract<PyExpr, { t: 'call' }>, scope: ReadonlyMap<string, PyValue>): PyResult {
  const args: PyValue[] = [];
  for (const a of expr.args) {
    const r = evaluatePython(a, scope);
    if (!('value' in r)) return r;
    args.push(r.value);
  }
  if (expr.callee.t === 'attr') {
    const target = evaluatePython(expr.callee.target, scope);
    if (!('value' in target)) return target;
    const t = target.value;
    if (!isObject(t) || t.type !== 'HistoryDatasetAssociation') return raise(`AttributeError: '${describe(t)}' object has no attribute '${expr.callee.name}'`);
    if (t.extension === undefined) return { unknown: 'the dataset has no extension in the history' };
    // Datatype subclasses are not modelled: an exact extension match is true; anything else is unknown.
    if (args.some((x) => x === t.extension)) return { value: true };
    return { unknown: `whether a ${t.extension} dataset is_of_type(${args.map(String).join(', ')}) depends on Galaxy's datatype hierarchy` };
  }
  const name = (expr.callee as { name: string }).name;
  const [x] = args;
  if (args.length !== 1 || x === undefined) return raise(`TypeError: ${name}() takes exactly one argument`);
  switch (name) {
    case 'len':
      if (typeof x === 'string' || Array.isArray(x)) return { value: x.length };
      if (isDict(x)) return { value: x.entries.size };
      return raise(`TypeError: object of type '${describe(x)}' has no len()`);
    case 'bool':
      return { value: truthy(x) };
    case 'str':
      return { value: x === null ? 'None' : typeof x === 'boolean' ? (x ? 'True' : 'False') : typeof x === 'number' || typeof x === 'string' ? String(x) : `<${describe(x)}>` };
    case 'int':
    case 'float': {
      const n = typeof x === 'boolean' ? Number(x) : typeof x === 'number' ? x : typeof x === 'string' && x.trim() !== '' && Number.isFinite(Number(x)) ? Number(x) : NaN;
      if (Number.isNaN(n)) return raise(`ValueError: invalid literal for ${name}()`);
      if (name === 'int' && typeof x === 'string' && !/^\s*[-+]?\d+\s*$/.test(x)) return raise('ValueError: invalid literal for int()');
      return { value: name === 'int' ? Math.trunc(n) : n };
    }
    default:
      return raise(`NameError: name '${name}' is not defined`);
  }
}
