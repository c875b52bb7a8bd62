/**
 * ipsets, as kube-proxy's IPVS mode creates them (pkg/proxy/ipvs/ipset.go) and as
 * `ipset list` prints them (ipset 7.x, lib/print.c).
 */
import { parseAddr, addrMatches } from '../netfilter/rule';

export type IpsetType = 'hash:ip' | 'hash:ip,port' | 'hash:ip,port,ip' | 'hash:ip,port,net' | 'hash:net' | 'bitmap:port';

export interface IpsetInfo {
  name: string;
  type: IpsetType;
  comment: string;
  /** maxelem when not ipset's default 65536 (Felix creates its sets with 1048576, MaxIPSetSize). */
  maxelem?: number;
}

/** ipsetInfo, in kube-proxy's order. */
export const KUBE_IPSETS: IpsetInfo[] = [
  { name: 'KUBE-LOOP-BACK', type: 'hash:ip,port,ip', comment: 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose' },
  { name: 'KUBE-CLUSTER-IP', type: 'hash:ip,port', comment: 'Kubernetes service cluster ip + port for masquerade purpose' },
  { name: 'KUBE-EXTERNAL-IP', type: 'hash:ip,port', comment: 'Kubernetes service external ip + port for masquerade and filter purpose' },
  { name: 'KUBE-EXTERNAL-IP-LOCAL', type: 'hash:ip,port', comment: 'Kubernetes service external ip + port with externalTrafficPolicy=local' },
  { name: 'KUBE-LOAD-BALANCER', type: 'hash:ip,port', comment: 'Kubernetes service lb portal' },
  { name: 'KUBE-LOAD-BALANCER-FW', type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port for load balancer with sourceRange' },
  { name: 'KUBE-LOAD-BALANCER-LOCAL', type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port with externalTrafficPolicy=local' },
  { name: 'KUBE-LOAD-BALANCER-SOURCE-IP', type: 'hash:ip,port,ip', comment: 'Kubernetes service load balancer ip + port + source IP for packet filter purpose' },
  { name: 'KUBE-LOAD-BALANCER-SOURCE-CIDR', type: 'hash:ip,port,net', comment: 'Kubernetes service load balancer ip + port + source cidr for packet filter purpose' },
  { name: 'KUBE-NODE-PORT-TCP', type: 'bitmap:port', comment: 'Kubernetes nodeport TCP port for masquerade purpose' },
  { name: 'KUBE-NODE-PORT-LOCAL-TCP', type: 'bitmap:port', comment: 'Kubernetes nodeport TCP port with externalTrafficPolicy=local' },
  { name: 'KUBE-NODE-PORT-UDP', type: 'bitmap:port', comment: 'Kubernetes nodeport UDP port for masquerade purpose' },
  { name: 'KUBE-NODE-PORT-LOCAL-UDP', type: 'bitmap:port', comment: 'Kubernetes nodeport UDP port with externalTrafficPolicy=local' },
  { name: 'KUBE-NODE-PORT-SCTP-HASH', type: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'" },
  { name: 'KUBE-NODE-PORT-LOCAL-SCTP-HASH', type: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'" },
  { name: 'KUBE-HEALTH-CHECK-NODE-PORT', type: 'bitmap:port', comment: 'Kubernetes health check node port' },
  { name: 'KUBE-IPVS-IPS', type: 'hash:ip', comment: 'Addresses on the ipvs interface' },
];

export class IpSet {
  readonly entries = new Set<string>();
  constructor(readonly info: IpsetInfo) {}

  get name(): string {
    return this.info.name;
  }

  isEmpty(): boolean {
    return this.entries.size === 0;
  }

  /** Does the packet match with `--match-set NAME flags` (dst,dst = ip,port; …,src = source ip/net)? */
  test(pkt: { src: string; dst: string; sport: number; dport: number; proto: string }, flags: string[]): boolean {
    const pick = (f: string | undefined, kind: 'ip' | 'port') =>
      kind === 'ip' ? (f === 'src' ? pkt.src : pkt.dst) : f === 'src' ? pkt.sport : pkt.dport;
    switch (this.info.type) {
      case 'hash:ip':
        return this.entries.has(String(pick(flags[0], 'ip')));
      case 'hash:net': {
        const ip = String(pick(flags[0], 'ip'));
        if (this.entries.has(ip)) return true;
        const n = ip.split('.').reduce((a, b) => ((a << 8) | Number(b)) >>> 0, 0);
        for (const e of this.entries) {
          const a = e.includes('/') ? parseAddr(e, false) : undefined;
          if (a && addrMatches(a, n)) return true;
        }
        return false;
      }
      case 'bitmap:port':
        return this.entries.has(String(pick(flags[0], 'port')));
      case 'hash:ip,port':
        return this.entries.has(`${pick(flags[0], 'ip')},${pkt.proto}:${pick(flags[1], 'port')}`);
      case 'hash:ip,port,ip':
        return this.entries.has(`${pick(flags[0], 'ip')},${pkt.proto}:${pick(flags[1], 'port')},${pick(flags[2], 'ip')}`);
      case 'hash:ip,port,net': {
        const prefix = `${pick(flags[0], 'ip')},${pkt.proto}:${pick(flags[1], 'port')},`;
        const ip = String(pick(flags[2], 'ip'));
        const n = ip.split('.').reduce((a, b) => ((a << 8) | Number(b)) >>> 0, 0);
        for (const e of this.entries) {
          if (!e.startsWith(prefix)) continue;
          const a = parseAddr(e.slice(prefix.length), false);
          if (a && addrMatches(a, n)) return true;
        }
        return false;
      }
    }
  }
}

/** hash revision numbers of ipset 7.x's set types. */
const REVISION: Record<IpsetType, number> = { 'hash:ip': 6, 'hash:ip,port': 6, 'hash:ip,port,ip': 6, 'hash:ip,port,net': 8, 'hash:net': 7, 'bitmap:port': 3 };

function ipKey(e: string): string {
  return e.replace(/\d+/g, (d) => d.padStart(5, '0'));
}

/** `ipset list` for one set (ipset's "plain" output). */
export function printIpset(set: IpSet, references: number, initval: number): string {
  const t = set.info.type;
  const header = t === 'bitmap:port'
    ? 'range 0-65535'
    : `family inet hashsize 1024 maxelem ${set.info.maxelem ?? 65536} bucketsize 12 initval 0x${(initval >>> 0).toString(16).padStart(8, '0')}`;
  const members = [...set.entries].sort((a, b) => (ipKey(a) < ipKey(b) ? -1 : ipKey(a) > ipKey(b) ? 1 : 0));
  const size = t === 'bitmap:port' ? 8264 : 200 + members.length * (t === 'hash:ip' ? 16 : 24) + (members.length ? 136 : 0);
  let out = `Name: ${set.name}\nType: ${t}\nRevision: ${REVISION[t]}\nHeader: ${header}\nSize in memory: ${size}\nReferences: ${references}\nNumber of entries: ${members.length}\nMembers:\n`;
  for (const m of members) out += m + '\n';
  return out;
}
