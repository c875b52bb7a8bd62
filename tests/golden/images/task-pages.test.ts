/**
 * The old images kubernetes.io's task pages run, and what a container without a shell does
 * with `kubectl exec` (probe 2026-12-07c items 9, 11 and 20).
 *
 * Upstream sources the expected texts follow:
 * - Debug Running Pods (kubernetes.io): `kubectl run ephemeral-demo
 *   --image=registry.k8s.io/pause:3.1 --restart=Never`, `kubectl exec -it ephemeral-demo -- sh`
 *   fails, `kubectl debug -it ephemeral-demo --image=busybox:1.28 --target=ephemeral-demo`.
 *   kubernetes build/pause/Dockerfile (FROM scratch, /pause, ENTRYPOINT ["/pause"]);
 *   build/pause/CHANGELOG.md 3.5 (USER 65535, #97963).
 * - The exec error: containerd 2.x CRI execInternal (`failed to exec in container: %w`,
 *   `failed to start exec %q: %w` around runc's `OCI runtime exec failed: exec failed: unable to
 *   start container process: exec: "sh": executable file not found in $PATH: unknown`), the
 *   kubelet's streaming server (`error executing command in container: %v` as an InternalError),
 *   kubectl's `error: ` and exit 1 — as reported from real clusters (nigelpoulton/TheK8sBook#30
 *   for `ps`, truenas/charts#2968 for `/bin/sh`: `stat /bin/sh: no such file or directory`).
 * - ps in a --target ephemeral container: busybox procps/ps.c's default `pid,user,time,args`;
 *   the target's process is PID 1 of the shared namespace (CRI NamespaceMode TARGET), the
 *   debugger's sh and ps after it (kubernetes.io Share Process Namespace between Containers in
 *   a Pod shows the same shape: `1 65535 0:00 /pause`, the containers' processes, `sh`, `ps ax`).
 * - Connect a Frontend to a Backend Using Services: website content/en/examples/service/access
 *   (backend-deployment.yaml, backend-service.yaml, frontend-deployment.yaml, frontend-nginx.conf,
 *   Dockerfile: FROM nginx:1.9.14); the expected `{"message":"Hello"}`; kelseyhightower/app
 *   hello/main.go, handlers/hello.go and handlers/version.go for the backend; nginx's 612-byte
 *   welcome page before 1.21.2 and `<body bgcolor="white">` error pages before 1.15.4.
 * - registry.k8s.io/goproxy:0.1: kubernetes test/images/goproxy (elazarl/goproxy on :8080,
 *   FROM scratch): a non-proxy request is answered 500 "This is a proxy server. Does not respond
 *   to non-proxy requests.".
 * - registry.k8s.io/nginx-slim:0.24: kubernetes/ingress-nginx images/nginx-slim at 87b1d137d
 *   (build.sh NGINX_VERSION=1.13.5).
 * - registry.k8s.io/busybox:1.27.2: website pods/probe/exec-liveness.yaml.
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { transcriptOf, goldenIn } from '../kubectl/golden';

const golden = goldenIn(__dirname);

const SCENARIO = `
cluster:
  cni: calico
  proxyMode: iptables
`;

describe('kubernetes.io task pages', () => {
  it('Debug Running Pods: pause has no shell; a --target debugger sees /pause as PID 1', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    golden(
      'debug-running-pods',
      transcriptOf(sim, [
        'kubectl run ephemeral-demo --image=registry.k8s.io/pause:3.1 --restart=Never',
        'kubectl wait --for=condition=Ready pod/ephemeral-demo',
        'kubectl exec -it ephemeral-demo -- sh',
        'kubectl exec ephemeral-demo -- ls /',
        'kubectl exec ephemeral-demo -- /bin/sh -c true',
        'kubectl debug -it ephemeral-demo --image=busybox:1.28 --target=ephemeral-demo -c debugger',
        'ps',
        'ps -o pid,user,comm',
        'exit',
        // pause 3.10 runs as 65535 (busybox's /etc/passwd has no name for it)
        'kubectl run p10 --image=registry.k8s.io/pause:3.10 --restart=Never',
        'kubectl wait --for=condition=Ready pod/p10',
        'kubectl debug -it p10 --image=busybox:1.28 --target=p10 -c dbg',
        'ps',
        'exit',
        // nginx's master and workers, then the debugger: kubectl exec into the target sees it too
        'kubectl run web --image=nginx:1.27-alpine',
        'kubectl wait --for=condition=Ready pod/web',
        'kubectl debug web --image=busybox:1.28 --target=web -c sleeper -- sleep 3600',
        'sleep 5',
        'kubectl exec web -c web -- ps',
        'kubectl exec -it web -c sleeper -- sh',
        'ps',
        'exit',
        // a shell started by kubectl exec -it is ps's parent
        'kubectl run bb --image=busybox:1.36 -- sleep 3600',
        'kubectl wait --for=condition=Ready pod/bb',
        'kubectl exec -it bb -- sh',
        'ps',
        'exit',
        'kubectl exec -it bb -- bash',
        // the shell's own "not found" for a program it was asked to run is the shell's, not runc's
        'kubectl exec bb -- sh -c bash',
        'kubectl exec bb -- /bin/nosuch',
      ]),
    );
  });

  it('shareProcessNamespace: pause is PID 1, each container and an ephemeral debugger after it', () => {
    const sim = createSimulation(
      `${SCENARIO}
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: shared }
    spec:
      shareProcessNamespace: true
      containers:
        - { name: app, image: "busybox:1.36", command: [sleep, "3600"] }
        - { name: side, image: "busybox:1.36", command: [sleep, "7200"] }
`,
      { seed: 1 },
    );
    sim.advance(30_000);
    golden(
      'share-process-namespace',
      transcriptOf(sim, ['kubectl exec shared -c side -- ps', 'kubectl debug shared --image=busybox:1.28 -c dbg -- sleep 600', 'sleep 5', 'kubectl exec shared -c app -- ps']),
    );
  });

  it('Connect a Frontend to a Backend; the probes page\'s goproxy and busybox 1.27.2; StatefulSet basics\' nginx-slim', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    golden(
      'task-page-images',
      transcriptOf(sim, [
        'kubectl create deployment backend --image=gcr.io/google-samples/hello-go-gke:1.0 --replicas=3 --port=80',
        'kubectl expose deployment backend --name=hello --port=80',
        'kubectl create deployment frontend --image=gcr.io/google-samples/hello-frontend:1.0',
        'kubectl expose deployment frontend --port=80 --type=NodePort',
        'kubectl run c --image=curlimages/curl:8.11.1 --restart=Never -- sleep 3600',
        'kubectl run goproxy --image=registry.k8s.io/goproxy:0.1 --port=8080',
        'kubectl run slim --image=registry.k8s.io/nginx-slim:0.24 --port=80',
        'kubectl run liveness --image=registry.k8s.io/busybox:1.27.2 -- /bin/sh -c "touch /tmp/healthy; sleep 600"',
        'kubectl run nope --image=registry.k8s.io/nginx-slim:0.99',
        'sleep 20',
        'kubectl get pods',
        'kubectl exec c -- curl -si http://frontend',
        'kubectl exec c -- curl -si http://frontend/version',
        'kubectl exec c -- curl -si http://hello/secure',
        'kubectl exec c -- sh -c \'curl -si http://$(getent hosts hello | cut -d" " -f1)/version\'',
        'kubectl exec goproxy -- sh',
        'kubectl exec slim -- nginx -v',
        "kubectl describe pod nope | grep 'Failed to pull'",
        // the backend gone: the frontend's nginx answers 502
        'kubectl scale deployment backend --replicas=0',
        'sleep 30',
        'kubectl exec c -- curl -si http://frontend',
      ]),
    );
    // the probes page's goproxy and nginx-slim answer on their pod IPs
    const ip = (name: string) => sim.run(`kubectl get pod ${name} -o jsonpath={.status.podIP}`).stdout;
    golden(
      'task-page-servers',
      transcriptOf(sim, [`kubectl exec c -- curl -si http://${ip('goproxy')}:8080/`, `kubectl exec c -- curl -si http://${ip('slim')}/`, `kubectl exec c -- curl -si http://${ip('slim')}/missing`]),
    );
  });
});
