/**
 * The DNS servers a query can reach: CoreDNS (behind kube-dns, running the Corefile),
 * the upstream resolver outside the cluster (the node network's gateway, public resolvers,
 * systemd-resolved on the workstation) answering from the simulated internet, or nothing.
 * Reaching a server inside the cluster is a real UDP packet through the traffic room's
 * walk, so a NetworkPolicy without a DNS egress rule makes the query time out.
 */
import type { ClusterRuntime } from '../runtime';
import type { HostRef } from '../../types';
import type { DnsRecord } from '../../dataplane/packet';
import { sendPacket } from '../../dataplane/walk';
import { dnsAllowed, type L7Policy } from '../../dataplane/cilium/policy';
import { INTERNET, internetHostByIp, internetHostByName } from '../../dataplane/internet';
import { internetCname, zoneRecords } from './zones';
import { blockFor, currentCorefile, expandGroups, inZone, type HostsPlugin, type RewriteRule, type ServerBlock } from './corefile';
import { kubernetesAnswer, type DnsMessage } from './records';
import { clusterNodes } from '../cni/topology';
import { nodeUplinkServers } from './resolvconf';
import { cidrContains, parseCidr } from '../../cluster/ipv4';
import { canonicalIPv6 } from '../../cluster/ipv6';
import { dnsState, nextShuffle } from './state';
import { sha1 } from '../../cluster/hash';
import { messageSize } from '../../printers/dns';

export type ServerKind = 'coredns' | 'upstream' | 'none';

export interface Exchange {
  server: string;
  kind: ServerKind;
  /** Tries the client gave up on (each a `communications error … timed out`) before this reply came. */
  lostTries?: number;
  /** No reply: the packet was dropped on the way, or nothing listens there. */
  timeout?: boolean;
  /** ICMP port unreachable came back instead of an answer. */
  refused?: boolean;
  message?: DnsMessage;
  /** Round-trip time in ms (dig's "Query time"). */
  rttMs: number;
}

/** Per command: which servers answered the first packet (a second query does not walk again). */
export interface ExchangeContext {
  reach: Map<string, Reach>;
  /** The command line: set, the first packet to each in-cluster server is recorded as a trace for the UI. */
  command?: string;
  /**
   * How the client retries (bind's tools: 3 tries — host 2 — of 5 s, each a new query whose
   * late reply is dropped; musl: 5 s in all; glibc: 2 attempts of 5 s on one socket, a late
   * reply to the first still taken). Unset: bind's.
   */
  retry?: { tries: number; timeoutMs: number; lateRepliesCount: boolean };
  /** The querier's EDNS0 (bind's tools: a 1232-byte buffer, dig also a cookie); absent: a plain 512-byte query. */
  edns?: { bufsize: number; cookie: boolean };
  /**
   * The questions go over TCP (dig +tcp/+vc, nslookup -vc, host -T, drill -t): each server is
   * reached by a TCP connection to port 53 (the walk's policy, NAT and conntrack see TCP), the
   * messages carry RFC 1035 §4.2.2's two-byte length prefix.
   */
  tcp?: boolean;
}

interface Reach {
  kind: ServerKind;
  ok: boolean;
  refused?: boolean;
  rtt: number;
  l7?: L7Policy[];
  /** The CoreDNS Pod the packet reached, and the source address it saw. */
  pod?: { namespace: string; name: string };
  seen?: string;
}

export function newContext(command?: string): ExchangeContext {
  return { reach: new Map(), command };
}

function isCorednsPod(p: { metadata: { labels?: Record<string, string> } }): boolean {
  return p.metadata.labels?.['k8s-app'] === 'kube-dns';
}

function inClusterNetworks(cluster: ClusterRuntime, ip: string): boolean {
  const svc = parseCidr(cluster.settings.serviceCIDR);
  const pods = parseCidr(cluster.settings.podCIDR);
  if ((svc && cidrContains(svc, ip)) || (pods && cidrContains(pods, ip))) return true;
  for (const s of cluster.store.iterate('Service')) if (s.spec?.clusterIP === ip) return true;
  for (const p of cluster.store.iterate('Pod')) if (p.status?.podIP === ip && !p.spec?.hostNetwork) return true;
  return false;
}

