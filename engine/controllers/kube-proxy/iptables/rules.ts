/**
 * kube-proxy's iptables mode: the rules syncProxyRules writes, per Service port, in the
 * order and with the arguments of kubernetes/kubernetes pkg/proxy/iptables/proxier.go
 * (v1.31; proxier_test.go TestOverallIPTablesRules still expects the same rules for the
 * same Services on later branches, so v1.34 writes them too — plus the per-node topology
 * choice of topology.ts). Rules are built from the same argument lists kube-proxy hands to
 * iptables-restore and parsed by our iptables parser, so they print back normalised the
 * way iptables-save prints them.
 */
import { parseAddr, parseIPv4, addrMatches, PROTOCOLS, type AddrSpec, type Match, type Rule, type Target } from '../../../dataplane/netfilter/rule';
import type { Chain } from '../../../dataplane/netfilter/tables';
import { cidr6Contains } from '../../../cluster/ipv6';
import type { EndpointInfo } from '../endpoint';
import type { ServicePortInfo } from '../serviceport';
import { categorizeEndpoints } from '../topology';
import { R, jumpRule, kubeletFirewallChain, MASQ_MARK, KUBE_FIREWALL } from '../netfilter';

export const KUBE_SERVICES = 'KUBE-SERVICES';
export const KUBE_EXTERNAL_SERVICES = 'KUBE-EXTERNAL-SERVICES';
export const KUBE_NODEPORTS = 'KUBE-NODEPORTS';
export const KUBE_POSTROUTING = 'KUBE-POSTROUTING';
export const KUBE_MARK_MASQ = 'KUBE-MARK-MASQ';
export const KUBE_FORWARD = 'KUBE-FORWARD';
export const KUBE_PROXY_FIREWALL = 'KUBE-PROXY-FIREWALL';
export const LOCALHOST_NODEPORTS_COUNTER = 'localhost_nps_accepted_pkts';
export const CT_INVALID_COUNTER = 'ct_state_invalid_dropped_pkts';

/** Shared with every mode (../netfilter.ts); exported here too, where the CNI's chains and the tests import them. */
export { R, jumpRule, MASQ_MARK, KUBE_FIREWALL };

// ---- direct builders for the rules every Service has -----------------------------------
// The same Rule objects parseRuleSpec would build from kube-proxy's arguments (a unit test
// checks they print identically), without parsing: 5,000 Services make ~70,000 of them.

// Rules are read-only once built (an edit by hand replaces the Rule, counters are kept per
// Rule object), so the parts every Service's rules have in common are built once and shared.
const host = (ip: string, inv = false): AddrSpec => (ip.includes(':') ? parseAddr(ip, inv, true)! : { ip: parseIPv4(ip)!, mask: 0xffffffff, prefix: 32, inv });
const nets = new Map<string, AddrSpec>();
const net = (cidr: string, inv: boolean): AddrSpec => {
  const key = (inv ? '!' : '') + cidr;
  let a = nets.get(key);
  if (!a) {
    a = parseAddr(cidr, inv, cidr.includes(':'))!;
    if (nets.size > 64) nets.clear();
    nets.set(key, a);
  }
  return a;
};
const PROTO = { tcp: { num: PROTOCOLS.tcp, name: 'tcp', inv: false }, udp: { num: PROTOCOLS.udp, name: 'udp', inv: false }, sctp: { num: PROTOCOLS.sctp, name: 'sctp', inv: false } };
const protoOf = (p: 'tcp' | 'udp' | 'sctp') => PROTO[p];
const comment = (c: string): Match => ({ kind: 'comment', comment: c });
const ANY_PORT: Record<'tcp' | 'udp' | 'sctp', Match> = { tcp: { kind: 'tcp', sport: undefined, dport: undefined }, udp: { kind: 'udp', sport: undefined, dport: undefined }, sctp: { kind: 'sctp', sport: undefined, dport: undefined } };
const portMatch = (p: 'tcp' | 'udp' | 'sctp', dport?: number): Match => (dport === undefined ? ANY_PORT[p] : { kind: p, sport: undefined, dport: { lo: dport, hi: dport, inv: false } });
const TO_MARK_MASQ: Target = { kind: 'jump', chain: 'KUBE-MARK-MASQ' };
const jumpTo = (t: string): Target => (t === 'KUBE-MARK-MASQ' ? TO_MARK_MASQ : t === 'DROP' || t === 'ACCEPT' || t === 'RETURN' ? { kind: t } : t === 'REJECT' ? { kind: 'REJECT', with: 'icmp-port-unreachable' } : { kind: 'jump', chain: t });

