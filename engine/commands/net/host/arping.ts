/**
 * arping — ARP requests from a Pod's interface, answered from the simulated L2 as the CNI
 * wired it:
 *  - a bridge CNI (Flannel's cni0, Weave's weave): the bridge's own address answers with the
 *    bridge's MAC, a Pod on the same bridge with its eth0's MAC (the MACs `ip link` and
 *    `ip neigh` print); nothing else is on the segment, so any other address gets no reply;
 *  - a routed veth with proxy_arp on its host end (Calico's cali*, Felix sets proxy_arp=1):
 *    the node answers, with the veth's ee:ee:ee:ee:ee:ee, every address it routes out of
 *    another interface (169.254.1.1, the gateway no one owns, is the point), and its own;
 *    DAD probes (sender 0.0.0.0) only for its own (net/ipv4/arp.c arp_process);
 *  - other routed CNIs: only the gateway the Pod's neighbour table resolves;
 *  - a hostNetwork Pod (the node's eth0): the other nodes on the segment, with their eth0 MACs.
 * Before the first request both tools connect a UDP socket to the target with SO_DONTROUTE:
 * an address no link-scope route covers fails there with "connect: Network is unreachable".
 *
 * Two builds: busybox 1.36's applet (networking/arping.c: default device eth0, "%scast
 * re%s from %s [%02x:…]" and " %u.%03ums", finish's "Sent %u probe(s) (%u broadcast(s))" /
 * "Received %u response(s) (%u request(s), %u broadcast(s))", exit !received, with -D
 * !!received, with -U/-A 0; catcher sends a probe each second, -c N sends N and ends a second
 * after the last, -w T ends after T+1) and iputils 20240117's (netshoot: arping.c — the
 * device from the route to the target, MACs in capitals, "]  %ld.%03ldms" with its usecs
 * arithmetic that adds half a millisecond, "Sent %d probes (%d broadcast(s))", "Received %d
 * response(s)" with the request and broadcast counts only when not zero; exit 2 on usage).
 * Without -c or -w it runs until interrupted, one probe a second.
 */
import type { CommandOutcome, RunResult, Streaming } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { hostNamespace, nodeNamespace, podInterface } from '../../../controllers/cni';
import { hostPod, isBusyboxApplet } from '../../../hosts/hosts';
import { cidrContains, formatIPv4 } from '../../../cluster/ipv4';
import { lookupRoute, type NetNamespace } from '../../../dataplane/netns';
import { resolveName } from '../../../dataplane/walk';
import type { ClusterRuntime } from '../../../controllers/runtime';
import type { HostRef } from '../../../types';
import { sysctlTree } from './sysctl';
import { bbUsage, inetAton } from './busybox';

const BB_USAGE = bbUsage(
  'arping',
  '[-fqbDUA] [-c CNT] [-w TIMEOUT] [-I IFACE] [-s SRC_IP] DST_IP',
  'Send ARP requests/replies\n\n\t-f\t\tQuit on first ARP reply\n\t-q\t\tQuiet\n\t-b\t\tKeep broadcasting, don\'t go unicast\n\t-D\t\tExit with 1 if DST_IP replies\n\t-U\t\tUnsolicited ARP mode, update your neighbors\n\t-A\t\tARP answer mode, update your neighbors\n\t-c N\t\tStop after sending N ARP requests\n\t-w TIMEOUT\tSeconds to wait for ARP reply\n\t-I IFACE\tInterface to use (default eth0)\n\t-s SRC_IP\tSender IP address\n\tDST_IP\t\tTarget IP address',
);

const IPUTILS_USAGE = `
Usage:
  arping [options] <destination>

Options:
  -f            quit on first reply
  -q            be quiet
  -b            keep on broadcasting, do not unicast
  -D            duplicate address detection mode
  -U            unsolicited ARP mode, update your neighbours
  -A            ARP answer mode, update your neighbours
  -V            print version and exit
  -c <count>    how many packets to send
  -w <timeout>  how long to wait for a reply
  -i <interval> set interval between packets (default: 1 second)
  -I <device>   which ethernet device to use
  -s <source>   source IP address
  <destination> DNS name or IP address

For more details see arping(8).
`;

interface Opts {
  quitOnReply: boolean;
  quiet: boolean;
  bcastOnly: boolean;
  dad: boolean;
  unsolicited: boolean;
  advert: boolean;
  count: number;
  timeout?: number;
  interval: number;
  device?: string;
  source?: string;
  target: string;
}

function ipv4Addrs(ns: NetNamespace | undefined): string[] {
  return (ns?.links ?? []).flatMap((l) => l.addrs.filter((a) => a.family === 'inet').map((a) => a.local));
}

