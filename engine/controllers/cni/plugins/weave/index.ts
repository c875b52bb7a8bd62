/**
 * Weave Net (weave-kube and weave-npc in the weave-net DaemonSet): the `weave` bridge holding
 * the node's gateway address with the whole pod network's prefix, the `datapath` OVS switch,
 * the vethwe-datapath/vethwe-bridge pair between them, vxlan-6784 (fastdp), and
 * vethwepl* veths per pod (MTU 1376).
 */
import { sha1 } from '../../../../cluster/hash';
import { formatIPv4, parseCidr } from '../../../../cluster/ipv4';
import { ether, ll, macFor, sandboxSeed, v4 } from '../../netdev';
import { wireHop, type CniPlugin, type NodeNetwork } from '../../plugin';
import { weaveChains } from './chains';
import { weaveConfigFiles } from './config';

const IMAGE = 'ghcr.io/weaveworks/launcher/weave-kube:2.8.1';
const NPC_IMAGE = 'ghcr.io/weaveworks/launcher/weave-npc:2.8.1';

export const weave: CniPlugin = {
  name: 'weave',
  displayName: 'Weave',
  configSources: [],

  nodeMtu: 1500,
  bootDevices: () => ['datapath', 'weave', 'vethwe-datapath', 'vethwe-bridge', 'vxlan-6784'],
  bridge: 'weave',
  nodeNetwork({ cluster, node, device }) {
    const s = cluster.settings;
    const gw = formatIPv4(parseCidr(node.podCIDR)!.network + 1);
    const clusterCidr = parseCidr(s.podCIDR)!;
    const own: NodeNetwork = { links: [], routes: [], neighbors: [] };
    const dmac = macFor(`${node.name}/datapath`);
    const wmac = macFor(`${node.name}/weave`);
    own.links.push(ether(device('datapath')!, 'datapath', dmac, 1376, 'openvswitch', { state: 'UNKNOWN', addrs: [ll(dmac)] }));
    own.links.push(ether(device('weave')!, 'weave', wmac, 1376, 'bridge', { addrs: [v4(gw, clusterCidr.prefix), ll(wmac)] }));
    const vdm = macFor(`${node.name}/vethwe-datapath`);
    const vbm = macFor(`${node.name}/vethwe-bridge`);
    own.links.push(ether(device('vethwe-datapath')!, 'vethwe-datapath', vdm, 1376, 'veth', { peer: 'vethwe-bridge', master: 'datapath', addrs: [ll(vdm)] }));
    own.links.push(ether(device('vethwe-bridge')!, 'vethwe-bridge', vbm, 1376, 'veth', { peer: 'vethwe-datapath', master: 'weave', addrs: [ll(vbm)] }));
    const xmac = macFor(`${node.name}/vxlan-6784`);
    own.links.push({
      ...ether(device('vxlan-6784')!, 'vxlan-6784', xmac, 65535, 'vxlan', { state: 'UNKNOWN', master: 'datapath', qlen: 1000 }),
      vxlan: { id: 0, local: '', dev: '', dstport: 6784, learning: false }, addrs: [ll(xmac)],
    });
    own.routes.push({ dst: s.podCIDR, dev: 'weave', proto: 'kernel', scope: 'link', src: gw });
    return own;
  },

  hostVethName: (pod) => 'vethwepl' + sha1(sandboxSeed(pod)).slice(0, 7),
  hostRoutePerPod: false,
  defaultPodMtu: 1376, // weave's default for fastdp with encryption headroom
  podMtu: () => 1376,
  podEth0Index: () => 2,
  podGateway: 'first-address',
  podRoutes: (cluster, _node, ip, gateway) => ({
    prefix: parseCidr(cluster.settings.podCIDR)!.prefix,
    routes: [
      { dst: 'default', via: gateway, dev: 'eth0' },
      { dst: cluster.settings.podCIDR, dev: 'eth0', proto: 'kernel', scope: 'link', src: ip },
    ],
  }),

  crossNode: (_cluster, from, to, mtu) => ({
    mode: 'fastdp', device: 'vxlan-6784', mtu, overhead: 50, routers: 2,
    hops: [
      { where: from.name, what: 'weave bridge → datapath (OVS) → vxlan-6784', verdict: 'pass' },
      wireHop(from, to, `UDP ${from.ip} → ${to.ip}:6784 (weave fastdp VXLAN)`),
      { where: to.name, what: 'vxlan-6784 → datapath → weave bridge → pod veth', verdict: 'pass' },
    ],
  }),

  enforcesNetworkPolicy: () => true,
  ipBlockMatchesPods: true,

  configFiles: () => weaveConfigFiles(),
  nodeChains: (_cluster, nf) => weaveChains(nf),

  systemWorkloads: (s) => [{
    kind: 'DaemonSet', namespace: 'kube-system', name: 'weave-net', labels: { name: 'weave-net' },
    containers: [
      { command: ['/home/weave/launch.sh'], env: [{ name: 'IPALLOC_RANGE', value: s.podCIDR }], image: IMAGE, name: 'weave', securityContext: { privileged: true } },
      { image: NPC_IMAGE, name: 'weave-npc', securityContext: { privileged: true } },
    ],
    podSpec: { serviceAccountName: 'weave-net' },
  }],
};
