/** `column -t [-s SEP] [-o OUTSEP]` (util-linux text-utils/column.c): table mode pads columns, two spaces between. */
import type { CommandSpec } from '../../shell/command';
import { getopt, isOptError, lines, readOperand, usageError } from './util';

export const column: CommandSpec = {
  name: 'column',
  summary: 'columnate lists',
  run(args, ctx) {
    const p = getopt(args, { short: 'ts:o:c:xnNR:', long: { table: { key: 't' }, separator: { key: 's', arg: true }, 'output-separator': { key: 'o', arg: true } } });
    if (isOptError(p)) return usageError('column', p, undefined, 1);
    const table = p.opts.some(([k]) => k === 't');
    const sep = p.opts.find(([k]) => k === 's')?.[1];
    const outSep = p.opts.find(([k]) => k === 'o')?.[1] ?? '  ';
    let text = '';
    let err = '';
    for (const f of p.operands.length ? p.operands : ['-']) {
      const r = readOperand(ctx, 'column', f);
      if (r.ok) text += r.content;
      else err += r.error.replace(/^column: (.*): /, 'column: cannot open $1: ');
    }
    const rows = lines(text).filter((l) => l.trim() !== '');
    if (!table) {
      // fill columns across an 80-column terminal, like column's default mode
      const items = rows.flatMap((r) => r.split(/\s+/).filter(Boolean));
      if (!items.length) return { stdout: '', stderr: err, exitCode: err ? 1 : 0 };
      const w = Math.ceil((Math.max(...items.map((x) => x.length)) + 1) / 8) * 8;
      const cols = Math.max(1, Math.floor(80 / w));
      const nrows = Math.ceil(items.length / cols);
      let out = '';
      for (let r = 0; r < nrows; r++) {
        let line = '';
        for (let c = 0; c < cols; c++) {
          const it = items[c * nrows + r];
          if (it === undefined) break;
          const next = items[(c + 1) * nrows + r];
          line += next === undefined ? it : it + '\t'.repeat(Math.ceil((w - it.length) / 8));
        }
        out += line + '\n';
      }
      return { stdout: out, stderr: err, exitCode: err ? 1 : 0 };
    }
    const cells = rows.map((r) => (sep === undefined ? r.trim().split(/\s+/) : r.split(new RegExp(`[${sep.replace(/[\]\\^-]/g, '\\$&')}]+`))));
    const widths: number[] = [];
    for (const row of cells) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
    const out = cells.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c + ' '.repeat(widths[i] - [...c].length))).join(outSep)).join('\n');
    return { stdout: out ? out + '\n' : '', stderr: err, exitCode: err ? 1 : 0 };
  },
};
