/**
 * The CNI plugin's own netfilter chains on a node, next to kube-proxy's and kubelet's:
 *  - flannel (pkg/trafficmngr/iptables: MasqRules, ForwardRules): FLANNEL-POSTRTG, FLANNEL-FWD;
 *  - Calico Felix's iptables dataplane: cali-* chains in raw, mangle, filter and nat, each
 *    rule tagged `cali:<id>` (Felix hashes each rule with its chain; we hash the same
 *    inputs with SHA-256, so ids have Felix's shape, not its exact bytes);
 *  - Weave Net: WEAVE (nat) and the WEAVE-NPC* policy-controller chains;
 *  - Cilium (with kube-proxy): the CILIUM_* feeder chains;
 *  - AWS VPC CNI: AWS-SNAT-CHAIN-0.
 * Calico, Weave and Cilium insert their jumps at the top of the built-in chains; flannel
 * and the AWS CNI append theirs.
 */
import type { ClusterRuntime } from '../runtime';
import type { NodeNetfilter, Chain } from '../../dataplane/netfilter/tables';
import type { Rule, TableName } from '../../dataplane/netfilter/rule';
import { R } from './iptables';
import { saveRuleBody } from '../../printers/netfilter/rules';
import { base32, sha256 } from './hash';
import type { NodeInfo } from './index';
import { podInterface } from '../cni';

const enc = new TextEncoder();

function caliId(chain: string, i: number, args: string[]): string {
  const b = base32(sha256(enc.encode(`${chain}|${i}|${args.join(' ')}`)));
  // Felix uses base64 RawURLEncoding; map base32's alphabet onto it for the same look.
  const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const h = sha256(enc.encode(b));
  let out = '';
  for (let k = 0; k < 16; k++) out += b64[h[k] & 63];
  return out;
}

type Spec = (string | string[])[];

function writeChains(nf: NodeNetfilter, table: TableName, chains: Record<string, Spec[]>, ids: boolean): void {
  nf.table(table);
  for (const [name, rules] of Object.entries(chains)) {
    const out: Rule[] = rules.map((args, i) => {
      const flat = args.flat();
      return ids ? R('-m', 'comment', '--comment', `cali:${caliId(name, i, flat)}`, flat) : R(flat);
    });
    nf.writeChain(table, { name, rules: out } as Chain);
  }
}

/** Ensures a jump from a built-in chain, as the agents' periodic resyncs do (no duplicates). */
function jump(nf: NodeNetfilter, table: TableName, from: string, rule: Rule, insert: boolean, at = 0): void {
  const existing = nf.table(table).get(from)!;
  const body = saveRuleBody(rule);
  if (existing.rules.some((r) => saveRuleBody(r) === body)) return;
  const c = nf.own(table, from)!;
  at = Math.min(at, c.rules.length);
  if (insert) c.rules.splice(at, 0, rule);
  else c.rules.push(rule);
}

