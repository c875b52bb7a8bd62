import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createSimulation } from '../../../engine';
import { exportScenario, stripDefaults, stripServerFields, userObjects } from '../../../engine/scenario/export';

describe('exportScenario', () => {
  it('exports what a person created and rebuilds the same cluster from it', () => {
    const a = createSimulation('cluster:\n  cni: flannel\n  proxyMode: ipvs\n', { seed: 4 });
    a.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    a.api.create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } });
    a.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80 }] } });
    a.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', '3600'] }] } });
    a.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'fast' } });
    a.advance(10_000);
    const text = exportScenario(a);
    const doc = parse(text);
    expect(doc.cluster).toEqual({ cni: 'flannel', proxyMode: 'ipvs' });
    expect(doc.objects.map((o: { kind: string; metadata: { namespace?: string; name: string } }) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      'Namespace//shop',
      'ConfigMap//settings',
      'Deployment/shop/web',
      'Pod//client',
      'Service/shop/web',
    ]);
    // defaults the API server would put back are left out
    expect(doc.objects.find((o: { kind: string }) => o.kind === 'Service')).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: a.get('Service', 'shop', 'web')!.spec.ports[0].nodePort }], clusterIP: a.get('Service', 'shop', 'web')!.spec.clusterIP },
    });
    expect(doc.objects.find((o: { kind: string }) => o.kind === 'Deployment').spec).toEqual({ replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } });
    const client = doc.objects.find((o: { kind: string }) => o.kind === 'Pod');
    expect(client.metadata).toEqual({ name: 'client' });
    expect(client.status).toEqual({ podIP: a.get('Pod', 'default', 'client')!.status.podIP });
    expect(client.spec.volumes).toBeUndefined();

    const b = createSimulation(text, { seed: 4 });
    const strip = (s: typeof a) => userObjects(s).map((o) => stripDefaults(stripServerFields(o)));
    expect(strip(b)).toEqual(strip(a));
    expect(b.get('Service', 'shop', 'web')!.spec.ports[0].nodePort).toBe(a.get('Service', 'shop', 'web')!.spec.ports[0].nodePort);
    expect(b.get('Pod', 'default', 'client')!.spec.nodeName).toBe(a.get('Pod', 'default', 'client')!.spec.nodeName);
    expect(exportScenario(b)).toBe(text);
  });
});
