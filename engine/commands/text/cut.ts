/** `cut -f LIST [-d DELIM] [-s] | -c LIST | -b LIST` (coreutils src/cut.c). */
import type { CommandSpec } from '../../shell/command';
import { getopt, isOptError, readOperand, usageError } from './util';

type Range = [number, number];

function parseList(list: string, what: string): Range[] | string {
  const out: Range[] = [];
  for (const part of list.split(/[,\s]/)) {
    if (part === '') return `cut: invalid ${what} list\n`;
    const m = /^(\d*)(-?)(\d*)$/.exec(part);
    if (!m || (m[1] === '' && m[3] === '' )) {
      if (part === '-') return "cut: invalid range with no endpoint: -\n";
      return `cut: invalid ${what} value '${part}'\n`;
    }
    const a = m[1] === '' ? 1 : Number(m[1]);
    const b = m[2] ? (m[3] === '' ? Infinity : Number(m[3])) : a;
    if (a === 0 || b === 0) return `cut: ${what === 'field' ? 'fields' : what === 'byte/character' ? 'byte/character positions' : 'fields'} are numbered from 1\n`;
    if (b < a) return 'cut: invalid decreasing range\n';
    out.push([a, b]);
  }
  return out;
}

export const cut: CommandSpec = {
  name: 'cut',
  summary: 'remove sections from each line of files',
  run(args, ctx) {
    const p = getopt(args, { short: 'b:c:d:f:nsz', long: { bytes: { key: 'b', arg: true }, characters: { key: 'c', arg: true }, delimiter: { key: 'd', arg: true }, fields: { key: 'f', arg: true }, 'only-delimited': { key: 's' }, complement: { key: 'C' }, 'output-delimiter': { key: 'O', arg: true } } });
    if (isOptError(p)) return usageError('cut', p, 'cut OPTION... [FILE]...', 1);
    const o = new Map(p.opts);
    const modes = ['b', 'c', 'f'].filter((k) => o.has(k));
    const fail = (m: string) => ({ stdout: '', stderr: m + "Try 'cut --help' for more information.\n", exitCode: 1 });
    if (modes.length === 0) return fail('cut: you must specify a list of bytes, characters, or fields\n');
    if (modes.length > 1) return fail('cut: only one list may be specified\n');
    const mode = modes[0];
    const delim = o.get('d') ?? '\t';
    if ([...delim].length !== 1) return fail('cut: the delimiter must be a single character\n');
    if (o.has('d') && mode !== 'f') return fail('cut: an input delimiter may be specified only when operating on fields\n');
    const ranges = parseList(o.get(mode)!, mode === 'f' ? 'field' : 'byte/character');
    if (typeof ranges === 'string') return fail(ranges);
    const complement = o.has('C');
    const outDelim = o.get('O') ?? delim;
    const sel = (i: number) => ranges.some(([a, b]) => i >= a && i <= b) !== complement;
    let out = '';
    let err = '';
    for (const f of p.operands.length ? p.operands : ['-']) {
      const r = readOperand(ctx, 'cut', f);
      if (!r.ok) {
        err += r.error;
        continue;
      }
      const parts = r.content.split('\n');
      if (parts[parts.length - 1] === '') parts.pop();
      for (const line of parts) {
        if (mode === 'f') {
          if (!line.includes(delim)) {
            if (!o.has('s')) out += line + '\n';
            continue;
          }
          const fields = line.split(delim);
          out += fields.filter((_, i) => sel(i + 1)).join(outDelim) + '\n';
        } else {
          const chars = [...line];
          out += chars.filter((_, i) => sel(i + 1)).join('') + '\n';
        }
      }
    }
    return { stdout: out, stderr: err, exitCode: err ? 1 : 0 };
  },
};
