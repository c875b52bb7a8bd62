/** `tee [-a] FILE...` (coreutils src/tee.c). */
import type { CommandSpec } from '../../shell/command';
import { getopt, isOptError, pathOf, usageError } from './util';
import { dirname } from '../../hosts/vfs';

export const tee: CommandSpec = {
  name: 'tee',
  summary: 'read from standard input and write to standard output and files',
  run(args, ctx) {
    const p = getopt(args, { short: 'aip', long: { append: { key: 'a' }, 'ignore-interrupts': { key: 'i' } } });
    if (isOptError(p)) return usageError('tee', p, undefined, 1);
    const append = p.opts.some(([k]) => k === 'a');
    const fs = ctx.cluster.fs;
    let err = '';
    for (const f of p.operands) {
      const path = pathOf(ctx, f);
      if (path === '/dev/null') continue;
      if (fs.isDir(ctx.host, path)) {
        err += `tee: ${f}: Is a directory\n`;
        continue;
      }
      if (!fs.isDir(ctx.host, dirname(path))) {
        err += `tee: ${f}: No such file or directory\n`;
        continue;
      }
      if (append) fs.append(ctx.host, path, ctx.stdin);
      else fs.write(ctx.host, path, ctx.stdin);
    }
    return { stdout: ctx.stdin, stderr: err, exitCode: err ? 1 : 0 };
  },
};
