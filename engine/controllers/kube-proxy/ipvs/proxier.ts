/**
 * kube-proxy's IPVS mode (pkg/proxy/ipvs/proxier.go, v1.31): a virtual server for every
 * clusterIP, externalIP, LoadBalancer ingress IP and NodePort (on the node's address),
 * real servers from the endpoints, the KUBE-* ipsets, the service addresses on the
 * kube-ipvs0 dummy interface, and the handful of iptables rules that match those sets.
 */
import type { TraceHop } from '../../../types';
import type { NatDecision, Packet, PacketOrigin } from '../../../dataplane/packet';
import { traverse, type PacketState } from '../../../dataplane/netfilter/execute';
import { formatIPv4, parseIPv4, type Rule, type TableName } from '../../../dataplane/netfilter/rule';
import type { Chain, NodeNetfilter } from '../../../dataplane/netfilter/tables';
import { saveRuleBody } from '../../../dataplane/netfilter/save-form';
import { schedule, vsKey, zeroStats, type IpvsConn, type IpvsProto, type RealServer, type VirtualServer } from '../../../dataplane/ipvs/ipvs';
import { IpSet, KUBE_IPSETS } from '../../../dataplane/ipvs/ipset';
import type { Cluster } from '../../../cluster/cluster';
import type { ServiceViews } from '../changetracker';
import type { EndpointInfo } from '../endpoint';
import type { ServicePortInfo } from '../serviceport';
import { categorizeEndpoints } from '../topology';
import { R, MASQ_MARK, jumpRule } from '../netfilter';
import type { NodeInfo, Proxier, ProxierDeps, ProxierHost, SyncRequest } from '../proxier';
import { traverseQuiet, traverseRaw, walkNode, type SourceWorkload, type Walk } from '../walk';

/** ipvs iptablesJumpChain: [table, from, to, comment]. */
const IPVS_JUMPS: [TableName, string, string, string][] = [
  ['nat', 'OUTPUT', 'KUBE-SERVICES', 'kubernetes service portals'],
  ['nat', 'PREROUTING', 'KUBE-SERVICES', 'kubernetes service portals'],
  ['nat', 'POSTROUTING', 'KUBE-POSTROUTING', 'kubernetes postrouting rules'],
  ['filter', 'FORWARD', 'KUBE-FORWARD', 'kubernetes forwarding rules'],
  ['filter', 'INPUT', 'KUBE-NODE-PORT', 'kubernetes health check rules'],
  ['filter', 'INPUT', 'KUBE-PROXY-FIREWALL', 'kube-proxy firewall rules'],
  ['filter', 'FORWARD', 'KUBE-PROXY-FIREWALL', 'kube-proxy firewall rules'],
  ['filter', 'INPUT', 'KUBE-IPVS-FILTER', 'kubernetes ipvs access filter'],
  ['filter', 'OUTPUT', 'KUBE-IPVS-OUT-FILTER', 'kubernetes ipvs access filter'],
];

const NAT_CHAINS = ['KUBE-SERVICES', 'KUBE-POSTROUTING', 'KUBE-NODE-PORT', 'KUBE-LOAD-BALANCER', 'KUBE-MARK-MASQ'];
const FILTER_CHAINS = ['KUBE-FORWARD', 'KUBE-NODE-PORT', 'KUBE-PROXY-FIREWALL', 'KUBE-SOURCE-RANGES-FIREWALL', 'KUBE-IPVS-FILTER', 'KUBE-IPVS-OUT-FILTER'];

