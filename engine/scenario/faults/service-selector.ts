/**
 * The Service selects a label no Pod carries (`app: shop` became `app: shop-frontend`, as a
 * rename half-done would leave it): its EndpointSlice is empty, and kube-proxy rejects
 * connections to its ClusterIP; ingress-nginx has no upstream and answers 503.
 */
import { findManifest, json, nsFlag } from './manifests';
import type { Fault } from './types';

export const serviceSelector: Fault = {
  id: 'service-selector',
  layer: 'service',
  description: 'the Service selects a label value that no Pod of the Deployment carries',
  breaks: ['in-cluster', 'public'],
  manifests(objects, ctx) {
    const svc = findManifest(objects, 'Service', ctx.target.service, ctx.target.namespace);
    const sel = (svc.spec?.selector ?? {}) as Record<string, string>;
    const key = Object.keys(sel)[0];
    if (!key) throw new Error(`Service ${ctx.target.service} has no selector to break`);
    svc.spec!.selector = { ...sel, [key]: `${sel[key]}-frontend` };
  },
  fix(ctx) {
    const svc = findManifest(ctx.original, 'Service', ctx.target.service, ctx.target.namespace);
    return { commands: [`kubectl${nsFlag(ctx)} patch service ${ctx.target.service} -p '${json({ spec: { selector: svc.spec?.selector } })}'`] };
  },
};
