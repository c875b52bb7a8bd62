/**
 * A port of k8s.io/client-go/util/jsonpath at v0.34.2 (parser.go, jsonpath.go, node.go) and
 * of the comparisons it borrows from third_party/forked/golang/template/funcs.go, as kubectl
 * uses it (-o jsonpath=…, AllowMissingKeys(true)). The parser walks the template the way
 * parser.go does, so every template fails with the error client-go gives it
 * ("unterminated array", "unclosed action", "unrecognized character in action: U+0021 '!'",
 * …); identifiers (`range`, `end`, anything else) are checked when the template runs, as in
 * jsonpath.go's evalIdentifier ("unrecognized identifier rangex", "not in range, nothing to end").
 *
 * Values are decoded JSON: a whole number is an int64, any other number a float64 (what
 * apimachinery's unstructured decoder makes); a literal `1.5` in a template is a float
 * (GoFloat), `1` an int. Maps are walked in sorted key order where Go's order is random.
 */
import { isArray, isObject } from '../../cluster/types';
import { toGoJson } from './serialize';
import { goFloat, goQuote } from './gotemplate';

export class JsonPathError extends Error {
  /** What the failing step returned with its error (Go returns a value and an error; an `exists` filter keeps the value). */
  constructor(
    message: string,
    readonly partial: unknown[] = [],
  ) {
    super(message);
  }
}

/** A float64 written as a literal in the template (parser.go's FloatNode). */
class GoFloat {
  constructor(readonly v: number) {}
}

interface ParamsEntry {
  value: number;
  known: boolean;
  derived: boolean;
}

type JNode =
  | { t: 'list'; nodes: JNode[] }
  | { t: 'text'; text: string }
  | { t: 'field'; value: string }
  | { t: 'identifier'; name: string }
  | { t: 'array'; params: [ParamsEntry, ParamsEntry, ParamsEntry] }
  | { t: 'filter'; left: JList; right: JList; op: string }
  | { t: 'int'; value: number }
  | { t: 'float'; value: number }
  | { t: 'bool'; value: boolean }
  | { t: 'wildcard' }
  | { t: 'recursive' }
  | { t: 'union'; nodes: JList[] };

type JList = JNode & { t: 'list' };

const EOF = -1;
const newList = (): JList => ({ t: 'list', nodes: [] });

const isSpace = (r: number) => r === 0x20 || r === 0x09;
const isEndOfLine = (r: number) => r === 0x0d || r === 0x0a;
const isDigit = (r: number) => r >= 0 && /\p{Nd}/u.test(String.fromCodePoint(r));
const isAlphaNumeric = (r: number) => r === 0x5f || (r >= 0 && /[\p{L}\p{Nd}]/u.test(String.fromCodePoint(r)));
function isTerminator(r: number): boolean {
  if (isSpace(r) || isEndOfLine(r)) return true;
  return r === EOF || '.,[]$@{}'.includes(String.fromCodePoint(r));
}

/** fmt's %#U: `U+0021 '!'` (the character only when it is printable). */
function sharpU(r: number): string {
  const hex = 'U+' + r.toString(16).toUpperCase().padStart(4, '0');
  const ch = String.fromCodePoint(r);
  return /[\p{L}\p{M}\p{N}\p{P}\p{S}\u0020]/u.test(ch) ? `${hex} '${ch}'` : hex;
}

/** strconv.Atoi: an optional sign and decimal digits that fit an int64. */
function atoi(s: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = Number(s);
  return Math.abs(n) <= 9223372036854775807 ? n : undefined;
}

/** strconv.ParseFloat(s, 64) for what parseNumber collects (sign, digits and dots). */
function parseFloat64(s: string): number | undefined {
  return /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(s) ? Number(s) : undefined;
}

class Parser {
  root: JList = newList();
  private input = '';
  private pos = 0;
  private start = 0;
  private width = 0;

  parse(text: string): void {
    this.input = text;
    this.root = newList();
    this.pos = 0;
    this.parseText(this.root);
  }

  private fail(msg: string): never {
    throw new JsonPathError(msg);
  }

  private consumeText(): string {
    const v = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return v;
  }

