/**
 * kube-proxy's chain names: prefix + the first 16 characters of
 * base32(sha256(servicePortName + protocol [+ endpoint])), as in
 * kubernetes/kubernetes pkg/proxy/iptables/proxier.go (portProtoHash,
 * servicePortEndpointChainName). SHA-256 and base32 are the engine's one (cluster/hash.ts).
 */
import { base32, sha256Bytes as sha256 } from '../../cluster/hash';

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
