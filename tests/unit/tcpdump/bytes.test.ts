/**
 * The bytes tcpdump -X/-A dumps and a savefile holds (engine/commands/net/tcpdump/bytes.ts,
 * ascii.ts, savefile.ts).
 *
 * - Upstream vectors: tcpdump 4.99.5's own test capture tests/print-flags.pcap (a Linux
 *   loopback HTTP exchange) and its expected -X / -A output (tests/print-capX.out,
 *   tests/print-A.out, run by tests/TESTLIST). The first two packets are rebuilt from the
 *   fields their text lines print and must dump exactly as upstream's files say: this pins
 *   the IPv4 header and its checksum (RFC 791), the TCP header, Linux's SYN option layout
 *   and the pseudo-header checksum (RFC 793 §3.1), and print-ascii.c's formats.
 * - Property: every checksum in every frame a capture holds verifies — the one's complement
 *   sum over the header (IPv4) or over the pseudo-header and segment (TCP, UDP, ICMPv6),
 *   or over the message (ICMP) is 0xffff (RFC 1071) — through the overlay's outer headers
 *   (IPIP, VXLAN; an IPv4 VXLAN datagram carries no UDP checksum, 0, as Linux's vxlan
 *   device sends it) and inside an ICMP error's quoted packet; each IP total length is the
 *   frame's; each DNS message's length is the one tcpdump prints.
 * - libpcap's savefile layout (pcap/pcap.h struct pcap_file_header, sf-pcap.c
 *   sf_write_header/pcap_dump): magic a1b2c3d4 little-endian, version 2.4, snaplen 262144,
 *   LINKTYPE_LINUX_SLL2 276; a 16-byte record header per packet; the size `ls -l` shows.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { asciiPrint, hexAndAsciiPrint, hexPrint } from '../../../engine/commands/net/tcpdump/ascii';
import { cksumShouldBe, frameBytes, ipBytes, onesSum, packetSums, type LinkName } from '../../../engine/commands/net/tcpdump/bytes';
import { badIpSum, tcpSum, udpSum } from '../../../engine/commands/net/tcpdump/print';
import { pcapBytes, readSavefile } from '../../../engine/commands/net/tcpdump/savefile';
import type { IpPacket, WireEvent } from '../../../engine/commands/net/tcpdump/wire';
import { dnsLength, TH_ACK, TH_SYN } from '../../../engine/commands/net/tcpdump/wire';
import { cluster, type } from '../../golden/tcpdump/scenario';
import { DUAL_STACK } from '../../golden/dualstack/scenario';

/** print-flags.pcap packet 1: `IP 127.0.0.1.55920 > 127.0.0.1.80: Flags [S], seq 928549246, win 32767, options [mss 16396,sackOK,TS val 1306300950 ecr 0,nop,wscale 2], length 0` (id 0x1b68, DF). */
const SYN: IpPacket = {
  src: '127.0.0.1', dst: '127.0.0.1', ttl: 64, id: 0x1b68,
  l4: { kind: 'tcp', sport: 55920, dport: 80, flags: TH_SYN, seq: 928549246, ack: 0, win: 32767, options: '', optLen: 20, len: 0, mss: 16396, ts: [1306300950, 0], wscale: 2 },
};
/** Packet 2: `Flags [S.], seq 930778609, ack 928549247, win 32767, options [mss 16396,sackOK,TS val 1306300950 ecr 1306300950,nop,wscale 2]` (id 0). */
const SYNACK: IpPacket = {
  src: '127.0.0.1', dst: '127.0.0.1', ttl: 64, id: 0,
  l4: { kind: 'tcp', sport: 80, dport: 55920, flags: TH_SYN | TH_ACK, seq: 930778609, ack: 928549247, win: 32767, options: '', optLen: 20, len: 0, mss: 16396, ts: [1306300950, 1306300950], wscale: 2 },
};

