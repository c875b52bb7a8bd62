/**
 * The AWS VPC CNI (aws-node, amazon-vpc-cni-k8s): pod addresses are secondary addresses of
 * the node's ENIs, so the VPC fabric routes them natively (MTU 9001, no encapsulation);
 * eni<sha1(ns.pod)[:11]> per pod (cni/driver GenerateHostVethName), /32 routes to it,
 * pods route `default via 169.254.1.1`. NetworkPolicy only with the network policy agent on.
 */
import { sha1 } from '../../../../cluster/hash';
import { pointToPointRoutes } from '../../netdev';
import { wireHop, type CniPlugin } from '../../plugin';
import { awsSnatChains } from './chains';
import { awsConfigFiles } from './config';

const IMAGE = '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.18.5';
const NODE_AGENT_IMAGE = '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon/aws-network-policy-agent:v1.1.3';

export const awsVpcCni: CniPlugin = {
  name: 'aws-vpc-cni',
  displayName: 'aws-vpc-cni',
  configSources: [],

  nodeMtu: 9001,
  bootDevices: () => [],
  nodeNetwork: () => ({ links: [], routes: [], neighbors: [] }),

  hostVethName: (pod) => 'eni' + sha1(`${pod.metadata.namespace ?? 'default'}.${pod.metadata.name}`).slice(0, 11),
  hostRoutePerPod: true,
  defaultPodMtu: 9001,
  podMtu: () => 9001,
  podEth0Index: () => 2,
  podGateway: 'link-local',
  podRoutes: (_cluster, _node, _ip, gateway) => pointToPointRoutes(gateway),

  crossNode: (_cluster, from, to, mtu) => ({
    mode: 'vpc', device: 'eth0', mtu, overhead: 0, routers: 2,
    hops: [
      { where: from.name, what: 'policy routing sends the pod packet out the ENI that owns its address', verdict: 'pass' },
      wireHop(from, to, `VPC fabric routes ${from.ip} → ${to.ip} (pod IPs are secondary ENI addresses)`),
      { where: to.name, what: '/32 route to the pod eni* veth', verdict: 'pass' },
    ],
  }),

  // the network policy agent runs only when the amazon-vpc-cni ConfigMap turns it on
  enforcesNetworkPolicy: (cluster) => cluster?.store.get('ConfigMap', 'kube-system', 'amazon-vpc-cni')?.data?.['enable-network-policy-controller'] === 'true',
  ipBlockMatchesPods: true,

  configFiles: (_cluster, node) => awsConfigFiles(node),
  nodeChains: (cluster, nf, node) => awsSnatChains(nf, cluster.settings.podCIDR, node),

  systemWorkloads: () => [{
    kind: 'DaemonSet', namespace: 'kube-system', name: 'aws-node', labels: { 'app.kubernetes.io/instance': 'aws-vpc-cni', 'app.kubernetes.io/name': 'aws-node', 'k8s-app': 'aws-node' },
    containers: [
      { env: [{ name: 'AWS_VPC_K8S_CNI_LOGLEVEL', value: 'DEBUG' }, { name: 'WARM_ENI_TARGET', value: '1' }], image: IMAGE, name: 'aws-node', ports: [{ containerPort: 61678, name: 'metrics' }], securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } } },
      { args: ['--enable-network-policy=false'], image: NODE_AGENT_IMAGE, name: 'aws-eks-nodeagent', securityContext: { capabilities: { add: ['NET_ADMIN'] }, privileged: true } },
    ],
    podSpec: { serviceAccountName: 'aws-node' },
  }],
};
