/**
 * A container's one-shot command runs once when the container starts, through the same
 * userland `kubectl exec` uses, and what it writes on stdout and stderr is the container's log
 * (the runtime's one log file per container instance: pkg/kubelet/kuberuntime/logs and
 * containerd's CRI log format, one line per newline, both streams in the order written);
 * `kubectl logs` reads the current instance's file, `--previous` the last dead one's
 * (kubelet validateContainerLogStatus: a container waiting in CrashLoopBackOff shows its last
 * run). The container exits with the command's code: Completed (0) or Error, and with
 * restartPolicy Always it is restarted and backs off. A long-running command (`sleep 3600`) keeps running.
 *
 * Cases from kubernetes.io: the hostAliases page's Pod (`cat /etc/hosts`, its log the hosts
 * file the kubelet wrote with "# Entries added by HostAliases."), `kubectl run --restart=Never
 * -- sh -c 'echo …'`, busybox wget --spider against a Service and a name that does not resolve
 * (busybox 1.36 networking/wget.c: "Connecting to %s (%s)", "remote file exists",
 * "bad address '%s'"). `kubectl run --attach` prints the finished Pod's log (kubectl run.go
 * logOpts) and `kubectl run -i --rm … -- echo hi` prints `hi` once.
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';

function transcript(lines: string[]): string {
  const sim = createSimulation('cluster: {}\n', { seed: 11 });
  let out = '';
  for (const line of lines) {
    const r = sim.runDetailed(line);
    out += `$ ${line}\n${r.chunks.map((c) => (c.stream === 'stderr' ? c.text.replace(/^(?=.)/gm, '[stderr] ') : c.text)).join('')}[exit ${r.exitCode}]\n`;
  }
  return out;
}

const HOSTALIASES = `cat > hostaliases-pod.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: hostaliases-pod
spec:
  restartPolicy: Never
  hostAliases:
  - ip: "127.0.0.1"
    hostnames:
    - "foo.local"
    - "bar.local"
  - ip: "10.1.2.3"
    hostnames:
    - "foo.remote"
    - "bar.remote"
  containers:
  - name: cat-hosts
    image: busybox:1.28
    command:
    - cat
    args:
    - "/etc/hosts"
YAML`;

describe('one-shot containers log what their command printed', () => {
  it('echo, cat /etc/hosts with hostAliases, wget --spider to a Service and to a bad name', () => {
    golden('kubectl/oneshot-logs/commands.txt', transcript([
      "kubectl run echo1 --image=busybox:1.36 --restart=Never -- sh -c 'echo hello from pod'",
      'sleep 3',
      'kubectl logs echo1',
      'kubectl get pod echo1',
      HOSTALIASES,
      'kubectl apply -f hostaliases-pod.yaml',
      'sleep 3',
      'kubectl get pod hostaliases-pod',
      'kubectl logs hostaliases-pod',
      'kubectl create deployment web --image=nginx:1.27',
      'kubectl expose deployment web --port 80',
      'sleep 5',
      'kubectl run bb --image=busybox:1.36 --restart=Never -- wget --spider -T 2 http://web',
      'kubectl run bb3 --image=busybox:1.36 --restart=Never -- wget --spider -T 2 http://nope',
      'sleep 3',
      'kubectl logs bb',
      'kubectl logs bb3',
      'kubectl get pods bb bb3',
    ]));
  });

  it('exit codes: Error with Never, CrashLoopBackOff with Always, each instance its own log; run --attach and run -i --rm', () => {
    golden('kubectl/oneshot-logs/exits.txt', transcript([
      "kubectl run fail --image=busybox:1.36 -- sh -c 'echo out; echo err >&2; date; exit 3'",
      'sleep 15',
      'kubectl get pod fail',
      "kubectl get pod fail -o jsonpath='{.status.containerStatuses[0].lastState.terminated.exitCode} {.status.containerStatuses[0].lastState.terminated.reason}{\"\\n\"}'",
      'kubectl logs fail',
      'kubectl logs fail --previous',
      "kubectl run at --image=busybox:1.36 --restart=Never --attach -- sh -c 'echo attached; exit 2'",
      'kubectl logs at',
      'kubectl run -i --rm t --image=busybox:1.36 --restart=Never -- echo hi',
      // attached with -i, the command is the container's process too: its output is the log, its end the container's
      'kubectl run -i t1 --image=busybox:1.36 --restart=Never -- echo hi',
      'kubectl get pod t1',
      'kubectl logs t1',
      "kubectl run nf --image=busybox:1.36 --restart=Never -- sh -c 'nosuchtool'",
      'sleep 3',
      'kubectl logs nf',
      'kubectl get pod nf',
      // a long-running command is not a one-shot: it runs on
      'kubectl run sl --image=busybox:1.36 -- sleep 3600',
      'sleep 10',
      'kubectl get pods',
      'kubectl logs sl',
    ]));
  });
});