/** Who would answer DNS at `ip`, before the packet is sent. */
function serverKind(cluster: ClusterRuntime, from: HostRef, ip: string): ServerKind {
  if (ip.startsWith('127.')) return from.kind === 'pod' ? 'none' : 'upstream';
  const kubeDns = cluster.store.get('Service', 'kube-system', 'kube-dns');
  if (kubeDns?.spec?.clusterIP === ip) return 'coredns';
  for (const s of cluster.store.iterate('Service')) {
    if (s.spec?.clusterIP === ip) return s.spec?.selector?.['k8s-app'] === 'kube-dns' ? 'coredns' : 'none';
  }
  for (const p of cluster.store.iterate('Pod')) if (p.status?.podIP === ip && !p.spec?.hostNetwork) return isCorednsPod(p) ? 'coredns' : 'none';
  if (clusterNodes(cluster).some((n) => n.gateway === ip)) return 'upstream';
  const inet = internetHostByIp(ip);
  if (inet?.udp.includes(53)) return 'upstream';
  return 'none';
}

function reach(cluster: ClusterRuntime, from: HostRef, server: string, ctx: ExchangeContext): Reach {
  const hit = ctx.reach.get(server);
  if (hit) return hit;
  let kind = serverKind(cluster, from, server);
  let r: Reach;
  let pod: Reach['pod'];
  if (inClusterNetworks(cluster, server)) {
    const w = sendPacket(cluster, from, { ip: server, port: 53, proto: ctx.tcp ? 'tcp' : 'udp' }, ctx.command ? { record: true, command: ctx.command } : { record: false });
    const ok = w.outcome === 'delivered';
    // a reply from a CoreDNS pod on the client's own node takes well under a millisecond; across nodes about one
    let rtt = 1;
    if (ok && w.server && 'kind' in w.server.host && w.server.host.kind === 'pod') {
      const p = cluster.store.get('Pod', w.server.host.namespace, w.server.host.pod);
      if (p && isCorednsPod(p)) {
        kind = 'coredns';
        pod = { namespace: p.metadata.namespace ?? 'kube-system', name: p.metadata.name };
      }
      if (p?.spec?.nodeName && p.spec.nodeName === nodeOf(cluster, from)) rtt = 0;
    }
    // Cilium: a query under DNS rules passes the agent's DNS proxy
    r = { kind, ok: ok && kind !== 'none', refused: w.outcome === 'refused' || (ok && kind === 'none'), rtt, ...(w.l7 ? { l7: w.l7 } : {}), ...(pod ? { pod, seen: w.seenSource } : {}) };
  } else {
    r = { kind, ok: kind !== 'none', rtt: kind === 'upstream' ? 4 : 0 };
  }
  ctx.reach.set(server, r);
  return r;
}

function nodeOf(cluster: ClusterRuntime, host: HostRef): string | undefined {
  if (host.kind === 'node') return host.node;
  if (host.kind === 'pod') return cluster.store.get('Pod', host.namespace, host.pod)?.spec?.nodeName;
  return undefined;
}

/** Sends one question to `server` and returns what came back. */
export function exchange(cluster: ClusterRuntime, from: HostRef, server: string, qname: string, qtype: string, ctx: ExchangeContext): Exchange {
  const r = reach(cluster, from, server, ctx);
  if (!r.ok) return { server, kind: r.kind, timeout: !r.refused, refused: r.refused, rttMs: 0 };
  const q = fqdn(qname);
  if (r.l7 && !dnsAllowed(r.l7, qname).allowed) return { server, kind: r.kind, message: { rcode: 'REFUSED', aa: false, answer: [], authority: [], additional: [] }, rttMs: r.rtt };
  if (r.kind === 'coredns') {
    const m = corednsAnswer(cluster, q, qtype, 0, r.pod);
    if (m.upstreamError) return forwardFailure(cluster, server, r, q, qtype, m, ctx);
    if (r.pod) logQuery(cluster, r.pod, r.seen ?? '', q, qtype, m, ctx.edns, !!ctx.tcp);
    const { delayMs, ...wire } = m;
    return { server, kind: r.kind, message: wire, rttMs: r.rtt + (m.aa ? 0 : upstreamRtt(q)) + Math.round(delayMs ?? 0) };
  }
  return { server, kind: r.kind, message: upstreamAnswer(q, qtype), rttMs: r.rtt + upstreamRtt(q) };
}

