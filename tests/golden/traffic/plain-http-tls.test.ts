/**
 * Plain HTTP sent to a port that speaks TLS, answered by whatever listens there:
 * - Go's net/http TLS servers (kube-apiserver, the kubelet): golang/go src/net/http/server.go
 *   (*conn).serve — a first record that tlsRecordHeaderLooksLikeHTTP gets a bare
 *   "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n";
 * - nginx (ingress-nginx's 443): its 497 page sent as 400, "The plain HTTP request was sent to
 *   HTTPS port" (src/http/ngx_http_special_response.c).
 */
import { describe, expect, it } from 'vitest';
import { cluster, curlPod, ws } from './scenario';
import { run } from './harness';

describe('plain HTTP to a TLS port', () => {
  const s = cluster('calico', 'iptables');
  it("kube-apiserver (through the kubernetes Service and on the node's 6443) answers as Go's net/http does", () => {
    expect(run(s, curlPod, 'curl -si http://kubernetes.default:443/')).toEqual({ stdout: 'HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n', stderr: '', exitCode: 0 });
    expect(run(s, ws, 'curl -s http://192.168.49.2:6443/')).toEqual({ stdout: 'Client sent an HTTP request to an HTTPS server.\n', stderr: '', exitCode: 0 });
    expect(run(s, ws, "curl -s -o /dev/null -w '%{http_code}' http://192.168.49.2:6443/").stdout).toBe('400');
  });
  it("the kubelet's 10250 too", () => {
    expect(run(s, curlPod, 'curl -si http://192.168.49.3:10250/pods')).toEqual({ stdout: 'HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n', stderr: '', exitCode: 0 });
  });
  it("busybox wget reports the status line as the server wrote it", () => {
    expect(run(s, { kind: 'pod', namespace: 'default', pod: 'bb', container: 'main' }, 'wget -qO- http://10.96.0.1:443/')).toEqual({ stdout: '', stderr: 'wget: server returned error: HTTP/1.0 400 Bad Request\n', exitCode: 1 });
  });
});
