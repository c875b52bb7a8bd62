/**
 * httpGet probes answered by the app model (dataplane/apps.ts), and liveness.
 *
 * Upstream texts (kubernetes v1.34): pkg/kubelet/prober/prober.go records the `Unhealthy`
 * Warning "%s probe failed: %s" (Readiness, Liveness); pkg/probe/http/http.go fails a status
 * outside 200–399 with "HTTP probe failed with statuscode: %d"; pkg/kubelet/kuberuntime/
 * kuberuntime_manager.go computePodActions kills a container after failureThreshold (default 3)
 * liveness failures with the `Killing` event "Container %s failed liveness probe, will be
 * restarted"; the restarts then follow the crash back-off (CrashLoopBackOff, RESTARTS rising).
 * nginx's default server answers 404 for anything but / and /index.html.
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

const SCENARIO = `
cluster:
  nodes:
    - { name: node-1, ip: 192.168.49.2 }
files:
  live.yaml: |
    apiVersion: v1
    kind: Pod
    metadata: { name: live }
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{ containerPort: 80 }]
        livenessProbe: { httpGet: { path: /healthz, port: 80 }, periodSeconds: 5 }
  ready.yaml: |
    apiVersion: v1
    kind: Pod
    metadata: { name: ready }
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        readinessProbe: { httpGet: { path: /ready, port: 80 }, periodSeconds: 5 }
  tcp.yaml: |
    apiVersion: v1
    kind: Pod
    metadata: { name: tcp }
    spec:
      containers:
      - name: web
        image: httpd:2.4
        livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 2 }
  ok.yaml: |
    apiVersion: v1
    kind: Pod
    metadata: { name: ok }
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        livenessProbe: { httpGet: { path: /index.html, port: 80 } }
        readinessProbe: { httpGet: { path: /, port: 80 } }
`;

describe('probes', () => {
  it('a tcpSocket liveness probe to a port httpd does not listen on: refused, killed after failureThreshold', () => {
    const sim = createSimulation(SCENARIO, { seed: 3 });
    golden('probes-liveness-tcp', transcriptOf(sim, ['kubectl apply -f tcp.yaml', 'sleep 40', 'kubectl get pod tcp', "kubectl describe pod tcp | grep -E 'Liveness|Restart Count|Last State|Reason|Exit Code'", "kubectl describe pod tcp | sed -n '/^Events:/,$p'"]));
  });

  it('an httpGet readiness probe to a path nginx does not serve: 404, the Pod stays unready', () => {
    const sim = createSimulation(SCENARIO, { seed: 3 });
    golden('probes-readiness-404', transcriptOf(sim, ['kubectl apply -f ready.yaml -f ok.yaml', 'sleep 30', 'kubectl get pods', "kubectl describe pod ready | sed -n '/^Events:/,$p'", "kubectl describe pod ok | sed -n '/^Events:/,$p'"]));
  });

  it('a failing liveness probe: three failures, the kill, restarts under the crash back-off', () => {
    const sim = createSimulation(SCENARIO, { seed: 3 });
    golden(
      'probes-liveness',
      transcriptOf(sim, [
        'kubectl apply -f live.yaml',
        'sleep 8',
        'kubectl get pod live',
        'sleep 8',
        'kubectl get pod live',
        'sleep 10',
        'kubectl get pod live',
        "kubectl describe pod live | sed -n '/^Events:/,$p'",
        'sleep 120',
        'kubectl get pod live',
        'kubectl get pod live -o jsonpath={.status.containerStatuses[0].lastState.terminated.reason}',
      ]),
    );
  });
});
