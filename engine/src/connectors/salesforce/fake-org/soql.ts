/**
 * A SOQL subset for the fake org:
 *   SELECT f1, f2, Rel.Field FROM Obj
 *   [WHERE cond {AND|OR cond} with NOT and parentheses; cond = field op literal | field [NOT] IN (...) | field LIKE '...']
 *   [ORDER BY f [ASC|DESC] [NULLS FIRST|LAST], ...] [LIMIT n] [OFFSET n]
 * Literals: 'strings', numbers, true/false/null, dates (2024-01-31) and datetimes
 * (2024-01-31T10:00:00Z, 2024-01-31T10:00:00.000+05:30) — in the formats real SOQL accepts,
 * so `2024-01-31T10:00:00.000+0000` (Salesforce's output format) is rejected as it would be.
 */

export class SoqlError extends Error {
  constructor(
    message: string,
    readonly errorCode: 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE' = 'MALFORMED_QUERY',
  ) {
    super(message);
    this.name = 'SoqlError';
  }
}

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'date'; value: string }
  | { kind: 'datetime'; value: number };

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition }
  | { kind: 'compare'; field: string; op: '=' | '!=' | '<' | '>' | '<=' | '>='; value: Literal }
  | { kind: 'in'; field: string; negated: boolean; values: Literal[] }
  | { kind: 'like'; field: string; pattern: string };

export interface OrderBy {
  field: string;
  direction: 'ASC' | 'DESC';
  nulls: 'FIRST' | 'LAST';
}

export interface SoqlQuery {
  fields: string[];
  object: string;
  where?: Condition;
  orderBy: OrderBy[];
  limit?: number;
  offset?: number;
}

type Token =
  | { t: 'ident'; v: string }
  | { t: 'string'; v: string }
  | { t: 'number'; v: number }
  | { t: 'datetime'; v: number; raw: string }
  | { t: 'date'; v: string }
  | { t: 'op'; v: string }
  | { t: 'punct'; v: ',' | '(' | ')' };

