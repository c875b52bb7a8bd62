/**
 * `awk [-F FS] [-v VAR=VAL]... 'PROGRAM' [FILE|VAR=VAL]...` — a POSIX awk interpreter
 * with gawk's messages: patterns (BEGIN, END, /re/, expressions, ranges), fields ($0,
 * $n, NF, assignment rebuilds $0 with OFS), NR/FNR/FS/OFS/ORS/RS/FILENAME/SUBSEP/RSTART/
 * RLENGTH/ENVIRON, arrays (`in`, `delete`, `for (k in a)`), user functions, if/while/
 * do/for/break/continue/next/exit/return, print/printf with `>`/`>>` into the virtual
 * filesystem, and the builtins length substr index split sub gsub match sprintf
 * tolower toupper int sqrt exp log sin cos atan2 rand srand.
 * Comparison follows POSIX strnum rules (fields that look numeric compare as numbers).
 */
import type { RunResult } from '../../types';
import type { CommandContext, CommandSpec } from '../../shell/command';
import { pathOf, readOperand } from './util';
import { formatPrintf, formatG } from './printf-format';
import { Regex, RegexSyntaxError, RegexTooComplex, type Meter } from '../../patterns';

// ---- values ---------------------------------------------------------------------------

/** A string from input (field, getline, -v, split) that may compare as a number. */
class StrNum {
  constructor(readonly s: string) {}
  get numeric(): boolean {
    return /^\s*[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|0[xX][0-9a-fA-F]+)\s*$/.test(this.s) && !/^\s*[-+]?0[xX]/.test(this.s);
  }
}
type Value = number | string | StrNum | undefined;

function toNum(v: Value): number {
  if (typeof v === 'number') return v;
  if (v === undefined) return 0;
  const s = v instanceof StrNum ? v.s : v;
  const m = /^\s*[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?)/.exec(s);
  if (m) return Number(m[0]);
  const inf = /^\s*([-+])(inf|nan)/i.exec(s);
  if (inf) return inf[2].toLowerCase() === 'nan' ? NaN : inf[1] === '-' ? -Infinity : Infinity;
  return 0;
}

function numToStr(n: number, fmt: string): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  if (Number.isNaN(n)) return n < 0 ? '-nan' : '-nan';
  if (!Number.isFinite(n)) return n < 0 ? '-inf' : 'inf';
  if (fmt === '%.6g') return formatG(n, 6);
  return formatPrintf(fmt, [n], 'awk', true).text;
}

function toStr(v: Value, fmt = '%.6g'): string {
  if (typeof v === 'number') return numToStr(v, fmt);
  if (v === undefined) return '';
  return v instanceof StrNum ? v.s : v;
}

function toBool(v: Value): boolean {
  if (typeof v === 'number') return v !== 0;
  if (v === undefined) return false;
  if (v instanceof StrNum) return v.numeric ? toNum(v) !== 0 : v.s !== '';
  return v !== '';
}

function isNumeric(v: Value): boolean {
  return typeof v === 'number' || v === undefined || (v instanceof StrNum && v.numeric);
}