  private next(): number {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const r = this.input.codePointAt(this.pos)!;
    this.width = r > 0xffff ? 2 : 1;
    this.pos += this.width;
    return r;
  }

  private peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  private backup(): void {
    this.pos -= this.width;
  }

  private parseText(cur: JList): void {
    for (;;) {
      if (this.input.startsWith('{', this.pos)) {
        if (this.pos > this.start) cur.nodes.push({ t: 'text', text: this.consumeText() });
        return this.parseLeftDelim(cur);
      }
      if (this.next() === EOF) break;
    }
    if (this.pos > this.start) cur.nodes.push({ t: 'text', text: this.consumeText() });
  }

  private parseLeftDelim(cur: JList): void {
    this.pos += 1;
    this.consumeText();
    const node = newList();
    cur.nodes.push(node);
    return this.parseInsideAction(node);
  }

  private parseInsideAction(cur: JList): void {
    for (;;) {
      const rest = this.input.slice(this.pos);
      if (rest.startsWith('}')) return this.parseRightDelim();
      if (rest.startsWith('[?(')) return this.parseFilter(cur);
      if (rest.startsWith('..')) return this.parseRecursive(cur);
      const r = this.next();
      if (r === EOF || isEndOfLine(r)) this.fail('unclosed action');
      if (r === 0x20 || r === 0x40 || r === 0x24) {
        // a space, `@` or `$` (the current object) is passed over
        this.consumeText();
        continue;
      }
      if (r === 0x5b) return this.parseArray(cur);
      if (r === 0x22 || r === 0x27) return this.parseQuote(cur, r);
      if (r === 0x2e) return this.parseField(cur);
      if (r === 0x2b || r === 0x2d || isDigit(r)) {
        this.backup();
        return this.parseNumber(cur);
      }
      if (isAlphaNumeric(r)) {
        this.backup();
        return this.parseIdentifier(cur);
      }
      this.fail(`unrecognized character in action: ${sharpU(r)}`);
    }
  }

  private parseRightDelim(): void {
    this.pos += 1;
    this.consumeText();
    return this.parseText(this.root);
  }

  private parseIdentifier(cur: JList): void {
    for (;;) {
      const r = this.next();
      if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (value === 'true' || value === 'false') cur.nodes.push({ t: 'bool', value: value === 'true' });
    else cur.nodes.push({ t: 'identifier', name: value });
    return this.parseInsideAction(cur);
  }

  private parseRecursive(cur: JList): void {
    const last = cur.nodes[cur.nodes.length - 1];
    if (last?.t === 'recursive') this.fail('invalid multiple recursive descent');
    this.pos += 2;
    this.consumeText();
    cur.nodes.push({ t: 'recursive' });
    if (isAlphaNumeric(this.peek())) return this.parseField(cur);
    return this.parseInsideAction(cur);
  }

  private parseNumber(cur: JList): void {
    const r0 = this.peek();
    if (r0 === 0x2b || r0 === 0x2d) this.next();
    for (;;) {
      const r = this.next();
      if (r !== 0x2e && !isDigit(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    const i = atoi(value);
    if (i !== undefined) {
      cur.nodes.push({ t: 'int', value: i });
      return this.parseInsideAction(cur);
    }
    const d = parseFloat64(value);
    if (d !== undefined) {
      cur.nodes.push({ t: 'float', value: d });
      return this.parseInsideAction(cur);
    }
    this.fail(`cannot parse number ${value}`);
  }

  private parseArray(cur: JList): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) this.fail('unterminated array');
      if (r === 0x5d) break;
    }
    let text = this.consumeText();
    text = text.slice(1, -1);
    if (text === '*') text = ':';

    // union operator
    const strs = text.split(',');
    if (strs.length > 1) {
      const union: JList[] = [];
      for (const str of strs) union.push(parseAction(`[${str.replace(/^ +| +$/g, '')}]`));
      cur.nodes.push({ t: 'union', nodes: union });
      return this.parseInsideAction(cur);
    }

    // dict key
    const dict = /^'([^']*)'$/.exec(text);
    if (dict) {
      for (const node of parseAction(`.${dict[1]}`).nodes) cur.nodes.push(node);
      return this.parseInsideAction(cur);
    }

