/**
 * Image references checked against the simulated registries (engine/hosts/registries.ts) and
 * what the kubelet does with one that cannot be pulled, on the virtual clock; the images
 * learners meet on kubernetes.io's networking pages; kube-proxy's own image; `kubectl apply -f URL`.
 *
 * Upstream sources the expected texts follow:
 * - kubernetes pkg/kubelet/images/image_manager.go (v1.33+ pullImage): `Pulling image %q`,
 *   `Failed to pull image %q: %v`, the back-off key `<pod uid>_<image>`, `Back-off pulling image %q`
 *   as the BackOff event and, with the last pull's error (prevPullErrMsg "%s: %s" of ErrImagePull
 *   and the message), as the ImagePullBackOff waiting message; evalCRIPullErr;
 * - kuberuntime_container.go startContainer: `Error: ErrImagePull` / `Error: ImagePullBackOff`;
 * - kubelet.go: flowcontrol.NewBackOff(10 s, 300 s); pod_workers.go: a failed sync requeued after 10 s;
 * - k8s.io/cri-client pkg/remote_image.go PullImage: an Unknown gRPC status is stripped to its
 *   message, a NotFound one keeps `rpc error: code = NotFound desc = `;
 * - containerd core/remotes/docker/resolver.go (`%s: not found` wrapping errdefs.ErrNotFound),
 *   the docker authorizer's `pull access denied, repository does not exist or may require
 *   authorization: server message: insufficient_scope: authorization failed`, the CRI plugin's
 *   `failed to pull and unpack image %q: failed to resolve reference %q: …`;
 * - kubernetes/contrib serve_hostname (HTTP on 9376, the hostname without a newline; FROM scratch);
 *   kubernetes-engine-samples quickstarts/hello-app (main.go: Hello, world!, Version, Hostname;
 *   distroless/static; us-docker.pkg.dev is where Google publishes it now, kubernetes/website
 *   content/en/examples/service/access/hello-application.yaml); gcr.io/google-samples/node-hello:1.0
 *   (kubernetes/website content/en/examples/service/load-balancer-example.yaml: a Node.js http
 *   server on 8080, "Hello Kubernetes!" per the page; Node's _storeHeader: Date, Connection,
 *   Content-Length); kubernetes test/images/jessie-dnsutils (debian:jessie + dnsutils);
 *   kubernetes.io "Connect Applications with Services" (radial/busyboxplus:curl, its
 *   `[ root@curl:/ ]$ ` prompt, busybox 1.22's nslookup);
 * - kubernetes/release images/build/distroless-iptables/distroless-bookworm/Dockerfile (the
 *   kube-proxy image's base: ipset, iptables, kmod, nft, dash and a few coreutils — no conntrack,
 *   no ipvsadm, no ls); kube-proxy runs in the node's network namespace, so iptables shows the node's tables;
 * - kubectl -f URL: real kubectl downloads it (cli-runtime resource/visitor.go); netlab cannot, and says so.
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

describe('image pulls', () => {
  it('a typo, an unknown repository and a missing tag fail with containerd\'s errors and back off; a fixed image recovers', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    golden(
      'pull-failures',
      transcriptOf(sim, [
        'kubectl run t --image=ngnix',
        'kubectl run x --image=doesnotexist/foo:1',
        'kubectl create deployment d --image=nginx:1.99',
        'kubectl run g --image=ghcr.io/acme/app:1.0',
        'sleep 3',
        'kubectl get pods',
        'kubectl get pod t -o jsonpath={.status.containerStatuses[0].state.waiting.message}',
        'kubectl get pod -l app=d -o jsonpath={.items[0].status.containerStatuses[0].state.waiting}',
        'kubectl get pod g -o jsonpath={.status.containerStatuses[0].state.waiting.message}',
        'sleep 10',
        'kubectl get pods',
        'sleep 20',
        'kubectl get pods',
        'sleep 30',
        'kubectl describe pod x',
        'kubectl set image pod/t t=nginx:1.27',
        'sleep 5',
        'kubectl get pod t',
        'kubectl get events --field-selector involvedObject.name=t',
        'kubectl set image deployment/d nginx=nginx:1.28',
        'sleep 10',
        'kubectl get pods -l app=d',
      ]),
    );
  });

  it('the images kubernetes.io pages run exist and do what they do there', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    golden(
      'kubernetes-io-images',
      transcriptOf(sim, [
        // Debug Services
        'kubectl create deployment hostnames --image=registry.k8s.io/serve_hostname',
        'kubectl scale deployment hostnames --replicas=3',
        'kubectl expose deployment hostnames --port=80 --target-port=9376',
        'kubectl run bb --image=busybox:1.28 -- sleep 3600',
        // Set up Ingress on Minikube
        'kubectl create deployment web --image=gcr.io/google-samples/hello-app:1.0',
        'kubectl expose deployment web --type=NodePort --port=8080',
        // Debugging DNS Resolution
        'kubectl run dnsutils --image=registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3 --command -- sleep infinity',
        'sleep 10',
        'kubectl get pods -o wide',
        'kubectl exec bb -- wget -qO- hostnames',
        'kubectl exec bb -- wget -qO- web:8080',
        'kubectl exec dnsutils -- nslookup kubernetes.default',
        'kubectl exec deploy/hostnames -- sh',
        // Connect Applications with Services
        'kubectl run curl --image=radial/busyboxplus:curl -i --tty --rm',
        'nslookup hostnames',
        'curl -s web:8080',
        'exit',
      ]),
    );
  });

  it('the Service tutorials\' images: node-hello answers Hello Kubernetes! on 8080, hello-app from Artifact Registry', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    golden(
      'service-tutorial-images',
      transcriptOf(sim, [
        // Exposing an External IP Address / Use a Service to Access an Application (load-balancer-example.yaml)
        'kubectl create deployment hello-world --image=gcr.io/google-samples/node-hello:1.0 --replicas=2 --port=8080',
        'kubectl expose deployment hello-world --type=NodePort --name=example-service',
        // service/access/hello-application.yaml
        'kubectl create deployment hello-app --image=us-docker.pkg.dev/google-samples/containers/gke/hello-app:2.0 --port=8080',
        'kubectl expose deployment hello-app --port=8080',
        'kubectl run bb --image=busybox:1.36 -- sleep 3600',
        'kubectl run curl --image=curlimages/curl:8.11.1 --command -- sleep 3600',
        'kubectl create deployment nope --image=us-docker.pkg.dev/google-samples/containers/gke/hello-app:9.9',
        'sleep 20',
        'kubectl get pods',
        'kubectl exec curl -- curl -si http://example-service:8080/',
        'kubectl exec bb -- wget -qO- hello-app:8080',
        'kubectl logs deploy/hello-app',
        'kubectl logs -l app=hello-world --prefix',
        "kubectl describe pods -l app=nope | grep 'Failed to pull'",
      ]),
    );
  });

  it('kube-proxy\'s image: the node\'s tables through iptables, and only what distroless-iptables ships', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    golden(
      'kube-proxy-image',
      transcriptOf(sim, [
        'kubectl -n kube-system exec ds/kube-proxy -- iptables -t nat -L KUBE-SERVICES -n',
        "kubectl -n kube-system exec ds/kube-proxy -- sh -c 'iptables-save -t nat | grep -c KUBE-SVC'",
        'kubectl -n kube-system exec ds/kube-proxy -- conntrack -L',
        'kubectl -n kube-system exec ds/kube-proxy -- ipvsadm -Ln',
        'kubectl -n kube-system exec ds/kube-proxy -- ls /',
      ]),
    );
  });

  it('kubectl -f URL: a URL netlab keeps no copy of is out of reach, said honestly', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    golden(
      'apply-url',
      transcriptOf(sim, [
        'kubectl apply -f https://k8s.io/examples/service/networking/nginx-policy.yaml',
        'kubectl delete -f https://k8s.io/examples/admin/dns/dnsutils.yaml',
      ]),
    );
  });
});
