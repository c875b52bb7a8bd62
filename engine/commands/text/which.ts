/** `which` and `type`: where a command lives on this host (or that it is a shell builtin). */
import type { CommandContext, CommandSpec } from '../../shell/command';
import { hostFlavour, hostTools } from '../../hosts/hosts';

/** Builtins of bash (and busybox ash) among our commands. */
export const SHELL_BUILTINS = new Set([':', 'jobs', 'wait', 'alias', 'unalias', 'cd', 'echo', 'exit', 'export', 'false', 'help', 'history', 'printf', 'pwd', 'read', 'test', '[', 'true', 'type', 'unset']);

/** The path a tool is installed at on this host. */
export function toolPath(ctx: CommandContext, name: string): string | undefined {
  if (!hostTools(ctx.cluster, ctx.host).has(name) || !ctx.commands.find(name)) return undefined;
  if (ctx.host.kind === 'workstation' && ['kubectl', 'helm', 'answer'].includes(name)) return `/usr/local/bin/${name}`;
  if (hostFlavour(ctx.cluster, ctx.host) === 'busybox' && ctx.host.kind === 'pod') return name === 'curl' ? '/usr/bin/curl' : `/bin/${name}`;
  const sbin = ['ip', 'bridge', 'iptables', 'iptables-save', 'ip6tables', 'ip6tables-save', 'ipvsadm', 'ipset', 'conntrack', 'nft', 'ss', 'tcpdump', 'ethtool', 'ifconfig', 'route', 'arp'];
  return sbin.includes(name) ? `/usr/sbin/${name}` : `/usr/bin/${name}`;
}

export const which: CommandSpec = {
  name: 'which',
  summary: 'locate a command',
  run(args, ctx) {
    let out = '';
    let code = 0;
    const names = args.filter((a) => !a.startsWith('-'));
    if (names.length === 0) return { stdout: '', stderr: '', exitCode: 1 };
    for (const n of names) {
      const p = toolPath(ctx, n);
      if (p && !(SHELL_BUILTINS.has(n) && ['cd', 'exit', 'export', 'unset', 'history', 'help', 'type'].includes(n))) out += p + '\n';
      else code = 1;
    }
    return { stdout: out, stderr: '', exitCode: code };
  },
};

export const type: CommandSpec = {
  name: 'type',
  summary: 'display information about command type',
  run(args, ctx) {
    const busybox = ctx.shell.flavour === 'busybox';
    let out = '';
    let err = '';
    let code = 0;
    for (const n of args.filter((a) => !a.startsWith('-'))) {
      if (['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'in', '{', '}', '!', 'case', 'esac'].includes(n)) {
        out += `${n} is a shell keyword\n`;
        continue;
      }
      const aliasOf = ctx.shell.frame.aliases?.[n];
      if (aliasOf !== undefined) {
        out += busybox ? `${n} is an alias for ${aliasOf}\n` : `${n} is aliased to \`${aliasOf}'\n`;
        continue;
      }
      if (ctx.shell.frame.functions?.[n]) {
        out += `${n} is a function\n`;
        continue;
      }
      if (SHELL_BUILTINS.has(n) || ['exit', 'set', 'source', '.', 'return', 'local', 'break', 'continue'].includes(n)) {
        out += busybox ? `${n} is a shell builtin\n` : `${n} is a shell builtin\n`;
        continue;
      }
      const p = toolPath(ctx, n);
      if (p) out += `${n} is ${p}\n`;
      else {
        err += busybox ? '' : `bash: type: ${n}: not found\n`;
        if (busybox) out += `${n}: not found\n`;
        code = 1;
      }
    }
    return { stdout: out, stderr: err, exitCode: code };
  },
};
