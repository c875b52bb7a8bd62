/**
 * kube-proxy's chain names: prefix + the first 16 characters of
 * base32(sha256(servicePortName + protocol [+ endpoint])), as in
 * kubernetes/kubernetes pkg/proxy/iptables/proxier.go (portProtoHash,
 * servicePortEndpointChainName). SHA-256 and base32 are the engine's one (cluster/hash.ts).
 */
import { base32, sha256Bytes as sha256 } from '../../cluster/hash';

const enc = new TextEncoder();
const scratch = new Uint8Array(256);

/** UTF-8 bytes of `s`: written straight into a scratch buffer when ASCII (names and addresses are), sha256Bytes copies them. */
function bytesOf(s: string): Uint8Array {
  if (s.length > scratch.length) return enc.encode(s);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return enc.encode(s);
    scratch[i] = c;
  }
  return scratch.subarray(0, s.length);
}

/**
 * The first 16 characters of base32(sha256(s)): base32 turns each 5 bytes into 8 characters,
 * so they are the encoding of the digest's first 10 bytes (20,000 endpoint chains a sync).
 */
function hash16(s: string): string {
  return base32(sha256(bytesOf(s)).subarray(0, 10));
}

/** portProtoHash: sha256(servicePortName + protocol) → base32 → first 16 chars. */
export function portProtoHash(servicePortName: string, protocol: string): string {
  return hash16(servicePortName + protocol);
}

export const servicePortPolicyClusterChain = (spn: string, proto: string) => 'KUBE-SVC-' + portProtoHash(spn, proto);
export const servicePortPolicyLocalChainName = (spn: string, proto: string) => 'KUBE-SVL-' + portProtoHash(spn, proto);
export const serviceFirewallChainName = (spn: string, proto: string) => 'KUBE-FW-' + portProtoHash(spn, proto);
export const serviceExternalChainName = (spn: string, proto: string) => 'KUBE-EXT-' + portProtoHash(spn, proto);

export function servicePortEndpointChainName(spn: string, proto: string, endpoint: string): string {
  return 'KUBE-SEP-' + hash16(spn + proto + endpoint);
}

export function isServiceChainName(chain: string): boolean {
  return chain.startsWith('KUBE-SVC-') || chain.startsWith('KUBE-SVL-') || chain.startsWith('KUBE-SEP-') || chain.startsWith('KUBE-FW-') || chain.startsWith('KUBE-EXT-');
}
