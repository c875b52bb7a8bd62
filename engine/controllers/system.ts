/**
 * The system layer: what `kubeadm init` + `kubeadm join` + a CNI install leave in a
 * cluster before anyone deploys anything. Namespaces, Nodes (labels, taints, podCIDRs,
 * addresses, conditions, nodeInfo), the `kubernetes` Service with its Endpoints and
 * EndpointSlice written the way the API server writes them, control-plane static
 * (mirror) pods, CoreDNS (the kubeadm addon manifests: Service kube-dns at the tenth
 * service IP, Deployment coredns, ConfigMap coredns with the kubeadm Corefile),
 * kube-proxy (DaemonSet and ConfigMap with the KubeProxyConfiguration) and the CNI
 * plugin's own pods, named as each plugin's manifests name them.
 *
 * With settings.systemLayer false only the namespaces and the nodes are made (no
 * `kubernetes` Service, CoreDNS, kube-proxy, CNI or control-plane pods).
 *
 * All of it is created CLUSTER_AGE_MS before the scenario starts and run forward until
 * it has settled, so AGE columns read like a cluster that has been up for days.
 */
import type { Cluster } from '../cluster/cluster';
import type { SimModule } from '../cluster/module';
import type { KubeObject, Manifest, NodeSettings } from '../cluster/types';
import type { Ipam } from '../cluster/ipam';
import type { Kubelet } from './kubelet';
import { sha256 } from '../cluster/hash';
import { derivedUid, type Obj } from './util';
import { cniPlugin } from './cni/registry';
import type { KindStore } from '../cluster/store';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles, kubeadmAddonRbac, kubeadmAdminBinding } from './rbac/bootstrap';
import { COREDNS_IMAGE, NODE_KERNEL_RELEASE, NODE_OS_IMAGE } from '../cluster/release';
import { STATIC_POD_COMPONENTS, staticPodAnnotations, staticPodCommand, staticPodImage, staticPodRequests } from '../hosts/kubeadm';

export const CLUSTER_AGE_MS = 5 * 86_400_000 + 3 * 3_600_000;
export const CONTROL_PLANE_TAINT = 'node-role.kubernetes.io/control-plane';

/** The kubeadm default Corefile (cmd/kubeadm/app/phases/addons/dns/manifests.go). */
export function kubeadmCorefile(clusterDomain: string): string {
  return `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${clusterDomain} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success ${clusterDomain}
       disable denial ${clusterDomain}
    }
    loop
    reload
    loadbalance
}
`;
}

/**
 * The `mode` kubeadm's config.conf holds: empty for the default (kubeadm leaves it unset and
 * kube-proxy picks iptables, logging "Using iptables proxy"), the mode's name otherwise.
 */
export function configuredMode(mode: string): string {
  return mode === 'iptables' ? '' : mode;
}

/**
 * kube-proxy's config.conf as kubeadm writes it (the full KubeProxyConfiguration, v1alpha1).
 * sigs.k8s.io/yaml quotes a string only when it must: `mode: nftables`, `scheduler: rr`, but `""`.
 */
/** A range flag's value as kubeadm writes it: the IPv4 range, then `,<IPv6 range>` on a dual-stack cluster. */
function dualPair(v4: string, v6: string | undefined): string {
  return v6 ? `${v4},${v6}` : v4;
}

