/**
 * kube-proxy's nftables names (pkg/proxy/nftables/proxier.go, v1.34): everything lives in
 * the `kube-proxy` table, so names need no KUBE- prefix; per-service chains are a prefix
 * plus hashAndTruncate("ns/name/proto/port"), per-endpoint chains and affinity sets a
 * prefix plus hashAndTruncate("ns/name/proto/port__ip/port"). SHA-256 and base32 are the
 * engine's one (cluster/hash.ts), as for the iptables mode's KUBE-SVC- hashes.
 */
import { base32, sha256Bytes } from '../../../cluster/hash';

export const KUBE_PROXY_TABLE = 'kube-proxy';

// base chains ("${type}-${hook}", plus the pre-DNAT filter chains)
export const FILTER_PREROUTING_PRE_DNAT = 'filter-prerouting-pre-dnat';
export const FILTER_OUTPUT_PRE_DNAT = 'filter-output-pre-dnat';
export const FILTER_INPUT = 'filter-input';
export const FILTER_FORWARD = 'filter-forward';
export const FILTER_OUTPUT = 'filter-output';
export const NAT_PREROUTING = 'nat-prerouting';
export const NAT_OUTPUT = 'nat-output';
export const NAT_POSTROUTING = 'nat-postrouting';

// service dispatch
export const SERVICES_CHAIN = 'services';
export const SERVICE_IPS_MAP = 'service-ips';
export const SERVICE_NODEPORTS_MAP = 'service-nodeports';
/** IPs that accept NodePort traffic (--nodeport-addresses; nftables mode defaults it to `primary`). */
export const NODEPORT_IPS_SET = 'nodeport-ips';
export const CLUSTER_IPS_SET = 'cluster-ips';

// services with no endpoints
export const SERVICE_ENDPOINTS_CHECK = 'service-endpoints-check';
export const NODEPORT_ENDPOINTS_CHECK = 'nodeport-endpoints-check';
export const NO_ENDPOINT_SERVICES_MAP = 'no-endpoint-services';
export const NO_ENDPOINT_NODEPORTS_MAP = 'no-endpoint-nodeports';
export const REJECT_CHAIN = 'reject-chain';
/** Traffic to unallocated ClusterIPs and undefined ports of ClusterIPs. */
export const CLUSTER_IPS_CHECK = 'cluster-ips-check';

// LoadBalancerSourceRanges
export const FIREWALL_IPS_MAP = 'firewall-ips';
export const FIREWALL_CHECK = 'firewall-check';

// masquerading
export const MARK_MASQ_CHAIN = 'mark-for-masquerade';
export const MASQUERADING_CHAIN = 'masquerading';

export const SERVICE_CHAIN_PREFIX = 'service-';
export const LOCAL_CHAIN_PREFIX = 'local-';
export const EXTERNAL_CHAIN_PREFIX = 'external-';
export const ENDPOINT_CHAIN_PREFIX = 'endpoint-';
export const AFFINITY_SET_PREFIX = 'affinity-';
export const FIREWALL_CHAIN_PREFIX = 'firewall-';

/** knftables.NameLengthMax (256) - chainNamePrefixLengthMax (16). */
const CHAIN_NAME_BASE_LENGTH_MAX = 256 - 16;
const enc = new TextEncoder();

/**
 * hashAndTruncate: the first 8 characters of base32(sha256(name)), a hyphen, the name;
 * cut to 237 characters plus "..." if longer than chainNameBaseLengthMax.
 */
export function hashAndTruncate(name: string): string {
  let out = base32(sha256Bytes(enc.encode(name))).slice(0, 8) + '-' + name;
  if (out.length > CHAIN_NAME_BASE_LENGTH_MAX) out = out.slice(0, CHAIN_NAME_BASE_LENGTH_MAX - 3) + '...';
  return out;
}

/** servicePortChainNameBase: "HASH-namespace/service/protocol/port-name", e.g. "ULMVA6XW-ns1/svc1/tcp/p80". */
export function servicePortChainNameBase(namespace: string, service: string, protocol: string, portName: string): string {
  return hashAndTruncate(`${namespace}/${service}/${protocol}/${portName}`);
}

/**
 * servicePortEndpointChainNameBase: "HASH-ns/svc/proto/port__ip/port", e.g.
 * "5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80" (IPv6 colons become dots).
 */
export function servicePortEndpointChainNameBase(namespace: string, service: string, protocol: string, portName: string, endpoint: string): string {
  const i = endpoint.lastIndexOf(':');
  let ip = endpoint.slice(0, i).replace(/^\[|\]$/g, '');
  const port = endpoint.slice(i + 1);
  if (ip.includes(':')) ip = ip.replaceAll(':', '.');
  return hashAndTruncate(`${namespace}/${service}/${protocol}/${portName}__${ip}/${port}`);
}

/** isServiceChainName: the generated chains, and only they, have a "/" in their name. */
export function isServiceChainName(chain: string): boolean {
  return chain.includes('/');
}

export function isAffinitySetName(set: string): boolean {
  return set.startsWith(AFFINITY_SET_PREFIX);
}
