/**
 * What `istioctl install --set profile=demo` creates (Istio 1.24.2, current at the
 * simulation's epoch): the istio-system namespace, the mesh config and the sidecar
 * injector's config, istiod, and — the demo profile's extras — an ingress and an egress
 * gateway. Names, labels, ports and resource requests follow the 1.24.2 charts
 * (manifests/charts/istio-control/istio-discovery, manifests/charts/gateways/*, and
 * manifests/charts/base/files/profile-demo.yaml for the demo's requests: 10m CPU and 40Mi
 * for every proxy, 10m/100Mi for istiod; the proxies keep the chart's limits, 2 CPUs and 1Gi).
 */
import type { Manifest } from '../../cluster/types';
import { RESOURCES } from '../../cluster/resources';

export const ISTIO_VERSION = '1.24.2';
export const ISTIO_HUB = 'docker.io/istio';
export const ISTIO_NAMESPACE = 'istio-system';
export const PROXY_IMAGE = `${ISTIO_HUB}/proxyv2:${ISTIO_VERSION}`;
export const PILOT_IMAGE = `${ISTIO_HUB}/pilot:${ISTIO_VERSION}`;
/** The ConfigMap whose presence is the installed injection webhook (the MutatingWebhookConfiguration it backs is not served here). */
export const INJECTOR_CONFIGMAP = 'istio-sidecar-injector';

/** global.proxy.resources as the demo profile leaves them (requests from profile-demo.yaml, limits from values.yaml). */
export const PROXY_RESOURCES = { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '10m', memory: '40Mi' } };

/** The profiles istioctl 1.24 knows (manifests/profiles); only demo and default are built here. */
export const PROFILES = ['ambient', 'default', 'demo', 'empty', 'minimal', 'openshift', 'openshift-ambient', 'preview', 'remote', 'stable'];

/** The components a profile installs, in the order istioctl reports them installed. */
export function profileComponents(profile: string): ('base' | 'pilot' | 'egress' | 'ingress')[] {
  if (profile === 'demo') return ['base', 'pilot', 'egress', 'ingress'];
  return ['base', 'pilot', 'ingress'];
}

const OWNER_LABELS = { 'install.operator.istio.io/owning-resource': 'installed-state', 'istio.io/rev': 'default' };

