/**
 * The connections a cluster keeps open on its own, before anyone sends a packet: what a
 * real node's `conntrack -L` and `ss -tn` show beside a learner's traffic.
 *
 * - the kubelet and kube-proxy to the API server at the address kubeadm wrote into their
 *   kubeconfigs (kubelet.conf, kube-proxy's kubeconfig.conf: https://<control-plane>:6443);
 *   on the control-plane node also kube-controller-manager and kube-scheduler (kubeadm
 *   points their kubeconfigs at the local API endpoint), and the API server to etcd on
 *   127.0.0.1:2379 (--etcd-servers);
 * - the CNI agent (calico-node, flanneld, cilium-agent, weave-npc, aws-k8s-agent), CoreDNS
 *   and calico-kube-controllers through the `kubernetes` Service (client-go's in-cluster
 *   config: KUBERNETES_SERVICE_HOST, the Service's ClusterIP), DNATed by kube-proxy to the
 *   API server's endpoint; Cilium's kube-proxy replacement dials the API server itself
 *   (its k8sServiceHost), as nothing would translate the ClusterIP before the agent runs;
 * - Calico's BIRD: a BGP full mesh, one TCP session per pair of nodes on port 179, the
 *   one the speaker with the higher router id (the node address) opened (RFC 4271 §6.8).
 *
 * Masquerading: a host process's connection to the ClusterIP is marked by kube-proxy's
 * `! -s <clusterCIDR> … -j KUBE-MARK-MASQ` and leaves through `MASQUERADE --random-fully`;
 * a pod's to the API server's node address through the CNI's own outgoing NAT (Calico's
 * cali-nat-outgoing, flanneld's masq rule, Cilium's and Weave's; not the AWS VPC CNI's,
 * whose SNAT skips the VPC). With --random-fully (kube-proxy's, Calico's, flanneld's) the
 * source port is drawn anew (nf_nat_l4proto_unique_tuple over 1024–65535), so the reply
 * tuple's port differs; Cilium's masquerade rule has no --random-fully (its
 * iptables-random-fully is off by default) and keeps the port.
 *
 * Everything is derived from the objects and the seed: each connection's ephemeral port
 * (from ip_local_port_range 32768–60999), its translated port, and when it last carried a
 * packet (its ESTABLISHED timer restarts then: the kubelet's lease renewal every 10 s, the
 * leader-election renewals every 2 s, client-go's HTTP/2 health pings after 30 s idle,
 * BIRD's keepalives every 80 s — its default hold time 240 s / 3).
 */
import type { Cluster } from '../cluster/cluster';
import { sha1 } from '../cluster/hash';
import { nodeByName, nodes, topology, type NodeInfo, type PodInfo } from './topology';
import { nodeListeners } from './apps';
import type { NetCluster } from './ports';

/** One end of a background connection in a host's network namespace (what ss lists). */
export interface BackgroundSocket {
  local: string;
  lport: number;
  peer: string;
  pport: number;
  /** The process owning it (ss -p), its PID key as systemd.ts/ss.ts use them (`${node}/kubelet`) and the base of that PID. */
  process: string;
  pidKey: string;
  pidBase: number;
  fd: number;
  /** An IPv4 connection accepted on a dual-stack (`[::]`) listener: ss prints `[::ffff:a.b.c.d]`. */
  mapped?: boolean;
}

/** A tracked connection as one node's conntrack table holds it. */
export interface BackgroundEntry {
  src: string;
  sport: number;
  dst: string;
  dport: number;
  replySrc: string;
  replySport: number;
  replyDst: string;
  replyDport: number;
  /** The virtual time the connection last carried a packet (its timer restarted). */
  lastPacket: number;
}

interface Flow {
  key: string;
  /** The client's host: a node name (its host netns) or a pod's node when `pod` is set. */
  node: string;
  pod?: string;
  src: string;
  sport: number;
  /** What the client dialled. */
  dst: string;
  dport: number;
  /** Where it really goes (after DNAT): a node's address and port. */
  server: { node: string; ip: string; port: number; process: string; pidKey: string; pidBase: number; mapped: boolean };
  client: { process: string; pidKey: string; pidBase: number; fd: number };
  /** The source port after --random-fully masquerade, when it leaves masqueraded. */
  masqPort?: number;
  period: number;
  /** Where in its period the connection's packets fall (seeded). */
  phase: number;
}

/** ip_local_port_range's default (32768 60999): where connect() picks an ephemeral port. */
const EPHEMERAL_LOW = 32768;
const EPHEMERAL_HIGH = 60999;

function hashOf(seed: number, key: string): number {
  return parseInt(sha1(`${seed}/${key}`).slice(0, 8), 16);
}

