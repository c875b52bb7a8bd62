/**
 * Hubble's flows: what each node's cilium-agent observes of a packet's walk, kept in a
 * bounded ring per node (the agent's `hubble-event-buffer-capacity`, 4095 by default) for
 * `hubble observe` (commands/net/hubble.ts, printed by printers/hubble).
 *
 * A flow is one datapath event, shaped like Cilium's `flow.Flow` (api/v1/flow/flow.proto),
 * as pkg/hubble/parser/threefour/parser.go decodes it:
 *
 *   - a trace event (type 4) at an observation point: `to-endpoint` (delivered into a
 *     pod's lxc veth), `to-overlay` (into cilium_vxlan, toward another node), `to-stack`
 *     (handed to the node's own stack: the node, the world). Verdict FORWARDED; is_reply
 *     from conntrack; the direction as decodeTrafficDirection derives it.
 *   - a policy-verdict event (type 5) for the first packet of a connection, at an endpoint
 *     a policy selects in that direction: `policy-verdict:L3-L4 INGRESS ALLOWED`, or
 *     `policy-verdict:none INGRESS DENIED` (is_reply unknown when denied).
 *   - a drop event (type 1, sub-type 133): `Policy denied DROPPED`, is_reply unknown.
 *
 * Per connection, with the datapath's default monitor aggregation (medium), a trace is sent
 * when a direction of the connection sees a TCP flag it has not seen before: SYN; SYN, ACK;
 * ACK; ACK, PSH each way; ACK, FIN each way. Each of those packets passes every
 * observation point of its way (to-overlay on the sending node, to-endpoint on the other).
 *
 * L7: where a CiliumNetworkPolicy puts Cilium's DNS proxy in a pod's path (`dnsProxyActive`),
 * each question of a lookup and its answer are `dns-request proxy` / `dns-response proxy`
 * flows (type 129, flow.Layer7). Where a connection is under HTTP rules, the node's Envoy
 * reports each request and its response (`httpFlowsOf`): `http-request` FORWARDED or
 * DROPPED, then `http-response` with the code, also for Envoy's own 403.
 *
 * Cilium resolves Services for pods in its own datapath, so the flows carry the backend's
 * address (the walk's translated destination). Identities are derived from the security
 * labels (pkg/labelsfilter's defaults) the way the CRD allocator would give a stable
 * number in 256…65535; reserved ones are host (1), world (2) and remote-node (6).
 *
 * Timestamps come from the virtual clock (nanoseconds within a walk from its latency), the
 * uuids from a hash of the flow's sequence number: observing never draws from cluster.rng.
 */
import type { SimModule } from '../cluster/module';
import type { Cluster } from '../cluster/cluster';
import type { KubeObject } from '../cluster/types';
import type { HostRef } from '../types';
import type { FlowObserver } from './ports';
import type { Protocol, Resolution, WalkResult } from './packet';
import { sha256 } from '../cluster/hash';
import { findPod, nodeByIp, nodeForPodCidr, podByIp, podInfo, type PodInfo } from './topology';
import { cidrContains, formatIPv4, parseCidr } from '../cluster/ipv4';
import { selectorMatches } from './policy';
import { ACCESS_DENIED_BODY, decideHttp, type L7Policy } from './cilium/policy';
import { identityLabels, identityNumber } from './cilium/identity';
import { endpointIds } from './cilium/endpoint-ids';

/** Hubble's default ring size per node (`hubble-event-buffer-capacity`). */
export const FLOW_BUFFER_CAPACITY = 4095;
/** How many of each node's newest flows a snapshot keeps (the ring itself is in memory, like the agent's). */
const SNAPSHOT_FLOWS_PER_NODE = 256;

export type Verdict = 'FORWARDED' | 'DROPPED' | 'ERROR' | 'AUDIT' | 'REDIRECTED' | 'TRACED' | 'TRANSLATED';
export const VERDICTS: Verdict[] = ['FORWARDED', 'DROPPED', 'AUDIT', 'REDIRECTED', 'ERROR', 'TRACED', 'TRANSLATED'];
export type ObservationPoint = 'TO_ENDPOINT' | 'TO_PROXY' | 'TO_HOST' | 'TO_STACK' | 'TO_OVERLAY' | 'FROM_ENDPOINT' | 'FROM_PROXY' | 'FROM_HOST' | 'FROM_STACK' | 'FROM_OVERLAY' | 'FROM_NETWORK' | 'TO_NETWORK';

/** pkg/monitor/api: message types (bpf/lib/common.h). */
export const MessageType = { drop: 1, debug: 2, capture: 3, trace: 4, policyVerdict: 5, traceSock: 7, accessLog: 129, agent: 130 } as const;