function compare(a: Value, b: Value): number {
  if (isNumeric(a) && isNumeric(b)) {
    const x = toNum(a), y = toNum(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = toStr(a), y = toStr(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

// ---- lexer ----------------------------------------------------------------------------

type Tok = { t: 'num'; v: number; pos: number } | { t: 'str'; v: string; pos: number } | { t: 're'; v: string; pos: number } | { t: 'name'; v: string; pos: number } | { t: 'funcname'; v: string; pos: number } | { t: 'builtin'; v: string; pos: number } | { t: 'kw'; v: string; pos: number } | { t: 'op'; v: string; pos: number } | { t: 'nl'; pos: number } | { t: 'eof'; pos: number };

const KEYWORDS = new Set(['BEGIN', 'END', 'function', 'func', 'if', 'else', 'while', 'for', 'do', 'break', 'continue', 'next', 'nextfile', 'exit', 'return', 'delete', 'in', 'getline', 'print', 'printf']);
const BUILTINS = new Set(['length', 'substr', 'index', 'split', 'sub', 'gsub', 'match', 'sprintf', 'tolower', 'toupper', 'int', 'sqrt', 'exp', 'log', 'sin', 'cos', 'atan2', 'rand', 'srand', 'system', 'close', 'fflush']);
const OPS = ['+=', '-=', '*=', '/=', '%=', '^=', '**=', '==', '<=', '>=', '!=', '++', '--', '&&', '||', '>>', '!~', '**', '{', '}', '(', ')', '[', ']', ';', ',', '+', '-', '*', '/', '%', '^', '!', '>', '<', '|', '?', ':', '~', '$', '='];

class AwkSyntaxError extends Error {
  constructor(readonly pos: number, readonly what: string) {
    super(what);
  }
}

function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const regexAllowed = () => {
    const p = toks[toks.length - 1];
    if (!p) return true;
    if (p.t === 'num' || p.t === 'str' || p.t === 'name' || p.t === 're') return false;
    if (p.t === 'builtin') return false;
    if (p.t === 'op' && (p.v === ')' || p.v === ']' || p.v === '$' || p.v === '++' || p.v === '--')) return false;
    return true;
  };
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '\n') {
      toks.push({ t: 'nl', pos: i });
      i++;
      continue;
    }
    if (/\d/.test(c) || (c === '.' && /\d/.test(src[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F]+|\d*\.?\d*([eE][-+]?\d+)?)/.exec(src.slice(i))!;
      toks.push({ t: 'num', v: Number(m[0]), pos: i });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      const w = m[0];
      const pos = i;
      i += w.length;
      if (KEYWORDS.has(w)) toks.push({ t: 'kw', v: w === 'func' ? 'function' : w, pos });
      else if (BUILTINS.has(w)) toks.push({ t: 'builtin', v: w, pos });
      else if (src[i] === '(') toks.push({ t: 'funcname', v: w, pos });
      else toks.push({ t: 'name', v: w, pos });
      continue;
    }
    if (c === '"') {
      let s = '';
      let j = i + 1;
      for (;;) {
        if (j >= src.length || src[j] === '\n') throw new AwkSyntaxError(i, 'unterminated string');
        const d = src[j];
        if (d === '"') break;
        if (d === '\\' && j + 1 < src.length) {
          const e = src[j + 1];
          const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', '/': '/', a: '\x07', b: '\b', f: '\f', v: '\v' };
          if (e in map) {
            s += map[e];
            j += 2;
          } else if (/[0-7]/.test(e)) {
            const m = /^[0-7]{1,3}/.exec(src.slice(j + 1))!;
            s += String.fromCharCode(parseInt(m[0], 8));
            j += 1 + m[0].length;
          } else if (e === '\n') j += 2;
          else {
            s += '\\' + e;
            j += 2;
          }
          continue;
        }
        s += d;
        j++;
      }
      toks.push({ t: 'str', v: s, pos: i });
      i = j + 1;
      continue;
    }
    if (c === '/' && regexAllowed()) {
      let s = '';
      let j = i + 1;
      let inBracket = false;
      for (;;) {
        if (j >= src.length || src[j] === '\n') throw new AwkSyntaxError(i, 'unterminated regexp');
        const d = src[j];
        if (d === '/' && !inBracket) break;
        if (d === '[') inBracket = true;
        else if (d === ']') inBracket = false;
        if (d === '\\' && j + 1 < src.length) {
          s += src[j + 1] === '/' ? '/' : d + src[j + 1];
          j += 2;
          continue;
        }
        s += d;
        j++;
      }
      toks.push({ t: 're', v: s, pos: i });
      i = j + 1;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new AwkSyntaxError(i, 'invalid char');
    toks.push({ t: 'op', v: op === '**' ? '^' : op === '**=' ? '^=' : op, pos: i });
    i += op.length;
  }
  toks.push({ t: 'eof', pos: src.length });
  return toks;
}

// ---- AST ------------------------------------------------------------------------------

type Expr =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 're'; re: Regex }
  | { k: 'var'; name: string }
  | { k: 'idx'; name: string; subs: Expr[] }
  | { k: 'field'; e: Expr }
  | { k: 'assign'; op: string; target: Expr; e: Expr }
  | { k: 'cond'; c: Expr; a: Expr; b: Expr }
  | { k: 'bin'; op: string; a: Expr; b: Expr }
  | { k: 'un'; op: string; e: Expr }
  | { k: 'incdec'; op: string; prefix: boolean; target: Expr }
  | { k: 'match'; neg: boolean; e: Expr; re: Expr }
  | { k: 'in'; subs: Expr[]; name: string }
  | { k: 'call'; name: string; args: Expr[] }
  | { k: 'builtin'; name: string; args: Expr[] }
  | { k: 'group'; e: Expr }
  | { k: 'concat'; a: Expr; b: Expr };

type Stmt =
  | { k: 'expr'; e: Expr }
  | { k: 'print'; args: Expr[]; printf: boolean; redir?: { op: string; e: Expr } }
  | { k: 'if'; c: Expr; a: Stmt; b?: Stmt }
  | { k: 'while'; c: Expr; body: Stmt }
  | { k: 'do'; c: Expr; body: Stmt }
  | { k: 'for'; init?: Stmt; c?: Expr; step?: Stmt; body: Stmt }
  | { k: 'forin'; v: string; arr: string; body: Stmt }
  | { k: 'block'; body: Stmt[] }
  | { k: 'next' }
  | { k: 'exit'; e?: Expr }
  | { k: 'return'; e?: Expr }
  | { k: 'break' }
  | { k: 'continue' }
  | { k: 'delete'; name: string; subs?: Expr[] }
  | { k: 'nop' };

interface Rule {
  kind: 'begin' | 'end' | 'main';
  pattern?: Expr;
  pattern2?: Expr;
  action?: Stmt[];
  inRange?: boolean;
}

interface Func {
  params: string[];
  body: Stmt[];
}

// ---- parser ---------------------------------------------------------------------------

class Parser {
  i = 0;
  rules: Rule[] = [];
  funcs = new Map<string, Func>();
  private noIn = false;
  private noGt = false;

  constructor(
    private toks: Tok[],
    private readonly meter?: Meter,
  ) {}

  peek(o = 0): Tok {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)];
  }
  next(): Tok {
    return this.toks[this.i++] ?? this.toks[this.toks.length - 1];
  }
  isOp(v: string, t = this.peek()): boolean {
    return t.t === 'op' && t.v === v;
  }
  isKw(v: string, t = this.peek()): boolean {
    return t.t === 'kw' && t.v === v;
  }
  fail(t: Tok = this.peek()): never {
    throw new AwkSyntaxError(t.pos, t.t === 'eof' || t.t === 'nl' ? 'unexpected newline or end of string' : 'syntax error');
  }
  expectOp(v: string) {
    if (!this.isOp(v)) this.fail();
    this.next();
  }
  optNl() {
    while (this.peek().t === 'nl') this.next();
  }
  skipTerms() {
    while (this.peek().t === 'nl' || this.isOp(';')) this.next();
  }

  program() {
    this.skipTerms();
    while (this.peek().t !== 'eof') {
      if (this.isKw('function')) this.func();
      else if (this.isKw('BEGIN') || this.isKw('END')) {
        const kind = (this.next() as { v: string }).v === 'BEGIN' ? 'begin' : 'end';
        this.optNl();
        if (!this.isOp('{')) this.fail();
        this.rules.push({ kind, action: this.block() });
      } else {
        const rule: Rule = { kind: 'main' };
        if (!this.isOp('{')) {
          rule.pattern = this.expr();
          if (this.isOp(',')) {
            this.next();
            this.optNl();
            rule.pattern2 = this.expr();
          }
        }
        if (this.isOp('{')) rule.action = this.block();
        this.rules.push(rule);
      }
      const t = this.peek();
      if (!(t.t === 'nl' || this.isOp(';') || t.t === 'eof' || (this.toks[this.i - 1]?.t === 'op' && (this.toks[this.i - 1] as { v: string }).v === '}'))) this.fail();
      this.skipTerms();
    }
  }

  func() {
    this.next();
    const n = this.next();
    if (n.t !== 'name' && n.t !== 'funcname') this.fail(n);
    const name = (n as { v: string }).v;
    this.expectOp('(');
    const params: string[] = [];
    while (!this.isOp(')')) {
      const p = this.next();
      if (p.t !== 'name') this.fail(p);
      params.push((p as { v: string }).v);
      if (this.isOp(',')) {
        this.next();
        this.optNl();
      } else if (!this.isOp(')')) this.fail();
    }
    this.next();
    this.optNl();
    this.funcs.set(name, { params, body: this.block() });
  }

  block(): Stmt[] {
    this.expectOp('{');
    const body: Stmt[] = [];
    this.skipTerms();
    while (!this.isOp('}')) {
      if (this.peek().t === 'eof') this.fail();
      body.push(this.stmt());
      this.skipTerms();
    }
    this.next();
    return body;
  }

  /** A statement ends with ; newline or before } */
  endSimple() {
    const t = this.peek();
    if (t.t === 'nl' || this.isOp(';')) {
      this.next();
      return;
    }
    if (this.isOp('}') || t.t === 'eof') return;
    this.fail();
  }

  stmt(): Stmt {
    const t = this.peek();
    if (this.isOp('{')) return { k: 'block', body: this.block() };
    if (this.isOp(';')) {
      this.next();
      return { k: 'nop' };
    }
    if (t.t === 'kw') {
      switch (t.v) {
        case 'if': {
          this.next();
          this.expectOp('(');
          const c = this.expr();
          this.expectOp(')');
          this.optNl();
          const a = this.stmt();
          const save = this.i;
          this.skipTerms();
          if (this.isKw('else')) {
            this.next();
            this.optNl();
            return { k: 'if', c, a, b: this.stmt() };
          }
          this.i = save;
          return { k: 'if', c, a };
        }
        case 'while': {
          this.next();
          this.expectOp('(');
          const c = this.expr();
          this.expectOp(')');
          if (this.isOp(';')) {
            this.next();
            return { k: 'while', c, body: { k: 'nop' } };
          }
          this.optNl();
          return { k: 'while', c, body: this.stmt() };
        }
        case 'do': {
          this.next();
          this.optNl();
          const body = this.stmt();
          this.skipTerms();
          if (!this.isKw('while')) this.fail();
          this.next();
          this.expectOp('(');
          const c = this.expr();
          this.expectOp(')');
          this.endSimple();
          return { k: 'do', c, body };
        }
        case 'for': {
          this.next();
          this.expectOp('(');
          if (this.peek().t === 'name' && this.isKw('in', this.peek(1)) && this.isOp(')', this.peek(3)) && this.peek(2).t === 'name') {
            const v = (this.next() as { v: string }).v;
            this.next();
            const arr = (this.next() as { v: string }).v;
            this.next();
            this.optNl();
            return { k: 'forin', v, arr, body: this.stmt() };
          }
          const init = this.isOp(';') ? undefined : this.simple();
          this.expectOp(';');
          this.optNl();
          const c = this.isOp(';') ? undefined : this.expr();
          this.expectOp(';');
          this.optNl();
          const step = this.isOp(')') ? undefined : this.simple();
          this.expectOp(')');
          if (this.isOp(';')) {
            this.next();
            return { k: 'for', init, c, step, body: { k: 'nop' } };
          }
          this.optNl();
          return { k: 'for', init, c, step, body: this.stmt() };
        }
      }
    }
    const s = this.simple();
    this.endSimple();
    return s;
  }

  simple(): Stmt {
    const t = this.peek();
    if (t.t === 'kw') {
      switch (t.v) {
        case 'print':
        case 'printf': {
          this.next();
          let args: Expr[] = [];
          this.noGt = true;
          try {
            const end = () => this.isOp(';') || this.isOp('}') || this.isOp('>') || this.isOp('>>') || this.isOp('|') || this.peek().t === 'nl' || this.peek().t === 'eof';
            if (!end()) {
              if (this.isOp('(')) {
                // print (a, b) > "f"  or  print (a)(b)
                const save = this.i;
                this.next();
                this.noGt = false;
                const list = [this.expr()];
                while (this.isOp(',')) {
                  this.next();
                  this.optNl();
                  list.push(this.expr());
                }
                this.noGt = true;
                if (this.isOp(')') && (this.next(), end())) args = list;
                else {
                  this.i = save;
                  args = this.exprList();
                }
              } else args = this.exprList();
            }
          } finally {
            this.noGt = false;
          }
          let redir: { op: string; e: Expr } | undefined;
          if (this.isOp('>') || this.isOp('>>') || this.isOp('|')) {
            const op = (this.next() as { v: string }).v;
            redir = { op, e: this.concatExpr() };
          }
          if (t.v === 'printf' && args.length === 0) this.fail();
          return { k: 'print', args, printf: t.v === 'printf', redir };
        }
        case 'next':
          this.next();
          return { k: 'next' };
        case 'nextfile':
          this.next();
          return { k: 'next' };
        case 'exit': {
          this.next();
          const e = this.isOp(';') || this.isOp('}') || this.peek().t === 'nl' || this.peek().t === 'eof' ? undefined : this.expr();
          return { k: 'exit', e };
        }
        case 'return': {
          this.next();
          const e = this.isOp(';') || this.isOp('}') || this.peek().t === 'nl' || this.peek().t === 'eof' ? undefined : this.expr();
          return { k: 'return', e };
        }
        case 'break':
          this.next();
          return { k: 'break' };
        case 'continue':
          this.next();
          return { k: 'continue' };
        case 'delete': {
          this.next();
          const n = this.next();
          if (n.t !== 'name') this.fail(n);
          const name = (n as { v: string }).v;
          if (this.isOp('[')) {
            this.next();
            const subs = this.exprList();
            this.expectOp(']');
            return { k: 'delete', name, subs };
          }
          return { k: 'delete', name };
        }
        case 'getline':
          this.fail();
      }
    }
    return { k: 'expr', e: this.expr() };
  }

  exprList(): Expr[] {
    const l = [this.expr()];
    while (this.isOp(',')) {
      this.next();
      this.optNl();
      l.push(this.expr());
    }
    return l;
  }

  expr(): Expr {
    return this.ternary();
  }

  isLvalue(e: Expr): boolean {
    return e.k === 'var' || e.k === 'idx' || e.k === 'field';
  }

  ternary(): Expr {
    const c = this.or();
    if (this.isOp('?')) {
      this.next();
      this.optNl();
      const a = this.ternary();
      this.optNl();
      this.expectOp(':');
      this.optNl();
      const b = this.ternary();
      return { k: 'cond', c, a, b };
    }
    const t = this.peek();
    if (t.t === 'op' && ['=', '+=', '-=', '*=', '/=', '%=', '^='].includes(t.v) && this.isLvalue(c)) {
      this.next();
      this.optNl();
      return { k: 'assign', op: t.v, target: c, e: this.ternary() };
    }
    return c;
  }

  or(): Expr {
    let a = this.and();
    while (this.isOp('||')) {
      this.next();
      this.optNl();
      a = { k: 'bin', op: '||', a, b: this.and() };
    }
    return a;
  }

  and(): Expr {
    let a = this.inExpr();
    while (this.isOp('&&')) {
      this.next();
      this.optNl();
      a = { k: 'bin', op: '&&', a, b: this.inExpr() };
    }
    return a;
  }

  inExpr(): Expr {
    let a = this.matchExpr();
    while (!this.noIn && this.isKw('in')) {
      this.next();
      const n = this.next();
      if (n.t !== 'name') this.fail(n);
      a = { k: 'in', subs: a.k === 'group' && (a as { list?: Expr[] }).list ? (a as unknown as { list: Expr[] }).list : [a], name: (n as { v: string }).v };
    }
    return a;
  }

  matchExpr(): Expr {
    let a = this.relational();
    while (this.isOp('~') || this.isOp('!~')) {
      const neg = (this.next() as { v: string }).v === '!~';
      a = { k: 'match', neg, e: a, re: this.relational() };
    }
    return a;
  }

  relational(): Expr {
    const a = this.concatExpr();
    const t = this.peek();
    if (t.t === 'op' && ['<', '<=', '==', '!=', '>=', '>'].includes(t.v) && !(this.noGt && t.v === '>')) {
      this.next();
      return { k: 'bin', op: t.v, a, b: this.concatExpr() };
    }
    return a;
  }

  startsOperand(t: Tok): boolean {
    if (t.t === 'num' || t.t === 'str' || t.t === 're' || t.t === 'name' || t.t === 'funcname' || t.t === 'builtin') return true;
    if (t.t === 'op' && (t.v === '$' || t.v === '(' || t.v === '!' || t.v === '++' || t.v === '--' || t.v === '-' || t.v === '+')) return t.v !== '-' && t.v !== '+' && t.v !== '!';
    return false;
  }

  concatExpr(): Expr {
    let a = this.additive();
    while (this.startsOperand(this.peek()) && !(this.isKw('in'))) {
      a = { k: 'concat', a, b: this.additive() };
    }
    return a;
  }

  additive(): Expr {
    let a = this.mul();
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.next() as { v: string }).v;
      a = { k: 'bin', op, a, b: this.mul() };
    }
    return a;
  }

  mul(): Expr {
    let a = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = (this.next() as { v: string }).v;
      a = { k: 'bin', op, a, b: this.unary() };
    }
    return a;
  }

  unary(): Expr {
    if (this.isOp('!')) {
      this.next();
      return { k: 'un', op: '!', e: this.unary() };
    }
    if (this.isOp('-') || this.isOp('+')) {
      const op = (this.next() as { v: string }).v;
      return { k: 'un', op, e: this.unary() };
    }
    return this.pow();
  }

  pow(): Expr {
    const a = this.postfix();
    if (this.isOp('^')) {
      this.next();
      return { k: 'bin', op: '^', a, b: this.unaryPow() };
    }
    return a;
  }

  unaryPow(): Expr {
    if (this.isOp('-') || this.isOp('+') || this.isOp('!')) {
      const op = (this.next() as { v: string }).v;
      return { k: 'un', op, e: this.unaryPow() };
    }
    return this.pow();
  }

  postfix(): Expr {
    if (this.isOp('++') || this.isOp('--')) {
      const op = (this.next() as { v: string }).v;
      const target = this.postfix();
      if (!this.isLvalue(target)) this.fail();
      return { k: 'incdec', op, prefix: true, target };
    }
    const e = this.primary();
    if ((this.isOp('++') || this.isOp('--')) && this.isLvalue(e)) {
      const op = (this.next() as { v: string }).v;
      return { k: 'incdec', op, prefix: false, target: e };
    }
    return e;
  }

  primary(): Expr {
    const t = this.next();
    switch (t.t) {
      case 'num':
        return { k: 'num', v: t.v };
      case 'str':
        return { k: 'str', v: t.v };
      case 're':
        return { k: 're', re: compileRe(t.v, t.pos, this.meter) };
      case 'name':
        if (this.isOp('[')) {
          this.next();
          const subs = this.exprList();
          this.expectOp(']');
          return { k: 'idx', name: t.v, subs };
        }
        return { k: 'var', name: t.v };
      case 'funcname': {
        this.expectOp('(');
        const args = this.isOp(')') ? [] : this.exprList();
        this.expectOp(')');
        return { k: 'call', name: t.v, args };
      }
      case 'builtin': {
        if (!this.isOp('(')) {
          if (t.v === 'length') return { k: 'builtin', name: 'length', args: [] };
          this.fail();
        }
        this.next();
        const args = this.isOp(')') ? [] : this.exprList();
        this.expectOp(')');
        return { k: 'builtin', name: t.v, args };
      }
      case 'op':
        if (t.v === '$') return { k: 'field', e: this.incdecOrPrimary() };
        if (t.v === '(') {
          const saveIn = this.noIn, saveGt = this.noGt;
          this.noIn = false;
          this.noGt = false;
          const e = this.expr();
          if (this.isOp(',')) {
            // (a, b) in arr
            const list = [e];
            while (this.isOp(',')) {
              this.next();
              list.push(this.expr());
            }
            this.expectOp(')');
            this.noIn = saveIn;
            this.noGt = saveGt;
            if (!this.isKw('in')) this.fail();
            this.next();
            const n = this.next();
            if (n.t !== 'name') this.fail(n);
            return { k: 'in', subs: list, name: (n as { v: string }).v };
          }
          this.expectOp(')');
          this.noIn = saveIn;
          this.noGt = saveGt;
          return { k: 'group', e };
        }
        if (t.v === '-' || t.v === '+' || t.v === '!') {
          return { k: 'un', op: t.v, e: this.unary() };
        }
    }
    this.i--;
    this.fail(t);
  }

  incdecOrPrimary(): Expr {
    if (this.isOp('++') || this.isOp('--')) {
      const op = (this.next() as { v: string }).v;
      return { k: 'incdec', op, prefix: true, target: this.primary() };
    }
    if (this.isOp('-')) {
      this.next();
      return { k: 'un', op: '-', e: this.primary() };
    }
    return this.primary();
  }
}

