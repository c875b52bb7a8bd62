/**
 * A bare Pod's container image changed while it runs: the kubelet kills the container and
 * starts it again from the new image; every other Pod spec field stays immutable.
 *
 * Upstream:
 * - kubernetes v1.34 pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodActions: a
 *   container whose spec hash changed is killed with "Container %s definition changed" and,
 *   whatever the restart policy, ", will be restarted"; killContainer records the `Killing`
 *   event with that message and stops it within the grace period (a `sleep` PID 1 ignores
 *   SIGTERM: exit 137 at the SIGKILL). kuberuntime_container.go startContainer: the new
 *   container's restart count is the dead one's plus one; EnsureImageExists's `Pulling`/`Pulled`,
 *   then `Created`/`Started`.
 * - pkg/apis/core/validation ValidatePodUpdate: "pod updates may not change fields other than
 *   `spec.containers[*].image`,…" (the message's cmp.Diff of the specs is not reproduced:
 *   go-cmp randomises its spacing on purpose).
 * - kubectl v0.34 pkg/cmd/set/set_image.go ("pod/x image updated"), pkg/cmd/patch.
 */
import { it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

const SCENARIO = `
cluster:
  cni: calico
  proxyMode: iptables
  nodes:
    - { name: node-1, ip: 192.168.49.2 }
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: web }
    spec:
      nodeName: node-1
      containers: [{ name: web, image: "nginx:1.27" }]
  - apiVersion: v1
    kind: Pod
    metadata: { name: box }
    spec:
      nodeName: node-1
      containers: [{ name: box, image: "busybox:1.36", command: [sleep, "3600"] }]
`;

it('restarts a running container from its new image', () => {
  const sim = createSimulation(SCENARIO, { seed: 1 });
  sim.advance(60_000);
  golden(
    'set-image-pod',
    transcriptOf(sim, [
      'kubectl exec web -- nginx -v',
      'kubectl set image pod/web web=nginx:1.28',
      'kubectl get pod web',
      'sleep 5',
      'kubectl get pod web',
      'kubectl describe pod web | sed -n "/^Containers:/,/Restart Count/p"',
      'kubectl describe pod web | sed -n "/^Events:/,\\$p"',
      'kubectl exec web -- nginx -v',
      'kubectl get pod web -o jsonpath="{.status.containerStatuses[0].image} {.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].lastState.terminated.reason}"; echo',
      `kubectl patch pod box -p '{"spec":{"containers":[{"name":"box","image":"alpine:3.20"}]}}'`,
      'sleep 10',
      'kubectl get pod box',
      'kubectl exec box -- cat /etc/alpine-release',
      'sleep 25',
      'kubectl get pod box',
      'kubectl exec box -- cat /etc/alpine-release',
      'kubectl get pod box -o jsonpath="{.status.containerStatuses[0].lastState.terminated.exitCode} {.status.containerStatuses[0].lastState.terminated.reason}"; echo',
      'kubectl describe pod box | sed -n "/^Events:/,\\$p"',
      `kubectl patch pod box -p '{"spec":{"containers":[{"name":"box","ports":[{"containerPort":80}]}]}}'`,
      'kubectl set image pod/box box=nosuch/image:1',
      'sleep 45',
      'kubectl get pod box',
      'kubectl get pod box -o jsonpath="{.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].lastState.terminated.exitCode} {.status.containerStatuses[0].state.waiting.reason}"; echo',
    ]),
  );
});