/** pkg/monitor/api TraceObservationPoints: sub-type → its name in `hubble observe` (and `--type trace:NAME`). */
export const TRACE_POINTS: { sub: number; point: ObservationPoint; name: string }[] = [
  { sub: 0, point: 'TO_ENDPOINT', name: 'to-endpoint' },
  { sub: 1, point: 'TO_PROXY', name: 'to-proxy' },
  { sub: 2, point: 'TO_HOST', name: 'to-host' },
  { sub: 3, point: 'TO_STACK', name: 'to-stack' },
  { sub: 4, point: 'TO_OVERLAY', name: 'to-overlay' },
  { sub: 5, point: 'FROM_ENDPOINT', name: 'from-endpoint' },
  { sub: 6, point: 'FROM_PROXY', name: 'from-proxy' },
  { sub: 7, point: 'FROM_HOST', name: 'from-host' },
  { sub: 8, point: 'FROM_STACK', name: 'from-stack' },
  { sub: 9, point: 'FROM_OVERLAY', name: 'from-overlay' },
  { sub: 10, point: 'FROM_NETWORK', name: 'from-network' },
  { sub: 11, point: 'TO_NETWORK', name: 'to-network' },
];

/** The drop reasons a simulated datapath produces: code → (enum name, pkg/monitor/api/drop.go text). */
export const DROP_REASONS: Record<number, { desc: string; text: string }> = {
  133: { desc: 'POLICY_DENIED', text: 'Policy denied' },
  181: { desc: 'POLICY_DENY', text: 'Policy denial' },
};

/** Reserved identities (pkg/identity/numericidentity.go). */
export const RESERVED_IDENTITIES: Record<number, string> = { 1: 'host', 2: 'world', 3: 'unmanaged', 4: 'health', 5: 'init', 6: 'remote-node', 7: 'kube-apiserver', 8: 'ingress' };

export type TcpFlag = 'FIN' | 'SYN' | 'RST' | 'PSH' | 'ACK' | 'URG' | 'ECE' | 'CWR' | 'NS';

export interface FlowEndpoint {
  /** The endpoint ID, for endpoints local to the observing node. */
  id?: number;
  identity: number;
  namespace?: string;
  labels: string[];
  podName?: string;
  workloads?: { name: string; kind: string }[];
}

export interface FlowL4 {
  protocol: 'TCP' | 'UDP' | 'SCTP' | 'ICMPv4';
  sourcePort?: number;
  destinationPort?: number;
  flags?: TcpFlag[];
  icmp?: { type: number; code: number };
}

/** flow.proto's Layer7: an L7 proxy's record (Cilium's DNS proxy, Envoy for HTTP). */
export interface FlowL7 {
  type: 'REQUEST' | 'RESPONSE' | 'SAMPLE';
  latencyNs?: number;
  dns?: { query: string; ips?: string[]; ttl?: number; cnames?: string[]; observationSource?: string; rcode?: number; qtypes: string[]; rrtypes?: string[] };
  http?: { code?: number; method: string; url: string; protocol: string; headers?: { key: string; value: string }[] };
}

export interface Flow {
  /** Virtual-clock milliseconds and the nanoseconds within that millisecond. */
  time: { ms: number; nanos: number };
  uuid: string;
  verdict: Verdict;
  dropReason?: number;
  ip: { source: string; destination: string };
  l4: FlowL4;
  source: FlowEndpoint;
  destination: FlowEndpoint;
  type: 'L3_L4' | 'L7';
  nodeName: string;
  l7?: FlowL7;
  eventType: { type: number; subType: number };
  sourceService?: { name: string; namespace: string };
  destinationService?: { name: string; namespace: string };
  trafficDirection?: 'INGRESS' | 'EGRESS';
  policyMatchType?: number;
  traceObservationPoint?: ObservationPoint;
  /** Unset: the datapath does not know (drops, denied verdicts). */
  isReply?: boolean;
  summary: string;
  /** Ring order, for `--follow`. */
  seq: number;
}

// ---- identities -------------------------------------------------------------------------

/** A pod's security labels as `hubble observe -o json` lists them (`k8s:` source, sorted): its identity's. */
export function podSecurityLabels(cluster: Cluster, pod: KubeObject): string[] {
  return identityLabels(cluster, podInfo(pod));
}

/** The numeric identity of a label set. */
export const identityOf = identityNumber;

