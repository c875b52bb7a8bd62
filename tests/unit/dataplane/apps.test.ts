/**
 * What listens where, by image (the convention documented in engine/dataplane/apps.ts),
 * and what the servers answer.
 */
import { describe, expect, it } from 'vitest';
import { pod, sim } from './fixtures';
import { containerListeners, nginxVersion, NGINX_INDEX_HTML, nginxErrorPage } from '../../../engine/dataplane/apps';
import { reach } from '../../../engine/dataplane/walk';
import { run } from '../../golden/traffic/harness';

const ports = (c: Parameters<typeof containerListeners>[0]) => containerListeners(c).map((l) => `${l.proto}/${l.port}`);

describe('listeners by image', () => {
  it('known servers listen on their real port whatever containerPort says', () => {
    expect(ports({ name: 'a', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] })).toEqual(['tcp/80']);
    expect(ports({ name: 'a', image: 'nginxinc/nginx-unprivileged:1.27' })).toEqual(['tcp/8080']);
    expect(ports({ name: 'a', image: 'httpd:2.4' })).toEqual(['tcp/80']);
    expect(ports({ name: 'a', image: 'hashicorp/http-echo', args: ['-listen=:9090', '-text=hi'] })).toEqual(['tcp/9090']);
    expect(ports({ name: 'a', image: 'registry.k8s.io/e2e-test-images/agnhost:2.52', args: ['netexec', '--http-port=8080', '--udp-port=8081'] })).toEqual(['tcp/8080', 'udp/8081']);
    expect(ports({ name: 'a', image: 'registry.k8s.io/coredns/coredns:v1.11.3' })).toEqual(['udp/53', 'tcp/53', 'tcp/8080', 'tcp/8181', 'tcp/9153']);
    expect(ports({ name: 'a', image: 'redis:7.4' })).toEqual(['tcp/6379']);
  });
  it('client images listen on nothing unless their command starts a server', () => {
    expect(ports({ name: 'a', image: 'busybox:1.36', command: ['sleep', '3600'], ports: [{ containerPort: 80 }] })).toEqual([]);
    expect(ports({ name: 'a', image: 'busybox:1.36', command: ['sh', '-c', 'nc -lk -p 9000 -e cat'] })).toEqual(['tcp/9000']);
    expect(ports({ name: 'a', image: 'busybox:1.36', command: ['httpd', '-f', '-p', '8000'] })).toEqual(['tcp/8000']);
  });
  it('netshoot: iperf3 -s on 5201 or -p N, socat TCP-LISTEN/UDP-LISTEN; only where the image ships the tool', () => {
    const shoot = 'nicolaka/netshoot:v0.13';
    expect(ports({ name: 'a', image: shoot, args: ['iperf3', '-s'] })).toEqual(['tcp/5201']);
    expect(ports({ name: 'a', image: shoot, command: ['iperf3'], args: ['--server', '--port', '5300'] })).toEqual(['tcp/5300']);
    expect(ports({ name: 'a', image: shoot, command: ['sh', '-c', 'iperf3 -s -p5400 --forceflush'] })).toEqual(['tcp/5400']);
    expect(ports({ name: 'a', image: shoot, command: ['sh', '-c', 'iperf3 -1Ds --port=5500'] })).toEqual(['tcp/5500']);
    // a client, a port iperf3 refuses: no server
    expect(ports({ name: 'a', image: shoot, args: ['iperf3', '-c', 'srv'] })).toEqual([]);
    expect(ports({ name: 'a', image: shoot, args: ['iperf3', '-s', '-p', '0'] })).toEqual([]);
    expect(containerListeners({ name: 'a', image: shoot, args: ['iperf3', '-s'] })[0].app).toBe('iperf3');
    expect(ports({ name: 'a', image: shoot, command: ['socat', 'TCP-LISTEN:8080,fork,reuseaddr', 'TCP:web:80'] })).toEqual(['tcp/8080']);
    expect(ports({ name: 'a', image: shoot, command: ['sh', '-c', 'socat -v UDP4-LISTEN:9999 -'] })).toEqual(['udp/9999']);
    // busybox has neither iperf3 nor socat: the exec fails, nothing listens
    expect(ports({ name: 'a', image: 'busybox:1.36', args: ['iperf3', '-s'] })).toEqual([]);
    expect(ports({ name: 'a', image: 'busybox:1.36', command: ['socat', 'TCP-LISTEN:8080', '-'] })).toEqual([]);
  });
  it('*api* / *backend* images serve JSON on their declared ports (8080 if none); others on their declared ports', () => {
    expect(ports({ name: 'a', image: 'ghcr.io/acme/orders-api:2', ports: [{ containerPort: 3000 }] })).toEqual(['tcp/3000']);
    expect(ports({ name: 'a', image: 'acme/backend' })).toEqual(['tcp/8080']);
    expect(ports({ name: 'a', image: 'acme/shop:1', ports: [{ containerPort: 5000 }, { containerPort: 5353, protocol: 'UDP' }] })).toEqual(['tcp/5000', 'udp/5353']);
    expect(containerListeners({ name: 'a', image: 'acme/widget', env: [{ name: 'NETLAB_APP', value: 'json' }] })[0].app).toBe('json-api');
  });
  it('nginx versions follow the image tag', () => {
    expect(nginxVersion('nginx').version).toBe('1.27.3');
    expect(nginxVersion('nginx:1.25').version).toBe('1.25.5');
    expect(nginxVersion('nginx:1.25.3-alpine').version).toBe('1.25.3');
    expect(nginxVersion('nginx:stable').version).toBe('1.26.2');
  });
  it('the welcome page is 615 bytes; error pages are nginx\'s CRLF pages', () => {
    expect(NGINX_INDEX_HTML.length).toBe(615);
    expect(nginxErrorPage(404, null)).toBe('<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n');
    expect(nginxErrorPage(404, null).length).toBe(146);
  });
});

