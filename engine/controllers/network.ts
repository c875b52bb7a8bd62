/**
 * The node-side network agents, in reconcile order — the CNI plugin, kube-proxy, CoreDNS,
 * the ingress controller — and the ports through which the packet walk reaches them.
 */
import type { SimModule } from '../cluster/module';
import type { NetCluster, PodNetwork, ProxyListeners, Resolver, ServiceProxy } from '../dataplane/ports';
import { sidecarCapture } from './istio/proxy';
import type { ClusterRuntime } from './runtime';
import { CniModule, cniPlugin, crossNodePath, cniEnforcesPolicy, nodeNamespace, nodeRoutes } from './cni';
import { registerCniFiles } from './cni/files';
import { KubeProxy, type ConntrackEntry } from './kube-proxy';
import type { NodeNetfilter } from '../dataplane/netfilter/tables';
import { DnsModule } from './dns/state';
import { registerDnsFiles } from './dns/files';
import { registerServiceAccountFiles } from './serviceaccount-files';
import { resolve } from './dns/resolver';
import { IngressNginx } from './ingress';
import { EnvoyGateway } from './gateway';
import { IstioMesh } from './istio';
import { cidrContains } from '../cluster/ipv4';
import { lookupRoute } from '../dataplane/netns';
import { CiliumPolicyValidator } from './cilium/policy-status';
import { CiliumPolicyRevision } from './cilium/policy-repo';
import { CiliumAgentObjects } from './cilium/crd-objects';
import { CalicoIpamModule } from './cni/plugins/calico/ipam';

export interface NodeAgents {
  /** In reconcile order. */
  modules: SimModule[];
  cni: CniModule;
  kubeProxy: KubeProxy;
  dns: DnsModule;
  ingress: IngressNginx;
  gateway: EnvoyGateway;
}

/** Builds the agents; they reach each other through `rt`, which the composition root completes with them. */
export function createNodeAgents(rt: ClusterRuntime): NodeAgents {
  const cni = new CniModule(rt);
  registerCniFiles(rt);
  const kubeProxy = new KubeProxy(rt);
  const dns = new DnsModule(rt);
  registerDnsFiles(rt);
  registerServiceAccountFiles(rt);
  const ingress = new IngressNginx(rt, rt.events);
  const gateway = new EnvoyGateway(rt);
  // Istio's control plane: its sidecar injector registers with the API server (controllers/istio)
  const mesh = new IstioMesh(rt);
  // Cilium validates its policies and marks them Valid (kubectl get cnp's VALID column).
  // … counts the imports of its policy repository (cilium-dbg policy get's Revision), and its
  // agents write a CiliumNode per node, a CiliumEndpoint per endpoint, a CiliumIdentity per label set.
  const extra: SimModule[] = rt.settings.cni === 'cilium' ? [new CiliumPolicyValidator(rt), new CiliumPolicyRevision(rt), new CiliumAgentObjects(rt)] : [];
  // calico-ipam's blocks kept in step with Nodes and Pods (calico-node's start, the CNI's ADD/DEL)
  if (rt.settings.cni === 'calico') extra.push(new CalicoIpamModule(rt));
  return { modules: [cni, kubeProxy, dns, ingress, gateway, mesh, ...extra], cni, kubeProxy, dns, ingress, gateway };
}