/** Cilium's workload of a pod: its controller, a ReplicaSet read as its Deployment. */
function workloadsOf(pod: KubeObject): { name: string; kind: string }[] | undefined {
  const owner = (pod.metadata.ownerReferences ?? []).find((o: { controller?: boolean }) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  if (!owner) return undefined;
  if (owner.kind === 'ReplicaSet') {
    const hash = pod.metadata.labels?.['pod-template-hash'];
    const name = hash && owner.name.endsWith(`-${hash}`) ? owner.name.slice(0, -hash.length - 1) : owner.name;
    return [{ name, kind: name === owner.name ? 'ReplicaSet' : 'Deployment' }];
  }
  return [{ name: owner.name, kind: owner.kind }];
}

function reserved(identity: number): FlowEndpoint {
  return { identity, labels: [`reserved:${RESERVED_IDENTITIES[identity]}`] };
}

/** The node that owns an address as its own (node IP, or cilium_host's router address). */
function nodeOwning(cluster: Cluster, ip: string): string | undefined {
  const n = nodeByIp(cluster, ip);
  if (n) return n.name;
  const owner = nodeForPodCidr(cluster, ip);
  const cidr = owner?.podCIDR ? parseCidr(owner.podCIDR) : undefined;
  if (owner && cidr && cidrContains(owner.podCIDR!, ip) && formatIPv4(cidr.network + 1) === ip) return owner.name;
  return undefined;
}

/** The endpoint an address is, as the observing node's agent resolves it (endpoints, then the ipcache). */
export function endpointFor(cluster: Cluster, ip: string, observer: string): FlowEndpoint {
  const p = podByIp(cluster, ip);
  if (p && !p.hostNetwork) {
    const labels = podSecurityLabels(cluster, p.obj);
    const ep: FlowEndpoint = { identity: identityOf(labels), namespace: p.namespace, labels, podName: p.name };
    if (p.node === observer) ep.id = endpointIds(cluster, observer).pods.get(`${p.namespace}/${p.name}`)?.id;
    const w = workloadsOf(p.obj);
    if (w) ep.workloads = w;
    return ep;
  }
  const node = nodeOwning(cluster, ip);
  if (node) return reserved(node === observer ? 1 : 6);
  return reserved(2);
}

// ---- one walk → its flows ----------------------------------------------------------------

type Leg = { node: string; point: ObservationPoint }[];

interface PacketSpec {
  reply: boolean;
  summary: string;
  l4: (sport: number, dport: number) => FlowL4;
}

function tcp(flags: TcpFlag[], reply: boolean): PacketSpec {
  return { reply, summary: `TCP Flags: ${flags.join(', ')}`, l4: (s, d) => ({ protocol: 'TCP', sourcePort: s, destinationPort: d, flags }) };
}

function udp(reply: boolean): PacketSpec {
  return { reply, summary: 'UDP', l4: (s, d) => ({ protocol: 'UDP', sourcePort: s, destinationPort: d }) };
}

function icmp(type: number, code: number, name: string, reply: boolean): PacketSpec {
  return { reply, summary: `ICMPv4 ${name}`, l4: () => ({ protocol: 'ICMPv4', icmp: { type, code } }) };
}

/** The packets of a connection that reach the monitor (aggregation medium: each new TCP flag per direction). */
function conversation(proto: Protocol, outcome: WalkResult['outcome']): PacketSpec[] {
  const answered = outcome === 'delivered' || outcome === 'refused';
  if (proto === 'tcp') {
    if (outcome === 'delivered') return [tcp(['SYN'], false), tcp(['SYN', 'ACK'], true), tcp(['ACK'], false), tcp(['ACK', 'PSH'], false), tcp(['ACK', 'PSH'], true), tcp(['ACK', 'FIN'], false), tcp(['ACK', 'FIN'], true)];
    if (outcome === 'refused') return [tcp(['SYN'], false), tcp(['ACK', 'RST'], true)];
    return [tcp(['SYN'], false)];
  }
  if (proto === 'udp') {
    if (outcome === 'delivered') return [udp(false), udp(true)];
    // ICMP port unreachable is related to the flow, not a reply (TRACE_REASON_CT_RELATED)
    if (outcome === 'refused') return [udp(false), { ...icmp(3, 3, 'DestinationUnreachable(Port)', false), reply: true }];
    return [udp(false)];
  }
  if (proto === 'icmp') return answered ? [icmp(8, 0, 'EchoRequest', false), icmp(0, 0, 'EchoReply', true)] : [icmp(8, 0, 'EchoRequest', false)];
  return [];
}

export interface FlowDraft extends Omit<Flow, 'time' | 'uuid' | 'seq'> {
  /** Nanoseconds after the walk began. */
  offsetNs: number;
}

/**
 * The flows the nodes' agents would report for one walk, in the order they happen. Empty
 * when the packet never reached a Cilium datapath (loopback, a pod that is not running,
 * the workstation talking to the internet).
 */
export function flowsOfWalk(cluster: Cluster, from: HostRef | { kind: 'external'; ip: string }, res: WalkResult): FlowDraft[] {
  const facts = res.facts;
  if (!facts || !facts.entryNode) return [];
  const pkt = facts.packet;
  let srcPod: PodInfo | undefined;
  if (from.kind === 'pod') {
    const p = findPod(cluster, from.namespace, from.pod);
    if (!p) return [];
    if (!p.hostNetwork) srcPod = p;
  }
  const dstIp = facts.translated?.ip ?? pkt.dst;
  const dport = facts.translated?.port ?? pkt.dport;
  const seenSrc = facts.masqueradedTo ?? pkt.src;
  const dp = podByIp(cluster, dstIp);
  const dstPod = dp && !dp.hostNetwork ? dp : undefined;
  const serverNode = dstPod?.node;
  const entry = facts.entryNode;
  const egress = facts.policy.find((p) => p.direction === 'egress');
  const ingress = facts.policy.find((p) => p.direction === 'ingress');

  // Where the forward packets are seen, and where the replies are.
  const forward: Leg = [];
  const back: Leg = [];
  if (srcPod) {
    if (!dstPod) forward.push({ node: srcPod.node, point: 'TO_STACK' });
    else if (serverNode !== srcPod.node) forward.push({ node: srcPod.node, point: 'TO_OVERLAY' });
  } else if (dstPod && entry !== serverNode) {
    forward.push({ node: entry, point: 'TO_OVERLAY' });
  }
  if (dstPod) forward.push({ node: serverNode!, point: 'TO_ENDPOINT' });
  if (dstPod) {
    if (srcPod && srcPod.node === serverNode) back.push({ node: serverNode!, point: 'TO_ENDPOINT' });
    else if (srcPod || entry !== serverNode) back.push({ node: serverNode!, point: 'TO_OVERLAY' });
    else back.push({ node: serverNode!, point: 'TO_STACK' });
  }
  if (srcPod && !(dstPod && srcPod.node === serverNode)) back.push({ node: srcPod.node, point: 'TO_ENDPOINT' });
  if (forward.length === 0 && back.length === 0 && !egress) return [];

  const out: FlowDraft[] = [];
  const latencyNs = Math.max(20_000, Math.round((res.latencyMs ?? 0.05) * 1e6));
  const hopNs = Math.round(latencyNs / 3);
  const l4proto = pkt.proto;
  // The addresses of a packet as seen on a node: beyond the entry node the source is the masqueraded one.
  const addrs = (node: string, reply: boolean): { src: string; dst: string; sport: number; dport: number } => {
    const client = srcPod && node === srcPod.node ? pkt.src : seenSrc;
    return reply ? { src: dstIp, dst: client, sport: dport, dport: pkt.sport } : { src: client, dst: dstIp, sport: pkt.sport, dport };
  };
  const base = (node: string, spec: PacketSpec, reply: boolean, offsetNs: number): FlowDraft => {
    const a = addrs(node, reply);
    return {
      offsetNs,
      verdict: 'FORWARDED',
      ip: { source: a.src, destination: a.dst },
      l4: spec.l4(a.sport, a.dport),
      source: endpointFor(cluster, a.src, node),
      destination: endpointFor(cluster, a.dst, node),
      type: 'L3_L4',
      nodeName: node,
      eventType: { type: MessageType.trace, subType: 0 },
      summary: spec.summary,
    };
  };
  const verdictAndMaybeDrop = (node: string, spec: PacketSpec, d: { direction: 'ingress' | 'egress'; allowed: boolean; match?: string }, offsetNs: number): boolean => {
    const dir = d.direction === 'ingress' ? 'INGRESS' : 'EGRESS';
    const pv = base(node, spec, false, offsetNs);
    pv.eventType = { type: MessageType.policyVerdict, subType: 0 };
    pv.trafficDirection = dir;
    if (d.allowed) {
      pv.policyMatchType = ['none', 'L3-Only', 'L3-L4', 'L4-Only', 'all'].indexOf(d.match ?? 'all');
      pv.isReply = false;
      out.push(pv);
      return true;
    }
    pv.verdict = 'DROPPED';
    pv.dropReason = 133;
    out.push(pv);
    const drop = base(node, spec, false, offsetNs + 1000);
    drop.verdict = 'DROPPED';
    drop.dropReason = 133;
    drop.eventType = { type: MessageType.drop, subType: 133 };
    drop.trafficDirection = dir;
    out.push(drop);
    return false;
  };
  const trace = (node: string, point: ObservationPoint, spec: PacketSpec, offsetNs: number): void => {
    const f = base(node, spec, spec.reply, offsetNs);
    f.eventType = { type: MessageType.trace, subType: TRACE_POINTS.find((t) => t.point === point)!.sub };
    f.traceObservationPoint = point;
    f.isReply = spec.reply;
    // decodeTrafficDirection: EGRESS where the local endpoint sent it (or receives its reply), INGRESS at the other end
    const atClient = point === 'TO_ENDPOINT' ? spec.reply : !spec.reply;
    const local = atClient ? (srcPod && srcPod.node === node) : (dstPod && dstPod.node === node);
    if (local) f.trafficDirection = atClient ? 'EGRESS' : 'INGRESS';
    out.push(f);
  };

  const packets = conversation(l4proto, res.outcome);
  packets.forEach((spec, i) => {
    const t0 = i * latencyNs;
    const leg = spec.reply ? back : forward;
    if (i === 0 && egress && srcPod) {
      if (!verdictAndMaybeDrop(srcPod.node, spec, egress, t0)) return;
    }
    let t = t0;
    for (const hop of leg) {
      if (i === 0 && hop.point === 'TO_ENDPOINT' && ingress && hop.node === serverNode) {
        if (!verdictAndMaybeDrop(hop.node, spec, ingress, t)) return;
        t += 500;
      }
      if (hop.point === 'TO_ENDPOINT' && !spec.reply && dstPod && !dstPod.running && dstPod.phase !== 'Pending') return;
      trace(hop.node, hop.point, spec, t);
      t += hopNs;
    }
  });
  // A denied packet stops the conversation: nothing after the drop.
  const dropAt = out.findIndex((f) => f.eventType.type === MessageType.drop);
  return dropAt >= 0 ? out.slice(0, dropAt + 1) : out;
}

// ---- Cilium's DNS proxy -----------------------------------------------------------------------

/** The label keys a CiliumNetworkPolicy selector may use for a pod: its own, `k8s:`-prefixed or not, and its namespace's. */
function endpointLabels(p: PodInfo): Record<string, string> {
  const out: Record<string, string> = { 'io.kubernetes.pod.namespace': p.namespace, 'k8s:io.kubernetes.pod.namespace': p.namespace };
  for (const [k, v] of Object.entries(p.labels)) {
    out[k] = v;
    out[`k8s:${k}`] = v;
  }
  return out;
}

/**
 * Does Cilium's DNS proxy sit in this pod's DNS traffic? It does when a CiliumNetworkPolicy
 * (or clusterwide one) selecting the pod has an egress rule with L7 `dns` rules (toFQDNs
 * depends on them): the agent then redirects the pod's DNS to its proxy, which reports each
 * question and answer as an L7 flow (`dns-request proxy`, `dns-response proxy`).
 */
export function dnsProxyActive(cluster: Cluster, p: PodInfo): boolean {
  const labels = endpointLabels(p);
  const policies = [...cluster.store.list('CiliumNetworkPolicy', p.namespace), ...cluster.store.list('CiliumClusterwideNetworkPolicy')];
  for (const cnp of policies) {
    const specs = [cnp.spec, ...(cnp.specs ?? [])].filter(Boolean);
    for (const spec of specs) {
      if (!spec.endpointSelector || !selectorMatches(spec.endpointSelector, labels)) continue;
      for (const rule of spec.egress ?? []) {
        for (const tp of rule.toPorts ?? []) if (tp.rules?.dns?.length) return true;
      }
    }
  }
  return false;
}

const RCODES: Record<string, number> = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 };
/** gopacket's DNSResponseCode.String(). */
const RCODE_TEXT: Record<number, string> = { 2: 'Server Failure', 3: 'Non-Existent Domain', 5: 'Query Refused' };

