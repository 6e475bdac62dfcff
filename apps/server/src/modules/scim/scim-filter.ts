// SCIM filters and attribute paths (RFC 7644 §3.4.2.2, §3.5.2, §3.10), parsed into a small tree.
// The tree is translated into parameterised SQL elsewhere; nothing here builds SQL.

/** A filter or path the parser cannot read; `position` is where (0-based) it went wrong. */
export class ScimParseError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

/** An attribute path: optional schema URN, attribute, optional sub-attribute. */
export interface AttrPath {
  urn: string | null;
  /** Null only when the path names a whole extension schema (PATCH). */
  attr: string | null;
  sub: string | null;
}

/** Comparison operators of SCIM filters. */
export const compareOps = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const;

/** A comparison operator. */
export type CompareOp = (typeof compareOps)[number];

/** A literal of a filter: a JSON string, number, boolean or null. */
export type FilterValue = string | number | boolean | null;

/** A parsed filter. Inside a value path, paths are relative to the multi-valued attribute. */
export type Filter =
  | { kind: 'compare'; path: AttrPath; op: CompareOp; value: FilterValue }
  | { kind: 'present'; path: AttrPath }
  | { kind: 'and' | 'or'; left: Filter; right: Filter }
  | { kind: 'not'; filter: Filter }
  | { kind: 'valuePath'; path: AttrPath; filter: Filter };

/** A PATCH path: an attribute, optionally narrowed by a value filter, optionally a sub-attribute. */
export interface PatchPath {
  path: AttrPath;
  filter: Filter | null;
  /** The sub-attribute after a value filter (`emails[type eq "work"].value`). */
  sub: string | null;
}

type TokenKind = 'word' | 'string' | 'number' | '(' | ')' | '[' | ']' | 'sub' | 'end';

interface Token {
  kind: TokenKind;
  text: string;
  position: number;
}

const attributeName = /^[A-Za-z$][A-Za-z0-9_$-]*$/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i += 1;
      continue;
    }
    if (c === '(' || c === ')' || c === '[' || c === ']') {
      tokens.push({ kind: c, text: c, position: i });
      i += 1;
      continue;
    }
    const rest = text.slice(i);
    const quoted = /^"(?:[^"\\]|\\.)*"/.exec(rest);
    if (c === '"') {
      if (!quoted) throw new ScimParseError('A string is not closed', i);
      tokens.push({ kind: 'string', text: quoted[0], position: i });
      i += quoted[0].length;
      continue;
    }
    const sub = /^\.[A-Za-z$][A-Za-z0-9_$-]*/.exec(rest);
    if (sub && tokens.at(-1)?.kind === ']') {
      tokens.push({ kind: 'sub', text: sub[0].slice(1), position: i });
      i += sub[0].length;
      continue;
    }
    const number = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![A-Za-z0-9_:.$-])/.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', text: number[0], position: i });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_$][A-Za-z0-9_$:.-]*/.exec(rest);
    if (word) {
      tokens.push({ kind: 'word', text: word[0], position: i });
      i += word[0].length;
      continue;
    }
    throw new ScimParseError(`Unexpected "${c}"`, i);
  }
  tokens.push({ kind: 'end', text: '', position: text.length });
  return tokens;
}

/** Parse one attribute path (`userName`, `name.givenName`, `urn:…:User:department`). */
export function parseAttrPath(word: string, knownUrns: readonly string[], position = 0): AttrPath {
  const lower = word.toLowerCase();
  let urn: string | null = null;
  let rest = word;
  if (lower.startsWith('urn:')) {
    const exact = knownUrns.find((u) => u.toLowerCase() === lower);
    if (exact) return { urn: exact, attr: null, sub: null };
    const prefix = knownUrns
      .filter((u) => lower.startsWith(`${u.toLowerCase()}:`))
      .sort((a, b) => b.length - a.length)[0];
    if (!prefix) throw new ScimParseError(`Unknown schema in "${word}"`, position);
    urn = prefix;
    rest = word.slice(prefix.length + 1);
  }
  const parts = rest.split('.');
  const [attr, sub, ...extra] = parts;
  if (attr === undefined || extra.length > 0 || !parts.every((p) => attributeName.test(p))) {
    throw new ScimParseError(`"${word}" is not an attribute path`, position);
  }
  return { urn, attr, sub: sub ?? null };
}

// Deeper nesting than any real filter, and short of what recursion could not handle.
const maxDepth = 32;

