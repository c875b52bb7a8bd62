/**
 * The change tracker (servicechangetracker.go + endpointschangetracker.go): which
 * Services a sync re-derives, changes that cancel out between two syncs, ServicePortName;
 * and the mode registry behind settings.proxyMode.
 */
import { describe, expect, it } from 'vitest';
import { kubeProxyOf } from '../../../engine/controllers/kube-proxy';
import { PROXIERS } from '../../../engine/controllers/kube-proxy/modes';
import { ServicePortName } from '../../../engine/controllers/kube-proxy/serviceport';
import { servicePortPolicyClusterChain } from '../../../engine/controllers/kube-proxy/hash';
import type { KubeObject } from '../../../engine/cluster/types';
import { loadSim, onNode } from '../../golden/kube-proxy/harness';

/** The Services the next sync re-derives (a partial sync: no node-dependent extras). */
function nextSync(sim: ReturnType<typeof loadSim>): number {
  const kp = kubeProxyOf(sim.cluster);
  kp.ensureSynced();
  return kp.stats.lastChanged;
}

const relabel = (sim: ReturnType<typeof loadSim>, name: string, labels: Record<string, string> | undefined) => {
  const svc = structuredClone(sim.store.get('Service', 'default', name)!) as KubeObject;
  if (labels) svc.metadata.labels = labels;
  else delete svc.metadata.labels;
  sim.api.update(svc);
};

describe('ServicePortName', () => {
  it('prints ns/name, or ns/name:port when the port is named', () => {
    expect(String(new ServicePortName('default', 'web', 'http', 'tcp'))).toBe('default/web:http');
    expect(String(new ServicePortName('kube-system', 'kube-dns', '', 'udp'))).toBe('kube-system/kube-dns');
  });
  it('is what the tracker names each port by', () => {
    const kp = kubeProxyOf(loadSim('web.yaml').cluster);
    kp.ensureSynced();
    expect(kp.serviceGen('default/web')!.ports.map((p) => p.spn.toString())).toEqual(['default/web:http']);
    expect(kp.serviceGen('default/sticky')!.ports.map((p) => p.name)).toEqual(['default/sticky']);
  });
});

describe('change tracker', () => {
  it('re-derives a Service whose ports, endpoints or labels changed', () => {
    const sim = loadSim('web.yaml');
    nextSync(sim);
    relabel(sim, 'web', { tier: 'front' });
    expect(nextSync(sim)).toBe(1);
    const slice = structuredClone(sim.store.get('EndpointSlice', 'default', 'web-x1')!) as KubeObject;
    slice.endpoints[3].conditions = { ready: true };
    sim.api.update(slice);
    expect(nextSync(sim)).toBe(1);
    expect(kubeProxyOf(sim.cluster).serviceGen('default/web')!.endpoints[0].filter((e) => e.ready)).toHaveLength(4);
  });

  it('drops changes that cancel out: edited and edited back, created and deleted, between two syncs', () => {
    const sim = loadSim('web.yaml');
    const kp = kubeProxyOf(sim.cluster);
    nextSync(sim);
    const syncs = kp.stats.syncs;
    relabel(sim, 'web', { tier: 'front' });
    relabel(sim, 'web', undefined);
    expect(nextSync(sim)).toBe(0);
    sim.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'tmp', namespace: 'default' }, spec: { clusterIP: '10.96.0.120', ports: [{ port: 80 }] } });
    sim.api.delete('Service', 'default', 'tmp');
    expect(nextSync(sim)).toBe(0);
    // The events still ran a (partial) sync, as any Service event does.
    expect(kp.stats.syncs).toBe(syncs + 2);
    expect(kp.serviceKeys()).not.toContain('default/tmp');
  });

  it('a change that cancelled out leaves hand-edited chains of that Service as they are until the full sync', () => {
    const sim = loadSim('web.yaml');
    const svc = servicePortPolicyClusterChain('default/web:http', 'tcp');
    expect(onNode(sim, 'node-1', `iptables -t nat -F ${svc}`).exitCode).toBe(0);
    relabel(sim, 'web', { tier: 'front' });
    relabel(sim, 'web', undefined);
    expect(onNode(sim, 'node-1', `iptables -t nat -S ${svc}`).stdout).toBe(`-N ${svc}\n`);
    sim.advance(30_000);
    expect(onNode(sim, 'node-1', `iptables -t nat -S ${svc}`).stdout.split('\n').length).toBe(6);
  });
});

describe('views derived ahead of the first look', () => {
  // Before any node's tables exist, a clock tick derives what changed (and iptables mode
  // generates its rules) without applying it; the first look applies those. `ahead` edits
  // and ticks with no node looked at; `looked` makes the same edits with node-1 already
  // materialized, so its ticks sync as they go. Both must print the same tables.
  const edits = (sim: ReturnType<typeof loadSim>, tick: () => void) => {
    relabel(sim, 'web', { tier: 'front' });
    const slice = structuredClone(sim.store.get('EndpointSlice', 'default', 'web-x1')!) as KubeObject;
    slice.endpoints[3].conditions = { ready: true };
    sim.api.update(slice);
    tick();
    // edited after the tick: what was derived ahead for them is stale and must not be used
    const again = structuredClone(sim.store.get('EndpointSlice', 'default', 'web-x1')!) as KubeObject;
    again.endpoints[3].conditions = { ready: false };
    sim.api.update(again);
    relabel(sim, 'sticky', { tier: 'back' });
    sim.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'tmp', namespace: 'default' }, spec: { clusterIP: '10.96.0.120', ports: [{ port: 80 }] } });
  };

  it('applies them at the first look, except a Service edited since, and prints what syncing as it went prints', () => {
    const ahead = loadSim('web.yaml');
    const kp = kubeProxyOf(ahead.cluster);
    const before = kp.tracker.reused;
    edits(ahead, () => ahead.advance(1_000));
    const looked = loadSim('web.yaml');
    onNode(looked, 'node-1', 'iptables -t nat -S');
    edits(looked, () => looked.advance(1_000));
    expect(kp.nodes.size).toBe(0);
    const nat = onNode(ahead, 'node-1', 'iptables -t nat -S').stdout;
    // every Service derived ahead (at start, or at the tick) is used but web and sticky, edited since, and tmp, created since
    expect(kp.tracker.reused - before).toBe(kp.serviceKeys().length - 3);
    expect(nat).toBe(onNode(looked, 'node-1', 'iptables -t nat -S').stdout);
    expect(onNode(ahead, 'node-1', 'iptables -S').stdout).toBe(onNode(looked, 'node-1', 'iptables -S').stdout);
    // the fourth endpoint was made ready before the tick and unready after it: three endpoint rules
    expect(nat.match(/"default\/web:http -> /g)).toHaveLength(3);
  });
});

describe('mode registry', () => {
  it('has a proxier for every mode, and the module runs the one settings.proxyMode names', () => {
    expect(Object.keys(PROXIERS).sort()).toEqual(['iptables', 'ipvs', 'nftables']);
    for (const [fixture, mode] of [['web.yaml', 'iptables'], ['web-ipvs.yaml', 'ipvs'], ['web-nft.yaml', 'nftables']] as const) {
      const kp = kubeProxyOf(loadSim(fixture).cluster);
      expect(kp.mode).toBe(mode);
      expect(kp.proxier.mode).toBe(mode);
    }
  });
});
