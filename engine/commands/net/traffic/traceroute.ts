/**
 * traceroute: busybox's applet in busybox-based pods (networking/traceroute.c: "traceroute
 * to %s (%s), %d hops max, %d byte packets", 46-byte probes), Linux traceroute 2.1 elsewhere
 * (60-byte probes; "Cannot handle \"host\" cmdline arg `%s' on position 1 (argc %d)"). Each hop
 * line is " %2d  %s (%s)  %.3f ms  %.3f ms  %.3f ms", or " %2d  * * *" when nothing answers.
 *
 * The hops come from the walk of a UDP probe to port 33434: every router that decrements
 * the TTL answers from the address its route back to the probe's source picks — the source
 * node (the pod's gateway on a bridge CNI, the node's address on a routed one), the
 * destination node (its flannel.1 or tunl0 address toward another node's pods), then the
 * destination. A probe that the walk drops (a ClusterIP has no
 * rule for port 33434; a policy drop) leaves stars up to the 30-hop limit.
 */
import type { CommandOutcome } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import type { ClusterRuntime } from '../../../controllers/runtime';
import type { HostRef } from '../../../types';
import type { WalkResult } from '../../../dataplane/packet';
import { carriesIPv6, connect, ipv6NotSimulated } from '../../../dataplane/walk';
import { isBusyboxHost } from '../../../hosts/hosts';
import { findPod, hostIp6, nodeByIp, nodeByName, nodeForPodCidr, podByIp } from '../../../dataplane/topology';
import { internetHostByIp } from '../../../dataplane/internet';
import { nodeNamespace } from '../../../controllers/cni';
import { localSource } from '../../../dataplane/netns';

const MAX_HOPS = 30;

/**
 * The address a node answers a probe from: its "time exceeded" goes back to the probe's
 * source, from the address the node's own route to that source picks (dataplane/netns
 * localSource) — cni0's on a bridge CNI toward its pods, eth0's toward a routed veth,
 * tunl0's or flannel.1's toward another node's pods.
 */
function nodeHopAddress(cluster: ClusterRuntime, node: string, replyTo: string | undefined): string {
  const n = nodeByName(cluster, node);
  if (!n) return '';
  const ns = nodeNamespace(cluster, node);
  return (ns && replyTo ? localSource(ns, replyTo) : undefined) ?? n.ip;
}

/**
 * The routers a probe's walk `r` passes, as the addresses their "time exceeded" comes from
 * ('*' for a router beyond the node that does not answer), the address that answers last and
 * whether the probe reached it. traceroute and mtr share it.
 */
export function routeHops(cluster: ClusterRuntime, host: HostRef, r: WalkResult, dst: string): { hops: string[]; finalIp: string; delivered: boolean } {
  const six = dst.includes(':');
  const hops: string[] = [];
  const srcPod = host.kind === 'pod' ? findPod(cluster, host.namespace, host.pod) : undefined;
  const srcNode = srcPod ? srcPod.node : host.kind === 'node' ? host.node : undefined;
  const finalIp = r.server?.ip ?? dst;
  const dstPod = podByIp(cluster, finalIp);
  const dstNode = dstPod?.node ?? nodeByIp(cluster, finalIp)?.name ?? nodeForPodCidr(cluster, finalIp)?.name;
  const routers = r.routers ?? r.hopCount;
  const delivered = r.outcome === 'delivered' || r.outcome === 'refused';
  // The pod's first router is its node, whatever happens to the probe after it (a ClusterIP
  // port kube-proxy has no rule for leaves by the node's default route and is lost).
  // the probe's source: the pod's address, or the one the node's route to the target picks
  const srcNs = srcNode && host.kind === 'node' ? nodeNamespace(cluster, srcNode) : undefined;
  const probeSrc = srcPod ? (six ? hostIp6(cluster, host) : srcPod.ip) : srcNs ? localSource(srcNs, finalIp) : undefined;
  if (host.kind === 'pod' && srcNode && (routers > 0 || !delivered)) hops.push(nodeHopAddress(cluster, srcNode, probeSrc));
  if (srcNode && dstNode && dstNode !== srcNode && routers > 1) hops.push(dstPod ? nodeHopAddress(cluster, dstNode, probeSrc) : (six ? hostIp6(cluster, { kind: 'node', node: dstNode }) : nodeByName(cluster, dstNode)?.ip) ?? '');
  if (!dstNode && internetHostByIp(finalIp)) {
    // Beyond the node: the provider's routers do not answer probes in this simulation.
    while (hops.length < routers - 1) hops.push('*');
  }
  return { hops, finalIp, delivered };
}

