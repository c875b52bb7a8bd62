/**
 * SHA-1 over UTF-8 strings, in plain TypeScript (no node:crypto, so the engine runs in
 * the browser); SHA-256 is the cluster's (cluster/hash.ts). The CNI plugins name host-side veths from these digests:
 * calico `cali` + sha1("<ns>.<pod>")[:11] (libcalico-go VethNameForWorkload), aws-vpc-cni
 * `eni` + the same (GenerateHostVethName), cilium `lxc` + sha256(endpoint)[:12].
 */
import { sha256, utf8 } from '../../cluster/hash';

function pad(bytes: Uint8Array): DataView {
  const len = bytes.length;
  const total = (((len + 8) >> 6) + 1) << 6;
  const buf = new Uint8Array(total);
  buf.set(bytes);
  buf[len] = 0x80;
  const view = new DataView(buf.buffer);
  view.setUint32(total - 4, (len * 8) >>> 0);
  view.setUint32(total - 8, Math.floor((len * 8) / 0x100000000));
  return view;
}

function hex(words: number[]): string {
  return words.map((w) => (w >>> 0).toString(16).padStart(8, '0')).join('');
}

export function sha1Hex(input: string): string {
  const view = pad(utf8(input));
  let h0 = 0x67452301, h1 = 0xefcdab89, h2 = 0x98badcfe, h3 = 0x10325476, h4 = 0xc3d2e1f0;
  const w = new Array<number>(80);
  for (let off = 0; off < view.byteLength; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4);
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
      w[i] = (x << 1) | (x >>> 31);
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4;
    for (let i = 0; i < 80; i++) {
      let f: number, k: number;
      if (i < 20) { f = (b & c) | (~b & d); k = 0x5a827999; }
      else if (i < 40) { f = b ^ c ^ d; k = 0x6ed9eba1; }
      else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8f1bbcdc; }
      else { f = b ^ c ^ d; k = 0xca62c1d6; }
      const t = (((a << 5) | (a >>> 27)) + f + e + k + w[i]) | 0;
      e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t;
    }
    h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0; h4 = (h4 + e) | 0;
  }
  return hex([h0, h1, h2, h3, h4]);
}

/** SHA-256 as lowercase hex: the cluster's one implementation. */
export function sha256Hex(input: string): string {
  return sha256(input);
}
