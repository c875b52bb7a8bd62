/** `tr [-cdst] SET1 [SET2]` (coreutils src/tr.c): ranges, classes, `[c*n]`, escapes; SET2 padded with its last char. */
import type { CommandSpec } from '../../shell/command';
import { getopt, isOptError, usageError } from './util';

const CLASSES: Record<string, (c: number) => boolean> = {
  alnum: (c) => /[A-Za-z0-9]/.test(String.fromCharCode(c)),
  alpha: (c) => /[A-Za-z]/.test(String.fromCharCode(c)),
  blank: (c) => c === 32 || c === 9,
  cntrl: (c) => c < 32 || c === 127,
  digit: (c) => c >= 48 && c <= 57,
  graph: (c) => c > 32 && c < 127,
  lower: (c) => c >= 97 && c <= 122,
  print: (c) => c >= 32 && c < 127,
  punct: (c) => c > 32 && c < 127 && !/[A-Za-z0-9]/.test(String.fromCharCode(c)),
  space: (c) => c === 32 || (c >= 9 && c <= 13),
  upper: (c) => c >= 65 && c <= 90,
  xdigit: (c) => /[0-9A-Fa-f]/.test(String.fromCharCode(c)),
};

function expandSet(s: string): string[] | string {
  const out: string[] = [];
  const chars: string[] = [];
  // first pass: escapes → list of literal chars with markers for [ ] constructs kept as raw
  let i = 0;
  const readChar = (): string => {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      const e = s[i + 1];
      const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\' };
      if (e in map) {
        i += 2;
        return map[e];
      }
      const m = /^[0-7]{1,3}/.exec(s.slice(i + 1));
      if (m) {
        i += 1 + m[0].length;
        return String.fromCharCode(parseInt(m[0], 8));
      }
      i += 2;
      return e;
    }
    i++;
    return c;
  };
  while (i < s.length) {
    const cls = /^\[:([a-z]+):\]/.exec(s.slice(i));
    if (cls) {
      const f = CLASSES[cls[1]];
      if (!f) return `tr: invalid character class '${cls[1]}'\n`;
      for (let c = 0; c < 128; c++) if (f(c)) out.push(String.fromCharCode(c));
      i += cls[0].length;
      continue;
    }
    const eq = /^\[=(.)=\]/.exec(s.slice(i));
    if (eq) {
      out.push(eq[1]);
      i += eq[0].length;
      continue;
    }
    const rep = /^\[(\\?.)\*(\d*)\]/.exec(s.slice(i));
    if (rep) {
      const save = i;
      i += 1;
      const c = readChar();
      i = save + rep[0].length;
      const n = rep[2] === '' ? -1 : parseInt(rep[2], rep[2].startsWith('0') ? 8 : 10);
      if (n < 0) out.push(`\u0000REPEAT:${c}`);
      else for (let k = 0; k < n; k++) out.push(c);
      continue;
    }
    const c = readChar();
    if (s[i] === '-' && i + 1 < s.length) {
      i++;
      const d = readChar();
      if (d.charCodeAt(0) < c.charCodeAt(0)) return `tr: range-endpoints of '${c}-${d}' are in reverse collating sequence order\n`;
      for (let k = c.charCodeAt(0); k <= d.charCodeAt(0); k++) out.push(String.fromCharCode(k));
      continue;
    }
    out.push(c);
  }
  void chars;
  return out;
}

export const tr: CommandSpec = {
  name: 'tr',
  summary: 'translate or delete characters',
  run(args, ctx) {
    const p = getopt(args, { short: 'cCdst', long: { complement: { key: 'c' }, delete: { key: 'd' }, 'squeeze-repeats': { key: 's' }, 'truncate-set1': { key: 't' } } });
    if (isOptError(p)) return usageError('tr', p, 'tr [OPTION]... STRING1 [STRING2]', 1);
    const o = new Set(p.opts.map(([k]) => (k === 'C' ? 'c' : k)));
    const del = o.has('d'), squeeze = o.has('s'), comp = o.has('c');
    const ops = p.operands;
    const hint = "Try 'tr --help' for more information.\n";
    if (ops.length === 0) return { stdout: '', stderr: `tr: missing operand\n${hint}`, exitCode: 1 };
    const translating = !del && ops.length >= 1 && !(squeeze && ops.length === 1);
    if (!del && !squeeze && ops.length === 1) return { stdout: '', stderr: `tr: missing operand after '${ops[0]}'\nTwo strings must be given when translating.\n${hint}`, exitCode: 1 };
    if (del && !squeeze && ops.length > 1) return { stdout: '', stderr: `tr: extra operand '${ops[1]}'\nOnly one string may be given when deleting without squeezing repeats.\n${hint}`, exitCode: 1 };
    if (ops.length > 2) return { stdout: '', stderr: `tr: extra operand '${ops[2]}'\n${hint}`, exitCode: 1 };
    const s1r = expandSet(ops[0]);
    if (typeof s1r === 'string') return { stdout: '', stderr: s1r, exitCode: 1 };
    let set1 = s1r.filter((x) => !x.startsWith('\u0000'));
    if (comp) {
      const inSet = new Set(set1);
      set1 = [];
      for (let c = 0; c < 256; c++) if (!inSet.has(String.fromCharCode(c))) set1.push(String.fromCharCode(c));
    }
    let set2: string[] = [];
    if (ops.length > 1) {
      const s2r = expandSet(ops[1]);
      if (typeof s2r === 'string') return { stdout: '', stderr: s2r, exitCode: 1 };
      const fill = s2r.findIndex((x) => x.startsWith('\u0000REPEAT:'));
      if (fill >= 0) {
        const c = s2r[fill].slice(8);
        const need = Math.max(0, set1.length - (s2r.length - 1));
        s2r.splice(fill, 1, ...Array(need).fill(c));
      }
      set2 = s2r;
      if (translating && !del) {
        if (set2.length === 0) return { stdout: '', stderr: `tr: when not truncating set1, string2 must be non-empty\n`, exitCode: 1 };
        if (o.has('t')) set1 = set1.slice(0, set2.length);
        while (set2.length < set1.length) set2.push(set2[set2.length - 1]);
      }
    }
    const map = new Map<string, string>();
    if (translating && !del) set1.forEach((c, k) => map.set(c, set2[k]));
    const delSet = new Set(del ? set1 : []);
    const squeezeSet = new Set(squeeze ? (ops.length > 1 ? set2 : set1) : []);
    let out = '';
    let last = '';
    for (const ch of ctx.stdin) {
      if (delSet.has(ch)) continue;
      const t = map.get(ch) ?? ch;
      if (squeezeSet.has(t) && t === last) continue;
      out += t;
      last = t;
    }
    return { stdout: out, stderr: '', exitCode: 0 };
  },
};
