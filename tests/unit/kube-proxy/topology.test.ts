/**
 * CategorizeEndpoints with topology hints, as pkg/proxy/topology_test.go
 * (TestCategorizeEndpoints) pins it. The zone cases are upstream's; v1.33+ reads the hints
 * whatever the Service's annotations (the hints annotation no longer gates them in
 * kube-proxy, it only steers the EndpointSlice controller), and the PreferSameNode cases
 * follow topologyModeFromHints (node hints first, zone hints as the fallback).
 */
import { describe, expect, it } from 'vitest';
import { categorizeEndpoints } from '../../../engine/controllers/kube-proxy/topology';
import type { EndpointInfo } from '../../../engine/controllers/kube-proxy/endpoint';
import type { ServicePortInfo } from '../../../engine/controllers/kube-proxy/serviceport';
import { translate } from '../../../engine/controllers/kube-proxy';
import { loadSim } from '../../golden/kube-proxy/harness';

const NODE = 'node-a';

function ep(str: string, o: { zones?: string[]; nodes?: string[]; ready?: boolean; local?: boolean } = {}): EndpointInfo {
  const [ip, port] = str.split(':');
  const ready = o.ready ?? true;
  return { ip, port: Number(port), str, ready, serving: ready, terminating: false, nodeName: o.local ? NODE : 'elsewhere', zoneHints: o.zones ?? [], nodeHints: o.nodes ?? [], chain: '' };
}

function port(o: Partial<ServicePortInfo> = {}): ServicePortInfo {
  return { internalLocal: false, externalLocal: false, nodePort: 0, lbIPs: [], externalIPs: [], ...o } as ServicePortInfo;
}

const strs = (eps: EndpointInfo[]) => eps.map((e) => e.str).sort();
const zoneA = { 'topology.kubernetes.io/zone': 'zone-a' };

describe('CategorizeEndpoints, zone hints (topology_test.go)', () => {
  const four = [ep('10.1.2.3:80', { zones: ['zone-a'] }), ep('10.1.2.4:80', { zones: ['zone-b'] }), ep('10.1.2.5:80', { zones: ['zone-c'] }), ep('10.1.2.6:80', { zones: ['zone-a'] })];

  it('normal endpoint filtering: the node\'s zone only', () => {
    expect(strs(categorizeEndpoints(four, port(), NODE, zoneA).clusterEndpoints)).toEqual(['10.1.2.3:80', '10.1.2.6:80']);
  });
  it('empty node labels, empty zone label, node in a zone no endpoint is hinted for: no filtering', () => {
    const one = [ep('10.1.2.3:80', { zones: ['zone-a'] })];
    expect(strs(categorizeEndpoints(one, port(), NODE, {}).clusterEndpoints)).toEqual(['10.1.2.3:80']);
    expect(strs(categorizeEndpoints(one, port(), NODE, { 'topology.kubernetes.io/zone': '' }).clusterEndpoints)).toEqual(['10.1.2.3:80']);
    expect(strs(categorizeEndpoints(one, port(), NODE, { 'topology.kubernetes.io/zone': 'zone-b' }).clusterEndpoints)).toEqual(['10.1.2.3:80']);
    expect(strs(categorizeEndpoints(four, port(), NODE).clusterEndpoints)).toEqual(['10.1.2.3:80', '10.1.2.4:80', '10.1.2.5:80', '10.1.2.6:80']);
  });
  it('unready endpoint: left out; only unready endpoints in the zone: no filtering', () => {
    const a = [...four.slice(0, 3), ep('10.1.2.6:80', { zones: ['zone-a'], ready: false })];
    expect(strs(categorizeEndpoints(a, port(), NODE, zoneA).clusterEndpoints)).toEqual(['10.1.2.3:80']);
    const b = [ep('10.1.2.3:80', { zones: ['zone-a'], ready: false }), four[1], four[2], ep('10.1.2.6:80', { zones: ['zone-a'], ready: false })];
    expect(strs(categorizeEndpoints(b, port(), NODE, zoneA).clusterEndpoints)).toEqual(['10.1.2.4:80', '10.1.2.5:80']);
  });
  it('missing hints: no filtering; several hints per endpoint: any match counts', () => {
    const missing = [four[0], four[1], ep('10.1.2.5:80'), four[3]];
    expect(strs(categorizeEndpoints(missing, port(), NODE, zoneA).clusterEndpoints)).toEqual(['10.1.2.3:80', '10.1.2.4:80', '10.1.2.5:80', '10.1.2.6:80']);
    const multi = [ep('10.1.2.3:80', { zones: ['zone-a', 'zone-b', 'zone-c'] }), ep('10.1.2.4:80', { zones: ['zone-b', 'zone-c'] }), ep('10.1.2.5:80', { zones: ['zone-b', 'zone-d'] }), ep('10.1.2.6:80', { zones: ['zone-c'] })];
    expect(strs(categorizeEndpoints(multi, port(), NODE, { 'topology.kubernetes.io/zone': 'zone-c' }).clusterEndpoints)).toEqual(['10.1.2.3:80', '10.1.2.4:80', '10.1.2.6:80']);
  });
  it('externalTrafficPolicy Local: topology ignored for Local endpoints, allReachable merges both', () => {
    const eps = [ep('10.1.2.3:80', { zones: ['zone-a'], local: true }), ep('10.1.2.4:80', { zones: ['zone-b'], local: true }), four[2], four[3]];
    const c = categorizeEndpoints(eps, port({ externalLocal: true, nodePort: 8080 }), NODE, zoneA);
    expect(strs(c.clusterEndpoints)).toEqual(['10.1.2.3:80', '10.1.2.6:80']);
    expect(strs(c.localEndpoints)).toEqual(['10.1.2.3:80', '10.1.2.4:80']);
    expect(strs(c.allReachable)).toEqual(['10.1.2.3:80', '10.1.2.4:80', '10.1.2.6:80']);
  });
});