export function ephemeralPort(seed: number, key: string): number {
  return EPHEMERAL_LOW + (hashOf(seed, `eph/${key}`) % (EPHEMERAL_HIGH - EPHEMERAL_LOW + 1));
}

/** MASQUERADE --random-fully's port: nf_nat_l4proto_unique_tuple draws over 1024–65535 for a source port ≥ 1024. */
export function randomFullyPort(seed: number, key: string, sport: number): number {
  if (sport < 1024) return sport;
  return 1024 + (hashOf(seed, `nat/${key}`) % (65535 - 1024 + 1));
}

/** The CNI agent's DaemonSet → the process that talks to the API server, with its PID key (ss.ts's `${node}/felix` for calico-node). */
const CNI_AGENTS: Record<string, { ds: string; process: string; pid: string }> = {
  calico: { ds: 'calico-node', process: 'calico-node', pid: 'felix' },
  flannel: { ds: 'kube-flannel-ds', process: 'flanneld', pid: 'flanneld' },
  cilium: { ds: 'cilium', process: 'cilium-agent', pid: 'cilium-agent' },
  weave: { ds: 'weave-net', process: 'weave-npc', pid: 'weave-npc' },
  'aws-vpc-cni': { ds: 'aws-node', process: 'aws-k8s-agent', pid: 'aws-k8s-agent' },
};

/** Pods of the pod network that watch the API server through the `kubernetes` Service. */
const POD_CLIENTS: { namespace: string; label: string; value: string; process: string }[] = [
  { namespace: 'kube-system', label: 'k8s-app', value: 'kube-dns', process: 'coredns' },
  { namespace: 'kube-system', label: 'k8s-app', value: 'calico-kube-controllers', process: 'kube-controller' },
];

const PERIOD = { lease: 10_000, leader: 2_000, watch: 30_000, bgp: 80_000, etcd: 2_000 };

function ownedBy(pod: { obj: { metadata: { ownerReferences?: { kind: string; name: string }[] } } }, kind: string, prefix: string): boolean {
  return (pod.obj.metadata.ownerReferences ?? []).some((o) => o.kind === kind && (o.name === prefix || o.name.startsWith(`${prefix}-`)));
}

/**
 * The background connections a node takes part in (as client or server), derived from the
 * objects and cached per store revision. BIRD's full mesh is N² sessions (4,950 on 100
 * nodes), so a node's share of it is derived only when that node is asked about.
 */
function flowsAt(cluster: NetCluster, node: string): Flow[] {
  let cached = cache.get(cluster);
  if (!cached || cached.revision !== cluster.store.revision) {
    const byNode = new Map<string, Flow[]>();
    const at = (n: string, f: Flow) => {
      const list = byNode.get(n);
      if (list) list.push(f);
      else byNode.set(n, [f]);
    };
    const derived = deriveFlows(cluster);
    for (const f of derived.flows) {
      at(f.node, f);
      if (f.server.node !== f.node) at(f.server.node, f);
    }
    cached = { revision: cluster.store.revision, byNode, bird: derived.bird, withBgp: new Map() };
    cache.set(cluster, cached);
  }
  let all = cached.withBgp.get(node);
  if (!all) {
    all = [...(cached.byNode.get(node) ?? []), ...bgpFlows(cluster.seed, cached.bird, node)];
    cached.withBgp.set(node, all);
  }
  return all;
}

const cache = new WeakMap<Cluster, { revision: number; byNode: Map<string, Flow[]>; bird: NodeInfo[]; withBgp: Map<string, Flow[]> }>();

function makeFlow(seed: number, f: Omit<Flow, 'sport' | 'masqPort' | 'phase'> & { masq?: 'random' | 'keep' }): Flow {
  const sport = ephemeralPort(seed, f.key);
  const { masq, ...rest } = f;
  return { ...rest, sport, phase: hashOf(seed, `phase/${f.key}`) % f.period, ...(masq ? { masqPort: masq === 'random' ? randomFullyPort(seed, f.key, sport) : sport } : {}) };
}

/**
 * Calico's BGP full mesh as seen from one node: a session per pair of BIRD speakers, opened
 * by the one with the higher router id; listed in the order the pairs (i < j) of `bird` run.
 */
