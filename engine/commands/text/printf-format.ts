/**
 * printf(1)/awk printf formatting: `%[flags][width][.precision]conv` with conversions
 * d i o u x X f F e E g G c s b %, and backslash escapes (coreutils src/printf.c).
 */

/** Backslash escapes as printf's format string and `echo -e` understand them. Returns the text and whether \c stopped output. */
export function unescape(s: string, opts: { echo?: boolean } = {}): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const e = s[++i];
    switch (e) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case 'e': case 'E': out += '\x1b'; break;
      case '\\': out += '\\'; break;
      case 'c': return { text: out, stop: true };
      case 'x': {
        const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1));
        if (m) {
          out += String.fromCharCode(parseInt(m[0], 16));
          i += m[0].length;
        } else out += '\\x';
        break;
      }
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        // echo -e: \0nnn (up to 3 digits after the 0); printf: \nnn
        const re = opts.echo ? (e === '0' ? /^[0-7]{0,3}/ : null) : /^[0-7]{0,2}/;
        if (!re) {
          out += '\\' + e;
          break;
        }
        const m = re.exec(s.slice(i + 1))!;
        const digits = opts.echo ? m[0] : e + m[0];
        out += String.fromCharCode(parseInt(digits || '0', 8) & 0xff);
        i += m[0].length;
        break;
      }
      default:
        out += '\\' + e;
    }
  }
  return { text: out, stop: false };
}

export interface FormatResult {
  text: string;
  /** Messages for arguments that were not numbers (`printf: 'x': expected a numeric value`). */
  errors: string[];
  /** How many arguments one pass of the format consumed. */
  consumed: number;
  stop: boolean;
}

function numArg(a: string | number | undefined, errors: string[], tool: string): number {
  if (a === undefined) return 0;
  if (typeof a === 'number') return a;
  const s = a.trim();
  if (s === '') return 0;
  if (/^['"]/.test(s)) return s.length > 1 ? s.codePointAt(1)! : 0;
  if (/^[-+]?0[xX][0-9a-fA-F]+$/.test(s)) return parseInt(s, 16);
  if (/^[-+]?0[0-7]+$/.test(s)) return parseInt(s, 8);
  const n = Number(s);
  if (!Number.isNaN(n) && s !== '') return n;
  const m = /^[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+)/.exec(s);
  errors.push(m ? `${tool}: '${a}': value not completely converted` : `${tool}: '${a}': expected a numeric value`);
  return m ? Number(m[0]) : 0;
}

function pad(s: string, width: number, left: boolean, zero: boolean): string {
  if (s.length >= width) return s;
  if (left) return s + ' '.repeat(width - s.length);
  if (zero) {
    const sign = /^[-+ ]/.test(s) ? s[0] : '';
    const body = sign ? s.slice(1) : s;
    const prefix = /^0[xX]/.test(body) ? body.slice(0, 2) : '';
    return sign + prefix + '0'.repeat(width - s.length) + body.slice(prefix.length);
  }
  return ' '.repeat(width - s.length) + s;
}

/** C's %g. */
export function formatG(n: number, prec: number, alt = false, upper = false): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? (upper ? 'NAN' : 'nan') : n < 0 ? (upper ? '-INF' : '-inf') : upper ? 'INF' : 'inf';
  const p = prec === 0 ? 1 : prec;
  if (n === 0) return alt ? '0.' + '0'.repeat(p - 1) : Object.is(n, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(n.toExponential(p - 1)))));
  let s: string;
  if (exp < -4 || exp >= p) {
    s = n.toExponential(p - 1);
    const [m0, e] = s.split('e');
    let mant = m0;
    if (!alt && mant.includes('.')) mant = mant.replace(/\.?0+$/, '');
    const en = Number(e);
    s = `${mant}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  } else {
    s = n.toFixed(Math.max(0, p - 1 - exp));
    if (!alt && s.includes('.')) s = s.replace(/\.?0+$/, '');
  }
  return upper ? s.toUpperCase() : s;
}

function formatE(n: number, prec: number, upper: boolean): string {
  if (!Number.isFinite(n)) return formatG(n, prec, false, upper);
  const s = n.toExponential(prec);
  const [mant, e] = s.split('e');
  const en = Number(e);
  const r = `${mant}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  return upper ? r.toUpperCase() : r;
}

/**
 * Formats one pass of `fmt` over `args` (starting at 0). `tool` names the program in
 * conversion errors. With `awk` true, %c of a number prints that character, %i/%d
 * truncate, and escapes are not processed (awk did that when lexing the string).
 */
