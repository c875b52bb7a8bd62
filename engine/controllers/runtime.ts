/**
 * The running cluster as the controllers, node agents and commands above them see it: the
 * shared state (Cluster), the network ports the packet walk uses (NetCluster), and each
 * agent by its real name, typed. engine/simulation.ts builds the one instance; nothing
 * looks a module up by name.
 */
import type { NetCluster } from '../dataplane/ports';
import type { Ipam } from '../cluster/ipam';
import type { EventRecorder } from './events';
import type { LogsModule } from './logs';
import type { CniModule } from './cni/module';
import type { KubeProxy } from './kube-proxy';
import type { DnsModule } from './dns/state';
import type { IngressNginx } from './ingress';
import type { EnvoyGateway } from './gateway';
import type { Kubelet } from './kubelet';

export interface ClusterRuntime extends NetCluster {
  /** Service ClusterIPs and node ports (the API server's allocators) and pod addresses. */
  readonly ipam: Ipam;
  readonly events: EventRecorder;
  readonly logs: LogsModule;
  /** The nodes' kubelets: systemctl on a node stops and starts them. */
  readonly kubelet: Kubelet;
  /** The CNI plugin's per-node state (interface indexes, network namespaces). */
  readonly cni: CniModule;
  readonly kubeProxy: KubeProxy;
  /** CoreDNS's state (zone serial, query counter). */
  readonly dns: DnsModule;
  readonly ingress: IngressNginx;
  /** Envoy Gateway: the Gateway API's translation and its Envoy proxies. */
  readonly gateway: EnvoyGateway;
}