class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly knownUrns: readonly string[],
  ) {}

  peek(): Token {
    return this.tokens[this.index] ?? { kind: 'end', text: '', position: 0 };
  }

  next(): Token {
    const token = this.peek();
    this.index += 1;
    return token;
  }

  expect(kind: TokenKind, what: string): Token {
    const token = this.next();
    if (token.kind !== kind) {
      const found = token.kind === 'end' ? 'the end' : `"${token.text}"`;
      throw new ScimParseError(`Expected ${what} but found ${found}`, token.position);
    }
    return token;
  }

  isKeyword(token: Token, keyword: string): boolean {
    return token.kind === 'word' && token.text.toLowerCase() === keyword;
  }

  parseOr(inValuePath: boolean): Filter {
    let left = this.parseAnd(inValuePath);
    while (this.isKeyword(this.peek(), 'or')) {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd(inValuePath) };
    }
    return left;
  }

  parseAnd(inValuePath: boolean): Filter {
    let left = this.parseUnary(inValuePath);
    while (this.isKeyword(this.peek(), 'and')) {
      this.next();
      left = { kind: 'and', left, right: this.parseUnary(inValuePath) };
    }
    return left;
  }

  parseUnary(inValuePath: boolean): Filter {
    const token = this.peek();
    if (this.isKeyword(token, 'not') || token.kind === '(') {
      if (this.depth >= maxDepth) {
        throw new ScimParseError('The filter nests parentheses too deeply', token.position);
      }
      this.depth += 1;
      const filter = this.parseGroup(inValuePath);
      this.depth -= 1;
      return filter;
    }
    return this.parseAttrExpression(inValuePath);
  }

  parseGroup(inValuePath: boolean): Filter {
    const token = this.peek();
    if (this.isKeyword(token, 'not')) {
      this.next();
      this.expect('(', '"(" after not');
      const filter = this.parseOr(inValuePath);
      this.expect(')', '")"');
      return { kind: 'not', filter };
    }
    if (token.kind === '(') {
      this.next();
      const filter = this.parseOr(inValuePath);
      this.expect(')', '")"');
      return filter;
    }
    throw new ScimParseError('Expected "(" or not', token.position);
  }

  parseAttrExpression(inValuePath: boolean): Filter {
    const token = this.expect('word', 'an attribute');
    const path = parseAttrPath(token.text, this.knownUrns, token.position);
    if (path.attr === null) {
      throw new ScimParseError(`"${token.text}" names a schema, not an attribute`, token.position);
    }
    if (this.peek().kind === '[') {
      if (inValuePath || path.sub !== null) {
        throw new ScimParseError('A value filter cannot be nested here', this.peek().position);
      }
      this.next();
      let filter = this.parseOr(true);
      this.expect(']', '"]"');
      const sub = this.peek();
      if (sub.kind === 'sub') {
        this.next();
        filter = { kind: 'and', left: filter, right: this.parseComparison(relative(sub.text)) };
      }
      return { kind: 'valuePath', path, filter };
    }
    return this.parseComparison(path);
  }

  parseComparison(path: AttrPath): Filter {
    const opToken = this.expect('word', 'an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr)');
    const op = opToken.text.toLowerCase();
    if (op === 'pr') return { kind: 'present', path };
    if (!(compareOps as readonly string[]).includes(op)) {
      throw new ScimParseError(`Unknown operator "${opToken.text}"`, opToken.position);
    }
    return { kind: 'compare', path, op: op as CompareOp, value: this.parseValue() };
  }

  parseValue(): FilterValue {
    const token = this.next();
    if (token.kind === 'string') {
      try {
        return JSON.parse(token.text) as string;
      } catch {
        throw new ScimParseError('The string has an invalid escape', token.position);
      }
    }
    if (token.kind === 'number') return Number(token.text);
    if (token.kind === 'word') {
      const lower = token.text.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      if (lower === 'null') return null;
    }
    const found = token.kind === 'end' ? 'the end' : `"${token.text}"`;
    throw new ScimParseError(
      `Expected a value (a string in double quotes, a number, true, false or null) but found ${found}`,
      token.position,
    );
  }
}

function relative(name: string): AttrPath {
  return { urn: null, attr: name, sub: null };
}

/** Parse a filter (the `filter` query parameter, or the filter inside a value path). */
export function parseFilter(text: string, knownUrns: readonly string[]): Filter {
  if (text.trim() === '') throw new ScimParseError('The filter is empty', 0);
  const parser = new Parser(tokenize(text), knownUrns);
  const filter = parser.parseOr(false);
  const rest = parser.peek();
  if (rest.kind !== 'end') {
    throw new ScimParseError(`Unexpected "${rest.text}"`, rest.position);
  }
  return filter;
}

/** Parse the `path` of a PATCH operation (RFC 7644 §3.5.2). */
export function parsePatchPath(text: string, knownUrns: readonly string[]): PatchPath {
  const tokens = tokenize(text);
  const parser = new Parser(tokens, knownUrns);
  const head = parser.expect('word', 'an attribute');
  const path = parseAttrPath(head.text, knownUrns, head.position);
  let filter: Filter | null = null;
  let sub: string | null = null;
  if (parser.peek().kind === '[') {
    if (path.attr === null || path.sub !== null) {
      throw new ScimParseError('A value filter follows a multi-valued attribute', head.position);
    }
    parser.next();
    filter = parser.parseOr(true);
    parser.expect(']', '"]"');
    const after = parser.peek();
    if (after.kind === 'sub') {
      parser.next();
      sub = after.text;
    }
  }
  const rest = parser.peek();
  if (rest.kind !== 'end') throw new ScimParseError(`Unexpected "${rest.text}"`, rest.position);
  return { path, filter, sub };
}