export const tracerouteCommand: CommandSpec = {
  name: 'traceroute',
  summary: 'print the route packets trace to network host',
  run(args: string[], ctx: CommandContext): CommandOutcome {
    const cluster = ctx.cluster;
    const bb = isBusyboxHost(cluster, ctx.host);
    let maxHops = MAX_HOPS;
    let numeric = false;
    let waitSec = bb ? 3 : 5;
    let family: 4 | 6 | undefined;
    const pos: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-n') numeric = true;
      else if (a === '-m') maxHops = Number(args[++i]) || MAX_HOPS;
      else if (a === '-w') waitSec = Number(args[++i]) || waitSec;
      else if (a === '-q' || a === '-p' || a === '-f') i++;
      else if (a === '-I' || a === '-T') continue;
      else if (a === '-4') family = 4;
      else if (a === '-6' && cluster.settings.podCIDRv6) family = 6;
      else pos.push(a);
    }
    const target = pos[0];
    if (!target) {
      return bb ? { stdout: '', stderr: 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: traceroute [-46IFlnrv] [-f 1ST_TTL] [-m MAXTTL] [-q PROBES] [-p PORT]\n\t[-t TOS] [-w WAIT_SEC] [-s SRC_IP] [-i IFACE]\n\t[-z PAUSE_MSEC] HOST [BYTES]\n', exitCode: 1 } : { stdout: '', stderr: 'Usage:\n  traceroute [ -46dFITnreAUDV ] [ -f first_ttl ] [ -g gate,... ] [ -i device ] [ -m max_ttl ] [ -N squeries ] [ -p port ] [ -t tos ] [ -l flow_label ] [ -w MAX,HERE,NEAR ] [ -q nqueries ] [ -s src_addr ] [ -z sendwait ] [ --fwmark=num ] host [ packetlen ]\n', exitCode: 2 };
    }
    if (family === 6 && !carriesIPv6(cluster)) return { stdout: '', stderr: ipv6NotSimulated('traceroute -6', target), exitCode: 1 };
    const r = connect(cluster, ctx.host, target, 33434, 'udp', { command: ['traceroute', ...args].join(' '), ...(family ? { family } : {}) });
    if (r.ipv6) return { stdout: '', stderr: ipv6NotSimulated('traceroute', target), exitCode: 1 };
    if (r.outcome === 'nxdomain') {
      return bb ? { stdout: '', stderr: `traceroute: bad address '${target}'\n`, exitCode: 1 } : { stdout: '', stderr: `${target}: Name or service not known\nCannot handle "host" cmdline arg \`${target}' on position 1 (argc ${args.length})\n`, exitCode: 2 };
    }
    const dst = r.address ?? target;
    // an IPv6 probe: traceroute 2.1's default is 80 bytes (40 of IPv6 header); busybox's minpacket is
    // the IPv6 header + UDP + struct outdata6_t (4 + 4 + a 16-byte timeval): 72
    const six = dst.includes(':');
    let out = `traceroute to ${target} (${dst}), ${maxHops} hops max, ${six ? (bb ? 72 : 80) : bb ? 46 : 60} byte packets\n`;

    const { hops, finalIp, delivered } = routeHops(cluster, ctx.host, r, dst);
    const lines: string[] = [];
    const ms = (base: number) => (base + cluster.rng.next() * base * 0.5).toFixed(3);
    const latency = r.latencyMs ?? 0.05;
    hops.forEach((h, i) => {
      const step = ((i + 1) / (hops.length + 1)) * latency * 2;
      if (h === '*') lines.push(`${String(i + 1).padStart(2)}  * * *`);
      else lines.push(`${String(i + 1).padStart(2)}  ${numeric ? h : `${h} (${h})`}  ${ms(step + 0.01)} ms  ${ms(step + 0.008)} ms  ${ms(step + 0.006)} ms`);
    });
    let waited = 0;
    if (delivered) {
      const t = latency * 2;
      lines.push(`${String(hops.length + 1).padStart(2)}  ${numeric ? finalIp : `${finalIp} (${finalIp})`}  ${ms(t)} ms  ${ms(t)} ms  ${ms(t)} ms`);
    } else {
      // Nothing answers beyond the last router: three silent probes per TTL up to the limit.
      for (let ttl = hops.length + 1; ttl <= maxHops; ttl++) {
        lines.push(`${String(ttl).padStart(2)}  * * *`);
        waited += waitSec * 1000;
      }
    }
    out += lines.map((l) => `${l}\n`).join('');
    cluster.advance(waited + 10);
    return { stdout: out, stderr: '', exitCode: 0 };
  },
};
