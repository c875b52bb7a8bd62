/** `ssh [user@]NODE [COMMAND]`: a shell on a node (by Node name or address), or one command there. */
import type { CommandSpec } from '../../shell/command';
import { hostTools, nodeNames } from '../../hosts/hosts';
import { shellQuote } from '../../shell/shell';
import { getopt, isOptError } from './util';
import { unmodelledCommand } from '../net/catalog/unmodelled';

// OpenSSH 9's usage text (ssh.c usage()).
const USAGE = `usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]
           [-c cipher_spec] [-D [bind_address:]port] [-E log_file]
           [-e escape_char] [-F configfile] [-I pkcs11] [-i identity_file]
           [-J destination] [-L address] [-l login_name] [-m mac_spec]
           [-O ctl_cmd] [-o option] [-P tag] [-p port] [-R address]
           [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]
           destination [command [argument ...]]
`;

/** Programs whose output ssh streams back as they run (the rest run to their end on the node). */
const STREAMERS = new Set(['tcpdump', 'ping', 'conntrack']);

/**
 * The words of a command line that is one simple command whose words need only quote removal
 * (single quotes, double quotes with their backslash escapes, backslashes): undefined where
 * bash would expand something ($, `, globs, braces, ~), or the line has operators or redirections.
 */
export function simpleWords(line: string): string[] | undefined {
  const words: string[] = [];
  let cur: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\n') {
      if (cur !== undefined) words.push(cur);
      cur = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return undefined;
      cur = (cur ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let text = '';
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '$' || line[j] === '`') return undefined;
        if (line[j] === '\\' && j + 1 < line.length && '$`"\\\n'.includes(line[j + 1])) text += line[++j];
        else text += line[j];
      }
      if (j >= line.length) return undefined;
      cur = (cur ?? '') + text;
      i = j;
    } else if (c === '\\') {
      if (i + 1 >= line.length) return undefined;
      cur = (cur ?? '') + line[++i];
    } else if (';&|<>()$`*?[{}'.includes(c) || ((c === '~' || c === '#') && cur === undefined)) return undefined;
    else cur = (cur ?? '') + c;
  }
  if (cur !== undefined) words.push(cur);
  // an assignment before the command is the remote shell's business
  return words.length && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]) ? words : undefined;
}

export const ssh: CommandSpec = {
  name: 'ssh',
  summary: 'OpenSSH remote login client (to the cluster\'s nodes)',
  run(args, ctx) {
    // a container's OpenSSH client (netshoot's) has no key the nodes trust: not modelled
    if (ctx.host.kind === 'pod') return unmodelledCommand('ssh').run(args, ctx);
    const p = getopt(args, { short: '46AaCfGgKkMNnqsTtVvXxYyB:b:c:D:E:e:F:I:i:J:L:l:m:O:o:P:p:R:S:W:w:', stopAtOperand: true });
    if (isOptError(p)) {
      const first = p.error === 'missing' ? `ssh: option requires an argument -- ${p.opt}\n` : `ssh: illegal option -- ${p.opt}\n`;
      return { stdout: '', stderr: first + USAGE, exitCode: 255 };
    }
    if (p.operands.length === 0) return { stdout: '', stderr: USAGE, exitCode: 255 };
    let dest = p.operands[0];
    if (dest.startsWith('ssh://')) dest = dest.slice(6);
    const at = dest.lastIndexOf('@');
    const target = at >= 0 ? dest.slice(at + 1) : dest;
    const cluster = ctx.cluster;
    let node = nodeNames(cluster).find((n) => n === target);
    if (!node) {
      for (const n of cluster.store.list('Node')) {
        const addrs = (n.status?.addresses ?? []) as { address: string }[];
        if (addrs.some((a) => a.address === target)) node = n.metadata.name;
      }
      node ??= cluster.settings.nodes.find((n) => n.ip === target)?.name;
    }
    if (!node) return { stdout: '', stderr: `ssh: Could not resolve hostname ${target}: Name or service not known\n`, exitCode: 255 };
    const host = { kind: 'node' as const, node };
    const command = p.operands.slice(1);
    if (command.length) {
      const line = command.length === 1 ? command[0] : command.map(shellQuote).join(' ');
      // A program that streams (a capture, a ping) with plain words: its output streams back
      // through ssh, so `ssh node-2 tcpdump -nn -i any port 80 &` is a job of this terminal.
      // The remote shell's words: quotes removed as bash would, for one simple command without
      // expansions, operators or redirections (`ssh node-1 "tcpdump -i any 'port 80'" &`).
      const words = simpleWords(line);
      const spec = words && STREAMERS.has(words[0]) ? ctx.commands.find(words[0]) : undefined;
      if (words && spec && hostTools(cluster, host).has(words[0])) return spec.run(words.slice(1), { ...ctx, host, name: words[0], cwd: '/root', env: {}, interactive: false, ttys: undefined });
      return ctx.shell.runIn(host, line, { stdin: ctx.stdin });
    }
    ctx.shell.enter(host, { via: 'ssh' });
    return { stdout: '', stderr: '', exitCode: 0 };
  },
  complete(args, ctx) {
    if (args.length !== 1) return [];
    return nodeNames(ctx.cluster);
  },
};
