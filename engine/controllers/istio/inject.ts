/**
 * The sidecar injector: istiod's mutating admission webhook (pkg/kube/inject), run by the
 * API server on every Pod create. Which Pods it touches follows the webhook's
 * namespaceSelector/objectSelector and inject.go's injectRequired:
 *
 * - the namespace is labelled `istio-injection=enabled`, or `istio.io/rev=default` without
 *   an `istio-injection` label (the revision-tag webhook), or the Pod itself is labelled
 *   `sidecar.istio.io/inject=true` — and the Pod is not labelled `sidecar.istio.io/inject=false`;
 * - never a hostNetwork Pod, nor one in kube-system/kube-public/kube-node-lease/local-path-storage,
 *   nor one already injected (the `sidecar.istio.io/status` annotation).
 *
 * The patch is what files/injection-template.yaml renders with the demo profile's values
 * (Istio 1.24.2): the istio-init init container running istio-iptables with its arguments,
 * the istio-proxy container, the labels and annotations, and the volumes it mounts.
 */
import type { KubeObject } from '../../cluster/types';
import { ISTIO_NAMESPACE, PROXY_IMAGE, PROXY_RESOURCES } from './install';

const IGNORED_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

type Labels = Record<string, string> | undefined;

/** Does the webhook select this Pod (namespace and object selectors, then injectRequired)? */
export function injectionWanted(pod: KubeObject, nsLabels: Labels): boolean {
  const labels: Labels = pod.metadata.labels;
  const ann: Labels = pod.metadata.annotations;
  if (pod.spec?.hostNetwork) return false;
  if (IGNORED_NAMESPACES.has(pod.metadata.namespace ?? '')) return false;
  if (ann?.['sidecar.istio.io/status']) return false;
  const podSays = labels?.['sidecar.istio.io/inject'] ?? ann?.['sidecar.istio.io/inject'];
  if (podSays === 'false') return false;
  const nsInject = nsLabels?.['istio-injection'];
  if (nsInject === 'disabled') return false;
  if (nsInject === 'enabled') return true;
  if (nsInject === undefined && nsLabels?.['istio.io/rev'] === 'default') return true;
  return podSays === 'true';
}

/** The istio-iptables arguments the template writes for this Pod (its annotations can narrow the capture). */
export function iptablesArgs(ann: Labels): string[] {
  const a = (k: string, d: string) => ann?.[k] ?? d;
  const exclude = a('traffic.sidecar.istio.io/excludeInboundPorts', '');
  const args = [
    'istio-iptables',
    '-p', '15001',
    '-z', '15006',
    '-u', '1337',
    '-m', a('sidecar.istio.io/interceptionMode', 'REDIRECT'),
    '-i', a('traffic.sidecar.istio.io/includeOutboundIPRanges', '*'),
    '-x', a('traffic.sidecar.istio.io/excludeOutboundIPRanges', ''),
    '-b', a('traffic.sidecar.istio.io/includeInboundPorts', '*'),
    '-d', ['15090', '15021', ...(exclude ? exclude.split(',') : []), '15020'].filter((p, i, all) => all.indexOf(p) === i).join(','),
  ];
  const outExclude = ann?.['traffic.sidecar.istio.io/excludeOutboundPorts'];
  if (outExclude) args.push('-o', outExclude);
  args.push('--log_output_level=default:info');
  return args;
}

/** The first container's name (kubectl's default container), the workload name the proxy reports. */
function workloadName(pod: KubeObject): string {
  const owner = (pod.metadata.ownerReferences ?? [])[0] as { kind?: string; name?: string } | undefined;
  if (owner?.kind === 'ReplicaSet' && owner.name) return owner.name.replace(/-[a-z0-9]+$/, '');
  return owner?.name ?? pod.metadata.name ?? pod.metadata.generateName?.replace(/-$/, '') ?? '';
}

