/**
 * DER (ITU-T X.690) in both directions: the handful of encoders an X.509 certificate,
 * a PKCS#8 key and a PKCS#10 request need, and a strict decoder that turns bytes back
 * into a tree of tag-length-value nodes. Malformed input is a DerError, never a crash.
 */

export class DerError extends Error {}

/** One decoded TLV. `children` is set for constructed encodings (SEQUENCE, SET, [n] EXPLICIT). */
export interface DerNode {
  /** The identifier octet (0x30 SEQUENCE, 0x02 INTEGER, 0xa0 [0]…). */
  tag: number;
  /** The content octets. */
  value: Uint8Array;
  /** The whole encoding, identifier and length included. */
  raw: Uint8Array;
  children?: DerNode[];
}

export function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function lengthOctets(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Uint8Array): Uint8Array {
  return concat([Uint8Array.of(tag), lengthOctets(content.length), content]);
}

export const seq = (...parts: Uint8Array[]): Uint8Array => tlv(0x30, concat(parts));
export const set = (...parts: Uint8Array[]): Uint8Array => tlv(0x31, concat(parts));
export const nul = (): Uint8Array => Uint8Array.of(0x05, 0x00);
export const octets = (b: Uint8Array): Uint8Array => tlv(0x04, b);
export const bool = (v: boolean): Uint8Array => Uint8Array.of(0x01, 0x01, v ? 0xff : 0x00);
/** BIT STRING with no unused bits. */
export const bits = (b: Uint8Array): Uint8Array => tlv(0x03, concat([Uint8Array.of(0), b]));
export const utf8 = (s: string): Uint8Array => tlv(0x0c, new TextEncoder().encode(s));
export const printable = (s: string): Uint8Array => tlv(0x13, new TextEncoder().encode(s));
export const ia5 = (s: string): Uint8Array => tlv(0x16, new TextEncoder().encode(s));
/** [n] EXPLICIT (constructed) or IMPLICIT primitive context tag. */
export const ctx = (n: number, content: Uint8Array, constructed = true): Uint8Array => tlv((constructed ? 0xa0 : 0x80) | n, content);

/** An unsigned big-endian INTEGER: leading zeros trimmed, a 0x00 prepended when the top bit is set. */
export function uint(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const b = bytes.subarray(i);
  return tlv(0x02, b.length && b[0] & 0x80 ? concat([Uint8Array.of(0), b]) : b.length ? b : Uint8Array.of(0));
}

export function int(n: number): Uint8Array {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return uint(Uint8Array.from(bytes.length ? bytes : [0]));
}

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [arcs[0] * 40 + arcs[1]];
  for (const a of arcs.slice(2)) {
    const chunk: number[] = [a & 0x7f];
    for (let v = Math.floor(a / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(out));
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
export function time(ms: number): Uint8Array {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  const body = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  const y = d.getUTCFullYear();
  if (y < 2050) return tlv(0x17, new TextEncoder().encode(`${p(y % 100)}${body}`));
  return tlv(0x18, new TextEncoder().encode(`${y}${body}`));
}

/** Decodes exactly one TLV spanning all of `bytes`. */
export function decode(bytes: Uint8Array): DerNode {
  const { node, next } = decodeAt(bytes, 0, 0);
  if (next !== bytes.length) throw new DerError('trailing data');
  return node;
}

function decodeAt(b: Uint8Array, off: number, depth: number): { node: DerNode; next: number } {
  if (depth > 32) throw new DerError('nested too deep');
  if (off + 2 > b.length) throw new DerError('truncated');
  const tag = b[off];
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not supported');
  let len = b[off + 1];
  let p = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError('bad length');
    len = 0;
    for (let i = 0; i < n; i++) {
      if (p >= b.length) throw new DerError('truncated');
      len = len * 256 + b[p++];
    }
  }
  if (p + len > b.length) throw new DerError('truncated');
  const value = b.subarray(p, p + len);
  const node: DerNode = { tag, value, raw: b.subarray(off, p + len) };
  if (tag & 0x20) {
    node.children = [];
    let q = 0;
    while (q < value.length) {
      const r = decodeAt(value, q, depth + 1);
      node.children.push(r.node);
      q = r.next;
    }
  }
  return { node, next: p + len };
}

/** The children of a constructed node, or a DerError naming what was expected. */
export function kids(n: DerNode | undefined, what: string, tag = 0x30): DerNode[] {
  if (!n || n.tag !== tag || !n.children) throw new DerError(`expected ${what}`);
  return n.children;
}

export function readOid(n: DerNode | undefined): string {
  if (!n || n.tag !== 0x06 || n.value.length === 0) throw new DerError('expected OBJECT IDENTIFIER');
  const v = n.value;
  const arcs = [Math.floor(v[0] / 40) > 2 ? 2 : Math.floor(v[0] / 40), v[0] >= 80 ? v[0] - 80 : v[0] % 40];
  let acc = 0;
  for (let i = 1; i < v.length; i++) {
    acc = acc * 128 + (v[i] & 0x7f);
    if (!(v[i] & 0x80)) {
      arcs.push(acc);
      acc = 0;
    }
  }
  return arcs.join('.');
}

/** An INTEGER's magnitude bytes (a leading 0x00 sign octet removed). */
export function readUint(n: DerNode | undefined): Uint8Array {
  if (!n || n.tag !== 0x02 || n.value.length === 0) throw new DerError('expected INTEGER');
  return n.value.length > 1 && n.value[0] === 0 ? n.value.subarray(1) : n.value;
}

export function readNumber(n: DerNode | undefined): number {
  let v = 0;
  for (const b of readUint(n)) v = v * 256 + b;
  return v;
}

export function readString(n: DerNode | undefined): string {
  if (!n || ![0x0c, 0x13, 0x16, 0x14, 0x1e].includes(n.tag)) throw new DerError('expected a string');
  return new TextDecoder().decode(n.value);
}

export function readTime(n: DerNode | undefined): number {
  if (!n || (n.tag !== 0x17 && n.tag !== 0x18)) throw new DerError('expected a time');
  const s = new TextDecoder().decode(n.value);
  const m = n.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) throw new DerError('bad time');
  let y = Number(m[1]);
  if (n.tag === 0x17) y += y < 50 ? 2000 : 1900;
  return Date.UTC(y, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** A BIT STRING's bytes (unused-bits octet dropped). */
export function readBits(n: DerNode | undefined): Uint8Array {
  if (!n || n.tag !== 0x03 || n.value.length === 0) throw new DerError('expected BIT STRING');
  return n.value.subarray(1);
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