/**
 * plugin/log: one line per query the server block's `log` covers, in CoreDNS's common log
 * format (plugin/log/log.go CommonLogFormat, rendered by plugin/pkg/replacer):
 * `{remote}:{port} - {>id} "{type} {class} {name} {proto} {size} {>do} {>bufsize}" {rcode} {>rflags} {rsize} {duration}`
 * logged through clog.Infof ("[INFO] "). {>bufsize} is the EDNS0 buffer or 512 (request.Size),
 * {>rflags} the reply's header flags (qr, aa, rd, ra), {duration} Go's shortest float seconds.
 * The client's port and message id are drawn from the query's own hash, so other outputs
 * keep their draws.
 */
function logQuery(cluster: ClusterRuntime, pod: { namespace: string; name: string }, remote: string, qname: string, qtype: string, m: DnsMessage, edns: ExchangeContext['edns'], tcp: boolean): void {
  const block = blockFor(currentCorefile(cluster), qname);
  const log = block?.log;
  if (!log || !log.names.some((n) => inZone(qname, n))) return;
  const cls = m.rcode === 'NOERROR' ? (m.answer.length ? 'success' : 'denial') : m.rcode === 'NXDOMAIN' ? 'denial' : 'error';
  if (!log.classes.includes('all') && !log.classes.includes(cls)) return;
  const n = (dnsState(cluster).logged = (dnsState(cluster).logged ?? 0) + 1);
  const h = sha1(`${cluster.seed}/coredns-log/${n}`);
  const id = parseInt(h.slice(0, 4), 16);
  const port = 32768 + (parseInt(h.slice(4, 8), 16) % 28232);
  const qlen = 12 + (qname === '.' ? 1 : qname.split('.').filter(Boolean).reduce((k, l) => k + l.length + 1, 1)) + 4;
  const size = qlen + (edns ? 11 + (edns.cookie ? 12 : 0) : 0);
  const rsize = messageSize({ qname, answer: m.answer, authority: m.authority, additional: m.additional }, false) + (edns ? 11 : 0);
  const flags = ['qr', ...(m.aa ? ['aa'] : []), 'rd', ...(m.aa ? [] : ['ra'])].join(',');
  const micros = m.aa ? 40 + (parseInt(h.slice(8, 12), 16) % 260) : (upstreamRtt(qname) * 1000) + (parseInt(h.slice(8, 12), 16) % 900);
  const secs = String((micros * 1000 + (parseInt(h.slice(12, 15), 16) % 1000)) / 1e9);
  const ip = remote.includes(':') ? `[${remote}]` : remote;
  // {proto} is request.Proto(); over TCP {>bufsize} is edns.Size's dns.MaxMsgSize (plugin/pkg/edns/edns.go)
  const bufsize = tcp ? 65535 : edns?.bufsize ?? 512;
  let line = `[INFO] ${ip}:${port} - ${id} "${qtype} IN ${qname} ${tcp ? 'tcp' : 'udp'} ${size} false ${bufsize}" ${m.rcode} ${flags} ${rsize} ${secs}s`;
  if (log.combined) line += ' "0"';
  cluster.logs.append(pod.namespace, pod.name, 'coredns', line);
}

function fqdn(n: string): string {
  const s = n.toLowerCase();
  return s.endsWith('.') ? s : s + '.';
}

/** A stable pseudo-latency for the world beyond the cluster (names differ, runs don't). */
function upstreamRtt(q: string): number {
  let h = 0;
  for (const c of q) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return 8 + (h % 17);
}

/** CoreDNS with the current Corefile. */
export function corednsAnswer(cluster: ClusterRuntime, qname: string, qtype: string, depth: number, via?: { namespace: string; name: string }): DnsMessage {
  const cf = currentCorefile(cluster);
  const block = blockFor(cf, qname);
  if (!block) return { rcode: 'REFUSED', aa: false, answer: [], authority: [], additional: [] };
  // plugin/rewrite runs before hosts, kubernetes and forward (plugin.cfg), inside the block the original name chose
  const rw = block.rewrite ? rewriteQuestion(block.rewrite, qname) : undefined;
  if (!rw) return answerInBlock(cluster, block, qname, qtype, depth, via);
  return rewriteAnswer(rw, answerInBlock(cluster, block, rw.name, qtype, depth, via));
}

