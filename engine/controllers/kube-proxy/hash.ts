/**
 * kube-proxy's chain names: prefix + the first 16 characters of
 * base32(sha256(servicePortName + protocol [+ endpoint])), as in
 * kubernetes/kubernetes pkg/proxy/iptables/proxier.go (portProtoHash,
 * servicePortEndpointChainName). The SHA-256 is the engine's one (cluster/hash.ts).
 */
import { sha256Bytes as sha256 } from '../../cluster/hash';

/** SHA-256, bytes in and bytes out (the CNI's chains and `ipset` import it from here). */
export { sha256 };

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Go's base32.StdEncoding (RFC 4648 alphabet, padded). */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0, value = 0;
  for (let i = 0; i < bytes.length; i++) {
    value = (value << 8) | bytes[i];
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

const enc = new TextEncoder();

/** portProtoHash: sha256(servicePortName + protocol) → base32 → first 16 chars. */
export function portProtoHash(servicePortName: string, protocol: string): string {
  return base32(sha256(enc.encode(servicePortName + protocol))).slice(0, 16);
}

export const servicePortPolicyClusterChain = (spn: string, proto: string) => 'KUBE-SVC-' + portProtoHash(spn, proto);
export const servicePortPolicyLocalChainName = (spn: string, proto: string) => 'KUBE-SVL-' + portProtoHash(spn, proto);
export const serviceFirewallChainName = (spn: string, proto: string) => 'KUBE-FW-' + portProtoHash(spn, proto);
export const serviceExternalChainName = (spn: string, proto: string) => 'KUBE-EXT-' + portProtoHash(spn, proto);

export function servicePortEndpointChainName(spn: string, proto: string, endpoint: string): string {
  return 'KUBE-SEP-' + base32(sha256(enc.encode(spn + proto + endpoint))).slice(0, 16);
}

export function isServiceChainName(chain: string): boolean {
  return chain.startsWith('KUBE-SVC-') || chain.startsWith('KUBE-SVL-') || chain.startsWith('KUBE-SEP-') || chain.startsWith('KUBE-FW-') || chain.startsWith('KUBE-EXT-');
}
