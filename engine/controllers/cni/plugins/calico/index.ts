/**
 * Calico (calico-node: Felix programs routes and iptables, BIRD speaks BGP; calico-ipam).
 * Addresses come from /26 blocks of the IPPool that nodes claim (ipam.ts), not from the
 * Node's spec.podCIDR. IPIP Always by default: tunl0 (MTU 1480) holding the node's tunnel
 * address (a /32, the first address of its first block), cali<sha1(ns.pod)[:11]> per pod
 * with the host MAC ee:ee:ee:ee:ee:ee (libcalico-go VethNameForWorkload, cni-plugin
 * linux_dataplane.go), /32 pod routes `scope link`, `blackhole <block> proto bird` per
 * block the node holds, BIRD routes `via <nodeIP> dev tunl0 proto bird onlink` per block
 * another node holds; pods route `default via 169.254.1.1`.
 * VXLAN: vxlan.calico (VNI 4096, port 4789), routes Felix programs itself (proto 80).
 * No encapsulation: plain BGP routes via the peer.
 */
import { sha1 } from '../../../../cluster/hash';
import { cidrContains, isIPv4, parseIPv4 } from '../../../../cluster/ipv4';
import { ether, host32, ll, macFor, pointToPointRoutes } from '../../netdev';
import { wireHop, type CniPlugin, type NodeNetwork } from '../../plugin';
import { calicoConfig, calicoConfigFiles } from './config';
import { felixChains, felixWorkloadChains } from './chains';
import { felixIpsets, felixModel } from './policy';
import { CALICO_GROUP, calicoAssignPod, calicoIpamOn, calicoNodeBlocks, nodeTunnelAddress as tunnelAddress } from './ipam';
import type { Cluster } from '../../../../cluster/cluster';
import type { Manifest } from '../../../../cluster/types';
import { clusterNodes, podsOnNode, type NodeInfo } from '../../topology';

/** The blocks a node holds; before calico-ipam is in service (no system layer), its spec.podCIDR. */
function ranges(cluster: Cluster, node: NodeInfo): string[] {
  if (!calicoIpamOn(cluster)) return [node.podCIDR];
  return calicoNodeBlocks(cluster, node.name);
}

/**
 * Addresses of the node's Pods outside the blocks it holds (AssignIP of a pinned address in
 * another node's block, which non-strict affinity allows): BIRD exports each as a /32.
 */
function borrowed(cluster: Cluster, node: NodeInfo): string[] {
  if (!calicoIpamOn(cluster)) return [];
  const blocks = calicoNodeBlocks(cluster, node.name);
  const out: string[] = [];
  for (const p of podsOnNode(cluster, node.name)) {
    const ip = String(p.status?.podIP ?? '');
    if (isIPv4(ip) && !blocks.some((b) => cidrContains(b, ip))) out.push(ip);
  }
  return out.sort((a, b) => parseIPv4(a)! - parseIPv4(b)!);
}

/**
 * The route BIRD (or Felix on VXLAN) installed toward `dst` on `to`: the block of `to` that holds
 * it, or its /32 (printed bare, as `ip route` does) when `to` runs it outside its blocks; without
 * a destination, the node's first block.
 */
function routeToward(cluster: Cluster, to: NodeInfo, dst: string | undefined): string {
  const blocks = ranges(cluster, to);
  if (dst && isIPv4(dst)) {
    const held = blocks.find((b) => cidrContains(b, dst));
    if (held) return held;
    if (borrowed(cluster, to).includes(dst)) return dst;
  }
  return blocks[0] ?? to.podCIDR;
}

/** The tunnel device's address: calico-node's allocation, else the first address of the node's first range. */

/**
 * The crd.projectcalico.org CRDs manifests/calico.yaml v3.28.2 installs, all eighteen
 * (libcalico-go/config/crd/crd.projectcalico.org_*.yaml: v1 served and stored, no short names,
 * cluster-scoped but NetworkPolicy and NetworkSet). IPAM keeps its state in IPPool, IPAMBlock and
 * BlockAffinity (ipam.ts), Felix renders host endpoint chains from HostEndpoint (chains.ts);
 * calico-node writes ClusterInformation and FelixConfiguration `default` (ipam.ts). Their schemas
 * read in from cluster/openapi/crd-schemas.json.
 */
