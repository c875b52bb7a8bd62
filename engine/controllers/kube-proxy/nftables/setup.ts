/**
 * What every full sync writes before the Services (setupNFTables in
 * pkg/proxy/nftables/proxier.go, v1.34): the base chains with their hooks and priorities,
 * the jumps from them, the masquerading chains, the sets and maps and the static rules
 * that consult them, and the flush of the maps the Services then fill. One transaction
 * per IP family: the IPv6 proxier writes the same table in `ip6` (dual-stack kube-proxy),
 * with no node IPv6 address (NodePorts match every local address, `fib daddr type local`)
 * and no IPv6 service CIDR.
 */
import { rule, verdict, type NftFamily, type NftStmt } from '../../../dataplane/nftables/rule';
import type { NftBaseChain, NftKeyType } from '../../../dataplane/nftables/ruleset';
import {
  CLUSTER_IPS_CHECK, CLUSTER_IPS_SET, FILTER_FORWARD, FILTER_INPUT, FILTER_OUTPUT, FILTER_OUTPUT_PRE_DNAT,
  FILTER_PREROUTING_PRE_DNAT, FIREWALL_CHECK, FIREWALL_IPS_MAP, MARK_MASQ_CHAIN, MASQUERADING_CHAIN, NAT_OUTPUT,
  NAT_POSTROUTING, NAT_PREROUTING, NODEPORT_ENDPOINTS_CHECK, NODEPORT_IPS_SET, NO_ENDPOINT_NODEPORTS_MAP,
  NO_ENDPOINT_SERVICES_MAP, REJECT_CHAIN, SERVICES_CHAIN, SERVICE_ENDPOINTS_CHECK, SERVICE_IPS_MAP, SERVICE_NODEPORTS_MAP,
} from './naming';
import { Tx } from './tx';

/** knftables' priorities: DNATPriority "dstnat" (-100), FilterPriority (0), SNATPriority "srcnat" (100). */
const DSTNAT = -100, FILTER = 0, SRCNAT = 100;

/** nftablesBaseChains: [name, type, hook, priority] (DNATPriority + "-10" for the pre-DNAT filter chains). */
export const BASE_CHAINS: [string, NftBaseChain][] = [
  [FILTER_PREROUTING_PRE_DNAT, { type: 'filter', hook: 'prerouting', prio: DSTNAT - 10, policy: 'accept' }],
  [FILTER_OUTPUT_PRE_DNAT, { type: 'filter', hook: 'output', prio: DSTNAT - 10, policy: 'accept' }],
  [FILTER_INPUT, { type: 'filter', hook: 'input', prio: FILTER, policy: 'accept' }],
  [FILTER_FORWARD, { type: 'filter', hook: 'forward', prio: FILTER, policy: 'accept' }],
  [FILTER_OUTPUT, { type: 'filter', hook: 'output', prio: FILTER, policy: 'accept' }],
  [NAT_PREROUTING, { type: 'nat', hook: 'prerouting', prio: DSTNAT, policy: 'accept' }],
  [NAT_OUTPUT, { type: 'nat', hook: 'output', prio: DSTNAT, policy: 'accept' }],
  [NAT_POSTROUTING, { type: 'nat', hook: 'postrouting', prio: SRCNAT, policy: 'accept' }],
];

/** nftablesJumpChains: [dstChain, srcChain, `ct state new`?]. */
const JUMP_CHAINS: [string, string, boolean][] = [
  [NODEPORT_ENDPOINTS_CHECK, FILTER_INPUT, true],
  [SERVICE_ENDPOINTS_CHECK, FILTER_INPUT, true],
  [SERVICE_ENDPOINTS_CHECK, FILTER_FORWARD, true],
  [SERVICE_ENDPOINTS_CHECK, FILTER_OUTPUT, true],
  [FIREWALL_CHECK, FILTER_PREROUTING_PRE_DNAT, true],
  [FIREWALL_CHECK, FILTER_OUTPUT_PRE_DNAT, true],
  [SERVICES_CHAIN, NAT_OUTPUT, false],
  [SERVICES_CHAIN, NAT_PREROUTING, false],
  [MASQUERADING_CHAIN, NAT_POSTROUTING, false],
  [CLUSTER_IPS_CHECK, FILTER_FORWARD, true],
  [CLUSTER_IPS_CHECK, FILTER_OUTPUT, true],
];

