/**
 * Calico's selector language as libcalico-go v3.28 parses and prints it
 * (lib/selector/tokenizer/tokenizer.go, lib/selector/parser/parser.go, ast.go): the canonical
 * text Felix hashes into IP set ids. Parsing keeps the tree as written — `a && b && c` is one
 * And of three, `(a) && (b && c)` an And of `a` and another And, a parenthesised single term is
 * the term — and String() prints every And/Or in parentheses, each value in double quotes
 * (single when it holds a double quote), `in {…}` sets sorted and deduplicated, `!` glued to
 * its operand. Only what libcalico-go builds from Kubernetes objects needs to round-trip;
 * `contains`, `starts with` and `ends with` parse too.
 */

export type SelNode =
  | { op: '=='; label: string; value: string }
  | { op: '!='; label: string; value: string }
  | { op: 'contains' | 'starts with' | 'ends with'; label: string; value: string }
  | { op: 'in' | 'not in'; label: string; values: string[] }
  | { op: 'has'; label: string }
  | { op: 'not'; operand: SelNode }
  | { op: 'and' | 'or'; operands: SelNode[] }
  | { op: 'all' }
  | { op: 'global' };

type Tok =
  | { k: 'label' | 'string'; v: string }
  | { k: 'has'; v: string }
  | { k: '(' | ')' | '{' | '}' | ',' | '==' | '!=' | '!' | '&&' | '||' | 'in' | 'not in' | 'contains' | 'starts with' | 'ends with' | 'all' | 'global' | 'eof' };

const LABEL = /^[a-zA-Z0-9_./-]{1,512}/;

/** tokenizer.go Tokenize. */
function tokenize(input: string): Tok[] | string {
  const out: Tok[] = [];
  let s = input;
  for (;;) {
    s = s.replace(/^[ \t]+/, '');
    if (!s) {
      out.push({ k: 'eof' });
      return out;
    }
    const c = s[0];
    let m: RegExpExecArray | null;
    if (c === '(' || c === ')' || c === '{' || c === '}' || c === ',') {
      out.push({ k: c });
      s = s.slice(1);
    } else if (c === '"' || c === "'") {
      const end = s.indexOf(c, 1);
      if (end < 0) return 'unterminated string';
      out.push({ k: 'string', v: s.slice(1, end) });
      s = s.slice(end + 1);
    } else if (s.startsWith('==')) {
      out.push({ k: '==' });
      s = s.slice(2);
    } else if (s.startsWith('!=')) {
      out.push({ k: '!=' });
      s = s.slice(2);
    } else if (c === '!') {
      out.push({ k: '!' });
      s = s.slice(1);
    } else if (s.startsWith('&&')) {
      out.push({ k: '&&' });
      s = s.slice(2);
    } else if (s.startsWith('||')) {
      out.push({ k: '||' });
      s = s.slice(2);
    } else if (out.length && out[out.length - 1].k === 'label') {
      // after a label only an operator may follow
      if (!(m = /^(contains|starts\s*with|ends\s*with|not\s*in\b|in\b)/.exec(s))) return 'unexpected characters after label, was expecting an operator';
      const w = m[1];
      out.push({ k: w.startsWith('not') ? 'not in' : w.startsWith('starts') ? 'starts with' : w.startsWith('ends') ? 'ends with' : w === 'contains' ? 'contains' : 'in' });
      s = s.slice(m[0].length);
    } else if ((m = /^has\(\s*([a-zA-Z0-9_./-]{1,512})\s*\)/.exec(s))) {
      out.push({ k: 'has', v: m[1] });
      s = s.slice(m[0].length);
    } else if ((m = /^all\(\s*\)/.exec(s))) {
      out.push({ k: 'all' });
      s = s.slice(m[0].length);
    } else if ((m = /^global\(\s*\)/.exec(s))) {
      out.push({ k: 'global' });
      s = s.slice(m[0].length);
    } else if ((m = LABEL.exec(s))) {
      out.push({ k: 'label', v: m[0] });
      s = s.slice(m[0].length);
    } else {
      return `unexpected characters: ${s}`;
    }
  }
}

class ParseError extends Error {}