/** Mutates `pod` as the injector's JSON patch would. */
export function injectSidecar(pod: KubeObject): void {
  const meta = pod.metadata;
  const labels = (meta.labels = { ...(meta.labels ?? {}) });
  const ann = (meta.annotations = { ...(meta.annotations ?? {}) });
  const spec = pod.spec;
  const appContainers: string[] = (spec.containers ?? []).map((c: { name: string }) => c.name).filter((n: string) => n !== 'istio-proxy');
  const workload = workloadName(pod);
  labels['security.istio.io/tlsMode'] = labels['security.istio.io/tlsMode'] ?? 'istio';
  labels['service.istio.io/canonical-name'] = labels['service.istio.io/canonical-name'] ?? labels['app.kubernetes.io/name'] ?? labels.app ?? workload;
  labels['service.istio.io/canonical-revision'] = labels['service.istio.io/canonical-revision'] ?? labels['app.kubernetes.io/version'] ?? labels.version ?? 'latest';
  if (appContainers.length) {
    ann['kubectl.kubernetes.io/default-container'] = ann['kubectl.kubernetes.io/default-container'] ?? appContainers[0];
    ann['kubectl.kubernetes.io/default-logs-container'] = ann['kubectl.kubernetes.io/default-logs-container'] ?? appContainers[0];
  }
  ann['istio.io/rev'] = 'default';
  ann['prometheus.io/path'] = '/stats/prometheus';
  ann['prometheus.io/port'] = '15020';
  ann['prometheus.io/scrape'] = 'true';
  ann['sidecar.istio.io/status'] = JSON.stringify({
    initContainers: ['istio-init'],
    containers: ['istio-proxy'],
    volumes: ['workload-socket', 'credential-socket', 'workload-certs', 'istio-envoy', 'istio-data', 'istio-podinfo', 'istio-token', 'istiod-ca-cert'],
    imagePullSecrets: null,
    revision: 'default',
  });
  const ports = (spec.containers ?? []).flatMap((c: { ports?: unknown[] }) => c.ports ?? []);
  spec.initContainers = [
    ...(spec.initContainers ?? []),
    {
      name: 'istio-init',
      image: PROXY_IMAGE,
      args: iptablesArgs(ann),
      resources: structuredClone(PROXY_RESOURCES),
      securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: false, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0 },
    },
  ];
  spec.containers = [
    ...(spec.containers ?? []),
    {
      name: 'istio-proxy',
      image: PROXY_IMAGE,
      ports: [{ containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }],
      args: ['proxy', 'sidecar', '--domain', '$(POD_NAMESPACE).svc.cluster.local', '--proxyLogLevel=warning', '--proxyComponentLogLevel=misc:error', '--log_output_level=default:info'],
      env: [
        { name: 'PILOT_CERT_PROVIDER', value: 'istiod' },
        { name: 'CA_ADDR', value: `istiod.${ISTIO_NAMESPACE}.svc:15012` },
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'INSTANCE_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'SERVICE_ACCOUNT', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
        { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
        { name: 'ISTIO_META_POD_PORTS', value: `[\n${ports.map((p: unknown) => JSON.stringify(p)).join('\n,')}\n]` },
        { name: 'ISTIO_META_APP_CONTAINERS', value: appContainers.join(',') },
        { name: 'ISTIO_META_CLUSTER_ID', value: 'Kubernetes' },
        { name: 'ISTIO_META_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'ISTIO_META_INTERCEPTION_MODE', value: ann['sidecar.istio.io/interceptionMode'] ?? 'REDIRECT' },
        ...(workload ? [{ name: 'ISTIO_META_WORKLOAD_NAME', value: workload }] : []),
        { name: 'ISTIO_META_MESH_ID', value: 'cluster.local' },
        { name: 'TRUST_DOMAIN', value: 'cluster.local' },
      ],
      readinessProbe: { httpGet: { path: '/healthz/ready', port: 15021 }, initialDelaySeconds: 0, periodSeconds: 15, timeoutSeconds: 3, failureThreshold: 4 },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true, runAsGroup: 1337, runAsNonRoot: true, runAsUser: 1337 },
      resources: structuredClone(PROXY_RESOURCES),
      volumeMounts: [
        { name: 'workload-socket', mountPath: '/var/run/secrets/workload-spiffe-uds' },
        { name: 'credential-socket', mountPath: '/var/run/secrets/credential-uds' },
        { name: 'workload-certs', mountPath: '/var/run/secrets/workload-spiffe-credentials' },
        { name: 'istiod-ca-cert', mountPath: '/var/run/secrets/istio' },
        { name: 'istio-data', mountPath: '/var/lib/istio/data' },
        { name: 'istio-envoy', mountPath: '/etc/istio/proxy' },
        { name: 'istio-token', mountPath: '/var/run/secrets/tokens' },
        { name: 'istio-podinfo', mountPath: '/etc/istio/pod' },
      ],
    },
  ];
  spec.volumes = [
    ...(spec.volumes ?? []),
    { name: 'workload-socket', emptyDir: {} },
    { name: 'credential-socket', emptyDir: {} },
    { name: 'workload-certs', emptyDir: {} },
    { name: 'istio-envoy', emptyDir: { medium: 'Memory' } },
    { name: 'istio-data', emptyDir: {} },
    { name: 'istio-podinfo', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } }] } },
    { name: 'istio-token', projected: { sources: [{ serviceAccountToken: { audience: 'istio-ca', expirationSeconds: 43200, path: 'istio-token' } }] } },
    { name: 'istiod-ca-cert', configMap: { name: 'istio-ca-root-cert' } },
  ];
}

/** Is this Pod injected (istio-proxy among its containers)? */
export function hasSidecar(pod: KubeObject | undefined): boolean {
  return !!pod && (pod.spec?.containers ?? []).some((c: { name: string }) => c.name === 'istio-proxy') && !!pod.metadata.annotations?.['sidecar.istio.io/status'];
}
