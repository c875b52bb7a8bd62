/** `mkdir [-p] [-v] DIR...` (coreutils src/mkdir.c). */
import type { CommandSpec } from '../../shell/command';
import { getopt, isOptError, pathOf, usageError, quoteName } from './util';
import { dirname } from '../../hosts/vfs';
import { isBusyboxApplet, mayWrite } from '../../hosts/hosts';

export const mkdir: CommandSpec = {
  name: 'mkdir',
  summary: 'make directories',
  run(args, ctx) {
    const p = getopt(args, { short: 'pvm:', long: { parents: { key: 'p' }, verbose: { key: 'v' }, mode: { key: 'm', arg: true } } });
    if (isOptError(p)) return usageError('mkdir', p, undefined, 1);
    if (p.operands.length === 0) return { stdout: '', stderr: "mkdir: missing operand\nTry 'mkdir --help' for more information.\n", exitCode: 1 };
    const parents = p.opts.some(([k]) => k === 'p');
    const verbose = p.opts.some(([k]) => k === 'v');
    const fs = ctx.cluster.fs;
    let out = '';
    let err = '';
    let code = 0;
    for (const d of p.operands) {
      const path = pathOf(ctx, d);
      if (fs.exists(ctx.host, path)) {
        if (parents && fs.isDir(ctx.host, path)) continue;
        err += `mkdir: cannot create directory ${quoteName(d)}: File exists\n`;
        code = 1;
        continue;
      }
      if (!parents && !fs.isDir(ctx.host, dirname(path))) {
        const why = fs.isFile(ctx.host, dirname(path)) ? 'Not a directory' : 'No such file or directory';
        err += `mkdir: cannot create directory ${quoteName(d)}: ${why}\n`;
        code = 1;
        continue;
      }
      // mkdir(2) where the user may not write: EACCES (busybox make_directory: "can't create directory '%s'")
      // with -p the first directory it must make is the one refused
      let first = path;
      if (parents) while (!fs.exists(ctx.host, dirname(first)) && dirname(first) !== first) first = dirname(first);
      if (!mayWrite(ctx.cluster, ctx.host, first)) {
        const shown = first === path ? d : d.startsWith('/') ? first : first.slice(ctx.cwd === '/' ? 1 : ctx.cwd.length + 1);
        err += isBusyboxApplet(ctx.cluster, ctx.host, 'mkdir') ? `mkdir: can't create directory '${shown}': Permission denied\n` : `mkdir: cannot create directory ${quoteName(shown)}: Permission denied\n`;
        code = 1;
        continue;
      }
      if (parents) {
        // report each directory -p creates, as GNU does with -v
        const chain: string[] = [];
        for (let x = path; !fs.exists(ctx.host, x); x = dirname(x)) chain.unshift(x);
        if (!fs.mkdir(ctx.host, path, true)) {
          err += `mkdir: cannot create directory ${quoteName(d)}: Not a directory\n`;
          code = 1;
          continue;
        }
        if (verbose) for (const c of chain) out += `mkdir: created directory ${quoteName(d.startsWith('/') ? c : c.slice(ctx.cwd === '/' ? 1 : ctx.cwd.length + 1))}\n`;
      } else {
        fs.mkdir(ctx.host, path, false);
        if (verbose) out += `mkdir: created directory ${quoteName(d)}\n`;
      }
    }
    return { stdout: out, stderr: err, exitCode: code };
  },
};