/** A regexp constant, compiled once while parsing (gawk re.c make_regexp, RE_SYNTAX_GNU_AWK; errors are gawk's `error("%s: /%s/")`). */
function compileRe(src: string, pos = 0, meter?: Meter): Regex {
  try {
    return Regex.posix(src, 'awk', { meter });
  } catch (e) {
    if (e instanceof RegexSyntaxError) throw new AwkSyntaxError(pos, `regexp: ${e.message}: /${src}/`);
    throw e;
  }
}

/** Dynamic regexps (`$0 ~ s`, split(s, a, FS)…) and FS/RS, compiled once per text as gawk's re_update caches them. */
const dynamicRes = new Map<string, Regex | string>();
function dynamicRe(src: string, meter: Meter): Regex {
  let r = dynamicRes.get(src);
  if (r === undefined) {
    try {
      r = Regex.posix(src, 'awk');
    } catch (e) {
      if (!(e instanceof RegexSyntaxError)) throw e;
      r = e.message;
    }
    if (dynamicRes.size > 64) dynamicRes.clear();
    dynamicRes.set(src, r);
  }
  if (typeof r === 'string') throw new AwkFatal(`invalid regexp: ${r}: /${src}/`);
  return r.useMeter(meter);
}

// ---- interpreter ----------------------------------------------------------------------