/** masqueradeBit 14: fmt.Sprintf("%#08x", 1<<14). */
export const MASQ_MARK = 0x4000;

export interface FamilySetup {
  family: NftFamily;
  /** --nodeport-addresses as IPs of this family (`primary`: the node IP); empty: match all local addresses. */
  nodePortIPs: string[];
  /** The ServiceCIDRs of this family, comma-joined CIDRs; empty: no drop rule. */
  serviceCIDRs: string[];
  /** First full sync of this kube-proxy: re-create the base chains (add + delete). */
  first: boolean;
}

const addrType = (f: NftFamily): NftKeyType => (f === 'ip' ? 'ipv4_addr' : 'ipv6_addr');

export function setupTx(s: FamilySetup, tx = new Tx()): Tx {
  const f = s.family;
  const ctNew: NftStmt = { t: 'ctstate', states: ['new'] };
  const noLocalhost: NftStmt = { t: 'addr', fam: f, field: 'daddr', neg: true, value: f === 'ip' ? '127.0.0.0/8' : '::1' };
  const matchAll = s.nodePortIPs.length === 0;
  const addr = addrType(f);
  const l4key: NftKeyType[] = ['inet_proto', 'inet_service'];
  const ipKey: NftKeyType[] = [addr, 'inet_proto', 'inet_service'];

  // Re-create the base chains once per kube-proxy start, so changed priorities apply.
  if (s.first) for (const [name] of BASE_CHAINS) tx.addChain(name).deleteChain(name);
  for (const [name, base] of BASE_CHAINS) tx.addChain(name, { base }).flushChain(name);

  const created = new Set<string>();
  const ensure = (c: string) => {
    if (!created.has(c)) {
      created.add(c);
      tx.ensureChain(c);
    }
  };
  for (const [dst, src, ct] of JUMP_CHAINS) {
    ensure(dst);
    tx.addRule(src, rule(ct ? [ctNew, { t: 'verdict', verdict: verdict.jump(dst) }] : [{ t: 'verdict', verdict: verdict.jump(dst) }]));
  }
  for (const c of [SERVICES_CHAIN, CLUSTER_IPS_CHECK, MASQUERADING_CHAIN, MARK_MASQ_CHAIN]) ensure(c);

  tx.addRule(MARK_MASQ_CHAIN, rule([{ t: 'markset', op: '|', value: MASQ_MARK }]));
  tx.addRule(MASQUERADING_CHAIN, rule([{ t: 'markcheck', mask: MASQ_MARK, value: 0 }, { t: 'verdict', verdict: verdict.ret }]));
  tx.addRule(MASQUERADING_CHAIN, rule([{ t: 'markset', op: '^', value: MASQ_MARK }]));
  tx.addRule(MASQUERADING_CHAIN, rule([{ t: 'masquerade', fullyRandom: true }]));

  tx.addSet({ name: CLUSTER_IPS_SET, map: false, keyType: [addr], comment: 'Active ClusterIPs' });
  tx.addRule(CLUSTER_IPS_CHECK, rule([{ t: 'addrset', fam: f, field: 'daddr', neg: false, set: CLUSTER_IPS_SET }, { t: 'reject' }], 'Reject traffic to invalid ports of ClusterIPs'));
  if (s.serviceCIDRs.length > 0) {
    tx.addRule(CLUSTER_IPS_CHECK, rule([{ t: 'addrlist', fam: f, field: 'daddr', neg: false, items: s.serviceCIDRs }, { t: 'verdict', verdict: verdict.drop }], 'Drop traffic to unallocated ClusterIPs'));
  }

  // nodeport-ips: filled when --nodeport-addresses selects addresses, else deleted ("add+delete")
  tx.addSet({ name: NODEPORT_IPS_SET, map: false, keyType: [addr], comment: 'IPs that accept NodePort traffic' });
  if (matchAll) tx.deleteSet(NODEPORT_IPS_SET);
  else {
    tx.flushSet(NODEPORT_IPS_SET);
    for (const ip of s.nodePortIPs) tx.addElement(NODEPORT_IPS_SET, [ip]);
  }

  tx.addSet({ name: NO_ENDPOINT_SERVICES_MAP, map: true, keyType: ipKey, comment: 'vmap to drop or reject packets to services with no endpoints' });
  tx.addSet({ name: NO_ENDPOINT_NODEPORTS_MAP, map: true, keyType: l4key, comment: 'vmap to drop or reject packets to service nodeports with no endpoints' });
  tx.addChain(REJECT_CHAIN, { comment: 'helper for @no-endpoint-services / @no-endpoint-nodeports' }).flushChain(REJECT_CHAIN);
  tx.addRule(REJECT_CHAIN, rule([{ t: 'reject' }]));
  tx.addRule(SERVICE_ENDPOINTS_CHECK, rule([{ t: 'vmap', fam: f, key: ['daddr', 'l4proto', 'dport'], map: NO_ENDPOINT_SERVICES_MAP }]));
  tx.addRule(NODEPORT_ENDPOINTS_CHECK, rule(matchAll
    ? [noLocalhost, { t: 'vmap', fam: f, key: ['l4proto', 'dport'], map: NO_ENDPOINT_NODEPORTS_MAP }]
    : [{ t: 'addrset', fam: f, field: 'daddr', neg: false, set: NODEPORT_IPS_SET }, { t: 'vmap', fam: f, key: ['l4proto', 'dport'], map: NO_ENDPOINT_NODEPORTS_MAP }]));

  tx.addSet({ name: FIREWALL_IPS_MAP, map: true, keyType: ipKey, comment: 'destinations that are subject to LoadBalancerSourceRanges' });
  ensure(FIREWALL_CHECK);
  tx.addRule(FIREWALL_CHECK, rule([{ t: 'vmap', fam: f, key: ['daddr', 'l4proto', 'dport'], map: FIREWALL_IPS_MAP }]));

  tx.addSet({ name: SERVICE_IPS_MAP, map: true, keyType: ipKey, comment: 'ClusterIP, ExternalIP and LoadBalancer IP traffic' });
  tx.addSet({ name: SERVICE_NODEPORTS_MAP, map: true, keyType: l4key, comment: 'NodePort traffic' });
  tx.addRule(SERVICES_CHAIN, rule([{ t: 'vmap', fam: f, key: ['daddr', 'l4proto', 'dport'], map: SERVICE_IPS_MAP }]));
  tx.addRule(SERVICES_CHAIN, rule(matchAll
    ? [{ t: 'fib', field: 'daddr', type: 'local' }, noLocalhost, { t: 'vmap', fam: f, key: ['l4proto', 'dport'], map: SERVICE_NODEPORTS_MAP }]
    : [{ t: 'addrset', fam: f, field: 'daddr', neg: false, set: NODEPORT_IPS_SET }, { t: 'vmap', fam: f, key: ['l4proto', 'dport'], map: SERVICE_NODEPORTS_MAP }]));

  // flush the containers the Services fill (nftElementStorage.reset)
  for (const m of [CLUSTER_IPS_SET, SERVICE_IPS_MAP, FIREWALL_IPS_MAP, NO_ENDPOINT_SERVICES_MAP, NO_ENDPOINT_NODEPORTS_MAP, SERVICE_NODEPORTS_MAP]) tx.flushSet(m);
  return tx;
}

/** The containers nftElementStorage tracks (cluster-ips, service-ips, …), in the proxier's order. */
export const STORED_CONTAINERS = [CLUSTER_IPS_SET, SERVICE_IPS_MAP, FIREWALL_IPS_MAP, NO_ENDPOINT_SERVICES_MAP, NO_ENDPOINT_NODEPORTS_MAP, SERVICE_NODEPORTS_MAP];
