/**
 * A certificate chain with its private key, loaded the way Go's crypto/tls
 * X509KeyPair loads it (kubectl create secret tls, ingress-nginx, Envoy Gateway's
 * controller all go through it), with its exact error strings.
 */
import { DerError } from './der';
import { pemBlocks } from './pem';
import { readPrivateKey, sameKey, type RsaKey } from './keys';
import { parseCertificate, type Certificate } from './x509';

export interface KeyPair {
  /** Leaf first, then whatever intermediates the PEM carried. */
  chain: Certificate[];
  key: RsaKey;
}

/** tls.X509KeyPair(certPEM, keyPEM): the pair, or Go's error text. */
export function x509KeyPair(certPem: string, keyPem: string): KeyPair | { error: string } {
  const certs: Uint8Array[] = [];
  const skipped: string[] = [];
  for (const b of pemBlocks(certPem)) {
    if (b.label === 'CERTIFICATE') certs.push(b.der);
    else skipped.push(b.label);
  }
  if (certs.length === 0) {
    if (skipped.length === 0) return { error: 'tls: failed to find any PEM data in certificate input' };
    if (skipped.length === 1 && skipped[0].endsWith('PRIVATE KEY')) return { error: 'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched' };
    return { error: `tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [${skipped.join(' ')}]` };
  }
  const keySkipped: string[] = [];
  let keyBlock: { label: string; der: Uint8Array } | undefined;
  for (const b of pemBlocks(keyPem)) {
    if (b.label === 'PRIVATE KEY' || b.label.endsWith(' PRIVATE KEY')) {
      keyBlock = b;
      break;
    }
    keySkipped.push(b.label);
  }
  if (!keyBlock) {
    if (keySkipped.length === 0) return { error: 'tls: failed to find any PEM data in key input' };
    if (keySkipped.length === 1 && keySkipped[0] === 'CERTIFICATE') return { error: 'tls: found a certificate rather than a key in the PEM for the private key' };
    return { error: `tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [${keySkipped.join(' ')}]` };
  }
  const chain: Certificate[] = [];
  for (const [i, d] of certs.entries()) {
    try {
      chain.push(parseCertificate(d));
    } catch (e) {
      if (!(e instanceof DerError)) throw e;
      // Only the leaf is parsed by X509KeyPair; a broken intermediate is left to the client.
      if (i === 0) return { error: 'x509: malformed certificate' };
    }
  }
  let key: RsaKey;
  try {
    key = readPrivateKey(keyBlock.label, keyBlock.der);
  } catch (e) {
    if (!(e instanceof DerError)) throw e;
    return { error: 'tls: failed to parse private key' };
  }
  if (!sameKey(chain[0].publicKey, key)) return { error: 'tls: private key does not match public key' };
  return { chain, key };
}