export function kubeProxyConfig(mode: string, ipvsScheduler: string, clusterCIDR: string): string {
  return `apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
bindAddressHardFail: false
clientConnection:
  acceptContentTypes: ""
  burst: 0
  contentType: ""
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
  qps: 0
clusterCIDR: ${clusterCIDR}
configSyncPeriod: 0s
conntrack:
  maxPerCore: null
  min: null
  tcpBeLiberal: false
  tcpCloseWaitTimeout: null
  tcpEstablishedTimeout: null
  udpStreamTimeout: 0s
  udpTimeout: 0s
detectLocal:
  bridgeInterface: ""
  interfaceNamePrefix: ""
detectLocalMode: ""
enableProfiling: false
healthzBindAddress: ""
hostnameOverride: ""
iptables:
  localhostNodePorts: null
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
ipvs:
  excludeCIDRs: null
  minSyncPeriod: 0s
  scheduler: ${mode === 'ipvs' && ipvsScheduler ? ipvsScheduler : '""'}
  strictARP: false
  syncPeriod: 0s
  tcpFinTimeout: 0s
  tcpTimeout: 0s
  udpTimeout: 0s
kind: KubeProxyConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
metricsBindAddress: ""
mode: ${mode || '""'}
nftables:
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
nodePortAddresses: null
oomScoreAdj: null
portRange: ""
showHiddenMetricsForVersion: ""
winkernel:
  enableDSR: false
  forwardHealthCheckVip: false
  networkName: ""
  rootHnsEndpointName: ""
  sourceVip: ""`;
}

/** The ClusterConfiguration kubeadm stores in the kubeadm-config ConfigMap (v1beta4, kubeadm 1.34). */
export function kubeadmClusterConfiguration(version: string, podSubnet: string, serviceSubnet: string, dnsDomain: string, endpoint: string): string {
  return `apiServer: {}
apiVersion: kubeadm.k8s.io/v1beta4
caCertificateValidityPeriod: 87600h0m0s
certificateValidityPeriod: 8760h0m0s
certificatesDir: /etc/kubernetes/pki
clusterName: kubernetes
controlPlaneEndpoint: ${endpoint}
controllerManager: {}
dns: {}
encryptionAlgorithm: RSA-2048
etcd:
  local:
    dataDir: /var/lib/etcd
imageRepository: registry.k8s.io
kind: ClusterConfiguration
kubernetesVersion: ${version}
networking:
  dnsDomain: ${dnsDomain}
  podSubnet: ${podSubnet}
  serviceSubnet: ${serviceSubnet}
proxy: {}
scheduler: {}
`;
}

/** The KubeletConfiguration kubeadm stores in the kubelet-config ConfigMap: clusterDNS and clusterDomain feed every pod's resolv.conf. */
export function kubeletConfiguration(clusterDNS: string, clusterDomain: string): string {
  return `apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: systemd
clusterDNS:
- ${clusterDNS}
clusterDomain: ${clusterDomain}
containerRuntimeEndpoint: ""
cpuManagerReconcilePeriod: 0s
evictionPressureTransitionPeriod: 0s
fileCheckFrequency: 0s
healthzBindAddress: 127.0.0.1
healthzPort: 10248
httpCheckFrequency: 0s
imageMaximumGCAge: 0s
imageMinimumGCAge: 0s
kind: KubeletConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
memorySwap: {}
nodeStatusReportFrequency: 0s
nodeStatusUpdateFrequency: 0s
resolvConf: /run/systemd/resolve/resolv.conf
rotateCertificates: true
runtimeRequestTimeout: 0s
shutdownGracePeriod: 0s
shutdownGracePeriodCriticalPods: 0s
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 0s
syncFrequency: 0s
volumeStatsAggPeriod: 0s
`;
}

