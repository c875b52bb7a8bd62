/** `cd` (bash builtins/cd.def; busybox ash's cdcmd): changes the running shell's directory. */
import type { CommandSpec } from '../../shell/command';
import { homeOf, resolvePath } from '../../hosts/vfs';
import { completeFiles } from '../../shell/completion';

export const cd: CommandSpec = {
  name: 'cd',
  summary: 'change the shell working directory',
  run(args, ctx) {
    const busybox = ctx.shell.flavour === 'busybox';
    const shell = ctx.shell;
    const frame = shell.frame;
    const operands = args[0] === '--' ? args.slice(1) : args.filter((a, i) => !(i === 0 && (a === '-L' || a === '-P')));
    if (operands.length > 1 && !busybox) return { stdout: '', stderr: 'bash: cd: too many arguments\n', exitCode: 1 };
    let target = operands[0];
    let print = false;
    if (target === undefined || target === '') {
      if (target === '' ) return { stdout: '', stderr: '', exitCode: 0 };
      target = frame.vars.HOME ?? homeOf(ctx.host);
    } else if (target === '-') {
      if (!frame.oldpwd) return { stdout: '', stderr: busybox ? '' : 'bash: cd: OLDPWD not set\n', exitCode: busybox ? 0 : 1 };
      target = frame.oldpwd;
      print = true;
    }
    const path = resolvePath(ctx.cwd, target, frame.vars.HOME ?? homeOf(ctx.host));
    const fs = ctx.cluster.fs;
    if (!fs.isDir(ctx.host, path)) {
      const why = fs.isFile(ctx.host, path) ? 'Not a directory' : 'No such file or directory';
      return busybox
        ? { stdout: '', stderr: `sh: cd: can't cd to ${target}: ${why}\n`, exitCode: 2 }
        : { stdout: '', stderr: `bash: cd: ${target}: ${why}\n`, exitCode: 1 };
    }
    shell.setCwd(path);
    return { stdout: print ? path + '\n' : '', stderr: '', exitCode: 0 };
  },
  complete(args, ctx) {
    const frame = ctx.shell.frame;
    return completeFiles(ctx.cluster.fs, frame, args[args.length - 1] ?? '').filter((x) => x.endsWith('/'));
  },
};