/** The L7 flows of a name's lookup through the DNS proxy (pkg/hubble/parser/seven/dns.go: decodeDNS, dnsSummary). */
export function dnsFlowsOf(cluster: Cluster, p: PodInfo, res: Resolution, via: { server: string; sport: number; latencyNs: number }): FlowDraft[] {
  const out: FlowDraft[] = [];
  const node = p.node;
  const client = endpointFor(cluster, p.ip, node);
  const server = endpointFor(cluster, via.server, node);
  let t = 0;
  for (const q of res.queries) {
    const query = q.name.endsWith('.') ? q.name : `${q.name}.`;
    const base = (reply: boolean): FlowDraft => ({
      offsetNs: t,
      verdict: 'FORWARDED',
      ip: reply ? { source: via.server, destination: p.ip } : { source: p.ip, destination: via.server },
      l4: reply ? { protocol: 'UDP', sourcePort: 53, destinationPort: via.sport } : { protocol: 'UDP', sourcePort: via.sport, destinationPort: 53 },
      source: reply ? server : client,
      destination: reply ? client : server,
      type: 'L7',
      nodeName: node,
      eventType: { type: MessageType.accessLog, subType: 0 },
      trafficDirection: 'EGRESS',
      isReply: reply,
      summary: '',
    });
    const req = base(false);
    req.l7 = { type: 'REQUEST', dns: { query, observationSource: 'proxy', qtypes: [q.type] } };
    req.summary = `DNS Query ${query} ${q.type}`;
    out.push(req);
    t += via.latencyNs;
    if (q.rcode === 'TIMEOUT') continue;
    const rcode = RCODES[q.rcode] ?? 0;
    const ips = q.answers.filter((a) => a.type === 'A' || a.type === 'AAAA').map((a) => a.data);
    const cnames = q.answers.filter((a) => a.type === 'CNAME').map((a) => a.data);
    const ttl = q.answers[0]?.ttl ?? 0;
    const resp = base(true);
    resp.offsetNs = t;
    resp.l7 = {
      type: 'RESPONSE',
      latencyNs: via.latencyNs,
      dns: { query, ips, ttl, cnames, observationSource: 'proxy', rcode, qtypes: [q.type], rrtypes: q.answers.map((a) => a.type) },
    };
    let answer: string;
    if (rcode !== 0) answer = `RCode: ${RCODE_TEXT[rcode] ?? String(rcode)}`;
    else {
      const parts: string[] = [];
      if (ips.length) parts.push(JSON.stringify(ips.join(',')));
      if (cnames.length) parts.push(`CNAMEs: ${JSON.stringify(cnames.join(','))}`);
      answer = parts.join(' ');
    }
    resp.summary = `DNS Answer ${answer} TTL: ${ttl} (Proxy ${query} ${q.type})`;
    out.push(resp);
    t += 1000;
  }
  return out;
}