describe('upstream vectors (tcpdump-4.99.5 tests/print-flags.pcap)', () => {
  it('-X: print-capX.out, packets 1 and 2', () => {
    expect(hexAndAsciiPrint('\n\t', ipBytes(SYN)!)).toBe(
      '\n\t0x0000:  4500 003c 1b68 4000 4006 2152 7f00 0001  E..<.h@.@.!R....' +
        '\n\t0x0010:  7f00 0001 da70 0050 3758 897e 0000 0000  .....p.P7X.~....' +
        '\n\t0x0020:  a002 7fff 1421 0000 0204 400c 0402 080a  .....!....@.....' +
        '\n\t0x0030:  4ddc 9216 0000 0000 0103 0302            M...........',
    );
    expect(hexAndAsciiPrint('\n\t', ipBytes(SYNACK)!)).toBe(
      '\n\t0x0000:  4500 003c 0000 4000 4006 3cba 7f00 0001  E..<..@.@.<.....' +
        '\n\t0x0010:  7f00 0001 0050 da70 377a 8df1 3758 897f  .....P.p7z..7X..' +
        '\n\t0x0020:  a012 7fff 6eb1 0000 0204 400c 0402 080a  ....n.....@.....' +
        '\n\t0x0030:  4ddc 9216 4ddc 9216 0103 0302            M...M.......',
    );
  });
  it('-A: print-A.out, packet 1 (the TS option\'s length byte 0x0a is a newline)', () => {
    expect(asciiPrint(ipBytes(SYN)!)).toBe('\nE..<.h@.@.!R.........p.P7X.~.........!....@....\nM...........');
  });
  it('-x: print-x.out, packet 1', () => {
    expect(hexPrint('\n\t', ipBytes(SYN)!)).toBe(
      '\n\t0x0000:  4500 003c 1b68 4000 4006 2152 7f00 0001\n\t0x0010:  7f00 0001 da70 0050 3758 897e 0000 0000\n\t0x0020:  a002 7fff 1421 0000 0204 400c 0402 080a\n\t0x0030:  4ddc 9216 0000 0000 0103 0302',
    );
  });
});

/**
 * -v's checksum verification (tcpdump-4.99.5 print-tcp.c, print-udp.c, print-ip.c;
 * in_cksum.c in_cksum_shouldbe): read back from the bytes, a right checksum gives in_cksum 0
 * and `(correct)`; a wrong one the value print-capX.out's packet 1 carries (TCP 0x1421, IP
 * header 0x2152) as the one it should be.
 */
describe('checksum verification from the bytes (print-tcp.c, print-udp.c, print-ip.c)', () => {
  const v = { numeric: true, link: false, absolute: false, any: false, verbose: 1, checksums: true };
  it('print-flags.pcap packet 1 verifies: `cksum 0x1421 (correct)`, no `bad cksum`', () => {
    const s = packetSums(ipBytes(SYN)!);
    expect(s.ip).toEqual({ field: 0x2152, sum: 0 });
    expect(s.l4).toEqual({ field: 0x1421, sum: 0 });
    expect(tcpSum(s, v)).toBe(', cksum 0x1421 (correct)');
    expect(badIpSum(s, v)).toBe('');
    expect(tcpSum(s, { ...v, checksums: false })).toBe('');
  });
  it('a damaged field: `(incorrect -> 0x1421)` and `, bad cksum c80b (->2152)!` (in_cksum_shouldbe)', () => {
    const b = ipBytes(SYN)!;
    b[20 + 16] = 0xc8;
    b[20 + 17] = 0x0b;
    b[10] = 0xc8;
    b[11] = 0x0b;
    const s = packetSums(b);
    expect(tcpSum(s, v)).toBe(', cksum 0xc80b (incorrect -> 0x1421)');
    expect(badIpSum(s, v)).toBe(', bad cksum c80b (->2152)!');
    // a zero field: in_cksum over the rest is the checksum itself
    b[20 + 16] = 0;
    b[20 + 17] = 0;
    expect(cksumShouldBe(0, packetSums(b).l4!.sum)).toBe(0x1421);
  });
  it('UDP: IPv4 only with -vv (`[no cksum] ` for 0), `[bad udp cksum 0x%04x -> 0x%04x!] `; IPv6 already with -v', () => {
    const dg: IpPacket = { src: '10.244.0.3', dst: '10.96.0.10', ttl: 64, id: 1, l4: { kind: 'udp', sport: 34557, dport: 9, len: 4 } };
    const b = ipBytes(dg)!;
    const good = packetSums(b);
    expect(udpSum(good, v)).toBe('');
    expect(udpSum(good, { ...v, verbose: 2 })).toBe('[udp sum ok] ');
    const field = good.l4!.field;
    b[20 + 6] ^= 0xff;
    const bad = packetSums(b);
    expect(udpSum(bad, { ...v, verbose: 2 })).toBe(`[bad udp cksum 0x${bad.l4!.field.toString(16).padStart(4, '0')} -> 0x${field.toString(16).padStart(4, '0')}!] `);
    b[20 + 6] = 0;
    b[20 + 7] = 0;
    expect(udpSum(packetSums(b), { ...v, verbose: 2 })).toBe('[no cksum] ');
    const six = packetSums(ipBytes({ ...dg, src: 'fd00:10:244:1::3', dst: 'fd00:10:244:2::3' })!);
    expect(six.ip).toBeUndefined();
    expect(udpSum(six, v)).toBe('[udp sum ok] ');
  });
});

