/**
 * spec.healthCheckNodePort: the API server allocates it for a LoadBalancer Service with
 * externalTrafficPolicy Local and releases it when the Service stops needing it; kube-proxy's
 * service health server answers on it on every node.
 *
 * Upstream:
 * - pkg/registry/core/service/storage/alloc.go: allocHealthCheckNodePort ("failed to
 *   allocate requested HealthCheck NodePort %v: %v" wrapped in NewInternalError),
 *   updateHealthCheckNodePort (allocate on the Cluster→Local transition, release on the way
 *   back); storage.go patchAllocatedValues and strategy.go dropTypeDependentFields (an update
 *   that omits it keeps it; one that no longer needs it and left it alone drops it).
 * - pkg/apis/core/validation/validation.go validateServiceExternalTrafficPolicy ("may only be
 *   set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'") and
 *   validateServiceExternalTrafficFieldsUpdate ("field is immutable").
 * - portallocator: "provided port is already allocated", "provided port is not in the valid
 *   range. The range of valid ports is 30000-32767".
 * - pkg/proxy/healthcheck/service_health.go hcHandler.ServeHTTP: Content-Type,
 *   X-Content-Type-Options, X-Load-Balancing-Endpoint-Weight (the count), 200 or 503, the
 *   dedented JSON without a final newline; LocalReadyEndpoints counts ready local endpoints
 *   once per Service port (pkg/proxy/endpointschangetracker.go).
 * - kubectl describe (pkg/describe/describe.go describeService): `HealthCheck NodePort:`.
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

const SCENARIO = `
cluster:
  cni: calico
  proxyMode: iptables
objects:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 1
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-1}
          containers: [{name: nginx, image: "nginx:1.27", ports: [{containerPort: 80}]}]
`;

describe('healthCheckNodePort', () => {
  it('is allocated on the move to Local, served by kube-proxy on every node, kept, refused and released as the API server does', () => {
    const sim = createSimulation(SCENARIO, { seed: 3 });
    golden(
      'health-check-node-port',
      '# upstream: pkg/registry/core/service/storage/alloc.go; pkg/apis/core/validation/validation.go; pkg/proxy/healthcheck/service_health.go\n' +
        transcriptOf(sim, [
          'kubectl create svc loadbalancer web --tcp=80:80,8080:80',
          'kubectl get svc web -o jsonpath={.spec.healthCheckNodePort}',
          `kubectl patch svc web -p '{"spec":{"externalTrafficPolicy":"Local"}}'`,
          'kubectl get svc web -o jsonpath={.spec.healthCheckNodePort}',
          'kubectl describe svc web',
          'kubectl get nodes -o wide',
          'curl -si http://192.168.49.3:$(kubectl get svc web -o jsonpath={.spec.healthCheckNodePort})/',
          'curl -si http://192.168.49.4:$(kubectl get svc web -o jsonpath={.spec.healthCheckNodePort})/healthz',
          'kubectl scale deploy web --replicas=0',
          'curl -s -o /dev/null -w "%{http_code}\\n" http://192.168.49.3:$(kubectl get svc web -o jsonpath={.spec.healthCheckNodePort})/',
          `kubectl patch svc web -p '{"spec":{"healthCheckNodePort":31000}}'`,
          `kubectl patch svc web -p '{"spec":{"externalTrafficPolicy":"Cluster"}}'`,
          'kubectl get svc web -o jsonpath={.spec.healthCheckNodePort}',
          `kubectl patch svc web -p '{"spec":{"healthCheckNodePort":31000}}'`,
          `kubectl patch svc web -p '{"spec":{"externalTrafficPolicy":"Local","healthCheckNodePort":31000}}'`,
          'kubectl get svc web -o jsonpath={.spec.healthCheckNodePort}',
          `kubectl create svc loadbalancer other --tcp=80:80`,
          `kubectl patch svc other -p '{"spec":{"externalTrafficPolicy":"Local","healthCheckNodePort":31000}}'`,
          `kubectl patch svc other -p '{"spec":{"externalTrafficPolicy":"Local","healthCheckNodePort":70000}}'`,
          `kubectl patch svc web -p '{"spec":{"type":"NodePort"}}'`,
          'kubectl get svc web -o jsonpath={.spec.healthCheckNodePort}',
          `kubectl patch svc other -p '{"spec":{"externalTrafficPolicy":"Local","healthCheckNodePort":31000}}'`,
          'kubectl get svc other -o jsonpath={.spec.healthCheckNodePort}',
        ]),
    );
  });
});
