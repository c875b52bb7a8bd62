/**
 * `$(( … ))`: shell arithmetic on integers (POSIX §2.6.4; bash's expr.c precedence).
 * Variables read as numbers (unset or empty → 0); division by zero is an error, as in bash.
 */
export class ArithError extends Error {}

export function evalArith(src: string, get: (name: string) => string | undefined, set: (name: string, v: string) => void): number {
  const toks = src.match(/\s*(0x[0-9a-fA-F]+|\d+|[A-Za-z_][A-Za-z0-9_]*|\*\*|<<|>>|<=|>=|==|!=|&&|\|\||\+\+|--|[-+*/%<>!~&|^()?:=])\s*/g) ?? [];
  const joined = toks.join('');
  if (joined.replace(/\s/g, '') !== src.replace(/\s/g, '')) {
    const bad = src.trim();
    throw new ArithError(`${bad}: syntax error: invalid arithmetic operator (error token is "${bad.replace(/^[\w\s+\-*/%()<>=!&|^~?:]*/, '')}")`);
  }
  const t = toks.map((x) => x.trim());
  let i = 0;
  const peek = () => t[i];
  const num = (name: string): number => {
    const v = (get(name) ?? '').trim();
    if (v === '') return 0;
    const n = Number.parseInt(v, 10);
    return Number.isNaN(n) ? 0 : n;
  };
  const primary = (): number => {
    const tok = t[i++];
    if (tok === undefined) throw new ArithError(`${src.trim()}: syntax error: operand expected (error token is "${src.trim()}")`);
    if (tok === '(') {
      const v = ternary();
      if (t[i++] !== ')') throw new ArithError(`${src.trim()}: syntax error: missing \`)'`);
      return v;
    }
    if (tok === '-') return -unary();
    if (tok === '+') return unary();
    if (tok === '!') return unary() ? 0 : 1;
    if (tok === '~') return ~unary();
    if (/^0x/i.test(tok)) return Number.parseInt(tok, 16);
    if (/^\d/.test(tok)) return Number.parseInt(tok, 10);
    if (/^[A-Za-z_]/.test(tok)) {
      if (peek() === '=' ) {
        i++;
        const v = ternary();
        set(tok, String(v));
        return v;
      }
      if (peek() === '++' || peek() === '--') {
        const op = t[i++];
        const v = num(tok);
        set(tok, String(op === '++' ? v + 1 : v - 1));
        return v;
      }
      return num(tok);
    }
    if (tok === '++' || tok === '--') {
      const name = t[i++];
      const v = num(name) + (tok === '++' ? 1 : -1);
      set(name, String(v));
      return v;
    }
    throw new ArithError(`${src.trim()}: syntax error: operand expected (error token is "${t.slice(i - 1).join(' ')}")`);
  };
  const unary = primary;
  const bin = (next: () => number, ops: string[], f: (op: string, a: number, b: number) => number) => (): number => {
    let a = next();
    while (ops.includes(peek())) {
      const op = t[i++];
      a = f(op, a, next());
    }
    return a;
  };
  const pow = (): number => {
    const a = unary();
    if (peek() === '**') {
      i++;
      return Math.trunc(a ** pow());
    }
    return a;
  };
  const mul = bin(pow, ['*', '/', '%'], (op, a, b) => {
    if (op === '*') return Math.imul(a, b);
    if (b === 0) throw new ArithError('division by 0 (error token is "0")');
    return op === '/' ? Math.trunc(a / b) : a % b;
  });
  const add = bin(mul, ['+', '-'], (op, a, b) => (op === '+' ? a + b : a - b));
  const shift = bin(add, ['<<', '>>'], (op, a, b) => (op === '<<' ? a << b : a >> b));
  const rel = bin(shift, ['<', '>', '<=', '>='], (op, a, b) => Number(op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b));
  const eq = bin(rel, ['==', '!='], (op, a, b) => Number(op === '==' ? a === b : a !== b));
  const band = bin(eq, ['&'], (_o, a, b) => a & b);
  const bxor = bin(band, ['^'], (_o, a, b) => a ^ b);
  const bor = bin(bxor, ['|'], (_o, a, b) => a | b);
  const land = bin(bor, ['&&'], (_o, a, b) => Number(Boolean(a) && Boolean(b)));
  const lor = bin(land, ['||'], (_o, a, b) => Number(Boolean(a) || Boolean(b)));
  const ternary = (): number => {
    const c = lor();
    if (peek() === '?') {
      i++;
      const a = ternary();
      if (t[i++] !== ':') throw new ArithError(`${src.trim()}: syntax error: \`:' expected for conditional expression`);
      const b = ternary();
      return c ? a : b;
    }
    return c;
  };
  if (t.length === 0) return 0;
  const v = ternary();
  if (i < t.length) throw new ArithError(`${src.trim()}: syntax error in expression (error token is "${t.slice(i).join(' ')}")`);
  return v;
}