const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}(?![\dT:])/;

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    const dt = DATETIME_RE.exec(rest);
    if (dt) {
      tokens.push({ t: 'datetime', v: Date.parse(dt[0]), raw: dt[0] });
      i += dt[0].length;
      continue;
    }
    if (/^\d{4}-\d{2}-\d{2}T/.test(rest)) {
      throw new SoqlError(`line 1:${i} no viable alternative at character: invalid datetime literal near '${rest.slice(0, 30)}'`);
    }
    const d = DATE_RE.exec(rest);
    if (d) {
      tokens.push({ t: 'date', v: d[0] });
      i += d[0].length;
      continue;
    }
    if (c === "'") {
      let value = '';
      i++;
      while (i < src.length && src[i] !== "'") {
        if (src[i] === '\\') {
          const next = src[i + 1];
          value += next === 'n' ? '\n' : next === 't' ? '\t' : (next ?? '');
          i += 2;
        } else {
          value += src[i];
          i++;
        }
      }
      if (i >= src.length) throw new SoqlError('unterminated string literal');
      i++;
      tokens.push({ t: 'string', v: value });
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(rest);
    if (num) {
      tokens.push({ t: 'number', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const op = /^(<=|>=|!=|<>|=|<|>)/.exec(rest);
    if (op) {
      tokens.push({ t: 'op', v: op[0] === '<>' ? '!=' : op[0] });
      i += op[0].length;
      continue;
    }
    if (c === ',' || c === '(' || c === ')') {
      tokens.push({ t: 'punct', v: c });
      i++;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(rest);
    if (ident) {
      tokens.push({ t: 'ident', v: ident[0] });
      i += ident[0].length;
      continue;
    }
    throw new SoqlError(`unexpected character '${c}' at ${i}`);
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }
  private next(): Token {
    const tok = this.tokens[this.pos++];
    if (!tok) throw new SoqlError('unexpected end of query');
    return tok;
  }
  private isKeyword(word: string, offset = 0): boolean {
    const tok = this.tokens[this.pos + offset];
    return tok?.t === 'ident' && tok.v.toUpperCase() === word;
  }
  private expectKeyword(word: string): void {
    if (!this.isKeyword(word)) throw new SoqlError(`expected ${word} near '${describe(this.peek())}'`);
    this.pos++;
  }
  private ident(): string {
    const tok = this.next();
    if (tok.t !== 'ident') throw new SoqlError(`expected a field name near '${describe(tok)}'`);
    return tok.v;
  }

  parse(): SoqlQuery {
    this.expectKeyword('SELECT');
    const fields: string[] = [this.ident()];
    while (this.peek()?.t === 'punct' && (this.peek() as { v: string }).v === ',') {
      this.pos++;
      fields.push(this.ident());
    }
    if (fields.some((name) => name.toUpperCase() === 'FROM')) throw new SoqlError('unexpected token: FROM');
    this.expectKeyword('FROM');
    const object = this.ident();
    const query: SoqlQuery = { fields, object, orderBy: [] };
    if (this.isKeyword('WHERE')) {
      this.pos++;
      query.where = this.orExpr();
    }
    if (this.isKeyword('ORDER')) {
      this.pos++;
      this.expectKeyword('BY');
      do {
        if (query.orderBy.length > 0) this.pos++;
        const field = this.ident();
        let direction: 'ASC' | 'DESC' = 'ASC';
        if (this.isKeyword('ASC') || this.isKeyword('DESC')) direction = this.ident().toUpperCase() as 'ASC' | 'DESC';
        let nulls: 'FIRST' | 'LAST' = direction === 'ASC' ? 'FIRST' : 'LAST';
        if (this.isKeyword('NULLS')) {
          this.pos++;
          const which = this.ident().toUpperCase();
          if (which !== 'FIRST' && which !== 'LAST') throw new SoqlError(`expected FIRST or LAST after NULLS`);
          nulls = which;
        }
        query.orderBy.push({ field, direction, nulls });
      } while (this.peek()?.t === 'punct' && (this.peek() as { v: string }).v === ',');
    }
    if (this.isKeyword('LIMIT')) {
      this.pos++;
      query.limit = this.integer();
    }
    if (this.isKeyword('OFFSET')) {
      this.pos++;
      query.offset = this.integer();
    }
    if (this.peek()) throw new SoqlError(`unexpected token: '${describe(this.peek())}'`);
    return query;
  }

  private integer(): number {
    const tok = this.next();
    if (tok.t !== 'number' || !Number.isInteger(tok.v) || tok.v < 0) throw new SoqlError('expected a non-negative integer');
    return tok.v;
  }

  private orExpr(): Condition {
    let left = this.andExpr();
    while (this.isKeyword('OR')) {
      this.pos++;
      left = { kind: 'or', left, right: this.andExpr() };
    }
    return left;
  }
  private andExpr(): Condition {
    let left = this.unary();
    while (this.isKeyword('AND')) {
      this.pos++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }
  private unary(): Condition {
    if (this.isKeyword('NOT')) {
      this.pos++;
      return { kind: 'not', operand: this.unary() };
    }
    const tok = this.peek();
    if (tok?.t === 'punct' && tok.v === '(') {
      this.pos++;
      const inner = this.orExpr();
      const close = this.next();
      if (close.t !== 'punct' || close.v !== ')') throw new SoqlError("expected ')'");
      return inner;
    }
    const field = this.ident();
    if (this.isKeyword('IN') || (this.isKeyword('NOT') && this.isKeyword('IN', 1))) {
      const negated = this.isKeyword('NOT');
      this.pos += negated ? 2 : 1;
      const open = this.next();
      if (open.t !== 'punct' || open.v !== '(') throw new SoqlError("expected '(' after IN");
      const values: Literal[] = [this.literal()];
      for (;;) {
        const sep = this.next();
        if (sep.t === 'punct' && sep.v === ')') break;
        if (sep.t !== 'punct' || sep.v !== ',') throw new SoqlError("expected ',' or ')' in IN list");
        values.push(this.literal());
      }
      return { kind: 'in', field, negated, values };
    }
    if (this.isKeyword('LIKE')) {
      this.pos++;
      const pattern = this.next();
      if (pattern.t !== 'string') throw new SoqlError('LIKE needs a string literal');
      return { kind: 'like', field, pattern: pattern.v };
    }
    const op = this.next();
    if (op.t !== 'op') throw new SoqlError(`expected an operator after ${field}`);
    return { kind: 'compare', field, op: op.v as '=', value: this.literal() };
  }
  private literal(): Literal {
    const tok = this.next();
    switch (tok.t) {
      case 'string':
        return { kind: 'string', value: tok.v };
      case 'number':
        return { kind: 'number', value: tok.v };
      case 'datetime':
        return { kind: 'datetime', value: tok.v };
      case 'date':
        return { kind: 'date', value: tok.v };
      case 'ident': {
        const word = tok.v.toLowerCase();
        if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true' };
        if (word === 'null') return { kind: 'null' };
        throw new SoqlError(`unsupported literal '${tok.v}'`);
      }
      default:
        throw new SoqlError(`unexpected token '${describe(tok)}' where a value was expected`);
    }
  }
}

function describe(tok: Token | undefined): string {
  if (!tok) return '<end>';
  return 'raw' in tok ? tok.raw : String(tok.v);
}

export function parseSoql(soql: string): SoqlQuery {
  return new Parser(tokenize(soql)).parse();
}

/** Parse a stored Salesforce datetime ('2024-01-31T10:00:00.000+0000') or ISO string to epoch ms. */
export function parseSalesforceDateTime(value: string): number {
  const normalised = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  return Date.parse(normalised);
}

/** Format epoch ms the way Salesforce returns datetimes: 2024-01-31T10:00:00.000+0000. */
export function formatSalesforceDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

type FieldValue = unknown;

function compareValues(a: FieldValue, lit: Literal): number | null {
  if (a === null || a === undefined || lit.kind === 'null') return null;
  switch (lit.kind) {
    case 'datetime': {
      if (typeof a !== 'string') return null;
      return Math.sign(parseSalesforceDateTime(a) - lit.value);
    }
    case 'date':
    case 'string':
      return String(a) < lit.value ? -1 : String(a) > lit.value ? 1 : 0;
    case 'number':
      return Math.sign(Number(a) - lit.value);
    case 'boolean':
      return a === lit.value ? 0 : 1;
  }
}

function matchesLike(value: FieldValue, pattern: string): boolean {
  if (typeof value !== 'string') return false;
  const re = new RegExp(
    '^' + pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.') + '$',
    'is',
  );
  return re.test(value);
}

export function evaluate(cond: Condition, get: (field: string) => FieldValue): boolean {
  switch (cond.kind) {
    case 'and':
      return evaluate(cond.left, get) && evaluate(cond.right, get);
    case 'or':
      return evaluate(cond.left, get) || evaluate(cond.right, get);
    case 'not':
      return !evaluate(cond.operand, get);
    case 'like':
      return matchesLike(get(cond.field), cond.pattern);
    case 'in': {
      const value = get(cond.field);
      const found = cond.values.some((lit) =>
        lit.kind === 'null' ? value === null || value === undefined : compareValues(value, lit) === 0,
      );
      return cond.negated ? !found : found;
    }
    case 'compare': {
      const value = get(cond.field);
      if (cond.value.kind === 'null') {
        const isNull = value === null || value === undefined;
        if (cond.op === '=') return isNull;
        if (cond.op === '!=') return !isNull;
        return false;
      }
      const cmp = compareValues(value, cond.value);
      if (cmp === null) return cond.op === '!=';
      switch (cond.op) {
        case '=':
          return cmp === 0;
        case '!=':
          return cmp !== 0;
        case '<':
          return cmp < 0;
        case '>':
          return cmp > 0;
        case '<=':
          return cmp <= 0;
        case '>=':
          return cmp >= 0;
      }
    }
  }
}

/** Field names referenced anywhere in the condition (for validation). */
export function conditionFields(cond: Condition | undefined): string[] {
  if (!cond) return [];
  switch (cond.kind) {
    case 'and':
    case 'or':
      return [...conditionFields(cond.left), ...conditionFields(cond.right)];
    case 'not':
      return conditionFields(cond.operand);
    default:
      return [cond.field];
  }
}

export function compareForOrder(a: FieldValue, b: FieldValue, order: OrderBy): number {
  const aNull = a === null || a === undefined;
  const bNull = b === null || b === undefined;
  if (aNull || bNull) {
    if (aNull && bNull) return 0;
    return (aNull ? -1 : 1) * (order.nulls === 'FIRST' ? 1 : -1);
  }
  let cmp: number;
  if (typeof a === 'number' && typeof b === 'number') cmp = a - b;
  else if (typeof a === 'boolean' && typeof b === 'boolean') cmp = Number(a) - Number(b);
  else cmp = String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  return order.direction === 'ASC' ? cmp : -cmp;
}
