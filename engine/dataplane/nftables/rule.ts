/**
 * The nftables rule model: the statements kube-proxy's nftables mode writes
 * (pkg/proxy/nftables/proxier.go), kept as plain data so one rule can be shared by every
 * node that has it, executed (./execute.ts), printed the way `nft list` prints it
 * (./text.ts) and saved in a snapshot as JSON. A rule is what the kernel keeps — a list of
 * statements and a comment; its handle belongs to the node's table (./ruleset.ts).
 */

export type NftFamily = 'ip' | 'ip6';
export type L4 = 'tcp' | 'udp' | 'sctp';

/** A verdict: in a rule, a map element, a numgen vmap. */
export type NftVerdict =
  | { v: 'accept' | 'drop' | 'return' }
  | { v: 'jump' | 'goto'; chain: string };

/** One element of a concatenated key, as in `ip daddr . meta l4proto . th dport`. */
export type KeyField = 'saddr' | 'daddr' | 'l4proto' | 'dport';

export type NftStmt =
  /** `ip daddr 10.0.0.1`, `ip saddr != 10.0.0.0/8` */
  | { t: 'addr'; fam: NftFamily; field: 'saddr' | 'daddr'; neg: boolean; value: string }
  /** `ip daddr @cluster-ips`, `ip saddr @affinity-…` */
  | { t: 'addrset'; fam: NftFamily; field: 'saddr' | 'daddr'; neg: boolean; set: string }
  /** `ip daddr { 10.96.0.0/12 }`, `ip saddr != { 203.0.113.0/25, 1.2.3.4 }` (an anonymous set) */
  | { t: 'addrlist'; fam: NftFamily; field: 'saddr' | 'daddr'; neg: boolean; items: string[] }
  /** `ct state new` */
  | { t: 'ctstate'; states: string[] }
  /** `fib saddr type local` */
  | { t: 'fib'; field: 'saddr' | 'daddr'; type: 'local' }
  /** `meta l4proto tcp` */
  | { t: 'l4proto'; proto: L4 }
  /** `meta mark & 0x00004000 == 0x00000000` */
  | { t: 'markcheck'; mask: number; value: number }
  /** `ip daddr . meta l4proto . th dport vmap @service-ips` */
  | { t: 'vmap'; fam: NftFamily; key: KeyField[]; map: string }
  /** `numgen random mod 2 vmap { 0 : goto a, 1 : goto b }` */
  | { t: 'numgen'; targets: NftVerdict[] }
  /** `meta mark set meta mark | 0x00004000` */
  | { t: 'markset'; op: '|' | '^'; value: number }
  /** `masquerade fully-random` */
  | { t: 'masquerade'; fullyRandom: boolean }
  /** `dnat to 10.180.0.1:80` */
  | { t: 'dnat'; addr: string; port: number }
  /** `update @affinity-… { ip saddr }` */
  | { t: 'update'; fam: NftFamily; set: string; field: 'saddr' }
  /** `reject` (icmp port-unreachable) */
  | { t: 'reject' }
  | { t: 'verdict'; verdict: NftVerdict };

export interface NftRule {
  stmts: NftStmt[];
  comment?: string;
}

export const verdict = {
  accept: { v: 'accept' } as NftVerdict,
  drop: { v: 'drop' } as NftVerdict,
  ret: { v: 'return' } as NftVerdict,
  jump: (chain: string): NftVerdict => ({ v: 'jump', chain }),
  goto: (chain: string): NftVerdict => ({ v: 'goto', chain }),
};

/** A rule from its statements (and comment), as knftables.Rule{Rule, Comment}. */
export function rule(stmts: NftStmt[], comment?: string): NftRule {
  return comment === undefined ? { stmts } : { stmts, comment };
}

export function verdictText(v: NftVerdict): string {
  return v.v === 'jump' || v.v === 'goto' ? `${v.v} ${v.chain}` : v.v;
}
