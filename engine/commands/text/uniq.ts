/** `uniq [-c] [-d] [-u] [-i] [INPUT [OUTPUT]]` (coreutils src/uniq.c): `%7d ` counts. */
import type { CommandSpec } from '../../shell/command';
import { getopt, isOptError, pathOf, readOperand, usageError } from './util';

export const uniq: CommandSpec = {
  name: 'uniq',
  summary: 'report or omit repeated lines',
  run(args, ctx) {
    const p = getopt(args, { short: 'cdDuif:s:w:', long: { count: { key: 'c' }, repeated: { key: 'd' }, unique: { key: 'u' }, 'ignore-case': { key: 'i' }, 'skip-fields': { key: 'f', arg: true }, 'skip-chars': { key: 's', arg: true }, 'check-chars': { key: 'w', arg: true } } });
    if (isOptError(p)) return usageError('uniq', p, undefined, 1);
    if (p.operands.length > 2) return { stdout: '', stderr: `uniq: extra operand '${p.operands[2]}'\nTry 'uniq --help' for more information.\n`, exitCode: 1 };
    const o = new Map(p.opts);
    const r = readOperand(ctx, 'uniq', p.operands[0] ?? '-');
    if (!r.ok) return { stdout: '', stderr: r.error, exitCode: 1 };
    const skipF = Number(o.get('f') ?? 0), skipC = Number(o.get('s') ?? 0);
    const check = o.has('w') ? Number(o.get('w')) : Infinity;
    const key = (l: string) => {
      let s = l;
      for (let i = 0; i < skipF; i++) s = s.replace(/^\s*\S+/, '');
      s = s.slice(skipC).slice(0, check);
      return o.has('i') ? s.toLowerCase() : s;
    };
    const parts = r.content.split('\n');
    if (parts[parts.length - 1] === '') parts.pop();
    const groups: { line: string; n: number; all: string[] }[] = [];
    for (const l of parts) {
      const g = groups[groups.length - 1];
      if (g && key(g.line) === key(l)) {
        g.n++;
        g.all.push(l);
      } else groups.push({ line: l, n: 1, all: [l] });
    }
    let out = '';
    for (const g of groups) {
      if (o.has('d') && g.n < 2) continue;
      if (o.has('D') && g.n < 2) continue;
      if (o.has('u') && g.n > 1) continue;
      if (o.has('D')) {
        for (const l of g.all) out += l + '\n';
        continue;
      }
      out += (o.has('c') ? `${String(g.n).padStart(7)} ` : '') + g.line + '\n';
    }
    if (p.operands[1] !== undefined) {
      ctx.cluster.fs.write(ctx.host, pathOf(ctx, p.operands[1]), out);
      return { stdout: '', stderr: '', exitCode: 0 };
    }
    return { stdout: out, stderr: '', exitCode: 0 };
  },
};