/** Is `ip` reachable without a gateway from `dev` (SO_DONTROUTE: a route of link scope, or a local address)? The source address if so. */
function onLinkSource(ns: NetNamespace, dev: string, ip: string): string | undefined {
  const link = ns.links.find((l) => l.name === dev);
  const own = link?.addrs.find((a) => a.family === 'inet');
  if (ipv4Addrs(ns).includes(ip)) return ip;
  const r = ns.routes
    .filter((x) => !x.via && x.type !== 'blackhole' && x.dst !== 'default' && x.dev === dev && cidrContains(x.dst, ip))
    .sort((a, b) => Number(b.dst.split('/')[1] ?? 32) - Number(a.dst.split('/')[1] ?? 32))[0];
  if (!r) return undefined;
  return r.src ?? own?.local;
}

/** Who answers an ARP request for `target` sent out of the Pod's eth0: the answering MAC, or undefined. */
export function arpAnswer(cluster: ClusterRuntime, host: HostRef, dev: string, target: string, dad: boolean): string | undefined {
  const pod = hostPod(cluster, host);
  if (!pod || dev !== 'eth0') return undefined;
  if (pod.spec?.hostNetwork) {
    // the node's own network: another node on the same segment answers with its eth0's MAC
    for (const n of cluster.store.list('Node')) {
      if (n.metadata.name === pod.spec.nodeName) continue;
      const eth0 = nodeNamespace(cluster, n.metadata.name)?.links.find((l) => l.name === 'eth0');
      if (eth0?.addrs.some((a) => a.family === 'inet' && a.local === target)) return eth0.mac;
    }
    return undefined;
  }
  const iface = podInterface(cluster, pod);
  if (!iface || target === iface.ip) return undefined;
  const nodeNs = nodeNamespace(cluster, iface.node);
  if (!nodeNs) return undefined;
  if (iface.bridge) {
    const br = nodeNs.links.find((l) => l.name === iface.bridge);
    if (br?.addrs.some((a) => a.family === 'inet' && a.local === target)) return br.mac;
    for (const other of cluster.store.iterate('Pod')) {
      if (other === pod || other.spec?.nodeName !== iface.node || other.spec?.hostNetwork || other.status?.podIP !== target) continue;
      const oi = podInterface(cluster, other);
      if (oi?.bridge === iface.bridge) return oi.mac;
    }
    return undefined;
  }
  const veth = nodeNs.links.find((l) => l.name === iface.hostVeth);
  if (!veth) return undefined;
  if (ipv4Addrs(nodeNs).includes(target)) return veth.mac;
  const proxy = sysctlTree(cluster, { kind: 'node', node: iface.node }).get(`net/ipv4/conf/${iface.hostVeth}/proxy_arp`) === '1';
  if (proxy) {
    if (dad) return undefined;
    const r = lookupRoute(nodeNs, target);
    return r && r.dev !== iface.hostVeth ? veth.mac : undefined;
  }
  return hostNamespace(cluster, host)?.neighbors.find((n) => n.ip === target && n.lladdr && n.dev === dev)?.lladdr;
}

