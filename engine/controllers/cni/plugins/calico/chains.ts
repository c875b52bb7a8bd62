/**
 * Felix's iptables dataplane: cali-* chains in raw, mangle, filter and nat, each rule tagged
 * `cali:<id>` as Felix computes it (rulehash.ts: each rule's hash chained over the rules before
 * it in its chain), and jumps inserted at the top of the
 * built-in chains. Per workload: the dispatch chains send each local pod's veth to its
 * cali-fw-/cali-tw- chain, which run the policies selecting the Pod (cali-pi-/cali-po-, named
 * and rendered in policy.ts and names.ts) and then its profiles (cali-pri-/cali-pro-kns.NS and
 * ksa.NS.SA); the packet walk executes these chains.
 */
import type { NodeNetfilter } from '../../../../dataplane/netfilter/tables';
import type { Rule, TableName } from '../../../../dataplane/netfilter/rule';
import { ensureJump, rule, writeChains, type RuleSpec } from '../../netfilter';
import type { WorkloadEndpoint } from '../../plugin';
import type { Cluster } from '../../../../cluster/cluster';
import type { CalicoEncap } from './config';
import { felixModel, MARK_ACCEPT, MARK_PASS, policiesFor, policyChainRules, profileChainRules, type FelixPolicy } from './policy';
import { lengthLimitedId, MAX_CHAIN, policyChainName, policyGroupChainName, profileChainName } from './names';
import { felixRuleHashes } from './rulehash';

/**
 * Felix's endpoint mark (felix/dataplane/driver.go): the bits of IptablesMarkMask (0xffff0000)
 * left after the accept, pass and two scratch bits; its lowest bit marks a packet from no Calico
 * endpoint (IptablesMarkNonCaliEndpoint).
 */
const EP_MASK = '0xfff00000';
const NON_CALI = '0x100000';
const EP_SHIFT = 20;
const EP_POSITIONS = 1 << 12;
/** KubeNodePortRanges' default (felix/config/config_params.go). */
const NODE_PORTS = '30000:32767';

/**
 * FailsafeInboundHostPorts' and FailsafeOutboundHostPorts' defaults (felix/config/config_params.go,
 * v3.28.2): ssh, DHCP, BGP, etcd, Typha, the API server and the ports kube-controllers' old
 * etcd proxy used; no FelixConfiguration here changes them.
 */
export const FAILSAFE_IN: [string, number][] = [['tcp', 22], ['udp', 68], ['tcp', 179], ['tcp', 2379], ['tcp', 2380], ['tcp', 5473], ['tcp', 6443], ['tcp', 6666], ['tcp', 6667]];
export const FAILSAFE_OUT: [string, number][] = [['udp', 53], ['udp', 67], ['tcp', 179], ['tcp', 2379], ['tcp', 2380], ['tcp', 5473], ['tcp', 6443], ['tcp', 6666], ['tcp', 6667]];

/**
 * felix/rules/static.go failsafeInChain / failsafeOutChain (filter and mangle: no source-port
 * rules, those are raw's): an ACCEPT per protocol and destination port. Felix renders them in
 * every table, but its iptables.Table programs a chain only once a programmed chain refers to
 * it (felix/iptables/table.go chainIsReferenced): the host endpoints' chains do, so they appear
 * with the first HostEndpoint on the node.
 */
function failsafeChain(ports: [string, number][]): RuleSpec[] {
  return ports.map(([proto, port]): RuleSpec => ['-p', proto, '-m', 'multiport', '--destination-ports', String(port), '-j', 'ACCEPT']);
}

/** A HostEndpoint on this node named by its interface (crd.projectcalico.org/v1 HostEndpoint spec.node, spec.interfaceName). */
export function hostEndpointIfaces(cluster: Cluster | undefined, node: string): string[] {
  if (!cluster) return [];
  const out = new Set<string>();
  for (const h of cluster.store.list('HostEndpoint')) {
    const spec = (h.spec ?? {}) as { node?: string; interfaceName?: string };
    // `*` (all interfaces) and IP-only endpoints are resolved differently by Felix: not modelled
    if (spec.node === node && spec.interfaceName && spec.interfaceName !== '*') out.add(spec.interfaceName);
  }
  return [...out].sort();
}

