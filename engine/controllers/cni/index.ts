/**
 * The CNI room: each node's and each pod's network namespace (links, addresses,
 * routes, neighbours) as the configured plugin (settings.cni) would have wired them,
 * derived from Nodes and Pods. The traffic room walks these; `ip`/`bridge`/`ss`
 * print them; /etc/cni/net.d comes from config.ts.
 */
import type { ClusterRuntime } from '../runtime';
import type { SimModule } from '../../cluster/module';
import type { ClusterSettings, KubeObject } from '../../cluster/types';
import type { HostRef, TraceHop } from '../../types';
import { CniModule, cniModule } from './module';
import { buildNodeNamespace, buildPodNamespace, cniOptions, hostVethName, podGateway, podMtuFor, nodeMtu, podEth0Index } from './plugins';
import { clusterNodes, findNode, type NodeInfo } from './topology';
import type { NetLink, NetNamespace, NetRoute } from './model';
import { cniConfigFiles } from './config';
import { registerCniFiles } from './files';

export type { NetAddr, NetLink, NetNamespace, NetNeighbor, NetRoute, LinkKind } from './model';
export type { NodeInfo } from './topology';
export { clusterNodes, findNode, podsOnNode, hasSandbox } from './topology';
export { hostVethName, macFor, dockerMac, linkLocal, podMtu, podMtuFor, nodeMtu, serviceAddresses, cniOptions } from './plugins';
export type { CniOptions } from './plugins';
export { cniConfigFiles } from './config';
export { CniModule } from './module';

export function createCniModules(sim: ClusterRuntime): SimModule[] {
  const mod = new CniModule(sim);
  registerCniFiles(sim);
  return [mod];
}

const cache = new WeakMap<ClusterRuntime, { revision: number; spaces: Map<string, NetNamespace | undefined> }>();

function cached(sim: ClusterRuntime, key: string, build: () => NetNamespace | undefined): NetNamespace | undefined {
  let c = cache.get(sim);
  if (!c || c.revision !== sim.store.revision) {
    c = { revision: sim.store.revision, spaces: new Map() };
    cache.set(sim, c);
  }
  if (!c.spaces.has(key)) c.spaces.set(key, build());
  return c.spaces.get(key);
}

/** A node's host network namespace (undefined if there is no such node). */
export function nodeNamespace(sim: ClusterRuntime, node: string): NetNamespace | undefined {
  return cached(sim, `node/${node}`, () => {
    const nodes = clusterNodes(sim);
    const info = nodes.find((n) => n.name === node);
    if (!info) return undefined;
    return buildNodeNamespace(sim, cniModule(sim), info, nodes);
  });
}

/** A pod's network namespace; host-network pods share their node's. */
export function podNamespace(sim: ClusterRuntime, pod: KubeObject): NetNamespace | undefined {
  if (pod.spec?.hostNetwork && pod.spec?.nodeName) return nodeNamespace(sim, pod.spec.nodeName);
  return cached(sim, `pod/${pod.metadata.namespace}/${pod.metadata.name}`, () => {
    const info = pod.spec?.nodeName ? findNode(sim, pod.spec.nodeName) : undefined;
    if (!info) return undefined;
    return buildPodNamespace(sim, cniModule(sim), pod, info);
  });
}

/** The namespace a shell host sits in (the workstation has none in the cluster). */
export function hostNamespace(sim: ClusterRuntime, host: HostRef): NetNamespace | undefined {
  if (host.kind === 'node') return nodeNamespace(sim, host.node);
  if (host.kind === 'pod') {
    const pod = sim.store.get('Pod', host.namespace, host.pod);
    return pod ? podNamespace(sim, pod) : undefined;
  }
  return undefined;
}

export interface PodInterface {
  namespace: string;
  pod: string;
  node: string;
  ip: string;
  /** eth0 inside the pod */
  ifname: 'eth0';
  ifindex: number;
  mac: string;
  mtu: number;
  /** The host side of the veth pair and its ifindex on the node. */
  hostVeth: string;
  hostIfindex: number;
  /** The bridge the host veth is enslaved to (flannel cni0, weave), if any. */
  bridge?: string;
  gateway: string;
}

