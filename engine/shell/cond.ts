/**
 * `[[ … ]]`, bash's conditional command (parse.y cond_*, execute_cmd.c execute_cond_node):
 * no field splitting or globbing of its words; `&&` `||` `!` `( )`; the test(1) file and
 * string operators; `-eq`… with arithmetic operands; `==`/`!=` against a shell pattern
 * (patterns/glob.ts) and `=~` against a POSIX ERE (patterns/posix.ts, as regcomp with
 * REG_EXTENDED reads it) — both linear. Quoted parts of the right-hand side match
 * literally. `=~` sets BASH_REMATCH (read as `${BASH_REMATCH[n]}`); a regex that does not
 * compile makes the command return 2, silently, as bash does.
 */
import { Glob, Regex, RegexSyntaxError } from '../patterns';
import { resolvePath } from '../hosts/vfs';
import { evalArith } from './arith';
import type { IO } from './interpreter';
import type { WordExpander } from './expand';

/** What the lexer hands over for the words between `[[` and `]]`. */
export type CondToken = { k: 'word'; raw: string } | { k: 'op'; op: '&&' | '||' | '!' | '(' | ')' };

export type CondExpr =
  | { k: 'and' | 'or'; a: CondExpr; b: CondExpr }
  | { k: 'not'; e: CondExpr }
  | { k: 'unary'; op: string; arg: string }
  | { k: 'binary'; op: string; l: string; r: string }
  | { k: 'word'; w: string };

