/**
 * The topology cache against cases of k8s.io/endpointslice v0.34
 * topologycache/topologycache_test.go (TestAddHints, TestSetNodes), with the zone ratios
 * set through SetNodes from allocatable CPU rather than poked into the cache.
 */
import { describe, expect, it } from 'vitest';
import type { Node } from '../../../engine/cluster/types';
import { cpuMilli, TopologyCache, type HintedEndpoint } from '../../../engine/controllers/topology-cache';

function node(name: string, zone: string | undefined, cpu: string, ready = 'True', labels: Record<string, string> = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { ...(zone ? { 'topology.kubernetes.io/zone': zone } : {}), ...labels } },
    status: { allocatable: { cpu }, conditions: [{ type: 'Ready', status: ready }] },
  } as unknown as Node;
}

const ep = (zone: string, ready = true): HintedEndpoint => ({ ready, zone });

describe('TopologyCache', () => {
  it('"slices to create and update within 3 zone threshold": zone-a gives its first endpoint to zone-b', () => {
    const c = new TopologyCache();
    c.setNodes([node('a', 'zone-a', '3500m'), node('b', 'zone-b', '3500m'), node('c', 'zone-c', '3')]);
    const toUpdate = [[ep('zone-a'), ep('zone-b')], [ep('zone-c'), ep('zone-c'), ep('zone-a')], [ep('zone-a'), ep('zone-a')], [ep('zone-b'), ep('zone-c'), ep('zone-a')]];
    const events = c.addHints({ serviceKey: 'ns/svc', addressType: 'IPv4', toUpdate, unchanged: [] });
    expect(toUpdate.map((s) => s.map((e) => e.forZones?.join(',')))).toEqual([['zone-b', 'zone-b'], ['zone-c', 'zone-c', 'zone-a'], ['zone-a', 'zone-a'], ['zone-b', 'zone-c', 'zone-a']]);
    expect(events).toEqual([{ type: 'Normal', reason: 'TopologyAwareHintsEnabled', message: 'Topology Aware Hints has been enabled, addressType: IPv4' }]);
    // a second sync with hints already populated records no event
    expect(c.addHints({ serviceKey: 'ns/svc', addressType: 'IPv4', toUpdate: [[ep('zone-a'), ep('zone-b'), ep('zone-c')]], unchanged: [] })).toEqual([]);
  });

  it('"2 ready, 1 unready, 1 unknown endpoints": only ready endpoints are hinted and counted', () => {
    const c = new TopologyCache();
    c.setNodes([node('a', 'zone-a', '450m'), node('b', 'zone-b', '550m')]);
    const s = [ep('zone-a'), ep('zone-b'), { ...ep('zone-b', false), forZones: ['zone-b'] }];
    c.addHints({ serviceKey: 'ns/svc', addressType: 'IPv4', toUpdate: [s], unchanged: [] });
    expect(s.map((e) => e.forZones)).toEqual([['zone-a'], ['zone-b'], undefined]);
  });

  it('"2 endpoints, zone ratios require 3": Insufficient number of endpoints, hints removed', () => {
    const c = new TopologyCache();
    c.setNodes([node('a', 'zone-a', '3'), node('b', 'zone-b', '4'), node('c', 'zone-c', '3')]);
    const s = [{ ...ep('zone-a'), forZones: ['zone-a'] }, ep('zone-b')];
    const events = c.addHints({ serviceKey: 'ns/svc', addressType: 'IPv4', toUpdate: [s], unchanged: [] });
    expect(events).toEqual([{ type: 'Warning', reason: 'TopologyAwareHintsDisabled', message: 'Insufficient number of endpoints (2 endpoints, 3 zones), addressType: IPv4' }]);
    expect(s.map((e) => e.forZones)).toEqual([undefined, undefined]);
  });

  it('SetNodes: a node without zone or CPU voids the ratios; not-ready and control-plane nodes are skipped', () => {
    const insufficient = 'Insufficient Node information: allocatable CPU or zone not specified on one or more nodes, addressType: IPv6';
    const run = (nodes: Node[]) => {
      const c = new TopologyCache();
      c.setNodes(nodes);
      return c.addHints({ serviceKey: 'ns/svc', addressType: 'IPv6', toUpdate: [[ep('zone-a'), ep('zone-b')]], unchanged: [] })[0].message;
    };
    expect(run([])).toBe(insufficient);
    expect(run([node('a', 'zone-a', '1')])).toBe(insufficient); // one zone only
    expect(run([node('a', 'zone-a', '1'), node('b', 'zone-b', '1'), node('c', undefined, '1')])).toBe(insufficient);
    expect(run([node('a', 'zone-a', '1'), node('b', 'zone-b', '0')])).toBe(insufficient);
    expect(run([node('a', 'zone-a', '1'), node('b', 'zone-b', '1'), node('c', undefined, '1', 'False')])).toBe('Topology Aware Hints has been enabled, addressType: IPv6');
    expect(run([node('a', 'zone-a', '1'), node('b', 'zone-b', '1'), node('cp', undefined, '1', 'True', { 'node-role.kubernetes.io/control-plane': '' })])).toBe('Topology Aware Hints has been enabled, addressType: IPv6');
  });

  it('GetOverloadedServices: a Service some zone is now short of endpoints for', () => {
    const c = new TopologyCache();
    c.setNodes([node('a', 'zone-a', '1'), node('b', 'zone-b', '1')]);
    c.addHints({ serviceKey: 'ns/svc', addressType: 'IPv4', toUpdate: [[ep('zone-a'), ep('zone-b')]], unchanged: [] });
    expect(c.getOverloadedServices()).toEqual([]);
    c.setNodes([node('a', 'zone-a', '1'), node('b', 'zone-b', '1'), node('c', 'zone-c', '1')]);
    expect(c.getOverloadedServices()).toEqual(['ns/svc']);
  });

  it('cpuMilli reads resource.Quantity CPU forms, rounding up to a millicore', () => {
    expect([cpuMilli('2'), cpuMilli('1500m'), cpuMilli('0.1'), cpuMilli('1e3'), cpuMilli('1k'), cpuMilli(undefined), cpuMilli('x')]).toEqual([2000, 1500, 100, 1000000, 1000000, 0, 0]);
  });
});
