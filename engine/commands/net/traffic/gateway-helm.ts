/**
 * Envoy Gateway's Helm chart, gateway-helm v1.9.0 (oci://docker.io/envoyproxy/gateway-helm), as
 * charts/gateway-helm renders it with its default values, for the objects the simulated API
 * serves: the CRDs of its crds/ subchart (the Gateway API's experimental bundle v1.6.1 and
 * Envoy Gateway's own; helm installs crds/ before the templates and `helm uninstall` leaves
 * them), the envoy-gateway ConfigMap, Deployment and Service (templates/envoy-gateway-*.yaml),
 * and templates/NOTES.txt. The certgen Job's Secrets, the RBAC objects and the
 * ServiceAccount are kinds the simulation does not serve.
 */
import type { Manifest } from '../../../cluster/types';

/** kind, plural, group, shortNames, scope, versions (`*` marks the storage version). */
const CRDS: [string, string, string, string[], string, string][] = [
  ['Backend', 'backends', 'gateway.envoyproxy.io', ['be'], 'Namespaced', 'v1alpha1*'],
  ['BackendTrafficPolicy', 'backendtrafficpolicies', 'gateway.envoyproxy.io', ['btp'], 'Namespaced', 'v1alpha1*'],
  ['ClientTrafficPolicy', 'clienttrafficpolicies', 'gateway.envoyproxy.io', ['ctp'], 'Namespaced', 'v1alpha1*'],
  ['EnvoyExtensionPolicy', 'envoyextensionpolicies', 'gateway.envoyproxy.io', ['eep'], 'Namespaced', 'v1alpha1*'],
  ['EnvoyPatchPolicy', 'envoypatchpolicies', 'gateway.envoyproxy.io', ['epp'], 'Namespaced', 'v1alpha1*'],
  ['EnvoyProxy', 'envoyproxies', 'gateway.envoyproxy.io', ['eproxy'], 'Namespaced', 'v1alpha1*'],
  ['HTTPRouteFilter', 'httproutefilters', 'gateway.envoyproxy.io', ['hrf'], 'Namespaced', 'v1alpha1*'],
  ['SecurityPolicy', 'securitypolicies', 'gateway.envoyproxy.io', ['sp'], 'Namespaced', 'v1alpha1*'],
  ['BackendTLSPolicy', 'backendtlspolicies', 'gateway.networking.k8s.io', ['btlspolicy'], 'Namespaced', 'v1* v1alpha3'],
  ['GatewayClass', 'gatewayclasses', 'gateway.networking.k8s.io', ['gc'], 'Cluster', 'v1* v1beta1'],
  ['Gateway', 'gateways', 'gateway.networking.k8s.io', ['gtw'], 'Namespaced', 'v1* v1beta1'],
  ['GRPCRoute', 'grpcroutes', 'gateway.networking.k8s.io', [], 'Namespaced', 'v1*'],
  ['HTTPRoute', 'httproutes', 'gateway.networking.k8s.io', [], 'Namespaced', 'v1* v1beta1'],
  ['ListenerSet', 'listenersets', 'gateway.networking.k8s.io', ['lset'], 'Namespaced', 'v1*'],
  ['ReferenceGrant', 'referencegrants', 'gateway.networking.k8s.io', ['refgrant'], 'Namespaced', 'v1 v1beta1*'],
  ['TCPRoute', 'tcproutes', 'gateway.networking.k8s.io', [], 'Namespaced', 'v1* v1alpha2'],
  ['TLSRoute', 'tlsroutes', 'gateway.networking.k8s.io', [], 'Namespaced', 'v1* v1alpha2 v1alpha3'],
  ['UDPRoute', 'udproutes', 'gateway.networking.k8s.io', [], 'Namespaced', 'v1* v1alpha2'],
  ['XBackend', 'xbackends', 'gateway.networking.x-k8s.io', ['xbackend'], 'Namespaced', 'v1alpha1*'],
  ['XBackendTrafficPolicy', 'xbackendtrafficpolicies', 'gateway.networking.x-k8s.io', ['xbtrafficpolicy'], 'Namespaced', 'v1alpha1*'],
  ['XMesh', 'xmeshes', 'gateway.networking.x-k8s.io', ['mesh'], 'Cluster', 'v1alpha1*'],
];

/**
 * The chart's crds/: CustomResourceDefinitions (names, scope, versions). The served Gateway API
 * kinds' schemas and printer columns read in from cluster/openapi/crd-schemas.json (crds.ts);
 * the rules the simulation enforces beyond the schema are in cluster/validation/gateway.ts.
 */