class NextSignal {}
class ExitSignal {
  constructor(readonly code: number) {}
}
class BreakSignal {}
class ContinueSignal {}
class ReturnSignal {
  constructor(readonly v: Value) {}
}
class AwkFatal extends Error {}

type Arr = Map<string, Value>;

class Interp {
  globals = new Map<string, Value | Arr>();
  locals: Map<string, Value | Arr>[] = [];
  fields: string[] = [''];
  nf = 0;
  record = '';
  out = '';
  files = new Map<string, boolean>();
  rngState = 0;
  callDepth = 0;
  steps = 0;

  constructor(private p: Parser, private ctx: CommandContext) {}

  get(name: string): Value | Arr {
    for (let i = this.locals.length - 1; i >= 0; i--) {
      const l = this.locals[i];
      if (l.has(name)) return l.get(name);
      break;
    }
    if (name === 'NF') return this.nf;
    return this.globals.get(name);
  }

  scopeOf(name: string): Map<string, Value | Arr> {
    const l = this.locals[this.locals.length - 1];
    if (l && l.has(name)) return l;
    return this.globals;
  }

  setVar(name: string, v: Value) {
    if (name === 'NF') {
      this.setNF(toNum(v));
      return;
    }
    const scope = this.scopeOf(name);
    if (scope.get(name) instanceof Map) throw new AwkFatal(`attempt to use array \`${name}' in a scalar context`);
    scope.set(name, v);
  }