function parse(args: string[], bb: boolean): Opts | RunResult {
  const usage = (msg = ''): RunResult => (bb ? { stdout: '', stderr: msg + BB_USAGE, exitCode: 1 } : { stdout: '', stderr: msg + IPUTILS_USAGE, exitCode: 2 });
  const o: Opts = { quitOnReply: false, quiet: false, bcastOnly: false, dad: false, unsolicited: false, advert: false, count: -1, interval: 1, target: '' };
  const operands: string[] = [];
  const withArg = bb ? 'cwIs' : 'cwiIs';
  const flags = bb ? 'UDAqfb' : 'bfDUAqhV';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      // getopt32 and glibc getopt both permute: options after the target still count
      operands.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (withArg.includes(c)) {
        const v = a.slice(j + 1) || args[++i];
        if (v === undefined) return usage(`arping: option requires an argument -- '${c}'\n`);
        const num = (lo: number): number | RunResult => {
          if (bb) {
            // xatou_range / getopt32's "c:+" (xatoi_positive)
            if (!/^\d+$/.test(v)) return { stdout: '', stderr: `arping: invalid number '${v}'\n`, exitCode: 1 };
            return Number(v);
          }
          // iputils strtol_or_err(optarg, "invalid argument", lo, INT_MAX)
          if (!/^[+-]?\d+$/.test(v.trim())) return { stdout: '', stderr: `arping: invalid argument: '${v}'\n`, exitCode: 2 };
          const n = Number(v);
          if (n < lo || n > 2147483647) return { stdout: '', stderr: `arping: invalid argument: '${v}': out of range: ${lo} <= value <= 2147483647\n`, exitCode: 2 };
          return n;
        };
        if (c === 'c' || c === 'w' || c === 'i') {
          const n = num(c === 'c' ? 1 : 0);
          if (typeof n !== 'number') return n;
          if (c === 'c') o.count = n;
          else if (c === 'w') o.timeout = n;
          else o.interval = n;
        } else if (c === 'I') o.device = v;
        else o.source = v;
        break;
      }
      if (!flags.includes(c)) return usage(`arping: invalid option -- '${c}'\n`);
      if (c === 'h') return usage();
      if (c === 'V') return { stdout: 'arping from iputils 20240117\nlibcap: yes, IDN: no, NLS: no, error.h: yes, getrandom(): yes, __fpending(): yes\n', stderr: '', exitCode: 0 };
      if (c === 'f') o.quitOnReply = true;
      else if (c === 'q') o.quiet = true;
      else if (c === 'b') o.bcastOnly = true;
      else if (c === 'D') {
        o.dad = true;
        o.quitOnReply = true;
      } else if (c === 'U') o.unsolicited = true;
      else if (c === 'A') {
        o.advert = true;
        o.unsolicited = true;
      }
    }
  }
  if (operands.length !== 1) return usage();
  o.target = operands[0];
  return o;
}

