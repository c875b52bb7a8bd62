/** `rm [-f] [-r] [-v] FILE...` (coreutils src/rm.c). Derived system files cannot be removed. */
import type { CommandSpec } from '../../shell/command';
import { getopt, isOptError, pathOf, usageError, quoteName } from './util';

export const rm: CommandSpec = {
  name: 'rm',
  summary: 'remove files or directories',
  run(args, ctx) {
    const p = getopt(args, {
      short: 'fiIrRdv',
      long: { force: { key: 'f' }, recursive: { key: 'r' }, dir: { key: 'd' }, verbose: { key: 'v' }, 'no-preserve-root': { key: 'N' }, interactive: { key: 'i', arg: 'optional' } },
    });
    if (isOptError(p)) return usageError('rm', p, undefined, 1);
    const has = (k: string) => p.opts.some(([x]) => x === k);
    const force = has('f');
    const recursive = has('r') || has('R');
    const verbose = has('v');
    if (p.operands.length === 0) {
      if (force) return { stdout: '', stderr: '', exitCode: 0 };
      return { stdout: '', stderr: "rm: missing operand\nTry 'rm --help' for more information.\n", exitCode: 1 };
    }
    const fs = ctx.cluster.fs;
    let out = '';
    let err = '';
    let code = 0;
    for (const f of p.operands) {
      const path = pathOf(ctx, f);
      if (/(^|\/)\.\.?\/?$/.test(f)) {
        err += `rm: refusing to remove '.' or '..' directory: skipping ${quoteName(f)}\n`;
        code = 1;
        continue;
      }
      if (path === '/' && recursive) {
        err += "rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n";
        code = 1;
        continue;
      }
      const info = fs.stat(ctx.host, path);
      if (!info) {
        if (!force) {
          err += `rm: cannot remove ${quoteName(f)}: No such file or directory\n`;
          code = 1;
        }
        continue;
      }
      if (info.type === 'dir' && !recursive) {
        if (has('d') && (fs.list(ctx.host, path)?.length ?? 0) === 0 && fs.remove(ctx.host, path)) {
          if (verbose) out += `removed directory ${quoteName(f)}\n`;
          continue;
        }
        err += has('d') ? `rm: cannot remove ${quoteName(f)}: Directory not empty\n` : `rm: cannot remove ${quoteName(f)}: Is a directory\n`;
        code = 1;
        continue;
      }
      if (!fs.remove(ctx.host, path, recursive)) {
        err += `rm: cannot remove ${quoteName(f)}: ${info.type === 'dir' ? 'Device or resource busy' : 'Read-only file system'}\n`;
        code = 1;
        continue;
      }
      if (verbose) out += info.type === 'dir' ? `removed directory ${quoteName(f)}\n` : `removed ${quoteName(f)}\n`;
    }
    return { stdout: out, stderr: err, exitCode: code };
  },
};
