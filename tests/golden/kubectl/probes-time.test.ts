/**
 * Probes over time, on the virtual clock: the kubernetes.io task page *Configure Liveness,
 * Readiness and Startup Probes* as a learner types it.
 *
 * Upstream (kubernetes v1.34 unless said):
 *  - pkg/kubelet/prober/worker.go: one worker per probe, started with the Pod, ticking every
 *    periodSeconds; nothing inside initialDelaySeconds of the container's start; liveness and
 *    readiness wait while the container is not `started` (startup probe); failureThreshold /
 *    successThreshold results in a row change the result; after a liveness or startup
 *    failure the worker holds until a new container runs.
 *  - pkg/kubelet/prober/prober.go: `Unhealthy` "%s probe failed: %s" with the probe's output;
 *    pkg/probe/exec/exec.go: the command's combined output (busybox cat's "can't open '%s'");
 *    pkg/probe/http/http.go: "HTTP probe failed with statuscode: %d"; pkg/probe/grpc/grpc.go:
 *    "timeout: failed to connect service %q within %v: %+v".
 *  - pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodActions: `Killing` "Container %s
 *    failed liveness probe, will be restarted" / "failed startup probe"; the kill waits the
 *    grace period for a shell PID 1 that ignores SIGTERM (exit 137), a Go server dies of it (143).
 *  - test/images/agnhost/liveness/server.go: /healthz 200 for 10 s after start, then 500.
 *  - staging/src/k8s.io/endpointslice/utils.go podToEndpoint: serving = IsPodReady(pod),
 *    ready = PublishNotReadyAddresses || (serving && !terminating).
 * kubectl describe (pkg/describe/describe.go DescribeEvents) prints "(xN over M)" from the
 * aggregated event's count and its first and last timestamps, the message TrimSpace'd.
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

const SCENARIO = `
cluster:
  nodes:
    - { name: node-1, ip: 192.168.49.2 }
files:
  exec-liveness.yaml: |
    apiVersion: v1
    kind: Pod
    metadata:
      labels:
        test: liveness
      name: liveness-exec
    spec:
      containers:
      - name: liveness
        image: busybox:1.36
        args:
        - /bin/sh
        - -c
        - touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600
        livenessProbe:
          exec:
            command:
            - cat
            - /tmp/healthy
          initialDelaySeconds: 5
          periodSeconds: 5
  http-liveness.yaml: |
    apiVersion: v1
    kind: Pod
    metadata:
      labels:
        test: liveness
      name: liveness-http
    spec:
      containers:
      - name: liveness
        image: registry.k8s.io/e2e-test-images/agnhost:2.40
        args:
        - liveness
        livenessProbe:
          httpGet:
            path: /healthz
            port: 8080
            httpHeaders:
            - name: Custom-Header
              value: Awesome
          initialDelaySeconds: 3
          periodSeconds: 3
  startup.yaml: |
    apiVersion: v1
    kind: Pod
    metadata: { name: startup }
    spec:
      containers:
      - name: web
        image: nginx:1.27
        startupProbe:
          httpGet: { path: /healthz, port: 80 }
          failureThreshold: 3
          periodSeconds: 2
  slow.yaml: |
    apiVersion: v1
    kind: Pod
    metadata: { name: slow, labels: { app: slow } }
    spec:
      containers:
      - name: app
        image: busybox:1.36
        command: ["sh", "-c", "sleep 12; touch /tmp/started; touch /tmp/ready; sleep 3600"]
        startupProbe:
          exec: { command: ["cat", "/tmp/started"] }
          periodSeconds: 5
          failureThreshold: 10
        readinessProbe:
          exec: { command: ["sh", "-c", "test -f /tmp/ready"] }
          periodSeconds: 5
  nr.yaml: |
    apiVersion: v1
    kind: Service
    metadata: { name: nr }
    spec:
      clusterIP: None
      publishNotReadyAddresses: true
      selector: { app: slow }
      ports: [{ port: 80 }]
  grpc.yaml: |
    apiVersion: v1
    kind: Pod
    metadata: { name: timeouts }
    spec:
      containers:
      - name: web
        image: nginx:1.27
        readinessProbe: { httpGet: { host: 192.0.2.1, port: 80 }, periodSeconds: 5 }
        livenessProbe: { grpc: { port: 80 }, periodSeconds: 5, failureThreshold: 10 }
      - name: tcp
        image: busybox:1.36
        command: ["sh", "-c", "sleep 3600"]
        readinessProbe: { tcpSocket: { host: 192.0.2.1, port: 443 }, periodSeconds: 5 }
  loopback.yaml: |
    apiVersion: v1
    kind: Pod
    metadata: { name: loopback }
    spec:
      containers:
      - name: web
        image: nginx:1.27
        readinessProbe: { httpGet: { host: 127.0.0.1, port: 80, path: /healthz }, periodSeconds: 5 }
        livenessProbe: { tcpSocket: { host: 127.0.0.1, port: 10248 }, periodSeconds: 5 }
  grpc-health.yaml: |
    apiVersion: v1
    kind: Pod
    metadata: { name: grpc-health }
    spec:
      containers:
      - name: agnhost
        image: registry.k8s.io/e2e-test-images/agnhost:2.53
        args: ["grpc-health-checking", "--delay-unhealthy-sec", "20"]
        ports: [{ containerPort: 5000 }]
        readinessProbe: { grpc: { port: 5000, service: other }, periodSeconds: 5 }
        livenessProbe: { grpc: { port: 5000 }, periodSeconds: 5, failureThreshold: 2 }
`;

const EVENTS = "kubectl describe pod liveness-exec | sed -n '/^Events:/,$p'";

describe('probes over time', () => {
  it('the exec liveness example: the script removes /tmp/healthy at 30 s, three failures, SIGKILL after the grace period, restart 1', () => {
    const sim = createSimulation(SCENARIO, { seed: 3 });
    golden(
      'probes-time-exec-liveness',
      transcriptOf(sim, [
        'kubectl apply -f exec-liveness.yaml',
        'sleep 20',
        'kubectl exec liveness-exec -- ls /tmp',
        EVENTS,
        'sleep 25',
        'kubectl exec liveness-exec -- cat /tmp/healthy',
        EVENTS,
        'sleep 30',
        'kubectl get pod liveness-exec',
        "kubectl describe pod liveness-exec | sed -n '/State:/,/Restart Count/p'",
        'kubectl exec liveness-exec -- ls /tmp',
        'sleep 45',
        EVENTS,
      ]),
    );
  });

  it('the HTTP liveness example: agnhost answers 500 after 10 s, the container is killed (143) and restarted', () => {
    const sim = createSimulation(SCENARIO, { seed: 3 });
    golden(
      'probes-time-http-liveness',
      transcriptOf(sim, [
        'kubectl apply -f http-liveness.yaml',
        'sleep 10',
        'kubectl get pod liveness-http',
        'sleep 12',
        "kubectl describe pod liveness-http | sed -n '/State:/,/Restart Count/p;/^Events:/,$p'",
        'sleep 60',
        'kubectl get pod liveness-http',
      ]),
    );
  });

  it('a startup probe that never passes: never Ready, killed after failureThreshold × periodSeconds', () => {
    const sim = createSimulation(SCENARIO, { seed: 3 });
    golden(
      'probes-time-startup',
      transcriptOf(sim, [
        'kubectl apply -f startup.yaml',
        'sleep 8',
        'kubectl get pod startup',
        "kubectl describe pod startup | sed -n '/State:/,/Restart Count/p;/^Events:/,$p'",
      ]),
    );
  });

  it('a startup probe holds readiness back; an exec readiness probe follows the files a learner removes and creates; publishNotReadyAddresses keeps serving false', () => {
    const sim = createSimulation(SCENARIO, { seed: 3 });
    const conditions = 'kubectl get endpointslices -l kubernetes.io/service-name=nr -o jsonpath={.items[0].endpoints[0].conditions}';
    golden(
      'probes-time-startup-readiness',
      transcriptOf(sim, [
        'kubectl apply -f slow.yaml -f nr.yaml',
        'sleep 8',
        'kubectl get pod slow',
        'kubectl get pod slow -o jsonpath={.status.containerStatuses[0].started}',
        conditions,
        'sleep 15',
        'kubectl get pod slow',
        conditions,
        'kubectl exec slow -- rm /tmp/ready',
        'sleep 16',
        'kubectl get pod slow',
        conditions,
        'kubectl exec slow -- touch /tmp/ready',
        'sleep 5',
        'kubectl get pod slow',
        "kubectl describe pod slow | sed -n '/^Events:/,$p'",
      ]),
    );
  });

  it('httpGet and tcpSocket probes to an address nobody holds time out, to the node\'s loopback reach the node (the kubelet dials from there); a gRPC probe against nginx never connects', () => {
    const sim = createSimulation(SCENARIO, { seed: 3 });
    golden(
      'probes-time-timeouts',
      transcriptOf(sim, [
        'kubectl apply -f grpc.yaml -f loopback.yaml',
        'sleep 20',
        'kubectl get pods',
        'kubectl get events --field-selector involvedObject.name=timeouts,reason=Unhealthy',
        'kubectl get events --field-selector involvedObject.name=loopback,reason=Unhealthy',
      ]),
    );
  });

  it('agnhost grpc-health-checking: SERVING until --delay-unhealthy-sec, then NOT_SERVING and the kill; another service name is NotFound', () => {
    const sim = createSimulation(SCENARIO, { seed: 3 });
    golden(
      'probes-time-grpc',
      transcriptOf(sim, ['kubectl apply -f grpc-health.yaml', 'sleep 15', 'kubectl get pod grpc-health', 'sleep 20', 'kubectl get pod grpc-health', "kubectl describe pod grpc-health | sed -n '/Last State/,/Restart Count/p;/^Events:/,$p'"]),
    );
  });
});