describe('print-ascii.c ascii_print', () => {
  const bytes = (s: string) => [...s].map((c) => c.charCodeAt(0));
  it('drops a CR before LF and at the end, prints one mid-line as a dot, keeps tab, space and LF', () => {
    expect(asciiPrint(bytes('GET / HTTP/1.1\r\nHost: web\r\n\r\n'))).toBe('\nGET / HTTP/1.1\nHost: web\n\n');
    expect(asciiPrint(bytes('a\rbc\td\x00\x7f\xff'))).toBe('\na.bc\td...');
    // "length > 1": a CR with one byte after it is dropped even when that byte is no LF
    expect(asciiPrint(bytes('a\rb'))).toBe('\nab');
  });
  it('hex_and_ascii_print: an odd last byte, the 40-column hex field', () => {
    expect(hexAndAsciiPrint('\n\t', bytes('ABC'))).toBe('\n\t0x0000:  4142 43                                  ABC');
  });
});

// ---- the property over real captures --------------------------------------------------

const u16 = (b: number[], o: number) => (b[o] << 8) | b[o + 1];

interface Checked {
  sums: number;
  zeroUdp: number;
  dns: number;
}

function pseudo(b: number[], ipOff: number, v6: boolean, proto: number, len: number): number {
  const a: number[] = v6 ? b.slice(ipOff + 8, ipOff + 40) : b.slice(ipOff + 12, ipOff + 20);
  if (v6) a.push(len >>> 24, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff, 0, 0, 0, proto);
  else a.push(0, proto, len >>> 8, len & 0xff);
  return onesSum(a);
}

/** Verifies the IP packet at `off` (and what it carries), `len` bytes long. */
function verifyIp(b: number[], off: number, len: number, c: Checked): void {
  const v6 = b[off] >> 4 === 6;
  let hl: number;
  let proto: number;
  if (v6) {
    hl = 40;
    proto = b[off + 6];
    expect(u16(b, off + 4) + 40).toBe(len);
  } else {
    hl = (b[off] & 0x0f) * 4;
    proto = b[off + 9];
    expect(u16(b, off + 2)).toBe(len);
    expect(onesSum(b.slice(off, off + hl))).toBe(0xffff);
    c.sums++;
  }
  const p = off + hl;
  const seg = b.slice(p, off + len);
  if (proto === 6) {
    expect(onesSum(seg, pseudo(b, off, v6, 6, seg.length))).toBe(0xffff);
    c.sums++;
  } else if (proto === 17) {
    expect(u16(b, p + 4)).toBe(seg.length);
    if (u16(b, p + 6) === 0 && !v6) c.zeroUdp++;
    else {
      expect(onesSum(seg, pseudo(b, off, v6, 17, seg.length))).toBe(0xffff);
      c.sums++;
    }
    const sport = u16(b, p);
    const dport = u16(b, p + 2);
    if (dport === 8472 || sport === 8472 || dport === 4789 || sport === 4789) verifyIp(b, p + 8 + 8 + 14, seg.length - 30, c);
    else if (dport === 53 || sport === 53) c.dns++;
  } else if (proto === 1 || proto === 58) {
    expect(onesSum(seg, proto === 58 ? pseudo(b, off, true, 58, seg.length) : 0)).toBe(0xffff);
    c.sums++;
    const type = seg[0];
    // an error quotes the offending packet whole
    if ((proto === 1 && type === 3) || (proto === 58 && type === 1)) verifyIp(b, p + 8, seg.length - 8, c);
  } else if (proto === 4) verifyIp(b, p, len - hl, c);
}

function linkOf(iface: string): LinkName {
  return iface === 'any' ? 'LINUX_SLL2' : iface === 'tunl0' ? 'RAW' : 'EN10MB';
}

/** Runs `lines` with savefiles being written on `captures` (host, interface), and returns every record. */
function captured(sim: ReturnType<typeof cluster>, captures: [string, string][], lines: string[]): { link: LinkName; records: WireEvent[]; size: number }[] {
  captures.forEach(([node, iface], i) => type(sim, `ssh ${node} tcpdump -i ${iface} -w /tmp/c${i}.pcap &`));
  for (const l of lines) type(sim, l);
  type(sim, `kill ${captures.map((_, i) => `%${i + 1}`).join(' ')}`);
  return captures.map(([node, iface], i) => {
    const wb = sim.fs.writtenBinary({ kind: 'node', node }, `/tmp/c${i}.pcap`)!;
    const r = readSavefile(wb.content, wb.meta.size);
    if (!r.ok) throw new Error(r.error);
    expect(r.link).toBe(linkOf(iface));
    return { link: r.link, records: r.records, size: wb.meta.size };
  });
}

