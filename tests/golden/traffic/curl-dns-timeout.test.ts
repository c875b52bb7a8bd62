/**
 * curl when egress policy drops DNS: the nameserver never answers, so curl sits in its
 * resolving state. Without a limit the resolver gives up (timeout:5 × attempts:2) and curl
 * reports CURLE_COULDNT_RESOLVE_HOST (6); with --max-time or --connect-timeout shorter than
 * that, curl's own timer fires first and multi_handle_timeout() (lib/multi.c) prints
 * "Resolving timed out after N milliseconds" with CURLE_OPERATION_TIMEDOUT (28).
 */
import { describe, expect, it } from 'vitest';
import { cluster, curlPod } from './scenario';
import { run } from './harness';

describe('curl with DNS dropped by an egress policy (Calico enforces it)', () => {
  const s = cluster('calico', 'iptables');
  s.api.create({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'web-only', namespace: 'default' },
    spec: {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ ports: [{ protocol: 'TCP', port: 80 }] }],
    },
  });

  it('resolution is really blocked, not refused', () => {
    const r = run(s, curlPod, 'curl -sS http://echo');
    expect(r).toEqual({ stdout: '', stderr: 'curl: (6) Could not resolve host: echo\n', exitCode: 6 });
  });

  it('--max-time shorter than the resolver: exit 28 while resolving', () => {
    const r = run(s, curlPod, 'curl -sS --max-time 3 http://echo');
    expect(r.exitCode).toBe(28);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^curl: \(28\) Resolving timed out after 300[1-3] milliseconds\n$/);
  });

  it('--connect-timeout covers the resolving phase too', () => {
    const r = run(s, curlPod, 'curl -sS --connect-timeout 2 http://echo');
    expect(r.exitCode).toBe(28);
    expect(r.stderr).toMatch(/^curl: \(28\) Resolving timed out after 200[1-3] milliseconds\n$/);
  });

  it('a limit longer than the resolver changes nothing: exit 6', () => {
    expect(run(s, curlPod, 'curl -sS --max-time 30 http://echo')).toEqual({ stdout: '', stderr: 'curl: (6) Could not resolve host: echo\n', exitCode: 6 });
  });
});