describe('answers', () => {
  const s = sim({ cni: 'calico' }, [
    pod('default', 'api', 'node-1', '10.244.0.60', 'acme/orders-api:2', { app: 'api' }, { containers: [{ name: 'api', image: 'acme/orders-api:2', ports: [{ containerPort: 3000 }] }] }),
    pod('default', 'wrongport', 'node-1', '10.244.0.61', 'nginx:1.27', {}, { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] }] }),
    pod('default', 'client', 'node-2', '10.244.1.60', 'curlimages/curl:8.11.1'),
    pod('default', 'httpd', 'node-2', '10.244.1.61', 'httpd:2.4'),
    pod('default', 'db', 'node-2', '10.244.1.62', 'redis:7.4'),
  ]);
  const client = { kind: 'pod' as const, namespace: 'default', pod: 'client', container: 'main' };
  it('the JSON service answers /health', () => {
    expect(run(s, client, 'curl -s http://10.244.0.60:3000/health').stdout).toBe('{"status":"ok"}\n');
  });
  it('nginx declared on 8080 is refused there and answers on 80', () => {
    expect(reach(s.cluster, client, '10.244.0.61', 8080).outcome).toBe('refused');
    expect(reach(s.cluster, client, '10.244.0.61', 80).outcome).toBe('delivered');
  });
  it('httpd says It works!', () => {
    expect(run(s, client, 'curl -s http://10.244.1.61').stdout).toBe('<html><body><h1>It works!</h1></body></html>\n');
  });
  it('a non-HTTP server closes the connection: curl (52)', () => {
    expect(run(s, client, 'curl -sS http://10.244.1.62:6379')).toEqual({ stdout: '', stderr: 'curl: (52) Empty reply from server\n', exitCode: 52 });
  });
  it('nginx writes the access line with the address it saw', () => {
    run(s, client, 'curl -s http://10.244.0.61/');
    const logs = s.cluster.logs;
    const lines = logs.read('default', 'wrongport', 'web');
    expect(lines[lines.length - 1]).toMatch(/^10\.244\.1\.60 - - \[15\/Jan\/2025:09:00:\d\d \+0000\] "GET \/ HTTP\/1\.1" 200 615 "-" "curl\/8\.11\.1" "-"$/);
  });
});
