/**
 * The savefile writer's bookkeeping (engine/commands/net/tcpdump/savefile.ts): what stdio
 * has flushed to disk while tcpdump runs, and the simulation's bound on a savefile.
 *
 * - glibc (libio/fileops.c _IO_new_file_xsputn): a fully buffered FILE of st_blksize (4096)
 *   bytes; data that fills the buffer exactly stays there; more flushes the full buffer,
 *   writes whole blocks directly and buffers the rest — the file grows in 4096-byte steps.
 * - musl (src/stdio/fwrite.c __fwritex): a BUFSIZ (1024) buffer; a write larger than the
 *   room left goes out at once together with what was buffered.
 * - libpcap sf-pcap.c pcap_dump: fwrite of the 16-byte record header, then of the caplen
 *   bytes; pcap_dump_flush (-U) after each packet; pcap_dump_close flushes the rest.
 */
import { describe, expect, it } from 'vitest';
import { readSavefile, SAVEFILE_MAX, savefileSize, SavefileWriter, StdioBuffer } from '../../../engine/commands/net/tcpdump/savefile';
import type { WireEvent } from '../../../engine/commands/net/tcpdump/wire';

describe('stdio buffering', () => {
  it('glibc: nothing reaches the file until 4096 bytes are buffered and more come; then whole blocks', () => {
    const b = new StdioBuffer('glibc');
    const sizes: number[] = [];
    for (const n of [24, 4072, 1, 5000, 100, 8192]) {
      b.fwrite(n);
      sizes.push(b.onDisk);
    }
    // 24 → 4096 exactly (still buffered) → 4097 → 9097 → 9197 → 17389
    expect(sizes).toEqual([0, 0, 4096, 8192, 8192, 16384]);
    b.flush();
    expect(b.onDisk).toBe(17389);
  });
  it('musl: a write that does not fit in the room left goes out with the buffer', () => {
    const b = new StdioBuffer('musl');
    const sizes: number[] = [];
    for (const n of [24, 16, 74, 16, 900, 16, 66]) {
      b.fwrite(n);
      sizes.push(b.onDisk);
    }
    // 24+16+74+16 = 130 buffered; 900 fits (1030 > 1024? room 894 < 900: out with the 130) → 1030; then 16, 66 buffered
    expect(sizes).toEqual([0, 0, 0, 0, 1030, 1030, 1030]);
  });
});

function packet(i: number): WireEvent {
  return {
    us: 1_736_931_600_000_000 + i, netns: 'node/node-1', iface: 'eth0', ifindex: 2, dir: 'In', link: 'ether', srcMac: '02:42:c0:a8:31:03', dstMac: '02:42:c0:a8:31:02',
    ip: { src: '192.168.49.3', dst: '192.168.49.2', ttl: 64, id: i & 0xffff, l4: { kind: 'udp', sport: 40000, dport: 9, len: 0 } },
  };
}

describe('SavefileWriter', () => {
  it(`keeps ${SAVEFILE_MAX} packets and counts the rest; its size is the pcap's, and it reads back whole`, () => {
    const w = new SavefileWriter('EN10MB', 262144, 'glibc', false);
    let written = 0;
    for (let i = 0; i < SAVEFILE_MAX + 5; i++) if (w.add(packet(i))) written++;
    expect(written).toBe(SAVEFILE_MAX);
    expect(w.dropped).toBe(5);
    // Ethernet 14 + IPv4 20 + UDP 8 = 42 bytes a frame, 58 a record
    expect(w.size).toBe(Math.floor((24 + 58 * SAVEFILE_MAX - 1) / 4096) * 4096);
    w.close();
    expect(w.size).toBe(24 + 58 * SAVEFILE_MAX);
    expect(w.size).toBe(savefileSize('EN10MB', w.records));
    const r = readSavefile(w.content(), w.size);
    expect(r.ok && r.records.length).toBe(SAVEFILE_MAX);
  });
  it('-U: every packet is on disk as soon as it is written; a read of a cut file stops at the cut record', () => {
    const w = new SavefileWriter('EN10MB', 262144, 'glibc', true);
    expect(w.size).toBe(24);
    w.add(packet(0));
    w.add(packet(1));
    expect(w.size).toBe(24 + 58 * 2);
    expect(readSavefile(w.content(), 24 + 58 + 16 + 10)).toEqual(expect.objectContaining({ ok: true, error: 'truncated dump file; tried to read 42 captured bytes, only got 10' }));
    expect(readSavefile(w.content(), 24 + 58 + 7)).toEqual(expect.objectContaining({ ok: true, error: 'truncated dump file; tried to read 16 header bytes, only got 7' }));
    expect(readSavefile(w.content(), 10)).toEqual({ ok: false, error: 'truncated dump file; tried to read 24 file header bytes, only got 6' });
    expect(readSavefile('not a pcap', 10)).toEqual({ ok: false, error: 'unknown file format' });
  });
});