  arr(name: string): Arr {
    const scope = this.scopeOf(name);
    let a = scope.get(name);
    if (a === undefined) {
      a = new Map();
      scope.set(name, a);
    }
    if (!(a instanceof Map)) throw new AwkFatal(`attempt to use scalar \`${name}' as an array`);
    return a;
  }

  scalar(name: string): Value {
    const v = this.get(name);
    if (v instanceof Map) throw new AwkFatal(`attempt to use array \`${name}' in a scalar context`);
    return v;
  }

  str(name: string): string {
    return toStr(this.scalar(name));
  }

  // fields
  setRecord(rec: string) {
    this.record = rec;
    this.splitRecord();
  }

  splitRecord() {
    const parts = splitFields(this.record, this.str('FS'), this.ctx.shell.budget);
    this.fields = [this.record, ...parts];
    this.nf = parts.length;
  }

  getField(i: number): Value {
    if (i < 0) throw new AwkFatal(`attempt to access field ${i}`);
    if (i === 0) return new StrNum(this.record);
    const f = this.fields[i];
    return f === undefined ? undefined : new StrNum(f);
  }

  setField(i: number, v: string) {
    if (i < 0) throw new AwkFatal(`attempt to access field ${i}`);
    if (i === 0) {
      this.setRecord(v);
      return;
    }
    if (i > 100000) throw new AwkFatal('field index too large');
    while (this.fields.length <= i) this.fields.push('');
    this.fields[i] = v;
    this.nf = Math.max(this.nf, i);
    this.rebuild();
  }

  setNF(n: number) {
    n = Math.max(0, Math.trunc(n));
    while (this.fields.length <= n) this.fields.push('');
    this.fields.length = n + 1;
    this.nf = n;
    this.rebuild();
  }

  rebuild() {
    this.record = this.fields.slice(1, this.nf + 1).join(this.str('OFS'));
    this.fields[0] = this.record;
  }

  // evaluation
  lval(e: Expr): { get: () => Value; set: (v: Value) => void } {
    if (e.k === 'var') return { get: () => this.scalar(e.name), set: (v) => this.setVar(e.name, v) };
    if (e.k === 'idx') {
      const key = this.subscript(e.subs);
      return { get: () => this.arrGet(e.name, key), set: (v) => this.arr(e.name).set(key, v) };
    }
    if (e.k === 'field') {
      const i = Math.trunc(toNum(this.eval(e.e)));
      return { get: () => this.getField(i), set: (v) => this.setField(i, toStr(v, this.str('CONVFMT'))) };
    }
    if (e.k === 'group') return this.lval(e.e);
    throw new AwkFatal('invalid assignment target');
  }

  arrGet(name: string, key: string): Value {
    const a = this.arr(name);
    if (!a.has(key)) a.set(key, undefined);
    return a.get(key);
  }

  subscript(subs: Expr[]): string {
    const conv = this.str('CONVFMT');
    return subs.map((s) => toStr(this.eval(s), conv)).join(this.str('SUBSEP'));
  }

  matchRe(v: Value | Regex): Regex {
    if (v instanceof Regex) return v;
    return dynamicRe(toStr(v), this.ctx.shell.budget);
  }

  eval(e: Expr): Value {
    if (++this.steps > 5_000_000) throw new AwkFatal('program ran too long');
    switch (e.k) {
      case 'num':
        return e.v;
      case 'str':
        return e.v;
      case 're':
        return e.re.test(this.record) ? 1 : 0;
      case 'var':
        return this.scalar(e.name);
      case 'idx':
        return this.arrGet(e.name, this.subscript(e.subs));
      case 'field':
        return this.getField(Math.trunc(toNum(this.eval(e.e))));
      case 'group':
        return this.eval(e.e);
      case 'assign': {
        const lv = this.lval(e.target);
        let v = this.eval(e.e);
        if (e.op !== '=') v = arith(e.op.slice(0, -1), toNum(lv.get()), toNum(v));
        if (v instanceof StrNum) v = new StrNum(v.s);
        lv.set(v);
        return v;
      }
      case 'cond':
        return toBool(this.eval(e.c)) ? this.eval(e.a) : this.eval(e.b);
      case 'bin': {
        if (e.op === '&&') return toBool(this.eval(e.a)) && toBool(this.eval(e.b)) ? 1 : 0;
        if (e.op === '||') return toBool(this.eval(e.a)) || toBool(this.eval(e.b)) ? 1 : 0;
        const a = this.eval(e.a);
        const b = this.eval(e.b);
        switch (e.op) {
          case '<': return compare(a, b) < 0 ? 1 : 0;
          case '<=': return compare(a, b) <= 0 ? 1 : 0;
          case '>': return compare(a, b) > 0 ? 1 : 0;
          case '>=': return compare(a, b) >= 0 ? 1 : 0;
          case '==': return compare(a, b) === 0 ? 1 : 0;
          case '!=': return compare(a, b) !== 0 ? 1 : 0;
        }
        return arith(e.op, toNum(a), toNum(b));
      }
      case 'un': {
        const v = this.eval(e.e);
        if (e.op === '!') return toBool(v) ? 0 : 1;
        return e.op === '-' ? -toNum(v) : toNum(v);
      }
      case 'incdec': {
        const lv = this.lval(e.target);
        const old = toNum(lv.get());
        const nv = e.op === '++' ? old + 1 : old - 1;
        lv.set(nv);
        return e.prefix ? nv : old;
      }
      case 'concat': {
        const conv = this.str('CONVFMT');
        return toStr(this.eval(e.a), conv) + toStr(this.eval(e.b), conv);
      }
      case 'match': {
        const s = toStr(this.eval(e.e));
        const re = e.re.k === 're' ? e.re.re : this.matchRe(this.eval(e.re));
        return re.test(s) !== e.neg ? 1 : 0;
      }
      case 'in': {
        const key = this.subscript(e.subs);
        return this.arr(e.name).has(key) ? 1 : 0;
      }
      case 'call':
        return this.call(e.name, e.args);
      case 'builtin':
        return this.builtin(e.name, e.args);
    }
  }