export function formatPrintf(fmt: string, args: (string | number)[], tool = 'printf', awk = false): FormatResult {
  const errors: string[] = [];
  let out = '';
  let ai = 0;
  const next = () => args[ai++];
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c === '\\' && !awk) {
      const j = i + 1;
      const d = fmt[j];
      if (d === undefined) {
        out += '\\';
        continue;
      }
      if (/[0-7]/.test(d)) {
        const m = /^[0-7]{1,3}/.exec(fmt.slice(j))!;
        out += String.fromCharCode(parseInt(m[0], 8) & 0xff);
        i = j + m[0].length - 1;
        continue;
      }
      if (d === 'x') {
        const m = /^[0-9a-fA-F]{1,2}/.exec(fmt.slice(j + 1));
        if (m) {
          out += String.fromCharCode(parseInt(m[0], 16));
          i = j + m[0].length;
          continue;
        }
      }
      if (d === 'c') return { text: out, errors, consumed: ai, stop: true };
      out += unescape('\\' + d).text;
      i = j;
      continue;
    }
    if (c !== '%') {
      out += c;
      continue;
    }
    const m = /^%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([diouxXfFeEgGcsb%])/.exec(fmt.slice(i));
    if (!m) {
      out += c;
      continue;
    }
    i += m[0].length - 1;
    const [, flags, w, p, conv] = m;
    if (conv === '%') {
      out += '%';
      continue;
    }
    // widths and precisions beyond a megabyte are clamped (the output would only stall the terminal)
    let width = Math.max(-1e6, Math.min(1e6, w === '*' ? Math.trunc(numArg(next(), errors, tool)) : w ? Number(w) : 0));
    let left = flags.includes('-');
    if (width < 0) {
      left = true;
      width = -width;
    }
    const prec0 = p === undefined ? undefined : p === '*' ? Math.trunc(numArg(next(), errors, tool)) : p === '' ? 0 : Number(p);
    const prec = prec0 === undefined ? undefined : Math.min(prec0, conv === 's' || conv === 'b' ? 1e6 : 100);
    const zero = flags.includes('0') && !left;
    const plus = flags.includes('+');
    const space = flags.includes(' ');
    const alt = flags.includes('#');
    const arg = next();
    let s: string;
    switch (conv) {
      case 's':
        s = arg === undefined ? '' : String(arg);
        if (prec !== undefined) s = s.slice(0, prec);
        out += pad(s, width, left, false);
        continue;
      case 'b': {
        const u = unescape(arg === undefined ? '' : String(arg), { echo: true });
        s = u.text;
        if (prec !== undefined) s = s.slice(0, prec);
        out += pad(s, width, left, false);
        if (u.stop) return { text: out, errors, consumed: ai, stop: true };
        continue;
      }
      case 'c':
        if (awk && typeof arg === 'number') s = String.fromCharCode(arg);
        else s = arg === undefined ? '' : [...String(arg)][0] ?? '';
        out += pad(s, width, left, false);
        continue;
      case 'd':
      case 'i':
      case 'u': {
        const n = Math.trunc(numArg(arg, errors, tool));
        let digits = String(Math.abs(n));
        if (prec !== undefined) digits = digits.padStart(prec, '0');
        if (prec === 0 && n === 0) digits = '';
        s = (n < 0 ? '-' : plus ? '+' : space ? ' ' : '') + digits;
        out += pad(s, width, left, zero && prec === undefined);
        continue;
      }
      case 'o':
      case 'x':
      case 'X': {
        let n = Math.trunc(numArg(arg, errors, tool));
        if (n < 0) n = Number(BigInt.asUintN(64, BigInt(n)));
        let digits = n.toString(conv === 'o' ? 8 : 16);
        if (conv === 'X') digits = digits.toUpperCase();
        if (prec !== undefined) digits = digits.padStart(prec, '0');
        if (alt && n !== 0) digits = (conv === 'o' ? '0' : conv === 'x' ? '0x' : '0X') + digits;
        out += pad(digits, width, left, zero && prec === undefined);
        continue;
      }
      default: {
        const n = numArg(arg, errors, tool);
        const pr = prec ?? 6;
        if (conv === 'f' || conv === 'F') s = Number.isFinite(n) ? n.toFixed(pr) : formatG(n, pr, false, conv === 'F');
        else if (conv === 'e' || conv === 'E') s = formatE(n, pr, conv === 'E');
        else s = formatG(n, pr, alt, conv === 'G');
        if (n >= 0 && !s.startsWith('-')) s = (plus ? '+' : space ? ' ' : '') + s;
        out += pad(s, width, left, zero && Number.isFinite(n));
      }
    }
  }
  return { text: out, errors, consumed: ai, stop: false };
}