    // slice operator
    const m = /^(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?$/.exec(text);
    if (!m) this.fail(`invalid array index ${text}`);
    const value = [m[1] ?? '', m[2] ?? '', m[3] ?? ''];
    const params: [ParamsEntry, ParamsEntry, ParamsEntry] = [
      { value: 0, known: false, derived: false },
      { value: 0, known: false, derived: false },
      { value: 0, known: false, derived: false },
    ];
    for (let i = 0; i < 3; i++) {
      if (value[i] !== '') {
        if (i > 0) value[i] = value[i].slice(1);
        if (i > 0 && value[i] === '') params[i].known = false;
        else {
          params[i].known = true;
          const n = atoi(value[i]);
          if (n === undefined) this.fail(`array index ${value[i]} is not a number`);
          params[i].value = n;
        }
      } else if (i === 1) {
        params[i] = { known: true, value: params[0].value + 1, derived: true };
      } else {
        params[i].known = false;
        params[i].value = 0;
      }
    }
    cur.nodes.push({ t: 'array', params });
    return this.parseInsideAction(cur);
  }

  private parseFilter(cur: JList): void {
    this.pos += 3;
    this.consumeText();
    let begin = false;
    let end = false;
    let pair = 0;
    loop: for (;;) {
      const r = this.next();
      switch (r) {
        case EOF:
        case 0x0a:
          this.fail('unterminated filter');
        // falls through (fail throws)
        case 0x22:
        case 0x27:
          if (!begin) {
            begin = true;
            pair = r;
            continue;
          }
          if (this.input[this.pos - 2] !== '\\' && r === pair) end = true;
          break;
        case 0x29:
          // the right side's quotes come once at most, paired at its start and end
          if (begin === end) break loop;
          break;
      }
    }
    if (this.next() !== 0x5d) this.fail('unclosed array expect ]');
    let text = this.consumeText();
    text = text.slice(0, -2);
    const value = /^([^!<>=]+)([!<>=]+)(.+?)$/s.exec(text);
    if (!value) {
      cur.nodes.push({ t: 'filter', left: parseAction(text), right: newList(), op: 'exists' });
    } else {
      const left = parseAction(value[1]);
      const right = parseAction(value[3]);
      cur.nodes.push({ t: 'filter', left, right, op: value[2] });
    }
    return this.parseInsideAction(cur);
  }

  private parseQuote(cur: JList, end: number): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) this.fail('unterminated quoted string');
      if (r === end && this.input[this.pos - 2] !== '\\') break;
    }
    const value = this.consumeText();
    const s = unquoteExtend(value);
    if (s === undefined) this.fail(`unquote string ${value} error invalid syntax`);
    cur.nodes.push({ t: 'text', text: s });
    return this.parseInsideAction(cur);
  }

  private parseField(cur: JList): void {
    this.consumeText();
    while (this.advance());
    const value = this.consumeText();
    if (value === '*') cur.nodes.push({ t: 'wildcard' });
    else cur.nodes.push({ t: 'field', value: value.replace(/\\/g, '') });
    return this.parseInsideAction(cur);
  }

  private advance(): boolean {
    const r = this.next();
    if (r === 0x5c) this.next();
    else if (isTerminator(r)) {
      this.backup();
      return false;
    }
    return true;
  }
}

/** parser.go's parseAction: the nodes of `{text}`. */
function parseAction(text: string): JList {
  const p = new Parser();
  p.parse(`{${text}}`);
  return p.root.nodes[0] as JList;
}