  call(name: string, args: Expr[]): Value {
    const f = this.p.funcs.get(name);
    if (!f) throw new AwkFatal(`function \`${name}' not defined`);
    if (args.length > f.params.length) throw new AwkFatal(`function \`${name}' called with more arguments than declared`);
    if (++this.callDepth > 200) throw new AwkFatal('function call nesting too deep');
    const frame = new Map<string, Value | Arr>();
    f.params.forEach((p, i) => {
      const a = args[i];
      if (!a) {
        frame.set(p, undefined);
        return;
      }
      if (a.k === 'var') {
        const v = this.get(a.name);
        if (v instanceof Map) {
          frame.set(p, v);
          return;
        }
        if (v === undefined && this.isArrayParam(f, p)) {
          frame.set(p, this.arr(a.name));
          return;
        }
      }
      frame.set(p, this.eval(a));
    });
    this.locals.push(frame);
    try {
      this.execAll(f.body);
      return undefined;
    } catch (s) {
      if (s instanceof ReturnSignal) return s.v;
      throw s;
    } finally {
      this.locals.pop();
      this.callDepth--;
    }
  }

  isArrayParam(f: Func, p: string): boolean {
    const json = JSON.stringify(f.body);
    return json.includes(`"name":"${p}","subs"`) || json.includes(`"arr":"${p}"`) || new RegExp(`"k":"in","subs":\\[[^\\]]*\\],"name":"${p}"`).test(json);
  }

  builtin(name: string, args: Expr[]): Value {
    const conv = this.str('CONVFMT');
    const s = (i: number) => toStr(this.eval(args[i]), conv);
    const n = (i: number) => toNum(this.eval(args[i]));
    switch (name) {
      case 'length': {
        if (args.length === 0) return [...this.record].length;
        const a = args[0];
        if (a.k === 'var' && this.get(a.name) instanceof Map) return (this.get(a.name) as Arr).size;
        return [...s(0)].length;
      }
      case 'substr': {
        const str = [...s(0)];
        const m = n(1);
        const start = Math.round(m);
        let end = args.length > 2 ? start + Math.round(n(2)) : Infinity;
        if (args.length > 2 && Number.isNaN(n(2))) end = start;
        const from = Math.max(start, 1);
        const to = Math.min(end, str.length + 1);
        return to > from ? str.slice(from - 1, to - 1).join('') : '';
      }
      case 'index': {
        const i = s(0).indexOf(s(1));
        return i + 1;
      }
      case 'split': {
        const str = s(0);
        const target = args[1];
        if (target?.k !== 'var') throw new AwkFatal('split: second argument is not an array');
        const parts = args.length > 2 ? (args[2].k === 're' ? splitByRe(str, args[2].re) : splitFields(str, s(2), this.ctx.shell.budget)) : splitFields(str, this.str('FS'), this.ctx.shell.budget);
        const a = this.arr(target.name);
        a.clear();
        parts.forEach((p, i) => a.set(String(i + 1), new StrNum(p)));
        return parts.length;
      }
      case 'sub':
      case 'gsub': {
        const re = args[0].k === 're' ? args[0].re : this.matchRe(this.eval(args[0]));
        const repl = s(1);
        const lv = args.length > 2 ? this.lval(args[2]) : { get: () => new StrNum(this.record) as Value, set: (v: Value) => this.setField(0, toStr(v)) };
        const target = toStr(lv.get(), conv);
        // gawk's sub/gsub walk matches as POSIX says: no empty match right after a match
        let count = 0;
        let result = '';
        let copied = 0;
        for (const m of re.all(target)) {
          result += target.slice(copied, m.start) + replacement(repl, target.slice(m.start, m.end));
          copied = m.end;
          count++;
          if (name === 'sub') break;
        }
        if (count > 0) lv.set(result + target.slice(copied));
        return count;
      }
      case 'match': {
        const str = s(0);
        const re = args[1].k === 're' ? args[1].re : this.matchRe(this.eval(args[1]));
        const m = re.exec(str);
        const start = m ? [...str.slice(0, m.start)].length + 1 : 0;
        const len = m ? [...str.slice(m.start, m.end)].length : -1;
        this.globals.set('RSTART', start);
        this.globals.set('RLENGTH', len);
        return start;
      }
      case 'sprintf': {
        if (args.length === 0) throw new AwkFatal('sprintf: no arguments');
        const vals = args.slice(1).map((a) => this.eval(a));
        return formatPrintf(s(0), vals.map((v) => (typeof v === 'number' ? v : toStr(v, conv))), 'awk', true).text;
      }
      case 'tolower':
        return s(0).toLowerCase();
      case 'toupper':
        return s(0).toUpperCase();
      case 'int':
        return Math.trunc(n(0));
      case 'sqrt':
        return Math.sqrt(n(0));
      case 'exp':
        return Math.exp(n(0));
      case 'log':
        return Math.log(n(0));
      case 'sin':
        return Math.sin(n(0));
      case 'cos':
        return Math.cos(n(0));
      case 'atan2':
        return Math.atan2(n(0), n(1));
      case 'rand': {
        // deterministic linear congruential sequence (the same on every run, as gawk without srand)
        this.rngState = (Math.imul(this.rngState, 1103515245) + 12345) >>> 0;
        return (this.rngState >>> 1) / 2147483648;
      }
      case 'srand': {
        const prev = this.rngState;
        this.rngState = args.length ? Math.trunc(n(0)) >>> 0 : Math.floor(this.ctx.cluster.clock.now() / 1000) >>> 0;
        return prev;
      }
      case 'close':
      case 'fflush':
        return 0;
      case 'system':
        throw new AwkFatal('system() is not available in this sandbox');
    }
    return undefined;
  }

