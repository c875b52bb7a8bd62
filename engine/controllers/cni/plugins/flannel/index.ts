/**
 * flannel (flanneld in kube-flannel, the flannel CNI plugin delegating to bridge and
 * host-local IPAM). vxlan backend: flannel.1 (VNI 1, dstport 8472, MTU 1450), the `cni0`
 * bridge from the bridge plugin (gateway .1 of the node's podCIDR), vethXXXXXXXX ports
 * (containernetworking/plugins ip.RandomVethName), routes `via <subnet>.0 dev flannel.1 onlink`.
 * host-gw backend: plain routes to each node's subnet via its address. No NetworkPolicy.
 */
import { sha1 } from '../../../../cluster/hash';
import { formatIPv4, parseCidr } from '../../../../cluster/ipv4';
import { ether, host32, ll, macFor, sandboxSeed, v4, v6 } from '../../netdev';
import { formatIPv6, parseCidr6 } from '../../../../cluster/ipv6';
import { wireHop, type CniPlugin, type NodeNetwork } from '../../plugin';
import { flannelBackend, flannelConfigFiles } from './config';
import { flanneldChains } from './chains';

const IMAGE = 'docker.io/flannel/flannel:v0.25.7';

export const flannel: CniPlugin = {
  name: 'flannel',
  displayName: 'Flannel',
  configSources: [{ kind: 'ConfigMap', name: 'kube-flannel-cfg' }],
  options: (cluster) => ({ flannelBackend: flannelBackend(cluster) }),

  nodeMtu: 1500,
  // dual-stack vxlan: flanneld's second VTEP, flannel-v6.<VNI> (backend/vxlan/vxlan.go)
  bootDevices: (cluster) => (flannelBackend(cluster) === 'vxlan' ? (cluster.settings.podCIDRv6 ? ['flannel.1', 'flannel-v6.1'] : ['flannel.1']) : []),
  bridge: 'cni0',
  nodeNetwork({ cluster, node, nodes, device, podMtu, hasPods }) {
    const backend = flannelBackend(cluster);
    const cidr = parseCidr(node.podCIDR)!;
    const own: NodeNetwork = { links: [], routes: [], neighbors: [] };
    const vtep = device('flannel.1');
    if (vtep !== undefined && backend === 'vxlan') {
      const mac = macFor(`${node.name}/flannel.1`);
      own.links.push({
        ...ether(vtep, 'flannel.1', mac, 1450, 'vxlan', { state: 'UNKNOWN' }),
        vxlan: { id: 1, local: node.ip, dev: 'eth0', dstport: 8472, learning: false },
        addrs: [host32(formatIPv4(cidr.network)), ll(mac)],
      });
    }
    const cidr6 = node.podCIDR6 ? parseCidr6(node.podCIDR6) : undefined;
    const vtep6 = device('flannel-v6.1');
    if (vtep6 !== undefined && cidr6 && node.ipv6 && backend === 'vxlan') {
      // IPv6 VXLAN: 70 bytes of outer headers (40-byte IPv6 header)
      const mac = macFor(`${node.name}/flannel-v6.1`);
      own.links.push({
        ...ether(vtep6, 'flannel-v6.1', mac, 1430, 'vxlan', { state: 'UNKNOWN' }),
        vxlan: { id: 1, local: node.ipv6, dev: 'eth0', dstport: 8472, learning: false },
        addrs: [v6(formatIPv6(cidr6.network), 128), ll(mac)],
      });
    }
    const cni0 = device('cni0');
    if (cni0 !== undefined) {
      const gw = formatIPv4(cidr.network + 1);
      const bmac = macFor(`${node.name}/cni0`);
      own.links.push({
        ...ether(cni0, 'cni0', bmac, podMtu, 'bridge', hasPods ? {} : { flags: ['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP'], state: 'DOWN' }),
        addrs: [v4(gw, 24), ...(cidr6 ? [v6(formatIPv6(cidr6.network + 1n), 64)] : []), ll(bmac)],
      });
      own.routes.push({ dst: node.podCIDR, dev: 'cni0', proto: 'kernel', scope: 'link', src: gw });
    }
    for (const other of nodes) {
      if (other.name === node.name) continue;
      const oc = parseCidr(other.podCIDR)!;
      if (backend === 'host-gw') {
        // backend/hostgw: a plain route to the other node's subnet via its address (needs L2 adjacency)
        own.routes.push({ dst: other.podCIDR, via: other.ip, dev: 'eth0' });
      } else {
        own.routes.push({ dst: other.podCIDR, via: formatIPv4(oc.network), dev: 'flannel.1', onlink: true });
        own.neighbors.push({ ip: formatIPv4(oc.network), dev: 'flannel.1', lladdr: macFor(`${other.name}/flannel.1`), state: 'PERMANENT' });
      }
      if (cidr6 && other.podCIDR6) {
        const oc6 = parseCidr6(other.podCIDR6)!;
        own.routes6 ??= [];
        if (backend === 'host-gw') own.routes6.push({ dst: other.podCIDR6, via: other.ipv6, dev: 'eth0', metric: 1024 });
        else {
          own.routes6.push({ dst: other.podCIDR6, via: formatIPv6(oc6.network), dev: 'flannel-v6.1', metric: 1024, onlink: true });
          // flanneld's v6 VTEP neighbour, like flannel.1's: the other node's subnet address at its flannel-v6.1 MAC
          own.neighbors.push({ ip: formatIPv6(oc6.network), dev: 'flannel-v6.1', lladdr: macFor(`${other.name}/flannel-v6.1`), state: 'PERMANENT' });
        }
      }
    }
    return own;
  },

  hostVethName: (pod) => 'veth' + sha1(sandboxSeed(pod)).slice(0, 8),
  hostRoutePerPod: false,
  defaultPodMtu: 1450, // VXLAN: 50 bytes of outer Ethernet/IP/UDP/VXLAN headers
  podMtu: (cluster) => (flannelBackend(cluster) === 'host-gw' ? 1500 : 1450),
  podEth0Index: () => 2,
  podGateway: 'first-address',
  podRoutes: (cluster, node, ip, gateway) => ({
    prefix: 24,
    routes: [
      { dst: 'default', via: gateway, dev: 'eth0' },
      { dst: cluster.settings.podCIDR, via: gateway, dev: 'eth0' },
      { dst: node.podCIDR, dev: 'eth0', proto: 'kernel', scope: 'link', src: ip },
    ],
  }),

  // the bridge plugin's default route (isDefaultGateway) and flannel-cni's route to the cluster's IPv6 Pod range, both via cni0's ::1
  podRoutes6: (cluster, _node, _ip, gateway) => ({
    prefix: 64,
    routes: [
      { dst: 'default', via: gateway, dev: 'eth0', metric: 1024 },
      { dst: cluster.settings.podCIDRv6!, via: gateway, dev: 'eth0', metric: 1024 },
    ],
  }),

  crossNode(cluster, from, to, mtu) {
    if (flannelBackend(cluster) === 'host-gw') {
      return {
        mode: 'host-gw', device: 'eth0', mtu, overhead: 0, routers: 2,
        hops: [
          { where: from.name, what: `route ${to.podCIDR} via ${to.ip} dev eth0`, detail: 'flannel host-gw: the nodes must share an L2 segment', verdict: 'pass' },
          wireHop(from, to, `plain IP ${from.ip} → ${to.ip} (pod addresses on the wire, no encapsulation)`),
          { where: to.name, what: 'cni0 delivers to the pod veth', verdict: 'pass' },
        ],
      };
    }
    return {
      mode: 'vxlan', device: 'flannel.1', mtu, overhead: 50, routers: 2,
      hops: [
        { where: from.name, what: `route ${to.podCIDR} via ${to.podCIDR.split('/')[0]} dev flannel.1 onlink`, detail: 'VXLAN encapsulation (outer Ethernet + IP + UDP + VXLAN = 50 bytes)', verdict: 'pass' },
        wireHop(from, to, `UDP ${from.ip}:8472 → ${to.ip}:8472 (VXLAN VNI 1)`),
        { where: to.name, what: 'flannel.1 decapsulates, cni0 delivers to the pod veth', verdict: 'pass' },
      ],
    };
  },
  // dual-stack: the IPv6 VTEP flannel-v6.1 (backend/vxlan/vxlan_network.go, one v6 device per
  // VNI): routes `<podCIDR6> via <its network address> dev flannel-v6.1 onlink`, VXLAN over the
  // nodes' IPv6 addresses, 70 bytes of outer headers (MTU 1430)
  crossNode6(cluster, from, to, mtu) {
    if (flannelBackend(cluster) === 'host-gw' || !to.podCIDR6 || !from.ipv6 || !to.ipv6) {
      return {
        mode: 'host-gw', device: 'eth0', mtu, overhead: 0, routers: 2,
        hops: [
          { where: from.name, what: `route ${to.podCIDR6 ?? '?'} via ${to.ipv6 ?? '?'} dev eth0`, detail: 'flannel host-gw: the nodes must share an L2 segment', verdict: 'pass' },
          wireHop(from, to, `plain IPv6 ${from.ipv6} → ${to.ipv6} (pod addresses on the wire, no encapsulation)`),
          { where: to.name, what: 'cni0 delivers to the pod veth', verdict: 'pass' },
        ],
      };
    }
    return {
      mode: 'vxlan', device: 'flannel-v6.1', mtu: Math.min(mtu, 1430), overhead: 70, routers: 2,
      hops: [
        { where: from.name, what: `route ${to.podCIDR6} via ${to.podCIDR6.split('/')[0]} dev flannel-v6.1 onlink`, detail: 'VXLAN over IPv6 (outer Ethernet + IPv6 + UDP + VXLAN = 70 bytes)', verdict: 'pass' },
        wireHop(from, to, `UDP [${from.ipv6}]:8472 → [${to.ipv6}]:8472 (VXLAN VNI 1)`),
        { where: to.name, what: 'flannel-v6.1 decapsulates, cni0 delivers to the pod veth', verdict: 'pass' },
      ],
    };
  },
  // flanneld's VTEP entries: each other node's flannel.1 MAC at its address
  vxlanFdb: (node, nodes) => [
    ...nodes.filter((n) => n.name !== node).map((n) => ({ mac: macFor(`${n.name}/flannel.1`), dst: n.ip, dev: 'flannel.1' })),
    // dual-stack: flannel-v6.1's VTEPs, at each other node's IPv6 address
    ...nodes.filter((n) => n.name !== node && n.ipv6 && n.podCIDR6).map((n) => ({ mac: macFor(`${n.name}/flannel-v6.1`), dst: n.ipv6!, dev: 'flannel-v6.1' })),
  ],
  // flannel pkg/subnet/kube: the node's lease as annotations other nodes' flanneld read
  // (backend-data carries the VTEP MAC the neighbour and fdb entries use).
  nodeAnnotations: (cluster, node) => {
    const vxlan = flannelBackend(cluster) === 'vxlan';
    return {
      'flannel.alpha.coreos.com/backend-data': vxlan ? JSON.stringify({ VNI: 1, VtepMAC: macFor(`${node.name}/flannel.1`) }) : 'null',
      'flannel.alpha.coreos.com/backend-type': vxlan ? 'vxlan' : 'host-gw',
      // dual-stack (pkg/subnet/kube annotations): the v6 VTEP's data and the node's IPv6 address
      ...(node.ipv6 ? { 'flannel.alpha.coreos.com/backend-v6-data': vxlan ? JSON.stringify({ VNI: 1, VtepMAC: macFor(`${node.name}/flannel-v6.1`) }) : 'null' } : {}),
      'flannel.alpha.coreos.com/kube-subnet-manager': 'true',
      'flannel.alpha.coreos.com/public-ip': node.ip,
      ...(node.ipv6 ? { 'flannel.alpha.coreos.com/public-ipv6': node.ipv6 } : {}),
    };
  },

  enforcesNetworkPolicy: () => false,
  ipBlockMatchesPods: true,

  configFiles: (cluster, node) => flannelConfigFiles(cluster, node, flannel.podMtu(cluster)),
  nodeChains: (cluster, nf, node) => flanneldChains(nf, cluster.settings.podCIDR, node),
  nodeChains6: (cluster, nf, node) => { if (cluster.settings.podCIDRv6) flanneldChains(nf, cluster.settings.podCIDRv6, node, 'ff00::/8'); },

  namespace: { name: 'kube-flannel', labels: { 'k8s-app': 'flannel', 'pod-security.kubernetes.io/enforce': 'privileged' } },
  systemWorkloads: () => [{
    kind: 'DaemonSet', namespace: 'kube-flannel', name: 'kube-flannel-ds', labels: { app: 'flannel', 'k8s-app': 'flannel' },
    containers: [{
      args: ['--ip-masq', '--kube-subnet-mgr'],
      command: ['/opt/bin/flanneld'],
      env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }, { name: 'EVENT_QUEUE_DEPTH', value: '5000' }],
      image: IMAGE,
      name: 'kube-flannel',
      resources: { requests: { cpu: '100m', memory: '50Mi' } },
      securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] }, privileged: false },
    }],
    podSpec: { serviceAccountName: 'flannel' },
  }],
};