/** parser.go's UnquoteExtend: strconv.Unquote that also takes single quotes; undefined on ErrSyntax. */
function unquoteExtend(s: string): string | undefined {
  const n = s.length;
  if (n < 2) return undefined;
  const quote = s[0];
  if (quote !== s[n - 1] || (quote !== '"' && quote !== "'")) return undefined;
  let body = s.slice(1, n - 1);
  if (!body.includes('\\') && !body.includes(quote)) return body;
  let out = '';
  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
  while (body.length > 0) {
    // strconv.UnquoteChar
    const c = body[0];
    if (c === quote) return undefined;
    if (c !== '\\') {
      const cp = body.codePointAt(0)!;
      const ch = String.fromCodePoint(cp);
      out += ch;
      body = body.slice(ch.length);
      continue;
    }
    if (body.length <= 1) return undefined;
    const e = body[1];
    body = body.slice(2);
    if (e in simple) out += simple[e];
    else if (e === "'" || e === '"') {
      if (e !== quote) return undefined;
      out += e;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(0, len);
      if (!new RegExp(`^[0-9A-Fa-f]{${len}}$`).test(hex)) return undefined;
      const v = parseInt(hex, 16);
      body = body.slice(len);
      if (e === 'x') out += String.fromCharCode(v);
      else {
        if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) return undefined;
        out += String.fromCodePoint(v);
      }
    } else if (e >= '0' && e <= '7') {
      const oct = e + body.slice(0, 2);
      if (!/^[0-7]{3}$/.test(oct)) return undefined;
      const v = parseInt(oct, 8);
      if (v > 255) return undefined;
      out += String.fromCharCode(v);
      body = body.slice(2);
    } else return undefined;
  }
  return out;
}

// ---- evaluation (jsonpath.go) --------------------------------------------------------------

/** A value the walk carries: decoded JSON, a literal, or `undefined` for Go's invalid reflect.Value. */
type Val = unknown;

/** The values of a map or a list, as evalWildcard and evalRecursive list them. */
function children(v: Val): Val[] {
  if (isArray(v)) return v;
  if (isObject(v)) return Object.keys(v).sort().filter((k) => v[k] !== undefined).map((k) => v[k]);
  if (typeof v === 'string') return [...new TextEncoder().encode(v)];
  return [];
}

type Kind = 'bool' | 'int' | 'float' | 'string';

/** funcs.go basicKind. */
function basicKind(v: Val): Kind {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (v instanceof GoFloat) return 'float';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  throw new JsonPathError('invalid type for comparison');
}

const num = (v: Val) => (v instanceof GoFloat ? v.v : (v as number));

function equal(a: Val, b: Val): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 !== k2) throw new JsonPathError('incompatible types for comparison');
  if (k1 === 'int' || k1 === 'float') return num(a) === num(b);
  return a === b;
}

function less(a: Val, b: Val): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 !== k2) throw new JsonPathError('incompatible types for comparison');
  if (k1 === 'bool') throw new JsonPathError('invalid type for comparison');
  if (k1 === 'string') return (a as string) < (b as string);
  return num(a) < num(b);
}

function compare(op: string, a: Val, b: Val): boolean {
  switch (op) {
    case '<':
      return less(a, b);
    case '>':
      return !(less(a, b) || equal(a, b));
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case '<=':
      return less(a, b) || equal(a, b);
    case '>=':
      return !less(a, b);
  }
  throw new JsonPathError(`unrecognized filter operator ${op}`);
}

/** The Go type of a decoded value, as `%v is not array or slice` names it. */
function goTypeOf(v: Val): string {
  if (v instanceof GoFloat) return 'float64';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (isObject(v)) return 'map[string]interface {}';
  return 'interface {}';
}

class JsonPath {
  private beginRange = 0;
  private inRange = 0;
  private endRange = 0;
  private lastEndNode: JNode | undefined;

  constructor(private root: JList) {}

