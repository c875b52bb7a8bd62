/**
 * Server-side field validation: kubectl's default `--validate=strict` sends
 * ?fieldValidation=Strict and the API server refuses a manifest with a field its schema does
 * not have; `warn` creates it with one warning per field; `ignore`/`false` drop the fields.
 *
 * Upstream:
 *  - kubectl v0.34 pkg/cmd/util/helpers.go GetValidationDirective (strconv.ParseBool, then
 *    strict/warn/ignore; `invalid - validate option %q; must be one of: strict (or true),
 *    warn, ignore (or false)`); AddValidateFlags: default "strict", NoOptDefVal "strict".
 *  - apiserver pkg/endpoints/handlers/create.go and update.go: the strict decoder's
 *    StrictDecodingError goes through transformDecodeError (rest.go: "%s in version %q cannot
 *    be handled as a %s: %v") as a BadRequest; Warn: addStrictDecodingWarnings.
 *  - apiserver handlers/patch.go applyPatchToObject (client-side apply of a live object is a
 *    strategic merge patch): NewInvalid on field `patch` with the patch as %+v and the
 *    converter's strict error (apimachinery runtime/converter.go FromUnstructuredWithValidation:
 *    a struct's own unknown keys after its fields); kubectl prints "The request is invalid: …".
 *  - apimachinery runtime/error.go StrictDecodingError: "strict decoding error: " + joined ", ".
 *  - kubectl pkg/cmd/util/helpers.go AddSourceToErr: `error when creating "STDIN": …`.
 *  - apiextensions-apiserver: a custom resource is pruned against its CRD's structural schema,
 *    x-kubernetes-preserve-unknown-fields keeping a subtree; kubectl explain reads the CRD's
 *    published schema (controller/openapi/builder).
 *  - kubectl create --dry-run=server: the server's defaulted, allocated object (registry
 *    dry-run: uid and creationTimestamp set, no resourceVersion).
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

const DEPLOY = `cat > d.yaml <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: d1
spec:
  replica: 3
  selector:
    matchLabels: {app: d1}
  template:
    metadata:
      labels: {app: d1}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        port:
        - containerPort: 80
EOF`;

const SERVICE = `cat > s.yaml <<'EOF'
apiVersion: v1
kind: Service
metadata:
  name: s5
spec:
  tpye: NodePort
  selector: {app: d1}
  ports:
  - port: 80
EOF`;

const CRD = `cat > crd.yaml <<'EOF'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ippools.crd.projectcalico.org
spec:
  group: crd.projectcalico.org
  names: {kind: IPPool, listKind: IPPoolList, plural: ippools, singular: ippool}
  scope: Cluster
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        description: An IP pool.
        type: object
        properties:
          spec:
            description: The pool's settings.
            type: object
            properties:
              cidr:
                description: The pool's CIDR.
                type: string
              blockSize:
                type: integer
              extra:
                type: object
                x-kubernetes-preserve-unknown-fields: true
EOF`;

const POOL = `cat > pool.yaml <<'EOF'
apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: p1
spec:
  cidr: 10.9.0.0/16
  blocksize: 26
  extra: {anything: 1}
EOF`;

describe('kubectl --validate (server-side field validation)', () => {
  it('strict by default, warn, ignore, on create, replace and apply', () => {
    const sim = createSimulation(null, { seed: 3 });
    golden(
      'field-validation',
      '# upstream: kubectl pkg/cmd/util/helpers.go GetValidationDirective; apiserver handlers/create.go, patch.go, rest.go transformDecodeError\n' +
        transcriptOf(sim, [
          DEPLOY,
          'kubectl apply -f d.yaml',
          'cat d.yaml | kubectl create -f -',
          'kubectl create -f d.yaml --validate',
          'kubectl create -f d.yaml --validate=true',
          'kubectl apply -f d.yaml --dry-run=server',
          'kubectl apply -f d.yaml --validate=foo',
          'kubectl get deploy',
          'kubectl create -f d.yaml --validate=warn',
          "kubectl get deploy d1 -o jsonpath='{.spec.replicas} {.spec.template.spec.containers[0]}'",
          'kubectl apply -f d.yaml',
          'kubectl replace -f d.yaml',
          'kubectl replace -f d.yaml --validate=ignore',
          'kubectl apply -f d.yaml --validate=false',
          "kubectl get deploy d1 -o jsonpath='{.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}'",
          SERVICE,
          'kubectl apply -f s.yaml',
          'kubectl apply -f s.yaml --validate=warn',
          "kubectl get svc s5 -o jsonpath='{.spec.type}'",
          'kubectl create svc nodeport np --tcp=80:80 --dry-run=server -o yaml',
          'kubectl get svc np',
        ]),
    );
  });

  it('custom resources by their CRD schema; explain reads it', () => {
    // flannel: Calico's own ippools CRD (with its upstream schema) is not installed, the learner's is the one
    const sim = createSimulation('cluster:\n  cni: flannel\n', { seed: 3 });
    golden(
      'field-validation-crd',
      '# upstream: apiextensions-apiserver structural pruning (x-kubernetes-preserve-unknown-fields); kubectl pkg/explain/v2 over the published CRD schema\n' +
        transcriptOf(sim, [
          CRD,
          'kubectl apply -f crd.yaml',
          'kubectl explain ippool.spec',
          POOL,
          'kubectl apply -f pool.yaml',
          'kubectl apply -f pool.yaml --validate=warn',
          "kubectl get ippool p1 -o jsonpath='{.spec}'",
        ]),
    );
  });
});
