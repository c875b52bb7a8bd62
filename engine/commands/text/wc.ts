/** `wc [-lwcm] [FILE]...` (coreutils src/wc.c): column width from the total size; one count is not padded. */
import type { CommandSpec } from '../../shell/command';
import { byteLength } from '../../hosts/vfs';
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
      const t = r.content;
      const c: Record<string, number> = {
        l: (t.match(/\n/g) ?? []).length,
        w: t.split(/\s+/).filter(Boolean).length,
        m: [...t].length,
        c: byteLength(t),
        L: t.split('\n').reduce((m, x) => Math.max(m, x.replace(/\t/g, '        ').length), 0),
      };
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
