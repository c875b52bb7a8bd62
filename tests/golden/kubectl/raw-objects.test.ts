/**
 * kubectl get --raw on object paths: the API server's bytes, fields in the Go struct order.
 *
 * Upstream:
 * - k8s.io/kubectl v0.34.2 pkg/cmd/get/get.go RawGet → pkg/rawhttp: the body written as it comes.
 * - k8s.io/apimachinery v0.34.2 runtime/serializer/json: encoding/json over the typed object —
 *   struct fields in declaration order (k8s.io/api v0.34.2 core/v1/types.go: Pod, ObjectMeta,
 *   Container, Probe…), map keys sorted; compact with json.Encoder's newline, or MarshalIndent
 *   (two spaces, no newline) for ?pretty=true.
 * - apiserver v0.34.2 pkg/storage/continue.go (EncodeContinue, DecodeContinue, PrepareContinueToken:
 *   base64url {"v","rv","start"} with the last key + "\x00", remainingItemCount) and
 *   pkg/storage/interfaces.go ("invalid continue token: %v" as BadRequest); pkg/endpoints/handlers/get.go
 *   ListResource (DecodeParameters' error as BadRequest: apimachinery runtime/conversion.go strconv.ParseInt).
 * - a custom resource as unstructured (apimachinery unstructured_list.go: SetContinue always sets
 *   metadata.continue; map keys sorted at every level; items keep kind and apiVersion).
 * - kubectl -o json (cli-runtime printers/json.go): MarshalIndent of the unstructured object, keys sorted.
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

const SCENARIO = `
cluster:
  cni: calico
  proxyMode: iptables
  nodes:
    - { name: node-1, ip: 192.168.49.2 }
    - { name: node-2, ip: 192.168.49.3 }
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { labels: { tier: web, app: shop }, name: probe }
    spec:
      containers:
        - readinessProbe: { periodSeconds: 5, httpGet: { port: 80, path: / } }
          resources: { requests: { memory: 64Mi, cpu: 100m }, limits: { memory: 128Mi } }
          env: [{ value: "1", name: DEBUG }]
          ports: [{ protocol: TCP, containerPort: 80, name: http }]
          image: "nginx:1.27"
          name: nginx
  - apiVersion: v1
    kind: Service
    metadata: { name: web }
    spec: { selector: { app: shop }, ports: [{ targetPort: 80, port: 80, name: http }] }
`;

describe('kubectl get --raw: objects and lists', () => {
  it('writes each kind in its struct order, pages lists, sorts custom resources', () => {
    const sim = createSimulation(SCENARIO, { seed: 3 });
    const token = `$(kubectl get --raw '/api/v1/namespaces/kube-system/pods?limit=4' | sed 's/.*"continue":"\\([^"]*\\)".*/\\1/')`;
    golden(
      'raw-objects',
      transcriptOf(sim, [
        "kubectl get --raw '/api/v1/namespaces/default/pods/probe?pretty=true'",
        'kubectl get --raw /api/v1/namespaces/default/services/web',
        "kubectl get --raw '/api/v1/namespaces/kube-system/pods?limit=4' | grep -o '\"metadata\":{\"resourceVersion[^}]*}'",
        `kubectl get --raw "/api/v1/namespaces/kube-system/pods?limit=4&continue=${token}" | grep -o '"metadata":{"name":"[^"]*"\\|"remainingItemCount":[0-9]*'`,
        "kubectl get --raw '/api/v1/pods?limit=1' | grep -o '\"continue\":\"[^\"]*\"' | cut -d'\"' -f4 | tr -- '-_' '+/' | sed 's/$/==/' | base64 -d; echo",
        "kubectl get --raw '/api/v1/pods?continue=abc!'",
        "kubectl get --raw '/api/v1/pods?limit=abc'",
        "kubectl get --raw '/apis/crd.projectcalico.org/v1/ippools?pretty=true'",
        'kubectl get pod probe -o json | head -24',
      ]),
    );
  });
});
