/**
 * kubectl debug, pinned against upstream k8s.io/kubectl v0.34:
 * - pkg/cmd/debug/debug.go: Validate's messages and its "Targeting container %q. If you don't
 *   see processes from this container it may be because the container runtime doesn't support
 *   this feature."; computeDebugContainerName's "Defaulting debug container name to %s.";
 *   generateNodeDebugPod's "Creating debugging pod %s with container %s on node %s." and its Pod
 *   (node-debugger-NODE-xxxxx, restartPolicy Never, toleration Exists; the node's / at /host
 *   through the host-root hostPath volume); debugByEphemeralContainer
 *   (the ephemeralcontainers subresource); generatePodCopyWithDebugContainer (--copy-to);
 *   visit's "%q not supported by debug".
 * - NewCmdDebug: --profile defaults to "legacy" in v0.34 (v0.35 made it "general"), and
 *   Validate ends with "--profile=legacy is deprecated and will be removed in the future. It is
 *   recommended to explicitly specify a profile, for example "--profile=general"." on stderr
 *   (after its own stdout line, before Run's): legacy adds nothing to an ephemeral container,
 *   keeps a copy's labels and probes, and gives a node debugger the host's namespaces and /host.
 * - pkg/cmd/debug/profiles.go: the general profile (SYS_PTRACE for an ephemeral or copied
 *   container; hostNetwork/hostPID/hostIPC and the host-root volume at /host for a node; a copy
 *   loses labels, annotations and probes and shares its process namespace), netadmin.
 * - pkg/cmd/attach/attach.go (v0.34): the notice before the session and reattachMessage after it.
 * - pkg/describe/describe.go: "Ephemeral Containers:" after Containers.
 * - the API server's ValidatePodEphemeralContainersUpdate (targetContainerName Not found,
 *   a name Duplicate value) and the kubelet's ephemeralContainerStatuses.
 */
import { describe, it } from 'vitest';
import { cluster, type } from '../tcpdump/scenario';
import { golden } from './golden';

function transcript(lines: string[], seed = 7): string {
  const sim = cluster('calico', seed);
  let s = '';
  for (const l of lines) s += `$ ${l}\n` + type(sim, l);
  return s;
}

describe('kubectl debug', () => {
  it('adds an ephemeral netshoot container to a running Pod and opens a shell in its network namespace', () => {
    golden(
      'debug-ephemeral',
      '# upstream: kubectl pkg/cmd/debug/debug.go, profiles.go, pkg/cmd/attach/attach.go, pkg/describe/describe.go\n' +
        transcript([
          'kubectl debug -it web --image=nicolaka/netshoot --target=nginx',
          'ip -br addr show eth0',
          'ss -tln',
          'curl -s -o /dev/null -w "%{http_code}\\n" localhost',
          'exit',
          "kubectl describe pod web | sed -n '/^Ephemeral Containers:/,/^Conditions:/p'",
          `kubectl get pod web -o go-template='{{range .spec.ephemeralContainers}}{{.name}} {{.image}} target={{.targetContainerName}} caps={{.securityContext.capabilities.add}}{{"\\n"}}{{end}}{{range .status.ephemeralContainerStatuses}}{{.name}} {{range $k, $v := .state}}{{$k}} {{$v.reason}} {{$v.exitCode}}{{end}}{{"\\n"}}{{end}}'`,
          'kubectl get events --field-selector involvedObject.name=web -o go-template=\'{{range .items}}{{.reason}} {{.involvedObject.fieldPath}}{{"\\n"}}{{end}}\' | grep ephemeral',
          'kubectl debug web --image=busybox:1.36 -c sidecar --profile=netadmin -- sleep 3600',
          'kubectl exec web -c sidecar -- nslookup web',
          "kubectl get pod web -o jsonpath='{.spec.ephemeralContainers[1]}{\"\\n\"}'",
        ]),
    );
  });

  it('debugs a node from a Pod in its namespaces, and copies a Pod with a debug container', () => {
    golden(
      'debug-node-copy',
      transcript([
        'kubectl debug node/node-1 -it --image=busybox:1.36',
        'hostname',
        'ip addr show eth0 | head -3',
        'ls /host',
        'ls /host/etc/kubernetes/manifests',
        'exit 2',
        `kubectl get pods -l app.kubernetes.io/managed-by=kubectl-debug -o go-template='{{range .items}}{{.metadata.name}} node={{.spec.nodeName}} hostNetwork={{.spec.hostNetwork}} hostPID={{.spec.hostPID}} restart={{.spec.restartPolicy}} mount={{(index (index .spec.containers 0).volumeMounts 0).mountPath}} tolerations={{.spec.tolerations}}{{"\\n"}}{{end}}'`,
        'kubectl debug web --copy-to=web-debug --image=busybox:1.36 -- sleep 3600',
        'kubectl get pod web-debug -o jsonpath=\'{.metadata.labels}{" "}{.spec.shareProcessNamespace}{" "}{.spec.containers[*].name}{"\\n"}\'',
        'kubectl debug web --copy-to=web-copy2 --set-image=nginx=nginx:1.28 --same-node',
        "kubectl get pod web-copy2 -o jsonpath='{.spec.nodeName} {.spec.containers[*].image}{\"\\n\"}'",
      ]),
    );
  });

  it('kubectl attach: a debug container left running, a container without a TTY, the errors (pkg/cmd/attach/attach.go)', () => {
    golden(
      'attach',
      transcript([
        'kubectl attach',
        'kubectl attach web -c nope',
        'kubectl debug web --image=busybox:1.36 -i -t -c dbg --attach=false',
        'kubectl attach web -c dbg -it',
        'hostname',
        'exit',
        'kubectl attach web -it',
      ]),
    );
  });

  it('refuses what kubectl refuses', () => {
    golden(
      'debug-errors',
      transcript([
        'kubectl debug web',
        'kubectl debug --image=busybox',
        'kubectl debug -t web --image=busybox',
        'kubectl debug web --image=busybox --replace',
        'kubectl debug web --image=busybox --target=nginx --copy-to=x',
        'kubectl debug web --image=busybox --profile=admin',
        'kubectl debug web --image=Busy_Box',
        'kubectl debug nope -it --image=busybox',
        'kubectl debug node/nope --image=busybox',
        'kubectl debug svc/web --image=busybox',
        'kubectl debug web --image=busybox --target=nope',
        'kubectl debug web --image=busybox -c nginx',
        'kubectl logs web --previous',
        'kubectl logs web -c nope',
      ]),
    );
  });
});
