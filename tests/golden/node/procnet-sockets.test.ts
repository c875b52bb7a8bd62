/**
 * /proc/net/tcp, tcp6, udp, udp6 on a node and in containers: the sockets ss lists, in the
 * kernel's format.
 *
 * Upstream (Linux 5.15): net/ipv4/tcp_ipv4.c tcp4_seq_show (seq_setwidth(seq, TMPSZ - 1): the
 * header and every row padded to 149 columns) and get_tcp4_sock ("%4d: %08X:%04X %08X:%04X %02X
 * %08X:%08X %02X:%08lX %08X %5u %8d %lu %d %pK %lu %lu %u %u %d"); net/ipv6/tcp_ipv6.c
 * tcp6_seq_show / get_tcp6_sock (four %08X words per address, no padding); net/ipv4/udp.c
 * udp4_seq_show (seq_setwidth 127, "   sl  local_address … inode ref pointer drops") and
 * udp4_format_sock ("%5d: …", sl the hash slot); net/ipv6/datagram.c __ip6_dgram_sock_seq_show;
 * include/net/tcp_states.h (0A LISTEN, 01 ESTABLISHED, 07 CLOSE); lib/vsprintf.c restricted_pointer
 * (%pK: zeros without CAP_SYSLOG). The `netstat`-less recipe: `cat /proc/net/tcp`, port 0050 = 80.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';
import { NODE_SCENARIO } from './runtime-scenario';

describe('/proc/net/tcp and friends', () => {
  it('a container and a node list the sockets ss lists', () => {
    const sim = createSimulation(NODE_SCENARIO, { seed: 1 });
    const lines = [
      'kubectl exec web -- cat /proc/net/tcp',
      'kubectl exec web -- cat /proc/net/tcp6',
      'kubectl exec web -- cat /proc/net/udp',
      'kubectl exec bb -- cat /proc/net/tcp',
      'ssh node-1 cat /proc/net/tcp',
      'ssh node-1 cat /proc/net/tcp6',
      'ssh node-1 cat /proc/net/udp',
      'ssh node-1 cat /proc/net/udp6',
    ];
    golden('node/runtime/procnet-sockets.txt', lines.map((l) => `$ ${l}\n` + sim.run(l).stdout + sim.run(l).stderr).join(''));
  });

  it('every listening port ss shows is a 0A row of /proc/net/tcp or tcp6, with the same inode on every read', () => {
    const sim = createSimulation(NODE_SCENARIO, { seed: 1 });
    const ports = (text: string) => [...text.matchAll(/^\s*\d+: [0-9A-F]+:([0-9A-F]{4}) [0-9A-F]+:0000 0A /gm)].map((m) => parseInt(m[1], 16));
    // (nginx's image has no ss: its rows are pinned by the golden above)
    for (const [host, prefix] of [['node-1', 'ssh node-1']]) {
      const ss = sim.run(`${prefix} ss -ltn`).stdout.trim().split('\n').slice(1).map((l) => Number(l.split(/\s+/)[3].split(':').pop()));
      const proc = [...ports(sim.run(`${prefix} cat /proc/net/tcp`).stdout), ...ports(sim.run(`${prefix} cat /proc/net/tcp6`).stdout)];
      expect([...proc].sort((a, b) => a - b), host).toEqual([...ss].sort((a, b) => a - b));
    }
    // only the keepalive timers (tm->when) move between two reads; inodes and the rest stay
    const still = (t: string) => t.replace(/ 02:[0-9A-F]{8} /g, ' 02:-------- ');
    expect(still(sim.run('ssh node-1 cat /proc/net/tcp').stdout)).toBe(still(sim.run('ssh node-1 cat /proc/net/tcp').stdout));
    for (const l of sim.run('kubectl exec web -- cat /proc/net/tcp').stdout.split('\n').filter(Boolean)) expect(l.length).toBe(149);
  });
});