/** ipsetWithIptablesChain: [set, table, from, to, matchType, protocolMatch]. */
const SET_CHAINS: [string, TableName, string, string, string, string][] = [
  ['KUBE-LOOP-BACK', 'nat', 'KUBE-POSTROUTING', 'MASQUERADE', 'dst,dst,src', ''],
  ['KUBE-LOAD-BALANCER', 'nat', 'KUBE-SERVICES', 'KUBE-LOAD-BALANCER', 'dst,dst', ''],
  ['KUBE-LOAD-BALANCER-LOCAL', 'nat', 'KUBE-LOAD-BALANCER', 'RETURN', 'dst,dst', ''],
  ['KUBE-NODE-PORT-LOCAL-TCP', 'nat', 'KUBE-NODE-PORT', 'RETURN', 'dst', 'tcp'],
  ['KUBE-NODE-PORT-TCP', 'nat', 'KUBE-NODE-PORT', 'KUBE-MARK-MASQ', 'dst', 'tcp'],
  ['KUBE-NODE-PORT-LOCAL-UDP', 'nat', 'KUBE-NODE-PORT', 'RETURN', 'dst', 'udp'],
  ['KUBE-NODE-PORT-UDP', 'nat', 'KUBE-NODE-PORT', 'KUBE-MARK-MASQ', 'dst', 'udp'],
  ['KUBE-NODE-PORT-LOCAL-SCTP-HASH', 'nat', 'KUBE-NODE-PORT', 'RETURN', 'dst,dst', 'sctp'],
  ['KUBE-NODE-PORT-SCTP-HASH', 'nat', 'KUBE-NODE-PORT', 'KUBE-MARK-MASQ', 'dst,dst', 'sctp'],
  ['KUBE-LOAD-BALANCER-FW', 'filter', 'KUBE-PROXY-FIREWALL', 'KUBE-SOURCE-RANGES-FIREWALL', 'dst,dst', ''],
  ['KUBE-LOAD-BALANCER-SOURCE-CIDR', 'filter', 'KUBE-SOURCE-RANGES-FIREWALL', 'RETURN', 'dst,dst,src', ''],
  ['KUBE-LOAD-BALANCER-SOURCE-IP', 'filter', 'KUBE-SOURCE-RANGES-FIREWALL', 'RETURN', 'dst,dst,src', ''],
];

interface Contribution {
  vs: VirtualServer[];
  sets: [string, string][];
  vips: string[];
}

export interface NodeIpvs {
  node: string;
  vs: Map<string, VirtualServer>;
  bySvc: Map<string, Contribution>;
  sets: Map<string, IpSet>;
  setRefs: Map<string, Map<string, number>>;
  conns: IpvsConn[];
  stale: Set<string>;
}

const PROTO: Record<string, IpvsProto> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' };
/** IPVS connection timeouts (seconds): TCP TIME_WAIT 2 min, UDP 5 min, persistence templates their timeout. */
const TIMEOUTS = { tcpTimeWait: 120, udp: 300 };

export class IpvsProxier implements Proxier {
  readonly mode = 'ipvs' as const;
  readonly iptablesCanary = true;
  readonly nodes = new Map<string, NodeIpvs>();
  private vipRefs = new Map<string, number>();
  private vipsBySvc = new Map<string, string[]>();
  private readonly cluster: Cluster;
  private readonly services: ServiceViews;
  private readonly host: ProxierHost;

  constructor(deps: ProxierDeps) {
    this.cluster = deps.cluster;
    this.services = deps.services;
    this.host = deps.host;
  }

  isVip(ip: string): boolean {
    return this.vipRefs.has(ip);
  }

  /** The VIPs on kube-ipvs0 are the node's own addresses (addrtype LOCAL). */
  hasLocalAddress(ip: number): boolean {
    return this.vipRefs.has(formatIPv4(ip));
  }

  /** The addresses kube-proxy binds to kube-ipvs0 (for `ip addr`), sorted. */
  dummyAddresses(): string[] {
    return [...this.vipRefs.keys()].sort((a, b) => ipNum(a) - ipNum(b));
  }

  private state(node: string): NodeIpvs {
    let s = this.nodes.get(node);
    if (!s) {
      s = { node, vs: new Map(), bySvc: new Map(), sets: new Map(), setRefs: new Map(), conns: [], stale: new Set(this.services.serviceKeys()) };
      for (const info of KUBE_IPSETS) {
        s.sets.set(info.name, new IpSet(info));
        s.setRefs.set(info.name, new Map());
      }
      this.nodes.set(node, s);
    }
    return s;
  }

  /** syncProxyRules: update the VIP list, mark changed services stale on every node, rewrite the iptables rules. */
  syncProxyRules({ full, changed }: SyncRequest): void {
    const keys = full ? [...this.services.serviceKeys(), ...changed] : changed;
    for (const key of keys) this.updateVips(key);
    for (const name of [...this.nodes.keys()]) if (!this.host.nodeInfo.some((n) => n.name === name)) this.nodes.delete(name);
    for (const s of this.nodes.values()) for (const k of keys) s.stale.add(k);
    for (const name of this.host.nodes.keys()) {
      this.refresh(name);
      this.writeIptables(name, full);
    }
  }

  /** Every Service's virtual servers on one node need rebuilding (its addresses changed: NodePorts follow them). */
  nodeAddressesChanged(node: string): void {
    const s = this.nodes.get(node);
    if (!s || !this.host.nodes.has(node)) return;
    for (const k of this.services.serviceKeys()) s.stale.add(k);
    this.refresh(node);
    this.writeIptables(node, false);
  }

