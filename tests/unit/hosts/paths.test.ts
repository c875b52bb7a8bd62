/**
 * hosts/paths.ts: every program a host has is somewhere on its PATH, the path `which` gives
 * runs that same program, and the install directories follow the sources the file cites
 * (busybox 1_36_1's applet dirs, the Alpine APKBUILDs, usrmerged Debian/Ubuntu).
 */
import { describe, expect, it } from 'vitest';
import { pod, sim } from '../dataplane/fixtures';
import { hostTools } from '../../../engine/hosts/hosts';
import { PATH_DIRS, programAt, programPath } from '../../../engine/hosts/paths';
import type { HostRef } from '../../../engine/types';

const BUILTIN_ONLY = [':', 'alias', 'unalias', 'jobs', 'fg', 'wait', 'cd', 'exit', 'export', 'history', 'help', 'read', 'type', 'unset'];

describe('programs by path', () => {
  const images = ['busybox:1.36', 'alpine:3.19', 'curlimages/curl:8.11.1', 'nicolaka/netshoot:v0.13', 'nginx:1.27', 'httpd:2.4', 'registry.k8s.io/e2e-test-images/agnhost:2.52'];
  const s = sim({ cni: 'calico', proxyMode: 'iptables' }, images.map((image, i) => pod('default', `p${i}`, 'node-1', `10.244.0.${20 + i}`, image)), 1);
  const hosts: [string, HostRef][] = [
    ['workstation', { kind: 'workstation' }],
    ['node', { kind: 'node', node: 'node-1' }],
    ...images.map((image, i): [string, HostRef] => [image, { kind: 'pod', namespace: 'default', pod: `p${i}`, container: 'main' }]),
  ];
  for (const [what, host] of hosts) {
    it(`${what}: every installed program is on PATH, and its path runs it`, () => {
      const missing: string[] = [];
      for (const tool of hostTools(s, host)) {
        if (BUILTIN_ONLY.includes(tool) || tool === 'command') continue;
        const p = programPath(s, host, tool);
        if (!p) missing.push(tool);
        else {
          expect(programAt(s, host, p), `${tool} at ${p}`).toBe(tool);
          expect(PATH_DIRS.includes(p.slice(0, p.lastIndexOf('/'))) || p.startsWith('/usr/local/apache2/bin/'), p).toBe(true);
        }
      }
      expect(missing).toEqual([]);
    });
  }
  it('follows the sources: busybox --install /bin; Alpine applet dirs and APKBUILD paths; usrmerged Debian', () => {
    const at = (i: number, tool: string) => programPath(s, hosts[i][1], tool);
    expect([at(2, 'sh'), at(2, 'ip'), at(2, 'nc'), at(2, 'env')]).toEqual(['/bin/sh', '/bin/ip', '/bin/nc', '/usr/bin/env']);
    expect([programAt(s, hosts[2][1], '/bin/env'), programAt(s, hosts[2][1], '/usr/bin/wget')]).toEqual(['env', undefined]);
    expect([at(3, 'sh'), at(3, 'ip'), at(3, 'nc'), at(3, 'chroot'), at(3, 'wget')]).toEqual(['/bin/sh', '/sbin/ip', '/usr/bin/nc', '/usr/sbin/chroot', '/usr/bin/wget']);
    expect([at(5, 'bash'), at(5, 'ip'), at(5, 'iptables'), at(5, 'ping'), at(5, 'tcpdump'), at(5, 'conntrack'), at(5, 'calicoctl')]).toEqual(['/bin/bash', '/sbin/ip', '/sbin/iptables', '/bin/ping', '/usr/bin/tcpdump', '/usr/sbin/conntrack', '/usr/local/bin/calicoctl']);
    expect([at(6, 'curl'), at(6, 'nginx'), programAt(s, hosts[6][1], '/bin/ls'), programAt(s, hosts[6][1], '/usr/bin/ls')]).toEqual(['/usr/bin/curl', '/usr/sbin/nginx', 'ls', 'ls']);
    expect([at(0, 'kubectl'), at(1, 'iptables'), programAt(s, hosts[1][1], '/sbin/iptables')]).toEqual(['/usr/local/bin/kubectl', '/usr/sbin/iptables', 'iptables']);
  });
});
