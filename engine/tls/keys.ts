/**
 * RSA keys without the arithmetic. A key is deterministic pseudo-bytes expanded from a
 * seed with SHA-256 (generating real primes in a browser tab would take seconds): the
 * modulus has the right length with its top bits and low bit set, the exponent is
 * 65537, and the private half (d, p, q, dp, dq, qinv) is bytes of the right sizes. The
 * encodings are real: PKCS#8 "PRIVATE KEY" as openssl 3 writes, PKCS#1 "RSA PRIVATE KEY"
 * read too, SubjectPublicKeyInfo inside certificates and requests. A "signature" is
 * SHA-256 of the signed bytes bound to the signer's modulus, so a certificate verifies
 * against exactly the key that issued it — the property TLS needs from it here. Keys and
 * certificates made by a real openssl are the real thing: their PKCS#1 v1.5 signatures
 * are checked (and made) with BigInt arithmetic.
 */
import { sha256Bytes } from '../cluster/hash';
import { bits, concat, decode, DerError, int, kids, nul, octets, oid, readBits, readNumber, readOid, readUint, seq, uint, type DerNode } from './der';

export const OID_RSA = '1.2.840.113549.1.1.1';
export const OID_SHA256_RSA = '1.2.840.113549.1.1.11';

export interface RsaPublicKey {
  bits: number;
  n: Uint8Array;
  e: number;
}

export interface RsaKey extends RsaPublicKey {
  d: Uint8Array;
  p: Uint8Array;
  q: Uint8Array;
  dp: Uint8Array;
  dq: Uint8Array;
  qi: Uint8Array;
}

/** SHA-256 in counter mode: `len` bytes from a seed and a label. */
export function expand(seed: Uint8Array, label: string, len: number): Uint8Array {
  const out = new Uint8Array(len);
  const tag = new TextEncoder().encode(label);
  for (let i = 0, o = 0; o < len; i++) {
    const block = sha256Bytes(concat([seed, tag, Uint8Array.of(i >>> 24, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff)]));
    out.set(block.subarray(0, Math.min(32, len - o)), o);
    o += 32;
  }
  return out;
}

function oddTop(b: Uint8Array): Uint8Array {
  b[0] |= 0xc0;
  b[b.length - 1] |= 1;
  return b;
}

export function generateRsaKey(seed: Uint8Array, bitsLen: number): RsaKey {
  const len = bitsLen / 8;
  return {
    bits: bitsLen,
    n: oddTop(expand(seed, 'n', len)),
    e: 65537,
    d: oddTop(expand(seed, 'd', len)),
    p: oddTop(expand(seed, 'p', len / 2)),
    q: oddTop(expand(seed, 'q', len / 2)),
    dp: oddTop(expand(seed, 'dp', len / 2)),
    dq: oddTop(expand(seed, 'dq', len / 2)),
    qi: oddTop(expand(seed, 'qi', len / 2)),
  };
}

export const rsaAlgorithm = (): Uint8Array => seq(oid(OID_RSA), nul());
export const sha256WithRsa = (): Uint8Array => seq(oid(OID_SHA256_RSA), nul());

export function spki(k: RsaPublicKey): Uint8Array {
  return seq(rsaAlgorithm(), bits(seq(uint(k.n), int(k.e))));
}

export function readSpki(n: DerNode | undefined): RsaPublicKey {
  const [alg, key] = kids(n, 'SubjectPublicKeyInfo');
  const algOid = readOid(kids(alg, 'AlgorithmIdentifier')[0]);
  if (algOid !== OID_RSA) throw new DerError('unsupported public key algorithm');
  const [mod, exp] = kids(decode(readBits(key)), 'RSAPublicKey');
  const nBytes = readUint(mod);
  return { bits: bitLength(nBytes), n: nBytes, e: readNumber(exp) };
}

export function bitLength(b: Uint8Array): number {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  if (i === b.length) return 0;
  return (b.length - i - 1) * 8 + (32 - Math.clz32(b[i]));
}

function rsaPrivateKey(k: RsaKey): Uint8Array {
  return seq(int(0), uint(k.n), int(k.e), uint(k.d), uint(k.p), uint(k.q), uint(k.dp), uint(k.dq), uint(k.qi));
}

