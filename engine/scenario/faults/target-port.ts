/**
 * The Service's targetPort is 8080 where the app listens on 80: the EndpointSlice lists
 * ready Pods on port 8080, kube-proxy DNATs to it, and the Pod's kernel answers RST
 * (curl: Connection refused); through the Ingress, nginx gets no upstream answer (502).
 */
import { findManifest, json, nsFlag } from './manifests';
import type { Fault } from './types';

export const WRONG_TARGET_PORT = 8080;

export const targetPort: Fault = {
  id: 'target-port',
  layer: 'service',
  description: `the Service's targetPort is ${WRONG_TARGET_PORT}, a port the app does not listen on`,
  breaks: ['in-cluster', 'public'],
  manifests(objects, ctx) {
    const svc = findManifest(objects, 'Service', ctx.target.service, ctx.target.namespace);
    const port = svc.spec?.ports?.[0];
    if (!port) throw new Error(`Service ${ctx.target.service} has no port to break`);
    port.targetPort = WRONG_TARGET_PORT;
  },
  fix(ctx) {
    const svc = findManifest(ctx.original, 'Service', ctx.target.service, ctx.target.namespace);
    const original = svc.spec?.ports?.[0]?.targetPort ?? svc.spec?.ports?.[0]?.port;
    return { commands: [`kubectl${nsFlag(ctx)} patch service ${ctx.target.service} --type=json -p '${json([{ op: 'replace', path: '/spec/ports/0/targetPort', value: original }])}'`] };
  },
};
