/**
 * `cilium-dbg monitor` (cilium/cilium v1.18 branch point 3abf4c111c^, cilium-dbg/cmd/monitor.go):
 * the datapath's perf events of this node, as they happen, until Ctrl-C. It prints
 * `Listening for events on N CPUs with 64x4096 of shared memory` (the agent's healthz
 * NodeMonitor) and `Press Ctrl-C to quit` on stderr, then one line per event
 * (printers/cilium/monitor.ts).
 *
 * The events are the ones the node's datapath sends for the traffic the packet walk makes
 * while the monitor runs: the same perf ring Hubble reads (dataplane/flows.ts), so
 * aggregation (one trace per new TCP flag per direction) is the same. Each field comes
 * from the walk and the node:
 *
 * - the endpoint IDs from the agent's endpoints (controllers/cilium/agent.ts, as
 *   `endpoint list` shows them); the source of an event (EVENT_SOURCE) is the endpoint
 *   whose bpf_lxc program sent it: the sending pod's for to-overlay, to-stack and egress
 *   drops, the receiving pod's (its policy tail call) for to-endpoint, ingress verdicts and
 *   drops; bpf_host's (the host endpoint) for traffic the node itself sends into the tunnel;
 * - identities: a pod's from its security labels as the agent allocates them (the numbers
 *   `identity list` and `endpoint list` show), reserved ones (host, world, remote-node) from
 *   the flow's endpoints;
 * - ifindex from the node's links (controllers/cni: the lxc veth of a pod, cilium_vxlan,
 *   cilium_host, eth0): a drop carries ctx_get_ifindex() — the sending pod's lxc for an
 *   egress drop; for an ingress drop the device the packet came in on (the local sender's
 *   lxc, cilium_vxlan from another node, cilium_host from this node, eth0 from outside);
 *   to-endpoint carries the receiving lxc (THIS_INTERFACE_IFINDEX), to-overlay
 *   ENCAP_IFINDEX (cilium_vxlan), to-stack TRACE_IFINDEX_UNKNOWN (0, printed `0`);
 * - file:line of the drop from bpf/bpf_lxc.c at the v1.18 branch point: egress policy drops
 *   are sent by tail_handle_ipv4_cont (line 1359), ingress ones by tail_ipv4_policy's
 *   drop_err (line 2126) — __MAGIC_LINE__ is the line of the send_drop_notify_ext call;
 * - drop reasons from the verdict (pkg/monitor/api/drop.go: 133 `Policy denied`);
 * - trace state from the connection's conntrack state: `new` for the first packet,
 *   `established` after it, `reply` for the answers, `related` for an ICMP error;
 * - orig-ip: the packet's source for to-endpoint (orig_sip), 0.0.0.0 where the datapath
 *   passes none (send_trace_notify);
 * - flow: the skb's hash, which the kernel computes with a boot-time random key; here a
 *   hash of the packet's addresses, ports and protocol, stable for a connection.
 *
 * Flags: -t/--type (drop, debug, capture, trace, l7, agent, policy-verdict, recorder,
 * trace-sock; repeatable), --from, --to, --related-to (endpoint IDs, MonitorFormatter.match;
 * validateEndpointsFilters only checks them when all three are given), -n/--numeric, -v
 * (DEBUG: the same lines for these events), --hex (used only by -vv). Not simulated: -vv's
 * packet dissection and -j/--json, the L7 access-log records (type l7) and the agent's
 * notifications (type agent: `>> Policy updated: …`, `>> Endpoint regenerated: …`), which
 * the real monitor also prints without --type; --monitor-socket. Debug and capture events
 * need a datapath built with debug, which the agent's default is not: none is printed.
 *
 * Before the first line it prints, gopacket's dissection cache is set up and logged (pkg/monitor/dissect.go
 * initParser: `level=info msg="Initializing dissection cache..."` with the time, on stdout).
 *
 * Ctrl-C: monitor.go's NotifyContext catches it and the loop prints `Received an
 * interrupt, disconnecting from monitor...` on stderr and exits 0 (the real loop notices
 * it when the next event arrives; here at once). Through `kubectl exec` without -t the
 * signal stops kubectl itself (exit 130), as a real terminal does.
 */
import type { RunResult, Streaming } from '../../types';
import type { ClusterRuntime } from '../../controllers/runtime';
import { fail } from '../../types';
import { sha256 } from '../../cluster/hash';
import { endpoints } from '../../controllers/cilium/agent';
import { hostVethName } from '../../controllers/cni';
import { DROP_REASONS, HubbleFlows, MessageType, TRACE_POINTS, type Flow } from '../../dataplane/flows';
import { nodeByIp, podByIp } from '../../dataplane/topology';
import { podIdentity } from '../../dataplane/cilium/identity';
import { matchIds, monitorLine, type MonitorEvent, type MonitorPacket } from '../../printers/cilium/monitor';

