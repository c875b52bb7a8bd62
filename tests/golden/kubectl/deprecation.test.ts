/**
 * The v1 Endpoints deprecation warning on a v1.34 cluster, pinned as the terminal shows
 * it: each command's output in the order it was written (`--- stderr` / `--- stdout`
 * where the stream changes).
 *
 * Sources: k8s.io/api v0.34.2 core/v1/lifecycle.go (Endpoints and EndpointsList:
 * APILifecycleDeprecated 1.33, APILifecycleReplacement discovery.k8s.io/v1);
 * k8s.io/apiserver v0.34.2 pkg/endpoints/deprecation/deprecation.go (WarningMessage:
 * "%s %s is deprecated in v%d.%d+" + "; use %s %s") and pkg/endpoints/installer.go (the
 * resource's own type decides, and every verb's handler is wrapped in AddWarningsHandler,
 * so a 404 carries the warning too); client-go v0.34.2 rest/warnings.go (warningWriter:
 * "Warning: %s\n", deduplicated); k8s.io/kubectl v0.34.2 pkg/cmd/cmd.go (the writer is
 * kubectl's default handler; --warnings-as-errors: "%d warning received"). The text is the
 * one real v1.33+ clusters print: "Warning: v1 Endpoints is deprecated in v1.33+; use
 * discovery.k8s.io/v1 EndpointSlice". `kubectl get all` (no Endpoints in the category) and
 * `kubectl describe svc` (reads EndpointSlices) do not warn.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from './golden';

const SCENARIO = `
cluster:
  nodes:
    - { name: control-plane, ip: 192.168.49.2, role: control-plane }
    - { name: node-1, ip: 192.168.49.3 }
objects:
  - apiVersion: v1
    kind: Service
    metadata: { name: web }
    spec: { selector: { app: web }, clusterIP: 10.96.0.50, ports: [{ port: 80 }] }
  - apiVersion: v1
    kind: Pod
    metadata: { name: web-1, labels: { app: web } }
    spec: { nodeName: node-1, containers: [{ name: web, image: nginx }] }
    status: { phase: Running, podIP: 10.244.1.5 }
files:
  ep.yaml: |
    apiVersion: v1
    kind: Endpoints
    metadata: { name: manual }
    subsets:
    - addresses: [{ ip: 10.0.0.1 }]
      ports: [{ port: 80 }]
`;

/** Every command's output chunks in the order they were written. */
function transcript(lines: string[], version?: string): string {
  const sim = createSimulation(version ? SCENARIO.replace('cluster:\n', `cluster:\n  kubernetesVersion: ${version}\n`) : SCENARIO, { seed: 3 });
  let out = '';
  for (const l of lines) {
    const exec = sim.start(l);
    out += `$ ${l}\n`;
    let stream = 'stdout';
    for (const c of exec.takeOutput()) {
      if (c.stream !== stream) out += `--- ${c.stream}\n`;
      stream = c.stream;
      out += c.text;
    }
    out += `--- exit ${exec.exitCode}\n`;
  }
  return out;
}

describe('v1 Endpoints deprecation warning', () => {
  it('every request on endpoints warns once, before the output', () => {
    golden(
      'deprecation-endpoints',
      '# upstream: k8s.io/apiserver pkg/endpoints/deprecation + installer.go; k8s.io/api core/v1/lifecycle.go; client-go rest/warnings.go\n' +
        transcript([
          'kubectl get endpoints',
          'kubectl get svc,ep',
          'kubectl get ep web -o jsonpath={.subsets[0].addresses[0].ip}',
          'kubectl get ep nope',
          'kubectl describe endpoints web',
          'kubectl apply -f ep.yaml',
          'kubectl label ep manual team=net',
          'kubectl delete -f ep.yaml',
          'kubectl get ep --warnings-as-errors',
          'kubectl get all',
          'kubectl get endpointslices',
          'kubectl describe svc web',
        ]),
    );
  });

  it('is a v1.33+ warning: a v1.32 server sends none', () => {
    expect(transcript(['kubectl get ep web'], 'v1.32.9')).toBe('$ kubectl get ep web\nNAME   ENDPOINTS       AGE\nweb    10.244.1.5:80   5m1s\n--- exit 0\n');
  });

  it('a terminal gets "Warning:" in bold yellow', () => {
    const sim = createSimulation(SCENARIO, { seed: 3, interactive: true });
    const exec = sim.start('kubectl get ep web');
    const [first] = exec.takeOutput();
    expect(first).toEqual({ stream: 'stderr', text: '\x1b[33;1mWarning:\x1b[0m v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n' });
  });
});