  /** First use of a node: its IPVS table and ipsets, and the iptables rules of a full sync. */
  materializeNode(_nf: NodeNetfilter, info: NodeInfo): void {
    this.refresh(info.name);
    this.writeIptables(info.name, true);
  }

  private updateVips(key: string): void {
    for (const ip of this.vipsBySvc.get(key) ?? []) {
      const n = (this.vipRefs.get(ip) ?? 1) - 1;
      if (n <= 0) this.vipRefs.delete(ip);
      else this.vipRefs.set(ip, n);
    }
    const g = this.services.view(key);
    const vips = new Set<string>();
    for (const p of g?.ports ?? []) {
      vips.add(p.clusterIP);
      p.externalIPs.forEach((x) => vips.add(x));
      p.lbIPs.forEach((x) => vips.add(x));
    }
    this.vipsBySvc.set(key, [...vips]);
    for (const ip of vips) this.vipRefs.set(ip, (this.vipRefs.get(ip) ?? 0) + 1);
  }

  /** Brings one node's virtual servers and ipsets up to date with the Services that changed. */
  refresh(node: string): NodeIpvs {
    const s = this.state(node);
    if (s.stale.size === 0) return s;
    const info = this.host.nodeInfo.find((n) => n.name === node);
    for (const key of s.stale) {
      const old = s.bySvc.get(key);
      const oldVs = new Map<string, VirtualServer>();
      if (old) {
        for (const vs of old.vs) {
          oldVs.set(vsKey(vs.proto, vs.ip, vs.port), vs);
          s.vs.delete(vsKey(vs.proto, vs.ip, vs.port));
        }
        for (const [set, entry] of old.sets) this.unref(s, set, entry);
        s.bySvc.delete(key);
      }
      const g = this.services.view(key);
      if (!g || !info) continue;
      const c = this.contribution(g.ports, g.endpoints, info, this.nodePortAddresses(node, info.ip), oldVs);
      for (const vs of c.vs) s.vs.set(vsKey(vs.proto, vs.ip, vs.port), vs);
      for (const [set, entry] of c.sets) this.ref(s, set, entry);
      s.bySvc.set(key, c);
    }
    s.stale.clear();
    return s;
  }

  private ref(s: NodeIpvs, set: string, entry: string): void {
    const refs = s.setRefs.get(set)!;
    refs.set(entry, (refs.get(entry) ?? 0) + 1);
    s.sets.get(set)!.entries.add(entry);
  }

  private unref(s: NodeIpvs, set: string, entry: string): void {
    const refs = s.setRefs.get(set)!;
    const n = (refs.get(entry) ?? 1) - 1;
    if (n <= 0) {
      refs.delete(entry);
      s.sets.get(set)!.entries.delete(entry);
    } else refs.set(entry, n);
  }

  /** NodePort virtual servers go on every local address but loopback and kube-ipvs0's (GetAllLocalAddressesExcept). */
  private nodePortAddresses(node: string, nodeIP: string): string[] {
    const out = [...this.host.nodeAddresses(node)].filter((n) => n >>> 24 !== 127).sort((a, b) => a - b).map(formatIPv4);
    return out.length ? out : [nodeIP];
  }