interface Rewritten {
  name: string;
  /** rewriteString functions for owner names and for values (CNAME, PTR, NS targets; SRV and MX exchanges). */
  names: ((s: string) => string)[];
  values: ((s: string) => string)[];
}

/**
 * rewrite.go ServeDNS: each rule in order; a rule that matches renames the question and adds
 * its response rules; a `stop` rule (the default) ends the list.
 */
function rewriteQuestion(rules: RewriteRule[], qname: string): Rewritten | undefined {
  let name = qname;
  const out: Rewritten = { name, names: [], values: [] };
  let hit = false;
  for (const r of rules) {
    const before = name;
    let next: string | undefined;
    if (r.match === 'exact') next = name === r.from ? r.to : undefined;
    else if (r.match === 'prefix') next = name.startsWith(r.from) ? r.to + name.slice(r.from.length) : undefined;
    else if (r.match === 'suffix') next = name.endsWith(r.from) ? name.slice(0, name.length - r.from.length) + r.to : undefined;
    else if (r.match === 'substring') next = name.includes(r.from) ? name.split(r.from).join(r.to) : undefined;
    else {
      const g = goRegex(r.from)?.exec(name);
      // regexNameRule: the replacement's {N} groups, then plugin.Name(…).Normalize(): lower case, final dot
      if (g) next = fqdn(expandGroups(r.to, [...g]));
    }
    if (next === undefined) continue;
    hit = true;
    name = next;
    // responseRuleFor: auto maps the rewritten name back to the one asked (remapStringRewriter);
    // a suffix rule swaps the suffixes back (suffixStringRewriter)
    if (r.match === 'suffix' && r.auto) {
      const back = (s: string) => (s.endsWith(r.to) ? s.slice(0, s.length - r.to.length) + r.from : s);
      out.names.push(back);
      out.values.push(back);
    } else if (r.auto) {
      const remap = (s: string) => (s === next ? before : s.endsWith('.' + next) ? s.slice(0, s.length - next!.length) + before : s);
      out.names.push(remap);
      out.values.push(remap);
    }
    for (const a of r.answerName) out.names.push(stringRewriter(a.from, a.to));
    for (const a of r.answerValue) out.values.push(stringRewriter(a.from, a.to));
    if (r.stop) break;
  }
  out.name = name;
  return hit ? out : undefined;
}

/** name.go stringRewriter: a match is replaced whole by the template with its groups (normalised as a name). */
function stringRewriter(re: RegExp, to: string): (s: string) => string {
  return (s) => {
    const g = re.exec(s);
    return g ? fqdn(expandGroups(to, [...g])) : s;
  };
}

function goRegex(p: string): RegExp | undefined {
  try {
    return new RegExp(p);
  } catch {
    return undefined;
  }
}

/** ResponseReverter.WriteMsg: the question as asked, each record's owner and value through the response rules. */
function rewriteAnswer(rw: Rewritten, m: DnsMessage): DnsMessage {
  const apply = (fs: ((s: string) => string)[], s: string) => fs.reduce((v, f) => f(v), s);
  const value = (r: DnsRecord): string => {
    if (r.type === 'CNAME' || r.type === 'PTR' || r.type === 'NS') return apply(rw.values, r.data);
    if (r.type === 'SRV' || r.type === 'MX') {
      const parts = r.data.split(' ');
      parts[parts.length - 1] = apply(rw.values, parts[parts.length - 1]);
      return parts.join(' ');
    }
    return r.data;
  };
  const rec = (r: DnsRecord): DnsRecord => ({ ...r, name: apply(rw.names, fqdn(r.name)), data: value(r) });
  return { ...m, answer: m.answer.map(rec), authority: m.authority.map(rec), additional: m.additional.map(rec) };
}

