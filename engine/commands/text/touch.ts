/** `touch FILE...` (coreutils src/touch.c): creates empty files, updates times. */
import type { CommandSpec } from '../../shell/command';
import { getopt, isOptError, pathOf, usageError, quoteName } from './util';
import { dirname } from '../../hosts/vfs';
import { isBusyboxApplet, mayWrite } from '../../hosts/hosts';

export const touch: CommandSpec = {
  name: 'touch',
  summary: 'change file timestamps (create empty files)',
  run(args, ctx) {
    const p = getopt(args, { short: 'acmd:r:t:', long: { 'no-create': { key: 'c' }, date: { key: 'd', arg: true }, reference: { key: 'r', arg: true } } });
    if (isOptError(p)) return usageError('touch', p, undefined, 1);
    if (p.operands.length === 0) return { stdout: '', stderr: "touch: missing file operand\nTry 'touch --help' for more information.\n", exitCode: 1 };
    const noCreate = p.opts.some(([k]) => k === 'c');
    const fs = ctx.cluster.fs;
    let err = '';
    let code = 0;
    for (const f of p.operands) {
      const path = pathOf(ctx, f);
      if (fs.isDir(ctx.host, path)) continue;
      const cur = fs.read(ctx.host, path);
      if (cur === undefined && noCreate) continue;
      if (!fs.isDir(ctx.host, dirname(path))) {
        const why = fs.isFile(ctx.host, dirname(path)) ? 'Not a directory' : 'No such file or directory';
        err += `touch: cannot touch ${quoteName(f)}: ${why}\n`;
        code = 1;
        continue;
      }
      // open(O_CREAT) or utimensat on a file the user may not write: EACCES (busybox: bb_simple_perror_msg)
      if (!mayWrite(ctx.cluster, ctx.host, path)) {
        err += isBusyboxApplet(ctx.cluster, ctx.host, 'touch') ? `touch: ${f}: Permission denied\n` : `touch: cannot touch ${quoteName(f)}: Permission denied\n`;
        code = 1;
        continue;
      }
      fs.write(ctx.host, path, cur ?? '');
    }
    return { stdout: '', stderr: err, exitCode: code };
  },
};