export function cniChains(sim: ClusterRuntime, nf: NodeNetfilter, info: NodeInfo): void {
  const cidr = sim.settings.podCIDR;
  switch (sim.settings.cni) {
    case 'flannel': {
      writeChains(nf, 'filter', {
        'FLANNEL-FWD': [
          ['-s', cidr, '-m', 'comment', '--comment', 'flanneld forward', '-j', 'ACCEPT'],
          ['-d', cidr, '-m', 'comment', '--comment', 'flanneld forward', '-j', 'ACCEPT'],
        ],
      }, false);
      jump(nf, 'filter', 'FORWARD', R('-m', 'comment', '--comment', 'flanneld forward', '-j', 'FLANNEL-FWD'), false);
      writeChains(nf, 'nat', {
        'FLANNEL-POSTRTG': [
          ['-m', 'mark', '--mark', '0x4000/0x4000', '-m', 'comment', '--comment', 'flanneld masq', '-j', 'RETURN'],
          ['-s', info.podCIDR, '-d', cidr, '-m', 'comment', '--comment', 'flanneld masq', '-j', 'RETURN'],
          ['-s', cidr, '-d', info.podCIDR, '-m', 'comment', '--comment', 'flanneld masq', '-j', 'RETURN'],
          ['!', '-s', cidr, '-d', info.podCIDR, '-m', 'comment', '--comment', 'flanneld masq', '-j', 'RETURN'],
          ['-s', cidr, '!', '-d', '224.0.0.0/4', '-m', 'comment', '--comment', 'flanneld masq', '-j', 'MASQUERADE', '--random-fully'],
          ['!', '-s', cidr, '-d', cidr, '-m', 'comment', '--comment', 'flanneld masq', '-j', 'MASQUERADE', '--random-fully'],
        ],
      }, false);
      jump(nf, 'nat', 'POSTROUTING', R('-m', 'comment', '--comment', 'flanneld masq', '-j', 'FLANNEL-POSTRTG'), false);
      return;
    }
    case 'calico': {
      nf.table('raw');
      writeChains(nf, 'raw', {
        'cali-PREROUTING': [
          ['-j', 'MARK', '--set-xmark', '0x0/0xf0000'],
          ['-i', 'cali+', '-j', 'MARK', '--set-xmark', '0x40000/0x40000'],
          ['-m', 'mark', '--mark', '0x40000/0x40000', '-j', 'cali-rpf-skip'],
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
      }, true);
      writeChains(nf, 'mangle', {
        'cali-PREROUTING': [
          ['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'],
          ['-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'],
          ['-j', 'cali-from-host-endpoint'],
          ['-m', 'comment', '--comment', 'Host endpoint policy accepted packet.', '-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'],
        ],
        'cali-POSTROUTING': [
          ['-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'RETURN'],
          ['-j', 'MARK', '--set-xmark', '0x0/0xf0000'],
          ['-m', 'conntrack', '--ctstate', 'DNAT', '-j', 'cali-to-host-endpoint'],
          ['-m', 'comment', '--comment', 'Host endpoint policy accepted packet.', '-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'RETURN'],
        ],
        'cali-from-host-endpoint': [],
        'cali-to-host-endpoint': [],
      }, true);
      writeChains(nf, 'filter', {
        'cali-INPUT': [
          ['-p', 'udp', '-m', 'comment', '--comment', 'Allow IPv4 VXLAN packets from allowed hosts', '-m', 'multiport', '--dports', '4789', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'ACCEPT'],
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
          ['-o', 'cali+', '-j', 'RETURN'],
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
        'cali-wl-to-host': [
          ['-j', 'cali-from-wl-dispatch'],
          ['-m', 'comment', '--comment', 'Configured DefaultEndpointToHostAction', '-j', 'ACCEPT'],
        ],
      }, true);
      writeChains(nf, 'nat', {
        'cali-PREROUTING': [['-j', 'cali-fip-dnat']],
        'cali-POSTROUTING': [
          ['-j', 'cali-fip-snat'],
          ['-j', 'cali-nat-outgoing'],
          ['-o', 'vxlan.calico', '-m', 'addrtype', '!', '--src-type', 'LOCAL', '--limit-iface-out', '-m', 'addrtype', '--src-type', 'LOCAL', '-j', 'MASQUERADE', '--random-fully'],
        ],
        'cali-OUTPUT': [['-j', 'cali-fip-dnat']],
        'cali-fip-dnat': [],
        'cali-fip-snat': [],
        'cali-nat-outgoing': [
          ['-m', 'set', '--match-set', 'cali40masq-ipam-pools', 'src', '-m', 'set', '!', '--match-set', 'cali40all-ipam-pools', 'dst', '-j', 'MASQUERADE', '--random-fully'],
        ],
      }, true);
      const top = (table: TableName, from: string, to: string) => {
        const args = ['-j', to];
        jump(nf, table, from, R('-m', 'comment', '--comment', `cali:${caliId(`${table}/${from}`, 0, args)}`, args), true);
      };
      top('raw', 'PREROUTING', 'cali-PREROUTING');
      top('raw', 'OUTPUT', 'cali-OUTPUT');
      top('mangle', 'PREROUTING', 'cali-PREROUTING');
      top('mangle', 'POSTROUTING', 'cali-POSTROUTING');
      top('filter', 'INPUT', 'cali-INPUT');
      top('filter', 'OUTPUT', 'cali-OUTPUT');
      top('filter', 'FORWARD', 'cali-FORWARD');
      // Felix's FORWARD tail: accept what policy accepted, then mark for the rest of the chain.
      const fwd = (i: number, args: string[]) => jump(nf, 'filter', 'FORWARD', R('-m', 'comment', '--comment', `cali:${caliId('FORWARD', i, args)}`, args), true, i);
      fwd(1, ['-m', 'comment', '--comment', 'Policy explicitly accepted packet.', '-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT']);
      fwd(2, ['-j', 'MARK', '--set-xmark', '0x10000/0x10000']);
      top('nat', 'PREROUTING', 'cali-PREROUTING');
      top('nat', 'OUTPUT', 'cali-OUTPUT');
      top('nat', 'POSTROUTING', 'cali-POSTROUTING');
      return;
    }
    case 'weave': {
      writeChains(nf, 'filter', {
        'WEAVE-NPC': [
          ['-m', 'state', '--state', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'],
          ['-d', '224.0.0.0/4', '-j', 'ACCEPT'],
          ['-m', 'physdev', '--physdev-out', 'vethwe-bridge', '--physdev-is-bridged', '-j', 'ACCEPT'],
          ['-m', 'state', '--state', 'NEW', '-j', 'WEAVE-NPC-DEFAULT'],
          ['-m', 'state', '--state', 'NEW', '-j', 'WEAVE-NPC-INGRESS'],
        ].filter((r) => !r.includes('--physdev-out')),
        'WEAVE-NPC-DEFAULT': [],
        'WEAVE-NPC-INGRESS': [],
        'WEAVE-NPC-EGRESS': [
          ['-m', 'state', '--state', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'],
          ['-m', 'physdev', '--physdev-is-bridged', '-j', 'RETURN'],
          ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'RETURN'],
          ['-d', '224.0.0.0/4', '-j', 'RETURN'],
          ['-m', 'state', '--state', 'NEW', '-j', 'WEAVE-NPC-EGRESS-DEFAULT'],
          ['-m', 'state', '--state', 'NEW', '-m', 'mark', '!', '--mark', '0x40000/0x40000', '-j', 'WEAVE-NPC-EGRESS-CUSTOM'],
        ],
        'WEAVE-NPC-EGRESS-ACCEPT': [['-j', 'MARK', '--set-xmark', '0x40000/0x40000']],
        'WEAVE-NPC-EGRESS-CUSTOM': [],
        'WEAVE-NPC-EGRESS-DEFAULT': [],
        'WEAVE-CANARY': [],
      }, false);
      const note = ['-m', 'comment', '--comment', "NOTE: this must go before '-j KUBE-FORWARD'"];
      jump(nf, 'filter', 'FORWARD', R('-i', 'weave', note, '-j', 'WEAVE-NPC-EGRESS'), true, 0);
      jump(nf, 'filter', 'FORWARD', R('-o', 'weave', note, '-j', 'WEAVE-NPC'), true, 1);
      jump(nf, 'filter', 'FORWARD', R('-o', 'weave', '-j', 'DROP'), true, 2);
      jump(nf, 'filter', 'FORWARD', R('-i', 'weave', '!', '-o', 'weave', '-j', 'ACCEPT'), true, 3);
      jump(nf, 'filter', 'FORWARD', R('-o', 'weave', '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'), true, 4);
      jump(nf, 'filter', 'INPUT', R('-d', '127.0.0.1/32', '-p', 'tcp', '-m', 'tcp', '--dport', '6784', '-m', 'addrtype', '!', '--src-type', 'LOCAL', '-m', 'conntrack', '!', '--ctstate', 'RELATED,ESTABLISHED', '-m', 'comment', '--comment', 'Block non-local access to Weave Net control port', '-j', 'DROP'), false);
      jump(nf, 'filter', 'INPUT', R('-i', 'weave', '-j', 'WEAVE-NPC-EGRESS'), false);
      const weaveNet = '10.32.0.0/12';
      writeChains(nf, 'nat', {
        WEAVE: [
          ['-s', weaveNet, '-d', '224.0.0.0/4', '-j', 'RETURN'],
          ['!', '-s', weaveNet, '-d', weaveNet, '-j', 'MASQUERADE'],
          ['-s', weaveNet, '!', '-d', weaveNet, '-j', 'MASQUERADE'],
        ],
        'WEAVE-CANARY': [],
      }, false);
      jump(nf, 'nat', 'POSTROUTING', R('-j', 'WEAVE'), false);
      return;
    }
    case 'cilium': {
      nf.table('raw');
      writeChains(nf, 'filter', {
        CILIUM_INPUT: [['-m', 'mark', '--mark', '0x200/0xf00', '-m', 'comment', '--comment', 'cilium: ACCEPT for proxy traffic', '-j', 'ACCEPT']],
        CILIUM_FORWARD: [
          ['-o', 'cilium_host', '-m', 'comment', '--comment', 'cilium: any->cluster on cilium_host forward accept', '-j', 'ACCEPT'],
          ['-i', 'cilium_host', '-m', 'comment', '--comment', 'cilium: cluster->any on cilium_host forward accept (nodeport)', '-j', 'ACCEPT'],
          ['-i', 'lxc+', '-m', 'comment', '--comment', 'cilium: cluster->any on lxc+ forward accept', '-j', 'ACCEPT'],
          ['-i', 'cilium_net', '-m', 'comment', '--comment', 'cilium: cluster->any on cilium_net forward accept (nodeport)', '-j', 'ACCEPT'],
        ],
        CILIUM_OUTPUT: [['-m', 'mark', '--mark', '0xa00/0xfffffeff', '-m', 'comment', '--comment', 'cilium: ACCEPT for proxy return traffic', '-j', 'ACCEPT']],
      }, false);
      writeChains(nf, 'nat', {
        CILIUM_PRE_nat: [],
        CILIUM_OUTPUT_nat: [],
        CILIUM_POST_nat: [['-s', info.podCIDR, '!', '-d', cidr, '!', '-o', 'cilium_+', '-m', 'comment', '--comment', 'cilium masquerade non-cluster', '-j', 'MASQUERADE']],
      }, false);
      writeChains(nf, 'raw', {
        CILIUM_PRE_raw: [['-m', 'mark', '--mark', '0x200/0xf00', '-m', 'comment', '--comment', 'cilium: NOTRACK for proxy traffic', '-j', 'ACCEPT']].filter(() => false),
        CILIUM_OUTPUT_raw: [],
      }, false);
      writeChains(nf, 'mangle', { CILIUM_PRE_mangle: [], CILIUM_POST_mangle: [] }, false);
      const feed = (table: TableName, from: string, to: string) => jump(nf, table, from, R('-m', 'comment', '--comment', `cilium-feeder: ${to}`, '-j', to), true);
      feed('filter', 'INPUT', 'CILIUM_INPUT');
      feed('filter', 'FORWARD', 'CILIUM_FORWARD');
      feed('filter', 'OUTPUT', 'CILIUM_OUTPUT');
      feed('nat', 'PREROUTING', 'CILIUM_PRE_nat');
      feed('nat', 'OUTPUT', 'CILIUM_OUTPUT_nat');
      feed('nat', 'POSTROUTING', 'CILIUM_POST_nat');
      feed('raw', 'PREROUTING', 'CILIUM_PRE_raw');
      feed('raw', 'OUTPUT', 'CILIUM_OUTPUT_raw');
      feed('mangle', 'PREROUTING', 'CILIUM_PRE_mangle');
      feed('mangle', 'POSTROUTING', 'CILIUM_POST_mangle');
      return;
    }
    case 'aws-vpc-cni': {
      writeChains(nf, 'nat', {
        'AWS-SNAT-CHAIN-0': [
          ['-d', cidr, '-m', 'comment', '--comment', 'AWS SNAT CHAIN', '-j', 'RETURN'],
          ['!', '-o', 'vlan+', '-m', 'comment', '--comment', 'AWS, SNAT', '-m', 'addrtype', '!', '--dst-type', 'LOCAL', '-j', 'SNAT', '--to-source', info.ip, '--random-fully'],
        ],
      }, false);
      jump(nf, 'nat', 'POSTROUTING', R('-m', 'comment', '--comment', 'AWS SNAT CHAIN', '-j', 'AWS-SNAT-CHAIN-0'), false);
      return;
    }
  }
}

/**
 * Calico's per-workload chains on a node: the dispatch chains send each local pod's veth
 * to its cali-fw-/cali-tw- chain, which apply the namespace profile (cali-pro-kns.NS /
 * cali-pri-kns.NS; NetworkPolicies themselves are enforced by the packet walk). Rebuilt
 * whenever pods come and go.
 */
export function calicoWorkloadChains(sim: ClusterRuntime, nf: NodeNetfilter, node: string): void {
  if (sim.settings.cni !== 'calico' || !nf.hasTable('filter')) return;
  const tab = nf.table('filter');
  for (const name of [...tab.keys()]) {
    if (/^cali-(fw|tw)-|^cali-p[ri][io]-kns\./.test(name) && !nf.dirty.has(`filter ${name}`)) tab.delete(name);
  }
  const veths: { veth: string; ns: string }[] = [];
  for (const pod of sim.store.iterate('Pod')) {
    if (pod.spec?.nodeName !== node || pod.spec?.hostNetwork || !pod.status?.podIP) continue;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    let iface;
    try {
      iface = podInterface(sim, pod);
    } catch {
      iface = undefined;
    }
    if (iface?.hostVeth) veths.push({ veth: iface.hostVeth, ns: pod.metadata.namespace ?? 'default' });
  }
  veths.sort((a, b) => (a.veth < b.veth ? -1 : a.veth > b.veth ? 1 : 0));
  const chains: Record<string, Spec[]> = {
    'cali-from-wl-dispatch': [...veths.map((v) => ['-i', v.veth, '-g', `cali-fw-${v.veth}`]), ['-m', 'comment', '--comment', 'Unknown interface', '-j', 'DROP']],
    'cali-to-wl-dispatch': [...veths.map((v) => ['-o', v.veth, '-g', `cali-tw-${v.veth}`]), ['-m', 'comment', '--comment', 'Unknown interface', '-j', 'DROP']],
  };
  const namespaces = new Set(veths.map((v) => v.ns));
  for (const ns of namespaces) {
    for (const kind of ['pro', 'pri']) {
      chains[`cali-${kind}-kns.${ns}`] = [
        ['-j', 'MARK', '--set-xmark', '0x10000/0x10000'],
        ['-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'RETURN'],
      ];
    }
  }
  for (const { veth, ns } of veths) {
    const common = (dir: 'fw' | 'tw'): Spec[] => [
      ['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'],
      ['-m', 'conntrack', '--ctstate', 'INVALID', '-j', 'DROP'],
      ['-j', 'MARK', '--set-xmark', '0x0/0x10000'],
      ...(dir === 'fw'
        ? [
            ['-p', 'udp', '-m', 'comment', '--comment', 'Drop VXLAN encapped packets originating in workloads', '-m', 'multiport', '--dports', '4789', '-j', 'DROP'],
            ['-p', 'ipencap', '-m', 'comment', '--comment', 'Drop IPinIP encapped packets originating in workloads', '-j', 'DROP'],
          ]
        : []),
      ['-j', `cali-${dir === 'fw' ? 'pro' : 'pri'}-kns.${ns}`],
      ['-m', 'comment', '--comment', 'Return if profile accepted', '-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'RETURN'],
      ['-m', 'comment', '--comment', 'Drop if no profiles matched', '-j', 'DROP'],
    ];
    chains[`cali-fw-${veth}`] = common('fw');
    chains[`cali-tw-${veth}`] = common('tw');
  }
  for (const name of Object.keys(chains)) if (nf.dirty.has(`filter ${name}`)) delete chains[name];
  writeChains(nf, 'filter', chains, true);
}
