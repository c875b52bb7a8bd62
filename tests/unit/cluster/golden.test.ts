/**
 * Whole stored objects, pinned: a Deployment with a named-port readiness probe and its
 * NodePort Service, five minutes after the scenario created them (seed 1). Field names
 * and shapes follow what the real API returns for the same objects (k8s.io/api types;
 * status as kubelet 1.34 and the deployment/endpoint/endpointslice controllers write it: pods
 * carry metadata.generation and observedGeneration, templates no creationTimestamp: null).
 * UPDATE_GOLDEN=1 rewrites golden/web.json.
 * Regenerate golden/web.json only after checking a diff field by field.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';

const SCENARIO = `
objects:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web, labels: { app: web } }
    spec:
      replicas: 2
      selector: { matchLabels: { app: web } }
      template:
        metadata: { labels: { app: web } }
        spec:
          containers:
            - name: web
              image: nginx:1.27
              ports: [{ name: http, containerPort: 80 }]
              readinessProbe: { httpGet: { path: /, port: http }, initialDelaySeconds: 5 }
  - apiVersion: v1
    kind: Service
    metadata: { name: web }
    spec: { type: NodePort, selector: { app: web }, ports: [{ port: 80, targetPort: http }] }
`;

describe('golden objects', () => {
  it('matches golden/web.json', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const got = {
      deployment: sim.get('Deployment', 'default', 'web'),
      replicaset: sim.list('ReplicaSet', 'default')[0],
      pod: sim.list('Pod', 'default')[0],
      service: sim.get('Service', 'default', 'web'),
      endpoints: sim.get('Endpoints', 'default', 'web'),
      endpointslice: sim.list('EndpointSlice', 'default').find((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'web'),
      node: sim.get('Node', undefined, 'node-1'),
    };
    if (process.env.UPDATE_GOLDEN) writeFileSync(join(__dirname, 'golden', 'web.json'), JSON.stringify(got, null, 2) + '\n');
    const want = JSON.parse(readFileSync(join(__dirname, 'golden', 'web.json'), 'utf8'));
    expect(JSON.parse(JSON.stringify(got))).toEqual(want);
  });
});
