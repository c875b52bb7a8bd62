/**
 * IPVS mode, golden: ipvsadm -Ln / --stats / -Lnc (ipvsadm 1.31 ipvsadm.c print_title,
 * print_service_entry, print_conn), ipset list (ipset 7.x), the iptables rules kube-proxy
 * writes in IPVS mode (pkg/proxy/ipvs/proxier.go writeIptablesRules), conntrack -L
 * (conntrack-tools 1.4.6), and scheduler behaviour (ip_vs_rr.c, ip_vs_lc.c, ip_vs_sh.c).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSimulation, Simulation } from '../../../engine';
import { translate } from '../../../engine/controllers/kube-proxy';
import { expectGolden, loadSim, onNode, transcript } from './harness';

const pkt = (dst: string, dport: number, src: string, sport: number) => ({ src, dst, proto: 'tcp' as const, sport, dport });

describe('kube-proxy IPVS mode, golden', () => {
  it('virtual servers, ipsets and the iptables rules that match them', () => {
    const sim = loadSim('web-ipvs.yaml');
    for (let i = 0; i < 4; i++) translate(sim.cluster, 'node-1', pkt('10.96.0.100', 80, '10.244.1.50', 50000 + i), 'pod');
    translate(sim.cluster, 'node-1', pkt('10.96.0.101', 80, '10.244.2.99', 50100), 'pod');
    translate(sim.cluster, 'node-1', pkt('192.168.49.2', 30080, '203.0.113.9', 50200), 'external');
    sim.advance(15_000);
    expectGolden('web-ipvs', transcript(sim, 'node-1', [
      'ipvsadm -Ln',
      'ipvsadm -Ln --stats',
      'ipvsadm -Ln --rate -t 10.96.0.100:80',
      'ipvsadm -Lnc',
      'ipvsadm -Ln -t 10.96.0.250:80',
      'ipset list KUBE-CLUSTER-IP',
      'ipset list KUBE-LOOP-BACK',
      'ipset list -n',
      'ipset list NOPE',
      'iptables-save -t nat',
      'iptables -L KUBE-IPVS-FILTER -n',
      'conntrack -L',
      'conntrack -L -d 10.96.0.101',
    ]));
  });

  it('iptables mode: no ip_vs module, empty ipset list', () => {
    const sim = loadSim('web.yaml');
    expect(onNode(sim, 'node-1', 'ipvsadm -Ln')).toEqual({
      stdout: '',
      stderr: "Can't initialize ipvs: Protocol not available\nAre you sure that IP Virtual Server is built in the kernel or as module?\n",
      exitCode: 1,
    });
    expect(onNode(sim, 'node-1', 'ipset list')).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  });
});

describe('IPVS schedulers', () => {
  const picks = (scheduler: string, sources: string[]) => {
    const text = readFileSync(join(__dirname, 'fixtures', 'web-ipvs.yaml'), 'utf8').replace('ipvsScheduler: rr', `ipvsScheduler: ${scheduler}`);
    const sim = createSimulation(text, { seed: 1 });
    return sources.map((src, i) => translate(sim.cluster, 'node-1', pkt('10.96.0.100', 80, src, 51000 + i), 'pod').dnatTo!.ip);
  };
  it('rr rotates through the real servers in order', () => {
    expect(picks('rr', Array(6).fill('10.244.1.50'))).toEqual(['10.244.1.5', '10.244.2.7', '10.244.2.8', '10.244.1.5', '10.244.2.7', '10.244.2.8']);
  });
  it('lc sends each new connection to the server with the fewest', () => {
    expect(picks('lc', Array(6).fill('10.244.1.50'))).toEqual(['10.244.1.5', '10.244.2.7', '10.244.2.8', '10.244.1.5', '10.244.2.7', '10.244.2.8']);
  });
  it('sh keeps each client on one server', () => {
    const a = picks('sh', ['10.244.1.50', '10.244.1.50', '10.244.1.50', '10.244.2.60', '10.244.2.60']);
    expect(new Set(a.slice(0, 3)).size).toBe(1);
    expect(new Set(a.slice(3)).size).toBe(1);
  });
  it('ClientIP affinity is IPVS persistence', () => {
    const sim = loadSim('web-ipvs.yaml');
    expect(onNode(sim, 'node-1', 'ipvsadm -Ln -t 10.96.0.101:80').stdout).toContain('TCP  10.96.0.101:80 rr persistent 10800\n');
    const first = translate(sim.cluster, 'node-1', pkt('10.96.0.101', 80, '10.244.2.99', 52000), 'pod').dnatTo!.ip;
    for (let i = 1; i < 6; i++) expect(translate(sim.cluster, 'node-1', pkt('10.96.0.101', 80, '10.244.2.99', 52000 + i), 'pod').dnatTo!.ip).toBe(first);
  });
  it('a Service without endpoints has a virtual server with no real servers: connection refused', () => {
    const sim = loadSim('web-ipvs.yaml');
    const d = translate(sim.cluster, 'node-1', pkt('10.96.0.103', 80, '10.244.1.50', 53000), 'pod');
    expect(d.verdict).toBe('REJECT');
    expect(d.via).toBe('ipvs');
  });
});

describe('IPVS state survives a snapshot', () => {
  it('connections, counters, rr position and persistence templates', () => {
    const sim = loadSim('web-ipvs.yaml');
    for (let i = 0; i < 4; i++) translate(sim.cluster, 'node-1', pkt('10.96.0.100', 80, '10.244.1.50', 54000 + i), 'pod');
    translate(sim.cluster, 'node-1', pkt('10.96.0.101', 80, '10.244.2.99', 54100), 'pod');
    const restored = Simulation.restore(JSON.parse(JSON.stringify(sim.snapshot())));
    for (const line of ['ipvsadm -Ln', 'ipvsadm -Ln --stats', 'ipvsadm -Lnc', 'conntrack -L']) {
      expect(onNode(restored, 'node-1', line), line).toEqual(onNode(sim, 'node-1', line));
    }
    const next = (s: typeof sim) => translate(s.cluster, 'node-1', pkt('10.96.0.100', 80, '10.244.1.50', 55000), 'pod').dnatTo;
    expect(next(restored)).toEqual(next(sim));
    const sticky = (s: typeof sim) => translate(s.cluster, 'node-1', pkt('10.96.0.101', 80, '10.244.2.99', 55001), 'pod').dnatTo;
    expect(sticky(restored)).toEqual(sticky(sim));
  });
});