// ---- Cilium's Envoy: HTTP access logs --------------------------------------------------------

/** Go's textproto.CanonicalMIMEHeaderKey: `user-agent` → `User-Agent`; a key with a non-token byte (`:scheme`) unchanged. */
export function canonicalHeaderKey(k: string): string {
  if (!/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/.test(k)) return k;
  let upper = true;
  let out = '';
  for (const c of k) {
    out += upper ? c.toUpperCase() : c.toLowerCase();
    upper = c === '-';
  }
  return out;
}

/**
 * Headers as Hubble lists them (pkg/hubble/parser/seven/http.go decodeHTTP): the access log's
 * key/values put in a net/http Header (keys canonicalized, values of a key kept together in
 * order), keys sorted.
 */
function hubbleHeaders(pairs: [string, string][]): { key: string; value: string }[] {
  const byKey = new Map<string, string[]>();
  for (const [k, v] of pairs) {
    const key = canonicalHeaderKey(k);
    const list = byKey.get(key);
    if (list) list.push(v);
    else byKey.set(key, [v]);
  }
  const keys = [...byKey.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return keys.flatMap((key) => byKey.get(key)!.map((value) => ({ key, value })));
}

function privateIp(ip: string): boolean {
  return cidrContains('10.0.0.0/8', ip) || cidrContains('172.16.0.0/12', ip) || cidrContains('192.168.0.0/16', ip);
}

/** Envoy's x-request-id (a random UUID v4), here from a hash of the request's client and time. */
function requestId(seed: string): string {
  const h = sha256(`x-request-id/${seed}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface HttpExchangeFacts {
  request: { method: string; path: string; headers: [string, string][] };
  /** What came back to the proxy that decided last: the upstream's answer, or undefined when none came. */
  response?: { status: number; headers: [string, string][] };
}

/**
 * The L7 flows of one HTTP request through Cilium's Envoy, as the agents of the proxies'
 * nodes report them (cilium/proxy cilium/l7policy.cc and accesslog.cc, pkg/envoy
 * accesslog_server.go, pkg/hubble/parser/seven):
 *
 *   - each proxy on the way (the client's egress rules first, then the server's ingress
 *     rules) logs the request when its policy lookup is done: `http-request FORWARDED`, or
 *     `DROPPED` where the rules deny it — no proxy further on sees it then;
 *   - the proxy that denied answers itself with 403 and logs that as a response, and every
 *     proxy the answer passes back through logs it too: `http-response FORWARDED` with the
 *     code and the latency since its own request record (`HTTP/1.1 403 0ms (…)`).
 *
 * Requests are `->` (is_reply false), responses `<-` (source and destination swapped, as
 * logRecord does). The request's headers are the client's (Host becomes the URL's host) with
 * what Envoy's connection manager adds before the filter runs (`:scheme`, `X-Envoy-Internal`
 * for a private downstream address, `X-Request-Id`); a response's are the upstream's (or
 * the local reply's content-length and content-type) with `X-Envoy-Upstream-Service-Time`
 * and the request's `X-Request-Id`. Times fall between the connection's first data packet
 * and its answer (offsets from the walk's start, like flowsOfWalk's).
 */
export function httpFlowsOf(cluster: Cluster, from: HostRef | { kind: 'external'; ip: string }, res: WalkResult, l7s: readonly L7Policy[], ex: HttpExchangeFacts): FlowDraft[] {
  const facts = res.facts;
  if (!facts || facts.packet.proto !== 'tcp') return [];
  const pkt = facts.packet;
  const srcPod = from.kind === 'pod' ? findPod(cluster, from.namespace, from.pod) : undefined;
  const dstIp = facts.translated?.ip ?? pkt.dst;
  const dport = facts.translated?.port ?? pkt.dport;
  const dp = podByIp(cluster, dstIp);
  const dstPod = dp && !dp.hostNetwork ? dp : undefined;
  const req = ex.request;
  const decisions: { node: string; direction: 'INGRESS' | 'EGRESS'; allowed: boolean }[] = [];
  for (const l7 of l7s) {
    if (l7.http.length === 0) continue;
    const node = l7.direction === 'egress' ? (srcPod && !srcPod.hostNetwork ? srcPod.node : undefined) : dstPod?.node;
    if (!node) continue;
    const d = decideHttp(l7, req);
    decisions.push({ node, direction: l7.direction === 'egress' ? 'EGRESS' : 'INGRESS', allowed: d.allowed });
    if (!d.allowed) break;
  }
  if (decisions.length === 0) return [];

  const latencyNs = Math.max(20_000, Math.round((res.latencyMs ?? 0.05) * 1e6));
  const step = Math.round(latencyNs / 16);
  const k = decisions.length - 1;
  const denied = !decisions[k].allowed;
  // requests after the first data packet (3 × latency), the answer before the reply's data packet (4 ×)
  const tReq = decisions.map((_, i) => 3 * latencyNs + (i + 1) * 2 * step);
  const tResp: number[] = [];
  tResp[k] = denied ? tReq[k] + step : 3 * latencyNs + 12 * step;
  for (let i = k - 1; i >= 0; i--) tResp[i] = tResp[i + 1] + step;

  const clientIp = pkt.src;
  const seenSrc = facts.masqueradedTo ?? pkt.src;
  const hostHeader = req.headers.find(([h]) => h.toLowerCase() === 'host')?.[1] ?? (dport === 80 ? dstIp : `${dstIp}:${dport}`);
  // pkg/envoy ParseURL: url.Parse(scheme://host/path) and back to a string
  const url = `http://${hostHeader}${req.path.startsWith('/') ? req.path : `/${req.path}`}`;
  const protocol = 'HTTP/1.1';
  const xrid = requestId(`${clientIp}:${pkt.sport}/${cluster.clock.now()}/${req.method} ${url}`);
  const reqHeaders: [string, string][] = req.headers.filter(([h]) => !['host', 'x-forwarded-proto', 'connection', 'keep-alive', 'proxy-connection'].includes(h.toLowerCase()));
  reqHeaders.push([':scheme', 'http']);
  if (privateIp(clientIp)) reqHeaders.push(['x-envoy-internal', 'true']);
  reqHeaders.push(['x-request-id', xrid]);

  const out: FlowDraft[] = [];
  const flow = (i: number, reply: boolean): FlowDraft => {
    const node = decisions[i].node;
    const client = srcPod && node === srcPod.node ? clientIp : seenSrc;
    const [src, dst, sport, dportOut] = reply ? [dstIp, client, dport, pkt.sport] : [client, dstIp, pkt.sport, dport];
    return {
      offsetNs: reply ? tResp[i] : tReq[i],
      verdict: 'FORWARDED',
      ip: { source: src, destination: dst },
      l4: { protocol: 'TCP', sourcePort: sport, destinationPort: dportOut },
      source: endpointFor(cluster, src, node),
      destination: endpointFor(cluster, dst, node),
      type: 'L7',
      nodeName: node,
      eventType: { type: MessageType.accessLog, subType: 0 },
      trafficDirection: decisions[i].direction,
      isReply: reply,
      summary: '',
    };
  };
  decisions.forEach((d, i) => {
    const f = flow(i, false);
    if (!d.allowed) f.verdict = 'DROPPED';
    f.l7 = { type: 'REQUEST', http: { method: req.method, url, protocol, headers: hubbleHeaders(reqHeaders) } };
    // seven/http.go httpSummary: "<protocol> <method> <url>"
    f.summary = `${protocol} ${req.method} ${url}`;
    out.push(f);
  });
  const answer = denied ? { status: 403, headers: [['content-length', String(ACCESS_DENIED_BODY.length)], ['content-type', 'text/plain']] as [string, string][] } : ex.response;
  if (!answer) return out;
  for (let i = k; i >= 0; i--) {
    const f = flow(i, true);
    const latency = tResp[i] - tReq[i];
    const headers = answer.headers.filter(([h]) => h.toLowerCase() !== 'x-request-id').map(([h, v]): [string, string] => [h, v]);
    // what an Envoy further on (the server's) set on its way out: its server and date
    if (i < k) for (const h of headers) if (h[0].toLowerCase() === 'server') h[1] = 'envoy';
    if (!(denied && i === k)) headers.push(['x-envoy-upstream-service-time', String(Math.floor(latency / 1e6))]);
    headers.push(['x-request-id', xrid]);
    f.l7 = { type: 'RESPONSE', latencyNs: latency, http: { code: answer.status, method: req.method, url, protocol, headers: hubbleHeaders(headers) } };
    // "<protocol> <code> <latency ms>ms (<method> <url>)"
    f.summary = `${protocol} ${answer.status} ${Math.floor(latency / 1e6)}ms (${req.method} ${url})`;
    out.push(f);
  }
  return out.sort((a, b) => a.offsetNs - b.offsetNs);
}

// ---- the rings ----------------------------------------------------------------------------

interface Snapshot {
  seq: number;
  seen: Record<string, number>;
  lastNs: [number, number];
  rings: Record<string, Flow[]>;
}

function uuidOf(seq: number): string {
  const h = sha256(`hubble-flow/${seq}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A listener of the walks beside Hubble's rings (HubbleFlows.tap). */
export interface WalkTap {
  observe(from: HostRef | { kind: 'external'; ip: string }, res: WalkResult): void;
  lookup?(from: HostRef, res: Resolution): void;
}

/**
 * Each node's Hubble ring. It hears every walk (FlowObserver) but records only where the
 * cluster's CNI is Cilium; a dry run (grading's `reach`) suspends it.
 */
export class HubbleFlows implements FlowObserver, SimModule {
  readonly name = 'hubble-flows';
  private rings = new Map<string, Flow[]>();
  private seq = 0;
  private last: [number, number] = [0, 0];
  private suspended = 0;
  private seen = new Map<string, number>();
  /** When each recent walk's flows began, for the L7 flows of the connection it opened. */
  private walkStart = new WeakMap<WalkResult, [number, number]>();
  /** The last DNS query walk of each pod (which CoreDNS, which source port), for the DNS proxy's L7 flows. */
  private lastDnsWalk = new Map<string, { server: string; sport: number; latencyNs: number }>();

  /** Other listeners of every walk on any CNI (tcpdump's captures: commands/net/tcpdump); a dry run pauses them too. */
  private readonly taps = new Set<WalkTap>();

  constructor(private readonly cluster: Cluster) {}

  /** Adds a listener of every walk and lookup; returns its removal. */
  tap(t: WalkTap): () => void {
    this.taps.add(t);
    return () => void this.taps.delete(t);
  }

  observe(from: HostRef | { kind: 'external'; ip: string }, res: WalkResult): void {
    if (this.suspended === 0) for (const t of this.taps) t.observe(from, res);
    if (this.suspended > 0 || this.cluster.settings.cni !== 'cilium') return;
    const f = res.facts;
    if (from.kind === 'pod' && f && f.packet.proto === 'udp' && f.packet.dport === 53 && res.outcome === 'delivered') {
      this.lastDnsWalk.set(`${from.namespace}/${from.pod}`, { server: f.translated?.ip ?? f.packet.dst, sport: f.packet.sport, latencyNs: Math.round((res.latencyMs ?? 0.5) * 2e6) });
    }
    const start = this.record(flowsOfWalk(this.cluster, from, res));
    if (start) this.walkStart.set(res, start);
  }

  /**
   * An HTTP request went through Cilium's Envoy on the connection `res` opened: the
   * proxies' request and response records (httpFlowsOf), placed inside that connection.
   */
  http(from: HostRef | { kind: 'external'; ip: string }, res: WalkResult, l7s: readonly L7Policy[], ex: HttpExchangeFacts): void {
    if (this.suspended > 0 || this.cluster.settings.cni !== 'cilium') return;
    const start = this.walkStart.get(res);
    if (!start) return;
    this.record(httpFlowsOf(this.cluster, from, res, l7s, ex), start);
  }

  lookup(from: HostRef, res: Resolution): void {
    if (this.suspended === 0) for (const t of this.taps) t.lookup?.(from, res);
    if (this.suspended > 0 || this.cluster.settings.cni !== 'cilium' || from.kind !== 'pod') return;
    const key = `${from.namespace}/${from.pod}`;
    const via = this.lastDnsWalk.get(key);
    this.lastDnsWalk.delete(key);
    const p = findPod(this.cluster, from.namespace, from.pod);
    if (!via || !p || p.hostNetwork || !dnsProxyActive(this.cluster, p)) return;
    this.record(dnsFlowsOf(this.cluster, p, res, via));
  }

  /** Records a walk's flows from `at` (default: now, after the last flow recorded); returns where they began. */
  private record(drafts: FlowDraft[], at?: [number, number]): [number, number] | undefined {
    if (!drafts.length) return undefined;
    let [ms, nanos] = at ?? [this.cluster.clock.now(), 0];
    // never before the previous walk's last flow: walks in the same virtual millisecond follow each other
    if (!at && (ms < this.last[0] || (ms === this.last[0] && nanos <= this.last[1]))) [ms, nanos] = [this.last[0], this.last[1] + 1000];
    for (const d of drafts) {
      const { offsetNs, ...rest } = d;
      let n = nanos + offsetNs;
      const t = { ms: ms + Math.floor(n / 1e6), nanos: (n %= 1e6) };
      const seq = ++this.seq;
      const flow: Flow = { time: t, uuid: uuidOf(seq), seq, ...rest };
      this.push(flow);
      if (t.ms > this.last[0] || (t.ms === this.last[0] && t.nanos > this.last[1])) this.last = [t.ms, t.nanos];
    }
    return [ms, nanos];
  }

  private push(flow: Flow): void {
    let ring = this.rings.get(flow.nodeName);
    if (!ring) this.rings.set(flow.nodeName, (ring = []));
    // in time order: an L7 record lands inside the connection whose packets are already in the ring
    let i = ring.length;
    while (i > 0 && (ring[i - 1].time.ms > flow.time.ms || (ring[i - 1].time.ms === flow.time.ms && ring[i - 1].time.nanos > flow.time.nanos))) i--;
    ring.splice(i, 0, flow);
    this.seen.set(flow.nodeName, (this.seen.get(flow.nodeName) ?? 0) + 1);
    if (ring.length > FLOW_BUFFER_CAPACITY) ring.shift();
  }

  /** The flows one node's agent holds (oldest first), or every node's merged by time (what Hubble Relay serves). */
  flows(node?: string): Flow[] {
    if (node) return [...(this.rings.get(node) ?? [])];
    return [...this.rings.values()].flat().sort((a, b) => a.time.ms - b.time.ms || a.time.nanos - b.time.nanos || a.seq - b.seq);
  }

  /** How many flows a node's agent has seen since it started (`hubble status`'s SEEN FLOWS). */
  seenOn(node: string): number {
    return this.seen.get(node) ?? 0;
  }

  /** How many flows every ring has seen in all (the next `--follow` step prints those after it). */
  get lastSeq(): number {
    return this.seq;
  }

  pause(): void {
    this.suspended++;
  }

  resume(): void {
    if (this.suspended > 0) this.suspended--;
  }

  sizes(): Record<string, number> {
    let n = 0;
    for (const r of this.rings.values()) n += r.length;
    return { flows: n, dnsWalks: this.lastDnsWalk.size };
  }

  snapshot(): Snapshot {
    const rings: Record<string, Flow[]> = {};
    for (const [node, r] of this.rings) rings[node] = r.slice(-SNAPSHOT_FLOWS_PER_NODE);
    return { seq: this.seq, seen: Object.fromEntries(this.seen), lastNs: this.last, rings };
  }

  restore(data: unknown): void {
    const s = data as Snapshot | undefined;
    if (!s) return;
    this.seq = s.seq;
    this.last = s.lastNs;
    this.rings = new Map(Object.entries(s.rings));
    this.seen = new Map(Object.entries(s.seen ?? {}));
  }
}
