/**
 * The golden tests' cluster: two nodes, nginx behind Service web (10.96.12.3), an
 * http-echo behind echo, a Service without endpoints (10.96.0.5), client pods of the
 * images whose tools we print (busybox, curlimages/curl, netshoot), CoreDNS.
 */
import type { HostRef } from '../../../engine/types';
import { dnsLayer, pod, sim, svc } from '../../unit/dataplane/fixtures';

export function cluster(cni: 'calico' | 'flannel' = 'calico', proxyMode: 'iptables' | 'ipvs' = 'iptables', seed = 7) {
  return sim({ cni, proxyMode }, [
    ...dnsLayer(),
    pod('default', 'web-7d4b9c8f5-x2kqp', 'node-1', '10.244.0.55', 'nginx:1.27.3', { app: 'web' }),
    pod('default', 'echo-5f6d8c7b9-h4j7k', 'node-2', '10.244.1.59', 'hashicorp/http-echo:1.0', { app: 'echo' }, {
      containers: [{ name: 'echo', image: 'hashicorp/http-echo:1.0', args: ['-text=hello from echo'] }],
    }),
    pod('default', 'bb', 'node-2', '10.244.1.57', 'busybox:1.36'),
    pod('default', 'curl', 'node-1', '10.244.0.58', 'curlimages/curl:8.11.1'),
    pod('default', 'shoot', 'node-2', '10.244.1.62', 'nicolaka/netshoot:v0.13'),
    ...svc('default', 'web', '10.96.12.3', [['10.244.0.55', 'node-1', 'web-7d4b9c8f5-x2kqp']], [{ port: 80, targetPort: 80 }]),
    ...svc('default', 'echo', '10.96.12.4', [['10.244.1.59', 'node-2', 'echo-5f6d8c7b9-h4j7k']], [{ port: 80, targetPort: 5678 }]),
    ...svc('default', 'broken', '10.96.0.5', [], [{ port: 80, targetPort: 8080 }]),
  ], seed);
}

export const bb: HostRef = { kind: 'pod', namespace: 'default', pod: 'bb', container: 'main' };
export const curlPod: HostRef = { kind: 'pod', namespace: 'default', pod: 'curl', container: 'main' };
export const shoot: HostRef = { kind: 'pod', namespace: 'default', pod: 'shoot', container: 'main' };
export const ws: HostRef = { kind: 'workstation' };
