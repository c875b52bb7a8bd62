/**
 * kubectl forms from the third learner probe (docs/probes/probe-2026-12-07c.md, items 16, 17, 21).
 *
 * Upstream (k8s.io/kubectl v0.34.2): pkg/describe/describe.go printNetworkPolicySpecIngressFrom
 * and printNetworkPolicySpecEgressTo ("To Port Range: %s-%d/%s" when endPort is set);
 * pkg/cmd/create/create.go CreateOptions.Complete (`Unexpected args: %v`: cobra checks unknown
 * subcommands only on the root command, so `create networkpolicy x` reaches create with args);
 * pkg/cmd/util/helpers.go DefaultSubCommandRun/RequireNoArguments (`unknown command "%s"` for
 * `create service|secret WORD`, the help on stderr and exit 1 for the bare command);
 * cli-runtime pkg/resource/builder.go (the resource/name example always says `kubectl get`);
 * item 19: busybox networking/hostname.c `-f` prints xgethostbyname(name)->h_name, the first
 * name of the kubelet's /etc/hosts line (the FQDN for a Pod with hostname and subdomain);
 * items 14, 18, 22: how `kubectl run -i` ends (pkg/cmd/run/run.go Run: Always returns nil after
 * attach.go's reattachMessage on a TTY; Never waits for the Pod and returns CodeExitError
 * "pod NS/NAME terminated (Error)" with the code; --rm's deferred delete comes before that
 * error and after the container's output; bash's `exit` comes before kubectl's lines).
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

describe('kubectl forms from the third probe', () => {
  it('describe netpol with endPort, create with unknown words, resource/name mixed with a type', () => {
    const sim = createSimulation(null, { seed: 8 });
    golden(
      'probe-c',
      transcriptOf(sim, [
        `cat > np.yaml <<'EOF'
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api-allow-range }
spec:
  podSelector: { matchLabels: { app: api } }
  ingress:
  - ports: [{ port: 8000, endPort: 8100 }, { port: 53, protocol: UDP }]
  egress:
  - ports: [{ port: 32000, endPort: 32768, protocol: TCP }]
EOF`,
        'kubectl apply -f np.yaml',
        'kubectl describe netpol api-allow-range',
        'kubectl create networkpolicy foo',
        'kubectl create foo',
        'kubectl create service foo',
        'kubectl create service foo bar',
        'kubectl create secret foo',
        'kubectl create service',
        'kubectl run src --image=nginx:1.27',
        'kubectl wait --for=condition=Ready pod/src pod',
        'kubectl delete pod pod/src',
      ]),
    );
  });

  it('hostname -f in a Pod with a hostname and subdomain (the DNS for Services and Pods page)', () => {
    const sim = createSimulation(null, { seed: 8 });
    golden(
      'probe-c-hostname',
      transcriptOf(sim, [
        `cat > hn.yaml <<'EOF'
apiVersion: v1
kind: Service
metadata: { name: busybox-subdomain }
spec:
  selector: { name: busybox }
  clusterIP: None
  ports: [{ name: foo, port: 1234 }]
---
apiVersion: v1
kind: Pod
metadata: { name: busybox1, labels: { name: busybox } }
spec:
  hostname: busybox-1
  subdomain: busybox-subdomain
  containers:
  - { name: busybox, image: busybox:1.36, command: [sleep, "3600"] }
EOF`,
        'kubectl apply -f hn.yaml',
        'kubectl wait --for=condition=Ready pod/busybox1',
        'kubectl exec busybox1 -- hostname',
        'kubectl exec busybox1 -- hostname -f',
        'kubectl exec busybox1 -- hostname -s',
        'ssh node-1 hostname -f',
      ]),
    );
  });

  it('kubectl run -i sessions end as run.go and attach.go end them', () => {
    const sim = createSimulation(null, { seed: 8 });
    sim.run('kubectl create deploy web --image=nginx:1.27');
    sim.run('kubectl expose deploy web --port=80');
    golden(
      'probe-c-run-sessions',
      transcriptOf(sim, [
        'kubectl run test-1 --rm -i -t --image=alpine -- sh',
        'exit 1',
        'kubectl run dns-test -i --tty --image=busybox:1.36 --restart=Never --rm',
        'exit 3',
        'kubectl run keep -it --image=busybox:1.36 -- sh',
        'exit',
        'kubectl run t1 --rm -i --restart=Never --image=alpine -- wget -qO- --timeout=2 http://web:81',
        'kubectl run t2 --rm -i --restart=Never --image=alpine -- echo hi',
        'kubectl run t3 --rm -i --image=alpine -- sh -c "exit 4"',
      ]),
    );
  });
});