function bgpFlows(seed: number, bird: NodeInfo[], node: string): Flow[] {
  const x = bird.findIndex((n) => n.name === node);
  if (x < 0) return [];
  const out: Flow[] = [];
  for (let k = 0; k < bird.length; k++) {
    if (k === x) continue;
    const [i, j] = k < x ? [k, x] : [x, k];
    const [a, b] = ipNum(bird[i].ip) > ipNum(bird[j].ip) ? [bird[i], bird[j]] : [bird[j], bird[i]];
    out.push(makeFlow(seed, { key: `bgp/${a.name}/${b.name}`, node: a.name, src: a.ip, dst: b.ip, dport: 179, server: { node: b.name, ip: b.ip, port: 179, process: 'bird', pidKey: `${b.name}/bird`, pidBase: 4000, mapped: false }, client: { process: 'bird', pidKey: `${a.name}/bird`, pidBase: 4000, fd: 8 }, period: PERIOD.bgp }));
  }
  return out;
}

function deriveFlows(cluster: NetCluster): { flows: Flow[]; bird: NodeInfo[] } {
  const s = cluster.settings;
  if (!s.systemLayer) return { flows: [], bird: [] };
  const all = nodes(cluster);
  const cp = all.find((n) => n.controlPlane);
  if (!cp) return { flows: [], bird: [] };
  const seed = cluster.seed;
  const svc = cluster.store.get('Service', 'default', 'kubernetes');
  const clusterIP: string | undefined = svc?.spec?.clusterIP;
  const kubeProxy = !s.kubeProxyReplacement;
  const flows: Flow[] = [];
  const apiserver = (mapped: boolean) => ({ node: cp.name, ip: cp.ip, port: 6443, process: 'kube-apiserver', pidKey: `${cp.name}/apiserver`, pidBase: 1500, mapped });
  /** masq: `random` for a MASQUERADE --random-fully (kube-proxy's, Calico's, flanneld's, Weave's), `keep` for one without (Cilium's iptables masquerade, iptables-random-fully off by default). */
  const add = (f: Parameters<typeof makeFlow>[1]) => flows.push(makeFlow(seed, f));
  const agent = CNI_AGENTS[s.cni];
  // one pass over the Pods: which nodes run kube-proxy and the CNI agent, and the pod-network clients
  const withKubeProxy = new Set<string>();
  const withAgent = new Set<string>();
  const podClients: { pod: PodInfo; process: string }[] = [];
  for (const p of topology(cluster).podsByKey.values()) {
    if (!p.running) continue;
    if (ownedBy(p, 'DaemonSet', 'kube-proxy')) withKubeProxy.add(p.node);
    if (agent && p.hostNetwork && ownedBy(p, 'DaemonSet', agent.ds)) withAgent.add(p.node);
    const c = !p.hostNetwork && p.ip ? POD_CLIENTS.find((x) => x.namespace === p.namespace && p.labels[x.label] === x.value) : undefined;
    if (c) podClients.push({ pod: p, process: c.process });
  }
  for (const n of all) {
    // kubeadm's kubeconfigs name the API server's address: no Service, no NAT
    add({ key: `${n.name}/kubelet`, node: n.name, src: n.ip, dst: cp.ip, dport: 6443, server: apiserver(true), client: { process: 'kubelet', pidKey: `${n.name}/kubelet`, pidBase: 1000, fd: 17 }, period: PERIOD.lease });
    if (kubeProxy && withKubeProxy.has(n.name)) {
      add({ key: `${n.name}/kube-proxy`, node: n.name, src: n.ip, dst: cp.ip, dport: 6443, server: apiserver(true), client: { process: 'kube-proxy', pidKey: `${n.name}/kube-proxy`, pidBase: 2000, fd: 8 }, period: PERIOD.watch });
    }
    if (agent && withAgent.has(n.name)) {
      const viaService = kubeProxy && clusterIP;
      add({
        key: `${n.name}/${agent.pid}`, node: n.name, src: n.ip, dst: viaService ? clusterIP : cp.ip, dport: viaService ? 443 : 6443,
        server: apiserver(true), client: { process: agent.process, pidKey: `${n.name}/${agent.pid}`, pidBase: 4000, fd: 6 }, period: PERIOD.watch,
        // kube-proxy marks a ClusterIP connection from outside the cluster CIDR for masquerade
        masq: viaService ? 'random' : undefined,
      });
    }
    if (n.controlPlane) {
      add({ key: `${n.name}/kcm`, node: n.name, src: n.ip, dst: cp.ip, dport: 6443, server: apiserver(true), client: { process: 'kube-controller', pidKey: `${n.name}/kcm`, pidBase: 1300, fd: 6 }, period: PERIOD.leader });
      add({ key: `${n.name}/sched`, node: n.name, src: n.ip, dst: cp.ip, dport: 6443, server: apiserver(true), client: { process: 'kube-scheduler', pidKey: `${n.name}/sched`, pidBase: 1200, fd: 7 }, period: PERIOD.leader });
      add({ key: `${n.name}/apiserver-etcd`, node: n.name, src: '127.0.0.1', dst: '127.0.0.1', dport: 2379, server: { node: n.name, ip: '127.0.0.1', port: 2379, process: 'etcd', pidKey: `${n.name}/etcd`, pidBase: 1400, mapped: false }, client: { process: 'kube-apiserver', pidKey: `${n.name}/apiserver`, pidBase: 1500, fd: 7 }, period: PERIOD.etcd });
    }
  }
  podClients.sort((a, b) => (a.pod.namespace + '/' + a.pod.name < b.pod.namespace + '/' + b.pod.name ? -1 : 1));
  for (const { pod: p, process } of podClients) {
    const node = nodeByName(cluster, p.node);
    if (!node) continue;
    // the pod network's outgoing NAT toward a node address (the API server's is local to the control plane: no NAT there)
    const masq = node.name === cp.name || s.cni === 'aws-vpc-cni' ? undefined : s.cni === 'cilium' ? 'keep' : 'random';
    const viaService = kubeProxy && clusterIP;
    add({
      key: `${p.namespace}/${p.name}`, node: node.name, pod: `${p.namespace}/${p.name}`, src: p.ip, dst: viaService ? clusterIP : cp.ip, dport: viaService ? 443 : 6443,
      server: apiserver(true), client: { process, pidKey: `${p.namespace}/${p.name}`, pidBase: 1, fd: 7 }, period: PERIOD.watch, masq,
    });
  }
  // Calico's BGP full mesh: BIRD listens on every node where calico-node runs it (bgpFlows)
  const bird = s.cni === 'calico' ? all.filter((n) => nodeListeners(cluster, n.name).some((l) => l.description === 'bird')) : [];
  return { flows, bird };
}

