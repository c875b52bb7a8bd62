/**
 * /etc/os-release and /etc/alpine-release in each image the catalog knows, by tag
 * (engine/hosts/osrelease.ts).
 *
 * Upstream:
 * - alpinelinux/aports main/alpine-base/APKBUILD release(): /etc/alpine-release is $pkgver;
 *   os-release NAME, ID, VERSION_ID=$pkgver, PRETTY_NAME "Alpine Linux v$major.minor",
 *   HOME_URL and BUG_REPORT_URL (http without a slash in 3.8.0, https://bugs.alpinelinux.org/
 *   from 3.9/3.10, the aports GitLab issues from 3.16).
 * - curl/curl-docker alpine/latest/Dockerfile and curl/curl-container Makefile (`base=`):
 *   curl 8.5.0 pinned alpine 3.18.5, 8.11.1 alpine 3.21.0, 7.78.0 alpine 3.14.0.
 * - nicolaka/netshoot v0.13 Dockerfile: FROM alpine:3.19.1.
 * - nginx/docker-nginx mainline|stable/debian/Dockerfile: 1.27.x and 1.28.0 FROM
 *   debian:bookworm-slim, 1.19.x buster-slim, 1.11.x jessie; Debian base-files' os-release.
 * - docker-library busybox: no /etc/os-release; busybox cat's `can't open '%s': %s`.
 */
import { it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from './golden';

const pod = (name: string, image: string, sleep = true) => `
  - apiVersion: v1
    kind: Pod
    metadata: { name: ${name} }
    spec:
      nodeName: node-1
      containers: [{ name: ${name}, image: "${image}"${sleep ? ', command: [sleep, "3600"]' : ''} }]`;

const SCENARIO = `
cluster:
  cni: calico
  proxyMode: iptables
  nodes:
    - { name: node-1, ip: 192.168.49.2 }
objects:${pod('alpine', 'alpine:3.20')}${pod('alpine38', 'alpine:3.8.4')}${pod('alpine12', 'alpine:3.12.1')}${pod('curl', 'curlimages/curl:8.5.0')}${pod('curl7', 'curlimages/curl:7.78.0')}${pod('shoot', 'nicolaka/netshoot:v0.13')}${pod('web', 'nginx:1.27', false)}${pod('old', 'nginx:1.19.6', false)}${pod('older', 'nginx:1.11.5', false)}${pod('bb', 'busybox:1.36')}
`;

it('each image names its own release', () => {
  const sim = createSimulation(SCENARIO, { seed: 1 });
  sim.advance(30_000);
  let out = '';
  for (const l of [
    'kubectl exec alpine -- cat /etc/os-release /etc/alpine-release',
    'kubectl exec alpine38 -- cat /etc/os-release',
    'kubectl exec alpine12 -- cat /etc/os-release',
    'kubectl exec curl -- cat /etc/os-release /etc/alpine-release',
    'kubectl exec curl7 -- cat /etc/alpine-release',
    'kubectl exec shoot -- cat /etc/alpine-release',
    'kubectl exec web -- cat /etc/os-release',
    'kubectl exec old -- cat /etc/os-release',
    'kubectl exec older -- cat /etc/os-release',
    'kubectl exec bb -- cat /etc/os-release',
    'kubectl exec web -- cat /etc/alpine-release',
  ]) {
    const r = sim.run(l);
    out += `$ ${l}\n${r.stdout}${r.stderr ? `--- stderr\n${r.stderr}` : ''}--- exit ${r.exitCode}\n`;
  }
  golden('os-release', out);
});
