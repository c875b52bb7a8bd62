/**
 * A port of k8s.io/client-go/util/jsonpath (parser.go, jsonpath.go) as kubectl uses it
 * (-o jsonpath=…, AllowMissingKeys(true)): text outside braces is printed as is; inside
 * braces `.a.b`, `['a']`, `[0]`, `[*]`, `[1:3]`, `..name`, `[?(@.x=="y")]`, `range`/`end`,
 * string literals `{"\t"}`. The results of one action are joined with a space; maps and
 * lists print as compact JSON, other values with fmt.Print.
 */
import { isArray, isObject } from '../../cluster/types';
import { toGoJson } from './serialize';

export class JsonPathError extends Error {}

type Step =
  | { t: 'field'; names: string[] }
  | { t: 'recursive' }
  | { t: 'wildcard' }
  | { t: 'index'; specs: { start?: number; end?: number; step?: number; single: boolean }[] }
  | { t: 'filter'; left: Expr; op?: string; right?: Expr };

type Expr = { t: 'path'; steps: Step[]; root: boolean } | { t: 'literal'; value: string | number | boolean };

type Node =
  | { t: 'text'; text: string }
  | { t: 'list'; exprs: Expr[] }
  | { t: 'range'; expr: Expr; body: Node[] };

class Parser {
  pos = 0;
  constructor(private s: string, private template: string) {}

  err(msg: string): never {
    throw new JsonPathError(msg);
  }

  parseTemplate(): Node[] {
    const top: Node[] = [];
    const stack: { node: Node & { t: 'range' }; parent: Node[] }[] = [];
    let cur = top;
    let text = '';
    while (this.pos < this.s.length) {
      const ch = this.s[this.pos];
      if (ch === '{') {
        if (text) cur.push({ t: 'text', text });
        text = '';
        const end = this.findClose(this.pos + 1);
        const inner = this.s.slice(this.pos + 1, end).trim();
        this.pos = end + 1;
        if (inner === 'end') {
          const top2 = stack.pop();
          if (!top2) this.err('not in range, nothing to end');
          cur = top2.parent;
        } else if (/^range(?=$|[\s.,[\]$@])/.test(inner)) {
          // client-go reads `range` as an identifier, ended by any terminator: `{range.items[*]}` is a range too
          const expr = new ExprParser(inner.slice(5).trim(), this.template).parseList();
          const node: Node & { t: 'range' } = { t: 'range', expr: expr[0], body: [] };
          cur.push(node);
          stack.push({ node, parent: cur });
          cur = node.body;
        } else {
          cur.push({ t: 'list', exprs: new ExprParser(inner, this.template).parseList() });
        }
      } else {
        text += ch;
        this.pos++;
      }
    }
    if (text) cur.push({ t: 'text', text });
    if (stack.length) this.err('unclosed range');
    return top;
  }

  private findClose(i: number): number {
    let quote = '';
    for (; i < this.s.length; i++) {
      const c = this.s[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '}') return i;
    }
    // client-go parses the action as it goes, so an open bracket is reported first
    const rest = this.s.slice(this.pos);
    if ((rest.match(/\[/g) ?? []).length > (rest.match(/\]/g) ?? []).length) this.err('unclosed array expect ]');
    this.err('unclosed action');
  }
}

class ExprParser {
  pos = 0;
  constructor(private s: string, private template: string) {}

  err(msg: string): never {
    throw new JsonPathError(msg);
  }

  parseList(): Expr[] {
    const out: Expr[] = [];
    this.skipSpace();
    while (this.pos < this.s.length) {
      out.push(this.parseExpr());
      this.skipSpace();
      if (this.s[this.pos] === ',') {
        this.pos++;
        this.skipSpace();
      }
    }
    return out;
  }

  skipSpace(): void {
    while (this.s[this.pos] === ' ' || this.s[this.pos] === '\t') this.pos++;
  }

  parseExpr(): Expr {
    const c = this.s[this.pos];
    if (c === '"' || c === "'") return { t: 'literal', value: this.parseString() };
    if (/[-0-9]/.test(c ?? '')) {
      const m = /^-?\d+(\.\d+)?/.exec(this.s.slice(this.pos))!;
      this.pos += m[0].length;
      return { t: 'literal', value: Number(m[0]) };
    }
    if (this.s.startsWith('true', this.pos) && !/[\w]/.test(this.s[this.pos + 4] ?? '')) {
      this.pos += 4;
      return { t: 'literal', value: true };
    }
    if (this.s.startsWith('false', this.pos) && !/[\w]/.test(this.s[this.pos + 5] ?? '')) {
      this.pos += 5;
      return { t: 'literal', value: false };
    }
    return this.parsePath();
  }