export const arpingCommand: CommandSpec = {
  name: 'arping',
  summary: 'send ARP REQUEST to a neighbour host',
  run(args: string[], ctx: CommandContext): CommandOutcome {
    const cluster = ctx.cluster;
    const bb = isBusyboxApplet(cluster, ctx.host, 'arping');
    const p = parse(args, bb);
    if ('exitCode' in p) return p;
    const o = p;
    const ns = hostNamespace(cluster, ctx.host);
    const out = { stdout: '', stderr: '' };
    const fail = (msg: string, code = 2): RunResult => ({ stdout: out.stdout, stderr: out.stderr + `arping: ${msg}\n`, exitCode: code });
    // busybox: the device (eth0 unless -I) is checked before the target is resolved
    let dev = o.device ?? (bb ? 'eth0' : undefined);
    const linkOf = (name: string) => ns?.links.find((l) => l.name === name);
    const checkDevice = (name: string): RunResult | undefined => {
      const l = linkOf(name);
      if (!l) return bb ? fail(`interface ${name} not found: No such device`) : fail(`Device ${name} not available.`);
      if (!l.flags.includes('UP')) return bb ? fail(`interface ${name} is down`) : { stdout: o.quiet ? '' : `Interface "${name}" is down\n`, stderr: '', exitCode: 2 };
      if (l.linkType !== 'ether' || l.flags.includes('NOARP') || l.flags.includes('LOOPBACK')) {
        // exit 0 in DAD mode, else 2
        return bb ? { stdout: '', stderr: `arping: interface ${name} is not ARPable\n`, exitCode: o.dad ? 0 : 2 } : { stdout: o.quiet ? '' : `Interface "${name}" is not ARPable\n`, stderr: '', exitCode: o.dad ? 0 : 2 };
      }
      return undefined;
    };
    if (bb && dev) {
      const bad = checkDevice(dev);
      if (bad) return bad;
    }
    let dst: string | undefined;
    const literal = inetAton(o.target);
    if (literal !== undefined) dst = formatIPv4(literal);
    else {
      const r = resolveName(cluster, ctx.host, o.target);
      dst = r.resolution.addresses[0];
      if (!dst) {
        if (r.dnsTimeout) cluster.advance(10000);
        // busybox xhost_and_af2sockaddr "bad address '%s'"; iputils error(2, 0, "%s: %s", gai_strerror) — musl's strings
        return bb ? fail(`bad address '${o.target}'`) : fail(`${o.target}: ${r.dnsTimeout ? 'Try again' : 'Name does not resolve'}`);
      }
    }
    if (!dev) {
      // iputils guess_device: the device of the route to the target
      const r = ns ? lookupRoute(ns, dst) : undefined;
      dev = r?.dev;
      if (!dev) return fail('Suitable device could not be determined. Please, use option -I.');
    }
    if (!bb) {
      const bad = checkDevice(dev);
      if (bad) return bad;
    }
    let src = '0.0.0.0';
    if (o.source !== undefined) {
      const s = inetAton(o.source);
      if (s === undefined) return bb ? fail(`invalid source address ${o.source}`) : fail(`invalid source ${o.source}`);
      src = formatIPv4(s);
    }
    if (!o.dad && o.unsolicited && o.source === undefined) src = dst;
    if (!o.dad || o.source !== undefined) {
      if (src !== '0.0.0.0') {
        // bind(2) to an address this namespace does not have
        if (!ipv4Addrs(ns).includes(src)) return fail('bind: Cannot assign requested address');
      } else {
        const s = ns ? onLinkSource(ns, dev, dst) : undefined;
        if (!s) return fail('connect: Network is unreachable');
        src = s;
      }
    }
    const answer = o.unsolicited ? undefined : arpAnswer(cluster, ctx.host, dev, dst, o.dad);
    const upper = (m: string) => (bb ? m : m.toUpperCase());
    let sent = 0;
    let brdSent = 0;
    let received = 0;
    let unicasting = false;
    const header = o.quiet ? '' : `ARPING ${dst} from ${src} ${dev}\n`;
    // one probe and, if someone answers, its reply ~50µs later
    const probe = (lost = false): string => {
      sent++;
      if (!unicasting) brdSent++;
      if (!answer || lost) return '';
      received++;
      if (!o.bcastOnly) unicasting = true;
      if (o.quiet) return '';
      const us = 30 + cluster.rng.int(60);
      // busybox: diff/1000 "." diff%1000; iputils: msecs=(usecs+500)/1000, usecs -= msecs*1000-500
      const ms = bb ? `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, '0')}` : (() => {
        const msecs = Math.floor((us + 500) / 1000);
        return `${msecs}.${String(us - (msecs * 1000 - 500)).padStart(3, '0')}`;
      })();
      return `Unicast reply from ${dst} [${upper(answer)}]${bb ? '' : ' '} ${ms}ms\n`;
    };
    const finish = (): { text: string; code: number } => {
      let text = '';
      if (!o.quiet) {
        if (bb) text = `Sent ${sent} probe(s) (${brdSent} broadcast(s))\nReceived ${received} response(s) (0 request(s), 0 broadcast(s))\n`;
        else text = `Sent ${sent} probes (${brdSent} broadcast(s))\nReceived ${received} response(s)\n`;
      }
      // finish(): -D exits !!received, -U/-A 0, else !received
      let code = o.dad ? (received ? 1 : 0) : o.unsolicited ? 0 : received ? 0 : 1;
      // iputils' event_loop ORs in its own verdict
      if (!bb && !o.unsolicited) {
        if (o.dad && o.quitOnReply) code |= brdSent !== received ? 0 : 1;
        else if (o.timeout !== undefined && !(o.count > 0)) code |= received > 0 ? 0 : 1;
        else code |= sent !== received ? 1 : 0;
      }
      return { text, code };
    };
    // How many probes go out before it ends on its own: -c N, -w T (busybox: T+1 ticks
    // within T.5 s; iputils: the interval timer fires just before the timeout's), or none.
    const step = o.interval * 1000 || 1000;
    let limit: number | undefined = o.count > 0 ? o.count : undefined;
    // iputils: at -w's end the interval timer (armed first) sends one last probe and the
    // timeout fires before its reply can come back
    let lastLost = false;
    if (o.timeout !== undefined) {
      const byTime = bb ? o.timeout + 1 : Math.floor(o.timeout / (o.interval || 1)) + 1;
      if (limit === undefined || byTime < limit) {
        limit = byTime;
        lastLost = !bb;
      }
    }
    let text = header + probe();
    if (o.quitOnReply && received) {
      const f = finish();
      return { stdout: text + f.text, stderr: '', exitCode: f.code };
    }
    if (limit !== undefined && limit <= 60) {
      while (sent < limit) {
        cluster.advance(step);
        text += probe(lastLost && sent + 1 === limit);
        if (o.quitOnReply && received) break;
      }
      if (!(o.quitOnReply && received) && !lastLost) cluster.advance(step);
      const f = finish();
      return { stdout: text + f.text, stderr: '', exitCode: f.code };
    }
    const stream: Streaming = {
      streaming: true,
      stdout: text,
      stderr: '',
      intervalMs: step,
      step() {
        if (limit !== undefined && sent >= limit) {
          const f = finish();
          return { stdout: f.text, done: true, exitCode: f.code };
        }
        const line = probe(lastLost && sent + 1 === limit);
        if (o.quitOnReply && received) {
          const f = finish();
          return { stdout: line + f.text, done: true, exitCode: f.code };
        }
        return { stdout: line };
      },
      interrupt() {
        const f = finish();
        return { stdout: f.text, exitCode: f.code };
      },
    };
    return stream;
  },
};