/** The pod's eth0 and where it plugs into its node; undefined for host-network or unscheduled pods. */
export function podInterface(sim: ClusterRuntime, pod: KubeObject): PodInterface | undefined {
  const ns = podNamespace(sim, pod);
  if (!ns || pod.spec?.hostNetwork) return undefined;
  const eth0 = ns.links.find((l) => l.name === 'eth0')!;
  const node = findNode(sim, pod.spec.nodeName)!;
  const a = cniModule(sim).podAlloc(node.name, pod.metadata.uid)!;
  const s = sim.settings;
  return {
    namespace: pod.metadata.namespace!,
    pod: pod.metadata.name,
    node: node.name,
    ip: pod.status.podIP,
    ifname: 'eth0',
    ifindex: podEth0Index(s, cniOptions(sim)),
    mac: eth0.mac,
    mtu: eth0.mtu,
    hostVeth: hostVethName(s, pod),
    hostIfindex: a.ifindex,
    bridge: s.cni === 'flannel' ? 'cni0' : s.cni === 'weave' ? 'weave' : undefined,
    gateway: podGateway(s, node),
  };
}

export function nodeInterfaces(sim: ClusterRuntime, node: string): NetLink[] {
  return nodeNamespace(sim, node)?.links ?? [];
}

export function nodeRoutes(sim: ClusterRuntime, node: string): NetRoute[] {
  return nodeNamespace(sim, node)?.routes ?? [];
}

export type CrossNodeMode = 'local' | 'vxlan' | 'ipip' | 'bgp' | 'host-gw' | 'geneve' | 'vpc' | 'fastdp';

export interface CrossNodePath {
  mode: CrossNodeMode;
  /** The device the packet leaves the source node by (flannel.1, tunl0, cilium_vxlan, vxlan-6784, eth0). */
  device: string;
  /** The path MTU pods see (inner packet). */
  mtu: number;
  /** Bytes of encapsulation added per packet. */
  overhead: number;
  /** Routers that decrement the inner packet's TTL (each node's forwarding step). */
  routers: number;
  hops: TraceHop[];
}

