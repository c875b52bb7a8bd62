/**
 * Defaulting as the API server does it (pkg/apis/core/v1/defaults.go, the service and
 * pod registry strategies, ServiceAccount and DefaultTolerationSeconds admission), so
 * `kubectl get -o yaml` shows what a real cluster shows.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';

describe('defaults', () => {
  it('fills in a Service', () => {
    const s = createSimulation(null, { seed: 3 });
    const svc = s.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    const { clusterIP, clusterIPs, ...rest } = svc.spec;
    expect(clusterIPs).toEqual([clusterIP]);
    expect(rest).toEqual({
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    });
    expect(svc.status).toEqual({ loadBalancer: {} });
    const np = s.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'np' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } });
    expect(np.spec.externalTrafficPolicy).toBe('Cluster');
    expect(np.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(np.spec.ports[0].nodePort).toBeLessThanOrEqual(32767);
    expect(np.spec.ports[0].targetPort).toBe('http');
  });

  it('fills in a Pod', () => {
    const s = createSimulation(null, { seed: 3 });
    const pod = s.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'web', image: 'nginx' }, { name: 'side', image: 'busybox:1.36', command: ['sleep', '3600'] }] } });
    const vol = pod.spec.volumes[0].name as string;
    expect(vol).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(pod.spec.containers[0]).toEqual({
      name: 'web',
      image: 'nginx',
      imagePullPolicy: 'Always',
      resources: {},
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      volumeMounts: [{ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: vol, readOnly: true }],
    });
    expect(pod.spec.containers[1].imagePullPolicy).toBe('IfNotPresent');
    const { containers: _c, volumes: _v, ...rest } = pod.spec;
    void _c;
    void _v;
    expect(rest).toEqual({
      serviceAccountName: 'default',
      serviceAccount: 'default',
      tolerations: [
        { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
        { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
      ],
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
    });
    expect(pod.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('fills in a Deployment and a NetworkPolicy', () => {
    const s = createSimulation(null, { seed: 3 });
    const d = s.api.create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } });
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.revisionHistoryLimit).toBe(10);
    expect(d.spec.progressDeadlineSeconds).toBe(600);
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    expect(d.metadata.generation).toBe(1);
    const np = s.api.create({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np' }, spec: { podSelector: {}, egress: [{ ports: [{ port: 53 }] }] } });
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.spec.egress[0].ports[0]).toEqual({ port: 53, protocol: 'TCP' });
  });
});

describe('Service type changes (dropTypeDependentFields)', () => {
  it('allocates and releases what each type needs', () => {
    const s = createSimulation(null, { seed: 3 });
    s.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    const ip = s.get('Service', 'default', 'web')!.spec.clusterIP;
    const up = (f: (o: Record<string, any>) => void) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const o = structuredClone(s.get('Service', 'default', 'web')!);
      f(o);
      return s.api.update(o);
    };
    const np = up((o) => (o.spec.type = 'NodePort'));
    expect(np.spec.clusterIP).toBe(ip);
    expect(np.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(np.spec.externalTrafficPolicy).toBe('Cluster');
    up((o) => (o.spec.type = 'LoadBalancer'));
    expect(s.get('Service', 'default', 'web')!.status.loadBalancer.ingress).toEqual([{ ip: '203.0.113.9', ipMode: 'VIP' }]);
    const back = up((o) => (o.spec.type = 'ClusterIP'));
    expect(back.spec.ports).toEqual([{ port: 80, protocol: 'TCP', targetPort: 80 }]);
    expect(back.spec.externalTrafficPolicy).toBeUndefined();
    expect(back.status).toEqual({ loadBalancer: {} });
    const ext = up((o) => {
      o.spec.type = 'ExternalName';
      o.spec.externalName = 'example.com';
    });
    expect(ext.spec.clusterIP).toBeUndefined();
    expect(ext.spec.clusterIPs).toBeUndefined();
    // the released address can be taken by someone else
    s.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'other' }, spec: { clusterIP: ip, ports: [{ port: 80 }] } });
    expect(s.get('Service', 'default', 'other')!.spec.clusterIP).toBe(ip);
  });
});
