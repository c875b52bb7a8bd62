/**
 * The rewrite plugin and the Corefile's other plugins (kubernetes.io "Customizing DNS
 * Service"; CKA material). Sources, coredns/coredns v1.12.1:
 * - plugin/rewrite/name.go: newNameRule (exact by default; exact and suffix names get a
 *   final dot; regex `{N}` groups and plugin.Name(…).Normalize()), exact's automatic answer
 *   mapping (newExactNameRule: auto), `answer auto`, `answer name FROM TO`, remapStringRewriter;
 *   rewrite.go: rules in order, a `stop` rule (the default) ends the list; the reply keeps the
 *   question as asked;
 * - plugin.cfg: the directives the build knows (rewrite before hosts, kubernetes, forward);
 * - coredns/caddy's parser: `/etc/coredns/Corefile:N - Error during parsing: Unknown
 *   directive 'X'`; on a reload, "[ERROR] Restart failed: …" (coredns/coredns#2816 shows the
 *   lines) and plugin/reload/reload.go's "Corefile changed but reload failed: %s" — the
 *   running configuration stays;
 * - a real plugin the simulation does not carry out (template) is named in the log as not
 *   simulated (the `[WARNING] netlab:` line is the simulator's, not CoreDNS's).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createSimulation } from '../../../engine';

const scenario = readFileSync('lessons/50-service-dns/scenario.yaml', 'utf8');

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

/** Lines added after `errors` in kubeadm's `.:53` block. */
function addPlugins(sim: ReturnType<typeof createSimulation>, lines: string[], file = 'cm.yaml'): void {
  sim.run('kubectl -n kube-system get cm coredns -o yaml > orig.yaml');
  const text = lines.map((l) => '        ' + l.replace(/\\/g, '\\\\').replace(/\//g, '\\/')).join('\\n');
  sim.run(`sed 's/^        errors$/        errors\\n${text}/' orig.yaml > ${file}`);
  sim.run(`kubectl apply -f ${file}`);
}

const log = (sim: ReturnType<typeof createSimulation>) => sim.run('kubectl logs -n kube-system -l k8s-app=kube-dns --prefix').stdout.split('\n').filter((l) => l.includes('nh297'));

describe('rewrite name', () => {
  it('exact: db.internal answers with the web Service, under the name asked', () => {
    const sim = createSimulation(scenario, { seed: 1 });
    expect(sim.run('kubectl exec client -- dig +short db.internal').stdout).toBe('');
    addPlugins(sim, ['rewrite name db.internal web.shop.svc.cluster.local']);
    expect(out(sim.run('kubectl exec client -- dig +noall +question +answer db.internal'))).toMatchInlineSnapshot(`
      ";db.internal.			IN	A

      db.internal.		30	IN	A	10.96.0.30

      [exit 0]
      "
    `);
    expect(out(sim.run('kubectl exec client -- nslookup db.internal'))).toMatchInlineSnapshot(`
      "Server:		10.96.0.10
      Address:	10.96.0.10#53

      Name:	db.internal
      Address: 10.96.0.30

      [exit 0]
      "
    `);
  });

  it('regex with an answer name rule; without one the answer keeps the rewritten owner', () => {
    const sim = createSimulation(scenario, { seed: 1 });
    addPlugins(sim, [
      'rewrite name regex (.*)\\.example\\.lan {1}.shop.svc.cluster.local answer name (.*)\\.shop\\.svc\\.cluster\\.local {1}.example.lan',
      'rewrite name suffix .corp.lan .shop.svc.cluster.local',
    ]);
    expect(out(sim.run('kubectl exec client -- dig +noall +answer web.example.lan'))).toMatchInlineSnapshot(`
      "web.example.lan.	30	IN	A	10.96.0.30
      [exit 0]
      "
    `);
    expect(out(sim.run('kubectl exec client -- dig +noall +answer web.corp.lan'))).toMatchInlineSnapshot(`
      "web.shop.svc.cluster.local. 30	IN	A	10.96.0.30
      [exit 0]
      "
    `);
  });

  it('suffix with answer auto maps the answer back', () => {
    const sim = createSimulation(scenario, { seed: 1 });
    addPlugins(sim, ['rewrite name suffix .corp.lan .shop.svc.cluster.local answer auto']);
    expect(out(sim.run('kubectl exec client -- dig +noall +answer web.corp.lan'))).toMatchInlineSnapshot(`
      "web.corp.lan.		30	IN	A	10.96.0.30
      [exit 0]
      "
    `);
  });
});

describe('plugins the Corefile names', () => {
  it('an unknown directive: the reload fails, the running configuration keeps answering', () => {
    const sim = createSimulation(scenario, { seed: 1 });
    addPlugins(sim, ['rewrite name db.internal web.shop.svc.cluster.local']);
    addPlugins(sim, ['rewrite name db.internal web.shop.svc.cluster.local', 'frobnicate on'], 'bad.yaml');
    expect(log(sim).slice(-7)).toMatchInlineSnapshot(`
      [
        "[pod/coredns-7788dbc5b-nh297/coredns] linux/amd64, go1.24.1, 707c7c1",
        "[pod/coredns-7788dbc5b-nh297/coredns] [INFO] Reloading",
        "[pod/coredns-7788dbc5b-nh297/coredns] [INFO] plugin/reload: Running configuration SHA512 = 4e95d104798d4f02060b4b08299ec6f633d451666c4004bd6f0759595574bcb8a8798bc383d85b158e77a3b1daabca6952ffa67352eb6e69afc753f00be3cbb3",
        "[pod/coredns-7788dbc5b-nh297/coredns] [INFO] Reloading complete",
        "[pod/coredns-7788dbc5b-nh297/coredns] [INFO] Reloading",
        "[pod/coredns-7788dbc5b-nh297/coredns] [ERROR] Restart failed: /etc/coredns/Corefile:4 - Error during parsing: Unknown directive 'frobnicate'",
        "[pod/coredns-7788dbc5b-nh297/coredns] [ERROR] plugin/reload: Corefile changed but reload failed: starting with listener file descriptors: /etc/coredns/Corefile:4 - Error during parsing: Unknown directive 'frobnicate'",
      ]
    `);
    expect(sim.run('kubectl exec client -- dig +short db.internal').stdout).toBe('10.96.0.30\n');
  });

  it('a real plugin not simulated (template) is said so in the log, and changes no answer', () => {
    const sim = createSimulation(scenario, { seed: 1 });
    addPlugins(sim, ['template IN A lan {', '  answer "{{ .Name }} 60 IN A 192.0.2.1"', '}']);
    expect(log(sim).slice(-4)).toMatchInlineSnapshot(`
      [
        "[pod/coredns-7788dbc5b-nh297/coredns] [INFO] Reloading",
        "[pod/coredns-7788dbc5b-nh297/coredns] [INFO] plugin/reload: Running configuration SHA512 = 6a68bbc427b208d4985a41a3b04365f8464413d0d6b88d010dd5ed8d46393421cf63dac612cb91312cb71229be65dccde06079733827b0fc38878638a59c583b",
        "[pod/coredns-7788dbc5b-nh297/coredns] [INFO] Reloading complete",
        "[pod/coredns-7788dbc5b-nh297/coredns] [WARNING] netlab: plugin/template is not simulated here: CoreDNS answers as if it were not in the Corefile",
      ]
    `);
    expect(sim.run('kubectl exec client -- dig +short web.lan').stdout).toBe('');
  });
});
