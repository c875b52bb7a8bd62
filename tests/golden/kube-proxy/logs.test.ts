/**
 * kube-proxy's start-up log per Pod: each DaemonSet Pod's process starts at its own instant,
 * so its klog timestamps (I0110 06:00:03.919940) differ from its siblings' — the same lines
 * (cmd/kube-proxy/app/server.go, client-go shared_informer.go) at each Pod's own times.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createSimulation } from '../../../engine';

describe('kube-proxy logs', () => {
  it("each Pod's lines carry its own clock readings, stable across reads", () => {
    const sim = createSimulation(readFileSync('lessons/30-kube-proxy-iptables/scenario.yaml', 'utf8'), { seed: 1 });
    const out = sim.run('kubectl -n kube-system logs -l k8s-app=kube-proxy --tail=1 --prefix').stdout;
    expect(out).toMatchInlineSnapshot(`
      "[pod/kube-proxy-jgmc5/kube-proxy] I0110 06:00:03.920072       1 shared_informer.go:356] "Caches are synced" controller="serviceCIDR config"
      [pod/kube-proxy-p54nj/kube-proxy] I0110 06:00:03.729067       1 shared_informer.go:356] "Caches are synced" controller="serviceCIDR config"
      [pod/kube-proxy-zpzcs/kube-proxy] I0110 06:00:03.624771       1 shared_informer.go:356] "Caches are synced" controller="serviceCIDR config"
      "
    `);
    const times = out.trim().split('\n').map((l) => l.split(' ')[2]);
    expect(new Set(times).size).toBe(times.length);
    expect(sim.run('kubectl -n kube-system logs -l k8s-app=kube-proxy --tail=1 --prefix').stdout).toBe(out);
  });
});