/**
 * Felix's host endpoint chains (felix/rules/endpoints.go HostEndpointToFilterChains,
 * HostEndpointToMangleEgressChains over endpointIptablesChain) for endpoints with no policy and
 * no profile — what the data model here can express: conntrack first (mangle marks and returns,
 * as its allow action is RETURN), the failsafe chain, the policy bits cleared, then "Drop if no
 * profiles matched"; the forward chains (no failsafe) "Allow forwarded traffic by default". The
 * dispatch chains (felix/rules/dispatch.go hostDispatchChains, applyOnForward: filter's four,
 * mangle's cali-to-host-endpoint; no pre-DNAT policy, so mangle's cali-from-host-endpoint stays
 * empty) goto them by interface, with no end rule: other interfaces fall through.
 */
function hostEndpointChains(ifaces: string[]): { filter: Record<string, RuleSpec[]>; mangle: Record<string, RuleSpec[]> } {
  const filter: Record<string, RuleSpec[]> = {
    'cali-from-host-endpoint': [],
    'cali-to-host-endpoint': [],
    'cali-from-hep-forward': [],
    'cali-to-hep-forward': [],
  };
  const mangle: Record<string, RuleSpec[]> = { 'cali-from-host-endpoint': [], 'cali-to-host-endpoint': [] };
  if (!ifaces.length) return { filter, mangle };
  const name = (pfx: string) => (n: string) => lengthLimitedId(pfx, n, MAX_CHAIN);
  dispatchChains(ifaces, 'cali-from-host-endpoint', '-i', name('cali-fh-'), filter, []);
  dispatchChains(ifaces, 'cali-to-host-endpoint', '-o', name('cali-th-'), filter, []);
  dispatchChains(ifaces, 'cali-from-hep-forward', '-i', name('cali-fhfw-'), filter, []);
  dispatchChains(ifaces, 'cali-to-hep-forward', '-o', name('cali-thfw-'), filter, []);
  dispatchChains(ifaces, 'cali-to-host-endpoint', '-o', name('cali-th-'), mangle, []);
  const clear: RuleSpec = ['-j', 'MARK', '--set-xmark', `0x0/0x${(MARK_ACCEPT | MARK_PASS).toString(16)}`];
  const acceptMark = `0x${MARK_ACCEPT.toString(16)}/0x${MARK_ACCEPT.toString(16)}`;
  const tracked: RuleSpec[] = [
    ['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'],
    ['-m', 'conntrack', '--ctstate', 'INVALID', '-j', 'DROP'],
  ];
  const noProfile: RuleSpec = ['-m', 'comment', '--comment', 'Drop if no profiles matched', '-j', 'DROP'];
  const forward: RuleSpec[] = [
    ...tracked,
    clear,
    ['-m', 'comment', '--comment', 'Allow forwarded traffic by default', '-j', 'MARK', '--set-xmark', acceptMark],
    ['-m', 'comment', '--comment', 'Return for accepted forward traffic', '-j', 'RETURN'],
  ];
  for (const n of ifaces) {
    filter[name('cali-th-')(n)] = [...tracked, ['-j', 'cali-failsafe-out'], clear, noProfile];
    filter[name('cali-fh-')(n)] = [...tracked, ['-j', 'cali-failsafe-in'], clear, noProfile];
    filter[name('cali-thfw-')(n)] = forward;
    filter[name('cali-fhfw-')(n)] = forward;
    mangle[name('cali-th-')(n)] = [
      ['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'MARK', '--set-xmark', acceptMark],
      ['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'RETURN'],
      ['-m', 'conntrack', '--ctstate', 'INVALID', '-j', 'DROP'],
      ['-j', 'cali-failsafe-out'],
      clear,
      noProfile,
    ];
  }
  filter['cali-failsafe-in'] = failsafeChain(FAILSAFE_IN);
  filter['cali-failsafe-out'] = failsafeChain(FAILSAFE_OUT);
  mangle['cali-failsafe-out'] = failsafeChain(FAILSAFE_OUT);
  return { filter, mangle };
}

/** The static chains Felix adds for IPVS (felix/rules/static.go StaticFilterInputForwardCheckChain, StaticFilterOutputForwardEndpointMarkChain). */
function ipvsChains(): Record<string, RuleSpec[]> {
  const toNodePort = (proto: string): RuleSpec => ['-p', proto, '-m', 'comment', '--comment', 'To kubernetes NodePort service', '-m', 'multiport', '--dports', NODE_PORTS, '-m', 'set', '--match-set', 'cali40this-host', 'dst', '-g', 'cali-set-endpoint-mark'];
  return {
    'cali-forward-check': [
      ['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'RETURN'],
      toNodePort('tcp'),
      toNodePort('udp'),
      ['-m', 'comment', '--comment', 'To kubernetes service', '-m', 'set', '!', '--match-set', 'cali40this-host', 'dst', '-j', 'cali-set-endpoint-mark'],
    ],
    'cali-forward-endpoint-mark': [
      ['-m', 'mark', '!', '--mark', `${NON_CALI}/${EP_MASK}`, '-j', 'cali-from-endpoint-mark'],
      ['-o', 'cali+', '-j', 'cali-to-wl-dispatch'],
      ['-j', 'cali-to-hep-forward'],
      ['-j', 'MARK', '--set-xmark', `0x0/${EP_MASK}`],
      ['-m', 'comment', '--comment', 'Policy explicitly accepted packet.', '-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'],
    ],
    ...endpointMarkChains([], new Map()),
  };
}

/** FNV-1 32 (Go's hash/fnv New32), which felix/rules/epmark.go hashes an interface name with. */
function fnv1(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 0x01000193) ^ text.charCodeAt(i)) >>> 0;
  return h;
}

/**
 * Each workload interface's endpoint mark (felix/rules/epmark.go DefaultEPMarkManager): the
 * FNV-1 hash of its name picks a position among the mask's 4096 values, probing upward past 0
 * and the positions taken (1 is the non-Calico mark's); the position's bits go into the mask's
 * bits. Felix allocates as endpoints appear; here in name order, which differs only when two
 * names collide.
 */
export function endpointMarks(ifaces: string[]): Map<string, number> {
  const taken = new Set<number>([1]);
  const marks = new Map<string, number>();
  for (const name of [...ifaces].sort()) {
    const total = fnv1(name);
    for (let i = 0; i < EP_POSITIONS; i++) {
      const pos = (total + i) % EP_POSITIONS;
      if (pos === 0 || taken.has(pos)) continue;
      taken.add(pos);
      marks.set(name, (pos << EP_SHIFT) >>> 0);
      break;
    }
  }
  return marks;
}

/**
 * felix/rules/dispatch.go endpointMarkDispatchChains: cali-set-endpoint-mark sends each workload
 * interface (a prefix tree as the other dispatch chains) to its cali-sm-<iface>, drops an unknown
 * cali+ interface ("Unknown endpoint") and gives anything else the non-Calico mark;
 * cali-from-endpoint-mark sends each endpoint mark to the workload's cali-fw-<iface>.
 */
function endpointMarkChains(ifaces: string[], marks: Map<string, number>): Record<string, RuleSpec[]> {
  const chains: Record<string, RuleSpec[]> = {};
  if (ifaces.length) dispatchChains(ifaces, 'cali-set-endpoint-mark', '-i', (n) => lengthLimitedId('cali-sm-', n, MAX_CHAIN), chains, []);
  chains['cali-set-endpoint-mark'] = [
    ...(chains['cali-set-endpoint-mark'] ?? []),
    ['-i', 'cali+', '-m', 'comment', '--comment', 'Unknown endpoint', '-j', 'DROP'],
    ['-m', 'comment', '--comment', 'Non-Cali endpoint mark', '-j', 'MARK', '--set-xmark', `${NON_CALI}/${EP_MASK}`],
  ];
  chains['cali-from-endpoint-mark'] = [
    ...[...new Set(ifaces)].sort().map((n): RuleSpec => ['-m', 'mark', '--mark', `0x${marks.get(n)!.toString(16)}/${EP_MASK}`, '-g', lengthLimitedId('cali-fw-', n, MAX_CHAIN)]),
    ['-m', 'comment', '--comment', 'Unknown interface', '-j', 'DROP'],
  ];
  for (const n of ifaces) chains[lengthLimitedId('cali-sm-', n, MAX_CHAIN)] = [['-j', 'MARK', '--set-xmark', `0x${marks.get(n)!.toString(16)}/${EP_MASK}`]];
  return chains;
}

function tagged(id: string, args: string[]): Rule {
  return rule('-m', 'comment', '--comment', `cali:${id}`, args);
}

/** Felix's chains written with their `cali:` ids (rulehash.ts). */
function writeFelixChains(nf: NodeNetfilter, table: TableName, chains: Record<string, RuleSpec[]>): void {
  const ids = new Map<string, string[]>();
  for (const [name, rules] of Object.entries(chains)) ids.set(name, felixRuleHashes(name, rules.map((r) => r.flat())));
  writeChains(nf, table, chains, (chain, i, args) => tagged(ids.get(chain)![i], args));
}

/**
 * Felix's chains on a node and its jumps from the built-in chains. The encapsulation decides
 * what cali-INPUT and cali-OUTPUT let through between nodes (felix/rules/static.go
 * filterInputChain, filterOutputChain): with IPIP, protocol 4 from and to the other Calico
 * hosts (IP set cali40all-hosts-net); with VXLAN, UDP 4789 (cali40all-vxlan-net); and
 * nat cali-POSTROUTING masquerades what leaves by the tunnel device from a non-local source.
 * raw cali-PREROUTING marks what comes from a workload (scratch-0) and drops it when its source
 * fails the strict reverse-path check (StaticRawPreroutingChain, RPFilter: `-m rpfilter
 * --validmark --invert`), after cali-rpf-skip (the endpoint manager's WorkloadSourceSpoofing
 * exceptions; empty unless a Pod allows spoofing).
 *
 * With `ipvs` (Felix found kube-proxy's kube-ipvs0: KubeIPVSSupportEnabled, felix/dataplane/driver.go)
 * a packet IPVS forwards crosses INPUT and OUTPUT instead of FORWARD: cali-INPUT sends it to
 * cali-forward-check, which gives it its incoming endpoint's mark (cali-set-endpoint-mark, the
 * bits above the four policy bits: 0xfff00000) when it goes to a NodePort of this host or to
 * an address that is not this host's (cali40this-host), and returns; cali-OUTPUT then takes
 * a marked packet to cali-forward-endpoint-mark, which runs the source workload's policy
 * (cali-from-endpoint-mark) and the destination's (cali-to-wl-dispatch) as cali-FORWARD would.
 */
export function felixChains(nf: NodeNetfilter, encap: CalicoEncap = 'ipip', ipvs = false): void {
  const tunnelIn: RuleSpec[] = encap === 'ipip'
    ? [
        ['-p', '4', '-m', 'comment', '--comment', 'Allow IPIP packets from Calico hosts', '-m', 'set', '--match-set', 'cali40all-hosts-net', 'src', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'ACCEPT'],
        ['-p', '4', '-m', 'comment', '--comment', 'Drop IPIP packets from non-Calico hosts', '-j', 'DROP'],
      ]
    : encap === 'vxlan'
      ? [
          ['-p', '17', '-m', 'comment', '--comment', 'Allow IPv4 VXLAN packets from allowed hosts', '-m', 'multiport', '--destination-ports', '4789', '-m', 'set', '--match-set', 'cali40all-vxlan-net', 'src', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'ACCEPT'],
          ['-p', '17', '-m', 'comment', '--comment', 'Drop IPv4 VXLAN packets from non-allowed hosts', '-m', 'multiport', '--destination-ports', '4789', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'DROP'],
        ]
      : [];
  const tunnelOut: RuleSpec[] = encap === 'ipip'
    ? [['-p', '4', '-m', 'comment', '--comment', 'Allow IPIP packets to other Calico hosts', '-m', 'set', '--match-set', 'cali40all-hosts-net', 'dst', '-m', 'addrtype', '--src-type', 'LOCAL', '-j', 'ACCEPT']]
    : encap === 'vxlan'
      ? [['-p', '17', '-m', 'comment', '--comment', 'Allow IPv4 VXLAN packets to other allowed hosts', '-m', 'multiport', '--destination-ports', '4789', '-m', 'addrtype', '--src-type', 'LOCAL', '-m', 'set', '--match-set', 'cali40all-vxlan-net', 'dst', '-j', 'ACCEPT']]
      : [];
  const tunnelDev = encap === 'ipip' ? 'tunl0' : encap === 'vxlan' ? 'vxlan.calico' : undefined;
  nf.table('raw');
  writeFelixChains(nf, 'raw', {
    'cali-PREROUTING': [
      ['-j', 'MARK', '--set-xmark', '0x0/0xf0000'],
      ['-i', 'cali+', '-j', 'MARK', '--set-xmark', '0x40000/0x40000'],
      ['-m', 'mark', '--mark', '0x40000/0x40000', '-j', 'cali-rpf-skip'],
      ['-m', 'mark', '--mark', '0x40000/0x40000', '-m', 'rpfilter', '--validmark', '--invert', '-j', 'DROP'],
      ['-m', 'mark', '--mark', '0x0/0x40000', '-j', 'cali-from-host-endpoint'],
      ['-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'],
    ],
    'cali-OUTPUT': [
      ['-j', 'MARK', '--set-xmark', '0x0/0xf0000'],
      ['-j', 'cali-to-host-endpoint'],
      ['-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'],
    ],
    'cali-from-host-endpoint': [],
    'cali-to-host-endpoint': [],
    'cali-rpf-skip': [],
  });
  writeFelixChains(nf, 'mangle', {
    'cali-PREROUTING': [
      ['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'],
      ['-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'],
      ['-j', 'cali-from-host-endpoint'],
      ['-m', 'comment', '--comment', 'Host endpoint policy accepted packet.', '-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'],
    ],
    'cali-POSTROUTING': [
      ['-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'RETURN'],
      ...(ipvs ? [['-m', 'mark', '!', '--mark', `0x0/${EP_MASK}`, '-j', 'RETURN']] : []),
      ['-j', 'MARK', '--set-xmark', '0x0/0xf0000'],
      ['-m', 'conntrack', '--ctstate', 'DNAT', '-j', 'cali-to-host-endpoint'],
      ['-m', 'comment', '--comment', 'Host endpoint policy accepted packet.', '-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'RETURN'],
    ],
    'cali-from-host-endpoint': [],
    'cali-to-host-endpoint': [],
  });
  writeFelixChains(nf, 'filter', {
    'cali-INPUT': [
      ...tunnelIn,
      ...(ipvs ? [['-j', 'MARK', '--set-xmark', `0x0/${EP_MASK}`], ['-j', 'cali-forward-check'], ['-m', 'mark', '!', '--mark', `0x0/${EP_MASK}`, '-j', 'RETURN']] : []),
      ['-i', 'cali+', '-g', 'cali-wl-to-host'],
      ['-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'],
      ['-j', 'MARK', '--set-xmark', '0x0/0xf0000'],
      ['-j', 'cali-from-host-endpoint'],
      ['-m', 'comment', '--comment', 'Host endpoint policy accepted packet.', '-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'],
    ],
    'cali-FORWARD': [
      ['-j', 'MARK', '--set-xmark', '0x0/0xe0000'],
      ['-m', 'mark', '--mark', '0x0/0x10000', '-j', 'cali-from-hep-forward'],
      ['-i', 'cali+', '-j', 'cali-from-wl-dispatch'],
      ['-o', 'cali+', '-j', 'cali-to-wl-dispatch'],
      ['-j', 'cali-to-hep-forward'],
      ['-j', 'cali-cidr-block'],
    ],
    'cali-OUTPUT': [
      ['-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'],
      ...(ipvs ? [['-m', 'mark', '!', '--mark', `0x0/${EP_MASK}`, '-g', 'cali-forward-endpoint-mark']] : []),
      ['-o', 'cali+', '-j', 'RETURN'],
      ...tunnelOut,
      ['-j', 'MARK', '--set-xmark', '0x0/0xf0000'],
      ['-m', 'conntrack', '!', '--ctstate', 'DNAT', '-j', 'cali-to-host-endpoint'],
      ['-m', 'comment', '--comment', 'Host endpoint policy accepted packet.', '-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'],
    ],
    'cali-cidr-block': [],
    'cali-from-hep-forward': [],
    'cali-from-host-endpoint': [],
    'cali-to-hep-forward': [],
    'cali-to-host-endpoint': [],
    'cali-from-wl-dispatch': [['-m', 'comment', '--comment', 'Unknown interface', '-j', 'DROP']],
    'cali-to-wl-dispatch': [['-m', 'comment', '--comment', 'Unknown interface', '-j', 'DROP']],
    ...(ipvs ? ipvsChains() : {}),
    'cali-wl-to-host': [
      ['-j', 'cali-from-wl-dispatch'],
      ['-m', 'comment', '--comment', 'Configured DefaultEndpointToHostAction', '-j', 'ACCEPT'],
    ],
  });
  writeFelixChains(nf, 'nat', {
    'cali-PREROUTING': [['-j', 'cali-fip-dnat']],
    'cali-POSTROUTING': [
      ['-j', 'cali-fip-snat'],
      ['-j', 'cali-nat-outgoing'],
      ...(tunnelDev ? [['-o', tunnelDev, '-m', 'addrtype', '!', '--src-type', 'LOCAL', '--limit-iface-out', '-m', 'addrtype', '--src-type', 'LOCAL', '-j', 'MASQUERADE', '--random-fully']] : []),
    ],
    'cali-OUTPUT': [['-j', 'cali-fip-dnat']],
    'cali-fip-dnat': [],
    'cali-fip-snat': [],
    'cali-nat-outgoing': [
      ['-m', 'set', '--match-set', 'cali40masq-ipam-pools', 'src', '-m', 'set', '!', '--match-set', 'cali40all-ipam-pools', 'dst', '-j', 'MASQUERADE', '--random-fully'],
    ],
  });
  // the rules Felix inserts at the top of a built-in chain are hashed as a chain of that name
  const top = (table: TableName, from: string, to: string) => ensureJump(nf, table, from, tagged(felixRuleHashes(from, [['-j', to]])[0], ['-j', to]), true);
  top('raw', 'PREROUTING', 'cali-PREROUTING');
  top('raw', 'OUTPUT', 'cali-OUTPUT');
  top('mangle', 'PREROUTING', 'cali-PREROUTING');
  top('mangle', 'POSTROUTING', 'cali-POSTROUTING');
  top('filter', 'INPUT', 'cali-INPUT');
  top('filter', 'OUTPUT', 'cali-OUTPUT');
  top('filter', 'FORWARD', 'cali-FORWARD');
  // Felix's FORWARD tail (StaticFilterForwardAppendRules, felix/rules/static.go): always
  // appended, after kube-proxy's jumps — Felix's table keeps its appends last
  // (felix/iptables/table.go expectedHashesForInsertAppendChain) — so a packet its policy
  // accepted still meets kube-proxy's filter rules (the REJECT of a Service without endpoints).
  const appends = [
    ['-m', 'comment', '--comment', 'Policy explicitly accepted packet.', '-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'],
    ['-j', 'MARK', '--set-xmark', '0x10000/0x10000'],
  ];
  const appendIds = felixRuleHashes('FORWARD*appends*', appends);
  appends.forEach((args, i) => ensureJump(nf, 'filter', 'FORWARD', tagged(appendIds[i], args), false));
  top('nat', 'PREROUTING', 'cali-PREROUTING');
  top('nat', 'OUTPUT', 'cali-OUTPUT');
  top('nat', 'POSTROUTING', 'cali-POSTROUTING');
}

/**
 * felix/rules/dispatch.go interfaceNameDispatchChains: the interface names sorted, their common
 * prefix found (usually "cali"), and the names binned by the character after it; a bin of one
 * is a rule in the root chain, a bin of several a `-i|-o <prefix>+ -g <root>-<char>` rule and a
 * child chain holding one rule per name and the root's end rule again.
 */
export function dispatchChains(names: string[], root: string, flag: '-i' | '-o', target: (name: string) => string, chains: Record<string, RuleSpec[]>, endRules?: RuleSpec[]): void {
  const sorted = [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let common = sorted[0] ?? '';
  for (const n of sorted) {
    let i = 0;
    while (i < common.length && i < n.length && common[i] === n[i]) i++;
    common = common.slice(0, i);
  }
  const bins = new Map<string, string[]>();
  for (const n of sorted) {
    const prefix = n.length > common.length ? n.slice(0, common.length + 1) : common;
    const bin = bins.get(prefix);
    if (bin) bin.push(n);
    else bins.set(prefix, [n]);
  }
  const end: RuleSpec[] = endRules ?? [['-m', 'comment', '--comment', 'Unknown interface', '-j', 'DROP']];
  const rootRules: RuleSpec[] = [];
  for (const [prefix, members] of bins) {
    if (members.length > 1) {
      const child = `${root}-${prefix.slice(common.length)}`;
      rootRules.push([flag, `${prefix}+`, '-g', child]);
      chains[child] = [...members.map((n) => [flag, n, '-g', target(n)]), ...end];
    } else rootRules.push([flag, members[0], '-g', target(members[0])]);
  }
  chains[root] = [...rootRules, ...end];
}

/**
 * Felix's per-workload chains and the policy and profile chains they jump to, rebuilt whenever
 * pods, NetworkPolicies or namespaces change (felix/rules/endpoints.go endpointIptablesChain):
 * conntrack, the accept and pass bits cleared, (from a workload) the encapsulated-packet
 * drops, then each policy selecting the pod in order — a jump while the pass bit is clear,
 * "Return if policy accepted" — and "Drop if no policies passed packet"; then each of its
 * profiles (conversion/workload_endpoint_default.go: `kns.<namespace>`, and
 * `ksa.<namespace>.<serviceaccount>` when the Pod names one) — a jump and "Return if profile
 * accepted" — and "Drop if no profiles matched". Only the policies and profiles active on the
 * node (used by one of its workloads) are rendered, as Felix's ActiveRulesCalculator does.
 */
export function felixWorkloadChains(nf: NodeNetfilter, endpoints: () => WorkloadEndpoint[], cluster?: Cluster): void {
  if (!nf.hasTable('filter')) return;
  const tab = nf.table('filter');
  const hepChain = /^cali-(fh|th|fhfw|thfw)-|^cali-failsafe-|^cali-(from|to)-host-endpoint-|^cali-(from|to)-hep-forward-/;
  for (const name of [...tab.keys()]) {
    if ((/^cali-(fw|tw|sm|pi|po|gi|go|pri|pro)-|^cali-(from|to)-wl-dispatch-|^cali-set-endpoint-mark-/.test(name) || hepChain.test(name)) && !nf.dirty.has(`filter ${name}`)) tab.delete(name);
  }
  // host endpoints (HostEndpoint objects naming this node's interfaces) and the failsafe chains they refer to
  const heps = hostEndpointChains(hostEndpointIfaces(cluster, nf.node));
  if (nf.hasTable('mangle')) {
    const mtab = nf.table('mangle');
    for (const name of [...mtab.keys()]) if (hepChain.test(name) && !nf.dirty.has(`mangle ${name}`)) mtab.delete(name);
    for (const name of Object.keys(heps.mangle)) if (nf.dirty.has(`mangle ${name}`)) delete heps.mangle[name];
    writeFelixChains(nf, 'mangle', heps.mangle);
  }
  const model = cluster ? felixModel(cluster) : undefined;
  const eps = [...endpoints()];
  eps.sort((a, b) => (a.hostVeth < b.hostVeth ? -1 : a.hostVeth > b.hostVeth ? 1 : 0));
  const chains: Record<string, RuleSpec[]> = { ...heps.filter };
  dispatchChains(eps.map((v) => v.hostVeth), 'cali-from-wl-dispatch', '-i', (n) => lengthLimitedId('cali-fw-', n, MAX_CHAIN), chains);
  dispatchChains(eps.map((v) => v.hostVeth), 'cali-to-wl-dispatch', '-o', (n) => lengthLimitedId('cali-tw-', n, MAX_CHAIN), chains);
  // kube-proxy in IPVS mode (kube-ipvs0 on the node): the endpoint-mark dispatch and a cali-sm- chain per workload
  if (cluster?.settings.proxyMode === 'ipvs') {
    const ifaces = eps.map((v) => v.hostVeth);
    Object.assign(chains, endpointMarkChains(ifaces, endpointMarks(ifaces)));
  }
  const passClear = ['-m', 'mark', '--mark', `0x0/0x${MARK_PASS.toString(16)}`];
  const acceptSet = ['-m', 'mark', '--mark', `0x${MARK_ACCEPT.toString(16)}/0x${MARK_ACCEPT.toString(16)}`];
  for (const ep of eps) {
    const profiles = [`kns.${ep.namespace}`, ...(ep.serviceAccount ? [`ksa.${ep.namespace}.${ep.serviceAccount}`] : [])];
    const common = (dir: 'fw' | 'tw'): RuleSpec[] => {
      const inbound = dir === 'tw';
      const pols = model ? policiesFor(model, ep.namespace, ep.labels ?? {}, inbound ? 'inbound' : 'outbound') : [];
      const out: RuleSpec[] = [
        ['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'],
        ['-m', 'conntrack', '--ctstate', 'INVALID', '-j', 'DROP'],
        ['-j', 'MARK', '--set-xmark', `0x0/0x${(MARK_ACCEPT | MARK_PASS).toString(16)}`],
      ];
      if (dir === 'fw') {
        out.push(
          ['-p', 'udp', '-m', 'comment', '--comment', 'Drop VXLAN encapped packets originating in workloads', '-m', 'multiport', '--dports', '4789', '-j', 'DROP'],
          ['-p', 'ipencap', '-m', 'comment', '--comment', 'Drop IPinIP encapped packets originating in workloads', '-j', 'DROP'],
        );
      }
      if (pols.length) {
        for (const target of policyGroups(pols, inbound ? 'pi' : 'po', chains)) {
          out.push([...passClear, '-j', target]);
          out.push(['-m', 'comment', '--comment', 'Return if policy accepted', ...acceptSet, '-j', 'RETURN']);
        }
        out.push(['-m', 'comment', '--comment', 'Drop if no policies passed packet', ...passClear, '-j', 'DROP']);
        for (const p of pols) chains[policyChainName(inbound ? 'pi' : 'po', p.key)] = policyChainRules(p, inbound ? 'inbound' : 'outbound');
      }
      for (const profile of profiles) {
        const chain = profileChainName(inbound ? 'pri' : 'pro', profile);
        chains[chain] ??= profileChainRules(profile, inbound ? 'inbound' : 'outbound');
        out.push(['-j', chain], ['-m', 'comment', '--comment', 'Return if profile accepted', ...acceptSet, '-j', 'RETURN']);
      }
      out.push(['-m', 'comment', '--comment', 'Drop if no profiles matched', '-j', 'DROP']);
      return out;
    };
    chains[lengthLimitedId('cali-fw-', ep.hostVeth, MAX_CHAIN)] = common('fw');
    chains[lengthLimitedId('cali-tw-', ep.hostVeth, MAX_CHAIN)] = common('tw');
  }
  for (const name of Object.keys(chains)) if (nf.dirty.has(`filter ${name}`)) delete chains[name];
  writeFelixChains(nf, 'filter', chains);
}

/**
 * Felix's policy groups (felix/dataplane/linux/endpoint_mgr.go groupPolicies, felix/rules/endpoints.go
 * PolicyGroupToIptablesChains): consecutive policies with the same normalised selector share a
 * `cali-gi-`/`cali-go-` chain when there are two or more of them (a jump each, with "Return on
 * verdict" every 5th); a lone policy is jumped to directly. Returns the chains the workload's
 * chain jumps to, adding the group chains to `chains`.
 */
function policyGroups(pols: FelixPolicy[], dir: 'pi' | 'po', chains: Record<string, RuleSpec[]>): string[] {
  const groups: FelixPolicy[][] = [];
  for (const p of pols) {
    const last = groups[groups.length - 1];
    if (last && last[0].selector === p.selector) last.push(p);
    else groups.push([p]);
  }
  const verdictBits = `0x0/0x${(MARK_ACCEPT | MARK_PASS).toString(16)}`;
  return groups.map((g) => {
    if (g.length === 1) return policyChainName(dir, g[0].key);
    const name = policyGroupChainName('default', g[0].selector, dir === 'pi' ? 'inbound' : 'outbound', g.map((p) => p.key));
    const rules: RuleSpec[] = [];
    g.forEach((p, i) => {
      if (i !== 0 && i % 5 === 0) rules.push(['-m', 'comment', '--comment', 'Return on verdict', '-m', 'mark', '!', '--mark', verdictBits, '-j', 'RETURN']);
      rules.push([...(i % 5 === 0 ? [] : ['-m', 'mark', '--mark', verdictBits]), '-j', policyChainName(dir, p.key)]);
    });
    chains[name] = rules;
    return name;
  });
}
