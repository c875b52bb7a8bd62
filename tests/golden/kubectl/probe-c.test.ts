/**
 * kubectl forms from the third learner probe (docs/probes/probe-2026-12-07c.md, items 16, 17, 21).
 *
 * Upstream (k8s.io/kubectl v0.34.2): pkg/describe/describe.go printNetworkPolicySpecIngressFrom
 * and printNetworkPolicySpecEgressTo ("To Port Range: %s-%d/%s" when endPort is set);
 * pkg/cmd/create/create.go CreateOptions.Complete (`Unexpected args: %v`: cobra checks unknown
 * subcommands only on the root command, so `create networkpolicy x` reaches create with args);
 * pkg/cmd/util/helpers.go DefaultSubCommandRun/RequireNoArguments (`unknown command "%s"` for
 * `create service|secret WORD`, the help on stderr and exit 1 for the bare command);
 * cli-runtime pkg/resource/builder.go (the resource/name example always says `kubectl get`).
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
});