  findResults(data: Val): Val[][] {
    const cur: Val[] = [data];
    const nodes = this.root.nodes;
    const full: Val[][] = [];
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      const results = this.walk(cur, node);
      // an end node breaks the current block
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange--;
        this.lastEndNode = node;
        break;
      }
      // a range node starts a loop
      if (this.beginRange > 0) {
        this.beginRange--;
        this.inRange++;
        if (results.length > 0) {
          for (const value of results) {
            this.root.nodes = nodes.slice(i + 1);
            full.push(...this.findResults(value));
          }
        } else {
          // no results: the body still runs (on nothing) so the position reaches its end
          this.root.nodes = nodes.slice(i + 1);
          this.findResults(undefined);
        }
        this.inRange--;
        for (let k = i + 1; k < nodes.length; k++) {
          if (nodes[k] === this.lastEndNode) {
            i = k;
            break;
          }
        }
        continue;
      }
      full.push(results);
    }
    return full;
  }

  private walk(value: Val[], node: JNode): Val[] {
    switch (node.t) {
      case 'list':
        return this.evalList(value, node);
      case 'text':
        return [node.text];
      case 'field':
        return this.evalField(value, node.value);
      case 'array':
        return this.evalArray(value, node.params);
      case 'filter':
        return this.evalFilter(value, node);
      case 'int':
        return value.map(() => node.value);
      case 'float':
        return value.map(() => new GoFloat(node.value));
      case 'bool':
        return value.map(() => node.value);
      case 'wildcard':
        return value.flatMap((v) => (v === null || v === undefined ? [] : children(v)));
      case 'recursive':
        return this.evalRecursive(value);
      case 'union':
        try {
          return node.nodes.flatMap((l) => this.evalList(value, l));
        } catch (e) {
          throw e instanceof JsonPathError ? new JsonPathError(e.message, value) : e;
        }
      case 'identifier':
        return this.evalIdentifier(value, node.name);
    }
  }

  private evalList(value: Val[], node: JList): Val[] {
    let cur = value;
    for (const n of node.nodes) cur = this.walk(cur, n);
    return cur;
  }

  /** evalList's value even when it fails (an `exists` filter looks only at that). */
  private evalListLenient(value: Val[], node: JList): Val[] {
    let cur = value;
    for (const n of node.nodes) {
      try {
        cur = this.walk(cur, n);
      } catch (e) {
        if (e instanceof JsonPathError) return e.partial;
        throw e;
      }
    }
    return cur;
  }

  private evalIdentifier(input: Val[], name: string): Val[] {
    switch (name) {
      case 'range':
        this.beginRange++;
        return input;
      case 'end':
        if (this.inRange > 0) {
          this.endRange++;
          return [];
        }
        throw new JsonPathError('not in range, nothing to end');
      default:
        throw new JsonPathError(`unrecognized identifier ${name}`, input);
    }
  }

  private evalArray(input: Val[], p: [ParamsEntry, ParamsEntry, ParamsEntry]): Val[] {
    const result: Val[] = [];
    for (const value of input) {
      if (value === null || value === undefined) continue;
      if (!isArray(value)) throw new JsonPathError(`${goTypeOf(value)} is not array or slice`, input);
      const len = value.length;
      let start = p[0].known ? p[0].value : 0;
      if (start < 0) start += len;
      let end = p[1].known ? p[1].value : len;
      if (end < 0 || (end === 0 && p[1].derived)) end += len;
      if (end === start) return result;
      if (start >= len || start < 0) throw new JsonPathError(`array index out of bounds: index ${start}, length ${len}`, input);
      if (end > len || end < 0) throw new JsonPathError(`array index out of bounds: index ${end - 1}, length ${len}`, input);
      if (start > end) throw new JsonPathError(`starting index ${start} is greater than ending index ${end}`, input);
      let step = 1;
      if (p[2].known) {
        if (p[2].value <= 0) throw new JsonPathError('step must be > 0', input);
        step = p[2].value;
      }
      for (let i = start; i < end; i += step) result.push(value[i]);
    }
    return result;
  }

  private evalField(input: Val[], name: string): Val[] {
    const results: Val[] = [];
    for (const value of input) {
      if (isObject(value) && value[name] !== undefined) results.push(value[name]);
    }
    // kubectl allows missing keys: nothing found is an empty result
    return results;
  }

  private evalRecursive(input: Val[]): Val[] {
    const result: Val[] = [];
    for (const value of input) {
      if (value === null || value === undefined) continue;
      const kids = children(value);
      if (kids.length !== 0) {
        result.push(value);
        result.push(...this.evalRecursive(kids));
      }
    }
    return result;
  }

  private evalFilter(input: Val[], node: JNode & { t: 'filter' }): Val[] {
    const results: Val[] = [];
    for (const value of input) {
      if (!isArray(value)) throw new JsonPathError(`${goPrintV(value)} is not array or slice and cannot be filtered`, input);
      for (const item of value) {
        const temp = [item];
        if (node.op === 'exists') {
          const lefts = this.evalListLenient(temp, node.left);
          if (lefts.length > 0) results.push(item);
          continue;
        }
        const lefts = this.evalList(temp, node.left);
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw new JsonPathError('can only compare one element at a time');
        const rights = this.evalList(temp, node.right);
        if (rights.length === 0) continue;
        if (rights.length > 1) throw new JsonPathError('can only compare one element at a time');
        if (compare(node.op, lefts[0], rights[0])) results.push(item);
      }
    }
    return results;
  }
}

