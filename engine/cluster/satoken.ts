/**
 * The bound ServiceAccount token the kubelet writes into every Pod that mounts
 * kube-api-access-* (/var/run/secrets/kubernetes.io/serviceaccount/token), and the API
 * server's check of it as a bearer token.
 *
 * A real JWS (RFC 7515 compact form): the header and the claims are what the API server
 * issues (pkg/serviceaccount/jwt.go, claims.go), the signature is 256 bytes drawn from the
 * header and claims (netlab generates no sa.key; an RS256 signature is 256 bytes for
 * kubeadm's 2048-bit key), so the API server here recognises its own tokens by recomputing it.
 *
 * - header {"alg":"RS256","kid":…}: kid is the base64url SHA-256 of the public key's DER
 *   (jwt.go keyIDFromPublicKey) — here of a stand-in for the cluster's sa.pub;
 * - claims, as go-jose serialises the merged claim maps (keys sorted at every level): aud
 *   (kubeadm leaves --api-audiences unset, so the issuer), exp, iat, iss (kubeadm's
 *   --service-account-issuer https://kubernetes.default.svc.<domain>), jti, kubernetes.io
 *   {namespace, node {name, uid}, pod {name, uid}, serviceaccount {name, uid}, warnafter},
 *   nbf, sub system:serviceaccount:<ns>:<name>;
 * - the projected volume asks for 3607 s (WarnOnlyBoundTokenExpirationSeconds): the API server
 *   extends it to a year (--service-account-extend-token-expiration, ExpirationExtensionSeconds)
 *   and sets warnafter to iat + 3607; the kubelet's token manager renews a token older than
 *   24 h (pkg/kubelet/token requiresRefresh maxTTL), so iat moves on once a day from the Pod's start.
 */
import type { KindStore } from './store';
import type { UserInfo } from './rbac/authorizer';
import { sha256Bytes } from './hash';

export const SA_TOKEN_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

const REQUESTED_SECONDS = 3607;
const EXTENDED_SECONDS = 365 * 24 * 60 * 60;
const RENEW_MS = 24 * 60 * 60 * 1000;

const enc = new TextEncoder();
const dec = new TextDecoder();

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** base64url without padding (RFC 7515 §2). */
export function base64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    if (i + 1 < bytes.length) out += B64[(n >> 6) & 63];
    if (i + 2 < bytes.length) out += B64[n & 63];
  }
  return out;
}

function fromBase64url(s: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return undefined;
  const out: number[] = [];
  for (let i = 0; i < s.length; i += 4) {
    const c = [0, 1, 2, 3].map((j) => (i + j < s.length ? B64.indexOf(s[i + j]) : 0));
    const n = (c[0] << 18) | (c[1] << 12) | (c[2] << 6) | c[3];
    out.push((n >> 16) & 255);
    if (i + 2 < s.length) out.push((n >> 8) & 255);
    if (i + 3 < s.length) out.push(n & 255);
  }
  return Uint8Array.from(out);
}

/** The signature's stand-in: 256 bytes from SHA-256 over the signing input, block by block. */
function signature(signingInput: string): string {
  const out = new Uint8Array(256);
  for (let i = 0; i < 8; i++) out.set(sha256Bytes(enc.encode(`sa.key/${i}/${signingInput}`)), i * 32);
  return base64url(out);
}

/** A UUID (version 4 layout) drawn from `seed`, as the API server's jti. */
function uuidFrom(seed: string): string {
  const h = Array.from(sha256Bytes(enc.encode(seed)), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface TokenSubject {
  namespace: string;
  pod: { name: string; uid: string };
  serviceAccount: { name: string; uid: string };
  node: { name: string; uid: string };
  /** When the kubelet first mounted the token (the Pod's start), ms. */
  mountedAt: number;
}

/** The issuer kubeadm configures. */
export function tokenIssuer(clusterDomain: string): string {
  return `https://kubernetes.default.svc.${clusterDomain}`;
}

/** The token file's content at `now` (ms). */
export function serviceAccountToken(s: TokenSubject, clusterDomain: string, now: number): string {
  const iss = tokenIssuer(clusterDomain);
  const renewals = Math.max(0, Math.floor((now - s.mountedAt) / RENEW_MS));
  const iat = Math.floor((s.mountedAt + renewals * RENEW_MS) / 1000);
  const kid = base64url(sha256Bytes(enc.encode(`sa.pub/${iss}`)));
  const header = JSON.stringify({ alg: 'RS256', kid });
  const claims = JSON.stringify({
    aud: [iss],
    exp: iat + EXTENDED_SECONDS,
    iat,
    iss,
    jti: uuidFrom(`${s.pod.uid}/${iat}`),
    'kubernetes.io': {
      namespace: s.namespace,
      node: { name: s.node.name, uid: s.node.uid },
      pod: { name: s.pod.name, uid: s.pod.uid },
      serviceaccount: { name: s.serviceAccount.name, uid: s.serviceAccount.uid },
      warnafter: iat + REQUESTED_SECONDS,
    },
    nbf: iat,
    sub: `system:serviceaccount:${s.namespace}:${s.serviceAccount.name}`,
  });
  const input = `${base64url(enc.encode(header))}.${base64url(enc.encode(claims))}`;
  return `${input}.${signature(input)}`;
}

interface Claims {
  exp?: number;
  nbf?: number;
  iss?: string;
  sub?: string;
  'kubernetes.io'?: { namespace?: string; pod?: { name?: string; uid?: string }; serviceaccount?: { name?: string; uid?: string } };
}

/**
 * The user a bearer token authenticates, or undefined (the API server answers 401): a token
 * this cluster signed (pkg/serviceaccount/jwt.go Validate), not expired, whose ServiceAccount
 * and bound Pod still exist with the uids it names (legacy.go/claims.go: a token bound to a
 * deleted Pod stops working). The user is system:serviceaccount:<ns>:<name> in
 * system:serviceaccounts, system:serviceaccounts:<ns> and system:authenticated.
 */
export function authenticateToken(token: string, store: KindStore, clusterDomain: string, now: number): UserInfo | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || signature(`${parts[0]}.${parts[1]}`) !== parts[2]) return undefined;
  const bytes = fromBase64url(parts[1]);
  if (!bytes) return undefined;
  let claims: Claims;
  try {
    claims = JSON.parse(dec.decode(bytes)) as Claims;
  } catch {
    return undefined;
  }
  const k = claims['kubernetes.io'];
  if (claims.iss !== tokenIssuer(clusterDomain) || !k?.namespace || !k.serviceaccount?.name) return undefined;
  const secs = now / 1000;
  if ((claims.exp ?? 0) < secs || (claims.nbf ?? 0) > secs + 60) return undefined;
  const sa = store.get('ServiceAccount', k.namespace, k.serviceaccount.name);
  if (!sa || sa.metadata.uid !== k.serviceaccount.uid) return undefined;
  if (k.pod) {
    const pod = store.get('Pod', k.namespace, k.pod.name ?? '');
    if (!pod || pod.metadata.uid !== k.pod.uid) return undefined;
  }
  return { name: `system:serviceaccount:${k.namespace}:${k.serviceaccount.name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${k.namespace}`, 'system:authenticated'] };
}