/** The packet walk's ports, answered by the agents. */
export function networkPorts(rt: ClusterRuntime): { resolver: Resolver; serviceProxy: ServiceProxy; podNetwork: PodNetwork; proxyListeners: ProxyListeners; podInbound: NetCluster['podInbound'] } {
  const plugin = cniPlugin(rt.settings);
  return {
    proxyListeners: { listeners: (pod) => rt.gateway.listeners(pod) },
    resolver: { resolve: (from, name, opts) => resolve(rt, from, name, opts) },
    serviceProxy: {
      translate: (node, packet, origin) => rt.kubeProxy.translate(node, packet, origin),
      workloadPolicy: (node, packet, dir) => rt.kubeProxy.workloadPolicy(node, packet, dir),
      healthServers: (node) => rt.kubeProxy.healthServers(node),
      arrived: (node, packet) => rt.kubeProxy.recordArrival(node, packet),
      saveConntrack: () => ({
        conntrack: new Map([...rt.kubeProxy.conntrack].map(([node, t]) => [node, [...t.entries]])),
        proxier: rt.kubeProxy.proxier.saveTraffic?.(),
        netfilter: saveNetfilterTraffic(rt.kubeProxy),
      }),
      restoreConntrack: (saved) => {
        const { conntrack: before, proxier, netfilter } = saved as { conntrack: Map<string, ConntrackEntry[]>; proxier: unknown; netfilter: NetfilterTraffic };
        for (const [node, table] of rt.kubeProxy.conntrack) {
          const entries = before.get(node);
          if (entries) table.entries = entries;
          // a table the check created: only the cluster's own connections stay, as the next look would find them
          else if (table.entries.some((e) => e.background)) table.entries = table.entries.filter((e) => e.background);
          else rt.kubeProxy.conntrack.delete(node);
        }
        if (proxier !== undefined) rt.kubeProxy.proxier.restoreTraffic?.(proxier);
        restoreNetfilterTraffic(rt.kubeProxy, netfilter);
      },
    },
    podNetwork: {
      displayName: plugin.displayName,
      bridged: !!plugin.bridge,
      ipBlockMatchesPods: plugin.ipBlockMatchesPods,
      crossNodePath: (from, to, family, dst) => crossNodePath(rt, from, to, family, dst),
      enforcesPolicy: () => cniEnforcesPolicy(rt.settings, rt),
      blackholed: (node, ip) => nodeRoutes(rt, node).some((r) => r.type === 'blackhole' && !!r.dst && cidrContains(r.dst, ip)),
      route: (node, ip) => {
        const ns = nodeNamespace(rt, node);
        return ns ? lookupRoute(ns, ip) : undefined;
      },
      nodeHolding: (ip) => {
        for (const n of rt.store.iterate('Node')) {
          if (nodeNamespace(rt, n.metadata.name)?.links.some((l) => l.addrs.some((a) => a.local === ip))) return n.metadata.name;
        }
        return undefined;
      },
    },
    // an Istio sidecar's inbound capture (controllers/istio)
    podInbound: { capture: (pod, port) => sidecarCapture(pod, port) },
  };
}

/** What a packet changes in each node's netfilter: the rule and chain-policy counters (`iptables -L -v`) and xt_recent's lists. */
type NetfilterTraffic = Map<string, Pick<NodeNetfilter, 'counters' | 'policyCounters' | 'recent'>>;

/** Each node's tables of both families: the IPv4 ones by node name, a dual-stack node's IPv6 ones (ip6tables) as `NODE/6`. */
function familyTables(kp: KubeProxy): [string, NodeNetfilter][] {
  return [...kp.nodes, ...[...(kp.ip6?.nodes ?? [])].map(([n, nf]): [string, NodeNetfilter] => [`${n}/6`, nf])];
}

function saveNetfilterTraffic(kp: KubeProxy): NetfilterTraffic {
  const out: NetfilterTraffic = new Map();
  for (const [node, nf] of familyTables(kp)) {
    out.set(node, {
      counters: new Map([...nf.counters].map(([r, c]) => [r, [c[0], c[1]]])),
      policyCounters: new Map([...nf.policyCounters].map(([k, c]) => [k, [c[0], c[1]]])),
      recent: new Map([...nf.recent].map(([k, l]) => [k, new Map([...l].map(([ip, t]) => [ip, [...t]]))])),
    });
  }
  return out;
}

function restoreNetfilterTraffic(kp: KubeProxy, saved: NetfilterTraffic | undefined): void {
  if (!saved) return;
  for (const [node, nf] of familyTables(kp)) {
    // a node whose rules were first synced during the run had counted nothing before it
    const s = saved.get(node) ?? { counters: new Map(), policyCounters: new Map(), recent: new Map() };
    nf.counters = s.counters;
    nf.policyCounters = s.policyCounters;
    nf.recent = s.recent;
  }
}
