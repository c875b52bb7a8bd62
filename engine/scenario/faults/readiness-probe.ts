/**
 * The Deployment's readiness probe asks port 8080, where nothing in the Pod listens (nginx
 * serves 80): the kubelet's connection is refused at every period, every Pod is Running
 * but never Ready, the EndpointSlice marks them not ready and no proxy sends them traffic.
 * Nothing restarts: a readiness probe only gates traffic.
 */
import { appContainer, json, nsFlag } from './manifests';
import type { Fault } from './types';

export const readinessProbe: Fault = {
  id: 'readiness-probe',
  layer: 'readiness',
  description: 'the readiness probe asks port 8080, where nothing in the Pod listens',
  breaks: ['in-cluster', 'public'],
  manifests(objects, ctx) {
    const c = appContainer(objects, ctx);
    const probe = c.readinessProbe;
    if (!probe?.httpGet) throw new Error(`Deployment ${ctx.target.deployment}'s container needs an httpGet readinessProbe to break`);
    c.readinessProbe = { ...probe, httpGet: { ...probe.httpGet, path: '/healthz', port: 8080 } };
  },
  fix(ctx) {
    const probe = appContainer(ctx.original, ctx).readinessProbe;
    return {
      commands: [
        `kubectl${nsFlag(ctx)} patch deployment ${ctx.target.deployment} --type=json -p '${json([{ op: 'add', path: '/spec/template/spec/containers/0/readinessProbe', value: probe }])}'`,
        `kubectl${nsFlag(ctx)} rollout status deployment ${ctx.target.deployment}`,
      ],
    };
  },
};
