/**
 * The kube-api-access-* volume inside containers and the kubernetes.io recipe "Accessing the
 * Kubernetes API from a Pod" (curl with the mounted ca.crt and token to https://kubernetes.default.svc).
 *
 * Upstream sources the expected texts follow:
 * - plugin/pkg/admission/serviceaccount (the projected volume: token with expirationSeconds 3607,
 *   kube-root-ca.crt's ca.crt, the downward API's namespace; none with automountServiceAccountToken: false);
 * - pkg/serviceaccount/claims.go and jwt.go (the claims of a Pod-bound token, kid; go-jose sorts claim keys),
 *   --service-account-extend-token-expiration (a year, warnafter = iat + 3607);
 * - kubeadm certs phase apiserver (certs/altnames.go: kubernetes, kubernetes.default, kubernetes.default.svc,
 *   kubernetes.default.svc.cluster.local, the first Service IP, the advertise address) — so --cacert ca.crt verifies;
 * - k8s.io/apiserver: the authentication filter's 401 Status "Unauthorized", system:anonymous under
 *   --anonymous-auth, responsewriters.forbiddenMessage / apierrors.NewForbidden, isPrettyPrint for curl;
 *   the system:discovery ClusterRole (/api for every authenticated user); the APIVersions document.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { transcriptOf, goldenIn } from '../kubectl/golden';

const golden = goldenIn(__dirname);

const SA = '/var/run/secrets/kubernetes.io/serviceaccount';
const CURL = `curl -s --cacert ${SA}/ca.crt -H "Authorization: Bearer $(cat ${SA}/token)"`;

describe('ServiceAccount token files', () => {
  it('mounts token, ca.crt and namespace, and the API answers the token as the ServiceAccount', () => {
    const sim = createSimulation('cluster:\n  cni: calico\n  proxyMode: iptables\n', { seed: 1 });
    golden(
      'serviceaccount-token',
      transcriptOf(sim, [
        'kubectl run ns --image=nicolaka/netshoot:v0.13 -- sleep infinity',
        `cat <<'EOF' | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: nomount
spec:
  automountServiceAccountToken: false
  containers:
  - name: c
    image: nicolaka/netshoot:v0.13
    command: [sleep, infinity]
EOF`,
        'sleep 5',
        `kubectl exec ns -- ls ${SA}`,
        `kubectl exec ns -- cat ${SA}/namespace`,
        `kubectl exec ns -- sh -c 'cut -d. -f1 ${SA}/token | base64 -d'`,
        `kubectl exec ns -- sh -c 'cut -d. -f3 ${SA}/token | wc -c'`,
        `kubectl exec ns -- sh -c '${CURL} https://kubernetes.default.svc/api'`,
        `kubectl exec ns -- sh -c '${CURL} https://kubernetes.default.svc/api/v1/namespaces/default/pods'`,
        `kubectl exec ns -- sh -c '${CURL} https://kubernetes.default.svc/api/v1/nodes/node-1'`,
        `kubectl exec ns -- curl -s --cacert ${SA}/ca.crt -H "Authorization: Bearer not-a-token" https://kubernetes.default.svc/api`,
        `kubectl exec ns -- curl -s --cacert ${SA}/ca.crt https://kubernetes.default.svc/api`,
        `kubectl exec nomount -- ls ${SA}`,
      ]),
    );
  });

  it('the token\'s claims are the bound token\'s, keys sorted as go-jose writes them', () => {
    const sim = createSimulation('cluster:\n  cni: calico\n  proxyMode: iptables\n', { seed: 1 });
    sim.run('kubectl run ns --image=nicolaka/netshoot:v0.13 -- sleep infinity');
    sim.advance(5000);
    const token = sim.run(`kubectl exec ns -- cat ${SA}/token`).stdout;
    const [, payload] = token.split('.');
    const claims = new TextDecoder().decode(Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (payload.length % 4)) % 4)), (c) => c.charCodeAt(0)));
    const pod = sim.get('Pod', 'default', 'ns')!;
    const sa = sim.get('ServiceAccount', 'default', 'default')!;
    const node = sim.get('Node', undefined, pod.spec.nodeName)!;
    const iat = Date.parse(pod.status.startTime) / 1000;
    const iss = 'https://kubernetes.default.svc.cluster.local';
    expect(claims).toBe(
      `{"aud":["${iss}"],"exp":${iat + 31536000},"iat":${iat},"iss":"${iss}","jti":"${JSON.parse(claims).jti}","kubernetes.io":{"namespace":"default","node":{"name":"${node.metadata.name}","uid":"${node.metadata.uid}"},"pod":{"name":"ns","uid":"${pod.metadata.uid}"},"serviceaccount":{"name":"default","uid":"${sa.metadata.uid}"},"warnafter":${iat + 3607}},"nbf":${iat},"sub":"system:serviceaccount:default:default"}`,
    );
    expect(JSON.parse(claims).jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // a day on, the kubelet has renewed it (token manager maxTTL 24 h); the old one still authenticates until it expires
    sim.advance(24 * 3600 * 1000 + 1000);
    const renewed = sim.run(`kubectl exec ns -- cat ${SA}/token`).stdout;
    expect(renewed).not.toBe(token);
    // a token bound to a deleted Pod stops working
    sim.run('kubectl run other --image=nicolaka/netshoot:v0.13 -- sleep infinity');
    sim.advance(5000);
    sim.run('kubectl delete pod ns --grace-period=0 --force');
    sim.advance(1000);
    const r = sim.run(`kubectl exec other -- curl -s --cacert ${SA}/ca.crt -H "Authorization: Bearer ${renewed}" https://kubernetes.default.svc/api`);
    expect(JSON.parse(r.stdout)).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  });
});
