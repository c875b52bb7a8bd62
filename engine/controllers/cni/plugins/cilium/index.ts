/**
 * Cilium (cilium-agent, tunnel mode vxlan, next to kube-proxy): the cilium_net/cilium_host
 * veth pair (cilium_host holds the router address, the .1 of the node's podCIDR),
 * cilium_vxlan, lxc<sha256[:12]> per pod; eBPF on the lxc veths delivers and encapsulates.
 * NetworkPolicy by identity: ipBlock rules match only addresses outside the cluster's pods.
 */
import { sha256 } from '../../../../cluster/hash';
import { formatIPv4, parseCidr } from '../../../../cluster/ipv4';
import { ether, host32, ll, macFor, pointToPointRoutes, sandboxSeed } from '../../netdev';
import { wireHop, type CniPlugin, type CniWorkload, type NodeNetwork } from '../../plugin';
import { ciliumAgentChains } from './chains';
import { ciliumConfigFiles } from './config';

const IMAGE = 'quay.io/cilium/cilium:v1.18.4';
const OPERATOR_IMAGE = 'quay.io/cilium/operator-generic:v1.18.4';

export const cilium: CniPlugin = {
  name: 'cilium',
  displayName: 'Cilium',
  configSources: [],

  nodeMtu: 1500,
  bootDevices: () => ['cilium_net', 'cilium_host', 'cilium_vxlan'],
  nodeNetwork({ node, nodes, device }) {
    const router = formatIPv4(parseCidr(node.podCIDR)!.network + 1);
    const own: NodeNetwork = { links: [], routes: [], neighbors: [] };
    const hmac = macFor(`${node.name}/cilium_host`);
    const nmac = macFor(`${node.name}/cilium_net`);
    own.links.push(ether(device('cilium_net')!, 'cilium_net', nmac, 1500, 'veth', { peer: 'cilium_host', addrs: [ll(nmac)] }));
    own.links.push(ether(device('cilium_host')!, 'cilium_host', hmac, 1500, 'veth', { peer: 'cilium_net', addrs: [host32(router), ll(hmac)] }));
    const vmac = macFor(`${node.name}/cilium_vxlan`);
    own.links.push({ ...ether(device('cilium_vxlan')!, 'cilium_vxlan', vmac, 1500, 'vxlan', { state: 'UNKNOWN' }), vxlan: { id: 0, local: '', dev: '', dstport: 8472, learning: false }, addrs: [ll(vmac)] });
    own.routes.push({ dst: router, dev: 'cilium_host', proto: 'kernel', scope: 'link' });
    for (const other of nodes) {
      own.routes.push({ dst: other.podCIDR, via: router, dev: 'cilium_host', proto: 'kernel', src: router, ...(other.name === node.name ? {} : { mtu: 1450 }) });
    }
    return own;
  },

  hostVethName: (pod) => 'lxc' + sha256(sandboxSeed(pod)).slice(0, 12),
  hostRoutePerPod: false,
  defaultPodMtu: 1450,
  podMtu: () => 1450,
  podEth0Index: () => 2,
  podGateway: 'first-address',
  podRoutes: (_cluster, _node, _ip, gateway) => pointToPointRoutes(gateway, 1450),

  crossNode: (_cluster, from, to, mtu) => ({
    mode: 'vxlan', device: 'cilium_vxlan', mtu, overhead: 50, routers: 2,
    hops: [
      { where: from.name, what: 'eBPF on the lxc* veth looks up the tunnel endpoint for the destination', detail: 'encapsulated by cilium_vxlan', verdict: 'pass' },
      wireHop(from, to, `UDP ${from.ip} → ${to.ip}:8472 (VXLAN)`),
      { where: to.name, what: 'cilium_vxlan decapsulates, eBPF redirects to the pod lxc* veth', verdict: 'pass' },
    ],
  }),

  // the operator registers its CRDs at start (pkg/k8s/apis/cilium.io/client/crds/v2/ciliumnetworkpolicies.yaml)
  crds: () => [{
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    // a fixed uid: registering the CRD takes nothing from the seeded stream
    metadata: { name: 'ciliumnetworkpolicies.cilium.io', uid: '0c6a2b8e-5a1e-4e0b-9f3d-6c1e8f2a7b41', labels: { 'io.cilium.k8s.crd.schema.version': '1.31.10' } },
    spec: {
      group: 'cilium.io',
      names: { categories: ['cilium', 'ciliumpolicy'], kind: 'CiliumNetworkPolicy', listKind: 'CiliumNetworkPolicyList', plural: 'ciliumnetworkpolicies', shortNames: ['cnp', 'ciliumnp'], singular: 'ciliumnetworkpolicy' },
      scope: 'Namespaced',
      versions: [{ name: 'v2', served: true, storage: true }],
    },
  }],
  enforcesNetworkPolicy: () => true,
  // cluster pods have identities of their own; CIDR rules match only the "world"
  ipBlockMatchesPods: false,

  configFiles: () => ciliumConfigFiles(),
  nodeChains: (cluster, nf, node) => ciliumAgentChains(nf, cluster.settings.podCIDR, node),

  systemWorkloads: (): CniWorkload[] => [
    {
      kind: 'DaemonSet', namespace: 'kube-system', name: 'cilium', labels: { 'k8s-app': 'cilium' },
      containers: [{
        args: ['--config-dir=/tmp/cilium/config-map'],
        command: ['cilium-agent'],
        image: IMAGE,
        name: 'cilium-agent',
        readinessProbe: { httpGet: { host: '127.0.0.1', path: '/healthz', port: 9879, scheme: 'HTTP' }, periodSeconds: 30 },
        securityContext: { privileged: true },
      }],
      podSpec: { serviceAccountName: 'cilium' },
    },
    {
      kind: 'Deployment', namespace: 'kube-system', name: 'cilium-operator', labels: { 'io.cilium/app': 'operator', name: 'cilium-operator' },
      containers: [{
        args: ['--config-dir=/tmp/cilium/config-map', '--debug=$(CILIUM_DEBUG)'],
        command: ['cilium-operator-generic'],
        image: OPERATOR_IMAGE,
        name: 'cilium-operator',
      }],
      podSpec: { hostNetwork: true, serviceAccountName: 'cilium-operator' },
    },
  ],
};
