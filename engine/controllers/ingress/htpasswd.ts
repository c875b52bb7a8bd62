/**
 * nginx's auth_basic password check (ngx_http_auth_basic_module.c → ngx_crypt in
 * src/os/unix/ngx_user.c and src/core/ngx_crypt.c, nginx 1.25): the user file's lines are
 * `user:hash[:comment]`, `#` lines are comments, the first line of the user wins, and the
 * hash is checked by its scheme:
 * - `$apr1$` (Apache's MD5, htpasswd's default) — ngx_crypt_apr1, with our MD5;
 * - `{PLAIN}`, `{SHA}` (base64 of SHA-1), `{SSHA}` (base64 of SHA-1(password + salt) + salt);
 * - anything else goes to the libc crypt(3) of the controller's image (musl): `$1$` is the
 *   same MD5 algorithm as apr1 and is checked; `$2y$`/`$2b$` (bcrypt), `$5$`/`$6$`
 *   (SHA-crypt) and DES are NOT simulated here — verify() says so rather than guessing.
 */
import { sha1Bytes } from '../../cluster/hash';

// ---- MD5 (RFC 1321) -------------------------------------------------------------------------

const S = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21];
/** K[i] = floor(abs(sin(i + 1)) × 2^32). */
const K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 0x100000000) >>> 0);

export function md5Bytes(msg: Uint8Array): Uint8Array {
  const bitLen = msg.length * 8;
  const padded = new Uint8Array((((msg.length + 8) >> 6) + 1) * 64);
  padded.set(msg);
  padded[msg.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, bitLen >>> 0, true);
  view.setUint32(padded.length - 4, Math.floor(bitLen / 0x100000000), true);
  let a0 = 0x67452301;
  let b0 = 0xefcdab89;
  let c0 = 0x98badcfe;
  let d0 = 0x10325476;
  const M = new Uint32Array(16);
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) M[i] = view.getUint32(off + i * 4, true);
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const tmp = d;
      d = c;
      c = b;
      const sum = (a + f + K[i] + M[g]) >>> 0;
      b = (b + ((sum << S[i]) | (sum >>> (32 - S[i])))) >>> 0;
      a = tmp;
    }
    a0 = (a0 + a) >>> 0;
    b0 = (b0 + b) >>> 0;
    c0 = (c0 + c) >>> 0;
    d0 = (d0 + d) >>> 0;
  }
  const out = new Uint8Array(16);
  const ov = new DataView(out.buffer);
  [a0, b0, c0, d0].forEach((v, i) => ov.setUint32(i * 4, v, true));
  return out;
}

