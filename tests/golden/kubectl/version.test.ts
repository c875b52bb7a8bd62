/**
 * `kubectl version` on the v1.34.2 cluster, every layout, pinned whole.
 *
 * Sources: k8s.io/kubectl v0.34.2 pkg/cmd/version/version.go (Validate: extra arguments,
 * `--output must be 'yaml' or 'json'`; Run: the three text lines, yaml via sigs.k8s.io/yaml,
 * json via json.MarshalIndent(…, "", "  "), both through Fprintln; kustomizeVersion v5.7.1;
 * no --short since v1.28); apimachinery v0.34.2 pkg/version/types.go (Info field order,
 * emulation/min-compatibility fields omitempty); component-base v0.34.2
 * compatibility/version.go (the server's Info: emulation = binary version, min
 * compatibility = one minor below). The build values are a real v1.34.2 API server's
 * /version (gitCommit 8cc511e3…, buildDate 2025-11-11T19:00:39Z, go1.24.9;
 * CHANGELOG-1.34: v1.34.2 built with Go 1.24.9).
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from './golden';

function transcript(lines: string[]): string {
  const sim = createSimulation(null, { seed: 7 });
  let out = '';
  for (const l of lines) {
    const r = sim.run(l);
    out += `$ ${l}\n${r.stdout}`;
    if (r.stderr) out += `--- stderr\n${r.stderr}`;
    out += `--- exit ${r.exitCode}\n`;
  }
  return out;
}

describe('kubectl version', () => {
  it('text, --client, -o yaml, -o json and the errors', () => {
    golden(
      'version',
      '# upstream: k8s.io/kubectl v0.34.2 pkg/cmd/version/version.go; apimachinery pkg/version/types.go; component-base compatibility/version.go\n' +
        transcript([
          'kubectl version',
          'kubectl version --client',
          'kubectl version -o yaml',
          'kubectl version -o json',
          'kubectl version --client -o json',
          'kubectl version --client=true -o yaml',
          'kubectl version -o wide',
          'kubectl version extra',
          'kubectl version --short',
        ]),
    );
  });
});