export function gatewayHelmCrds(): Manifest[] {
  return CRDS.map(([kind, plural, group, shortNames, scope, versions]) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${plural}.${group}`,
      annotations: (group.startsWith('gateway.networking')
        ? { 'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/gateway-api/pull/4530', 'gateway.networking.k8s.io/bundle-version': 'v1.6.1', 'gateway.networking.k8s.io/channel': 'experimental' }
        : { 'controller-gen.kubebuilder.io/version': 'v0.20.1' }) as Record<string, string>,
    },
    spec: {
      group,
      names: { kind, listKind: `${kind}List`, plural, ...(shortNames.length ? { shortNames } : {}), singular: kind.toLowerCase() },
      scope,
      versions: versions.split(' ').map((v) => ({ name: v.replace('*', ''), served: true, storage: v.endsWith('*') })),
    },
  }));
}

/** templates/: the controller's ConfigMap, Deployment and Service. */
export function renderGatewayHelm(release: string, ns: string, chart: { version: string; appVersion: string }): Manifest[] {
  const selector = { 'app.kubernetes.io/name': 'gateway-helm', 'app.kubernetes.io/instance': release };
  const labels = { 'helm.sh/chart': `gateway-helm-${chart.version}`, ...selector, 'app.kubernetes.io/version': chart.appVersion, 'app.kubernetes.io/managed-by': 'Helm' };
  const annotations = { 'meta.helm.sh/release-name': release, 'meta.helm.sh/release-namespace': ns };
  const ports = [
    { name: 'grpc', port: 18000, targetPort: 18000 },
    { name: 'ratelimit', port: 18001, targetPort: 18001 },
    { name: 'wasm', port: 18002, targetPort: 18002 },
    { name: 'metrics', port: 19001, targetPort: 19001 },
  ];
  const config = [
    'apiVersion: gateway.envoyproxy.io/v1alpha1',
    'kind: EnvoyGateway',
    'extensionApis: {}',
    'gateway:',
    '  controllerName: gateway.envoyproxy.io/gatewayclass-controller',
    'logging:',
    '  level:',
    '    default: info',
    'provider:',
    '  kubernetes:',
    '    rateLimitDeployment:',
    '      container:',
    '        image: docker.io/envoyproxy/ratelimit:17b1956c',
    '    shutdownManager:',
    `      image: docker.io/envoyproxy/gateway:${chart.appVersion}`,
    '  type: Kubernetes',
    '',
  ].join('\n');
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'envoy-gateway-config', namespace: ns, labels, annotations }, data: { 'envoy-gateway.yaml': config } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'envoy-gateway', namespace: ns, labels: { 'control-plane': 'envoy-gateway', ...labels }, annotations },
      spec: {
        replicas: 1,
        selector: { matchLabels: { 'control-plane': 'envoy-gateway', ...selector } },
        template: {
          metadata: { annotations: { 'prometheus.io/port': '19001', 'prometheus.io/scrape': 'true' }, labels: { 'control-plane': 'envoy-gateway', ...selector } },
          spec: {
            automountServiceAccountToken: true,
            containers: [
              {
                name: 'envoy-gateway',
                image: `docker.io/envoyproxy/gateway:${chart.appVersion}`,
                imagePullPolicy: 'IfNotPresent',
                args: ['server', '--config-path=/config/envoy-gateway.yaml'],
                env: [
                  { name: 'ENVOY_GATEWAY_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
                  { name: 'KUBERNETES_CLUSTER_DOMAIN', value: 'cluster.local' },
                ],
                ports: ports.map((p) => ({ containerPort: p.port, name: p.name })),
                startupProbe: { httpGet: { path: '/healthz', port: 8081 }, failureThreshold: 30, periodSeconds: 1, successThreshold: 1, timeoutSeconds: 1 },
                livenessProbe: { httpGet: { path: '/healthz', port: 8081 }, periodSeconds: 20, successThreshold: 1, timeoutSeconds: 1 },
                readinessProbe: { httpGet: { path: '/readyz', port: 8081 }, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1 },
                resources: { limits: { memory: '1024Mi' }, requests: { cpu: '100m', memory: '256Mi' } },
                volumeMounts: [
                  { mountPath: '/config', name: 'envoy-gateway-config', readOnly: true },
                  { mountPath: '/var/lib/eg/wasm', name: 'wasm-cache' },
                ],
              },
            ],
            serviceAccountName: 'envoy-gateway',
            terminationGracePeriodSeconds: 10,
            volumes: [
              { configMap: { defaultMode: 420, name: 'envoy-gateway-config' }, name: 'envoy-gateway-config' },
              { emptyDir: {}, name: 'wasm-cache' },
            ],
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'envoy-gateway', namespace: ns, labels: { 'control-plane': 'envoy-gateway', ...labels }, annotations }, spec: { type: 'ClusterIP', selector: { 'control-plane': 'envoy-gateway', ...selector }, ports } },
  ];
}

/** templates/NOTES.txt */
export function gatewayHelmNotes(release: string, ns: string): string {
  return `**************************************************************************
*** PLEASE BE PATIENT: Envoy Gateway may take a few minutes to install ***
**************************************************************************

Envoy Gateway is an open source project for managing Envoy Proxy as a standalone or Kubernetes-based application gateway.

Thank you for installing Envoy Gateway! 🎉

Your release is named: ${release}. 🎉

Your release is in namespace: ${ns}. 🎉

To learn more about the release, try:

  $ helm status ${release} -n ${ns}
  $ helm get all ${release} -n ${ns}

To have a quickstart of Envoy Gateway, please refer to https://gateway.envoyproxy.io/latest/tasks/quickstart.

To get more details, please visit https://gateway.envoyproxy.io and https://github.com/envoyproxy/gateway.
`;
}
