/**
 * kube-proxy's nftables mode against upstream, and `nft` on the node.
 *
 * Rules and names: kubernetes/kubernetes pkg/proxy/nftables/proxier.go at v1.34 (the
 * release-1.34 rules: #132456's pre-DNAT filter chains at dstnat-10 and priority-0
 * filter chains, #131492's ClusterIP masquerade rule); the first test compares the
 * node's `ip kube-proxy` table with upstream's own TestOverallNFTablesRules expectation
 * (./upstream-nft.ts) chain by chain, rule by rule, element by element — the chain names
 * (service-ULMVA6XW-ns1/svc1/tcp/p80, endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80, …)
 * come from hashAndTruncate/servicePortChainNameBase/servicePortEndpointChainNameBase.
 * The expectation is the transaction kube-proxy sends; what `nft list` prints is nft's
 * canonical form of the same rules, so the comparison translates the four input forms
 * kube-proxy writes differently: `mark set mark or 0x4000` (nft lists `meta mark set
 * meta mark | 0x00004000`), `mark and 0x4000 == 0`, `mark set mark xor`, and a
 * one-element anonymous set `{ x }`, which nft folds into `x` before it reaches the kernel.
 *
 * Output: nftables 1.0.6 src/rule.c (table_print, chain_print_declaration, prio2str,
 * set_print_declaration), src/expression.c (set elements, calculate_delim),
 * src/mergesort.c (element order), src/erec.c and src/evaluate.c/src/cmd.c (errors).
 */
import { describe, expect, it } from 'vitest';
import { kubeProxyOf } from '../../../engine/controllers/kube-proxy';
import { ruleText } from '../../../engine/dataplane/nftables/text';
import { verdictText } from '../../../engine/dataplane/nftables/rule';
import type { NftTable } from '../../../engine/dataplane/nftables/ruleset';
import { expectGolden, loadSim, transcript } from './harness';
import { UPSTREAM_OVERALL } from './upstream-nft';

/** kube-proxy's input forms that nft lists differently (see the header). */
function canonical(rule: string): string {
  return rule
    .replace(/^mark set mark or 0x([0-9a-f]+)$/, (_, h) => `meta mark set meta mark | 0x${h.padStart(8, '0')}`)
    .replace(/^mark set mark xor 0x([0-9a-f]+)$/, (_, h) => `meta mark set meta mark ^ 0x${h.padStart(8, '0')}`)
    .replace(/^mark and 0x([0-9a-f]+) == 0 /, (_, h) => `meta mark & 0x${h.padStart(8, '0')} == 0x00000000 `)
    .replace(/ \{ ([^,{}]+) \} (drop|accept)/, ' $1 $2')
    .replace(/ , /g, ', ');
}

interface Expected {
  chains: Map<string, { rules: string[]; base?: string }>;
  sets: Map<string, string>;
  elements: Map<string, Set<string>>;
}

function parseUpstream(text: string): Expected {
  const e: Expected = { chains: new Map(), sets: new Map(), elements: new Map() };
  for (const line of text.split('\n')) {
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^add chain ip kube-proxy (\S+)(?: \{ (.*) ; \})?$/))) {
      const c = e.chains.get(m[1]) ?? { rules: [] };
      if (m[2]?.startsWith('type')) c.base = m[2];
      e.chains.set(m[1], c);
    } else if ((m = line.match(/^add rule ip kube-proxy (\S+) (.*)$/))) {
      const c = e.chains.get(m[1]) ?? { rules: [] };
      c.rules.push(canonical(m[2]));
      e.chains.set(m[1], c);
    } else if ((m = line.match(/^add (set|map) ip kube-proxy (\S+) \{ (.*) ; \}$/))) {
      e.sets.set(m[2], `${m[1]} ${m[3]}`);
    } else if ((m = line.match(/^add element ip kube-proxy (\S+) \{ (.*) \}$/))) {
      const s = e.elements.get(m[1]) ?? new Set();
      s.add(m[2]);
      e.elements.set(m[1], s);
    }
  }
  return e;
}

/** The node's table in the same terms. */
function actual(t: NftTable): Expected {
  const e: Expected = { chains: new Map(), sets: new Map(), elements: new Map() };
  for (const c of t.chains.values()) {
    const ch: { rules: string[]; base?: string } = { rules: c.rules.map((r) => ruleText(r.rule)) };
    if (c.base) ch.base = `type ${c.base.type} hook ${c.base.hook} priority ${c.base.prio}`;
    e.chains.set(c.name, ch);
  }
  for (const s of t.sets.values()) {
    const parts = [`type ${s.keyType.join(' . ')}${s.map ? ' : verdict' : ''}`];
    if (s.flags.length) parts.push(`flags ${s.flags.join(',')}`);
    if (s.timeout) parts.push(`timeout ${s.timeout / 1000}s`);
    if (s.comment !== undefined) parts.push(`comment "${s.comment}"`);
    e.sets.set(s.name, `${s.map ? 'map' : 'set'} ${parts.join(' ; ')}`);
    const els = new Set([...s.elements.values()].map((x) => `${x.key.join(' . ')}${x.comment !== undefined ? ` comment "${x.comment}"` : ''}${x.value ? ` : ${verdictText(x.value)}` : ''}`));
    if (els.size) e.elements.set(s.name, els);
  }
  return e;
}

