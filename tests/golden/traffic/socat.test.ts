/**
 * Golden outputs of socat as a client (netshoot's socat), through the packet walk nc and curl
 * use. Texts read in socat's sources (1.7.3.3, github 3ndG4me/socat: socat.c, error.c,
 * xio-socket.c, xio-ip.c; the 1.8 sources were not at hand to compare). Diagnostics as socat prints them (error.c: `%Y/%m/%d %H:%M:%S socat[PID] E …`):
 * sycls.c's `connect(5, AF=2 IP:PORT, 16): <strerror>` on refusal, on the kernel's SYN
 * give-up (no connect timeout by default) and on no route; xio-ip.c xiogetaddrinfo's
 * `getaddrinfo("%s", "%s", {%d,%d,%d,%d}, {}): %s` (AI_PASSIVE; musl's gai_strerror "Name
 * does not resolve"); socat.c's `exactly 2 addresses required (there are %d); use option
 * "-h" for help`. `-v` is socat.c xiotransfer's `> DATE.USEC  length=N from=A to=B` with CR as `\r`.
 * An HTTP request on stdin gets the app's reply as it came off the socket (nginx answers an
 * HTTP/1.0 request with Connection: close).
 */
import { describe, it } from 'vitest';
import { cluster, shoot } from './scenario';
import { argv } from './harness';
import { golden } from '../../unit/dns/golden';
import { socatCommand } from '../../../engine/commands/net/traffic/socat';
import type { RunResult } from '../../../engine/types';

describe('socat - ADDRESS (client)', () => {
  // One simulation, the commands in order: the virtual clock advances as in a session.
  const s = cluster('calico', 'iptables');
  const cases: [string, string, string][] = [
    ['http-get.txt', 'socat - TCP:web:80', 'GET / HTTP/1.0\r\n\r\n'],
    ['http-head-verbose.txt', 'socat -v - TCP4:web.default.svc.cluster.local:80', 'HEAD / HTTP/1.0\r\nHost: web\r\n\r\n'],
    ['refused.txt', 'socat - TCP:broken:80', ''],
    ['timeout.txt', 'socat - TCP:10.1.2.3:80', ''],
    ['nxdomain.txt', 'socat - TCP:nope:80', ''],
    ['udp.txt', 'socat - UDP:kube-dns.kube-system:53', 'x'],
    ['udp-verbose-no-newline.txt', 'socat -v - UDP4:kube-dns.kube-system:53', 'a\tb\\c'],
    ['listen-forward.txt', 'socat TCP-LISTEN:8080,fork TCP:web:80', ''],
    ['one-address.txt', 'socat -', ''],
    ['half-close-time.txt', 'socat -t 1 -T5 - TCP:broken:80', ''],
    ['unknown-option.txt', 'socat -Z - TCP:web:80', ''],
  ];
  for (const [file, line, stdin] of cases) {
    it(line, () => {
      const [, ...args] = argv(line);
      const ctx = { ...s.shell.contextFor(shoot, 'socat', { cwd: '/', interactive: false }), stdin };
      const r = socatCommand.run(args, ctx) as RunResult;
      golden(`traffic/socat/${file}`, r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`);
    });
  }
});