  parseString(): string {
    const q = this.s[this.pos++];
    let out = '';
    while (this.pos < this.s.length && this.s[this.pos] !== q) {
      const c = this.s[this.pos++];
      if (c === '\\') {
        const e = this.s[this.pos++];
        out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
      } else out += c;
    }
    if (this.s[this.pos] !== q) this.err(`unterminated quoted string`);
    this.pos++;
    return out;
  }

  parsePath(): Expr {
    const steps: Step[] = [];
    let root = true;
    if (this.s[this.pos] === '@') {
      root = false;
      this.pos++;
    } else if (this.s[this.pos] === '$') this.pos++;
    for (;;) {
      const c = this.s[this.pos];
      if (c === '.') {
        if (this.s[this.pos + 1] === '.') {
          this.pos += 2;
          steps.push({ t: 'recursive' });
          if (this.s[this.pos] === '*') this.pos++;
          else if (this.s[this.pos] !== '[' && this.pos < this.s.length) steps.push({ t: 'field', names: [this.parseName()] });
          continue;
        }
        this.pos++;
        if (this.s[this.pos] === '*') {
          this.pos++;
          steps.push({ t: 'wildcard' });
          continue;
        }
        const name = this.parseName();
        if (name !== '') steps.push({ t: 'field', names: [name] });
      } else if (c === '[') {
        steps.push(this.parseBracket());
      } else if (c !== undefined && /[A-Za-z_]/.test(c) && steps.length === 0 && root) {
        steps.push({ t: 'field', names: [this.parseName()] });
      } else break;
    }
    return { t: 'path', steps, root };
  }

  parseName(): string {
    let name = '';
    while (this.pos < this.s.length) {
      const c = this.s[this.pos];
      if (c === '\\' && this.s[this.pos + 1] === '.') {
        name += '.';
        this.pos += 2;
        continue;
      }
      if (c === '.' || c === '[' || c === ']' || c === ',' || c === ' ' || c === ')' || c === '=' || c === '!' || c === '<' || c === '>' || c === '}') break;
      name += c;
      this.pos++;
    }
    return name;
  }

  parseBracket(): Step {
    const close = this.findBracketClose(this.pos);
    const inner = this.s.slice(this.pos + 1, close).trim();
    this.pos = close + 1;
    if (inner === '*') return { t: 'wildcard' };
    if (inner.startsWith('?')) {
      const m = /^\?\((.*)\)$/s.exec(inner);
      if (!m) this.err(`unclosed array expect ]`);
      const fp = new ExprParser(m[1].trim(), this.template);
      const left = fp.parseExpr();
      fp.skipSpace();
      const opm = /^(==|!=|<=|>=|<|>)/.exec(fp.s.slice(fp.pos));
      if (!opm) return { t: 'filter', left };
      fp.pos += opm[0].length;
      fp.skipSpace();
      const right = fp.parseExpr();
      return { t: 'filter', left, op: opm[1], right };
    }
    if (inner.startsWith("'") || inner.startsWith('"')) {
      const names: string[] = [];
      const p = new ExprParser(inner, this.template);
      while (p.pos < inner.length) {
        names.push(p.parseString());
        p.skipSpace();
        if (inner[p.pos] === ',') p.pos++;
        p.skipSpace();
      }
      return { t: 'field', names };
    }
    const specs = inner.split(',').map((part) => {
      const bits = part.split(':').map((x) => x.trim());
      const num = (x: string | undefined) => {
        if (x === undefined || x === '') return undefined;
        if (!/^-?\d+$/.test(x)) this.err(`invalid array index ${x}`);
        return Number(x);
      };
      if (bits.length === 1) return { start: num(bits[0]), single: true };
      return { start: num(bits[0]), end: num(bits[1]), step: num(bits[2]), single: false };
    });
    return { t: 'index', specs };
  }

  findBracketClose(i: number): number {
    let depth = 0;
    let quote = '';
    for (; i < this.s.length; i++) {
      const c = this.s[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '[' || c === '(') depth++;
      else if (c === ']' || c === ')') {
        depth--;
        if (depth === 0 && c === ']') return i;
      }
    }
    this.err('unclosed array expect ]');
  }
}