function verifyAll(caps: { link: LinkName; records: WireEvent[]; size: number }[]): Checked {
  const c: Checked = { sums: 0, zeroUdp: 0, dns: 0 };
  for (const cap of caps) {
    const frames = cap.records.map((e) => {
      const f = frameBytes(e, cap.link);
      expect(f, `${e.iface} ${JSON.stringify(e.ip.l4).slice(0, 80)}`).toBeDefined();
      verifyIp(f!.bytes, f!.hdrlen, f!.bytes.length - f!.hdrlen, c);
      const l4 = e.ip.l4;
      if (l4.kind === 'udp' && l4.dns) expect(dnsLength(l4.dns)).toBe(l4.len);
      return { e, bytes: f!.bytes };
    });
    // the file's size is the pcap's: 24 + (16 + caplen) per packet
    expect(pcapBytes(cap.link, frames).length).toBe(cap.size);
  }
  return c;
}

const TRAFFIC = [
  'kubectl exec client -- curl -s -o /dev/null web',
  'kubectl exec client -- dig web.default.svc.cluster.local',
  'kubectl exec client -- nslookup nosuch',
  'kubectl exec client -- curl -s -m 1 -o /dev/null empty',
  'kubectl exec client -- ping -c 2 10.96.0.10',
  'kubectl exec bb -- ping -c 1 web',
  'kubectl exec bb -- wget -q -O /dev/null http://web',
  'ssh node-1 curl -s -o /dev/null web.default.svc.cluster.local',
];

describe('every checksum in a capture verifies (one\'s complement sum 0xffff)', () => {
  it('Calico (IPIP on eth0, tunl0 raw, cooked v2 on any)', () => {
    const sim = cluster('calico');
    const c = verifyAll(captured(sim, [['node-1', 'any'], ['node-1', 'eth0'], ['node-2', 'any'], ['node-2', 'tunl0']], TRAFFIC));
    expect(c.sums).toBeGreaterThan(500);
    expect(c.dns).toBeGreaterThan(10);
  });
  it('Flannel (VXLAN: the outer UDP checksum 0 over IPv4, the inner frame verified)', () => {
    const sim = cluster('flannel');
    const c = verifyAll(captured(sim, [['node-1', 'eth0'], ['node-2', 'any']], TRAFFIC));
    expect(c.zeroUdp).toBeGreaterThan(20);
    expect(c.sums).toBeGreaterThan(300);
  });
  it('dual stack (IPv6: TCP, ICMPv6 and VXLAN over IPv6 with their pseudo-header)', () => {
    const sim = createSimulation(DUAL_STACK, { seed: 1, interactive: true });
    const c = verifyAll(
      captured(sim as ReturnType<typeof cluster>, [['node-1', 'any'], ['node-1', 'eth0']], [
        'kubectl exec client -- curl -s -o /dev/null http://web-v6',
        'kubectl exec client -- ping -c 1 fd00:10:244:2::3',
        'kubectl exec client -- curl -s -o /dev/null http://[fd00:10:244:2::3]/',
      ]),
    );
    expect(c.sums).toBeGreaterThan(50);
  });
});

describe('the savefile (libpcap sf-pcap.c)', () => {
  it('its header and records, and the size ls -l shows', () => {
    const sim = cluster('calico');
    const [cap] = captured(sim, [['node-1', 'any']], ['kubectl exec client -- curl -s -o /dev/null web']);
    const bytes = pcapBytes(cap.link, cap.records.map((e) => ({ e, bytes: frameBytes(e, cap.link)!.bytes })));
    expect([...bytes.slice(0, 24)].map((x) => x.toString(16).padStart(2, '0')).join(' ')).toBe('d4 c3 b2 a1 02 00 04 00 00 00 00 00 00 00 00 00 00 00 04 00 14 01 00 00');
    expect(type(sim, 'ssh node-1 ls -l /tmp/c0.pcap')).toBe(`-rw-r--r-- 1 root root ${bytes.length} Jan 15 09:00 /tmp/c0.pcap\n`);
    // the first record, curl's resolver's A question: ts_sec, ts_usec, caplen = len (the frame whole):
    // SLL2 20 + IPv4 20 + UDP 8 + DNS 47
    const dv = new DataView(bytes.buffer);
    expect(dv.getUint32(24, true)).toBe(Math.floor(cap.records[0].us / 1e6));
    expect(dv.getUint32(28, true)).toBe(cap.records[0].us % 1e6);
    expect(dv.getUint32(32, true)).toBe(dv.getUint32(36, true));
    expect(dv.getUint32(32, true)).toBe(20 + 20 + 8 + 47);
  });
});
