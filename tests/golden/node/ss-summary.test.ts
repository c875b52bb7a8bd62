/**
 * `ss -s`: iproute2 misc/ss.c print_summary ("Total: %d", "TCP:   %d (estab %d, closed %d,
 * orphaned %d, timewait %d)", the "Transport Total     IP        IPv6" table with
 * "%-9d %-9d %-9d" after a tab and two spaces) over /proc/net/sockstat{,6}; main() exits
 * after the summary unless -t/-u asked for a table too. The counts are the namespace's
 * sockets in the simulation: a node's daemons (11 IPv4, 5 dual-stack AF_INET6; on Calico the
 * IPv4 ones include BIRD's 0.0.0.0:179 and Felix's health port 127.0.0.1:9099), netshoot's
 * `nc -lk -p 9000` (one AF_INET6 socket).
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
Total: 16
TCP:   16 (estab 0, closed 0, orphaned 0, timewait 0)

Transport Total     IP        IPv6
RAW\t  0         0         0        
UDP\t  0         0         0        
TCP\t  16        11        5        
INET\t  16        11        5        
FRAG\t  0         0         0        

[exit 0]
$ ssh node-1 ss -stn
Total: 16
TCP:   16 (estab 0, closed 0, orphaned 0, timewait 0)

Transport Total     IP        IPv6
RAW\t  0         0         0        
UDP\t  0         0         0        
TCP\t  16        11        5        
INET\t  16        11        5        
FRAG\t  0         0         0        

State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess
[exit 0]
`);
});
