/**
 * The Deployment's readiness probe asks for a path the app does not serve (nginx answers
 * 404): every Pod is Running but never Ready, so the EndpointSlice marks them not ready
 * and no proxy sends them traffic. Nothing restarts: a readiness probe only gates traffic.
 */
import { appContainer, json, nsFlag } from './manifests';
import type { Fault } from './types';

export const readinessProbe: Fault = {
  id: 'readiness-probe',
  layer: 'readiness',
  description: 'the readiness probe asks for /healthz, which the app answers with 404',
  breaks: ['in-cluster', 'public'],
  manifests(objects, ctx) {
    const c = appContainer(objects, ctx);
    const probe = c.readinessProbe;
    if (!probe?.httpGet) throw new Error(`Deployment ${ctx.target.deployment}'s container needs an httpGet readinessProbe to break`);
    c.readinessProbe = { ...probe, httpGet: { ...probe.httpGet, path: '/healthz' } };
  },
  fix(ctx) {
    const probe = appContainer(ctx.original, ctx).readinessProbe;
    return {
      commands: [
        `kubectl${nsFlag(ctx)} patch deployment ${ctx.target.deployment} --type=json -p '${json([{ op: 'replace', path: '/spec/template/spec/containers/0/readinessProbe', value: probe }])}'`,
        `kubectl${nsFlag(ctx)} rollout status deployment ${ctx.target.deployment}`,
      ],
    };
  },
};