/** parser.go Parse; undefined when the text is not a selector. An empty selector is all(). */
export function parseSelector(text: string): SelNode | undefined {
  const toks = tokenize(text);
  if (typeof toks === 'string') return undefined;
  if (toks[0].k === 'eof') return { op: 'all' };
  let i = 0;
  const peek = () => toks[i];
  const orExpr = (): SelNode => {
    const nodes = [andExpr()];
    while (peek().k === '||') {
      i++;
      nodes.push(andExpr());
    }
    return nodes.length === 1 ? nodes[0] : { op: 'or', operands: nodes };
  };
  const andExpr = (): SelNode => {
    const nodes = [operation()];
    while (peek().k === '&&') {
      i++;
      nodes.push(operation());
    }
    return nodes.length === 1 ? nodes[0] : { op: 'and', operands: nodes };
  };
  const operation = (): SelNode => {
    let negated = false;
    while (peek().k === '!') {
      negated = !negated;
      i++;
    }
    const t = toks[i];
    let sel: SelNode;
    if (t.k === 'has') {
      sel = { op: 'has', label: t.v };
      i++;
    } else if (t.k === 'all') {
      sel = { op: 'all' };
      i++;
    } else if (t.k === 'global') {
      sel = { op: 'global' };
      i++;
    } else if (t.k === 'label') {
      const opTok = toks[i + 1];
      if (!opTok || opTok.k === 'eof') throw new ParseError('Unexpected end of string in middle of op');
      if (opTok.k === 'in' || opTok.k === 'not in') {
        if (toks[i + 2]?.k !== '{') throw new ParseError('Expected set literal');
        i += 3;
        const values: string[] = [];
        while (toks[i].k === 'string') {
          values.push((toks[i] as { v: string }).v);
          i++;
          if (toks[i].k === ',') i++;
          else break;
        }
        if (toks[i].k !== '}') throw new ParseError('Expected }');
        i++;
        const set = [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        sel = { op: opTok.k, label: t.v, values: set };
      } else if (opTok.k === '==' || opTok.k === '!=' || opTok.k === 'contains' || opTok.k === 'starts with' || opTok.k === 'ends with') {
        const v = toks[i + 2];
        if (v?.k !== 'string') throw new ParseError('Expected string');
        sel = { op: opTok.k, label: t.v, value: v.v };
        i += 3;
      } else throw new ParseError('Expected == or !=');
    } else if (t.k === '(') {
      i++;
      sel = orExpr();
      if (peek().k !== ')') throw new ParseError('Expected )');
      i++;
    } else throw new ParseError('Unexpected token');
    return negated ? { op: 'not', operand: sel } : sel;
  };
  try {
    const root = orExpr();
    return peek().k === 'eof' ? root : undefined;
  } catch (e) {
    if (e instanceof ParseError) return undefined;
    throw e;
  }
}

function quoted(s: string): string {
  return s.includes('"') ? `'${s}'` : `"${s}"`;
}

/** ast.go collectFragments: the canonical text. */
export function selectorString(n: SelNode): string {
  switch (n.op) {
    case '==': case '!=': case 'contains': case 'starts with': case 'ends with':
      return `${n.label} ${n.op} ${quoted(n.value)}`;
    case 'in': case 'not in':
      return `${n.label} ${n.op} {${n.values.map(quoted).join(', ')}}`;
    case 'has': return `has(${n.label})`;
    case 'not': return `!${selectorString(n.operand)}`;
    case 'and': return `(${n.operands.map(selectorString).join(' && ')})`;
    case 'or': return `(${n.operands.map(selectorString).join(' || ')})`;
    case 'all': return 'all()';
    case 'global': return 'global()';
  }
}

/** ast.go PrefixVisitor: every label a node names gets the prefix (`pcns.`, `pcsa.`). */
export function prefixLabels(n: SelNode, prefix: string): SelNode {
  switch (n.op) {
    case 'not': return { op: 'not', operand: prefixLabels(n.operand, prefix) };
    case 'and': case 'or': return { op: n.op, operands: n.operands.map((o) => prefixLabels(o, prefix)) };
    case 'all': case 'global': return n;
    default: return { ...n, label: prefix + n.label };
  }
}

/** lib/selector/selector.go Normalise: the canonical text, or the input trimmed when it does not parse. */
export function normaliseSelector(text: string): string {
  const t = text.trim();
  const n = parseSelector(t);
  return n ? selectorString(n) : t;
}