/** `-m comment --comment C -m P -p P -d IP --dport PORT [! -s CIDR] -j T` */
export function vipRule(c: string, p: 'tcp' | 'udp' | 'sctp', ip: string, port: number, target: string, notFrom?: string): Rule {
  const r: Rule = { dst: host(ip), proto: protoOf(p), matches: [comment(c), portMatch(p, port)], target: jumpTo(target) };
  if (notFrom) r.src = net(notFrom, true);
  return r;
}

/** `-m comment --comment C [-m statistic --mode random --probability P] -j SEP` */
function toEndpointRule(c: string, prob: string | undefined, chain: string): Rule {
  const matches: Match[] = [comment(c)];
  if (prob !== undefined) matches.push({ kind: 'statistic', mode: 'random', probability: Math.round(0x80000000 * Number(prob)), inv: false });
  return { matches, target: { kind: 'jump', chain } };
}

/** `-m comment --comment C -s IP -j KUBE-MARK-MASQ` */
function hairpinRule(c: string | Match, ip: string): Rule {
  return { src: host(ip), matches: [typeof c === 'string' ? comment(c) : c], target: TO_MARK_MASQ };
}

/** `-m comment --comment C [-m recent --name SEP --set] -m P -p P -j DNAT --to-destination EP` */
function dnatRule(c: string | Match, p: 'tcp' | 'udp' | 'sctp', to: string, affinityChain?: string): Rule {
  const matches: Match[] = [typeof c === 'string' ? comment(c) : c];
  if (affinityChain) matches.push({ kind: 'recent', op: 'set', seconds: 0, reap: false, hitcount: 0, rttl: false, name: affinityChain, mask: 0xffffffff, side: 'source', inv: false });
  matches.push(portMatch(p));
  return { proto: protoOf(p), matches, target: { kind: 'DNAT', to } };
}

export const __builders = { vipRule, toEndpointRule, hairpinRule, dnatRule };

/** iptablesJumpChains (+ iptablesKubeletJumpChains): [table, dstChain, srcChain, comment, extraArgs]. */
export const JUMP_CHAINS: ['filter' | 'nat', string, string, string, string[]][] = [
  ['filter', KUBE_EXTERNAL_SERVICES, 'INPUT', 'kubernetes externally-visible service portals', ['-m', 'conntrack', '--ctstate', 'NEW']],
  ['filter', KUBE_EXTERNAL_SERVICES, 'FORWARD', 'kubernetes externally-visible service portals', ['-m', 'conntrack', '--ctstate', 'NEW']],
  ['filter', KUBE_NODEPORTS, 'INPUT', 'kubernetes health check service ports', []],
  ['filter', KUBE_SERVICES, 'FORWARD', 'kubernetes service portals', ['-m', 'conntrack', '--ctstate', 'NEW']],
  ['filter', KUBE_SERVICES, 'OUTPUT', 'kubernetes service portals', ['-m', 'conntrack', '--ctstate', 'NEW']],
  ['filter', KUBE_FORWARD, 'FORWARD', 'kubernetes forwarding rules', []],
  ['filter', KUBE_PROXY_FIREWALL, 'INPUT', 'kubernetes load balancer firewall', ['-m', 'conntrack', '--ctstate', 'NEW']],
  ['filter', KUBE_PROXY_FIREWALL, 'OUTPUT', 'kubernetes load balancer firewall', ['-m', 'conntrack', '--ctstate', 'NEW']],
  ['filter', KUBE_PROXY_FIREWALL, 'FORWARD', 'kubernetes load balancer firewall', ['-m', 'conntrack', '--ctstate', 'NEW']],
  ['nat', KUBE_SERVICES, 'OUTPUT', 'kubernetes service portals', []],
  ['nat', KUBE_SERVICES, 'PREROUTING', 'kubernetes service portals', []],
  ['nat', KUBE_POSTROUTING, 'POSTROUTING', 'kubernetes postrouting rules', []],
  ['filter', KUBE_FIREWALL, 'INPUT', '', []],
  ['filter', KUBE_FIREWALL, 'OUTPUT', '', []],
];