describe('CategorizeEndpoints, node hints (PreferSameNode)', () => {
  const eps = [ep('10.0.0.1:80', { zones: ['zone-a'], nodes: [NODE], local: true }), ep('10.0.0.2:80', { zones: ['zone-a'], nodes: ['node-b'] }), ep('10.0.0.3:80', { zones: ['zone-b'], nodes: ['node-c'] })];
  it('an endpoint hinted for this node: only those', () => {
    expect(strs(categorizeEndpoints(eps, port(), NODE, zoneA).clusterEndpoints)).toEqual(['10.0.0.1:80']);
  });
  it('none for this node: the zone hints decide', () => {
    expect(strs(categorizeEndpoints(eps, port(), 'node-d', zoneA).clusterEndpoints)).toEqual(['10.0.0.1:80', '10.0.0.2:80']);
  });
  it('an endpoint without a node hint turns node hints off', () => {
    const mixed = [...eps.slice(0, 2), ep('10.0.0.3:80', { zones: ['zone-b'] })];
    expect(strs(categorizeEndpoints(mixed, port(), NODE, zoneA).clusterEndpoints)).toEqual(['10.0.0.1:80', '10.0.0.2:80']);
  });
});

describe('traffic follows the hints', () => {
  it('from node-1 (zone-a) web only reaches zone-a; web-local only node-1\'s own endpoint', () => {
    const sim = loadSim('topology.yaml', 5);
    const seen = (dst: string) => {
      const out = new Set<string>();
      for (let i = 0; i < 200; i++) out.add(translate(sim.cluster, 'node-1', { src: '10.244.1.50', dst, proto: 'tcp', sport: 30000 + i, dport: 80 }, 'pod').dnatTo!.ip);
      return [...out].sort();
    };
    expect(seen('10.96.0.100')).toEqual(['10.244.1.10', '10.244.2.10']);
    expect(seen('10.96.0.101')).toEqual(['10.244.1.10']);
  });

  it('a node labelled into a zone later gets its hints at the next full sync', () => {
    const sim = loadSim('topology.yaml', 5);
    sim.run('kubectl label node node-4 topology.kubernetes.io/zone=zone-b');
    sim.advance(31_000);
    const dsts = new Set<string>();
    for (let i = 0; i < 100; i++) dsts.add(translate(sim.cluster, 'node-4', { src: '10.244.4.50', dst: '10.96.0.100', proto: 'tcp', sport: 31000 + i, dport: 80 }, 'pod').dnatTo!.ip);
    expect([...dsts]).toEqual(['10.244.3.10']);
  });
});
