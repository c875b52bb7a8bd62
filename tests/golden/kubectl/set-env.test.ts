/**
 * kubectl set env, pinned against upstream k8s.io/kubectl/pkg/cmd/set/set_env.go (RunEnv:
 * `<kind>.<group>/<name> env updated`, nothing for an unchanged object, `--list` as
 * `# Deployment NAME, container C` then KEY=VALUE, the container-selector warning) and
 * pkg/cmd/set/env/env_parse.go (SplitEnvironmentFromResources: resources before KEY=VALUE
 * and KEY- arguments).
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from './golden';

describe('kubectl set env', () => {
  it('adds, replaces, removes and lists variables; bad argument orders fail as kubectl does', () => {
    const sim = createSimulation(null, { seed: 21 });
    let out = '# upstream: k8s.io/kubectl/pkg/cmd/set/set_env.go, pkg/cmd/set/env/env_parse.go\n';
    for (const l of [
      'kubectl create deployment web --image=nginx:1.27',
      'kubectl set env deployment/web BACKEND_URL=http://10.96.0.60:8080 MODE=prod',
      'kubectl set env deployment/web BACKEND_URL=http://backend:8080',
      'kubectl set env deployment/web BACKEND_URL=http://backend:8080',
      'kubectl set env deploy/web MODE-',
      'kubectl set env deploy/web --list',
      'kubectl set env deploy/web -c sidecar X=1',
      'kubectl set env X=1 deploy/web',
      'kubectl set env X=1',
      'kubectl set env deploy/nope X=1',
      'kubectl set nothing deploy/web',
      'kubectl get deploy web -o jsonpath={.spec.template.spec.containers[0].env}',
    ]) {
      const r = sim.run(l);
      out += `$ ${l}\n${r.stdout}`;
      if (r.stderr) out += `--- stderr\n${r.stderr}`;
      out += `--- exit ${r.exitCode}\n`;
    }
    golden('set-env', out);
  });
});