/** pkg/monitor/api/types.go MessageTypeNames. */
const TYPE_NAMES: Record<string, number> = { drop: 1, debug: 2, capture: 3, trace: 4, 'policy-verdict': 5, recorder: 6, 'trace-sock': 7, l7: 129, agent: 130 };

/** Go's %v of the map (fmt prints a map's keys sorted). */
const TYPE_MAP_TEXT = `map[${Object.keys(TYPE_NAMES).sort().map((k) => `${k}:${TYPE_NAMES[k]}`).join(' ')}]`;

const POLICY_MATCH = ['none', 'L3-Only', 'L3-L4', 'L4-Only', 'all'];

/** bpf/bpf_lxc.c (v1.18 branch point): the send_drop_notify_ext calls of policy drops. */
const DROP_SITE = { egress: { file: 'bpf_lxc.c', line: 1359 }, ingress: { file: 'bpf_lxc.c', line: 2126 } };

interface Options {
  types: number[];
  from: number[];
  to: number[];
  related: number[];
  numeric: boolean;
}

/** The node's links the events name: pods' lxc veths (by IP) and the fixed devices. */
interface NodeLinks {
  lxcByIp: Map<string, { ifindex: number; name: string }>;
  devices: Record<string, number>;
}

function nodeLinks(rt: ClusterRuntime, node: string): NodeLinks {
  const alloc = rt.cni.state.nodes[node];
  const lxcByIp = new Map<string, { ifindex: number; name: string }>();
  for (const a of Object.values(alloc?.pods ?? {})) {
    const pod = rt.store.get('Pod', a.namespace, a.name);
    const ip = pod?.status?.podIP as string | undefined;
    if (pod && ip) lxcByIp.set(ip, { ifindex: a.ifindex, name: hostVethName(rt.settings, pod) });
  }
  return { lxcByIp, devices: alloc?.devices ?? {} };
}

function flowHash(p: MonitorPacket): number {
  return parseInt(sha256(`skb-hash/${p.proto}/${p.src}/${p.sport ?? 0}/${p.dst}/${p.dport ?? 0}`).slice(0, 8), 16);
}

function packetOf(f: Flow): MonitorPacket {
  const proto = f.l4.protocol === 'TCP' ? 'tcp' : f.l4.protocol === 'UDP' ? 'udp' : 'icmp';
  return { src: f.ip.source, dst: f.ip.destination, proto, sport: f.l4.sourcePort, dport: f.l4.destinationPort, tcpFlags: f.l4.flags, icmp: f.l4.icmp };
}

/** The conntrack state a trace reports (traceReasons). */
function traceState(f: Flow): string {
  if (f.l4.icmp && f.l4.icmp.type === 3) return 'related';
  if (f.isReply) return 'reply';
  if (f.l4.protocol === 'TCP') return f.l4.flags?.includes('SYN') && !f.l4.flags.includes('ACK') ? 'new' : 'established';
  return 'new';
}

