/**
 * ping: busybox's applet in busybox-based pods (networking/ping.c: "PING %s (%s): %d data
 * bytes", "%d bytes from %s: seq=%u ttl=%d time=%u.%03u ms", "round-trip min/avg/max"),
 * iputils ping elsewhere ("PING %s (%s) 56(84) bytes of data.", "icmp_seq=", "rtt
 * min/avg/max/mdev", "From %s icmp_seq=%d Destination Host Unreachable").
 *
 * Each echo is a walk (proto icmp): the TTL seen is 64 minus the routers crossed, the time
 * twice the path's one-way latency with seeded jitter. A ClusterIP does not answer in
 * iptables mode (it is only a DNAT rule for the Service's ports); in IPVS mode it is bound
 * to kube-ipvs0 and the node answers.
 */
import type { CommandOutcome, Streaming } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { carriesIPv6, connect, ipv6NotSimulated, sendPacket } from '../../../dataplane/walk';
import { isIPv6 } from '../../../cluster/ipv6';
import { isBusyboxHost } from '../../../hosts/hosts';
import { isDottedQuad } from '../../../cluster/ipv4';
import { hostIp, hostIp6, nodeForPodCidr, findPod } from '../../../dataplane/topology';
import type { WalkResult } from '../../../dataplane/packet';
import { hostNamespace, nodeNamespace } from '../../../controllers/cni';
import { localSource, lookupRoute } from '../../../dataplane/netns';
import { fnv32a } from '../../../cluster/hash';
import { noteEcho } from '../tcpdump/capture';
import { netUnreachText } from './errno';
import { BB_PING_USAGE, splitShortOptions } from './bb-usage';

function fmt3(ms: number): string {
  return ms.toFixed(3);
}

/** Counted pings answered in one call (a minute of echoes); longer counts stream. */
export const SYNC_PINGS = 60;