function gateway(kind: 'ingress' | 'egress'): Manifest[] {
  const name = `istio-${kind}gateway`;
  const istio = `${kind}gateway`;
  const labels = { app: name, istio, ...OWNER_LABELS, 'operator.istio.io/component': kind === 'ingress' ? 'IngressGateways' : 'EgressGateways', 'app.kubernetes.io/name': name };
  const ports = kind === 'ingress'
    ? [
        { name: 'status-port', port: 15021, protocol: 'TCP', targetPort: 15021 },
        { name: 'http2', port: 80, protocol: 'TCP', targetPort: 8080 },
        { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 },
        { name: 'tcp', port: 31400, protocol: 'TCP', targetPort: 31400 },
        { name: 'tls', port: 15443, protocol: 'TCP', targetPort: 15443 },
      ]
    : [
        { name: 'http2', port: 80, protocol: 'TCP', targetPort: 8080 },
        { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 },
      ];
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ISTIO_NAMESPACE, labels },
      spec: {
        selector: { matchLabels: { app: name, istio } },
        template: {
          metadata: {
            labels: { app: name, istio, 'chart': 'gateways', 'heritage': 'Tiller', 'release': 'istio', 'service.istio.io/canonical-name': name, 'service.istio.io/canonical-revision': 'latest', 'sidecar.istio.io/inject': 'false', ...OWNER_LABELS },
            annotations: { 'prometheus.io/path': '/stats/prometheus', 'prometheus.io/port': '15020', 'prometheus.io/scrape': 'true', 'sidecar.istio.io/inject': 'false' },
          },
          spec: {
            serviceAccountName: `${name}-service-account`,
            containers: [
              {
                name: 'istio-proxy',
                image: PROXY_IMAGE,
                args: ['proxy', 'router', '--domain', '$(POD_NAMESPACE).svc.cluster.local', '--proxyLogLevel=warning', '--proxyComponentLogLevel=misc:error', '--log_output_level=default:info'],
                ports: [
                  ...ports.filter((p) => p.targetPort !== 15021).map((p) => ({ containerPort: p.targetPort, protocol: 'TCP' })),
                  { containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' },
                ],
                readinessProbe: { httpGet: { path: '/healthz/ready', port: 15021, scheme: 'HTTP' }, failureThreshold: 30, initialDelaySeconds: 1, periodSeconds: 2, successThreshold: 1, timeoutSeconds: 1 },
                resources: structuredClone(PROXY_RESOURCES),
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true, runAsGroup: 1337, runAsNonRoot: true, runAsUser: 1337 },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ISTIO_NAMESPACE, labels },
      spec: { type: kind === 'ingress' ? 'LoadBalancer' : 'ClusterIP', selector: { app: name, istio }, ports },
    },
  ];
}

/** The objects of a profile, in the order istioctl applies them. */
export function renderProfile(profile: string): Manifest[] {
  const comps = profileComponents(profile);
  const pilotLabels = { app: 'istiod', istio: 'pilot', ...OWNER_LABELS, 'operator.istio.io/component': 'Pilot', 'app.kubernetes.io/name': 'istiod' };
  const out: Manifest[] = [
    ...istioCrds(),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: ISTIO_NAMESPACE, labels: { ...OWNER_LABELS, 'operator.istio.io/component': 'Pilot' } }, data: { mesh: meshConfig(profile), meshNetworks: 'networks: {}' } },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: INJECTOR_CONFIGMAP, namespace: ISTIO_NAMESPACE, labels: { ...OWNER_LABELS, 'operator.istio.io/component': 'Pilot' } },
      data: { values: JSON.stringify({ global: { hub: ISTIO_HUB, tag: ISTIO_VERSION, istioNamespace: ISTIO_NAMESPACE, proxy: { resources: PROXY_RESOURCES, statusPort: 15020, excludeInboundPorts: '', includeIPRanges: '*', excludeIPRanges: '', includeInboundPorts: '*' } } }) },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'istiod', namespace: ISTIO_NAMESPACE, labels: pilotLabels },
      spec: {
        selector: { matchLabels: { istio: 'pilot' } },
        template: {
          metadata: {
            labels: { app: 'istiod', istio: 'pilot', 'istio.io/rev': 'default', 'install.operator.istio.io/owning-resource': 'unknown', 'operator.istio.io/component': 'Pilot', 'sidecar.istio.io/inject': 'false' },
            annotations: { 'prometheus.io/port': '15014', 'prometheus.io/scrape': 'true', 'sidecar.istio.io/inject': 'false' },
          },
          spec: {
            serviceAccountName: 'istiod',
            containers: [
              {
                name: 'discovery',
                image: PILOT_IMAGE,
                args: ['discovery', '--monitoringAddr=:15014', '--log_output_level=default:info', '--domain', 'cluster.local', '--keepaliveMaxServerConnectionAge', '30m'],
                ports: [
                  { containerPort: 8080, protocol: 'TCP', name: 'http-debug' },
                  { containerPort: 15010, protocol: 'TCP', name: 'grpc-xds' },
                  { containerPort: 15012, protocol: 'TCP', name: 'tls-xds' },
                  { containerPort: 15017, protocol: 'TCP', name: 'https-webhooks' },
                  { containerPort: 15014, protocol: 'TCP', name: 'http-monitoring' },
                ],
                readinessProbe: { httpGet: { path: '/ready', port: 8080 }, initialDelaySeconds: 1, periodSeconds: 3, timeoutSeconds: 5 },
                resources: { requests: { cpu: '10m', memory: '100Mi' } },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'istiod', namespace: ISTIO_NAMESPACE, labels: pilotLabels },
      spec: {
        type: 'ClusterIP',
        selector: { app: 'istiod', istio: 'pilot' },
        ports: [
          { name: 'grpc-xds', port: 15010, protocol: 'TCP' },
          { name: 'https-dns', port: 15012, protocol: 'TCP' },
          { name: 'https-webhook', port: 443, protocol: 'TCP', targetPort: 15017 },
          { name: 'http-monitoring', port: 15014, protocol: 'TCP' },
        ],
      },
    },
  ];
  if (comps.includes('egress')) out.push(...gateway('egress'));
  if (comps.includes('ingress')) out.push(...gateway('ingress'));
  return out;
}

/** gateways.networking.istio.io: installed by the base chart like the others, not served here (cluster/resources.ts). */
export const ISTIO_GATEWAY_CRD = 'gateways.networking.istio.io';

/**
 * The base chart's fourteen CustomResourceDefinitions (manifests/charts/base/files/crd-all.gen.yaml
 * at 1.24.2, in the file's order), which istioctl applies for every profile: each one's names,
 * categories, labels, the helm keep policy, and its versions with the storage one (each
 * version's schema and printer columns read in from cluster/openapi/crd-schemas.json). Creating
 * them is what makes the API server serve the kinds (cluster/resources.ts).
 */
export function istioCrds(): Manifest[] {
  const served = RESOURCES.filter((r) => r.crd && r.group.endsWith('.istio.io'));
  const gateway = { kind: 'Gateway', plural: 'gateways', singular: 'gateway', shortNames: ['gw'], group: 'networking.istio.io', version: 'v1', alsoServed: ['v1alpha3', 'v1beta1'], storageVersion: 'v1beta1', crd: ISTIO_GATEWAY_CRD };
  const all = [...served.slice(0, 3), gateway, ...served.slice(3)];
  return all.map((r) => {
    const short = r.group.split('.')[0];
    const labels: Record<string, string> = { app: 'istio-pilot', chart: 'istio', heritage: 'Tiller', release: 'istio' };
    if (short === 'security' || short === 'telemetry') labels.istio = short;
    return {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: r.crd, labels, ...(r.kind === 'WorkloadGroup' ? {} : { annotations: { 'helm.sh/resource-policy': 'keep' } }) },
      spec: {
        group: r.group,
        names: { categories: ['istio-io', `${short}-istio-io`], kind: r.kind, listKind: `${r.kind}List`, plural: r.plural, ...(r.shortNames.length ? { shortNames: r.shortNames } : {}), singular: r.singular },
        scope: 'Namespaced',
        versions: [r.version, ...(r.alsoServed ?? [])].map((v) => ({ name: v, served: true, storage: v === (r.storageVersion ?? r.version) })),
      },
    };
  });
}

function meshConfig(profile: string): string {
  const lines = [
    ...(profile === 'demo' ? ['accessLogFile: /dev/stdout'] : []),
    'defaultConfig:',
    '  discoveryAddress: istiod.istio-system.svc:15012',
    'defaultProviders:',
    '  metrics:',
    '  - prometheus',
    'enablePrometheusMerge: true',
    'rootNamespace: istio-system',
    'trustDomain: cluster.local',
  ];
  return lines.join('\n') + '\n';
}