/** Chains whose rules never depend on Services: written once, shared by every node. */
export function constantChains(): { nat: Chain[]; filter: Chain[] } {
  return {
    nat: [
      {
        name: KUBE_POSTROUTING,
        rules: [
          R('-m', 'mark', '!', '--mark', `${MASQ_MARK}/${MASQ_MARK}`, '-j', 'RETURN'),
          R('-j', 'MARK', '--xor-mark', MASQ_MARK),
          R('-m', 'comment', '--comment', 'kubernetes service traffic requiring SNAT', '-j', 'MASQUERADE', '--random-fully'),
        ],
      },
      { name: KUBE_MARK_MASQ, rules: [R('-j', 'MARK', '--or-mark', MASQ_MARK)] },
    ],
    filter: [
      kubeletFirewallChain(),
      {
        name: KUBE_FORWARD,
        rules: [
          R('-m', 'conntrack', '--ctstate', 'INVALID', '-m', 'nfacct', '--nfacct-name', CT_INVALID_COUNTER, '-j', 'DROP'),
          R('-m', 'comment', '--comment', 'kubernetes forwarding rules', '-m', 'mark', '--mark', `${MASQ_MARK}/${MASQ_MARK}`, '-j', 'ACCEPT'),
          R('-m', 'comment', '--comment', 'kubernetes forwarding conntrack rule', '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'),
        ],
      },
    ],
  };
}

/**
 * The tail call from KUBE-SERVICES to KUBE-NODEPORTS (nodePortAddresses unset: match all
 * local addresses). The IPv6 proxier leaves out ::1 — localhost NodePorts never work on
 * IPv6 (proxier.go: `if isIPv6 { destinations = append(destinations, "!", "-d", "::1/128") }`).
 */
export function nodePortsTailRule(ipv6 = false): Rule {
  return R('-m', 'comment', '--comment', 'kubernetes service nodeports; NOTE: this must be the last rule in this chain',
    '-m', 'addrtype', '--dst-type', 'LOCAL', ipv6 ? ['!', '-d', '::1/128'] : [], '-j', KUBE_NODEPORTS);
}

/** What one Service port contributes to a node's rules. */
export interface PortGen {
  natServices: Rule[];
  natNodePorts: Rule[];
  filterServices: Rule[];
  filterExternal: Rule[];
  filterFirewall: Rule[];
  filterNodePorts: Rule[];
  /** The per-service nat chains (KUBE-SVC/SVL/EXT/FW/SEP), in the order kube-proxy writes them. */
  chains: Chain[];
}

export interface GenContext {
  node: string;
  /** The node's labels (its zone, for topology hints); none for rules shared by every node. */
  nodeLabels?: Readonly<Record<string, string>>;
  nodeIP: string;
  clusterCIDR: string;
  localhostNodePorts: boolean;
}

const probCache: string[] = [];
/** computeProbability: fmt.Sprintf("%0.10f", 1.0/float64(n)). */
export function probability(n: number): string {
  return (probCache[n] ??= (1 / n).toFixed(10));
}