const enc = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** ngx_crypt_apr1 (and FreeBSD's md5crypt for `$1$`): MAGIC + salt (≤ 8 chars, up to a `$`) + `$` + 22 chars. */
export function md5Crypt(password: string, magic: '$apr1$' | '$1$', saltIn: string): string {
  const pw = enc(password);
  const salt = enc(saltIn.split('$')[0].slice(0, 8));
  const alt = md5Bytes(concat(pw, salt, pw));
  const parts: Uint8Array[] = [pw, enc(magic), salt];
  for (let n = pw.length; n > 0; n -= 16) parts.push(alt.slice(0, Math.min(16, n)));
  for (let i = pw.length; i; i >>= 1) parts.push(i & 1 ? new Uint8Array(1) : pw.slice(0, 1));
  let fin = md5Bytes(concat(...parts));
  for (let i = 0; i < 1000; i++) {
    const p: Uint8Array[] = [i & 1 ? pw : fin];
    if (i % 3) p.push(salt);
    if (i % 7) p.push(pw);
    p.push(i & 1 ? fin : pw);
    fin = md5Bytes(concat(...p));
  }
  let out = `${magic}${new TextDecoder().decode(salt)}$`;
  const to64 = (v: number, n: number) => {
    for (; n > 0; n--, v >>= 6) out += ITOA64[v & 0x3f];
  };
  to64((fin[0] << 16) | (fin[6] << 8) | fin[12], 4);
  to64((fin[1] << 16) | (fin[7] << 8) | fin[13], 4);
  to64((fin[2] << 16) | (fin[8] << 8) | fin[14], 4);
  to64((fin[3] << 16) | (fin[9] << 8) | fin[15], 4);
  to64((fin[4] << 16) | (fin[10] << 8) | fin[5], 4);
  to64(fin[11], 2);
  return out;
}

function b64(bytes: Uint8Array): string {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += A[(n >> 18) & 63] + A[(n >> 12) & 63] + (i + 1 < bytes.length ? A[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? A[n & 63] : '=');
  }
  return out;
}

function unb64(s: string): Uint8Array | undefined {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const clean = s.replace(/=+$/, '');
  if (/[^A-Za-z0-9+/]/.test(clean)) return undefined;
  const out: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const ch of clean) {
    acc = (acc << 6) | A.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return new Uint8Array(out);
}

/** The outcome of checking one password against one stored hash. */
export type CryptResult = { ok: boolean } | { unsupported: string };

/** ngx_crypt: the scheme of the stored hash decides. */
export function checkPassword(password: string, stored: string): CryptResult {
  if (stored.startsWith('$apr1$')) return { ok: md5Crypt(password, '$apr1$', stored.slice(6)) === stored };
  if (stored.startsWith('{PLAIN}')) return { ok: stored.slice(7) === password };
  if (stored.startsWith('{SHA}')) return { ok: b64(sha1Bytes(enc(password))) === stored.slice(5) };
  if (stored.startsWith('{SSHA}')) {
    const raw = unb64(stored.slice(6));
    if (!raw || raw.length < 20) return { ok: false };
    const salt = raw.slice(20);
    return { ok: b64(sha1Bytes(concat(enc(password), salt))) === b64(raw.slice(0, 20)) };
  }
  // libc crypt(3)
  if (stored.startsWith('$1$')) return { ok: md5Crypt(password, '$1$', stored.slice(3)) === stored };
  const scheme = /^\$(2[abxy]?|5|6)\$/.exec(stored)?.[1];
  return { unsupported: scheme ? (scheme.startsWith('2') ? 'bcrypt' : `SHA-${scheme === '5' ? 256 : 512}-crypt`) : 'DES crypt' };
}

export interface BasicAuthCheck {
  /** 'ok', 'mismatch' (nginx: `user "u": password mismatch`), 'no-user' (`user "u" was not found in "FILE"`), 'unsupported' */
  result: 'ok' | 'mismatch' | 'no-user' | 'unsupported';
  scheme?: string;
}

/** ngx_http_auth_basic_handler over the user file's text: the first line naming the user decides. */
export function checkUserFile(file: string, user: string, password: string): BasicAuthCheck {
  for (const raw of file.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('#') || line === '') continue;
    const i = line.indexOf(':');
    if (i < 0 || line.slice(0, i) !== user) continue;
    const rest = line.slice(i + 1);
    const j = rest.indexOf(':');
    const stored = j >= 0 ? rest.slice(0, j) : rest;
    const r = checkPassword(password, stored);
    if ('unsupported' in r) return { result: 'unsupported', scheme: r.unsupported };
    return { result: r.ok ? 'ok' : 'mismatch' };
  }
  return { result: 'no-user' };
}

/** The credentials of an `Authorization: Basic …` header, undefined when absent or not Basic. */
export function basicCredentials(value: string | undefined): { user: string; password: string } | undefined {
  if (!value) return undefined;
  const m = /^Basic\s+(\S+)\s*$/i.exec(value);
  if (!m) return undefined;
  const raw = unb64(m[1]);
  if (!raw) return undefined;
  const text = new TextDecoder().decode(raw);
  const i = text.indexOf(':');
  if (i < 0) return undefined;
  return { user: text.slice(0, i), password: text.slice(i + 1) };
}