/** The node's datapath events for a flow of its ring (undefined for the kinds not simulated). */
function eventOf(rt: ClusterRuntime, node: string, f: Flow, epByIp: Map<string, number>, hostEp: number, links: NodeLinks): MonitorEvent | undefined {
  const packet = packetOf(f);
  const hash = flowHash(packet);
  // a pod's identity as the agent allocated it (identity list, endpoint list); reserved ones as the flow has them
  const identityOf = (ip: string, fallback: number): number => {
    const pod = podByIp(rt, ip);
    return pod && !pod.hostNetwork ? podIdentity(rt, pod).id : fallback;
  };
  const srcId = identityOf(f.ip.source, f.source.identity);
  const dstId = identityOf(f.ip.destination, f.destination.identity);
  const srcEp = epByIp.get(f.ip.source) ?? 0;
  const dstEp = epByIp.get(f.ip.destination) ?? 0;
  const ifindexFrom = (ip: string): number => {
    const lxc = links.lxcByIp.get(ip);
    if (lxc && epByIp.has(ip)) return lxc.ifindex;
    const pod = podByIp(rt, ip);
    if (pod && !pod.hostNetwork) return links.devices.cilium_vxlan ?? 0;
    const n = nodeByIp(rt, ip);
    if (n && n.name === node) return links.devices.cilium_host ?? 0;
    if (n) return links.devices.cilium_vxlan ?? 0;
    return links.devices.eth0 ?? 0;
  };
  switch (f.eventType.type) {
    case MessageType.drop: {
      const ingress = f.trafficDirection === 'INGRESS';
      const site = ingress ? DROP_SITE.ingress : DROP_SITE.egress;
      return {
        type: 'drop',
        source: ingress ? dstEp : srcEp,
        hash,
        packet,
        reason: DROP_REASONS[f.dropReason ?? 0]?.text ?? `${f.dropReason ?? 0}, 0`,
        dstId: ingress ? dstEp : 0,
        ifindex: ingress ? ifindexFrom(f.ip.source) : links.lxcByIp.get(f.ip.source)?.ifindex ?? 0,
        file: site.file,
        line: site.line,
        srcIdentity: srcId,
        dstIdentity: dstId,
      };
    }
    case MessageType.policyVerdict: {
      const ingress = f.trafficDirection === 'INGRESS';
      return {
        type: 'policy-verdict',
        source: ingress ? dstEp : srcEp,
        hash,
        packet,
        remoteIdentity: ingress ? srcId : dstId,
        ingress,
        allowed: f.verdict !== 'DROPPED',
        match: POLICY_MATCH[f.policyMatchType ?? 0] ?? 'unknown',
      };
    }
    case MessageType.trace: {
      const point = TRACE_POINTS.find((t) => t.sub === f.eventType.subType)?.name ?? 'unknown';
      const common = { type: 'trace' as const, hash, packet, point, srcIdentity: srcId, dstIdentity: dstId, state: traceState(f) };
      if (point === 'to-endpoint') return { ...common, source: dstEp, dstId: dstEp, ifname: links.lxcByIp.get(f.ip.destination)?.name ?? '0', origIp: f.ip.source };
      // sent by the sending pod's bpf_lxc, or by bpf_host for the node's own traffic (a host source is LOCAL_NODE_ID)
      const source = srcEp || hostEp;
      if (point === 'to-overlay') return { ...common, source, dstId: 0, ifname: 'cilium_vxlan', origIp: '0.0.0.0' };
      return { ...common, source, dstId: 0, ifname: '0', origIp: '0.0.0.0' };
    }
    default:
      return undefined;
  }
}

/** Go's time.RFC3339Nano in UTC: the fraction without trailing zeros, none when zero. */
function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d+)Z$/, (_m, f: string) => (/^0+$/.test(f) ? 'Z' : `.${f.replace(/0+$/, '')}Z`));
}

function parseIds(flag: string, v: string | undefined, into: number[]): string | undefined {
  const n = Number(v);
  if (v === undefined || v === '' || !/^\d+$/.test(v) || n > 65535) return `invalid argument "${v ?? ''}" for "${flag}" flag: strconv.ParseUint: parsing ${JSON.stringify(v ?? '')}: ${v !== undefined && /^\d+$/.test(v) ? 'value out of range' : 'invalid syntax'}`;
  into.push(n);
  return undefined;
}

/** monitor's flags (pflag): the options, or cobra's error. */
function parseFlags(args: string[]): Options | { error: string } | { notSimulated: string } {
  const o: Options = { types: [], from: [], to: [], related: [], numeric: false };
  let verbose = 0;
  // pflag: a cluster of boolean shorthands (-nv) is each of them
  const words = args.flatMap((a) => (/^-[nvj]{2,}$/.test(a) ? [...a.slice(1)].map((c) => `-${c}`) : [a]));
  for (let i = 0; i < words.length; i++) {
    const a = words[i];
    if (!a.startsWith('-')) return { error: `unknown command "${a}" for "cilium-dbg monitor"` };
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    const inline = eq > 0 ? a.slice(eq + 1) : undefined;
    const value = (): string | undefined => (inline !== undefined ? inline : words[++i]);
    switch (name) {
      case '-t':
      case '--type': {
        const v = value();
        const flag = '-t, --type';
        if (v === undefined) return { error: `flag needs an argument: ${name === '-t' ? "'t' in -t" : '--type'}` };
        if (!(v in TYPE_NAMES)) return { error: `invalid argument "${v}" for "${flag}" flag: Unknown type (${v}). Please use one of the following ones ${TYPE_MAP_TEXT}` };
        o.types.push(TYPE_NAMES[v]);
        break;
      }
      case '--from':
      case '--to':
      case '--related-to': {
        const v = value();
        if (v === undefined) return { error: `flag needs an argument: ${name}` };
        const err = parseIds(name, v, name === '--from' ? o.from : name === '--to' ? o.to : o.related);
        if (err) return { error: err };
        break;
      }
      case '-n':
      case '--numeric':
        o.numeric = true;
        break;
      case '-v':
      case '--verbose':
        verbose++;
        break;
      case '--hex':
        break;
      case '-j':
      case '--json':
        return { notSimulated: `${name} (the events as JSON)` };
      case '--monitor-socket':
        return { notSimulated: '--monitor-socket' };
      default:
        return { error: name.startsWith('--') ? `unknown flag: ${name}` : `unknown shorthand flag: '${name[1]}' in ${name}` };
    }
  }
  if (verbose >= 2) return { notSimulated: '-vv (the packet dissection of verbose mode)' };
  if (o.types.includes(TYPE_NAMES.l7)) return { notSimulated: '--type l7 (the proxies\' access-log records)' };
  if (o.types.includes(TYPE_NAMES.agent)) return { notSimulated: '--type agent (the agent\'s notifications: policy updates, endpoint regenerations)' };
  return o;
}

