/**
 * The pcap-filter subset (engine/commands/net/tcpdump/filter.ts) against pcap-filter(7)'s
 * semantics: qualifiers default to `src or dst` and `host`, a bare ID continues the previous
 * primitive's qualifiers, `port` needs TCP or UDP, and a packet is matched on its outermost
 * header (an IPIP or VXLAN packet on eth0 is node-to-node traffic).
 */
import { describe, expect, it } from 'vitest';
import { FilterError, matches, parseFilter } from '../../../engine/commands/net/tcpdump/filter';
import type { WireEvent } from '../../../engine/commands/net/tcpdump/wire';

const resolve = (n: string) => ({ web: '10.96.0.20' })[n];
const f = (t: string) => parseFilter(t, { resolve })!;

function tcp(src: string, dst: string, sport: number, dport: number, encap?: WireEvent['encap']): WireEvent {
  return { us: 0, netns: 'node/n', iface: 'eth0', ifindex: 2, dir: 'Out', link: 'ether', srcMac: '', dstMac: '', encap, ip: { src, dst, ttl: 64, id: 0, l4: { kind: 'tcp', sport, dport, flags: 2, seq: 1, ack: 0, win: 1, options: '', optLen: 0, len: 0 } } };
}
function icmp(src: string, dst: string): WireEvent {
  return { us: 0, netns: 'node/n', iface: 'eth0', ifindex: 2, dir: 'Out', link: 'ether', srcMac: '', dstMac: '', ip: { src, dst, ttl: 64, id: 0, l4: { kind: 'icmp', type: 8, code: 0, id: 1, seq: 1, len: 64 } } };
}

const syn = tcp('10.244.0.4', '10.96.0.20', 40000, 80);
const ping = icmp('10.244.0.4', '10.244.1.4');
const ipip = tcp('10.244.0.4', '10.244.1.4', 40000, 80, { kind: 'ipip', src: '192.168.49.2', dst: '192.168.49.3' });
const vxlan = tcp('10.244.0.4', '10.244.1.4', 40000, 80, { kind: 'vxlan', src: '192.168.49.2', dst: '192.168.49.3', sport: 50000, dport: 8472, vni: 1 });

describe('pcap-filter subset', () => {
  it.each([
    ['port 80', syn, true],
    ['dst port 80', syn, true],
    ['src port 80', syn, false],
    ['tcp port 80', syn, true],
    ['udp port 80', syn, false],
    ['port 53 or 80', syn, true],
    ['port http', syn, true],
    ['portrange 70-90', syn, true],
    ['host 10.96.0.20', syn, true],
    ['host web', syn, true],
    ['src host 10.96.0.20', syn, false],
    ['src or dst host 10.244.0.4', syn, true],
    ['src and dst net 10.0.0.0/8', syn, true],
    ['net 10.244.0.0/16', syn, true],
    ['net 10.244', syn, true],
    ['dst net 10.244.0.0/16', syn, false],
    ['host 10.244.0.4 and not port 22', syn, true],
    ['!(tcp && port 80)', syn, false],
    ['icmp', ping, true],
    ['icmp or port 80', ping, true],
    ['port 80', ping, false],
    ['tcp', ping, false],
    ['ip', ping, true],
    ['ip6 or arp', ping, false],
    ['port 80', ipip, false],
    ['tcp', ipip, false],
    ['host 192.168.49.3', ipip, true],
    ['host 10.244.1.4', ipip, false],
    ['udp port 8472', vxlan, true],
    ['port 80', vxlan, false],
  ] as [string, WireEvent, boolean][])('%s', (expr, pkt, want) => {
    expect(matches(f(expr), pkt)).toBe(want);
  });

  it.each([
    ['port', "can't parse filter expression: syntax error"],
    ['host 10.0.0.1 and', "can't parse filter expression: syntax error"],
    ['(port 80', "can't parse filter expression: syntax error"],
    ['80', "can't parse filter expression: syntax error"],
    ['host nosuch', "unknown host 'nosuch'"],
    ['port nosuch', "unknown port 'nosuch'"],
    ['icmp port 80', "illegal qualifier of 'port'"],
    ['port 70000', 'illegal port number 70000 > 65535'],
    ['ether proto 0x0800', "filter primitive 'ether proto' is not simulated here"],
  ])('%s → %s', (expr, msg) => {
    expect(() => f(expr)).toThrow(new FilterError(msg));
  });

  it('an empty expression is no filter', () => {
    expect(parseFilter('', { resolve })).toBeUndefined();
  });
});
