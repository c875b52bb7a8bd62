/**
 * The monitor's one-line formats (cilium/cilium v1.18 branch point 3abf4c111c^):
 * pkg/monitor/dissect.go GetConnectionSummary and getTCPInfo (SYN, ACK, RST, FIN in that
 * order; PSH and the others not shown; ICMP by gopacket's type-code names), Go's `%#x` for
 * the flow hash (`0` for zero), NumericIdentity.String() (reserved identities by name, all
 * numbers with -n), and the drop / trace / policy-verdict DumpInfo layouts.
 */
import { describe, expect, it } from 'vitest';
import { connectionSummary, goHex, matchIds, monitorLine } from '../../../engine/printers/cilium/monitor';

describe('monitor formats', () => {
  it('summarises a packet as dissect.go does', () => {
    expect(connectionSummary({ src: '10.0.1.5', dst: '10.0.2.7', proto: 'tcp', sport: 41234, dport: 80, tcpFlags: ['ACK', 'PSH'] })).toBe('10.0.1.5:41234 -> 10.0.2.7:80 tcp ACK');
    expect(connectionSummary({ src: '10.0.1.5', dst: '10.0.2.7', proto: 'tcp', sport: 1, dport: 2, tcpFlags: ['FIN', 'ACK'] })).toBe('10.0.1.5:1 -> 10.0.2.7:2 tcp ACK, FIN');
    expect(connectionSummary({ src: '10.0.1.5', dst: '10.0.2.7', proto: 'tcp', sport: 1, dport: 2, tcpFlags: ['RST', 'ACK', 'SYN'] })).toBe('10.0.1.5:1 -> 10.0.2.7:2 tcp SYN, ACK, RST');
    expect(connectionSummary({ src: '10.0.1.5', dst: '10.96.0.10', proto: 'udp', sport: 40000, dport: 53 })).toBe('10.0.1.5:40000 -> 10.96.0.10:53 udp');
    expect(connectionSummary({ src: '10.0.1.5', dst: '10.0.2.7', proto: 'icmp', icmp: { type: 8, code: 0 } })).toBe('10.0.1.5 -> 10.0.2.7 icmp EchoRequest');
    expect(connectionSummary({ src: '10.0.2.7', dst: '10.0.1.5', proto: 'icmp', icmp: { type: 3, code: 3 } })).toBe('10.0.2.7 -> 10.0.1.5 icmp DestinationUnreachable(Port)');
  });

  it("prints the hash with Go's %#x", () => {
    expect(goHex(0)).toBe('0');
    expect(goHex(0xdf3f467)).toBe('0xdf3f467');
    expect(goHex(0xffffffff)).toBe('0xffffffff');
  });

  it('names reserved identities unless -n', () => {
    const drop = { type: 'drop' as const, source: 12, hash: 0x1a, packet: { src: '192.168.49.3', dst: '10.0.2.7', proto: 'tcp' as const, sport: 5, dport: 80, tcpFlags: ['SYN'] }, reason: 'Policy denied', dstId: 12, ifindex: 5, file: 'bpf_lxc.c', line: 2126, srcIdentity: 6, dstIdentity: 4242 };
    expect(monitorLine(drop, false)).toBe('xx drop (Policy denied) flow 0x1a to endpoint 12, ifindex 5, file bpf_lxc.c:2126, , identity remote-node->4242: 192.168.49.3:5 -> 10.0.2.7:80 tcp SYN\n');
    expect(monitorLine(drop, true)).toBe('xx drop (Policy denied) flow 0x1a to endpoint 12, ifindex 5, file bpf_lxc.c:2126, , identity 6->4242: 192.168.49.3:5 -> 10.0.2.7:80 tcp SYN\n');
    const trace = { type: 'trace' as const, source: 7, hash: 0, packet: { src: '10.0.1.5', dst: '1.1.1.1', proto: 'udp' as const, sport: 9, dport: 53 }, point: 'to-stack', dstId: 0, srcIdentity: 4242, dstIdentity: 2, state: 'new', ifname: '0', origIp: '0.0.0.0' };
    expect(monitorLine(trace, false)).toBe('-> stack flow 0 , identity 4242->world state new ifindex 0 orig-ip 0.0.0.0: 10.0.1.5:9 -> 1.1.1.1:53 udp\n');
    const pv = { type: 'policy-verdict' as const, source: 7, hash: 0x2b, packet: { src: '10.0.1.5', dst: '10.0.2.7', proto: 'icmp' as const, icmp: { type: 8, code: 0 } }, remoteIdentity: 1, ingress: false, allowed: true, match: 'L3-Only' };
    expect(monitorLine(pv, false)).toBe('Policy verdict log: flow 0x2b local EP ID 7, remote ID host, proto 1, egress, action allow, auth: disabled, match L3-Only, 10.0.1.5 -> 10.0.2.7 icmp EchoRequest\n');
    // format.go policyVerdictEvents matches --to against the remote identity, cut to 16 bits
    expect(matchIds({ ...pv, remoteIdentity: 70000 })).toEqual([7, 70000 & 0xffff]);
  });
});