function ipNum(ip: string): number {
  return ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}

/** When a flow last carried a packet: its period's last tick, phased by the seed. */
function lastPacket(f: Flow, now: number): number {
  return now - ((((now - f.phase) % f.period) + f.period) % f.period);
}

/**
 * The background connections one node's conntrack table tracks at `now`: those it sends
 * (its host processes' and its pods', forwarded through the host), and those it receives
 * (the API server's, etcd's and BIRD's side), in the tuple each direction carries there.
 */
export function backgroundConntrack(cluster: NetCluster, node: string, now: number): BackgroundEntry[] {
  const out: BackgroundEntry[] = [];
  for (const f of flowsAt(cluster, node)) {
    const at = lastPacket(f, now);
    const masq = f.masqPort !== undefined;
    // the tuple after the client node's NAT: the node's address and the drawn port when masqueraded
    const src = masq ? nodeIp(cluster, f.node) : f.src;
    const sport = masq ? f.masqPort! : f.sport;
    // the client's node: the original tuple as sent, the reply as translated (DNAT, and SNAT to a new port)
    if (f.node === node) out.push({ src: f.src, sport: f.sport, dst: f.dst, dport: f.dport, replySrc: f.server.ip, replySport: f.server.port, replyDst: src, replyDport: sport, lastPacket: at });
    // the server's node, when the packets crossed to it
    else if (f.server.node === node) out.push({ src, sport, dst: f.server.ip, dport: f.server.port, replySrc: f.server.ip, replySport: f.server.port, replyDst: src, replyDport: sport, lastPacket: at });
  }
  return out;
}

function nodeIp(cluster: NetCluster, name: string): string {
  return nodeByName(cluster, name)?.ip ?? '';
}

/** The background connections' sockets in a node's host network namespace (client and server ends). */
export function backgroundSockets(cluster: NetCluster, node: string): BackgroundSocket[] {
  const out: BackgroundSocket[] = [];
  const serverFds = new Map<string, number>();
  for (const f of flowsAt(cluster, node)) {
    // a pod's socket lives in its own network namespace
    if (f.node === node && !f.pod) {
      out.push({ local: f.src, lport: f.sport, peer: f.dst, pport: f.dport, process: f.client.process, pidKey: f.client.pidKey, pidBase: f.client.pidBase, fd: f.client.fd });
    }
    if (f.server.node === node) {
      const masq = f.masqPort !== undefined;
      const fd = serverFds.get(f.server.pidKey) ?? (f.server.process === 'kube-apiserver' ? 9 : f.server.process === 'etcd' ? 10 : 9);
      serverFds.set(f.server.pidKey, fd + 1);
      out.push({
        local: f.server.ip, lport: f.server.port, peer: masq ? nodeIp(cluster, f.node) : f.src, pport: masq ? f.masqPort! : f.sport,
        process: f.server.process, pidKey: f.server.pidKey, pidBase: f.server.pidBase, fd, mapped: f.server.mapped,
      });
    }
  }
  return out;
}
