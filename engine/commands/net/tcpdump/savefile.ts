/**
 * tcpdump's savefiles (-w writes one, -r reads one), in libpcap 1.10's classic pcap format
 * (pcap/pcap.h struct pcap_file_header; sf-pcap.c sf_write_header and pcap_dump):
 *
 *   a 24-byte file header — magic 0xa1b2c3d4 (microsecond timestamps) written in the host's
 *   byte order (little-endian on x86-64), version 2.4, thiszone 0, sigfigs 0, snaplen
 *   262144, the LINKTYPE — then per packet a 16-byte record header (ts_sec, ts_usec, caplen,
 *   len) and the captured bytes (the whole frame: the snapshot length is never reached).
 *
 * The simulation keeps the records (the packets as wire.ts modelled them, from which
 * bytes.ts rebuilds every byte) in the VFS as a binary file whose size is the pcap's; the
 * bytes themselves are not stored. A savefile keeps at most SAVEFILE_MAX packets.
 *
 * Like the real writer, what is on disk while tcpdump runs is what stdio has flushed:
 * pcap_dump's two fwrite()s (record header, then data) go through a fully buffered FILE —
 * glibc's 4096-byte buffer (nodes: the file grows in whole 4096-byte blocks), musl's
 * 1024-byte one (netshoot, Alpine: a write that does not fit goes out with what was
 * buffered). -U flushes after every packet; stopping (pcap_dump_close) flushes the rest.
 * Reading a file that is still being written stops at the last whole record, with
 * sf-pcap.c's "truncated dump file" error.
 */
import type { WireEvent } from './wire';
import { frameIpLength } from './wire';
import type { LinkName } from './bytes';

/** The most packets a simulated savefile keeps (the real one is bounded by the disk only). */
export const SAVEFILE_MAX = 10_000;
/** MAXIMUM_SNAPLEN: the default snapshot length, and -s 0's. */
export const SNAPLEN = 262144;
/** The shortest snapshot that never cuts a frame here (1500-byte MTU, a 20-byte cooked v2 header, and room). */
export const MIN_WHOLE_SNAPLEN = 1600;
export const PCAP_FILE_HEADER = 24;
export const PCAP_RECORD_HEADER = 16;

/** pcap_datalink_val_to_name / _description. */
export const LINK_TEXT: Record<LinkName, string> = {
  EN10MB: 'EN10MB (Ethernet)',
  RAW: 'RAW (Raw IP)',
  LINUX_SLL2: 'LINUX_SLL2 (Linux cooked v2)',
};

/** What the VFS keeps for a savefile (its `content`). */
interface Stored {
  netlab: 'pcap';
  link: LinkName;
  snaplen: number;
  records: WireEvent[];
}

/** The link header's length on a link type. */
export function linkHeaderLength(link: LinkName): number {
  return link === 'EN10MB' ? 14 : link === 'LINUX_SLL2' ? 20 : 0;
}

/** A record's captured length (caplen = len: the whole frame). */
export function capturedLength(e: WireEvent, link: LinkName): number {
  return Math.min(SNAPLEN, linkHeaderLength(link) + frameIpLength(e));
}

/** The pcap's size: the file header, and a record header and the frame per packet. */
export function savefileSize(link: LinkName, records: WireEvent[]): number {
  let n = PCAP_FILE_HEADER;
  for (const e of records) n += PCAP_RECORD_HEADER + capturedLength(e, link);
  return n;
}

export function serialize(link: LinkName, records: WireEvent[], snaplen = SNAPLEN): string {
  const s: Stored = { netlab: 'pcap', link, snaplen, records };
  return JSON.stringify(s);
}