/** fmt's %v of a decoded value (what evalToText prints, and `%v is not array…` names). */
function goPrintV(v: Val): string {
  if (v === undefined) return '<invalid reflect.Value>';
  if (v === null) return '<nil>';
  if (v instanceof GoFloat) return goFloat(v.v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloat(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (isArray(v)) return '[' + v.map(goPrintV).join(' ') + ']';
  if (isObject(v)) return 'map[' + Object.keys(v).filter((k) => v[k] !== undefined).sort().map((k) => `${k}:${goPrintV(v[k])}`).join(' ') + ']';
  return String(v);
}

/** fmt's %#v of a decoded value: what kubectl's debugging report shows as the object given to the engine. */
export function goSharpV(v: Val, top = true): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloat(v);
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'boolean') return String(v);
  if (isArray(v)) return '[]interface {}{' + v.map((x) => goSharpV(x, false)).join(', ') + '}';
  if (isObject(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
    return 'map[string]interface {}{' + keys.map((k) => `${goQuote(k)}:${goSharpV(v[k], false)}`).join(', ') + '}';
  }
  void top;
  return String(v);
}

export function compactJson(v: unknown): string {
  // json.Marshal: sorted keys, no whitespace
  if (isArray(v)) return '[' + v.map(compactJson).join(',') + ']';
  if (!isObject(v)) return toGoJson(v);
  return '{' + Object.keys(v).filter((k) => v[k] !== undefined).sort().map((k) => toGoJson(k) + ':' + compactJson(v[k])).join(',') + '}';
}

/** JSON of a value a template can hold (a literal float is a float64). */
function plain(v: Val): unknown {
  return v instanceof GoFloat ? v.v : v;
}

/** jsonpath.go PrintResults: maps and lists as compact JSON, null as `null`, the rest with fmt.Print. */
function printResults(results: Val[]): string {
  return results
    .map((r) => {
      if (r !== null && typeof r === 'object' && !(r instanceof GoFloat)) return compactJson(r);
      if (r === undefined) return '<no value>';
      if (r === null) return 'null';
      return goPrintV(r);
    })
    .join(' ');
}

export interface CompiledJsonPath {
  /** The text the template prints (Execute). Throws JsonPathError. */
  execute(data: unknown): string;
  /** EnableJSONOutput(true): each result group as an indented JSON array (-o jsonpath-as-json). */
  executeJson(data: unknown): string;
  /** FindResults, flattened. */
  values(data: unknown): unknown[];
}

/** Parses a kubectl jsonpath template (jsonpath.New("out").Parse). Throws JsonPathError. */
export function compileJsonPath(template: string): CompiledJsonPath {
  const p = new Parser();
  p.parse(template);
  // one JSONPath per printer, its range counters and parsed nodes kept between runs as in Go
  const jp = new JsonPath(p.root);
  return {
    execute: (data) => jp.findResults(data).map(printResults).join(''),
    executeJson: (data) => jp.findResults(data).map((g) => toGoJson(g.map(plain)) + '\n').join(''),
    values: (data) => jp.findResults(data).flat().map(plain),
  };
}

/**
 * kubectl's relaxed jsonpath (RelaxedJSONPathExpression) for custom-columns and
 * --sort-by: `.a.b`, `a.b` and `{.a.b}` all mean `{.a.b}`.
 */
export function relaxedJsonPath(expr: string): string {
  const e = expr.trim();
  if (e.startsWith('{') && e.endsWith('}')) return e;
  if (e.startsWith('.')) return `{${e}}`;
  return `{.${e}}`;
}

/** The values a template finds in `data`, every result group flattened (wait --for, custom-columns). */
export function evalJsonPathValues(template: string, data: unknown): unknown[] {
  return compileJsonPath(template).values(data);
}

export { printResults as jsonPathPrintResults };
