/**
 * chroot: run a command, or an interactive shell, with another directory as `/`. What the
 * simulation can give a new root is a node's whole filesystem mounted in a Pod: the `/host`
 * hostPath volume `kubectl debug node/NAME` mounts (kubernetes.io "Debugging Kubernetes
 * Nodes With Kubectl": `chroot /host` is the next step), so `chroot /host` is the node's
 * own shell and tools, in the node's network namespace (the debugger Pod is hostNetwork).
 * `chroot /` is the same root.
 *
 * Without a command, busybox's chroot runs `$SHELL -i` or `/bin/sh -i` (coreutils/chroot.c),
 * on a node dash (Ubuntu's /bin/sh, prompt `# `, `exit` silent),
 * GNU chroot `${SHELL:-/bin/sh} -i`; errors as each prints them: busybox xchroot's
 * "can't change root directory to 'DIR'" (exit 1), GNU's "cannot change root directory to
 * 'DIR'" (EXIT_CANCELED, 125), and a root without the program: "failed to run command"
 * (GNU, 127) / busybox's BB_EXECVP_or_die "can't execute" (127).
 */
import type { CommandContext, CommandSpec } from '../../shell/command';
import type { HostRef, RunResult } from '../../types';
import { isBusyboxApplet } from '../../hosts/hosts';
import { normalizePath, resolvePath, homeOf } from '../../hosts/vfs';

function newRoot(ctx: CommandContext, dir: string): HostRef | undefined {
  const p = normalizePath(resolvePath(ctx.cwd, dir, homeOf(ctx.host)));
  if (p === '/') return ctx.host;
  const m = ctx.cluster.fs.mounts(ctx.host).find((x) => x.at === p && normalizePath(x.path) === '/');
  return m?.host;
}

function quote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

export const chrootCommand: CommandSpec = {
  name: 'chroot',
  summary: 'run command or interactive shell with special root directory',
  run(args: string[], ctx: CommandContext): RunResult {
    const bb = isBusyboxApplet(ctx.cluster, ctx.host, 'chroot');
    const words = args[0] === '--' ? args.slice(1) : args;
    if (words.length === 0) {
      return bb
        ? { stdout: '', stderr: 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: chroot NEWROOT [PROG ARGS]\n\nRun PROG with root directory set to NEWROOT\n', exitCode: 1 }
        : { stdout: '', stderr: "chroot: missing operand\nTry 'chroot --help' for more information.\n", exitCode: 125 };
    }
    const [dir, ...cmd] = words;
    const fs = ctx.cluster.fs;
    const path = resolvePath(ctx.cwd, dir, homeOf(ctx.host));
    if (!fs.isDir(ctx.host, path)) {
      const why = fs.exists(ctx.host, path) ? 'Not a directory' : 'No such file or directory';
      return bb ? { stdout: '', stderr: `chroot: can't change root directory to '${dir}': ${why}\n`, exitCode: 1 } : { stdout: '', stderr: `chroot: cannot change root directory to '${dir}': ${why}\n`, exitCode: 125 };
    }
    const root = newRoot(ctx, dir);
    const program = cmd[0] ?? '/bin/sh';
    // a directory that is no mounted root holds no programs the simulation could run
    const runs = root && (program.includes('/') ? fs.binaryAt(root, program)?.program !== undefined : true);
    if (!root || !runs) {
      return bb ? { stdout: '', stderr: `chroot: can't execute '${program}': No such file or directory\n`, exitCode: 127 } : { stdout: '', stderr: `chroot: failed to run command '${program}': No such file or directory\n`, exitCode: 127 };
    }
    if (cmd.length === 0) {
      // `$SHELL -i`, else `/bin/sh -i`: on the node (Ubuntu 22.04) /bin/sh is dash, whose prompt
      // for root is its built-in `# ` (dash var.c: ps1 "$ " or, for uid 0, "# "); a $SHELL of bash
      // reads /root/.bashrc's `\u@\h:\w\$ `
      const shell = (ctx.env.SHELL ?? '/bin/sh').split('/').pop() || 'sh';
      ctx.shell.enter(root, { via: 'shell', cwd: '/', shell: root.kind === 'node' && shell === 'sh' ? 'dash' : shell });
      return { stdout: '', stderr: '', exitCode: 0 };
    }
    return ctx.shell.runIn(root, cmd.map(quote).join(' '));
  },
};
