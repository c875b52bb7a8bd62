/** `history` (bash builtins/history.def: `%5d  %s`; busybox ash: `%4d %s` from 0). The shell's lines on this host. */
import type { CommandSpec } from '../../shell/command';
import { sameHost } from '../../hosts/hosts';

export const history: CommandSpec = {
  name: 'history',
  summary: 'display the command history',
  run(args, ctx) {
    const busybox = ctx.shell.flavour === 'busybox';
    const all = ctx.shell.history;
    if (args[0] === '-c') {
      const others = all.filter((h) => !sameHost(h.host, ctx.host));
      all.splice(0, all.length, ...others);
      return { stdout: '', stderr: '', exitCode: 0 };
    }
    const mine = all.filter((h) => sameHost(h.host, ctx.host));
    let shown = mine.map((h, i) => ({ n: busybox ? i : i + 1, cmd: h.command }));
    if (args[0] !== undefined) {
      if (!/^\d+$/.test(args[0])) {
        if (args[0].startsWith('-')) return { stdout: '', stderr: `bash: history: ${args[0].slice(0, 2)}: invalid option\nhistory: usage: history [-c] [-d offset] [n] or history -anrw [filename] or history -ps arg [arg...]\n`, exitCode: 2 };
        return { stdout: '', stderr: `bash: history: ${args[0]}: numeric argument required\n`, exitCode: 1 };
      }
      shown = shown.slice(Math.max(0, shown.length - Number(args[0])));
    }
    const out = shown.map((h) => (busybox ? `${String(h.n).padStart(4)} ${h.cmd}` : `${String(h.n).padStart(5)}  ${h.cmd.replace(/\n/g, '\n')}`)).join('\n');
    return { stdout: out ? out + '\n' : '', stderr: '', exitCode: 0 };
  },
};
