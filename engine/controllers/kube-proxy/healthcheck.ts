/**
 * kube-proxy's service health server (pkg/proxy/healthcheck/service_health.go): for each
 * LoadBalancer Service with externalTrafficPolicy Local, an HTTP server on every node at
 * the Service's healthCheckNodePort. A cloud load balancer sends only to nodes that answer
 * 200, i.e. nodes with a local ready endpoint.
 *
 * The servers follow the proxier's view as of its last sync (SyncServices with the
 * ServicePortMap's HealthCheckNodePorts, SyncEndpoints with the EndpointsMap's
 * LocalReadyEndpoints): ready endpoints on this node, counted once per Service port.
 */
import type { ServiceViews } from './changetracker';
import type { ServiceHealthServer } from '../../dataplane/ports';

/** The health servers kube-proxy runs on `node`, by port. */
export function serviceHealthServers(views: ServiceViews, node: string): ServiceHealthServer[] {
  const out: ServiceHealthServer[] = [];
  for (const key of views.healthCheckKeys()) {
    const view = views.view(key);
    const hc = view?.ports.find((p) => p.healthCheckNodePort !== 0)?.healthCheckNodePort;
    if (!view || !hc) continue;
    let local = 0;
    for (const eps of view.endpoints) for (const ep of eps) if (ep.ready && ep.nodeName === node) local++;
    const slash = key.indexOf('/');
    out.push({ port: hc, namespace: key.slice(0, slash), name: key.slice(slash + 1), localEndpoints: local });
  }
  return out;
}
