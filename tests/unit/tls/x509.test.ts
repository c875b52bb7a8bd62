/**
 * engine/tls: real properties of the certificate model — DER round trips, real RSA
 * (PKCS#1 v1.5, RFC 8017 §8.2) on certificates a real openssl made, issuance and
 * hostname rules (RFC 6125 §6.4.3: a wildcard covers exactly one label), and the chain
 * verification codes of crypto/x509/x509_vfy.c.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pemBlocks, pemEncode, fromBase64, toBase64 } from '../../../engine/tls/pem';
import { generateRsaKey, pkcs8, readPrivateKey, sameKey } from '../../../engine/tls/keys';
import { basicConstraints, hostMatchesPattern, issueCertificate, issuedBy, parseCertificate, sanExtension, selfSigned, verifyHostname, type Certificate } from '../../../engine/tls/x509';
import { verifyChain } from '../../../engine/tls/verify';
import { x509KeyPair } from '../../../engine/tls/keypair';

const fx = (f: string) => readFileSync(new URL(`../../golden/tls/fixtures/${f}`, import.meta.url), 'utf8');
const cert = (f: string) => parseCertificate(pemBlocks(fx(f))[0].der);
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 11, 8);

function make(cn: string, issuer: { name: string; key: ReturnType<typeof generateRsaKey> } | undefined, sans: string[], seed: string, notBefore = T0 - DAY, days = 30): { cert: Certificate; key: ReturnType<typeof generateRsaKey> } {
  const key = generateRsaKey(new TextEncoder().encode(seed), 2048);
  const c = issueCertificate({
    serial: Uint8Array.of(1, 2, 3), issuer: [['CN', issuer?.name ?? cn]], subject: [['CN', cn]], notBefore, notAfter: notBefore + days * DAY, publicKey: key,
    extensions: [...(issuer ? [] : [basicConstraints(true)]), ...(sans.length ? [sanExtension(sans.map((value) => ({ type: 'DNS' as const, value })))] : [])],
  }, issuer?.key ?? key);
  return { cert: c, key };
}

describe('PEM and DER', () => {
  it('base64 round-trips every length; bad base64 is no block', () => {
    for (let n = 0; n < 70; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      expect(fromBase64(toBase64(b))).toEqual(b);
    }
    expect(pemBlocks('-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n')).toEqual([]);
  });

  it('a real certificate re-encodes to the same bytes and the same PEM', () => {
    const c = cert('real-leaf.pem');
    expect(pemEncode('CERTIFICATE', c.der)).toBe(fx('real-leaf.pem'));
    const own = make('a.example', undefined, ['a.example'], 's1').cert;
    expect(parseCertificate(own.der)).toEqual(own);
  });

  it('a key survives PKCS#8 and matches its certificate; another key does not', () => {
    const { cert: c, key } = make('a.example', undefined, ['a.example'], 's1');
    expect(sameKey(readPrivateKey('PRIVATE KEY', pkcs8(key)), c.publicKey)).toBe(true);
    expect(sameKey(generateRsaKey(new TextEncoder().encode('s2'), 2048), c.publicKey)).toBe(false);
  });
});

describe('signatures', () => {
  it('real RSA: the real leaf was signed by the real CA, which signed itself', () => {
    const leaf = cert('real-leaf.pem');
    const ca = cert('real-ca.pem');
    expect(issuedBy(leaf, ca)).toBe(true);
    expect(selfSigned(ca)).toBe(true);
    expect(selfSigned(leaf)).toBe(false);
    const tampered = parseCertificate(Uint8Array.from(leaf.der, (b, i) => (i === leaf.der.length - 1 ? b ^ 1 : b)));
    expect(issuedBy(tampered, ca)).toBe(false);
  });

  it('a real key signs for real: its certificate verifies with real RSA', () => {
    const pair = x509KeyPair(fx('real-ca.pem'), fx('real-ca.key'));
    if ('error' in pair) throw new Error(pair.error);
    const leaf = issueCertificate({ serial: Uint8Array.of(9), issuer: pair.chain[0].subject, subject: [['CN', 'x']], notBefore: T0, notAfter: T0 + DAY, publicKey: generateRsaKey(new TextEncoder().encode('k'), 2048), extensions: [] }, pair.key);
    expect(issuedBy(leaf, pair.chain[0])).toBe(true);
  });
});

describe('host names', () => {
  it('a wildcard covers exactly one label, case-insensitively', () => {
    expect(hostMatchesPattern('*.example.com', 'Shop.Example.com')).toBe(true);
    expect(hostMatchesPattern('*.example.com', 'a.b.example.com')).toBe(false);
    expect(hostMatchesPattern('*.example.com', 'example.com')).toBe(false);
    expect(verifyHostname(make('x', undefined, ['*.apps.example.com'], 's3').cert, 'web.apps.example.com')).toBe(true);
    // only SANs count (Go 1.15+): a CN alone covers nothing
    expect(verifyHostname(make('x.example.com', undefined, [], 's4').cert, 'x.example.com')).toBe(false);
  });
});

describe('verifyChain (X509_verify_cert codes)', () => {
  const ca = make('Lab CA', undefined, [], 'ca', T0 - 10 * DAY, 3650);
  const leaf = make('web', { name: 'Lab CA', key: ca.key }, ['web.example.com'], 'leaf');
  it('0 through a trusted CA; 20 (then 21) without it; 18 for a lone self-signed one; 19 when the root is sent but not trusted', () => {
    expect(verifyChain([leaf.cert], [ca.cert], T0)).toMatchObject({ code: 0, path: [leaf.cert, ca.cert] });
    expect(verifyChain([leaf.cert], [], T0)).toMatchObject({ code: 20, depth: 0, last: { code: 21 } });
    expect(verifyChain([ca.cert], [], T0)).toMatchObject({ code: 18, depth: 0 });
    expect(verifyChain([leaf.cert, ca.cert], [], T0)).toMatchObject({ code: 19, depth: 1 });
  });
  it('9 before notBefore, 10 after notAfter', () => {
    expect(verifyChain([leaf.cert], [ca.cert], T0 - 5 * DAY)).toMatchObject({ code: 9, depth: 0 });
    expect(verifyChain([leaf.cert], [ca.cert], T0 + 40 * DAY)).toMatchObject({ code: 10, depth: 0 });
  });
});
