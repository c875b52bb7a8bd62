/** `wc [-lwcm] [FILE]...` (coreutils src/wc.c): column width from the total size; one count is not padded. */
import type { CommandSpec } from '../../shell/command';
import { getopt, isOptError, readOperand, usageError } from './util';

export const wc: CommandSpec = {
  name: 'wc',
  summary: 'print newline, word, and byte counts for each file',
  run(args, ctx) {
    const p = getopt(args, { short: 'clmwL', long: { bytes: { key: 'c' }, chars: { key: 'm' }, lines: { key: 'l' }, words: { key: 'w' }, 'max-line-length': { key: 'L' } } });
    if (isOptError(p)) return usageError('wc', p, 'wc [OPTION]... [FILE]...', 1);
    let sel = new Set(p.opts.map(([k]) => k));
    if (sel.size === 0) sel = new Set(['l', 'w', 'c']);
    const order = ['l', 'w', 'm', 'c', 'L'].filter((k) => sel.has(k));
    const files = p.operands.length ? p.operands : ['-'];
    const rows: { counts: number[]; name: string }[] = [];
    const total = [0, 0, 0, 0, 0];
    let err = '';
    let anyStdin = false;
    let totalSize = 0;
    for (const f of files) {
      const r = readOperand(ctx, 'wc', f);
      if (!r.ok) {
        err += r.error;
        continue;
      }
      if (f === '-') anyStdin = true;
      const c = count(r.content, sel);
      totalSize += c.c;
      const counts = order.map((k) => c[k]);
      order.forEach((k, i) => (total[i] = k === 'L' ? Math.max(total[i], c[k]) : total[i] + c[k]));
      rows.push({ counts, name: f === '-' ? '' : f });
    }
    if (files.length > 1) rows.push({ counts: total.slice(0, order.length), name: 'total' });
    let width = order.length === 1 && files.length === 1 ? 1 : anyStdin ? 7 : String(totalSize).length;
    width = Math.max(width, 1);
    const out = rows.map((r) => r.counts.map((n) => String(n).padStart(width)).join(' ') + (r.name ? ` ${r.name}` : '')).join('\n');
    return { stdout: out ? out + '\n' : '', stderr: err, exitCode: err ? 1 : 0 };
  },
};

/**
 * The counts of `t` in one pass over its UTF-16 units, each only if asked (a 10 MB
 * iptables-save is counted in tens of milliseconds: no regex match arrays, no split).
 * Words are maximal runs of non-whitespace (wc.c's isspace for the C locale and U+0085,
 * U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 as
 * JavaScript's \s knew them); characters are code points; bytes UTF-8.
 */
function count(t: string, sel: Set<string>): Record<string, number> {
  const wantW = sel.has('w'), wantL = sel.has('L'), wantM = sel.has('m');
  let l = 0, w = 0, m = 0, c = 0, longest = 0, col = 0;
  let inWord = false;
  for (let i = 0; i < t.length; i++) {
    const u = t.charCodeAt(i);
    if (u === 10) {
      l++;
      if (col > longest) longest = col;
      col = 0;
    } else if (wantL) col = u === 9 ? (col + 8) & ~7 : col + 1; // wc.c: a tab moves to the next multiple of 8
    if (u < 0x80) c += 1;
    else if (u < 0x800) c += 2;
    else if (u >= 0xd800 && u <= 0xdbff && i + 1 < t.length && (t.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c += 4;
      i++;
      if (wantL) col++; // the pair's second unit (the column count stays String#length's)
    } else c += 3;
    if (wantM) m++;
    if (wantW) {
      const space = u === 32 || (u >= 9 && u <= 13) || u === 0x85 || u === 0xa0 || u === 0x1680 || (u >= 0x2000 && u <= 0x200a) || u === 0x2028 || u === 0x2029 || u === 0x202f || u === 0x205f || u === 0x3000 || u === 0xfeff;
      if (space) inWord = false;
      else if (!inWord) {
        inWord = true;
        w++;
      }
    }
  }
  if (col > longest) longest = col;
  return { l, w, m, c, L: longest };
}
