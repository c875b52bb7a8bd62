/**
 * A Corefile CoreDNS refuses (controllers/dns/corefile.ts, controllers/kubelet.ts, logs.ts).
 * Sources, CoreDNS v1.12.1 with coredns/caddy 8de9853 (its go.mod's):
 * - caddyfile/dispenser.go: Err `FILE:LINE - Error during parsing: MSG`, ArgErr `Wrong argument
 *   count or unexpected line ending after 'VAL'`, EOFErr `Unexpected EOF`; parse.go's `Unknown
 *   directive '%s'` and `Unexpected '}' because no matching opening brace`;
 * - plugin/plugin.go Error (`plugin/NAME: ERR`), plugin/kubernetes/setup.go (pods, ttl,
 *   unknown property), plugin/forward/setup.go (policy);
 * - a running server: plugin/reload/reload.go — caddyfile.Parse failing is only
 *   `Corefile parse failed` (a warning, no restart); otherwise caddy.go Restart's `[INFO]
 *   Reloading`, its deferred `[ERROR] Restart failed: ERR`, and reload's `Corefile changed but
 *   reload failed: starting with listener file descriptors: ERR`: the old instance keeps serving;
 * - a starting server: coremain/run.go caddy.Start fails, mustLogFatal → log.Fatal with flags 0
 *   (the bare message), exit 1; the kubelet restarts it with its back-off (CrashLoopBackOff).
 *   `kubectl rollout restart` with kubeadm's strategy (maxUnavailable 1, maxSurge 25% → 1):
 *   the new ReplicaSet's Pods crash, one old Pod keeps answering.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createSimulation, type Simulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';
import { parseCorefile } from '../../../engine/controllers/dns/corefile';

const scenario = readFileSync('lessons/50-service-dns/scenario.yaml', 'utf8');

function show(sim: Simulation, line: string): string {
  const r = sim.run(line);
  return `$ ${line}\n${r.stdout}${r.stderr}[exit ${r.exitCode}]\n`;
}

function edit(sim: Simulation, sed: string): string {
  sim.run('kubectl -n kube-system get cm coredns -o yaml > cm.yaml');
  sim.run(`sed -i '${sed}' cm.yaml`);
  return show(sim, 'kubectl replace -f cm.yaml');
}

describe('a Corefile CoreDNS refuses', () => {
  it('running Pods keep their config and log the failed restart; new Pods crash-loop with the parse error; fixing it recovers', () => {
    const sim = createSimulation(scenario, { seed: 1 });
    const out: string[] = [];
    out.push(edit(sim, 's/pods insecure/pods/'));
    out.push(show(sim, 'kubectl logs -n kube-system -l k8s-app=kube-dns --prefix --tail=3'));
    out.push(show(sim, 'kubectl exec client -- nslookup kubernetes.default'));
    out.push(show(sim, 'kubectl -n kube-system rollout restart deploy/coredns'));
    for (let k = 0; k < 3; k++) {
      sim.cluster.advance(20_000);
      out.push(show(sim, 'kubectl -n kube-system get pods -l k8s-app=kube-dns'));
    }
    out.push(show(sim, 'kubectl -n kube-system get deploy coredns'));
    // a Pod of the new ReplicaSet (the one not Ready)
    const crashing = sim.run("kubectl -n kube-system get pods -l k8s-app=kube-dns -o jsonpath='{range .items[?(@.status.containerStatuses[0].ready==false)]}{.metadata.name}{\"\\n\"}{end}'").stdout.split('\n').filter(Boolean)[0];
    out.push(show(sim, `kubectl -n kube-system logs ${crashing}`));
    out.push(show(sim, `kubectl -n kube-system logs ${crashing} --previous`));
    // the old Pod still answers with the Corefile it loaded
    out.push(show(sim, 'kubectl exec client -- nslookup kubernetes.default'));
    out.push(show(sim, 'kubectl -n kube-system rollout status deploy/coredns --timeout=5s'));
    // fixed: the crashing Pods start cleanly at their next restart, the rollout completes
    out.push(edit(sim, 's/pods$/pods insecure/'));
    sim.cluster.advance(120_000);
    out.push(show(sim, 'kubectl -n kube-system get pods -l k8s-app=kube-dns'));
    out.push(show(sim, 'kubectl -n kube-system get deploy coredns'));
    golden('dns/corefile/crashloop.txt', out.join(''));
  });

  it('every CoreDNS Pod replaced with a bad Corefile: nothing answers', () => {
    const sim = createSimulation(scenario, { seed: 1 });
    const out: string[] = [edit(sim, 's/ttl 30$/ttl 9000/')];
    out.push(show(sim, 'kubectl -n kube-system delete pod -l k8s-app=kube-dns'));
    sim.cluster.advance(30_000);
    out.push(show(sim, 'kubectl -n kube-system get pods -l k8s-app=kube-dns'));
    out.push(show(sim, 'kubectl -n kube-system logs deploy/coredns'));
    out.push(show(sim, 'kubectl exec client -- nslookup kubernetes.default'));
    golden('dns/corefile/all-replaced.txt', out.join(''));
  });

  it('a brace missing: the reload plugin only warns (caddyfile.Parse fails before any restart)', () => {
    const sim = createSimulation(scenario, { seed: 1 });
    // the server block's closing brace deleted
    const out: string[] = [edit(sim, '/^        loadbalance$/{n;d}')];
    out.push(show(sim, 'kubectl -n kube-system get cm coredns -o jsonpath={.data.Corefile}'));
    out.push(show(sim, 'kubectl logs -n kube-system -l k8s-app=kube-dns --prefix --tail=1'));
    golden('dns/corefile/syntax.txt', out.join(''));
  });

  it('the errors each stage gives, as CoreDNS words them', () => {
    const base = '.:53 {\n    errors\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       ttl 30\n    }\n    forward . /etc/resolv.conf\n}\n';
    const err = (from: string, to: string) => parseCorefile(base.replace(from, to));
    expect(parseCorefile(base).error).toBeUndefined();
    expect(err('pods insecure', 'pods')).toMatchObject({ errorStage: 'setup', error: "plugin/kubernetes: /etc/coredns/Corefile:4 - Error during parsing: Wrong argument count or unexpected line ending after 'pods'" });
    expect(err('pods insecure', 'pods secure').error).toBe('plugin/kubernetes: wrong value for pods: secure,  must be one of: disabled, verified, insecure');
    expect(err('ttl 30', 'ttl x').error).toBe('plugin/kubernetes: strconv.Atoi: parsing "x": invalid syntax');
    expect(err('ttl 30', 'ttl 4000').error).toBe('plugin/kubernetes: /etc/coredns/Corefile:5 - Error during parsing: ttl must be in range [0, 3600]: 4000');
    expect(err('ttl 30', 'tll 30').error).toBe("plugin/kubernetes: /etc/coredns/Corefile:5 - Error during parsing: unknown property 'tll'");
    expect(err('forward . /etc/resolv.conf', 'forward .').error).toBe("plugin/forward: /etc/coredns/Corefile:7 - Error during parsing: Wrong argument count or unexpected line ending after '.'");
    expect(err('forward . /etc/resolv.conf', 'forward . 8.8.8.8 {\n policy fastest\n }').error).toBe("plugin/forward: /etc/coredns/Corefile:8 - Error during parsing: unknown policy 'fastest'");
    expect(err('    errors\n', '    errros\n')).toMatchObject({ errorStage: 'setup', error: "/etc/coredns/Corefile:2 - Error during parsing: Unknown directive 'errros'" });
    // parse.go: the server block's `}` missing (closeCurlyBrace's SyntaxErr on the last token); a directive's block open at the end (EOFErr)
    expect(err('    forward . /etc/resolv.conf\n}\n', '    forward . /etc/resolv.conf\n')).toMatchObject({ errorStage: 'syntax', error: "/etc/coredns/Corefile:7 - Syntax error: Unexpected token '/etc/resolv.conf', expecting '}'" });
    expect(err('    forward . /etc/resolv.conf\n}\n', '    forward . /etc/resolv.conf {\n')).toMatchObject({ errorStage: 'syntax', error: '/etc/coredns/Corefile:7 - Error during parsing: Unexpected EOF' });
    // the kubernetes block's `}` missing: it swallows the server block's, and its setup reads `forward` as a property
    expect(err('       ttl 30\n    }\n', '       ttl 30\n')).toMatchObject({ errorStage: 'setup', error: "plugin/kubernetes: /etc/coredns/Corefile:6 - Error during parsing: unknown property 'forward'" });
  });
});
