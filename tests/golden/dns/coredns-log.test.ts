/**
 * CoreDNS's own log as kubernetes.io's "Debugging DNS Resolution" page has the learner read it
 * ("Are DNS queries being received/processed?": add `log` to the Corefile, query, read the
 * logs). Sources:
 * - coredns/coredns plugin/log/log.go (CommonLogFormat), plugin/pkg/replacer/replacer.go
 *   ({>bufsize} = request.Size: the EDNS0 buffer or 512; {>rflags}: qr,aa,tc,rd,ra…;
 *   {duration}: strconv.AppendFloat(secs, 'f', -1) + "s"), clog's "[INFO] " prefix;
 * - plugin/reload/reload.go ("Running configuration SHA512 = %x" on every load) and
 *   coredns/caddy's restart ("[INFO] Reloading", "[INFO] Reloading complete"): the log is
 *   append-only across a reload, the startup SHA stays;
 * - the upstream resolver's NXDOMAIN for a name under a delegated gTLD carries that TLD's
 *   SOA (.shop: CentralNic's), not the root's.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createSimulation } from '../../../engine';

const scenario = readFileSync('lessons/50-service-dns/scenario.yaml', 'utf8');

describe('the log plugin and a Corefile reload', () => {
  it('logs nothing before `log` is added; after the reload, each query the client makes', () => {
    const sim = createSimulation(scenario, { seed: 1 });
    sim.run('kubectl exec client -- nslookup web.shop');
    const before = sim.run('kubectl logs -n kube-system -l k8s-app=kube-dns --prefix').stdout;
    expect(before).not.toContain('IN web.shop');
    sim.run('kubectl -n kube-system get cm coredns -o yaml > cm.yaml');
    sim.run("sed -i 's/^        errors$/        log\\n        errors/' cm.yaml");
    sim.run('kubectl apply -f cm.yaml');
    sim.run('kubectl exec client -- nslookup web.shop');
    sim.run('kubectl exec client -- dig +short kubernetes.default.svc.cluster.local');
    const after = sim.run('kubectl logs -n kube-system -l k8s-app=kube-dns --prefix').stdout;
    // the run's startup lines keep the SHA it started with; the reload is appended, then the queries
    expect(after).toMatchInlineSnapshot(`
      "[pod/coredns-7788dbc5b-4dqd2/coredns] [INFO] plugin/reload: Running configuration SHA512 = c35a0471224db80ad6f2c01a8ee2158e00ac67f9894da0707fe9267278a918901a5b98890c7cc765725ab46a5bf009ee04f98f78e33459712318fd74e132404d
      [pod/coredns-7788dbc5b-4dqd2/coredns] CoreDNS-1.12.1
      [pod/coredns-7788dbc5b-4dqd2/coredns] linux/amd64, go1.24.1, 707c7c1
      [pod/coredns-7788dbc5b-4dqd2/coredns] [INFO] Reloading
      [pod/coredns-7788dbc5b-4dqd2/coredns] [INFO] plugin/reload: Running configuration SHA512 = 58cf23a29d3250e90ff5e79b383aed08c5bc1e3f987616f16c758a0f748e34417ca31dc26241343e060be5990bd3187eed7d3da83fb6d59348669d3ae6a897c9
      [pod/coredns-7788dbc5b-4dqd2/coredns] [INFO] Reloading complete
      [pod/coredns-7788dbc5b-4dqd2/coredns] [INFO] 10.244.0.130:51333 - 8904 "A IN web.shop.default.svc.cluster.local. udp 63 false 1232" NXDOMAIN qr,aa,rd 117 0.000164697s
      [pod/coredns-7788dbc5b-4dqd2/coredns] [INFO] 10.244.0.130:57170 - 24551 "A IN web.shop.svc.cluster.local. udp 55 false 1232" NOERROR qr,aa,rd 71 0.00010983s
      [pod/coredns-7788dbc5b-4dqd2/coredns] [INFO] 10.244.0.130:57388 - 56143 "AAAA IN web.shop.svc.cluster.local. udp 55 false 1232" NOERROR qr,aa,rd 109 0.000088143s
      [pod/coredns-7788dbc5b-4dqd2/coredns] [INFO] 10.244.0.130:57321 - 32307 "A IN kubernetes.default.svc.cluster.local. udp 77 false 1232" NOERROR qr,aa,rd 81 0.000211441s
      [pod/coredns-7788dbc5b-nh297/coredns] .:53
      [pod/coredns-7788dbc5b-nh297/coredns] [INFO] plugin/reload: Running configuration SHA512 = c35a0471224db80ad6f2c01a8ee2158e00ac67f9894da0707fe9267278a918901a5b98890c7cc765725ab46a5bf009ee04f98f78e33459712318fd74e132404d
      [pod/coredns-7788dbc5b-nh297/coredns] CoreDNS-1.12.1
      [pod/coredns-7788dbc5b-nh297/coredns] linux/amd64, go1.24.1, 707c7c1
      [pod/coredns-7788dbc5b-nh297/coredns] [INFO] Reloading
      [pod/coredns-7788dbc5b-nh297/coredns] [INFO] plugin/reload: Running configuration SHA512 = 58cf23a29d3250e90ff5e79b383aed08c5bc1e3f987616f16c758a0f748e34417ca31dc26241343e060be5990bd3187eed7d3da83fb6d59348669d3ae6a897c9
      [pod/coredns-7788dbc5b-nh297/coredns] [INFO] Reloading complete
      "
    `);
  });

  it('log { class denial } logs only NXDOMAIN/NODATA answers', () => {
    const sim = createSimulation(scenario, { seed: 1 });
    sim.run('kubectl -n kube-system get cm coredns -o yaml > cm.yaml');
    sim.run("sed -i 's/^        errors$/        log . {\\n          class denial\\n        }\\n        errors/' cm.yaml");
    sim.run('kubectl apply -f cm.yaml');
    sim.run('kubectl exec client -- nslookup web.shop');
    const lines = sim.run('kubectl logs -n kube-system -l k8s-app=kube-dns').stdout.split('\n').filter((l) => l.includes(' IN '));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/^\[INFO\] 10\.244\.\d+\.\d+:\d+ - \d+ "(A|AAAA) IN [a-z.]+ udp \d+ false 1232" (NXDOMAIN|NOERROR) qr,aa,rd \d+ 0\.\d+s$/);
    expect(lines.some((l) => l.includes('"A IN web.shop.svc.cluster.local.'))).toBe(false);
  });
});

describe('the upstream resolver', () => {
  it('answers a .shop name it does not know with CentralNic\'s SOA', () => {
    const sim = createSimulation(scenario, { seed: 1 });
    expect(sim.run('kubectl exec client -- dig +noall +authority web.shop').stdout).toMatchInlineSnapshot(`
      "shop.			3600	IN	SOA	ns0.centralnic.net. hostmaster.centralnic.net. 1000153277 900 1800 6048000 3600
      "
    `);
  });
});