  private contribution(ports: ServicePortInfo[], endpoints: EndpointInfo[][], info: NodeInfo, nodeIPs: string[], oldVs: Map<string, VirtualServer>): Contribution {
    const c: Contribution = { vs: [], sets: [], vips: [] };
    const scheduler = this.cluster.settings.ipvsScheduler || 'rr';
    ports.forEach((sp, i) => {
      const eps = endpoints[i];
      const cat = categorizeEndpoints(eps, sp, info.name, info.labels);
      const pick = (onlyLocal: boolean) => (onlyLocal && cat.localEndpoints.length > 0 ? cat.localEndpoints : cat.clusterEndpoints);
      const proto = PROTO[sp.protocol];
      const mk = (ip: string, port: number, reals: EndpointInfo[]) => {
        const key = vsKey(proto, ip, port);
        const prev = oldVs.get(key);
        const vs: VirtualServer = {
          proto, ip, port, scheduler, persistent: sp.affinity ? sp.stickySeconds : 0,
          reals: reals.map((e) => prev?.reals.find((r) => r.ip === e.ip && r.port === e.port) ?? { ip: e.ip, port: e.port, weight: 1, activeConns: 0, inactConns: 0, stats: zeroStats() }),
          stats: prev?.stats ?? zeroStats(),
          rrPos: prev?.rrPos ?? -1,
        };
        c.vs.push(vs);
      };
      const entry = (ip: string, port: number) => `${ip},${sp.protocol}:${port}`;
      mk(sp.clusterIP, sp.port, pick(sp.internalLocal));
      c.sets.push(['KUBE-CLUSTER-IP', entry(sp.clusterIP, sp.port)]);
      for (const ip of sp.externalIPs) {
        mk(ip, sp.port, pick(sp.externalLocal));
        c.sets.push([sp.externalLocal ? 'KUBE-EXTERNAL-IP-LOCAL' : 'KUBE-EXTERNAL-IP', entry(ip, sp.port)]);
      }
      for (const ip of sp.lbIPs) {
        mk(ip, sp.port, pick(sp.externalLocal));
        c.sets.push(['KUBE-LOAD-BALANCER', entry(ip, sp.port)]);
        if (sp.externalLocal) c.sets.push(['KUBE-LOAD-BALANCER-LOCAL', entry(ip, sp.port)]);
        if (sp.lbSourceRanges.length) {
          c.sets.push(['KUBE-LOAD-BALANCER-FW', entry(ip, sp.port)]);
          for (const cidr of sp.lbSourceRanges) c.sets.push(['KUBE-LOAD-BALANCER-SOURCE-CIDR', `${entry(ip, sp.port)},${cidr}`]);
        }
      }
      if (sp.nodePort) {
        for (const nodeIP of nodeIPs) mk(nodeIP, sp.nodePort, pick(sp.externalLocal));
        if (sp.protocol === 'sctp') {
          for (const nodeIP of nodeIPs) c.sets.push([sp.externalLocal ? 'KUBE-NODE-PORT-LOCAL-SCTP-HASH' : 'KUBE-NODE-PORT-SCTP-HASH', entry(nodeIP, sp.nodePort)]);
        } else {
          const set = `KUBE-NODE-PORT-${sp.protocol.toUpperCase()}`;
          c.sets.push([set, String(sp.nodePort)]);
          if (sp.externalLocal) c.sets.push([`KUBE-NODE-PORT-LOCAL-${sp.protocol.toUpperCase()}`, String(sp.nodePort)]);
        }
      }
      if (sp.healthCheckNodePort) c.sets.push(['KUBE-HEALTH-CHECK-NODE-PORT', String(sp.healthCheckNodePort)]);
      // Hairpin: endpoints on this node talking to their own Service.
      for (const e of cat.allReachable) if (e.nodeName === info.name) c.sets.push(['KUBE-LOOP-BACK', `${e.ip},${sp.protocol}:${e.port},${e.ip}`]);
    });
    const vips = new Set<string>();
    for (const sp of ports) {
      vips.add(sp.clusterIP);
      sp.externalIPs.forEach((x) => vips.add(x));
      sp.lbIPs.forEach((x) => vips.add(x));
    }
    for (const ip of vips) c.sets.push(['KUBE-IPVS-IPS', ip]);
    return c;
  }

