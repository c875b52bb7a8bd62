/**
 * Cilium (cilium-agent, tunnel mode vxlan, next to kube-proxy): the cilium_net/cilium_host
 * veth pair (cilium_host holds the router address, the .1 of the node's podCIDR),
 * cilium_vxlan, lxc<sha256[:12]> per pod; eBPF on the lxc veths delivers and encapsulates.
 * NetworkPolicy by identity: ipBlock rules match only addresses outside the cluster's pods.
 */
import { sha1, sha256 } from '../../../../cluster/hash';
import type { Manifest } from '../../../../cluster/types';
import { formatIPv4, parseCidr } from '../../../../cluster/ipv4';
import { ether, host32, ll, macFor, pointToPointRoutes, sandboxSeed } from '../../netdev';
import { wireHop, type CniPlugin, type CniWorkload, type NodeNetwork } from '../../plugin';
import { ciliumAgentChains } from './chains';
import { ciliumConfigFiles } from './config';

const IMAGE = 'quay.io/cilium/cilium:v1.18.4';

/**
 * The CRDs cilium-operator registers at start with the chart's defaults (pkg/k8s/synced/crd.go
 * AllCiliumCRDResourceNames; pkg/k8s/apis/cilium.io/client/register.go constructV1CRD: the
 * pregenerated CRD's names, scope and versions under the schema-version label). Their schemas,
 * from crds/{v2,v2alpha1}/*.yaml, read in from cluster/openapi/crd-schemas.json.
 */
const CILIUM_CRDS: { kind: string; plural: string; shortNames: string[]; categories?: string[]; namespaced?: true; versions: string[] }[] = [
  { kind: 'CiliumNode', plural: 'ciliumnodes', shortNames: ['cn', 'ciliumn'], versions: ['v2'] },
  { kind: 'CiliumIdentity', plural: 'ciliumidentities', shortNames: ['ciliumid'], versions: ['v2'] },
  { kind: 'CiliumPodIPPool', plural: 'ciliumpodippools', shortNames: ['cpip'], versions: ['v2alpha1'] },
  { kind: 'CiliumEndpoint', plural: 'ciliumendpoints', shortNames: ['cep', 'ciliumep'], namespaced: true, versions: ['v2'] },
  { kind: 'CiliumNetworkPolicy', plural: 'ciliumnetworkpolicies', shortNames: ['cnp', 'ciliumnp'], categories: ['cilium', 'ciliumpolicy'], namespaced: true, versions: ['v2'] },
  { kind: 'CiliumClusterwideNetworkPolicy', plural: 'ciliumclusterwidenetworkpolicies', shortNames: ['ccnp'], categories: ['cilium', 'ciliumpolicy'], versions: ['v2'] },
  { kind: 'CiliumCIDRGroup', plural: 'ciliumcidrgroups', shortNames: ['ccg'], versions: ['v2', 'v2alpha1'] },
  { kind: 'CiliumLoadBalancerIPPool', plural: 'ciliumloadbalancerippools', shortNames: ['ippools', 'ippool', 'lbippool', 'lbippools'], versions: ['v2', 'v2alpha1'] },
  { kind: 'CiliumL2AnnouncementPolicy', plural: 'ciliuml2announcementpolicies', shortNames: ['l2announcement'], versions: ['v2alpha1'] },
  { kind: 'CiliumNodeConfig', plural: 'ciliumnodeconfigs', shortNames: [], namespaced: true, versions: ['v2', 'v2alpha1'] },
];

/** The v2alpha1 versions of CiliumCIDRGroup and CiliumNodeConfig are deprecated (the CRD files say so, the latter with a warning). */
const DEPRECATED: Record<string, Record<string, unknown>> = {
  'ciliumcidrgroups/v2alpha1': { deprecated: true },
  'ciliumnodeconfigs/v2alpha1': { deprecated: true, deprecationWarning: 'cilium.io/v2alpha1 CiliumNodeConfig will be deprecated in cilium v1.16; use cilium.io/v2 CiliumNodeConfig' },
};

function ciliumCrds(): Manifest[] {
  return CILIUM_CRDS.map((c) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${c.plural}.cilium.io`,
      // a fixed uid: registering the CRDs takes nothing from the seeded stream (the one CiliumNetworkPolicy's has always had)
      uid: c.plural === 'ciliumnetworkpolicies' ? '0c6a2b8e-5a1e-4e0b-9f3d-6c1e8f2a7b41' : derivedCrdUid(`${c.plural}.cilium.io`),
      labels: { 'io.cilium.k8s.crd.schema.version': '1.31.10' },
    },
    spec: {
      group: 'cilium.io',
      names: { categories: c.categories ?? ['cilium'], kind: c.kind, listKind: `${c.kind}List`, plural: c.plural, ...(c.shortNames.length ? { shortNames: c.shortNames } : {}), singular: c.kind.toLowerCase() },
      scope: c.namespaced ? 'Namespaced' : 'Cluster',
      versions: c.versions.map((v, i) => ({ name: v, served: true, storage: i === 0, ...DEPRECATED[`${c.plural}/${v}`] })),
    },
  }));
}

function derivedCrdUid(name: string): string {
  const h = sha1(`crd/${name}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
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

  crds: ciliumCrds,
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
