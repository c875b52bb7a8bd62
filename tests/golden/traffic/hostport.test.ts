/**
 * hostPort end to end, on Calico and on Flannel:
 * - the scheduler's NodePorts filter (pkg/scheduler/framework/plugins/nodeports/node_ports.go,
 *   ErrReason "node(s) didn't have free ports for the requested pod ports"; preemption finds
 *   no victims among equal-priority pods) and the kubelet's admission of a pod bound by hand
 *   (pkg/kubelet/lifecycle/predicate.go: "Predicate NodePorts failed: …"; kubelet.go rejectPod:
 *   phase Failed, reason NodePorts, "Pod was rejected: …");
 * - the portmap plugin's chains (containernetworking/plugins v1.6.2 plugins/meta/portmap
 *   portmap_iptables.go fillDnatRules, genSetMarkChain, genMarkMasqChain, chain.go setup):
 *   CNI-HOSTPORT-DNAT at the end of PREROUTING/OUTPUT, CNI-HOSTPORT-MASQ at the top of
 *   POSTROUTING (after Felix's own jump), CNI-DN-<sha512> per pod with the pod's address as
 *   the main plugin gave it (Calico's /32, the bridge plugin's /24);
 * - traffic: the workstation and a pod on another node reach the pod through the node's
 *   address (the far node's PREROUTING translates it, as it does its NodePorts).
 * Ports are held until the pod is gone: a pod waiting for the port is bound only then.
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';

const PODS = `
cat > hp.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata: { name: hp }
spec:
  nodeName: node-1
  containers:
  - name: web
    image: nginx:1.27
    ports: [{ containerPort: 80, hostPort: 8081 }, { containerPort: 80, hostPort: 8082, protocol: UDP }]
---
apiVersion: v1
kind: Pod
metadata: { name: hp2 }
spec:
  nodeName: node-1
  containers:
  - name: web
    image: nginx:1.27
    ports: [{ containerPort: 80, hostPort: 8081 }]
---
apiVersion: v1
kind: Pod
metadata: { name: hp3 }
spec:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions: [{ key: kubernetes.io/hostname, operator: In, values: [node-1] }]
  containers:
  - name: web
    image: nginx:1.27
    ports: [{ containerPort: 80, hostPort: 8081 }]
---
apiVersion: v1
kind: Pod
metadata: { name: client }
spec:
  nodeName: node-2
  containers:
  - { name: c, image: nicolaka/netshoot, command: [sleep, "3600"] }
YAML`;

const LINES = [
  'kubectl apply -f hp.yaml',
  'sleep 5',
  'kubectl get pods -o wide',
  "kubectl get pod hp2 -o jsonpath='{.status.phase} {.status.reason}: {.status.message}{\"\\n\"}'",
  'kubectl get events --field-selector reason=NodePorts',
  'kubectl get events --field-selector involvedObject.name=hp3',
  "ssh node-1 iptables-save -t nat | grep -E 'HOSTPORT|CNI-DN|^-A (PREROUTING|OUTPUT|POSTROUTING)'",
  "curl -s -o /dev/null -w '%{http_code}\\n' http://192.168.49.3:8081/",
  "kubectl exec client -- curl -s -o /dev/null -w '%{http_code}\\n' http://192.168.49.3:8081/",
  "kubectl exec client -- curl -sS --max-time 2 http://192.168.49.4:8081/",
  'ssh node-1 iptables -t nat -L CNI-HOSTPORT-DNAT -n -v',
  'kubectl delete pod hp',
  'sleep 5',
  'kubectl get pods -o wide',
  "ssh node-1 iptables-save -t nat | grep -E 'CNI-DN|HOSTPORT-DNAT'",
];

function transcript(cni: string): string {
  const sim = createSimulation(`cluster:\n  cni: ${cni}\n`, { seed: 3 });
  let out = '';
  for (const line of [PODS, ...LINES]) {
    const r = sim.runDetailed(line);
    out += `$ ${line}\n${r.chunks.map((c) => (c.stream === "stderr" ? c.text.replace(/^(?=.)/gm, "[stderr] ") : c.text)).join("")}[exit ${r.exitCode}]\n`;
  }
  return out;
}

describe('hostPort', () => {
  it('on Calico: scheduling, admission, portmap chains, traffic from outside and from a pod on another node', () => {
    golden('traffic/hostport/calico.txt', transcript('calico'));
  });
  it('on Flannel: the bridge plugin gives portmap the pod address with its /24', () => {
    golden('traffic/hostport/flannel.txt', transcript('flannel'));
  });
});
