/**
 * `conntrack` (conntrack-tools 1.4.7): -L/-D/-F/-C with -p, -s/--orig-src, -d/--orig-dst,
 * --sport/--dport. Lines as libnetfilter_conntrack's snprintf_default prints them.
 */
import type { CommandSpec } from '../../../shell/command';
import { fail, ok } from '../../../types';
import { kubeProxyOf } from '../../../controllers/kube-proxy';
import type { ConntrackEntry } from '../../../controllers/kube-proxy/conntrack';
import { nodeOf } from './node';

const V = 'conntrack v1.4.7 (conntrack-tools)';
const PNUM: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, sctp: 132 };

export function formatEntry(e: ConntrackEntry, now: number): string {
  const left = Math.max(0, Math.floor(((e.expires ?? now) - now) / 1000));
  // an IPv6 echo is tracked as icmpv6 (58): echo request 128, reply 129 (libnetfilter_conntrack snprintf_default.c)
  const six = e.dst.includes(':');
  const icmp6 = six && e.proto === 'icmp';
  let s = icmp6 ? `icmpv6   58 ${left} ` : `${e.proto.padEnd(8)} ${PNUM[e.proto] ?? 0} ${left} `;
  if (e.state) s += `${e.state} `;
  const ports = (sp: number, dp: number) => (e.proto === 'icmp' ? `type=${icmp6 ? 128 : 8} code=0 id=${sp} ` : `sport=${sp} dport=${dp} `);
  s += `src=${e.src} dst=${e.dst} ${ports(e.sport, e.dport)}`;
  if (e.unreplied) s += '[UNREPLIED] ';
  s += `src=${e.replySrc} dst=${e.replyDst} ${e.proto === 'icmp' ? `type=${icmp6 ? 129 : 0} code=0 id=${e.replyDport} ` : `sport=${e.replySport} dport=${e.replyDport} `}`;
  if (e.assured) s += '[ASSURED] ';
  s += `mark=${e.mark} use=1`;
  return s + '\n';
}

export const conntrackCommand: CommandSpec = {
  name: 'conntrack',
  summary: 'list and manipulate the node\'s connection tracking table',
  run(args, ctx) {
    const node = nodeOf(ctx);
    if (!node) return fail(`${V}: Operation failed: Operation not permitted\n`, 1);
    let cmd: 'L' | 'D' | 'F' | 'C' | undefined;
    const f: { proto?: string; src?: string; dst?: string; sport?: number; dport?: number } = {};
    // -f/--family: the layer-3 family listed; IPv4 unless asked (conntrack(8): "ipv4 (default), ipv6")
    let family: 'ipv4' | 'ipv6' = 'ipv4';
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const val = () => args[++i];
      switch (a) {
        case '-L': case '--dump': cmd = 'L'; break;
        case '-D': case '--delete': cmd = 'D'; break;
        case '-F': case '--flush': cmd = 'F'; break;
        case '-C': case '--count': cmd = 'C'; break;
        case '-p': case '--proto': {
          const v = (val() ?? '').toLowerCase();
          if (!(v in PNUM)) return fail(`${V}: proto \`${v}' not found\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`, 2);
          f.proto = v;
          break;
        }
        case '-s': case '--src': case '--orig-src': f.src = val(); break;
        case '-d': case '--dst': case '--orig-dst': f.dst = val(); break;
        case '--sport': case '--orig-port-src': f.sport = Number(val()); break;
        case '--dport': case '--orig-port-dst': f.dport = Number(val()); break;
        case '-f': case '--family': {
          const v = val() ?? '';
          if (v !== 'ipv4' && v !== 'ipv6') return fail(`${V}: \`${v}' unsupported protocol\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`, 2);
          family = v;
          break;
        }
        case '-n': case '-g': case '-o': if (a === '-o') i++; break;
        case '-V': case '--version': return ok(`${V}\n`);
        default: return fail(`${V}: unknown option \`${a}'\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`, 2);
      }
    }
    if (!cmd) return fail(`${V}: no command specified\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`, 2);
    const kp = kubeProxyOf(ctx.cluster);
    const now = ctx.cluster.clock.now();
    kp.syncBackground(node);
    const ct = kp.conntrack.get(node);
    ct?.expire(now);
    const all = ct?.entries ?? [];
    const entries = all.filter((e) => e.dst.includes(':') === (family === 'ipv6'));
    const match = (e: ConntrackEntry) =>
      (!f.proto || e.proto === f.proto) && (!f.src || e.src === f.src) && (!f.dst || e.dst === f.dst) &&
      (f.sport === undefined || e.sport === f.sport) && (f.dport === undefined || e.dport === f.dport);
    switch (cmd) {
      case 'C': return ok(`${all.length}\n`);
      case 'F':
        if (ct) ct.entries = all.filter((e) => !entries.includes(e));
        return { stdout: '', stderr: `${V}: connection tracking table has been emptied.\n`, exitCode: 0 };
      case 'D': {
        const hit = entries.filter(match);
        if (ct) ct.entries = all.filter((e) => !entries.includes(e) || !match(e));
        const out = hit.map((e) => formatEntry(e, now)).join('');
        if (hit.length === 0) return { stdout: '', stderr: `${V}: 0 flow entries have been deleted.\n`, exitCode: 1 };
        return { stdout: out, stderr: `${V}: ${hit.length} flow entries have been deleted.\n`, exitCode: 0 };
      }
      default: {
        const hit = entries.filter(match);
        return { stdout: hit.map((e) => formatEntry(e, now)).join(''), stderr: `${V}: ${hit.length} flow entries have been shown.\n`, exitCode: 0 };
      }
    }
  },
};