  exec(s: Stmt): void {
    if (++this.steps > 5_000_000) throw new AwkFatal('program ran too long');
    switch (s.k) {
      case 'nop':
        return;
      case 'expr':
        this.eval(s.e);
        return;
      case 'block':
        this.execAll(s.body);
        return;
      case 'print': {
        let text: string;
        if (s.printf) {
          const vals = s.args.map((a) => this.eval(a));
          const fmt = toStr(vals[0]);
          text = formatPrintf(fmt, vals.slice(1).map((v) => (typeof v === 'number' ? v : toStr(v))), 'awk', true).text;
        } else {
          const ofmt = this.str('OFMT');
          const vals = s.args.length ? s.args.map((a) => toStr(this.eval(a), ofmt)) : [this.record];
          text = vals.join(this.str('OFS')) + this.str('ORS');
        }
        if (s.redir) {
          const target = toStr(this.eval(s.redir.e));
          if (s.redir.op === '|') throw new AwkFatal(`can't open pipe \`${target}' for output`);
          if (target === '/dev/stderr') {
            this.err += text;
            return;
          }
          if (target === '/dev/stdout' || target === '-') {
            this.out += text;
            return;
          }
          const path = pathOf(this.ctx, target);
          const fs = this.ctx.cluster.fs;
          if (!this.files.has(path)) {
            const parent = path.slice(0, path.lastIndexOf('/')) || '/';
            if (!fs.isDir(this.ctx.host, parent) || fs.isDir(this.ctx.host, path)) throw new AwkFatal(`can't redirect to \`${target}' (No such file or directory)`);
            if (s.redir.op === '>') fs.write(this.ctx.host, path, '');
            this.files.set(path, true);
          }
          fs.append(this.ctx.host, path, text);
          return;
        }
        this.out += text;
        if (this.out.length > 5_000_000) throw new AwkFatal('output too large');
        return;
      }
      case 'if':
        if (toBool(this.eval(s.c))) this.exec(s.a);
        else if (s.b) this.exec(s.b);
        return;
      case 'while':
        while (toBool(this.eval(s.c))) {
          try {
            this.exec(s.body);
          } catch (x) {
            if (x instanceof BreakSignal) break;
            if (x instanceof ContinueSignal) continue;
            throw x;
          }
        }
        return;
      case 'do':
        do {
          try {
            this.exec(s.body);
          } catch (x) {
            if (x instanceof BreakSignal) break;
            if (x instanceof ContinueSignal) continue;
            throw x;
          }
        } while (toBool(this.eval(s.c)));
        return;
      case 'for':
        if (s.init) this.exec(s.init);
        while (!s.c || toBool(this.eval(s.c))) {
          try {
            this.exec(s.body);
          } catch (x) {
            if (x instanceof BreakSignal) break;
            if (!(x instanceof ContinueSignal)) throw x;
          }
          if (s.step) this.exec(s.step);
        }
        return;
      case 'forin': {
        const keys = [...this.arr(s.arr).keys()];
        for (const k of keys) {
          this.setVar(s.v, /^-?\d+$/.test(k) ? new StrNum(k) : k);
          try {
            this.exec(s.body);
          } catch (x) {
            if (x instanceof BreakSignal) break;
            if (x instanceof ContinueSignal) continue;
            throw x;
          }
        }
        return;
      }
      case 'next':
        throw new NextSignal();
      case 'exit':
        throw new ExitSignal(s.e ? Math.trunc(toNum(this.eval(s.e))) & 255 : this.exitCode);
      case 'return':
        throw new ReturnSignal(s.e ? this.eval(s.e) : undefined);
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
      case 'delete':
        if (s.subs) this.arr(s.name).delete(this.subscript(s.subs));
        else this.arr(s.name).clear();
        return;
    }
  }

  err = '';
  exitCode = 0;

  execAll(body: Stmt[]) {
    for (const s of body) this.exec(s);
  }
}

function arith(op: string, a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/':
      if (b === 0) throw new AwkFatal('division by zero attempted');
      return a / b;
    case '%':
      if (b === 0) throw new AwkFatal('division by zero attempted in `%\'');
      return a % b;
    case '^': return a ** b;
  }
  return 0;
}

function replacement(repl: string, m: string): string {
  let out = '';
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i];
    if (c === '\\' && (repl[i + 1] === '&' || repl[i + 1] === '\\')) {
      out += repl[++i];
    } else if (c === '&') out += m;
    else out += c;
  }
  return out;
}

/** Splitting on a regexp: null matches separate nothing (gawk field.c re_parse_field). */
function splitByRe(s: string, re: Regex): string[] {
  if (s === '') return [];
  const parts: string[] = [];
  let from = 0;
  for (const m of re.all(s)) {
    if (m.end === m.start) continue;
    parts.push(s.slice(from, m.start));
    from = m.end;
  }
  parts.push(s.slice(from));
  return parts;
}

/** Field splitting: FS " " splits on blank runs (trimmed); one other char splits on it; longer FS is a regex. */
function splitFields(s: string, fs: string, meter: Meter): string[] {
  if (fs === ' ') {
    const t = s.replace(/^[ \t\n]+|[ \t\n]+$/g, '');
    return t === '' ? [] : t.split(/[ \t\n]+/);
  }
  if (s === '') return [];
  if (fs.length === 1 && fs !== '\\') {
    if (fs === '\t' || !/[.[\]()*+?^$|{}]/.test(fs)) return s.split(fs);
  }
  if (fs === '') return [...s];
  return splitByRe(s, dynamicRe(fs, meter));
}

/** gawk's syntax-error report: the source line, then a caret under the trouble. */
function syntaxReport(src: string, e: AwkSyntaxError): string {
  const before = src.slice(0, e.pos);
  const lineNo = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = src.indexOf('\n', e.pos);
  const line = src.slice(lineStart, lineEnd < 0 ? src.length : lineEnd);
  const col = e.pos - lineStart;
  const prefix = `awk: cmd. line:${lineNo}: `;
  if (e.what === 'unterminated string') return `${prefix}${line}\n${prefix}${' '.repeat(col)}^ unterminated string\n`;
  if (e.what === 'unterminated regexp') return `${prefix}${line}\n${prefix}${' '.repeat(col)}^ unterminated regexp\n`;
  if (e.what === 'invalid char') return `${prefix}${line}\n${prefix}${' '.repeat(col)}^ invalid char '${src[e.pos]}' in expression\n`;
  // gawk re.c make_regexp: error("%s: /%s/", rerr, buf) for a regexp constant
  if (e.what.startsWith('regexp: ')) return `${prefix}error: ${e.what.slice(8)}\n`;
  return `${prefix}${line}\n${prefix}${' '.repeat(Math.max(0, col))}^ ${e.what}\n`;
}

const USAGE = `Usage: awk [POSIX or GNU style options] -f progfile [--] file ...
Usage: awk [POSIX or GNU style options] [--] 'program' file ...
`;

