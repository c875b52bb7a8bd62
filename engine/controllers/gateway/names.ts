/**
 * Envoy Gateway's names and constants (github.com/envoyproxy/gateway v1.9.0):
 * api/v1alpha1/envoygateway_types.go GatewayControllerName, shared_types.go
 * DefaultEnvoyProxyImage, internal/utils GetHashedName, internal/infrastructure/kubernetes/proxy
 * resource.go (ExpectedResourceHashedName, EnvoyAppLabel), internal/gatewayapi/translator.go
 * (owning-gateway labels, the well-known port shift) and helpers.go (listener port names,
 * route and cluster names).
 */
import { sha256 } from '../../cluster/hash';

export const EG_VERSION = 'v1.9.0';
export const CONTROLLER_NAME = 'gateway.envoyproxy.io/gatewayclass-controller';
export const GATEWAY_IMAGE = `docker.io/envoyproxy/gateway:${EG_VERSION}`;
export const ENVOY_IMAGE = 'docker.io/envoyproxy/envoy:distroless-v1.39.0';
export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

export const OWNING_GATEWAY_NAME = 'gateway.envoyproxy.io/owning-gateway-name';
export const OWNING_GATEWAY_NAMESPACE = 'gateway.envoyproxy.io/owning-gateway-namespace';

/** EnvoyAppLabel: the labels on every Envoy resource. */
export const ENVOY_APP_LABELS = { 'app.kubernetes.io/name': 'envoy', 'app.kubernetes.io/component': 'proxy', 'app.kubernetes.io/managed-by': 'envoy-gateway' };

/** The readiness and stats ports of the Envoy bootstrap (internal/xds/bootstrap). */
export const ENVOY_READINESS_PORT = 19003;
export const ENVOY_STATS_PORT = 19001;

/** utils.GetHashedName: `ns-name` (cut to `length`) + the first 8 hex digits of sha256(`ns/name`). */
export function hashedName(nsName: string, length: number): string {
  const hashed = sha256(nsName);
  const resourceName = nsName.replaceAll('/', '-');
  if (length > 0 && resourceName.length > length) return `${resourceName.slice(0, length).replace(/-+$/, '')}-${hashed.slice(0, 8)}`;
  return `${resourceName}-${hashed.slice(0, 8)}`;
}

/** ExpectedResourceHashedName: the Envoy Deployment and Service of a Gateway, `envoy-default-eg-e41e7b31`. */
export function proxyName(namespace: string, gateway: string): string {
  return `envoy-${hashedName(`${namespace}/${gateway}`, 48)}`;
}

/** servicePortToContainerPort: Envoy runs unprivileged, so a well-known port (< 1024) listens 10000 higher. */
export function containerPort(servicePort: number): number {
  return servicePort < 1024 ? servicePort + 10000 : servicePort;
}

/** irListenerPortName: `http-80`. */
export function listenerPortName(protocol: string, port: number): string {
  return `${protocol}-${port}`.toLowerCase();
}

/** irRouteDestinationName: the Envoy cluster of a route rule, `httproute/default/backend/rule/0`. */
export function clusterName(kind: string, namespace: string, name: string, rule: number): string {
  return `${kind.toLowerCase()}/${namespace}/${name}/rule/${rule}`;
}

/** The xDS route name: irRouteName plus the virtual host, dots as underscores (`…/match/0/www_example_com`). */
export function routeName(kind: string, namespace: string, name: string, rule: number, match: number, host: string): string {
  return `${clusterName(kind, namespace, name, rule)}/match/${match}/${host.replaceAll('.', '_')}`;
}