/** The plugins after rewrite, for the (possibly rewritten) name. */
function answerInBlock(cluster: ClusterRuntime, block: ServerBlock, qname: string, qtype: string, depth: number, via?: { namespace: string; name: string }): DnsMessage {
  const h = block.hosts;
  if (h) {
    const m = hostsAnswer(h, qname, qtype);
    if (m) return m;
  }
  const k = block.kubernetes;
  if (k) {
    let zone: string | undefined;
    for (const z of k.zones) if (inZone(qname, z) && (!zone || z.length > zone.length)) zone = z;
    if (zone) {
      const a = kubernetesAnswer(cluster, k, zone, qname, qtype, dnsState(cluster).serial);
      if (a.message) return block.loadbalance ? loadbalance(cluster, a.message) : a.message;
      if (a.chase) {
        const t = depth < 8 ? corednsAnswer(cluster, a.chase.target, qtype, depth + 1, via) : undefined;
        return { rcode: 'NOERROR', aa: true, answer: [a.chase.cname, ...(t?.answer ?? [])], authority: [], additional: [] };
      }
    }
  }
  if (block.forward && inZone(qname, block.forward.from)) return forwardAnswer(cluster, block.forward, qname, qtype, depth, via);
  return { rcode: 'SERVFAIL', aa: false, answer: [], authority: [], additional: [] };
}

const SERVFAIL = (): DnsMessage => ({ rcode: 'SERVFAIL', aa: false, answer: [], authority: [], additional: [] });

/** plugin/pkg/proxy/proxy.go: each upstream exchange waits readTimeout (2 s) for its reply. */
const FORWARD_READ_TIMEOUT_MS = 2000;
/** plugin/forward/forward.go: ServeDNS keeps trying upstreams until defaultTimeout (5 s) has passed. */
const FORWARD_DEADLINE_MS = 5000;

type Upstream = ({ kind: 'answer'; message: DnsMessage } | { kind: 'timeout' | 'refused' }) & { ip?: string };

/**
 * One upstream of the forward plugin, asked from the CoreDNS Pod: `/etc/resolv.conf` is the
 * node's (the Pod runs with dnsPolicy Default: the node network's resolver); an address is
 * reached by a UDP packet through the walk from the Pod, so a policy, a missing route or an
 * empty address is felt. CoreDNS itself (kube-dns, another CoreDNS Pod) answers with its
 * Corefile; the node network's resolver and the simulated Internet's DNS servers answer from
 * the Internet; anything else in the cluster refuses (ICMP port unreachable), and an address
 * nobody holds outside it never replies.
 */