const CALICO_CRDS: [kind: string, plural: string, namespaced?: true][] = [
  ['BGPConfiguration', 'bgpconfigurations'], ['BGPFilter', 'bgpfilters'], ['BGPPeer', 'bgppeers'], ['BlockAffinity', 'blockaffinities'],
  ['CalicoNodeStatus', 'caliconodestatuses'], ['ClusterInformation', 'clusterinformations'], ['FelixConfiguration', 'felixconfigurations'],
  ['GlobalNetworkPolicy', 'globalnetworkpolicies'], ['GlobalNetworkSet', 'globalnetworksets'], ['HostEndpoint', 'hostendpoints'],
  ['IPAMBlock', 'ipamblocks'], ['IPAMConfig', 'ipamconfigs'], ['IPAMHandle', 'ipamhandles'], ['IPPool', 'ippools'],
  ['IPReservation', 'ipreservations'], ['KubeControllersConfiguration', 'kubecontrollersconfigurations'],
  ['NetworkPolicy', 'networkpolicies', true], ['NetworkSet', 'networksets', true],
];

function calicoCrd(kind: string, plural: string, namespaced?: boolean): Manifest {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${CALICO_GROUP}`, uid: derivedCrdUid(plural) },
    spec: {
      group: CALICO_GROUP,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      scope: namespaced ? 'Namespaced' : 'Cluster',
      versions: [{ name: 'v1', served: true, storage: true }],
    },
  };
}

/** A fixed uid per CRD: registering them takes nothing from the seeded stream. */
function derivedCrdUid(plural: string): string {
  const h = sha1(`crd/${plural}.${CALICO_GROUP}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const IMAGE = 'docker.io/calico/node:v3.28.2';
const KUBE_CONTROLLERS_IMAGE = 'docker.io/calico/kube-controllers:v3.28.2';

export const calico: CniPlugin = {
  name: 'calico',
  displayName: 'Calico',
  configSources: [{ kind: 'DaemonSet', name: 'calico-node' }],
  options(cluster) {
    const c = calicoConfig(cluster);
    return { calicoEncap: c.encap, ...(c.mtu !== undefined ? { calicoMtu: c.mtu } : {}) };
  },

  nodeMtu: 1500,
  bootDevices(cluster) {
    const { encap } = calicoConfig(cluster);
    return encap === 'ipip' ? ['tunl0'] : encap === 'vxlan' ? ['vxlan.calico'] : [];
  },
  nodeNetwork({ cluster, node, nodes, device, podMtu }) {
    const { encap } = calicoConfig(cluster);
    const own: NodeNetwork = { links: [], routes: [], neighbors: [] };
    const tunl0 = device('tunl0');
    if (encap === 'ipip' && tunl0 !== undefined) {
      const addr = tunnelAddress(cluster, node, 'ipip');
      own.links.push({
        ifindex: tunl0, name: 'tunl0', peer: 'NONE', flags: ['NOARP', 'UP', 'LOWER_UP'], mtu: podMtu, qdisc: 'noqueue', state: 'UNKNOWN',
        qlen: 1000, linkType: 'ipip', mac: '0.0.0.0', brd: '0.0.0.0', kind: 'ipip',
        addrs: addr ? [host32(addr)] : [],
      });
    }
    const vxlan = device('vxlan.calico');
    if (encap === 'vxlan' && vxlan !== undefined) {
      const vmac = macFor(`${node.name}/vxlan.calico`);
      const addr = tunnelAddress(cluster, node, 'vxlan');
      own.links.push({
        ...ether(vxlan, 'vxlan.calico', vmac, podMtu, 'vxlan', { state: 'UNKNOWN' }),
        vxlan: { id: 4096, local: node.ip, dev: 'eth0', dstport: 4789, learning: false },
        addrs: [...(addr ? [host32(addr)] : []), ll(vmac)],
      });
    }
    // a blackhole for each block the node holds (BIRD's; Felix's own, proto 80, on VXLAN), routes to each block another node holds
    for (const block of ranges(cluster, node)) own.routes.push({ type: 'blackhole', dst: block, proto: encap === 'vxlan' ? '80' : 'bird' });
    for (const other of nodes) {
      if (other.name === node.name) continue;
      const via = encap === 'vxlan' ? tunnelAddress(cluster, other, 'vxlan') : undefined;
      for (const block of ranges(cluster, other)) {
        if (encap === 'ipip') own.routes.push({ dst: block, via: other.ip, dev: 'tunl0', proto: 'bird', onlink: true });
        else if (encap === 'vxlan') {
          // Felix programs VXLAN routes itself (route table "proto 80"), via the peer's tunnel address
          if (via) own.routes.push({ dst: block, via, dev: 'vxlan.calico', proto: '80', onlink: true });
        } else own.routes.push({ dst: block, via: other.ip, dev: 'eth0', proto: 'bird' });
      }
      // a Pod whose address is borrowed from a block the other node does not hold: BIRD exports its /32
      for (const ip of borrowed(cluster, other)) {
        if (encap === 'ipip') own.routes.push({ dst: ip, via: other.ip, dev: 'tunl0', proto: 'bird', onlink: true });
        else if (encap === 'vxlan') {
          if (via) own.routes.push({ dst: ip, via, dev: 'vxlan.calico', proto: '80', onlink: true });
        } else own.routes.push({ dst: ip, via: other.ip, dev: 'eth0', proto: 'bird' });
      }
      if (via) own.neighbors.push({ ip: via, dev: 'vxlan.calico', lladdr: macFor(`${other.name}/vxlan.calico`), state: 'PERMANENT' });
    }
    return own;
  },

  hostVethName: (pod) => 'cali' + sha1(`${pod.metadata.namespace ?? 'default'}.${pod.metadata.name}`).slice(0, 11),
  hostVethMac: 'ee:ee:ee:ee:ee:ee',
  hostRoutePerPod: true,
  defaultPodMtu: 1480, // IPIP: a 20-byte outer IP header
  podMtu(cluster) {
    const c = calicoConfig(cluster);
    if (c.encap === 'none') return 1500;
    return c.mtu ?? (c.encap === 'vxlan' ? 1450 : 1480);
  },
  // with the ipip module loaded every netns gets tunl0@NONE at 2, and Calico's veth pair takes 3 and 4
  podEth0Index: (cluster) => (calicoConfig(cluster).encap === 'ipip' ? 4 : 2),
  sandboxLinks(cluster) {
    if (calicoConfig(cluster).encap !== 'ipip') return [];
    return [{
      ifindex: 2, name: 'tunl0', peer: 'NONE', flags: ['NOARP'], mtu: 1480, qdisc: 'noop', state: 'DOWN', qlen: 1000,
      linkType: 'ipip', mac: '0.0.0.0', brd: '0.0.0.0', kind: 'ipip', addrs: [],
    }];
  },
  podGateway: 'link-local',
  podRoutes: (_cluster, _node, _ip, gateway) => pointToPointRoutes(gateway),

  crossNode(cluster, from, to, mtu, dst) {
    const { encap } = calicoConfig(cluster);
    const block = routeToward(cluster, to, dst);
    if (encap === 'vxlan') {
      return {
        mode: 'vxlan', device: 'vxlan.calico', mtu, overhead: 50, routers: 2,
        hops: [
          { where: from.name, what: `route ${block} via ${tunnelAddress(cluster, to, 'vxlan') ?? to.ip} dev vxlan.calico onlink`, detail: 'programmed by Felix; VXLAN adds 50 bytes', verdict: 'pass' },
          wireHop(from, to, `UDP ${from.ip} → ${to.ip}:4789 (VXLAN VNI 4096)`),
          { where: to.name, what: 'vxlan.calico decapsulates, /32 route to the pod cali* veth', verdict: 'pass' },
        ],
      };
    }
    if (encap === 'none') {
      return {
        mode: 'bgp', device: 'eth0', mtu, overhead: 0, routers: 2,
        hops: [
          { where: from.name, what: `route ${block} via ${to.ip} dev eth0 proto bird`, detail: 'BIRD learned it from the peer over BGP (TCP 179)', verdict: 'pass' },
          wireHop(from, to, `plain IP ${from.ip} → ${to.ip} (routes learned over BGP, no encapsulation)`),
          { where: to.name, what: '/32 route to the pod cali* veth', verdict: 'pass' },
        ],
      };
    }
    return {
      mode: 'ipip', device: 'tunl0', mtu, overhead: 20, routers: 2,
      hops: [
        { where: from.name, what: `route ${block} via ${to.ip} dev tunl0 proto bird onlink`, detail: 'learned over BGP from BIRD; IPIP adds a 20-byte outer IP header', verdict: 'pass' },
        wireHop(from, to, `IPIP ${from.ip} → ${to.ip} (IP protocol 4)`),
        { where: to.name, what: 'tunl0 decapsulates, /32 route to the pod cali* veth', verdict: 'pass' },
      ],
    };
  },

  crds: () => CALICO_CRDS.map(([kind, plural, namespaced]) => calicoCrd(kind, plural, namespaced)),
  allocatePodIP(cluster, pod) {
    if (!calicoIpamOn(cluster)) return undefined;
    return { ip: calicoAssignPod(cluster, pod, clusterNodes(cluster).map((n) => n.name)) };
  },
  // node/pkg/lifecycle/utils/utils.go SetNodeNetworkUnavailableCondition(false)
  nodeConditions: (at) => [{ lastHeartbeatTime: at, lastTransitionTime: at, message: 'Calico is running on this node', reason: 'CalicoIsUp', status: 'False', type: 'NetworkUnavailable' }],

  enforcesNetworkPolicy: () => true,
  workloadEgressChain: (veth) => `cali-fw-${veth}`,
  workloadIngressChain: (veth) => `cali-tw-${veth}`,
  workloadIngressDispatch: 'cali-to-wl-dispatch',
  policyOfChain: (cluster, chain) => felixModel(cluster).byChain.get(chain),
  ipBlockMatchesPods: true,

  configFiles: (_cluster, node) => calicoConfigFiles(node),
  // Felix turns its IPVS support on when kube-proxy's kube-ipvs0 exists (the node has it in IPVS mode)
  nodeChains: (cluster, nf) => felixChains(nf, calicoConfig(cluster).encap, cluster.settings.proxyMode === 'ipvs'),
  ipsets: felixIpsets,
  workloadChains: felixWorkloadChains,

  systemWorkloads: (s) => [
    {
      kind: 'DaemonSet', namespace: 'kube-system', name: 'calico-node', labels: { 'k8s-app': 'calico-node' },
      containers: [{
        env: [{ name: 'DATASTORE_TYPE', value: 'kubernetes' }, { name: 'WAIT_FOR_DATASTORE', value: 'true' }, { name: 'NODENAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }, { name: 'CALICO_NETWORKING_BACKEND', value: 'bird' }, { name: 'CALICO_IPV4POOL_CIDR', value: s.podCIDR }, { name: 'CALICO_IPV4POOL_IPIP', value: 'Always' }, { name: 'FELIX_IPINIPMTU', value: '1440' }],
        image: IMAGE,
        name: 'calico-node',
        readinessProbe: { exec: { command: ['/bin/calico-node', '-felix-ready', '-bird-ready'] }, periodSeconds: 10, timeoutSeconds: 10 },
        securityContext: { privileged: true },
      }],
      podSpec: { serviceAccountName: 'calico-node' },
    },
    {
      kind: 'Deployment', namespace: 'kube-system', name: 'calico-kube-controllers', labels: { 'k8s-app': 'calico-kube-controllers' },
      containers: [{
        env: [{ name: 'ENABLED_CONTROLLERS', value: 'node' }, { name: 'DATASTORE_TYPE', value: 'kubernetes' }],
        image: KUBE_CONTROLLERS_IMAGE,
        name: 'calico-kube-controllers',
        readinessProbe: { exec: { command: ['/usr/bin/check-status', '-r'] }, periodSeconds: 10 },
      }],
      podSpec: { serviceAccountName: 'calico-kube-controllers' },
    },
  ],
};