describe('kube-proxy nftables mode, against upstream', () => {
  it('TestOverallNFTablesRules: the ip kube-proxy table holds upstream\'s chains, rules, sets and elements', () => {
    const sim = loadSim('proxier-overall-nft.yaml');
    const kp = kubeProxyOf(sim.cluster);
    kp.node('test-node');
    const table = kp.nftables.ruleset('test-node')!.table('ip', 'kube-proxy')!;
    const want = parseUpstream(UPSTREAM_OVERALL);
    const got = actual(table);
    expect([...got.chains.keys()].sort()).toEqual([...want.chains.keys()].sort());
    for (const [name, c] of want.chains) expect(got.chains.get(name), name).toEqual(c);
    expect(Object.fromEntries(got.sets)).toEqual(Object.fromEntries(want.sets));
    expect(Object.fromEntries([...got.elements].map(([k, v]) => [k, [...v].sort()]))).toEqual(Object.fromEntries([...want.elements].map(([k, v]) => [k, [...v].sort()])));
  });

  it('TestOverallNFTablesRules: nft list, as the node prints it', () => {
    const sim = loadSim('proxier-overall-nft.yaml');
    expectGolden('nft-proxier-overall', transcript(sim, 'test-node', [
      'nft list table ip kube-proxy',
      'nft -a list chain ip kube-proxy services',
      'nft list map ip kube-proxy service-ips',
      'nft list set ip kube-proxy cluster-ips',
      'nft -t list set ip kube-proxy cluster-ips',
      'nft -y list chain ip kube-proxy filter-prerouting-pre-dnat',
    ]));
  });
});

describe('nft on a node', () => {
  it('the whole ruleset: iptables-nft tables (kubelet, flanneld) beside kube-proxy\'s nftables tables', () => {
    const sim = loadSim('web-nft.yaml');
    expectGolden('nft-web-ruleset', transcript(sim, 'node-1', [
      'nft list tables',
      'nft list ruleset',
      'nft -a list table ip kube-proxy',
      'nft list chains ip',
      'nft list maps',
      'nft -a list chain ip filter FORWARD',
    ]));
  });

  it('no KUBE-* iptables rules from kube-proxy in nftables mode: only kubelet\'s and the CNI\'s', () => {
    const sim = loadSim('web-nft.yaml');
    const save = transcript(sim, 'node-1', ['iptables-save']);
    expect(save).not.toMatch(/KUBE-SERVICES|KUBE-NODEPORTS|KUBE-POSTROUTING|KUBE-MARK-MASQ|KUBE-PROXY-CANARY|KUBE-SVC-|KUBE-SEP-/);
    expectGolden('nft-web-iptables-save', save);
  });

  it('errors: nft\'s messages, the command line and carets, exit 1', () => {
    const sim = loadSim('web-nft.yaml');
    expectGolden('nft-errors', transcript(sim, 'node-1', [
      'nft list table ip kube-prox',
      'nft list table ip nosuchtable',
      'nft list chain ip kube-proxy service',
      'nft list chain ip kube-proxy',
      'nft list map ip kube-proxy cluster-ips',
      'nft list set ip kube-proxy cluster-ip',
      'nft delete rule ip kube-proxy services handle 99999',
      'nft delete rule ip kube-proxy services 5',
      'nft delete rule ip kube-proxy servics handle 5',
      'nft delete rule ip kube-proxyy services handle 5',
      'nft flush chain ip kube-proxy nope',
      'nft list ruleset -a',
      'nft lsit ruleset',
      'nft -j list ruleset',
      'nft -x list ruleset',
      'nft',
      'nft -v',
      'nft add rule ip kube-proxy services drop',
    ]));
  });

  it('iptables mode: kube-proxy\'s KUBE-* chains are iptables-nft tables, printed through the extensions\' xlate', () => {
    const sim = loadSim('web.yaml');
    expectGolden('nft-iptables-mode', transcript(sim, 'node-1', ['nft list tables', 'nft list table ip nat', 'nft -s list chain ip filter KUBE-FORWARD', 'nft -a list chain ip nat KUBE-SVC-BJWR5DPVIKTHVKZU']));
  });

  it('externalTrafficPolicy Local: each node\'s table differs (local endpoints, drops without them)', () => {
    const sim = loadSim('etp-local-nft.yaml');
    expectGolden('nft-etp-local', transcript(sim, 'node-1', ['nft list table ip kube-proxy']) + transcript(sim, 'node-2', ['nft list table ip kube-proxy']));
  });
});
