/**
 * Who a container runs as, and whether it gets a token.
 * Upstream:
 * - kubernetes.io "Configure a Security Context for a Pod or Container" (runAsUser 1000,
 *   runAsGroup 3000, fsGroup 2000: `id` → uid=1000 gid=3000 groups=2000,3000); the kubelet's
 *   kuberuntime security context (container securityContext over the Pod's); containerd 1.7
 *   internal/cri/server/container_create_linux.go (WithUser → oci.WithUserID: gid and HOME from
 *   the image's /etc/passwd, else 0 and /; WithAdditionalGIDs plus the Pod's groups).
 * - busybox 1_36_1 coreutils/id.c (names only where known, getgroups() order — the kernel's
 *   groups_sort), coreutils/whoami.c (bb_getpwuid: "unknown uid %u"); coreutils 9.1 id.c
 *   (print_full_info: the primary group first), whoami.c ("cannot find name for user ID %lu");
 *   procps/ps.c (busybox: get_cached_username falls back to the number).
 * - plugin/pkg/admission/serviceaccount/admission.go shouldAutomount: the Pod's
 *   automountServiceAccountToken wins, then the ServiceAccount's, else true.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

const SCENARIO = `
cluster: { cni: calico, proxyMode: iptables }
objects:
  - apiVersion: v1
    kind: ServiceAccount
    metadata: { name: quiet }
    automountServiceAccountToken: false
  - apiVersion: v1
    kind: Pod
    metadata: { name: sa-quiet }
    spec:
      serviceAccountName: quiet
      containers: [{ name: c, image: "busybox:1.36", command: [sleep, "3600"] }]
  - apiVersion: v1
    kind: Pod
    metadata: { name: sa-quiet-pod-wins }
    spec:
      serviceAccountName: quiet
      automountServiceAccountToken: true
      containers: [{ name: c, image: "busybox:1.36", command: [sleep, "3600"] }]
  - apiVersion: v1
    kind: Pod
    metadata: { name: security-context-demo }
    spec:
      securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000 }
      containers:
        - { name: sec-ctx-demo, image: "busybox:1.36", command: [sh, -c, sleep 1h] }
        - { name: own-user, image: "busybox:1.36", command: [sleep, "3600"], securityContext: { runAsUser: 2000 } }
        - { name: debian, image: "debian:bookworm-slim", command: [sleep, "3600"], securityContext: { runAsUser: 0 } }
  - apiVersion: v1
    kind: Pod
    metadata: { name: gnu }
    spec:
      securityContext: { runAsUser: 1000, runAsGroup: 3000, supplementalGroups: [4000] }
      containers: [{ name: c, image: "debian:bookworm-slim", command: [sleep, "3600"] }]
`;

describe('securityContext: who the container runs as', () => {
  it('id, whoami, ps and the prompt follow runAsUser/runAsGroup/fsGroup; the container wins over the Pod', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    sim.run('sleep 30');
    const lines = [
      'kubectl exec security-context-demo -c sec-ctx-demo -- id',
      'kubectl exec security-context-demo -c sec-ctx-demo -- whoami',
      'kubectl exec security-context-demo -c sec-ctx-demo -- id -un',
      'kubectl exec security-context-demo -c sec-ctx-demo -- ps',
      'kubectl exec security-context-demo -c own-user -- id',
      'kubectl exec security-context-demo -c debian -- id',
      'kubectl exec gnu -- id',
      'kubectl exec gnu -- whoami',
      'kubectl exec gnu -- id -un',
      'kubectl exec sa-quiet -- id',
    ];
    golden('images/security-context/identity.txt', lines.map((l) => `$ ${l}\n` + out(sim.run(l))).join(''));
    sim.run('kubectl exec -it security-context-demo -c sec-ctx-demo -- sh');
    expect(sim.prompt()).toBe('/ $ ');
  });

  it('a ServiceAccount with automountServiceAccountToken: false gives its Pods no token, unless the Pod asks', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    sim.run('sleep 30');
    expect(sim.run('kubectl get pod sa-quiet -o jsonpath={.spec.volumes}').stdout).toBe('');
    expect(out(sim.run('kubectl exec sa-quiet -- cat /var/run/secrets/kubernetes.io/serviceaccount/token'))).toBe('[stderr]\ncat: can\'t open \'/var/run/secrets/kubernetes.io/serviceaccount/token\': No such file or directory\ncommand terminated with exit code 1\n[exit 1]\n');
    expect(sim.run('kubectl get pod sa-quiet-pod-wins -o jsonpath={.spec.volumes[0].name}').stdout).toMatch(/^kube-api-access-[a-z0-9]{5}$/);
    expect(sim.run('kubectl exec sa-quiet-pod-wins -- cat /var/run/secrets/kubernetes.io/serviceaccount/namespace').stdout).toBe('default');
    // the default ServiceAccount says nothing: the token is mounted
    expect(sim.run('kubectl get pod security-context-demo -o jsonpath={.spec.containers[0].volumeMounts[0].mountPath}').stdout).toBe('/var/run/secrets/kubernetes.io/serviceaccount');
  });
});
