/**
 * PEM (RFC 7468): base64 DER between "-----BEGIN LABEL-----" and "-----END LABEL-----",
 * 64 characters a line, as openssl writes it. The reader follows Go's encoding/pem
 * (what kubectl's tls.X509KeyPair uses): text around blocks is skipped, a block whose
 * body is not valid base64 is no block.
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function toBase64(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < b.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < b.length ? B64[n & 63] : '=');
  }
  return out;
}

/** Strict base64 (padding required); undefined when it is not. */
export function fromBase64(s: string): Uint8Array | undefined {
  const t = s.replace(/[\r\n\t ]/g, '');
  if (t.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(t)) return undefined;
  const pad = t.endsWith('==') ? 2 : t.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((t.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < t.length; i += 4) {
    const n = (B64.indexOf(t[i]) << 18) | (B64.indexOf(t[i + 1]) << 12) | ((t[i + 2] === '=' ? 0 : B64.indexOf(t[i + 2])) << 6) | (t[i + 3] === '=' ? 0 : B64.indexOf(t[i + 3]));
    if (o < out.length) out[o++] = (n >> 16) & 0xff;
    if (o < out.length) out[o++] = (n >> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
  }
  return out;
}

export function pemEncode(label: string, der: Uint8Array): string {
  const b = toBase64(der);
  let out = `-----BEGIN ${label}-----\n`;
  for (let i = 0; i < b.length; i += 64) out += b.slice(i, i + 64) + '\n';
  return out + `-----END ${label}-----\n`;
}

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

/** Every well-formed block in `text`, in order. */
export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1] !== m[3]) continue;
    // Headers (Proc-Type: …) mark an encrypted legacy key: kept out of the body.
    const body = m[2].split('\n').filter((l) => !l.includes(':')).join('\n');
    const der = fromBase64(body);
    if (der) out.push({ label: m[1], der });
  }
  return out;
}