export function deserialize(content: string): Stored | undefined {
  try {
    const s = JSON.parse(content) as Stored;
    return s && s.netlab === 'pcap' && Array.isArray(s.records) ? s : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How much of what the writer wrote is on disk: stdio's buffer holds the rest. `writes`
 * are the fwrite()s so far, in order.
 */
export class StdioBuffer {
  /** Bytes handed to fwrite. */
  total = 0;
  /** Bytes the kernel has (the file's size). */
  onDisk = 0;
  private buffered = 0;
  constructor(private readonly libc: 'glibc' | 'musl') {}

  fwrite(n: number): void {
    this.total += n;
    if (this.libc === 'musl') {
      // musl __fwritex: a write larger than the room left goes out at once with the buffer (BUFSIZ 1024)
      if (n > 1024 - this.buffered) {
        this.onDisk += this.buffered + n;
        this.buffered = 0;
      } else this.buffered += n;
      return;
    }
    // glibc _IO_file_xsputn: fill the 4096-byte buffer, write it out when more comes, whole blocks directly
    const pending = this.buffered + n;
    if (pending <= 4096) {
      this.buffered = pending;
      return;
    }
    const out = Math.floor((pending - 1) / 4096) * 4096;
    this.onDisk += out;
    this.buffered = pending - out;
  }

  flush(): void {
    this.onDisk = this.total;
    this.buffered = 0;
  }
}

/**
 * pcap_dump_open's dumper: the 24-byte header, then a record header and the frame per
 * packet through stdio (`libc`'s buffering; `packetBuffered`: -U, pcap_dump_flush after each
 * packet). Keeps at most SAVEFILE_MAX packets; `dropped` counts the ones after them.
 */
export class SavefileWriter {
  readonly records: WireEvent[] = [];
  dropped = 0;
  private readonly io: StdioBuffer;
  constructor(
    readonly link: LinkName,
    readonly snaplen: number,
    libc: 'glibc' | 'musl',
    private readonly packetBuffered: boolean,
  ) {
    this.io = new StdioBuffer(libc);
    this.io.fwrite(PCAP_FILE_HEADER);
    if (packetBuffered) this.io.flush();
  }

  /** Whether the packet was written (false: the savefile is full). */
  add(e: WireEvent): boolean {
    if (this.records.length >= SAVEFILE_MAX) {
      this.dropped++;
      return false;
    }
    this.records.push(e);
    this.io.fwrite(PCAP_RECORD_HEADER);
    this.io.fwrite(capturedLength(e, this.link));
    if (this.packetBuffered) this.io.flush();
    return true;
  }

  /** pcap_dump_close: fclose flushes what stdio held. */
  close(): void {
    this.io.flush();
  }

  /** The file's size now (what the kernel has). */
  get size(): number {
    return this.io.onDisk;
  }

  content(): string {
    return serialize(this.link, this.records, this.snaplen);
  }
}

export type ReadResult =
  | { ok: true; link: LinkName; snaplen: number; records: WireEvent[]; error?: string }
  | { ok: false; error: string };

/**
 * pcap_open_offline and pcap_next_packet over a savefile of `size` bytes on disk: the
 * records wholly on disk, then the error a partial one gets.
 */
export function readSavefile(content: string, size: number): ReadResult {
  const s = deserialize(content);
  if (size < 4) return { ok: false, error: `truncated dump file; tried to read 4 file header bytes, only got ${size}` };
  if (!s) return { ok: false, error: 'unknown file format' };
  if (size < PCAP_FILE_HEADER) return { ok: false, error: `truncated dump file; tried to read ${PCAP_FILE_HEADER} file header bytes, only got ${size - 4}` };
  const records: WireEvent[] = [];
  let at = PCAP_FILE_HEADER;
  for (const e of s.records) {
    if (at >= size) break;
    if (at + PCAP_RECORD_HEADER > size) return { ok: true, link: s.link, snaplen: s.snaplen, records, error: `truncated dump file; tried to read ${PCAP_RECORD_HEADER} header bytes, only got ${size - at}` };
    const len = capturedLength(e, s.link);
    if (at + PCAP_RECORD_HEADER + len > size) return { ok: true, link: s.link, snaplen: s.snaplen, records, error: `truncated dump file; tried to read ${len} captured bytes, only got ${size - at - PCAP_RECORD_HEADER}` };
    records.push(e);
    at += PCAP_RECORD_HEADER + len;
  }
  return { ok: true, link: s.link, snaplen: s.snaplen, records };
}

/** The savefile's real bytes (for tests, and any tool that wants them): header and records, little-endian. */
export function pcapBytes(link: LinkName, records: { e: WireEvent; bytes: number[] }[], snaplen = SNAPLEN): Uint8Array {
  const LT = { EN10MB: 1, RAW: 101, LINUX_SLL2: 276 }[link];
  const total = PCAP_FILE_HEADER + records.reduce((n, r) => n + PCAP_RECORD_HEADER + r.bytes.length, 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setInt32(8, 0, true);
  dv.setUint32(12, 0, true);
  dv.setUint32(16, snaplen, true);
  dv.setUint32(20, LT, true);
  let at = PCAP_FILE_HEADER;
  for (const r of records) {
    dv.setUint32(at, Math.floor(r.e.us / 1_000_000), true);
    dv.setUint32(at + 4, Math.floor(r.e.us) % 1_000_000, true);
    dv.setUint32(at + 8, r.bytes.length, true);
    dv.setUint32(at + 12, r.bytes.length, true);
    out.set(r.bytes, at + PCAP_RECORD_HEADER);
    at += PCAP_RECORD_HEADER + r.bytes.length;
  }
  return out;
}