function askUpstream(cluster: ClusterRuntime, target: string, qname: string, qtype: string, depth: number, via: { namespace: string; name: string } | undefined): Upstream {
  // the Pod's own resolv.conf (dnsPolicy Default): its node's uplink resolver
  const node = via ? cluster.store.get('Pod', via.namespace, via.name)?.spec?.nodeName : undefined;
  const ip = target === '/etc/resolv.conf' ? (node ? nodeUplinkServers(cluster, node)[0] : undefined) : target.replace(/^dns:\/\//, '').replace(/:53$/, '');
  if (!ip) return { kind: 'answer', message: upstreamAnswer(qname, qtype) };
  const from: HostRef = via ? { kind: 'pod', namespace: via.namespace, pod: via.name, container: 'coredns' } : { kind: 'node', node: clusterNodes(cluster)[0]?.name ?? '' };
  const kind = serverKind(cluster, from, ip);
  const inside = inClusterNetworks(cluster, ip);
  if (via && !ip.startsWith('127.')) {
    // the source port from the question's hash, not the cluster's RNG: other outputs keep their draws
    const sport = 32768 + (parseInt(sha1(`${cluster.seed}/forward/${qname}/${qtype}/${ip}`).slice(0, 4), 16) % 28232);
    // the walk's jitter draws are put back: a forward leaves the learner's own traffic its draws
    const saved = cluster.rng.state();
    const w = sendPacket(cluster, from, { ip, port: 53, proto: 'udp' }, { record: false, sport });
    cluster.rng.setState(saved);
    if (w.outcome === 'refused') return { kind: 'refused', ip };
    // the walk keeps no host behind the node network's gateway; its resolver is there all the same
    // (serverKind): only a drop before the packet got out (a policy, a route) counts
    const last = w.hops[w.hops.length - 1];
    const gatewayResolver = kind === 'upstream' && w.outcome === 'timeout' && last?.what === `no host answers at ${ip}`;
    if (w.outcome !== 'delivered' && !gatewayResolver) return { kind: 'timeout', ip };
  }
  if (kind === 'coredns') return depth < 8 ? { kind: 'answer', message: corednsAnswer(cluster, qname, qtype, depth + 1) } : { kind: 'timeout' };
  if (kind === 'upstream') return { kind: 'answer', message: upstreamAnswer(qname, qtype) };
  return { kind: inside ? 'refused' : 'timeout', ip };
}

/**
 * plugin/forward ServeDNS (v1.12.1 forward.go): the upstreams in the policy's order (random,
 * round_robin: rotated per query here, so runs repeat; sequential: as listed), moving to the
 * next on an error, round again until the 5-second deadline; the first reply is the answer.
 * No reply by the deadline: SERVFAIL with the last upstream error — after three 2-second read
 * timeouts (the third starts before the deadline, so 6 s), or at the deadline when every
 * upstream refuses at once.
 */
function forwardAnswer(cluster: ClusterRuntime, fwd: NonNullable<ServerBlock['forward']>, qname: string, qtype: string, depth: number, via: { namespace: string; name: string } | undefined): DnsMessage {
  let list = fwd.to;
  if (list.length > 1 && fwd.policy !== 'sequential') {
    const k = nextShuffle(cluster) % list.length;
    list = [...list.slice(k), ...list.slice(0, k)];
  }
  const tried = new Map<string, Upstream>();
  let t = 0;
  let last: { target: string; kind: 'timeout' | 'refused' } | undefined;
  for (let i = 0; t < FORWARD_DEADLINE_MS; i = (i + 1) % list.length) {
    const target = list[i];
    let u = tried.get(target);
    if (!u) tried.set(target, (u = askUpstream(cluster, target, qname, qtype, depth, via)));
    // the answer, later by the read timeouts of the upstreams that did not reply before it
    if (u.kind === 'answer') return t ? { ...u.message, delayMs: t } : u.message;
    last = { target: u.ip ?? target, kind: u.kind };
    // a refusal comes back at once (the ICMP error): the loop spins on to the deadline
    t += u.kind === 'timeout' ? FORWARD_READ_TIMEOUT_MS : 1;
  }
  const ms = last?.kind === 'timeout' ? t : FORWARD_DEADLINE_MS;
  return { ...SERVFAIL(), upstreamError: { ms, target: last?.target ?? '', kind: last?.kind ?? 'timeout' } };
}

/**
 * A query CoreDNS answers SERVFAIL only after its forward plugin gave up: the client's tries
 * against that delay. Every try starts a new forward, and each that fails is logged by the
 * errors plugin (`[ERROR] plugin/errors: 2 NAME. TYPE: read udp POD:PORT->UPSTREAM:53: i/o
 * timeout`, plugin/errors/errors.go). The SERVFAIL is written by the server's
 * errorAndMetricsFunc (core/dnsserver/server.go: SetRcode, so qr and rd, no ra), outside the
 * cache plugin's writer: it is never cached, and a later try waits as long. The client takes
 * the first reply inside its wait.
 */
function forwardFailure(cluster: ClusterRuntime, server: string, r: Reach, qname: string, qtype: string, m: DnsMessage, ctx: ExchangeContext): Exchange {
  const err = m.upstreamError!;
  const retry = ctx.retry ?? { tries: 3, timeoutMs: 5000, lateRepliesCount: false };
  let answeredAt: number | undefined;
  for (let i = 0; i < retry.tries; i++) {
    const sent = i * retry.timeoutMs;
    const at = sent + err.ms;
    const lastChance = retry.lateRepliesCount ? retry.tries * retry.timeoutMs : sent + retry.timeoutMs;
    if (at < lastChance && (answeredAt === undefined || at < answeredAt)) answeredAt = at;
  }
  if (r.pod) {
    const podIp = r.pod ? cluster.store.get('Pod', r.pod.namespace, r.pod.name)?.status?.podIP ?? '' : '';
    // the tries sent before a reply ended the wait each started a forward
    const sent = answeredAt === undefined ? retry.tries : Math.min(retry.tries, Math.floor(answeredAt / retry.timeoutMs) + 1);
    for (let n = 0; n < sent; n++) {
      const h = sha1(`${cluster.seed}/forward/${qname}/${qtype}/${dnsState(cluster).queries}/${n}`);
      const port = 32768 + (parseInt(h.slice(0, 4), 16) % 28232);
      const why = err.kind === 'timeout' ? 'i/o timeout' : 'read: connection refused';
      const upstream = err.target.replace(/^dns:\/\//, '').replace(/:53$/, '');
      cluster.logs.append(r.pod.namespace, r.pod.name, 'coredns', `[ERROR] plugin/errors: 2 ${qname} ${qtype}: read udp ${podIp}:${port}->${upstream}:53: ${why}`);
    }
  }
  if (answeredAt === undefined) return { server, kind: r.kind, timeout: true, rttMs: 0 };
  const { upstreamError: _e, ...wire } = m;
  void _e;
  const lost = Math.floor(answeredAt / retry.timeoutMs);
  return { server, kind: r.kind, message: { ...wire, ra: false }, rttMs: r.rtt + (answeredAt - lost * retry.timeoutMs), ...(lost ? { lostTries: lost } : {}) };
}

/**
 * plugin/loadbalance (round_robin): shuffles the address records of an answer so clients
 * that take the first address spread over a headless Service's pods. Rotated by a counter
 * rather than a random draw, so runs repeat.
 */
function loadbalance(cluster: ClusterRuntime, m: DnsMessage): DnsMessage {
  const addrs = m.answer.filter((r) => r.type === 'A' || r.type === 'AAAA');
  if (addrs.length < 2) return m;
  const k = nextShuffle(cluster) % addrs.length;
  const rotated = [...addrs.slice(k), ...addrs.slice(0, k)];
  return { ...m, answer: [...m.answer.filter((r) => r.type !== 'A' && r.type !== 'AAAA'), ...rotated] };
}

/**
 * plugin/hosts ServeDNS: answers A (and PTR unless no_reverse) from its entries; a name it
 * does not know falls through only with `fallthrough` — otherwise SERVFAIL ("we don't have a
 * SOA"), the classic trap of a hosts block without fallthrough. undefined = next plugin.
 */
function hostsAnswer(h: HostsPlugin, qname: string, qtype: string): DnsMessage | undefined {
  const q = qname.toLowerCase();
  const inZones = h.zones.some((z) => inZone(q, z));
  const rev = q.match(/^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa\.$/);
  if (qtype === 'PTR' && rev && !h.noReverse) {
    const ip = `${rev[4]}.${rev[3]}.${rev[2]}.${rev[1]}`;
    const names = [...h.entries].filter(([, ips]) => ips.includes(ip)).map(([n]) => n);
    if (names.length) return { rcode: 'NOERROR', aa: true, answer: names.map((n) => ({ name: q, type: 'PTR' as const, ttl: h.ttl, data: n })), authority: [], additional: [] };
    return undefined;
  }
  if (!inZones) return undefined;
  const ips = h.entries.get(q);
  if (ips) {
    const answer = qtype === 'A' ? ips.map((ip) => ({ name: q, type: 'A' as const, ttl: h.ttl, data: ip })) : [];
    return { rcode: 'NOERROR', aa: true, answer, authority: [], additional: [] };
  }
  if (h.fallthrough !== undefined && (h.fallthrough.length === 0 || h.fallthrough.some((z) => inZone(q, z)))) return undefined;
  return { rcode: 'SERVFAIL', aa: false, answer: [], authority: [], additional: [] };
}

const ROOT_SOA: DnsRecord = { name: '.', type: 'SOA', ttl: 86400, data: 'a.root-servers.net. nstld.verisign-grs.com. 2025011500 1800 900 604800 86400' };

function tldSoa(qname: string): DnsRecord {
  const labels = qname.replace(/\.$/, '').split('.');
  const tld = labels[labels.length - 1];
  if (tld === 'com' || tld === 'net') return { name: `${tld}.`, type: 'SOA', ttl: 900, data: `a.gtld-servers.net. nstld.verisign-grs.com. 1736931600 1800 900 604800 900` };
  // a delegated gTLD answers for its own names: .shop is CentralNic's (its SOA's timers)
  if (tld === 'shop') return { name: 'shop.', type: 'SOA', ttl: 3600, data: 'ns0.centralnic.net. hostmaster.centralnic.net. 1000153277 900 1800 6048000 3600' };
  return ROOT_SOA;
}

/** RFC 6303: resolvers answer reverse lookups of private ranges locally with NXDOMAIN. */
function privateReverseSoa(qname: string): DnsRecord | undefined {
  const m = qname.match(/^(?:\d+\.)*?(\d+)\.(\d+)\.in-addr\.arpa\.$/);
  if (!m) return undefined;
  const b = Number(m[1]);
  const a = Number(m[2]);
  let zone: string | undefined;
  if (a === 10) zone = '10.in-addr.arpa.';
  else if (a === 192 && b === 168) zone = '168.192.in-addr.arpa.';
  else if (a === 172 && b >= 16 && b <= 31) zone = `${b}.172.in-addr.arpa.`;
  else if (a === 127) zone = '127.in-addr.arpa.';
  return zone ? { name: zone, type: 'SOA', ttl: 10800, data: 'localhost. nobody.invalid. 1 3600 1200 604800 10800' } : undefined;
}

/** The recursive resolver beyond the cluster, answering from the simulated internet. */
export function upstreamAnswer(qname: string, qtype: string): DnsMessage {
  const base = { aa: false, additional: [] as DnsRecord[] };
  const rev = qname.match(/^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa\.$/);
  const rev6 = qname.match(/^((?:[0-9a-f]\.){32})ip6\.arpa\.$/);
  if (rev6) {
    // the nibble name back to an address (RFC 3596 §2.5)
    const hex = rev6[1].split('.').filter(Boolean).reverse().join('');
    const h = internetHostByIp(canonicalIPv6(hex.match(/.{4}/g)!.join(':')));
    if (h && qtype === 'PTR') return { ...base, rcode: 'NOERROR', answer: [{ name: qname, type: 'PTR', ttl: 300, data: h.names[h.names.length - 1] + '.' }], authority: [] };
    return { ...base, rcode: 'NXDOMAIN', answer: [], authority: [ROOT_SOA] };
  }
  if (rev) {
    const ip = `${rev[4]}.${rev[3]}.${rev[2]}.${rev[1]}`;
    const h = internetHostByIp(ip);
    if (h && qtype === 'PTR') return { ...base, rcode: 'NOERROR', answer: [{ name: qname, type: 'PTR', ttl: 300, data: h.names[h.names.length - 1] + '.' }], authority: [] };
    return { ...base, rcode: 'NXDOMAIN', answer: [], authority: [privateReverseSoa(qname) ?? ROOT_SOA] };
  }
  const alias = internetCname(qname);
  if (alias) {
    // RFC 1034 §4.3.2: a CNAME answers any type but CNAME with itself and the target's answer
    const rec: DnsRecord = { name: qname, type: 'CNAME', ttl: 300, data: alias };
    if (qtype === 'CNAME') return { ...base, rcode: 'NOERROR', answer: [rec], authority: [] };
    const rest = upstreamAnswer(alias, qtype);
    return { ...rest, answer: [rec, ...rest.answer] };
  }
  const host = internetHostByName(qname);
  if (!host) return { ...base, rcode: 'NXDOMAIN', answer: [], authority: [tldSoa(qname)] };
  const name = qname.replace(/\.$/, '');
  const zone = name.split('.').slice(-2).join('.') + '.';
  const nodata = (): DnsMessage => ({ ...base, rcode: 'NOERROR', answer: [], authority: [{ name: zone, type: 'SOA', ttl: 300, data: `ns1.${zone} hostmaster.${zone} 2025011501 7200 3600 1209600 300` }] });
  if (qtype === 'A' || qtype === 'ANY') return { ...base, rcode: 'NOERROR', answer: host.ips.map((ip) => ({ name: qname, type: 'A' as const, ttl: 300, data: ip })), authority: [] };
  const records = zoneRecords(qname, qtype);
  if (records.length) return { ...base, rcode: 'NOERROR', answer: records, authority: [] };
  // a name without AAAA records: NOERROR, no answer, the zone's SOA (RFC 2308 NODATA)
  if (qtype === 'AAAA' && host.ips6?.length) return { ...base, rcode: 'NOERROR', answer: host.ips6.map((ip) => ({ name: qname, type: 'AAAA' as const, ttl: 300, data: ip })), authority: [] };
  return nodata();
}

export { INTERNET };
