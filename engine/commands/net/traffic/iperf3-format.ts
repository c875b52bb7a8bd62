/**
 * iperf 3.17.1's number and JSON printing, as its C sources do it:
 * - units.c unit_snprintf: a byte count or a rate in an adaptive (or fixed) unit, 1024-based
 *   for bytes and 1000-based for bits, printed so it fits in four places (`%4.2f`, `%4.1f`,
 *   `%4.0f`) — the report formats append the `s` of `MBytes` and `Mbits/sec`;
 * - iperf_locale.c's report formats, through C printf conversions (`%6.2f-%-6.2f`, `%3u`,
 *   `%5.3f`, `%.2g`);
 * - cjson.c 1.7.15 cJSON_Print: objects over lines with tab indentation (`"key":\tvalue`),
 *   arrays on one line (`[a, b]`, an object inside broken over lines at the array's depth),
 *   numbers as `%d` when integral in int range, else `%1.15g` (or `%1.17g` if that does not
 *   read back the same double).
 */

const LABEL_BYTE = ['Byte', 'KByte', 'MByte', 'GByte', 'TByte'];
const LABEL_BIT = ['bit', 'Kbit', 'Mbit', 'Gbit', 'Tbit'];

/**
 * C's `%.{p}f`: the exact value rounded, an exact tie to even (musl's printf), where JavaScript's
 * toFixed takes the larger (0.125 → C "0.12", toFixed "0.13").
 */
export function fixed(x: number, p: number): string {
  const scale = 10 ** p;
  const t = x * scale;
  if (Number.isFinite(t) && Math.abs(t % 1) === 0.5 && t / scale === x) {
    const lo = Math.floor(t);
    const n = lo % 2 === 0 ? lo : lo + 1;
    return (n / scale).toFixed(p);
  }
  return x.toFixed(p);
}

/** units.c unit_snprintf: `inNum` in bytes, `format` one of [bkmgtaBKMGTA]. */
export function unitSnprintf(inNum: number, format: string): string {
  const bits = format !== format.toUpperCase();
  let n = bits ? inNum * 8 : inNum;
  const upper = format.toUpperCase();
  let conv = { B: 0, K: 1, M: 2, G: 3, T: 4 }[upper as 'B'] ?? -1;
  if (conv < 0) {
    conv = 0;
    let tmp = n;
    const base = bits ? 1000 : 1024;
    while (tmp >= base && conv < 4) {
      tmp /= base;
      conv++;
    }
  }
  n = n / Math.pow(bits ? 1000 : 1024, conv);
  const suffix = bits ? LABEL_BIT[conv] : LABEL_BYTE[conv];
  const num = n < 9.995 ? fixed(n, 2) : n < 99.95 ? fixed(n, 1) : fixed(n, 0);
  return `${num.padStart(4)} ${suffix}`;
}

/** C's `%.{p}g` (p ≥ 1): the shortest of fixed and exponent forms, trailing zeros removed. */
export function fmtG(x: number, p: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : x < 0 ? '-inf' : 'nan';
  const exp = Number(x.toExponential(p - 1).split('e')[1]);
  if (exp < -4 || exp >= p) {
    const [m, e] = x.toExponential(p - 1).split('e');
    const mant = m.includes('.') ? m.replace(/\.?0+$/, '') : m;
    const en = Number(e);
    return `${mant}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  const s = x.toFixed(Math.max(0, p - 1 - exp));
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** `%6.2f-%-6.2f`: an interval's start and end seconds. */
export function interval(st: number, et: number): string {
  return `${fixed(st, 2).padStart(6)}-${fixed(et, 2).padEnd(6)}`;
}

// ---- cJSON --------------------------------------------------------------------------------

/** A JSON value in insertion order (cJSON keeps the order items were added). */
export type JValue = number | string | boolean | null | JValue[] | JObject;
export interface JObject {
  [key: string]: JValue;
}

function printNumber(d: number): string {
  if (Number.isNaN(d) || !Number.isFinite(d)) return 'null';
  // cJSON stores valueint = d clamped to int; an integral value in range prints with %d
  if (Number.isInteger(d) && d >= -2147483648 && d <= 2147483647) return String(d);
  const g15 = fmtG(d, 15);
  return Number(g15) === d ? g15 : fmtG(d, 17);
}

function printString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 32) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

function printValue(v: JValue, depth: number): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return printNumber(v);
  if (typeof v === 'string') return printString(v);
  if (Array.isArray(v)) return `[${v.map((x) => printValue(x, depth + 1)).join(', ')}]`;
  const d = depth + 1;
  const keys = Object.keys(v);
  let out = '{\n';
  keys.forEach((k, i) => {
    out += `${'\t'.repeat(d)}${printString(k)}:\t${printValue(v[k], d)}${i < keys.length - 1 ? ',' : ''}\n`;
  });
  return out + `${'\t'.repeat(d - 1)}}`;
}

/** cJSON_Print (formatted). */
export function cjsonPrint(v: JValue): string {
  return printValue(v, 0);
}
