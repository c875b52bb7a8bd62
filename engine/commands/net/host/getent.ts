/**
 * getent hosts: the C library's host lookup (files, then DNS with the search list) as the
 * image's getent prints it. glibc's (nodes, Debian images; nss/getent.c print_hosts):
 * "%-15s %s" address and h_name, then " alias" each, one line per address. Alpine's (netshoot;
 * musl-utils' getent, NetBSD's hostsprint): "%-16s  %s" for the first address only, then
 * "  " and the aliases — musl's gethostbyname puts the canonical name and the name asked
 * in h_aliases, so `getent hosts web` repeats the name. A key not found exits 2. The answer
 * is the resolver's (controllers/dns lookup): a running tcpdump sees its questions.
 */
import type { RunResult } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { lookup, newContext } from '../../../controllers/dns';
import { isDottedQuad } from '../../../cluster/ipv4';
import { hostProfile } from '../../../hosts/hosts';
import { noteDns } from '../tcpdump/capture';

export const getentCommand: CommandSpec = {
  name: 'getent',
  summary: 'get entries from Name Service Switch libraries',
  run(args: string[], ctx: CommandContext): RunResult {
    const musl = hostProfile(ctx.cluster, ctx.host)?.family === 'netshoot';
    const [db, ...keys] = args.filter((a) => !a.startsWith('-'));
    if (!db) return { stdout: '', stderr: musl ? 'Usage: getent [ -s sources ] database [ key ... ]\n' : 'Usage: getent [OPTION...] database [key ...]\nTry `getent --help\' or `getent --usage\' for more information.\n', exitCode: 1 };
    if (db !== 'hosts' && db !== 'ahosts' && db !== 'ahostsv4') {
      const known = ['passwd', 'group', 'services', 'protocols', 'networks', 'shadow', 'ethers', 'netgroup', 'rpc', 'initgroups', 'aliases', 'gshadow', 'ahostsv6'];
      if (known.includes(db)) return { stdout: '', stderr: `netlab: getent ${db} is not simulated here\n`, exitCode: 1 };
      return { stdout: '', stderr: musl ? `getent: Unknown database: ${db}\n` : `Unknown database: ${db}\nTry \`getent --help' or \`getent --usage' for more information.\n`, exitCode: 1 };
    }
    if (keys.length === 0) return { stdout: '', stderr: `netlab: getent ${db} without a key (enumerating the database) is not simulated here\n`, exitCode: 1 };
    let out = '';
    let code = 0;
    const cx = newContext(['getent', ...args].join(' '));
    for (const key of keys) {
      if (isDottedQuad(key)) {
        // a reverse lookup: the address and its PTR name, or nothing
        const l = lookup(ctx.cluster, ctx.host, key, { type: 'PTR', resolver: 'bind', context: cx });
        noteDns(ctx.cluster, ctx.host, l.queries);
        const ptr = l.answered?.exchange.message?.answer.find((r) => r.type === 'PTR')?.data.replace(/\.$/, '');
        if (!ptr) {
          code = 2;
          continue;
        }
        out += musl ? `${key.padEnd(16)}  ${ptr}\n` : `${key.padEnd(15)} ${ptr}\n`;
        continue;
      }
      const l = lookup(ctx.cluster, ctx.host, key, { context: cx });
      noteDns(ctx.cluster, ctx.host, l.queries);
      const addrs = l.fromHosts ?? l.answered?.exchange.message?.answer.filter((r) => r.type === 'A').map((r) => r.data) ?? [];
      if (!addrs.length) {
        code = 2;
        continue;
      }
      const canon = l.fromHosts ? key : l.answered!.name.replace(/\.$/, '');
      if (db !== 'hosts') {
        // ahosts: getaddrinfo's list, each address three times (STREAM, DGRAM, RAW), the canonical name on the first
        addrs.forEach((a, i) => {
          out += `${a.padEnd(15)} STREAM${i === 0 ? ' ' + canon : ''}\n${a.padEnd(15)} DGRAM  \n${a.padEnd(15)} RAW    \n`;
        });
        continue;
      }
      if (musl) out += `${addrs[0].padEnd(16)}  ${canon}  ${canon === key ? canon : `${canon} ${key}`}\n`;
      else for (const a of addrs) out += `${a.padEnd(15)} ${canon}\n`;
    }
    return { stdout: out, stderr: '', exitCode: code };
  },
};