  /** The node's iptables rules for IPVS mode (writeIptablesRules). */
  private writeIptables(node: string, full: boolean): void {
    const nf = this.host.nodes.get(node);
    const s = this.nodes.get(node);
    if (!nf || !s) return;
    const sets = s.sets;
    const nonEmpty = (n: string) => !sets.get(n)!.isEmpty();
    const comment = (n: string) => sets.get(n)!.info.comment;
    const nat = new Map<string, Rule[]>(NAT_CHAINS.map((c) => [c, []]));
    const filter = new Map<string, Rule[]>(FILTER_CHAINS.map((c) => [c, []]));
    const cidr = this.cluster.settings.podCIDR;
    nat.get('KUBE-SERVICES')!.push(R('-s', '127.0.0.0/8', '-j', 'RETURN'));
    for (const [set, table, from, to, match, proto] of SET_CHAINS) {
      if (!nonEmpty(set)) continue;
      const args = proto ? ['-p', proto] : [];
      (table === 'nat' ? nat : filter).get(from)!.push(R(args, '-m', 'comment', '--comment', comment(set), '-m', 'set', '--match-set', set, match, '-j', to));
    }
    if (nonEmpty('KUBE-CLUSTER-IP')) {
      nat.get('KUBE-SERVICES')!.push(R('-m', 'comment', '--comment', comment('KUBE-CLUSTER-IP'), '-m', 'set', '--match-set', 'KUBE-CLUSTER-IP', 'dst,dst', '!', '-s', cidr, '-j', 'KUBE-MARK-MASQ'));
    }
    const externalIPRules = (set: string) => {
      const args = ['-m', 'comment', '--comment', comment(set), '-m', 'set', '--match-set', set, 'dst,dst'];
      nat.get('KUBE-SERVICES')!.push(R(args, '-m', 'physdev', '!', '--physdev-is-in', '-m', 'addrtype', '!', '--src-type', 'LOCAL', '-j', 'ACCEPT'));
      nat.get('KUBE-SERVICES')!.push(R(args, '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'ACCEPT'));
    };
    if (nonEmpty('KUBE-EXTERNAL-IP')) {
      nat.get('KUBE-SERVICES')!.push(R('-m', 'comment', '--comment', comment('KUBE-EXTERNAL-IP'), '-m', 'set', '--match-set', 'KUBE-EXTERNAL-IP', 'dst,dst', '-j', 'KUBE-MARK-MASQ'));
      externalIPRules('KUBE-EXTERNAL-IP');
    }
    if (nonEmpty('KUBE-EXTERNAL-IP-LOCAL')) externalIPRules('KUBE-EXTERNAL-IP-LOCAL');
    nat.get('KUBE-SERVICES')!.push(R('-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'KUBE-NODE-PORT'));
    nat.get('KUBE-LOAD-BALANCER')!.push(R('-j', 'KUBE-MARK-MASQ'));
    filter.get('KUBE-SOURCE-RANGES-FIREWALL')!.push(R('-j', 'DROP'));
    for (const set of ['KUBE-CLUSTER-IP', 'KUBE-LOAD-BALANCER']) {
      if (nonEmpty(set)) nat.get('KUBE-SERVICES')!.push(R('-m', 'set', '--match-set', set, 'dst,dst', '-j', 'ACCEPT'));
    }
    filter.get('KUBE-FORWARD')!.push(
      R('-m', 'comment', '--comment', 'kubernetes forwarding rules', '-m', 'mark', '--mark', `${MASQ_MARK}/${MASQ_MARK}`, '-j', 'ACCEPT'),
      R('-m', 'comment', '--comment', 'kubernetes forwarding conntrack rule', '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'),
    );
    filter.get('KUBE-NODE-PORT')!.push(R('-m', 'comment', '--comment', comment('KUBE-HEALTH-CHECK-NODE-PORT'), '-m', 'set', '--match-set', 'KUBE-HEALTH-CHECK-NODE-PORT', 'dst', '-j', 'ACCEPT'));
    const ipvsFilter = filter.get('KUBE-IPVS-FILTER')!;
    for (const set of ['KUBE-LOAD-BALANCER', 'KUBE-CLUSTER-IP', 'KUBE-EXTERNAL-IP', 'KUBE-EXTERNAL-IP-LOCAL']) ipvsFilter.push(R('-m', 'set', '--match-set', set, 'dst,dst', '-j', 'RETURN'));
    ipvsFilter.push(R('-m', 'set', '--match-set', 'KUBE-HEALTH-CHECK-NODE-PORT', 'dst', '-j', 'RETURN'));
    ipvsFilter.push(R('-m', 'conntrack', '--ctstate', 'NEW', '-m', 'set', '--match-set', 'KUBE-IPVS-IPS', 'dst', '-j', 'REJECT'));
    const post = nat.get('KUBE-POSTROUTING')!;
    post.push(
      R('-m', 'mark', '!', '--mark', `${MASQ_MARK}/${MASQ_MARK}`, '-j', 'RETURN'),
      R('-j', 'MARK', '--xor-mark', MASQ_MARK),
      R('-m', 'comment', '--comment', 'kubernetes service traffic requiring SNAT', '-j', 'MASQUERADE', '--random-fully'),
    );
    nat.get('KUBE-MARK-MASQ')!.push(R('-j', 'MARK', '--or-mark', MASQ_MARK));
    for (const [name, rules] of nat) nf.writeChain('nat', { name, rules } as Chain);
    for (const [name, rules] of filter) nf.writeChain('filter', { name, rules } as Chain);
    if (full) {
      for (const [table, from, to, c] of IPVS_JUMPS) {
        const rule = jumpRule(c, [], to);
        const chain = nf.table(table).get(from)!;
        const body = saveRuleBody(rule);
        if (!chain.rules.some((r) => saveRuleBody(r) === body)) nf.own(table, from)!.rules.unshift(rule);
      }
    }
  }

  /**
   * The source workload's chains run where the kernel runs them: with kube-proxy in IPVS mode
   * Felix defers a workload's policy until IPVS has picked a real server
   * (KubeIPVSSupportEnabled: cali-forward-check gives the packet its endpoint's mark in filter
   * INPUT, cali-OUTPUT's cali-forward-endpoint-mark runs cali-fw-<veth> on the way out;
   * felix/rules/static.go), so `wl` watches the OUTPUT that follows IPVS.
   */
  translate(node: string, nf: NodeNetfilter, pkt: Packet, origin: PacketOrigin, wl?: SourceWorkload): NatDecision {
    return walkNode(this.host, node, nf, pkt, origin, this.mode, (w) => this.localIn(w), wl);
  }

  /**
   * IPVS's hooks (net/netfilter/ipvs/ip_vs_core.c ip_vs_ops4, 6.x): a packet from a Pod or the
   * wire to a virtual service meets it at LOCAL_IN (ip_vs_remote_request4, priority
   * NF_IP_PRI_NAT_SRC - 2: after mangle and filter INPUT have seen the VIP); the node's own
   * packet at LOCAL_OUT (ip_vs_local_request4, NF_IP_PRI_NAT_DST + 1: right after nat OUTPUT,
   * before filter OUTPUT). ip_vs_nat_xmit then rewrites the destination; to a real server that
   * is not one of the node's addresses ip_vs_nat_send_or_cont sends the packet through LOCAL_OUT
   * again (raw, mangle, filter OUTPUT — conntrack and nat OUTPUT already bound, IPVS skipping
   * its own packet) and on to POSTROUTING; to a local one (a host-network endpoint on this node)
   * it lets the packet go on where it was: up to the socket from LOCAL_IN, or filter OUTPUT and
   * POSTROUTING from LOCAL_OUT.
   */
  private localIn(w: Walk): NatDecision | undefined {
    const { env, st, hops, node, origin, pkt } = w;
    const proto = PROTO[pkt.proto];
    if (!w.local || !proto || !this.refresh(node).vs.has(vsKey(proto, formatIPv4(st.dst), st.dport))) return undefined;
    const fromHost = origin === 'host';
    if (!fromHost) {
      const m = traverseQuiet(env, 'mangle', 'INPUT', st, hops);
      if (m.verdict !== 'ACCEPT') return w.done(m.verdict, m.rejectWith);
      const rin = traverse(env, 'filter', 'INPUT', st, hops);
      if (rin.verdict !== 'ACCEPT') return w.done(rin.verdict, rin.rejectWith);
    }
    const pick = this.schedule(node, st, formatIPv4(st.src), hops);
    if (pick === 'no-destination') {
      hops.push({ where: `${node} ipvs`, what: `virtual service ${pkt.dst}:${pkt.dport} has no real servers`, verdict: 'reject' });
      return w.done('REJECT', 'tcp-reset');
    }
    if (pick === 'drop') return w.done('DROP');
    if (!pick) return undefined;
    w.dnatTo = pick;
    w.viaIpvs = true;
    st.dst = parseIPv4(pick.ip)!;
    st.dport = pick.port;
    st.ctstate.add('DNAT');
    w.local = w.host.isLocal(node, st.dst);
    if (!w.local && !fromHost) {
      // re-sent through LOCAL_OUT (NF_HOOK in ip_vs_nat_send_or_cont)
      const raw = traverseRaw(env, 'OUTPUT', st, hops);
      if (raw.verdict !== 'ACCEPT') return w.done(raw.verdict, raw.rejectWith);
      const m = traverseQuiet(env, 'mangle', 'OUTPUT', st, hops);
      if (m.verdict !== 'ACCEPT') return w.done(m.verdict, m.rejectWith);
    }
    if (!w.local || fromHost) {
      const rout = traverse(env, 'filter', 'OUTPUT', st, hops);
      if (rout.verdict !== 'ACCEPT') return w.done(rout.verdict, rout.rejectWith);
      const m = traverseQuiet(env, 'mangle', 'POSTROUTING', st, hops);
      if (m.verdict !== 'ACCEPT') return w.done(m.verdict, m.rejectWith);
      if (!w.tracked) {
        const rpost = traverse(env, 'nat', 'POSTROUTING', st, hops);
        if (rpost.masquerade) w.masquerade = true;
        if (rpost.randomFully) w.randomFully = true;
      }
    }
    w.record();
    return w.done('ACCEPT');
  }

  /** `--match-set` lookups from the netfilter executor. */
  ipsetMatch(node: string, name: string, pkt: PacketState, flags: string[]): boolean | undefined {
    const s = this.refresh(node);
    const set = s.sets.get(name);
    if (!set) return undefined;
    return set.test({ src: formatIPv4(pkt.src), dst: formatIPv4(pkt.dst), sport: pkt.sport, dport: pkt.dport, proto: pkt.proto }, flags);
  }

  /**
   * IPVS at LOCAL_IN (ip_vs_in_hook): the packet's own connection first (ip_vs_conn_in_get on
   * protocol, client address and port, virtual address and port). With conn_reuse_mode 1 (the
   * default kube-proxy leaves on kernels from 5.9) a TCP SYN on a connection in TIME_WAIT or
   * CLOSE expires it and is scheduled anew (is_new_conn_expected); a connection whose real
   * server left the virtual service is expired and its packet dropped (expire_nodest_conn=1,
   * which kube-proxy sets; "the destination server is not available"); any other connection
   * sends the packet to its real server and restarts its timer, whatever conntrack holds. A new
   * connection: persistence template first, then the scheduler; recorded with its counters.
   */
  schedule(node: string, pkt: PacketState, src: string, hops: TraceHop[]): { ip: string; port: number } | 'no-destination' | 'drop' | undefined {
    const s = this.refresh(node);
    const proto = PROTO[pkt.proto];
    if (!proto) return undefined;
    const vip = formatIPv4(pkt.dst);
    const vs = s.vs.get(vsKey(proto, vip, pkt.dport));
    if (!vs) return undefined;
    const now = this.cluster.clock.now();
    this.expire(s, now);
    const timeout = (proto === 'TCP' ? TIMEOUTS.tcpTimeWait : TIMEOUTS.udp) * 1000;
    const cp = s.conns.find((c) => !c.template && c.proto === proto && c.src === src && c.sport === pkt.sport && c.vip === vip && c.vport === vs.port);
    if (cp) {
      const real = vs.reals.find((r) => r.ip === cp.dst && r.port === cp.dport);
      const resched = proto === 'TCP' && (cp.state === 'TIME_WAIT' || cp.state === 'CLOSE');
      if (resched || !real) {
        this.expireNow(s, cp);
        if (!real && !resched) {
          hops.push({ where: `${node} ipvs`, what: `connection ${proto} ${src}:${pkt.sport} → ${vip}:${vs.port} goes to ${cp.dst}:${cp.dport}, no longer a real server of the virtual service: the connection is expired and the packet dropped (expire_nodest_conn)`, verdict: 'drop' });
          return 'drop';
        }
      } else {
        cp.expires = now + timeout;
        count(vs, real, proto, false);
        hops.push({ where: `${node} ipvs`, what: `${proto}  ${vip}:${vs.port} ${vs.scheduler}: the connection ${src}:${pkt.sport} is in IPVS's connection table`, detail: `-> ${real.ip}:${real.port} Masq`, verdict: 'dnat' });
        return { ip: real.ip, port: real.port };
      }
    }
    let real: RealServer | undefined;
    if (vs.persistent) {
      const tpl = s.conns.find((c) => c.template && c.src === src && c.vip === vip && c.vport === vs.port && c.proto === proto);
      if (tpl) real = vs.reals.find((r) => r.ip === tpl.dst && r.port === tpl.dport && r.weight > 0);
    }
    if (!real) real = schedule(vs, src, vip);
    if (!real) return 'no-destination';
    if (vs.persistent) {
      const expires = now + vs.persistent * 1000;
      const tpl = s.conns.find((c) => c.template && c.src === src && c.vip === vip && c.vport === vs.port && c.proto === proto);
      if (tpl) {
        tpl.dst = real.ip;
        tpl.dport = real.port;
        tpl.expires = expires;
      } else s.conns.push({ proto, src, sport: 0, vip, vport: vs.port, dst: real.ip, dport: real.port, state: 'NONE', expires, template: true });
    }
    // The request and its reply, then the connection closes (TIME_WAIT) or idles (UDP).
    const state = proto === 'TCP' ? 'TIME_WAIT' : 'UDP';
    s.conns.push({ proto, src, sport: pkt.sport, vip, vport: vs.port, dst: real.ip, dport: real.port, state, expires: now + timeout });
    real.inactConns++;
    count(vs, real, proto, true);
    hops.push({ where: `${node} ipvs`, what: `${proto}  ${vip}:${vs.port} ${vs.scheduler}${vs.persistent ? ` persistent ${vs.persistent}` : ''}`, detail: `-> ${real.ip}:${real.port} Masq`, verdict: 'dnat' });
    return { ip: real.ip, port: real.port };
  }

  /** ip_vs_conn_expire_now: the connection leaves the table (its real server's inactive count with it). */
  private expireNow(s: NodeIpvs, cp: IpvsConn): void {
    s.conns = s.conns.filter((c) => c !== cp);
    const r = s.vs.get(vsKey(cp.proto, cp.vip, cp.vport))?.reals.find((x) => x.ip === cp.dst && x.port === cp.dport);
    if (r && r.inactConns > 0) r.inactConns--;
  }

  private expire(s: NodeIpvs, now: number): void {
    if (!s.conns.some((c) => c.expires <= now)) return;
    const keep: IpvsConn[] = [];
    for (const c of s.conns) {
      if (c.expires > now) keep.push(c);
      else if (!c.template) {
        const vs = s.vs.get(vsKey(c.proto, c.vip, c.vport));
        const r = vs?.reals.find((x) => x.ip === c.dst && x.port === c.dport);
        if (r && r.inactConns > 0) r.inactConns--;
      }
    }
    s.conns = keep;
  }

  tick(now: number): void {
    for (const s of this.nodes.values()) this.expire(s, now);
  }

  /** A dry run's packets (a grading check) leave no connection, scheduler turn or counter behind. */
  saveTraffic(): IpvsSnapshot {
    return this.snapshot();
  }

  restoreTraffic(saved: unknown): void {
    const d = saved as IpvsSnapshot;
    for (const [name, s] of this.nodes) {
      const n = d.nodes[name];
      s.conns = (n?.conns ?? []).map((c) => ({ ...c }));
      const before = new Map((n?.vs ?? []).map((t) => [t[0], t]));
      for (const [k, v] of s.vs) {
        const t = before.get(k);
        // a virtual server the dry run's sync created starts as a new one does
        v.rrPos = t ? t[1] : -1;
        v.stats = t ? fromTuple(t[3]) : zeroStats();
        for (const r of v.reals) {
          const rt = t?.[4].find(([ip, port]) => ip === r.ip && port === r.port);
          Object.assign(r, rt ? { activeConns: rt[2], inactConns: rt[3], stats: fromTuple(rt[4]) } : { activeConns: 0, inactConns: 0, stats: zeroStats() });
        }
      }
    }
  }

  snapshot(): IpvsSnapshot {
    const nodes: IpvsSnapshot['nodes'] = {};
    for (const [name, s] of this.nodes) {
      const vs: VsTuple[] = [];
      for (const [k, v] of s.vs) {
        vs.push([k, v.rrPos, 0, statsTuple(v.stats), v.reals.map((r) => [r.ip, r.port, r.activeConns, r.inactConns, statsTuple(r.stats)])]);
      }
      nodes[name] = { conns: s.conns.map((c) => ({ ...c })), vs };
    }
    return { nodes };
  }

  restore(data: unknown): void {
    const d = data as IpvsSnapshot | undefined;
    if (!d?.nodes) return;
    for (const [name, n] of Object.entries(d.nodes)) {
      const s = this.refresh(name);
      s.conns = n.conns.map((c) => ({ ...c }));
      for (const [k, rrPos, , stats, reals] of n.vs) {
        const v = s.vs.get(k);
        if (!v) continue;
        v.rrPos = rrPos;
        v.stats = fromTuple(stats);
        for (const [ip, port, a, i, st] of reals) {
          const r = v.reals.find((x) => x.ip === ip && x.port === port);
          if (r) Object.assign(r, { activeConns: a, inactConns: i, stats: fromTuple(st) });
        }
      }
    }
  }
}

/** A connection's packets in the virtual server's and the real server's counters (a new one also counts in Conns). */
function count(vs: VirtualServer, real: RealServer, proto: IpvsProto, created: boolean): void {
  for (const st of [vs.stats, real.stats]) {
    if (created) st.conns++;
    st.inpkts += proto === 'TCP' ? 5 : 1;
    st.outpkts += proto === 'TCP' ? 4 : 1;
    st.inbytes += proto === 'TCP' ? 338 : 60;
    st.outbytes += proto === 'TCP' ? 1018 : 120;
  }
}

type IpvsStatsTuple = [number, number, number, number, number];
/** A virtual server's mutable state: key, rr position, (unused), stats, real servers [ip, port, active, inactive, stats]. */
type VsTuple = [string, number, number, IpvsStatsTuple, [string, number, number, number, IpvsStatsTuple][]];

/** The IPVS state a snapshot keeps per node: connections, and each virtual server's scheduler position and counters. */
interface IpvsSnapshot {
  nodes: Record<string, { conns: IpvsConn[]; vs: VsTuple[] }>;
}
const statsTuple = (s: { conns: number; inpkts: number; outpkts: number; inbytes: number; outbytes: number }): IpvsStatsTuple => [s.conns, s.inpkts, s.outpkts, s.inbytes, s.outbytes];
const fromTuple = (t: IpvsStatsTuple) => ({ conns: t[0], inpkts: t[1], outpkts: t[2], inbytes: t[3], outbytes: t[4] });

function ipNum(ip: string): number {
  return parseIPv4(ip) ?? 0;
}