function evalSteps(steps: Step[], inputs: unknown[]): unknown[] {
  let cur = inputs;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      switch (step.t) {
        case 'field':
          for (const name of step.names) {
            if (isObject(v) && v[name] !== undefined) next.push(v[name]);
          }
          break;
        case 'wildcard':
          if (isArray(v)) next.push(...v);
          else if (isObject(v)) for (const k of Object.keys(v).sort()) next.push(v[k]);
          break;
        case 'recursive': {
          const walk = (x: unknown) => {
            next.push(x);
            if (isArray(x)) x.forEach(walk);
            else if (isObject(x)) Object.keys(x).sort().forEach((k) => walk(x[k]));
          };
          walk(v);
          break;
        }
        case 'index': {
          if (!isArray(v)) break;
          const len = v.length;
          for (const sp of step.specs) {
            if (sp.single) {
              let i = sp.start ?? 0;
              if (i < 0) i += len;
              if (i < 0 || i >= len) throw new JsonPathError(`array index out of bounds: index ${sp.start}, length ${len}`);
              next.push(v[i]);
            } else {
              let start = sp.start ?? 0;
              let end = sp.end ?? len;
              const stepN = sp.step ?? 1;
              if (start < 0) start += len;
              if (end < 0) end += len;
              start = Math.max(0, Math.min(start, len));
              end = Math.max(0, Math.min(end, len));
              for (let i = start; i < end; i += stepN > 0 ? stepN : 1) next.push(v[i]);
            }
          }
          break;
        }
        case 'filter': {
          const items = isArray(v) ? v : isObject(v) ? Object.keys(v).sort().map((k) => v[k]) : [];
          for (const item of items) {
            const lv = evalExpr(step.left, item, item);
            if (!step.op) {
              if (lv.length > 0) next.push(item);
              continue;
            }
            const rv = evalExpr(step.right!, item, item);
            if (lv.length === 0 || rv.length === 0) continue;
            if (compare(lv[0], step.op, rv[0])) next.push(item);
          }
          break;
        }
      }
    }
    cur = next;
  }
  return cur;
}

function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==':
      return a === b || String(a) === String(b);
    case '!=':
      return !(a === b || String(a) === String(b));
    case '<':
    case '>':
    case '<=':
    case '>=':
      return relational(a, op, b);
  }
  return false;
}

/**
 * JavaScript's `<`, `>`, `<=`, `>=` on two decoded JSON values, spelled out: objects and
 * arrays compare by their string form, two strings as strings, anything else as numbers.
 */
function relational(a: unknown, op: '<' | '>' | '<=' | '>=', b: unknown): boolean {
  const x = a !== null && typeof a === 'object' ? String(a) : a;
  const y = b !== null && typeof b === 'object' ? String(b) : b;
  if (typeof x === 'string' && typeof y === 'string') return op === '<' ? x < y : op === '>' ? x > y : op === '<=' ? x <= y : x >= y;
  const nx = Number(x);
  const ny = Number(y);
  return op === '<' ? nx < ny : op === '>' ? nx > ny : op === '<=' ? nx <= ny : nx >= ny;
}

function evalExpr(e: Expr, root: unknown, current: unknown): unknown[] {
  if (e.t === 'literal') return [e.value];
  return evalSteps(e.steps, [e.root ? root : current]);
}

/** fmt.Print of a decoded JSON value. */
function goText(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'object') return toGoJson(v, '', 0).replace(/\n/g, '');
  return String(v);
}

export function compactJson(v: unknown): string {
  // json.Marshal: sorted keys, no whitespace
  if (isArray(v)) return '[' + v.map(compactJson).join(',') + ']';
  if (!isObject(v)) return toGoJson(v);
  return '{' + Object.keys(v).filter((k) => v[k] !== undefined).sort().map((k) => toGoJson(k) + ':' + compactJson(v[k])).join(',') + '}';
}

function printResults(results: unknown[]): string {
  return results.map((r) => (r !== null && typeof r === 'object' ? compactJson(r) : goText(r))).join(' ');
}

function execNodes(nodes: Node[], root: unknown, current: unknown): string {
  let out = '';
  for (const n of nodes) {
    if (n.t === 'text') out += n.text;
    else if (n.t === 'list') {
      for (const e of n.exprs) out += printResults(evalExpr(e, root, current));
    } else {
      // FindResults: the body runs with each result as the new data
      for (const it of evalExpr(n.expr, root, current)) out += execNodes(n.body, it, it);
    }
  }
  return out;
}

export interface CompiledJsonPath {
  execute(data: unknown): string;
}

/** Parses a kubectl jsonpath template (with or without braces). Throws JsonPathError. */
export function compileJsonPath(template: string): CompiledJsonPath {
  const nodes = new Parser(template, template).parseTemplate();
  return {
    execute: (data: unknown) => execNodes(nodes, data, data),
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

export function evalJsonPathValues(template: string, data: unknown): unknown[] {
  const nodes = new Parser(template, template).parseTemplate();
  const out: unknown[] = [];
  for (const n of nodes) if (n.t === 'list') for (const e of n.exprs) out.push(...evalExpr(e, data, data));
  return out;
}

export { printResults as jsonPathPrintResults };