export const pingCommand: CommandSpec = {
  name: 'ping',
  summary: 'send ICMP ECHO_REQUEST to network hosts',
  run(args: string[], ctx: CommandContext): CommandOutcome {
    const cluster = ctx.cluster;
    const bb = isBusyboxHost(cluster, ctx.host);
    if (bb && args[0] === '--help') return { stdout: '', stderr: BB_PING_USAGE, exitCode: 0 };
    // getopt: `-c1 -W1` is `-c 1 -W 1` (busybox OPT_STRING "qvAc:+s:t:+w:+W:+I:np:i:46"; iputils' optstring)
    args = splitShortOptions(args, bb ? 'cstwWIpi' : 'cistwWIMplQmFTeN');
    let count: number | undefined;
    let quiet = false;
    let deadline: number | undefined;
    let target: string | undefined;
    // -s: data bytes (iputils: 0..65507, busybox: xatou16); -M: iputils' path-MTU discovery.
    let size = 56;
    let pmtu: 'do' | 'want' | 'dont' | 'probe' | undefined;
    let ipv6 = false;
    let ipv4 = false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-c' || /^-c\d+$/.test(a)) {
        const v = a === '-c' ? args[++i] ?? '' : a.slice(2);
        if (!/^\d+$/.test(v) || Number(v) < 1) {
          return bb ? { stdout: '', stderr: `ping: invalid number '${v}'\n`, exitCode: 1 } : { stdout: '', stderr: `ping: invalid argument: '${v}'\n`, exitCode: 1 };
        }
        count = Number(v);
      }
      else if (a === '-q') quiet = true;
      else if (a === '-w') deadline = Number(args[++i]);
      else if (a === '-s' || /^-s\d+$/.test(a)) {
        const v = a === '-s' ? args[++i] ?? '' : a.slice(2);
        if (!/^\d+$/.test(v)) return bb ? { stdout: '', stderr: `ping: invalid number '${v}'\n`, exitCode: 1 } : { stdout: '', stderr: `ping: invalid argument: '${v}'\n`, exitCode: 1 };
        if (Number(v) > (bb ? 65535 : 65507)) {
          return bb ? { stdout: '', stderr: `ping: number ${v} is not in 0..65535 range\n`, exitCode: 1 } : { stdout: '', stderr: `ping: invalid argument: '${v}': Numerical result out of range\n`, exitCode: 1 };
        }
        size = Number(v);
      }
      else if (!bb && (a === '-M' || /^-M\w+$/.test(a))) {
        const v = a === '-M' ? args[++i] ?? '' : a.slice(2);
        if (v !== 'do' && v !== 'want' && v !== 'dont' && v !== 'probe') return { stdout: '', stderr: `ping: invalid -M argument: ${v}\n`, exitCode: 2 };
        pmtu = v;
      }
      else if (a === '-W' || a === '-i' || a === '-t' || a === '-I' || a === '-p') i++;
      else if (a === '-4') ipv4 = true;
      else if (a === '-n') continue;
      else if (a === '-6') ipv6 = true;
      else if (a.startsWith('-')) {
        const what = a.startsWith('--') ? `unrecognized option '${a}'` : `invalid option -- '${a.slice(1)}'`;
        return bb ? { stdout: '', stderr: `ping: ${what}\n${BB_PING_USAGE}`, exitCode: 1 } : { stdout: '', stderr: `ping: ${what}\n`, exitCode: 2 };
      } else target = a;
    }
    if (!target) {
      return bb ? { stdout: '', stderr: BB_PING_USAGE, exitCode: 1 } : { stdout: '', stderr: 'ping: usage error: Destination address required\n', exitCode: 1 };
    }
    const cmdline = ['ping', ...args].join(' ');
    if (ipv6 && cluster.settings.podCIDRv6 && !carriesIPv6(cluster)) return { stdout: '', stderr: ipv6NotSimulated('ping -6', target), exitCode: 1 };
    // the echo's id (busybox: getpid(); iputils: the ping socket's port) and first sequence, for a running tcpdump
    const echoId = fnv32a(`ping/${JSON.stringify(ctx.host)}/${cluster.clock.now()}`) & 0xffff;
    const seq0 = bb ? 0 : 1;
    noteEcho(cluster, ctx.host, echoId, seq0);
    const first = connect(cluster, ctx.host, target, 0, 'icmp', { command: cmdline, ...(ipv6 ? { family: 6 as const } : ipv4 ? { family: 4 as const } : {}) });
    if (first.ipv6) return { stdout: '', stderr: ipv6NotSimulated('ping', target), exitCode: 1 };
    if (first.outcome === 'nxdomain') {
      if (first.dnsTimeout) cluster.advance(10000);
      return bb ? { stdout: '', stderr: `ping: bad address '${target}'\n`, exitCode: 1 } : { stdout: '', stderr: `ping: ${target}: ${first.dnsTimeout ? 'Temporary failure in name resolution' : 'Name or service not known'}\n`, exitCode: 2 };
    }
    const ip = first.address ?? target;
    if (first.netUnreachable) {
      // No IPv6 route (an IPv4-only cluster). busybox: the header, then xsendto's
      // bb_simple_perror_msg_and_die("sendto"); iputils: ping6_run's connect() probe, error(2, errno, "connect").
      const why = netUnreachText(cluster, ctx.host);
      return bb ? { stdout: `PING ${target} (${ip}): ${size} data bytes\n`, stderr: `ping: sendto: ${why}\n`, exitCode: 1 } : { stdout: '', stderr: `ping: connect: ${why}\n`, exitCode: 2 };
    }
    // an echo over IPv6 (ICMPv6, 40-byte header): iputils' ping6_print_data_bytes prints "%d data bytes"
    const six = ip.includes(':');
    const literal = isDottedQuad(target) || isIPv6(target);
    const shownName = literal ? target : first.resolution?.name?.replace(/\.$/, '') ?? target;
    const header = bb ? `PING ${target} (${ip}): ${size} data bytes\n` : six ? `PING ${shownName} (${ip}) ${size} data bytes\n` : `PING ${shownName} (${ip}) ${size}(${size + 28}) bytes of data.\n`;
    // Don't-fragment probes larger than the route's MTU never leave (ping_common.c:
    // SO_EE_ORIGIN_LOCAL with EMSGSIZE → "local error: message too long, mtu=%u").
    const hostNs = hostNamespace(cluster, ctx.host);
    const route = hostNs && pmtu === 'do' ? lookupRoute(hostNs, ip) : undefined;
    const pathMtu = route ? route.mtu ?? hostNs!.links.find((l) => l.name === route.dev)?.mtu : undefined;
    const tooBig = pathMtu !== undefined && size + (six ? 48 : 28) > pathMtu;
    const from = literal ? ip : `${ip} (${ip})`;
    const times: number[] = [];
    let sent = 0;
    let errors = 0;
    let warnings = '';
    const takeWarnings = () => {
      const w = warnings;
      warnings = '';
      return w;
    };
    // Who reports "Destination Host Unreachable": the node that owns the address's pod CIDR
    // and failed to ARP for it — or, when that is our own node, ourselves.
    const unreachableFrom = (): string => {
      const self = hostIp(cluster, ctx.host);
      const owner = nodeForPodCidr(cluster, ip);
      const selfNode = ctx.host.kind === 'pod' ? findPod(cluster, ctx.host.namespace, ctx.host.pod)?.node : ctx.host.kind === 'node' ? ctx.host.node : undefined;
      if (six && !(owner && owner.name !== selfNode)) return hostIp6(cluster, ctx.host);
      if (owner && owner.name !== selfNode) {
        // Its ICMP error (ipv4_link_failure → icmp_send) leaves from the address its own route
        // back to the probe's source picks, as `ip route get` there prints it (netns localSource):
        // flannel.1's toward another node's pods on Flannel VXLAN, eth0's on a routed network.
        // The same for IPv6 (icmp6_send): flannel-v6.1's address toward another node's pods.
        const probeSrc = (hostNs && localSource(hostNs, ip)) ?? (six ? hostIp6(cluster, ctx.host) : self);
        const ownerNs = nodeNamespace(cluster, owner.name);
        return (ownerNs && localSource(ownerNs, probeSrc)) ?? owner.ip;
      }
      return self;
    };
    const one = (w: WalkResult): string => {
      const seq = sent;
      sent++;
      if (tooBig) {
        errors++;
        if (!quiet) warnings += `ping: local error: message too long, mtu=${pathMtu}\n`;
        return '';
      }
      if (w.outcome === 'delivered') {
        const rtt = 2 * (w.latencyMs ?? 0.05) + cluster.rng.next() * 0.04;
        times.push(rtt);
        const ttl = 64 - (w.routers ?? w.hopCount);
        if (quiet) return '';
        return bb ? `${size + 8} bytes from ${ip}: seq=${seq} ttl=${ttl} time=${fmt3(rtt)} ms\n` : `${size + 8} bytes from ${from}: icmp_seq=${seq + 1} ttl=${ttl} time=${rtt < 1 ? fmt3(rtt) : rtt < 10 ? rtt.toFixed(2) : rtt < 100 ? rtt.toFixed(1) : Math.round(rtt)} ms\n`;
      }
      if (w.outcome === 'unreachable') {
        errors++;
        if (bb || quiet) return '';
        // ping6_common.c pr_icmph: ICMP6_DST_UNREACH_ADDR "Destination unreachable: Address unreachable"
        return six ? `From ${unreachableFrom()} icmp_seq=${seq + 1} Destination unreachable: Address unreachable\n` : `From ${unreachableFrom()} icmp_seq=${seq + 1} Destination Host Unreachable\n`;
      }
      if (w.outcome === 'refused') {
        // A REJECT --reject-with icmp-port-unreachable, sent from the address we pinged.
        // busybox reports any non-echo ICMP it reads: "warning: got ICMP %d (%s)".
        errors++;
        if (bb) {
          warnings += 'ping: warning: got ICMP 3 (Destination Unreachable)\n';
          return '';
        }
        if (quiet) return '';
        return six ? `From ${ip} icmp_seq=${seq + 1} Destination unreachable: Port unreachable\n` : `From ${ip} icmp_seq=${seq + 1} Destination Port Unreachable\n`;
      }
      return '';
    };
    const next = (): WalkResult => {
      noteEcho(cluster, ctx.host, echoId, seq0 + sent);
      return sendPacket(cluster, ctx.host, { ip, port: 0, proto: 'icmp' }, { command: cmdline, record: false });
    };
    const stats = (): { text: string; code: number } => {
      const recv = times.length;
      // busybox: integer division; iputils: printf("%g%%", 100.0 * lost / sent).
      const bbLoss = sent === 0 ? 0 : Math.floor(((sent - recv) * 100) / sent);
      const gLoss = sent === 0 ? '0' : String(Number((((sent - recv) * 100) / sent).toPrecision(6)));
      let text = `\n--- ${bb ? target : shownName} ping statistics ---\n`;
      if (bb) {
        text += `${sent} packets transmitted, ${recv} packets received, ${bbLoss}% packet loss\n`;
        if (recv) {
          const min = Math.min(...times), max = Math.max(...times), avg = times.reduce((a, b) => a + b, 0) / recv;
          text += `round-trip min/avg/max = ${fmt3(min)}/${fmt3(avg)}/${fmt3(max)} ms\n`;
        }
      } else {
        const total = Math.max(0, (sent - 1) * 1000 + (sent > 1 ? 1 + cluster.rng.int(5) : 0));
        text += `${sent} packets transmitted, ${recv} received, ${errors ? `+${errors} errors, ` : ''}${gLoss}% packet loss, time ${total}ms\n`;
        if (recv) {
          const min = Math.min(...times), max = Math.max(...times), avg = times.reduce((a, b) => a + b, 0) / recv;
          const mdev = Math.sqrt(times.reduce((a, b) => a + b * b, 0) / recv - avg * avg);
          text += `rtt min/avg/max/mdev = ${fmt3(min)}/${fmt3(avg)}/${fmt3(max)}/${fmt3(mdev || 0)} ms\n`;
        }
      }
      return { text, code: recv > 0 ? 0 : 1 };
    };
    const limit = count ?? (deadline !== undefined ? deadline : undefined);
    if (limit !== undefined && limit <= SYNC_PINGS) {
      let out = header + one(first);
      for (let i = 1; i < limit; i++) {
        cluster.advance(1000);
        out += one(next());
      }
      if (times.length === 0) cluster.advance(first.outcome === 'unreachable' ? 3000 : 1000);
      const s = stats();
      return { stdout: out + s.text, stderr: takeWarnings(), exitCode: s.code };
    }
    // One echo a second, as the real one prints: a long count (`ping -c 200000`) ends on its
    // own with the statistics after the last; without a count, only Ctrl+C ends it (sim.run
    // gives a few steps, then interrupts).
    const stream: Streaming = {
      streaming: true,
      stdout: header + one(first),
      stderr: takeWarnings(),
      intervalMs: 1000,
      // the shell moves the clock by intervalMs before each step
      step() {
        const echo = one(next());
        if (limit === undefined || sent < limit) return { stdout: echo, stderr: takeWarnings() };
        const s = stats();
        return { stdout: echo + s.text, stderr: takeWarnings(), done: true, exitCode: s.code };
      },
      interrupt() {
        const s = stats();
        return { stdout: s.text, exitCode: s.code };
      },
    };
    return stream;
  },
};
