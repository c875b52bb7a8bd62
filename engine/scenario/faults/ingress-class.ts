/**
 * The Ingress names an IngressClass no controller in the cluster serves (`traefik`, left
 * over from another cluster): ingress-nginx ignores it, writes no address into its status,
 * and answers the host with its default backend's 404.
 */
import { findManifest, json, nsFlag } from './manifests';
import type { Fault } from './types';

export const WRONG_CLASS = 'traefik';

export const ingressClass: Fault = {
  id: 'ingress-class',
  layer: 'ingress',
  description: `the Ingress asks for IngressClass ${WRONG_CLASS}, which no controller serves`,
  breaks: ['public'],
  needs: ['ingress'],
  manifests(objects, ctx) {
    const ing = findManifest(objects, 'Ingress', ctx.target.ingress!, ctx.target.namespace);
    ing.spec = { ...ing.spec, ingressClassName: WRONG_CLASS };
  },
  fix(ctx) {
    const ing = findManifest(ctx.original, 'Ingress', ctx.target.ingress!, ctx.target.namespace);
    return { commands: [`kubectl${nsFlag(ctx)} patch ingress ${ctx.target.ingress} --type=json -p '${json([{ op: 'replace', path: '/spec/ingressClassName', value: ing.spec?.ingressClassName ?? 'nginx' }])}'`] };
  },
};