export function generateServicePort(sp: ServicePortInfo, allEndpoints: EndpointInfo[], ctx: GenContext): PortGen {
  const g: PortGen = { natServices: [], natNodePorts: [], filterServices: [], filterExternal: [], filterFirewall: [], filterNodePorts: [], chains: [] };
  const protocol = sp.protocol;
  const name = sp.name;
  const { clusterEndpoints, localEndpoints, allReachable, hasAnyEndpoints: hasEndpoints } = categorizeEndpoints(allEndpoints, sp, ctx.node, ctx.nodeLabels);

  const clusterPolicyChain = sp.clusterChain;
  const usesClusterPolicyChain = clusterEndpoints.length > 0 && (!sp.internalLocal || sp.nodePort !== 0 || sp.lbIPs.length > 0 || sp.externalIPs.length > 0);
  const localPolicyChain = sp.localChain;
  const usesLocalPolicyChain = localEndpoints.length > 0 && (sp.internalLocal || sp.externalLocal);

  let internalPolicyChain = clusterPolicyChain;
  let hasInternalEndpoints = hasEndpoints;
  if (sp.internalLocal) {
    internalPolicyChain = localPolicyChain;
    if (localEndpoints.length === 0) hasInternalEndpoints = false;
  }
  const internalTrafficChain = internalPolicyChain;

  let externalPolicyChain = clusterPolicyChain;
  let hasExternalEndpoints = hasEndpoints;
  if (sp.externalLocal) {
    externalPolicyChain = localPolicyChain;
    if (localEndpoints.length === 0) hasExternalEndpoints = false;
  }
  const externalTrafficChain = sp.extChain;
  const accessible = sp.nodePort !== 0 || sp.lbIPs.length > 0 || sp.externalIPs.length > 0;
  const usesExternalTrafficChain = hasEndpoints && accessible;

  let loadBalancerTrafficChain = externalTrafficChain;
  const fwChain = sp.fwChain;
  const usesFWChain = hasEndpoints && sp.lbIPs.length > 0 && sp.lbSourceRanges.length > 0;
  if (usesFWChain) loadBalancerTrafficChain = fwChain;

  let internalTrafficFilterTarget = '', internalTrafficFilterComment = '';
  let externalTrafficFilterTarget = '', externalTrafficFilterComment = '';
  if (!hasEndpoints) {
    internalTrafficFilterTarget = 'REJECT';
    internalTrafficFilterComment = `${name} has no endpoints`;
    externalTrafficFilterTarget = 'REJECT';
    externalTrafficFilterComment = internalTrafficFilterComment;
  } else {
    if (!hasInternalEndpoints) {
      internalTrafficFilterTarget = 'DROP';
      internalTrafficFilterComment = `${name} has no local endpoints`;
    }
    if (!hasExternalEndpoints) {
      externalTrafficFilterTarget = 'DROP';
      externalTrafficFilterComment = `${name} has no local endpoints`;
    }
  }
  const port = String(sp.port);
  const proto = ['-m', protocol, '-p', protocol];

  // Capture the clusterIP.
  if (hasInternalEndpoints) {
    g.natServices.push(vipRule(`${name} cluster IP`, protocol, sp.clusterIP, sp.port, internalTrafficChain));
  } else {
    g.filterServices.push(R('-m', 'comment', '--comment', internalTrafficFilterComment, proto, '-d', sp.clusterIP, '--dport', port, '-j', internalTrafficFilterTarget));
  }
  // Capture externalIPs.
  for (const ip of sp.externalIPs) {
    if (hasEndpoints) {
      g.natServices.push(R('-m', 'comment', '--comment', `${name} external IP`, proto, '-d', ip, '--dport', port, '-j', externalTrafficChain));
    }
    if (!hasExternalEndpoints) {
      g.filterExternal.push(R('-m', 'comment', '--comment', externalTrafficFilterComment, proto, '-d', ip, '--dport', port, '-j', externalTrafficFilterTarget));
    }
  }
  // Capture load-balancer ingress.
  for (const lbip of sp.lbIPs) {
    if (hasEndpoints) {
      g.natServices.push(R('-m', 'comment', '--comment', `${name} loadbalancer IP`, proto, '-d', lbip, '--dport', port, '-j', loadBalancerTrafficChain));
    }
    if (usesFWChain) {
      g.filterFirewall.push(R('-m', 'comment', '--comment', `${name} traffic not accepted by ${fwChain}`, proto, '-d', lbip, '--dport', port, '-j', 'DROP'));
    }
  }
  if (!hasExternalEndpoints) {
    for (const lbip of sp.lbIPs) {
      g.filterExternal.push(R('-m', 'comment', '--comment', externalTrafficFilterComment, proto, '-d', lbip, '--dport', port, '-j', externalTrafficFilterTarget));
    }
  }
  // Capture nodeports.
  if (sp.nodePort !== 0) {
    const np = String(sp.nodePort);
    if (hasEndpoints) {
      if (ctx.localhostNodePorts) {
        g.natNodePorts.push(R('-m', 'comment', '--comment', name, proto, '-d', '127.0.0.0/8', '--dport', np,
          '-m', 'nfacct', '--nfacct-name', LOCALHOST_NODEPORTS_COUNTER, '-j', externalTrafficChain));
      }
      g.natNodePorts.push(R('-m', 'comment', '--comment', name, proto, '--dport', np, '-j', externalTrafficChain));
    }
    if (!hasExternalEndpoints) {
      g.filterExternal.push(R('-m', 'comment', '--comment', externalTrafficFilterComment, '-m', 'addrtype', '--dst-type', 'LOCAL',
        proto, '--dport', np, '-j', externalTrafficFilterTarget));
    }
  }
  // Capture healthCheckNodePorts.
  if (sp.healthCheckNodePort !== 0) {
    g.filterNodePorts.push(R('-m', 'comment', '--comment', `${name} health check node port`, '-m', 'tcp', '-p', 'tcp',
      '--dport', String(sp.healthCheckNodePort), '-j', 'ACCEPT'));
  }

  const chainRules = new Map<string, Rule[]>();
  const chain = (c: string): Rule[] => {
    let rules = chainRules.get(c);
    if (!rules) {
      rules = [];
      chainRules.set(c, rules);
      g.chains.push({ name: c, rules });
    }
    return rules;
  };

  // Internal traffic handling: masquerade off-cluster traffic to the clusterIP.
  if (hasInternalEndpoints) {
    chain(internalTrafficChain).push(vipRule(`${name} cluster IP`, protocol, sp.clusterIP, sp.port, 'KUBE-MARK-MASQ', ctx.clusterCIDR));
  }
  // External traffic handling.
  if (usesExternalTrafficChain) {
    const ext = chain(externalTrafficChain);
    if (!sp.externalLocal) {
      ext.push(R('-m', 'comment', '--comment', `masquerade traffic for ${name} external destinations`, '-j', 'KUBE-MARK-MASQ'));
    } else {
      ext.push(R('-m', 'comment', '--comment', `pod traffic for ${name} external destinations`, '-s', ctx.clusterCIDR, '-j', clusterPolicyChain));
      ext.push(R('-m', 'comment', '--comment', `masquerade LOCAL traffic for ${name} external destinations`, '-m', 'addrtype', '--src-type', 'LOCAL', '-j', 'KUBE-MARK-MASQ'));
      ext.push(R('-m', 'comment', '--comment', `route LOCAL traffic for ${name} external destinations`, '-m', 'addrtype', '--src-type', 'LOCAL', '-j', clusterPolicyChain));
    }
    if (hasExternalEndpoints) ext.push(R('-j', externalPolicyChain));
  }
  // Firewall chain (loadBalancerSourceRanges).
  if (usesFWChain) {
    const fw = chain(fwChain);
    const args = ['-m', 'comment', '--comment', `${name} loadbalancer IP`];
    let allowFromNode = false;
    const nodeIP = parseIPv4(ctx.nodeIP);
    for (const cidr of sp.lbSourceRanges) {
      fw.push(R(args, '-s', cidr, '-j', externalTrafficChain));
      if (cidr.includes(':')) {
        if (ctx.nodeIP.includes(':') && cidr6Contains(cidr, ctx.nodeIP)) allowFromNode = true;
        continue;
      }
      const a = parseAddr(cidr, false);
      if (a && nodeIP !== undefined && addrMatches(a, nodeIP)) allowFromNode = true;
    }
    if (allowFromNode) for (const lbip of sp.lbIPs) fw.push(R(args, '-s', lbip, '-j', externalTrafficChain));
    fw.push(R('-m', 'comment', '--comment', `other traffic to ${name} will be dropped by KUBE-PROXY-FIREWALL`));
  }
  if (usesClusterPolicyChain) writeServiceToEndpointRules(chain(clusterPolicyChain), sp, clusterEndpoints);
  if (usesLocalPolicyChain) writeServiceToEndpointRules(chain(localPolicyChain), sp, localEndpoints);
  // The per-endpoint chains (read-only rules: one comment match, and its save form, shared by all).
  const nameComment = allReachable.length > 0 ? comment(name) : undefined;
  for (const ep of allReachable) {
    const sep = chain(ep.chain);
    sep.push(hairpinRule(nameComment!, ep.ip));
    sep.push(dnatRule(nameComment!, protocol, ep.str, sp.affinity ? ep.chain : undefined));
  }
  // kube-proxy writes the chain lines for SVC/SVL before EXT/FW in natChains, but the
  // kernel keeps chains by name; order here only matters for our own bookkeeping.
  return g;
}

function writeServiceToEndpointRules(rules: Rule[], sp: ServicePortInfo, endpoints: EndpointInfo[]): void {
  if (sp.affinity) {
    for (const ep of endpoints) {
      rules.push(R('-m', 'comment', '--comment', `${sp.name} -> ${ep.str}`, '-m', 'recent', '--name', ep.chain,
        '--rcheck', '--seconds', String(sp.stickySeconds), '--reap', '-j', ep.chain));
    }
  }
  const n = endpoints.length;
  endpoints.forEach((ep, i) => {
    rules.push(toEndpointRule(`${sp.name} -> ${ep.str}`, i < n - 1 ? probability(n - i) : undefined, ep.chain));
  });
}