/** PKCS#8 PrivateKeyInfo ("-----BEGIN PRIVATE KEY-----"). */
export function pkcs8(k: RsaKey): Uint8Array {
  return seq(int(0), rsaAlgorithm(), octets(rsaPrivateKey(k)));
}

/** PKCS#1 RSAPrivateKey ("-----BEGIN RSA PRIVATE KEY-----", `openssl rsa -traditional`). */
export function pkcs1(k: RsaKey): Uint8Array {
  return rsaPrivateKey(k);
}

function readRsaPrivate(n: DerNode): RsaKey {
  const f = kids(n, 'RSAPrivateKey');
  if (f.length < 9) throw new DerError('expected RSAPrivateKey');
  const nBytes = readUint(f[1]);
  return { bits: bitLength(nBytes), n: nBytes, e: readNumber(f[2]), d: readUint(f[3]), p: readUint(f[4]), q: readUint(f[5]), dp: readUint(f[6]), dq: readUint(f[7]), qi: readUint(f[8]) };
}

/** A private key from a PEM block's label and bytes. */
export function readPrivateKey(label: string, der: Uint8Array): RsaKey {
  const root = decode(der);
  if (label === 'RSA PRIVATE KEY') return readRsaPrivate(root);
  const [, alg, key] = kids(root, 'PrivateKeyInfo');
  if (readOid(kids(alg, 'AlgorithmIdentifier')[0]) !== OID_RSA) throw new DerError('unsupported private key algorithm');
  if (!key || key.tag !== 0x04) throw new DerError('expected OCTET STRING');
  return readRsaPrivate(decode(key.value));
}

const toBig = (b: Uint8Array): bigint => {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
};

function fromBig(v: bigint, len: number): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = len - 1; i >= 0; i--, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let r = 1n;
  let b = base % mod;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % mod;
    b = (b * b) % mod;
  }
  return r;
}

/** DigestInfo for SHA-256 (RFC 8017 §9.2 note 1), the prefix of the hash in a PKCS#1 v1.5 signature. */
const SHA256_DIGEST_INFO = Uint8Array.from([0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20]);

/** EMSA-PKCS1-v1_5 encoding of SHA-256(tbs) in `len` bytes: 00 01 FF… 00 DigestInfo hash. */
function emsa(tbs: Uint8Array, len: number): Uint8Array {
  const t = concat([SHA256_DIGEST_INFO, sha256Bytes(tbs)]);
  const em = new Uint8Array(len).fill(0xff);
  em[0] = 0;
  em[1] = 1;
  em[len - t.length - 1] = 0;
  em.set(t, len - t.length);
  return em;
}

/** A key read from a real PEM (made by a real openssl): its primes multiply to its modulus. */
function isRealKey(k: RsaKey): boolean {
  return toBig(k.p) * toBig(k.q) === toBig(k.n);
}

/**
 * The signature `key` puts on `tbs`: a real RSASSA-PKCS1-v1_5 signature when the key is
 * a real one (a learner may paste a key made elsewhere), else the pseudo-signature the
 * file comment describes.
 */
export function sign(tbs: Uint8Array, key: RsaKey): Uint8Array {
  if (isRealKey(key)) return fromBig(modPow(toBig(emsa(tbs, key.n.length)), toBig(key.d), toBig(key.n)), key.n.length);
  const s = expand(concat([sha256Bytes(tbs), key.n]), 'sig', key.n.length);
  s[0] &= 0x7f;
  return s;
}

/** Our pseudo-signature, or a real PKCS#1 v1.5 SHA-256 signature checked with the public key (s^e mod n). */
export function verifies(tbs: Uint8Array, signature: Uint8Array, key: RsaPublicKey): boolean {
  const pseudo = expand(concat([sha256Bytes(tbs), key.n]), 'sig', key.n.length);
  pseudo[0] &= 0x7f;
  if (pseudo.length === signature.length && pseudo.every((x, i) => x === signature[i])) return true;
  const n = toBig(key.n);
  const s = toBig(signature);
  if (s >= n) return false;
  const m = fromBig(modPow(s, BigInt(key.e), n), key.n.length);
  const want = emsa(tbs, key.n.length);
  return m.every((x, i) => x === want[i]);
}

export function sameKey(a: RsaPublicKey, b: RsaPublicKey): boolean {
  return a.e === b.e && a.n.length === b.n.length && a.n.every((x, i) => x === b.n[i]);
}
