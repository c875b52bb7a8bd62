/**
 * The Ingress sends its host to the right Service but on port 8080, a port the Service
 * does not have: ingress-nginx finds no endpoints for that backend and answers 503.
 */
import { findManifest, json, nsFlag } from './manifests';
import type { Fault } from './types';

export const WRONG_BACKEND_PORT = 8080;

const PATH = '/spec/rules/0/http/paths/0/backend/service/port';

export const ingressBackendPort: Fault = {
  id: 'ingress-backend-port',
  layer: 'ingress',
  description: `the Ingress's backend names port ${WRONG_BACKEND_PORT} of the Service, which has no such port`,
  breaks: ['public'],
  needs: ['ingress'],
  manifests(objects, ctx) {
    const ing = findManifest(objects, 'Ingress', ctx.target.ingress!, ctx.target.namespace);
    const backend = ing.spec?.rules?.[0]?.http?.paths?.[0]?.backend?.service;
    if (!backend) throw new Error(`Ingress ${ctx.target.ingress} needs a first rule with a Service backend to break`);
    backend.port = { number: WRONG_BACKEND_PORT };
  },
  fix(ctx) {
    const ing = findManifest(ctx.original, 'Ingress', ctx.target.ingress!, ctx.target.namespace);
    const port = ing.spec?.rules?.[0]?.http?.paths?.[0]?.backend?.service?.port;
    return { commands: [`kubectl${nsFlag(ctx)} patch ingress ${ctx.target.ingress} --type=json -p '${json([{ op: 'replace', path: PATH, value: port }])}'`] };
  },
};
