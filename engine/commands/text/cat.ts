/** `cat [-nbsEAT] [FILE]...` (coreutils src/cat.c). */
import type { CommandSpec } from '../../shell/command';
import { getopt, isOptError, readOperand, usageError } from './util';
import { completeFiles } from '../../shell/completion';

export const cat: CommandSpec = {
  name: 'cat',
  summary: 'concatenate files and print on the standard output',
  run(args, ctx) {
    const p = getopt(args, {
      short: 'AbeEnstTuv',
      long: { 'show-all': { key: 'A' }, 'number-nonblank': { key: 'b' }, 'show-ends': { key: 'E' }, number: { key: 'n' }, 'squeeze-blank': { key: 's' }, 'show-tabs': { key: 'T' }, 'show-nonprinting': { key: 'v' } },
    });
    if (isOptError(p)) return usageError('cat', p, 'cat [OPTION]... [FILE]...', 1);
    const o = new Set(p.opts.map(([k]) => k));
    const showEnds = o.has('E') || o.has('A') || o.has('e');
    const showTabs = o.has('T') || o.has('A') || o.has('t');
    const numberNonblank = o.has('b');
    const number = o.has('n') || numberNonblank;
    const squeeze = o.has('s');
    const files = p.operands.length ? p.operands : ['-'];
    let out = '';
    let err = '';
    let lineNo = 0;
    let prevBlank = false;
    for (const f of files) {
      const r = readOperand(ctx, 'cat', f);
      if (!r.ok) {
        err += r.error;
        continue;
      }
      if (!number && !showEnds && !showTabs && !squeeze) {
        out += r.content;
        continue;
      }
      const parts = r.content.split('\n');
      const endsNl = r.content.endsWith('\n');
      if (endsNl) parts.pop();
      parts.forEach((line, idx) => {
        const blank = line === '';
        if (squeeze && blank && prevBlank) return;
        prevBlank = blank;
        let l = showTabs ? line.replace(/\t/g, '^I') : line;
        if (number && !(numberNonblank && blank)) l = `${String(++lineNo).padStart(6)}\t${l}`;
        const last = idx === parts.length - 1 && !endsNl;
        out += l + (last ? '' : (showEnds ? '$' : '') + '\n');
      });
    }
    return { stdout: out, stderr: err, exitCode: err ? 1 : 0 };
  },
  complete(args, ctx) {
    return completeFiles(ctx.cluster.fs, ctx.shell.frame, args[args.length - 1] ?? '');
  },
};