/** How a pod packet gets from one node to another under the configured plugin. */
export function crossNodePath(sim: ClusterRuntime, fromNode: string, toNode: string): CrossNodePath {
  const s = sim.settings;
  const nodes = clusterNodes(sim);
  const from = nodes.find((n) => n.name === fromNode);
  const to = nodes.find((n) => n.name === toNode);
  const mtu = podMtuFor(sim);
  const opts = cniOptions(sim);
  if (!from || !to || from.name === to.name) {
    const dev = s.cni === 'flannel' ? 'cni0' : s.cni === 'weave' ? 'weave' : 'veth';
    return {
      mode: 'local', device: dev, mtu, overhead: 0, routers: 1,
      hops: [{ where: fromNode, what: s.cni === 'flannel' || s.cni === 'weave' ? `bridge ${dev} forwards between the two veths` : 'routed between the two veths on the host', verdict: 'pass' }],
    };
  }
  const wire: TraceHop = { where: `${from.name} eth0 → ${to.name} eth0`, what: '', verdict: 'pass' };
  switch (s.cni) {
    case 'flannel':
      if (opts.flannelBackend === 'host-gw') {
        wire.what = `plain IP ${from.ip} → ${to.ip} (pod addresses on the wire, no encapsulation)`;
        return {
          mode: 'host-gw', device: 'eth0', mtu, overhead: 0, routers: 2,
          hops: [
            { where: from.name, what: `route ${to.podCIDR} via ${to.ip} dev eth0`, detail: 'flannel host-gw: the nodes must share an L2 segment', verdict: 'pass' },
            wire,
            { where: to.name, what: 'cni0 delivers to the pod veth', verdict: 'pass' },
          ],
        };
      }
      wire.what = `UDP ${from.ip}:8472 → ${to.ip}:8472 (VXLAN VNI 1)`;
      return {
        mode: 'vxlan', device: 'flannel.1', mtu, overhead: 50, routers: 2,
        hops: [
          { where: from.name, what: `route ${to.podCIDR} via ${intToIpNet(to.podCIDR)} dev flannel.1 onlink`, detail: 'VXLAN encapsulation (outer Ethernet + IP + UDP + VXLAN = 50 bytes)', verdict: 'pass' },
          wire,
          { where: to.name, what: 'flannel.1 decapsulates, cni0 delivers to the pod veth', verdict: 'pass' },
        ],
      };
    case 'calico':
      if (opts.calicoEncap === 'vxlan') {
        wire.what = `UDP ${from.ip} → ${to.ip}:4789 (VXLAN VNI 4096)`;
        return {
          mode: 'vxlan', device: 'vxlan.calico', mtu, overhead: 50, routers: 2,
          hops: [
            { where: from.name, what: `route ${to.podCIDR} via ${intToIpNet(to.podCIDR)} dev vxlan.calico onlink`, detail: 'programmed by Felix; VXLAN adds 50 bytes', verdict: 'pass' },
            wire,
            { where: to.name, what: 'vxlan.calico decapsulates, /32 route to the pod cali* veth', verdict: 'pass' },
          ],
        };
      }
      if (opts.calicoEncap === 'none') {
        wire.what = `plain IP ${from.ip} → ${to.ip} (routes learned over BGP, no encapsulation)`;
        return {
          mode: 'bgp', device: 'eth0', mtu, overhead: 0, routers: 2,
          hops: [
            { where: from.name, what: `route ${to.podCIDR} via ${to.ip} dev eth0 proto bird`, detail: 'BIRD learned it from the peer over BGP (TCP 179)', verdict: 'pass' },
            wire,
            { where: to.name, what: '/32 route to the pod cali* veth', verdict: 'pass' },
          ],
        };
      }
      wire.what = `IPIP ${from.ip} → ${to.ip} (IP protocol 4)`;
      return {
        mode: 'ipip', device: 'tunl0', mtu, overhead: 20, routers: 2,
        hops: [
          { where: from.name, what: `route ${to.podCIDR} via ${to.ip} dev tunl0 proto bird onlink`, detail: 'learned over BGP from BIRD; IPIP adds a 20-byte outer IP header', verdict: 'pass' },
          wire,
          { where: to.name, what: 'tunl0 decapsulates, /32 route to the pod cali* veth', verdict: 'pass' },
        ],
      };
    case 'cilium':
      wire.what = `UDP ${from.ip} → ${to.ip}:8472 (VXLAN)`;
      return {
        mode: 'vxlan', device: 'cilium_vxlan', mtu, overhead: 50, routers: 2,
        hops: [
          { where: from.name, what: 'eBPF on the lxc* veth looks up the tunnel endpoint for the destination', detail: 'encapsulated by cilium_vxlan', verdict: 'pass' },
          wire,
          { where: to.name, what: 'cilium_vxlan decapsulates, eBPF redirects to the pod lxc* veth', verdict: 'pass' },
        ],
      };
    case 'weave':
      wire.what = `UDP ${from.ip} → ${to.ip}:6784 (weave fastdp VXLAN)`;
      return {
        mode: 'fastdp', device: 'vxlan-6784', mtu, overhead: 50, routers: 2,
        hops: [
          { where: from.name, what: 'weave bridge → datapath (OVS) → vxlan-6784', verdict: 'pass' },
          wire,
          { where: to.name, what: 'vxlan-6784 → datapath → weave bridge → pod veth', verdict: 'pass' },
        ],
      };
    case 'aws-vpc-cni':
      wire.what = `VPC fabric routes ${from.ip} → ${to.ip} (pod IPs are secondary ENI addresses)`;
      return {
        mode: 'vpc', device: 'eth0', mtu, overhead: 0, routers: 2,
        hops: [
          { where: from.name, what: 'policy routing sends the pod packet out the ENI that owns its address', verdict: 'pass' },
          wire,
          { where: to.name, what: '/32 route to the pod eni* veth', verdict: 'pass' },
        ],
      };
  }
}

function intToIpNet(cidr: string): string {
  return cidr.split('/')[0];
}

/**
 * Whether the plugin enforces NetworkPolicy: flannel never does; calico, cilium and weave
 * do; the AWS VPC CNI only with its network policy agent turned on (the `amazon-vpc-cni`
 * ConfigMap in kube-system, key `enable-network-policy-controller: "true"`).
 */
export function cniEnforcesPolicy(settings: ClusterSettings, sim?: ClusterRuntime): boolean {
  switch (settings.cni) {
    case 'flannel':
      return false;
    case 'calico':
    case 'cilium':
    case 'weave':
      return true;
    case 'aws-vpc-cni': {
      const cm = sim?.store.get('ConfigMap', 'kube-system', 'amazon-vpc-cni');
      return cm?.data?.['enable-network-policy-controller'] === 'true';
    }
  }
}

/** Files the CNI leaves on a node, by path. */
export function nodeCniFiles(sim: ClusterRuntime, node: string): Record<string, string> {
  const info = findNode(sim, node);
  return info ? cniConfigFiles(sim, info) : {};
}

export { nodeMtu as wireMtu, podGateway };
export type { NodeInfo as CniNode };