export const awk: CommandSpec = {
  name: 'awk',
  summary: 'pattern scanning and text processing language',
  run(args, ctx): RunResult {
    let fs = ' ';
    const assigns: [string, string][] = [];
    let program: string | undefined;
    let i = 0;
    for (; i < args.length; i++) {
      const a = args[i];
      if (a === '--') {
        i++;
        break;
      }
      if (a === '-F' || a === '-v' || a === '-f') {
        if (i + 1 >= args.length) return { stdout: '', stderr: `awk: option requires an argument -- ${a[1]}\n${USAGE}`, exitCode: 2 };
        const v = args[++i];
        if (a === '-F') fs = v === 't' ? '\t' : v.replace(/\\t/g, '\t');
        else if (a === '-v') {
          const eq = v.indexOf('=');
          if (eq <= 0) return { stdout: '', stderr: `awk: \`${v}' argument to \`-v' not in \`var=value' form\n\n${USAGE}`, exitCode: 2 };
          assigns.push([v.slice(0, eq), v.slice(eq + 1)]);
        } else {
          const r = readOperand(ctx, 'awk', v);
          if (!r.ok) return { stdout: '', stderr: `awk: fatal: can't open source file \`${v}' for reading: No such file or directory\n`, exitCode: 2 };
          program = (program ?? '') + r.content + '\n';
        }
        continue;
      }
      if (a.startsWith('-F')) {
        const v = a.slice(2);
        fs = v === 't' ? '\t' : v.replace(/\\t/g, '\t');
        continue;
      }
      if (a.startsWith('-v') && a.length > 2) {
        const v = a.slice(2);
        const eq = v.indexOf('=');
        if (eq <= 0) return { stdout: '', stderr: `awk: \`${v}' argument to \`-v' not in \`var=value' form\n\n${USAGE}`, exitCode: 2 };
        assigns.push([v.slice(0, eq), v.slice(eq + 1)]);
        continue;
      }
      if (a.startsWith('-') && a.length > 1) {
        return { stdout: '', stderr: `awk: ${a.startsWith('--') ? `unrecognized option '${a}'` : `invalid option -- '${a[1]}'`}\n${USAGE}`, exitCode: 2 };
      }
      break;
    }
    if (program === undefined) {
      if (i >= args.length) return { stdout: '', stderr: USAGE, exitCode: 2 };
      program = args[i++];
    }
    const operands = args.slice(i);
    let parser: Parser;
    try {
      parser = new Parser(lex(program), ctx.shell.budget);
      parser.program();
    } catch (e) {
      if (e instanceof AwkSyntaxError) return { stdout: '', stderr: syntaxReport(program, e), exitCode: 1 };
      throw e;
    }
    const it = new Interp(parser, ctx);
    const g = it.globals;
    g.set('FS', fs);
    g.set('OFS', ' ');
    g.set('ORS', '\n');
    g.set('RS', '\n');
    g.set('NR', 0);
    g.set('FNR', 0);
    g.set('SUBSEP', '\x1c');
    g.set('CONVFMT', '%.6g');
    g.set('OFMT', '%.6g');
    g.set('RSTART', 0);
    g.set('RLENGTH', -1);
    g.set('FILENAME', '');
    const environ = new Map<string, Value>(Object.entries(ctx.env).map(([k, v]) => [k, new StrNum(v)]));
    g.set('ENVIRON', environ);
    const argv = new Map<string, Value>([['0', 'awk'], ...operands.map((o, k) => [String(k + 1), new StrNum(o)] as [string, Value])]);
    g.set('ARGV', argv);
    g.set('ARGC', operands.length + 1);
    const unescapeAssign = (v: string) => v.replace(/\\(n|t|\\|")/g, (_m, c) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
    for (const [k, v] of assigns) g.set(k, new StrNum(unescapeAssign(v)));

    let exitCode = 0;
    let exiting = false;
    const runRules = (kind: 'begin' | 'end') => {
      for (const r of parser.rules) {
        if (r.kind !== kind) continue;
        it.execAll(r.action ?? []);
      }
    };
    try {
      try {
        runRules('begin');
      } catch (e) {
        if (e instanceof ExitSignal) {
          exitCode = e.code;
          exiting = true;
        } else if (e instanceof NextSignal) throw new AwkFatal('`next\' used in BEGIN action');
        else throw e;
      }
      const hasMain = parser.rules.some((r) => r.kind === 'main' || r.kind === 'end');
      if (!exiting && hasMain) {
        const inputs = operands.length ? operands : ['-'];
        let anyFile = false;
        outer: for (const op of inputs) {
          const eq = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(op);
          if (eq) {
            g.set(eq[1], new StrNum(unescapeAssign(eq[2])));
            continue;
          }
          anyFile = true;
          const r = readOperand(ctx, 'awk', op);
          if (!r.ok) {
            it.err += `awk: cmd. line:1: warning: command line argument \`${op}' is a directory: skipped\n`.replace(/.*/s, r.error.includes('Is a directory') ? `awk: warning: command line argument \`${op}' is a directory: skipped\n` : `awk: fatal: cannot open file \`${op}' for reading: No such file or directory\n`);
            if (!r.error.includes('Is a directory')) {
              exitCode = 2;
              break;
            }
            continue;
          }
          g.set('FILENAME', op === '-' ? '' : op);
          g.set('FNR', 0);
          const records = splitRecords(r.content, it.str('RS'), ctx.shell.budget);
          for (const rec of records) {
            g.set('NR', toNum(g.get('NR') as Value) + 1);
            g.set('FNR', toNum(g.get('FNR') as Value) + 1);
            it.setRecord(rec);
            try {
              for (const rule of parser.rules) {
                if (rule.kind !== 'main') continue;
                let sel: boolean;
                if (!rule.pattern) sel = true;
                else if (rule.pattern2) {
                  if (rule.inRange) {
                    sel = true;
                    if (toBool(it.eval(rule.pattern2))) rule.inRange = false;
                  } else if (toBool(it.eval(rule.pattern))) {
                    sel = true;
                    rule.inRange = !toBool(it.eval(rule.pattern2));
                  } else sel = false;
                } else sel = toBool(it.eval(rule.pattern));
                if (!sel) continue;
                if (rule.action) it.execAll(rule.action);
                else it.out += it.record + it.str('ORS');
              }
            } catch (e) {
              if (e instanceof NextSignal) continue;
              if (e instanceof ExitSignal) {
                exitCode = e.code;
                exiting = true;
                break outer;
              }
              throw e;
            }
          }
        }
        void anyFile;
      }
      try {
        runRules('end');
      } catch (e) {
        if (e instanceof ExitSignal) exitCode = e.code;
        else if (e instanceof NextSignal) throw new AwkFatal('`next\' used in END action');
        else throw e;
      }
    } catch (e) {
      if (e instanceof AwkFatal) return { stdout: it.out, stderr: it.err + `awk: cmd. line:1: fatal: ${e.message}\n`, exitCode: 2 };
      if (e instanceof BreakSignal || e instanceof ContinueSignal) return { stdout: it.out, stderr: it.err + 'awk: cmd. line:1: fatal: `break\' is not allowed outside a loop\n', exitCode: 2 };
      if (e instanceof ReturnSignal) return { stdout: it.out, stderr: it.err + 'awk: cmd. line:1: fatal: `return\' used outside function context\n', exitCode: 2 };
      if (e instanceof RangeError) return { stdout: it.out, stderr: it.err + 'awk: cmd. line:1: fatal: stack overflow\n', exitCode: 2 };
      if (e instanceof RegexTooComplex) return { stdout: it.out, stderr: it.err + 'awk: cmd. line:1: fatal: memory exhausted\n', exitCode: 2 };
      throw e;
    }
    return { stdout: it.out, stderr: it.err, exitCode };
  },
};

function splitRecords(text: string, rs: string, meter: Meter): string[] {
  if (text === '') return [];
  if (rs === '\n') {
    const l = text.split('\n');
    if (l[l.length - 1] === '') l.pop();
    return l;
  }
  if (rs === '') return text.replace(/^\n+|\n+$/g, '').split(/\n\n+/).filter((x) => x !== '');
  // gawk: a multi-character RS is a regexp
  const parts = rs.length === 1 ? text.split(rs) : splitByRe(text, dynamicRe(rs, meter));
  if (parts[parts.length - 1] === '' || parts[parts.length - 1] === '\n') parts.pop();
  return parts;
}
