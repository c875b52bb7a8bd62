/**
 * Probes with `host:` go where the kubelet's own connection goes: from the Pod's node,
 * through that node's resolver, kube-proxy's rules and the network (dataplane/walk.ts), not
 * to the probed Pod's app. Probe item 29 (docs/probes/probe-2026-12-07c.md).
 *
 * Upstream (kubernetes v1.34): pkg/kubelet/prober/prober.go runProbe (httpGet: the host
 * field, else the Pod IP; tcpSocket the same; grpc always the Pod IP) and `Unhealthy`
 * "%s probe failed: %s"; pkg/probe/http/http.go (a status outside 200–399 is "HTTP probe
 * failed with statuscode: %d"; a transport error is the client's `Get "<url>": <err>`, the
 * client's Timeout giving "context deadline exceeded (Client.Timeout exceeded while awaiting
 * headers)"); pkg/probe/tcp/tcp.go (net.DialTimeout's error: "dial tcp <addr>: i/o timeout");
 * pkg/probe/grpc/grpc.go ("timeout: failed to connect service %q within %v: %+v" when
 * grpc.DialContext with WithBlock never gets a ready HTTP/2 transport, as against nginx);
 * Go net's errors ("connect: connection refused", "lookup <name> on <server>: no such host").
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

const SCENARIO = `
cluster:
  cni: calico
  nodes:
    - { name: node-1, ip: 192.168.49.2 }
    - { name: node-2, ip: 192.168.49.3 }
objects:
  - apiVersion: v1
    kind: Service
    metadata: { name: web, namespace: default }
    spec: { clusterIP: 10.96.0.100, selector: { app: web }, ports: [{ port: 80 }] }
  - apiVersion: v1
    kind: Service
    metadata: { name: empty, namespace: default }
    spec: { clusterIP: 10.96.0.101, selector: { app: none }, ports: [{ port: 80 }] }
  - apiVersion: v1
    kind: Service
    metadata: { name: locked, namespace: default }
    spec: { clusterIP: 10.96.0.102, selector: { app: locked }, ports: [{ port: 80 }] }
  - apiVersion: v1
    kind: Pod
    metadata: { name: web, namespace: default, labels: { app: web } }
    spec: { nodeName: node-2, containers: [{ name: web, image: "nginx:1.27" }] }
  - apiVersion: v1
    kind: Pod
    metadata: { name: locked, namespace: default, labels: { app: locked } }
    spec: { nodeName: node-2, containers: [{ name: web, image: "nginx:1.27" }] }
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: { name: locked-deny, namespace: default }
    spec: { podSelector: { matchLabels: { app: locked } }, policyTypes: [Ingress] }
files:
  prober.yaml: |
    apiVersion: v1
    kind: Pod
    metadata: { name: prober }
    spec:
      nodeName: node-1
      containers:
      - name: via-service
        image: nginx:1.27
        readinessProbe: { httpGet: { host: 10.96.0.100, port: 80, path: /missing }, periodSeconds: 5 }
        livenessProbe: { grpc: { port: 80 }, periodSeconds: 5, failureThreshold: 100 }
      - name: no-endpoints
        image: busybox:1.36
        command: ["sh", "-c", "sleep 3600"]
        readinessProbe: { httpGet: { host: 10.96.0.101, port: 80 }, periodSeconds: 5 }
      - name: cluster-name
        image: busybox:1.36
        command: ["sh", "-c", "sleep 3600"]
        readinessProbe: { httpGet: { host: web.default.svc.cluster.local, port: 80 }, periodSeconds: 5 }
      - name: policy
        image: busybox:1.36
        command: ["sh", "-c", "sleep 3600"]
        readinessProbe: { httpGet: { host: 10.96.0.102, port: 80 }, periodSeconds: 5 }
      - name: tcp-service
        image: busybox:1.36
        command: ["sh", "-c", "sleep 3600"]
        readinessProbe: { tcpSocket: { host: 10.96.0.100, port: 80 }, periodSeconds: 5 }
      - name: tcp-policy
        image: busybox:1.36
        command: ["sh", "-c", "sleep 3600"]
        readinessProbe: { tcpSocket: { host: 10.96.0.102, port: 80 }, periodSeconds: 5 }
  watcher.yaml: |
    apiVersion: v1
    kind: Pod
    metadata: { name: watcher }
    spec:
      nodeName: node-1
      containers:
      - name: http
        image: busybox:1.36
        command: ["sh", "-c", "sleep 3600"]
        readinessProbe: { httpGet: { host: 10.96.0.100, port: 80 }, periodSeconds: 5 }
      - name: tcp
        image: busybox:1.36
        command: ["sh", "-c", "sleep 3600"]
        readinessProbe: { tcpSocket: { host: 10.96.0.100, port: 80 }, periodSeconds: 5 }
`;

describe('probes with host: walked from the node', () => {
  it('a Service address through kube-proxy, a Service without endpoints, a cluster name the node cannot resolve, a NetworkPolicy drop; gRPC against nginx', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    golden(
      'probes-host',
      transcriptOf(sim, [
        'kubectl apply -f prober.yaml',
        'sleep 20',
        'kubectl get pods -o wide',
        "kubectl get pod prober -o jsonpath='{range .status.containerStatuses[*]}{.name} {.ready}{\"\\n\"}{end}'",
        'kubectl get events --field-selector involvedObject.name=prober,reason=Unhealthy',
        // the policy goes: the probe through the Service reaches nginx, which serves /
        'kubectl delete networkpolicy locked-deny',
        'sleep 10',
        "kubectl get pod prober -o jsonpath='{range .status.containerStatuses[*]}{.name} {.ready}{\"\\n\"}{end}'",
      ]),
    );
  });

  it('a passing probe to another address runs every period: the Service losing its Pod fails it', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    golden(
      'probes-host-every-period',
      transcriptOf(sim, [
        'kubectl apply -f watcher.yaml',
        'sleep 15',
        'kubectl get pod watcher',
        'kubectl delete pod web',
        'sleep 20',
        'kubectl get pod watcher',
        'kubectl get events --field-selector involvedObject.name=watcher,reason=Unhealthy',
      ]),
    );
  });
});