export function runMonitor(rt: ClusterRuntime, node: string, args: string[]): RunResult | Streaming {
  const o = parseFlags(args);
  if ('error' in o) return fail(`Error: ${o.error}\n`, 1);
  if ('notSimulated' in o) return fail(`cilium-dbg monitor: ${o.notSimulated} is not simulated here; the default one-line format is\n`, 1);
  const hub = rt.flows;
  if (!(hub instanceof HubbleFlows)) return fail('cilium-dbg monitor: the datapath events are not simulated for this cluster\n', 1);
  let stderr = '';
  let exitCode: number | undefined;
  // validateEndpointsFilters: it looks the IDs up only when --from, --to and --related-to are all given
  if (o.from.length && o.to.length && o.related.length) {
    const known = new Set(endpoints(rt, node).map((e) => e.id));
    let found = false;
    for (const list of [o.from, o.to, o.related]) {
      const missing = list.filter((id) => !known.has(id));
      for (const id of missing) stderr += `endpoint ${id} not found\n`;
      if (missing.length < list.length) found = true;
    }
    if (!found) exitCode = 1;
  }
  if (exitCode !== undefined) return { stdout: '', stderr, exitCode };
  stderr += 'Listening for events on 2 CPUs with 64x4096 of shared memory\nPress Ctrl-C to quit\n';
  let seen = hub.lastSeq;
  let dissecting = false;
  const step = (): string => {
    const fresh = hub.flows(node).filter((f) => f.seq > seen);
    seen = hub.lastSeq;
    if (fresh.length === 0) return '';
    const eps = endpoints(rt, node);
    const epByIp = new Map(eps.filter((e) => e.ipv4).map((e) => [e.ipv4, e.id] as [string, number]));
    const hostEp = eps.find((e) => e.identity === 1)?.id ?? 0;
    const links = nodeLinks(rt, node);
    let out = '';
    for (const f of fresh.sort((a, b) => a.seq - b.seq)) {
      if (o.types.length && !o.types.includes(f.eventType.type)) continue;
      const e = eventOf(rt, node, f, epByIp, hostEp, links);
      if (!e) continue;
      const [src, dst] = matchIds(e);
      if (o.from.length && !o.from.includes(src)) continue;
      if (o.to.length && !o.to.includes(dst)) continue;
      if (o.related.length && !o.related.includes(src) && !o.related.includes(dst)) continue;
      // dissect.go initParser: the first summary sets up gopacket's cache and logs it through
      // the default slog logger (text-ts, on stdout: cilium-dbg configures no log driver)
      if (!dissecting) {
        dissecting = true;
        out += `time=${rfc3339Nano(rt.clock.now())} level=info msg="Initializing dissection cache..."\n`;
      }
      out += monitorLine(e, o.numeric);
    }
    return out;
  };
  return {
    streaming: true,
    stdout: '',
    stderr,
    intervalMs: 1000,
    step: () => {
      const out = step();
      return out ? { stdout: out } : {};
    },
    interrupt: (signal) => {
      const out = step();
      // signal.NotifyContext(os.Interrupt, os.Kill): SIGINT is caught; SIGTERM and SIGHUP end it at once
      if (signal && signal !== 'INT') return { stdout: out, exitCode: 128 + (signal === 'TERM' ? 15 : signal === 'HUP' ? 1 : 9) };
      return { stdout: out, stderr: '\nReceived an interrupt, disconnecting from monitor...\n\n', exitCode: 0, exited: true };
    },
  };
}
