/**
 * `ss -s`: iproute2 misc/ss.c print_summary ("Total: %d", "TCP:   %d (estab %d, closed %d,
 * orphaned %d, timewait %d)", the "Transport Total     IP        IPv6" table with
 * "%-9d %-9d %-9d" after a tab and two spaces) over /proc/net/sockstat{,6}; main() exits
 * after the summary unless -t/-u asked for a table too. The counts are the namespace's
 * sockets in the simulation: a node's daemons (12 IPv4, 5 dual-stack AF_INET6; on Calico the
 * IPv4 ones include BIRD's 0.0.0.0:179 and Felix's health port 127.0.0.1:9099; systemd-resolved's
 * stub listens on 127.0.0.53 over TCP and UDP), netshoot's
 * `nc -lk -p 9000` (one AF_INET6 socket). node-1 is this cluster's control plane: its 19
 * established sockets are the cluster's own connections (dataplane/background.ts) — the
 * API server's accepted ones AF_INET6 (IPv4-mapped, on its `*:6443`), the rest IPv4.
 */
import { expect, it } from 'vitest';
import { cluster, type } from '../catalog/scenario';

it('ss -s in a Pod and on a node; ss -st adds the TCP table', () => {
  const sim = cluster('calico');
  const lines = ['kubectl exec shoot -- ss -s', 'ssh node-1 ss -s', 'ssh node-1 ss -stn'];
  expect(lines.map((l) => `$ ${l}\n${type(sim, l)}`).join('')).toBe(`$ kubectl exec shoot -- ss -s
Total: 1
TCP:   1 (estab 0, closed 0, orphaned 0, timewait 0)

Transport Total     IP        IPv6
RAW\t  0         0         0        
UDP\t  0         0         0        
TCP\t  1         0         1        
INET\t  1         0         1        
FRAG\t  0         0         0        

[exit 0]
$ ssh node-1 ss -s
Total: 36
TCP:   35 (estab 19, closed 0, orphaned 0, timewait 0)

Transport Total     IP        IPv6
RAW\t  0         0         0        
UDP\t  1         1         0        
TCP\t  35        20        15       
INET\t  36        21        15       
FRAG\t  0         0         0        

[exit 0]
$ ssh node-1 ss -stn
Total: 36
TCP:   35 (estab 19, closed 0, orphaned 0, timewait 0)

Transport Total     IP        IPv6
RAW\t  0         0         0        
UDP\t  1         1         0        
TCP\t  35        20        15       
INET\t  36        21        15       
FRAG\t  0         0         0        

State Recv-Q Send-Q         Local Address:Port           Peer Address:Port Process
ESTAB 0      0                  127.0.0.1:47339             127.0.0.1:2379        
ESTAB 0      0      [::ffff:192.168.49.2]:6443  [::ffff:192.168.49.2]:54455       
ESTAB 0      0               192.168.49.2:40048          192.168.49.2:6443        
ESTAB 0      0      [::ffff:192.168.49.2]:6443  [::ffff:192.168.49.3]:26697       
ESTAB 0      0               192.168.49.2:57444          192.168.49.2:6443        
ESTAB 0      0      [::ffff:192.168.49.2]:6443  [::ffff:192.168.49.3]:26875       
ESTAB 0      0      [::ffff:192.168.49.2]:6443  [::ffff:192.168.49.2]:57444       
ESTAB 0      0      [::ffff:192.168.49.2]:6443    [::ffff:10.244.0.1]:43351       
ESTAB 0      0                  127.0.0.1:2379              127.0.0.1:47339       
ESTAB 0      0      [::ffff:192.168.49.2]:6443  [::ffff:192.168.49.2]:34843       
ESTAB 0      0               192.168.49.2:179            192.168.49.3:60604       
ESTAB 0      0               192.168.49.2:42852          192.168.49.2:6443        
ESTAB 0      0      [::ffff:192.168.49.2]:6443  [::ffff:192.168.49.2]:42852       
ESTAB 0      0      [::ffff:192.168.49.2]:6443  [::ffff:192.168.49.3]:46591       
ESTAB 0      0               192.168.49.2:54455          192.168.49.2:6443        
ESTAB 0      0      [::ffff:192.168.49.2]:6443  [::ffff:192.168.49.3]:46901       
ESTAB 0      0               192.168.49.2:50781             10.96.0.1:443         
ESTAB 0      0      [::ffff:192.168.49.2]:6443  [::ffff:192.168.49.2]:40048       
ESTAB 0      0      [::ffff:192.168.49.2]:6443  [::ffff:192.168.49.3]:63756       
[exit 0]
`);
});