export function kubeProxyKubeconfig(server: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    server: ${server}
  name: default
contexts:
- context:
    cluster: default
    namespace: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token`;
}

/** Which nodes are control-plane nodes, and whether they carry the NoSchedule taint. */
export function nodeRoles(nodes: NodeSettings[]): { controlPlane: boolean; tainted: boolean }[] {
  const declared = nodes.some((n) => n.role === 'control-plane');
  // without declared roles the first node is the control plane and, as on minikube, runs workloads
  return nodes.map((n, i) => (declared ? { controlPlane: n.role === 'control-plane', tainted: n.role === 'control-plane' } : { controlPlane: i === 0, tainted: false }));
}

export class SystemLayer implements SimModule {
  readonly name = 'system';
  private restored = false;

  /** `controllers`: what runs while the system layer settles; `kubelet`: when the next container is due. */
  constructor(
    private cluster: Cluster,
    private ipam: Ipam,
    private controllers: SimModule[],
    private kubelet: Kubelet,
  ) {}

  snapshot(): unknown {
    return { created: true };
  }

  restore(): void {
    this.restored = true;
  }

  init(): void {
    if (this.restored || this.cluster.store.count('Namespace') > 0) return;
    const start = this.cluster.clock.now();
    const t0 = start - CLUSTER_AGE_MS;
    this.cluster.clock.set(t0);
    this.createAll();
    // run the control plane until the system pods are up (two minutes of cluster life)
    this.settle(t0 + 120_000);
    this.cluster.clock.set(start);
  }

  private settle(until: number): void {
    const kubelet = this.kubelet;
    const quiesce = () => {
      for (let round = 0; round < 50; round++) {
        let changed = false;
        for (const m of this.controllers) if (m.reconcile?.()) changed = true;
        if (!changed) return;
      }
    };
    quiesce();
    for (let guard = 0; guard < 1000; guard++) {
      const due = kubelet.nextDue();
      if (due === undefined || due > until) break;
      if (due > this.cluster.clock.now()) this.cluster.clock.set(due);
      quiesce();
    }
    this.cluster.clock.set(until);
    quiesce();
  }

  /** An object added beside the original system layer: its UID is derived, so the seeded stream is drawn as before. */
  private createDerived(m: Manifest): KubeObject {
    const meta = m.metadata ?? {};
    return this.create({ ...m, metadata: { ...meta, uid: derivedUid(`${m.kind}/${meta.namespace ?? ''}/${meta.name}`) } });
  }

  private create(m: Manifest): KubeObject {
    return this.cluster.api.create(m, { reconcile: false, keepStatus: true });
  }

  private createAll(): void {
    const s = this.cluster.settings;
    for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) this.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const cniNamespace = cniPlugin(s).namespace;
    if (cniNamespace) this.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: cniNamespace.name, labels: { ...cniNamespace.labels } } });
    const roles = nodeRoles(s.nodes);
    const nodes = s.nodes.map((n, i) => this.create(this.nodeManifest(n, i, roles[i])));
    // the API server's bootstrap RBAC policy and kubeadm's admin binding are the cluster itself too
    for (const m of [...bootstrapClusterRoles(), ...bootstrapClusterRoleBindings(), kubeadmAdminBinding()]) this.createDerived(m);
    // namespaces and nodes are the cluster itself; what runs in kube-system is the system layer
    if (!s.systemLayer) return;
    const cpIPs = s.nodes.filter((_, i) => roles[i].controlPlane).map((n) => n.ip);
    this.kubernetesService(cpIPs);
    const cpName = s.nodes.find((_, i) => roles[i].controlPlane)?.name ?? s.nodes[0].name;
    this.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubeadm-config', namespace: 'kube-system' }, data: { ClusterConfiguration: kubeadmClusterConfiguration(s.kubernetesVersion, dualPair(s.podCIDR, s.podCIDRv6), dualPair(s.serviceCIDR, s.serviceCIDRv6), s.clusterDomain, `${cpName}:6443`) } });
    this.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { annotations: { 'kubeadm.kubernetes.io/component-config.hash': `sha256:${sha256(kubeletConfiguration(this.ipam.serviceIP(9), s.clusterDomain))}` }, name: 'kubelet-config', namespace: 'kube-system' }, data: { kubelet: kubeletConfiguration(this.ipam.serviceIP(9), s.clusterDomain) } });
    nodes.forEach((node, i) => {
      if (roles[i].controlPlane) this.staticPods(node, s.nodes[i]);
    });
    this.coreDNS();
    // kubeadm init --skip-phases=addon/kube-proxy: Cilium's kube-proxy replacement takes its place.
    if (!s.kubeProxyReplacement) this.kubeProxy(cpIPs[0] ?? s.nodes[0].ip);
    this.cni();
    for (const m of kubeadmAddonRbac(!s.kubeProxyReplacement)) this.createDerived(m);
    this.serviceAccounts();
  }

  /** The ServiceAccounts the system workloads run as (kubeadm's addons and the CNI manifests create each beside its workload). */
  private serviceAccounts(): void {
    const store: KindStore = this.cluster.store;
    const wanted = new Set<string>();
    for (const kind of ['Deployment', 'DaemonSet'] as const) {
      for (const w of store.list(kind)) {
        const sa = w.spec?.template?.spec?.serviceAccountName;
        if (sa && sa !== 'default') wanted.add(`${w.metadata.namespace}/${sa}`);
      }
    }
    for (const key of [...wanted].sort()) {
      const [namespace, name] = key.split('/');
      if (!store.get('ServiceAccount', namespace, name)) this.createDerived({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
    }
  }

  nodeManifest(n: NodeSettings, index: number, role: { controlPlane: boolean; tainted: boolean }): Manifest {
    const s = this.cluster.settings;
    const t = this.cluster.clock.iso();
    const podCIDR = n.podCIDR ?? this.ipam.nodePodCIDR(index);
    const labels: Record<string, string> = {
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': n.name,
      'kubernetes.io/os': 'linux',
      ...(role.controlPlane ? { [CONTROL_PLANE_TAINT]: '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' } : {}),
      ...(n.labels ?? {}),
    };
    const resources = { cpu: '2', 'ephemeral-storage': '61202244Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '4015548Ki', pods: String(n.maxPods ?? 110) };
    const r = this.cluster.rng;
    const cond = (type: string, status: string, reason: string, message: string) => ({ lastHeartbeatTime: t, lastTransitionTime: t, message, reason, status, type });
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        annotations: {
          ...(cniPlugin(s).nodeAnnotations?.(this.cluster, { name: n.name, ip: n.ip, ...(n.ipv6 ? { ipv6: n.ipv6 } : {}) }) ?? {}),
          'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
          'node.alpha.kubernetes.io/ttl': '0',
          'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        },
        labels,
        name: n.name,
      },
      spec: {
        podCIDR,
        podCIDRs: n.ipv6 ? [podCIDR, this.ipam.nodePodCIDR6(index)!] : [podCIDR],
        ...(role.tainted ? { taints: [{ effect: 'NoSchedule', key: CONTROL_PLANE_TAINT }] } : {}),
      },
      status: {
        // the kubelet's --node-ip=<v4>,<v6> on a dual-stack node: one InternalIP per family, primary first
        addresses: [{ address: n.ip, type: 'InternalIP' }, ...(n.ipv6 ? [{ address: n.ipv6, type: 'InternalIP' }] : []), { address: n.name, type: 'Hostname' }],
        allocatable: resources,
        capacity: resources,
        conditions: [
          // the CNI agent's at start (calico-node's NetworkUnavailable False, CalicoIsUp), first as its status patch puts it
          ...(s.systemLayer ? cniPlugin(s).nodeConditions?.(t) ?? [] : []),
          cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
          cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
          cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
          cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          architecture: 'amd64',
          bootID: `${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}`,
          containerRuntimeVersion: 'containerd://1.7.22',
          kernelVersion: NODE_KERNEL_RELEASE,
          // kubelet leaves it empty since DisableNodeKubeProxyVersion defaulted on (v1.33, pkg/features)
          kubeProxyVersion: '',
          kubeletVersion: s.kubernetesVersion,
          machineID: r.hex(32),
          operatingSystem: 'linux',
          osImage: NODE_OS_IMAGE,
          systemUUID: `${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}`,
        },
      },
    };
  }

  private kubernetesService(cpIPs: string[]): void {
    const svc = this.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { labels: { component: 'apiserver', provider: 'kubernetes' }, name: 'kubernetes', namespace: 'default' },
      spec: { clusterIP: this.ipam.serviceIP(0), ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None', type: 'ClusterIP' },
    });
    void svc;
    // written by the API server's endpoint reconciler, not the endpoints controllers
    this.create({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' }, name: 'kubernetes', namespace: 'default' },
      subsets: [{ addresses: cpIPs.map((ip) => ({ ip })), ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
    });
    this.create({
      addressType: 'IPv4',
      apiVersion: 'discovery.k8s.io/v1',
      endpoints: cpIPs.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
      kind: 'EndpointSlice',
      metadata: { generation: 1, labels: { 'kubernetes.io/service-name': 'kubernetes' }, name: 'kubernetes', namespace: 'default' },
      ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
    });
  }

  private staticPods(node: KubeObject, n: NodeSettings): void {
    const s = this.cluster.settings;
    // the same command lines as the manifests kubeadm wrote on the node (hosts/kubeadm.ts)
    const pods = STATIC_POD_COMPONENTS.map((component) => ({ component, image: staticPodImage(s, component), command: staticPodCommand(s, n, component), extraAnnotations: staticPodAnnotations(n, component) }));
    for (const p of pods) {
      const hash = sha256(`${n.name}/${p.component}/${p.command.join(' ')}`).slice(0, 32);
      this.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          annotations: {
            ...(p.extraAnnotations ?? {}),
            'kubernetes.io/config.hash': hash,
            'kubernetes.io/config.mirror': hash,
            'kubernetes.io/config.seen': this.cluster.clock.iso(),
            'kubernetes.io/config.source': 'file',
          },
          labels: { component: p.component, tier: 'control-plane' },
          name: `${p.component}-${n.name}`,
          namespace: 'kube-system',
          ownerReferences: [{ apiVersion: 'v1', controller: true, kind: 'Node', name: node.metadata.name, uid: node.metadata.uid }],
        },
        spec: {
          containers: [{ command: p.command, image: p.image, imagePullPolicy: 'IfNotPresent', name: p.component, resources: { requests: staticPodRequests(p.component) } }],
          hostNetwork: true,
          nodeName: n.name,
          priorityClassName: 'system-node-critical',
          securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
          tolerations: [{ effect: 'NoExecute', operator: 'Exists' }],
        },
      });
    }
  }

  private coreDNS(): void {
    const domain = this.cluster.settings.clusterDomain;
    this.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: kubeadmCorefile(domain) } });
    this.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
        labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
        name: 'kube-dns',
        namespace: 'kube-system',
      },
      spec: {
        clusterIP: this.ipam.serviceIP(9),
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
        selector: { 'k8s-app': 'kube-dns' },
      },
    });
    this.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { labels: { 'k8s-app': 'kube-dns' }, name: 'coredns', namespace: 'kube-system' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 }, type: 'RollingUpdate' },
        template: {
          metadata: { labels: { 'k8s-app': 'kube-dns' } },
          spec: {
            affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ podAffinityTerm: { labelSelector: { matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }] }, topologyKey: 'kubernetes.io/hostname' }, weight: 100 }] } },
            containers: [{
              args: ['-conf', '/etc/coredns/Corefile'],
              image: COREDNS_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              // kubeadm v1.34 probes by port name (#131587)
              livenessProbe: { failureThreshold: 5, httpGet: { path: '/health', port: 'liveness-probe', scheme: 'HTTP' }, initialDelaySeconds: 60, successThreshold: 1, timeoutSeconds: 5 },
              name: 'coredns',
              ports: [
                { containerPort: 53, name: 'dns', protocol: 'UDP' },
                { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
                { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
                { containerPort: 8080, name: 'liveness-probe', protocol: 'TCP' },
                { containerPort: 8181, name: 'readiness-probe', protocol: 'TCP' },
              ],
              readinessProbe: { httpGet: { path: '/ready', port: 'readiness-probe', scheme: 'HTTP' } },
              resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: true },
              volumeMounts: [{ mountPath: '/etc/coredns', name: 'config-volume', readOnly: true }],
            }],
            dnsPolicy: 'Default',
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            priorityClassName: 'system-cluster-critical',
            serviceAccountName: 'coredns',
            tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { effect: 'NoSchedule', key: CONTROL_PLANE_TAINT }],
            volumes: [{ configMap: { items: [{ key: 'Corefile', path: 'Corefile' }], name: 'coredns' }, name: 'config-volume' }],
          },
        },
      },
    });
  }

  private kubeProxy(apiServerIP: string): void {
    const s = this.cluster.settings;
    this.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { annotations: { 'kubeadm.kubernetes.io/component-config.hash': `sha256:${sha256(kubeProxyConfig(configuredMode(s.proxyMode), s.ipvsScheduler, dualPair(s.podCIDR, s.podCIDRv6)))}` }, labels: { app: 'kube-proxy' }, name: 'kube-proxy', namespace: 'kube-system' },
      data: { 'config.conf': kubeProxyConfig(configuredMode(s.proxyMode), s.ipvsScheduler, dualPair(s.podCIDR, s.podCIDRv6)), 'kubeconfig.conf': kubeProxyKubeconfig(`https://${apiServerIP}:6443`) },
    });
    this.create({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { labels: { 'k8s-app': 'kube-proxy' }, name: 'kube-proxy', namespace: 'kube-system' },
      spec: {
        selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
        template: {
          metadata: { labels: { 'k8s-app': 'kube-proxy' } },
          spec: {
            containers: [{
              command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
              env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
              image: `registry.k8s.io/kube-proxy:${s.kubernetesVersion}`,
              imagePullPolicy: 'IfNotPresent',
              name: 'kube-proxy',
              securityContext: { privileged: true },
              volumeMounts: [{ mountPath: '/var/lib/kube-proxy', name: 'kube-proxy' }, { mountPath: '/run/xtables.lock', name: 'xtables-lock' }, { mountPath: '/lib/modules', name: 'lib-modules', readOnly: true }],
            }],
            hostNetwork: true,
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            priorityClassName: 'system-node-critical',
            serviceAccountName: 'kube-proxy',
            tolerations: [{ operator: 'Exists' }],
            volumes: [
              { configMap: { name: 'kube-proxy' }, name: 'kube-proxy' },
              { hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' }, name: 'xtables-lock' },
              { hostPath: { path: '/lib/modules', type: '' }, name: 'lib-modules' },
            ],
          },
        },
        updateStrategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: 'RollingUpdate' },
      },
    });
  }

  private daemonSet(ns: string, name: string, labels: Record<string, string>, containers: Obj[], extra: Obj = {}): void {
    this.create({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { labels, name, namespace: ns },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers, hostNetwork: true, nodeSelector: { 'kubernetes.io/os': 'linux' }, priorityClassName: 'system-node-critical', tolerations: [{ effect: 'NoSchedule', operator: 'Exists' }, { key: 'CriticalAddonsOnly', operator: 'Exists' }, { effect: 'NoExecute', operator: 'Exists' }], ...extra },
        },
      },
    });
  }

  private deployment(ns: string, name: string, labels: Record<string, string>, containers: Obj[], extra: Obj = {}, replicas = 1): void {
    this.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { labels, name, namespace: ns },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        strategy: { type: 'Recreate' },
        template: {
          metadata: { labels },
          spec: { containers, nodeSelector: { 'kubernetes.io/os': 'linux' }, priorityClassName: 'system-cluster-critical', tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { effect: 'NoSchedule', key: CONTROL_PLANE_TAINT }], ...extra },
        },
      },
    });
  }

  private cni(): void {
    const s = this.cluster.settings;
    for (const crd of cniPlugin(s).crds?.() ?? []) this.create(crd);
    for (const w of cniPlugin(s).systemWorkloads(s)) {
      if (w.kind === 'DaemonSet') this.daemonSet(w.namespace, w.name, w.labels, w.containers, w.podSpec);
      else this.deployment(w.namespace, w.name, w.labels, w.containers, w.podSpec);
    }
  }
}