const UNARY = new Set(['-a', '-b', '-c', '-d', '-e', '-f', '-g', '-h', '-k', '-p', '-r', '-s', '-t', '-u', '-w', '-x', '-G', '-L', '-N', '-O', '-S', '-z', '-n', '-o', '-v', '-R']);
const BINARY = new Set(['==', '=', '!=', '=~', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef']);

export class CondSyntaxError extends Error {}

/** cond_expr of parse.y; throws CondSyntaxError with the token bash names. */
export function parseCond(toks: CondToken[]): CondExpr {
  let i = 0;
  const word = (t: CondToken | undefined): string | null => (t && t.k === 'word' ? t.raw : null);
  const fail = (): never => {
    const t = toks[i];
    throw new CondSyntaxError(t === undefined ? ']]' : t.k === 'word' ? t.raw : t.op);
  };
  const isOp = (op: string) => toks[i]?.k === 'op' && (toks[i] as { op: string }).op === op;
  const or = (): CondExpr => {
    let a = and();
    while (isOp('||')) {
      i++;
      a = { k: 'or', a, b: and() };
    }
    return a;
  };
  const and = (): CondExpr => {
    let a = not();
    while (isOp('&&')) {
      i++;
      a = { k: 'and', a, b: not() };
    }
    return a;
  };
  const not = (): CondExpr => {
    if (isOp('!')) {
      i++;
      return { k: 'not', e: not() };
    }
    return primary();
  };
  const primary = (): CondExpr => {
    if (isOp('(')) {
      i++;
      const e = or();
      if (!isOp(')')) fail();
      i++;
      return e;
    }
    const w = word(toks[i]);
    if (w === null) fail();
    const next = word(toks[i + 1]);
    if (next !== null && BINARY.has(next)) {
      const r = word(toks[i + 2]);
      if (r === null) {
        i += 2;
        fail();
      }
      i += 3;
      return { k: 'binary', op: next, l: w!, r: r! };
    }
    if (UNARY.has(w!) && next !== null) {
      i += 2;
      return { k: 'unary', op: w!, arg: next };
    }
    i++;
    return { k: 'word', w: w! };
  };
  if (toks.length === 0) fail();
  const e = or();
  if (i < toks.length) fail();
  return e;
}

/**
 * Evaluates a condition: 0 true, 1 false, 2 an invalid regex. With `trace` (set -x) each
 * term evaluated is shown as bash's print_cmd.c xtrace_print_cond_term shows it:
 * `[[ web-1 =~ ^web ]]`, operands expanded and unquoted, an empty one as ''.
 */
export function evalCond(e: CondExpr, x: WordExpander, io: IO, trace?: (line: string) => void): number {
  const sh = x.sh;
  const str = (raw: string) => x.expandSingle(raw, io);
  const path = (p: string) => resolvePath(sh.frame.cwd, p);
  const fs = sh.cluster.fs;
  const host = sh.frame.host;
  const arith = (raw: string) => evalArith(str(raw), (k) => x.getVar(k), (k, v) => sh.setVar(k, v));
  const shown = (v: string) => (v === '' ? "''" : v);
  const go = (n: CondExpr, invert = false): number => {
    if (trace && (n.k === 'word' || n.k === 'unary' || n.k === 'binary')) {
      const bang = invert ? '! ' : '';
      if (n.k === 'word') trace(`[[ ${bang}-n ${shown(str(n.w))} ]]`);
      else if (n.k === 'unary') trace(`[[ ${bang}${n.op} ${shown(str(n.arg))} ]]`);
      else trace(`[[ ${bang}${shown(str(n.l))} ${n.op} ${shown(str(n.r))} ]]`);
    }
    switch (n.k) {
      case 'and': {
        const a = go(n.a);
        return a !== 0 ? a : go(n.b);
      }
      case 'or': {
        const a = go(n.a);
        return a === 0 || a === 2 ? a : go(n.b);
      }
      case 'not': {
        const v = go(n.e, true);
        return v === 2 ? 2 : v === 0 ? 1 : 0;
      }
      case 'word':
        return str(n.w) !== '' ? 0 : 1;
      case 'unary': {
        const v = str(n.arg);
        const ok = (() => {
          switch (n.op) {
            case '-z':
              return v === '';
            case '-n':
              return v !== '';
            case '-e':
            case '-a':
              return fs.exists(host, path(v));
            case '-f':
              return fs.isFile(host, path(v));
            case '-d':
              return fs.isDir(host, path(v));
            case '-s':
              return (fs.read(host, path(v)) ?? '') !== '';
            case '-r':
            case '-w':
              return fs.exists(host, path(v));
            case '-x':
              return fs.isDir(host, path(v));
            case '-v':
              return x.getVar(v) !== undefined;
            default:
              return false;
          }
        })();
        return ok ? 0 : 1;
      }
      case 'binary': {
        const l = str(n.l);
        switch (n.op) {
          case '==':
          case '=':
          case '!=': {
            const hit = new Glob(x.patternOf(n.r, io), sh.budget).matches(l);
            return hit === (n.op !== '!=') ? 0 : 1;
          }
          case '=~': {
            let re: Regex;
            try {
              re = Regex.posix(x.regexOf(n.r, io), 'bash', { meter: sh.budget });
            } catch (err) {
              if (err instanceof RegexSyntaxError) return 2;
              throw err;
            }
            const m = re.exec(l);
            const groups = m ? Array.from({ length: re.groups + 1 }, (_, k) => (m.groups[2 * k] >= 0 ? l.slice(m.groups[2 * k], m.groups[2 * k + 1]) : '')) : [];
            x.setRematch(groups);
            return m ? 0 : 1;
          }
          case '<':
            return l < str(n.r) ? 0 : 1;
          case '>':
            return l > str(n.r) ? 0 : 1;
          case '-eq':
            return arith(n.l) === arith(n.r) ? 0 : 1;
          case '-ne':
            return arith(n.l) !== arith(n.r) ? 0 : 1;
          case '-lt':
            return arith(n.l) < arith(n.r) ? 0 : 1;
          case '-le':
            return arith(n.l) <= arith(n.r) ? 0 : 1;
          case '-gt':
            return arith(n.l) > arith(n.r) ? 0 : 1;
          case '-ge':
            return arith(n.l) >= arith(n.r) ? 0 : 1;
          default:
            return 1;
        }
      }
    }
  };
  return go(e);
}

