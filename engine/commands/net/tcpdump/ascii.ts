/**
 * tcpdump 4.99.5's packet dumps (print-ascii.c, and print.c pretty_print_packet choosing
 * among them): -X hex_and_ascii_print, -x hex_print, -A ascii_print. One -X/-x/-A dumps
 * what follows the link-layer header (nothing when nothing follows it); doubled (-XX, -xx,
 * -AA) the whole frame. -X wins over -x, -x over -A.
 */

const HEXDUMP_BYTES_PER_LINE = 16;
const HEXDUMP_SHORTS_PER_LINE = HEXDUMP_BYTES_PER_LINE / 2;
/** 4 hex digits and a space per short. */
const HEXDUMP_HEXSTUFF_PER_LINE = 5 * HEXDUMP_SHORTS_PER_LINE;

/** ND_ASCII_ISGRAPH: 0x21…0x7e. */
function isGraph(c: number): boolean {
  return c > 0x20 && c < 0x7f;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/**
 * hex_and_ascii_print_with_offset: per 16 bytes `%s0x%04x: %-*s  %s` — the indent
 * ("\n\t"), the offset, the shorts as ` %02x%02x` padded to 40, two spaces, the bytes as
 * characters (ND_ASCII_ISGRAPH, else '.'); an odd last byte as ` %02x`.
 */
export function hexAndAsciiPrint(indent: string, b: ArrayLike<number>): string {
  let out = '';
  let hex = '';
  let asc = '';
  let i = 0;
  let offset = 0;
  const nshorts = Math.floor(b.length / 2);
  let cp = 0;
  const flush = () => {
    out += `${indent}0x${offset.toString(16).padStart(4, '0')}: ${hex.padEnd(HEXDUMP_HEXSTUFF_PER_LINE)}  ${asc}`;
  };
  for (let n = 0; n < nshorts; n++) {
    const s1 = b[cp++];
    const s2 = b[cp++];
    hex += ` ${hex2(s1)}${hex2(s2)}`;
    asc += (isGraph(s1) ? String.fromCharCode(s1) : '.') + (isGraph(s2) ? String.fromCharCode(s2) : '.');
    i++;
    if (i >= HEXDUMP_SHORTS_PER_LINE) {
      flush();
      i = 0;
      hex = '';
      asc = '';
      offset += HEXDUMP_BYTES_PER_LINE;
    }
  }
  if (b.length & 1) {
    const s1 = b[cp++];
    hex += ` ${hex2(s1)}`;
    asc += isGraph(s1) ? String.fromCharCode(s1) : '.';
    i++;
  }
  if (i > 0) flush();
  return out;
}

/** hex_print_with_offset: `%s0x%04x: ` every 8 shorts, then ` %02x%02x` each (an odd last byte ` %02x`). */
export function hexPrint(indent: string, b: ArrayLike<number>): string {
  let out = '';
  let i = 0;
  let offset = 0;
  const nshorts = Math.floor(b.length / 2);
  let cp = 0;
  for (let n = 0; n < nshorts; n++) {
    if (i++ % 8 === 0) {
      out += `${indent}0x${offset.toString(16).padStart(4, '0')}: `;
      offset += HEXDUMP_BYTES_PER_LINE;
    }
    out += ` ${hex2(b[cp])}${hex2(b[cp + 1])}`;
    cp += 2;
  }
  if (b.length & 1) {
    if (i % 8 === 0) out += `${indent}0x${offset.toString(16).padStart(4, '0')}: `;
    out += ` ${hex2(b[cp])}`;
  }
  return out;
}

/**
 * ascii_print: a newline, then each byte: a CR is dropped, or printed as '.' when more than
 * one byte follows and the next is not a LF; tab, space and LF as themselves; other
 * non-graphic bytes as '.'.
 */
export function asciiPrint(b: ArrayLike<number>): string {
  let out = '\n';
  let length = b.length;
  let cp = 0;
  while (length !== 0) {
    const s = b[cp++];
    length--;
    if (s === 0x0d) {
      if (length > 1 && b[cp] !== 0x0a) out += '.';
    } else if (!isGraph(s) && s !== 0x09 && s !== 0x20 && s !== 0x0a) out += '.';
    else out += String.fromCharCode(s);
  }
  return out;
}

export interface DumpFlags {
  /** -X count. */
  X: number;
  /** -x count. */
  x: number;
  /** -A count. */
  A: number;
}

/** pretty_print_packet's dump after a packet's line: which printer, from the link header or after it. */
export function packetDump(f: DumpFlags, frame: { hdrlen: number; bytes: number[] }): string {
  const all = frame.bytes;
  const after = all.slice(frame.hdrlen);
  const has = all.length > frame.hdrlen;
  if (f.X) return f.X > 1 ? hexAndAsciiPrint('\n\t', all) : has ? hexAndAsciiPrint('\n\t', after) : '';
  if (f.x) return f.x > 1 ? hexPrint('\n\t', all) : has ? hexPrint('\n\t', after) : '';
  if (f.A) return f.A > 1 ? asciiPrint(all) : has ? asciiPrint(after) : '';
  return '';
}
