/**
 * Calico (calico-node: Felix programs routes and iptables, BIRD speaks BGP; calico-ipam).
 * IPIP Always by default: tunl0 (MTU 1480), cali<sha1(ns.pod)[:11]> per pod with the host
 * MAC ee:ee:ee:ee:ee:ee (libcalico-go VethNameForWorkload, cni-plugin linux_dataplane.go),
 * /32 pod routes `scope link`, `blackhole <block> proto bird`, BIRD routes
 * `via <nodeIP> dev tunl0 proto bird onlink`; pods route `default via 169.254.1.1`.
 * VXLAN: vxlan.calico (VNI 4096, port 4789), routes Felix programs itself (proto 80).
 * No encapsulation: plain BGP routes via the peer.
 */
import { sha1 } from '../../../../cluster/hash';
import { formatIPv4, parseCidr } from '../../../../cluster/ipv4';
import { ether, host32, ll, macFor, pointToPointRoutes } from '../../netdev';
import { wireHop, type CniPlugin, type NodeNetwork } from '../../plugin';
import { calicoConfig, calicoConfigFiles } from './config';
import { felixChains, felixWorkloadChains } from './chains';
import { felixIpsets, felixModel } from './policy';

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
    const cidr = parseCidr(node.podCIDR)!;
    const own: NodeNetwork = { links: [], routes: [], neighbors: [] };
    const tunl0 = device('tunl0');
    if (encap === 'ipip' && tunl0 !== undefined) {
      own.links.push({
        ifindex: tunl0, name: 'tunl0', peer: 'NONE', flags: ['NOARP', 'UP', 'LOWER_UP'], mtu: podMtu, qdisc: 'noqueue', state: 'UNKNOWN',
        qlen: 1000, linkType: 'ipip', mac: '0.0.0.0', brd: '0.0.0.0', kind: 'ipip',
        addrs: [host32(formatIPv4(cidr.network))],
      });
    }
    const vxlan = device('vxlan.calico');
    if (encap === 'vxlan' && vxlan !== undefined) {
      const vmac = macFor(`${node.name}/vxlan.calico`);
      own.links.push({
        ...ether(vxlan, 'vxlan.calico', vmac, podMtu, 'vxlan', { state: 'UNKNOWN' }),
        vxlan: { id: 4096, local: node.ip, dev: 'eth0', dstport: 4789, learning: false },
        addrs: [host32(formatIPv4(cidr.network)), ll(vmac)],
      });
    }
    own.routes.push({ type: 'blackhole', dst: node.podCIDR, proto: 'bird' });
    for (const other of nodes) {
      if (other.name === node.name) continue;
      const oc = parseCidr(other.podCIDR)!;
      if (encap === 'ipip') own.routes.push({ dst: other.podCIDR, via: other.ip, dev: 'tunl0', proto: 'bird', onlink: true });
      else if (encap === 'vxlan') {
        // Felix programs VXLAN routes itself (route table "proto 80"), via the peer's tunnel address
        own.routes.push({ dst: other.podCIDR, via: formatIPv4(oc.network), dev: 'vxlan.calico', proto: '80', onlink: true });
        own.neighbors.push({ ip: formatIPv4(oc.network), dev: 'vxlan.calico', lladdr: macFor(`${other.name}/vxlan.calico`), state: 'PERMANENT' });
      } else own.routes.push({ dst: other.podCIDR, via: other.ip, dev: 'eth0', proto: 'bird' });
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

  crossNode(cluster, from, to, mtu) {
    const { encap } = calicoConfig(cluster);
    if (encap === 'vxlan') {
      return {
        mode: 'vxlan', device: 'vxlan.calico', mtu, overhead: 50, routers: 2,
        hops: [
          { where: from.name, what: `route ${to.podCIDR} via ${to.podCIDR.split('/')[0]} dev vxlan.calico onlink`, detail: 'programmed by Felix; VXLAN adds 50 bytes', verdict: 'pass' },
          wireHop(from, to, `UDP ${from.ip} → ${to.ip}:4789 (VXLAN VNI 4096)`),
          { where: to.name, what: 'vxlan.calico decapsulates, /32 route to the pod cali* veth', verdict: 'pass' },
        ],
      };
    }
    if (encap === 'none') {
      return {
        mode: 'bgp', device: 'eth0', mtu, overhead: 0, routers: 2,
        hops: [
          { where: from.name, what: `route ${to.podCIDR} via ${to.ip} dev eth0 proto bird`, detail: 'BIRD learned it from the peer over BGP (TCP 179)', verdict: 'pass' },
          wireHop(from, to, `plain IP ${from.ip} → ${to.ip} (routes learned over BGP, no encapsulation)`),
          { where: to.name, what: '/32 route to the pod cali* veth', verdict: 'pass' },
        ],
      };
    }
    return {
      mode: 'ipip', device: 'tunl0', mtu, overhead: 20, routers: 2,
      hops: [
        { where: from.name, what: `route ${to.podCIDR} via ${to.ip} dev tunl0 proto bird onlink`, detail: 'learned over BGP from BIRD; IPIP adds a 20-byte outer IP header', verdict: 'pass' },
        wireHop(from, to, `IPIP ${from.ip} → ${to.ip} (IP protocol 4)`),
        { where: to.name, what: 'tunl0 decapsulates, /32 route to the pod cali* veth', verdict: 'pass' },
      ],
    };
  },

  enforcesNetworkPolicy: () => true,
  workloadEgressChain: (veth) => `cali-fw-${veth}`,
  workloadIngressChain: (veth) => `cali-tw-${veth}`,
  workloadIngressDispatch: 'cali-to-wl-dispatch',
  policyOfChain: (cluster, chain) => felixModel(cluster).byChain.get(chain),
  ipBlockMatchesPods: true,

  configFiles: (_cluster, node) => calicoConfigFiles(node),
  nodeChains: (cluster, nf) => felixChains(nf, calicoConfig(cluster).encap),
  ipsets: felixIpsets,
  workloadChains: felixWorkloadChains,

  systemWorkloads: (s) => [
    {
      kind: 'DaemonSet', namespace: 'kube-system', name: 'calico-node', labels: { 'k8s-app': 'calico-node' },
      containers: [{
        env: [{ name: 'DATASTORE_TYPE', value: 'kubernetes' }, { name: 'CALICO_NETWORKING_BACKEND', value: 'bird' }, { name: 'CALICO_IPV4POOL_CIDR', value: s.podCIDR }, { name: 'CALICO_IPV4POOL_IPIP', value: 'Always' }, { name: 'FELIX_IPINIPMTU', value: '1440' }],
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
