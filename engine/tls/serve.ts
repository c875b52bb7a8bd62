/**
 * Which certificate a TLS server presents. Controllers call these: ingress-nginx for an
 * Ingress's spec.tls, the Gateway API controller for a listener's certificateRefs, and any
 * plain TLS server for itself. Everything is derived from Secrets and seeds; nothing here
 * draws from cluster.rng, so serving a request never moves the random stream.
 */
import type { Cluster } from '../cluster/cluster';
import { utf8 } from '../cluster/hash';
import { fromBase64 } from './pem';
import { expand, generateRsaKey } from './keys';
import { x509KeyPair, type KeyPair } from './keypair';
import { EKU_SERVER, basicConstraints, extKeyUsageExtension, issueCertificate, keyUsageExtension, sanExtension, verifyHostname, type Name } from './x509';

export type { KeyPair };

/** A Secret's tls.crt / tls.key as a key pair, or why it is not one. */
export function secretKeyPair(cluster: Cluster, namespace: string, name: string): KeyPair | { error: string } {
  const s = cluster.store.get('Secret', namespace, name);
  if (!s) return { error: `secret ${namespace}/${name} was not found` };
  if (s.type !== 'kubernetes.io/tls') return { error: `secret ${namespace}/${name} is of type ${s.type ?? 'Opaque'}, not kubernetes.io/tls` };
  const field = (k: string): string => {
    const raw = s.data?.[k] as string | undefined;
    const b = raw !== undefined ? fromBase64(raw) : undefined;
    return b ? new TextDecoder().decode(b) : (s.stringData?.[k] as string | undefined) ?? '';
  };
  return x509KeyPair(field('tls.crt'), field('tls.key'));
}

const cache = new Map<string, KeyPair>();

/**
 * A self-signed server certificate that is a pure function of `seed` and its dates, in
 * the shape Go's crypto/x509 gives a template with KeyUsage, ExtKeyUsage serverAuth and
 * BasicConstraintsValid (ingress-nginx's internal/net/ssl GetFakeSSLCert builds its
 * "Kubernetes Ingress Controller Fake Certificate" this way: O=Acme Co, one year,
 * DNS:ingress.local).
 */
export function seededSelfSigned(seed: string, subject: Name, dnsNames: string[], notBefore: number, days: number): KeyPair {
  const id = `${seed}|${notBefore}|${days}|${JSON.stringify(subject)}|${dnsNames.join(',')}`;
  const hit = cache.get(id);
  if (hit) return hit;
  const s = utf8(seed);
  const key = generateRsaKey(s, 2048);
  const serial = expand(s, 'serial', 16);
  serial[0] &= 0x7f;
  const cert = issueCertificate(
    {
      serial,
      issuer: subject,
      subject,
      notBefore,
      notAfter: notBefore + days * 86_400_000,
      publicKey: key,
      extensions: [keyUsageExtension([0, 2]), extKeyUsageExtension([EKU_SERVER]), basicConstraints(false), ...(dnsNames.length ? [sanExtension(dnsNames.map((value) => ({ type: 'DNS' as const, value })))] : [])],
    },
    key,
  );
  const pair = { chain: [cert], key };
  if (cache.size > 256) cache.clear();
  cache.set(id, pair);
  return pair;
}

/** ingress-nginx's default certificate, generated when the controller pod starts. */
export function ingressNginxFakeCertificate(podKey: string, startedAt: number): KeyPair {
  return seededSelfSigned(`ingress-nginx-fake:${podKey}`, [['O', 'Acme Co'], ['CN', 'Kubernetes Ingress Controller Fake Certificate']], ['ingress.local'], startedAt, 365);
}

export interface SecretRef {
  namespace: string;
  name: string;
}

export interface ServedCertificate {
  pair: KeyPair;
  /** The Secret it came from. */
  ref: SecretRef;
  /** Whether the leaf covers the SNI name (Go's VerifyHostname). */
  matches: boolean;
}

/**
 * The certificate a listener with these certificateRefs serves for `sni`: the first ref
 * whose certificate covers the name (Envoy picks the filter-chain certificate by SNI),
 * else the first loadable one. Refs that do not load are skipped; `errors` says why,
 * in the words a controller's status condition would use. Undefined when none loads.
 */
export function certificateForSni(cluster: Cluster, refs: SecretRef[], sni: string | undefined): (ServedCertificate & { errors: string[] }) | { errors: string[] } {
  const errors: string[] = [];
  let first: ServedCertificate | undefined;
  for (const ref of refs) {
    const pair = secretKeyPair(cluster, ref.namespace, ref.name);
    if ('error' in pair) {
      errors.push(pair.error);
      continue;
    }
    const matches = sni !== undefined && verifyHostname(pair.chain[0], sni);
    if (matches) return { pair, ref, matches, errors };
    first ??= { pair, ref, matches };
  }
  return first ? { ...first, errors } : { errors };
}
