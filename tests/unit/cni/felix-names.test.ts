/**
 * Felix's names, byte for byte as Felix v3.28 prints them (projectcalico/calico v3.28.2).
 *
 * - The hashes themselves against node:crypto: SHA-224 (libcalico-go/lib/hash/unique_id.go
 *   MakeUniqueID uses crypto.SHA224) and SHA3-224 (felix/rules/endpoints.go
 *   PolicyGroup.UniqueID uses sha3.New224).
 * - Calico's own expectations: libcalico-go/lib/selector/parser/parser_test.go
 *   canonicalisationTests (input → String() → UniqueID()), felix/rules/policy_test.go
 *   "should include a chain name comment" (cali-pi-_ffOMcf6pikpiZ6hgKcW,
 *   cali-pri-_ffOMcf6pikpiZ6hgKc), felix/ipsets/ipsets_test.go (s:qMt7iLlGDhvLnCjM0l9nzxbabcd
 *   → cali40s:qMt7iLlGDhvLnCjM0l9nzxb).
 * - Three NetworkPolicies through the simulation, their expected names derived here by
 *   hand-running the upstream code with node:crypto: the selector strings are the ones
 *   libcalico-go builds (conversion.go k8sSelectorToCalico line 387, updateprocessors/rules.go
 *   getEndpointSelector line 58, networkpolicyprocessor.go convertNetworkPolicyV2ToV1Value
 *   line 44) after the parser's String() (parser/ast.go collectFragments: every && in
 *   parentheses, values in double quotes, sets sorted), then unique_id.go MakeUniqueID,
 *   ipset_defs.go NameForMainIPSet (line 361), hashutils/id.go GetLengthLimitedID (line 29),
 *   rule_scanner.go IPSetData.UniqueID (line 127) and endpoints.go PolicyGroup.UniqueID (line 585).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha224Bytes, utf8 } from '../../../engine/cluster/hash';
import { sha3_224, policyChainName, profileChainName, mainIpSetName, makeUniqueId } from '../../../engine/controllers/cni/plugins/calico/names';
import { normaliseSelector, parseSelector, selectorString } from '../../../engine/controllers/cni/plugins/calico/selector';
import { netpol, ns, pod, sim } from '../dataplane/fixtures';
import { golden } from '../dns/golden';
import { felixRuleHashes } from '../../../engine/controllers/cni/plugins/calico/rulehash';
import { createSimulation } from '../../../engine/index';
import { calicoNodeEnv, scenario } from '../dns/scenario';
import { dispatchChains } from '../../../engine/controllers/cni/plugins/calico/chains';
import type { RuleSpec } from '../../../engine/controllers/cni/netfilter';

const b64url = (b: Buffer) => b.toString('base64url');
/** unique_id.go MakeUniqueID, by node:crypto. */
const uniqueId = (prefix: string, content: string) => `${prefix}:${b64url(createHash('sha224').update(`${prefix}:${content}`).digest())}`;
/** hashutils/id.go GetLengthLimitedID, by node:crypto. */
const limited = (prefix: string, suffix: string, max = 28) =>
  prefix.length + suffix.length > max ? prefix + '_' + b64url(createHash('sha256').update(suffix).digest()).slice(0, max - 1 - prefix.length) : prefix + suffix;
/** ipset_defs.go NameForMainIPSet: "cali40" + id, cut to 31. */
const setName = (id: string) => ('cali40' + id).slice(0, 31);

describe('hashes', () => {
  it('SHA-224 and SHA3-224 agree with node:crypto, across block boundaries', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 119, 135, 136, 143, 144, 145, 287, 288, 300]) {
      const msg = 'x'.repeat(n).split('').map((_, i) => String.fromCharCode(97 + (i * 7) % 26)).join('');
      expect(Buffer.from(sha224Bytes(utf8(msg))).toString('hex')).toBe(createHash('sha224').update(msg).digest('hex'));
      expect(Buffer.from(sha3_224(utf8(msg))).toString('hex')).toBe(createHash('sha3-224').update(msg).digest('hex'));
    }
  });
});

describe('Calico selector canonical form (parser_test.go canonicalisationTests)', () => {
  const cases: [string, string, string?][] = [
    ['', 'all()', 's:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug'],
    [' all() ', 'all()', 's:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug'],
    [' (all() )', 'all()', 's:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug'],
    ['! (has( b)||! has(a ))', '!(has(b) || !has(a))', 's:Iss0uCleLYv1GSv_pNm7hAO58kE9jAx1NKyG3Q'],
    ['! (a == "b"&&! c != "d")', '!(a == "b" && !c != "d")', 's:lh3haoY1ikTRkd4UZu0nWSaIBknYLPJLX16d-w'],
    [`a == "'"`, `a == "'"`],
    [`a == '"'`, `a == '"'`],
    [`a contains '"'`, `a contains '"'`],
    [`a startswith '"'`, `a starts with '"'`],
    [`a endswith "'"`, `a ends with "'"`],
    [`a!='"'`, `a != '"'`],
    ['a in {"d", "a", "b"}', 'a in {"a", "b", "d"}'],
    ['a in {"z", "z", "x", "y", "x", "a"}', 'a in {"a", "x", "y", "z"}'],
  ];
  for (const [input, canonical, uid] of cases) {
    it(JSON.stringify(input), () => {
      expect(normaliseSelector(input)).toBe(canonical);
      if (uid) expect(makeUniqueId('s', canonical)).toBe(uid);
    });
  }

  it('bad selectors do not parse (parser_test.go badSelectors)', () => {
    for (const bad of ['b == b', '"b" == "b"', 'a == "b', 'a == "b" &&', 'a ', 'has(foo) &&', 'a in {"a", b}']) expect(parseSelector(bad)).toBeUndefined();
  });

  it('nesting is kept as parsed: (a) && (b && c) is an And holding an And', () => {
    expect(selectorString(parseSelector("(projectcalico.org/namespace == 'shop') && (projectcalico.org/orchestrator == 'k8s' && app == 'web')")!))
      .toBe('(projectcalico.org/namespace == "shop" && (projectcalico.org/orchestrator == "k8s" && app == "web"))');
  });
});

describe("Felix's names from Calico's own tests", () => {
  it('policy_test.go: cali-pi-_ffOMcf6pikpiZ6hgKcW, cali-pri-_ffOMcf6pikpiZ6hgKc; ipsets_test.go: cali40s:qMt7iLlGDhvLnCjM0l9nzxb', () => {
    expect(policyChainName('pi', 'long-policy-name-that-gets-hashed')).toBe('cali-pi-_ffOMcf6pikpiZ6hgKcW');
    expect(policyChainName('po', 'long-policy-name-that-gets-hashed')).toBe('cali-po-_ffOMcf6pikpiZ6hgKcW');
    expect(profileChainName('pri', 'long-policy-name-that-gets-hashed')).toBe('cali-pri-_ffOMcf6pikpiZ6hgKc');
    expect(mainIpSetName('s:qMt7iLlGDhvLnCjM0l9nzxbabcd')).toBe('cali40s:qMt7iLlGDhvLnCjM0l9nzxb');
  });
});

describe('three NetworkPolicies: the names Felix v3.28 would print', () => {
  const objects = [
    ns('shop'),
    ns('ops', { team: 'ops' }),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web-frontend', namespace: 'shop' } },
    pod('shop', 'web', 'node-1', '10.244.0.20', 'nginx:1.27', { app: 'web' }, { serviceAccountName: 'web-frontend' }),
    pod('shop', 'frontend', 'node-1', '10.244.0.21', 'nginx:1.27', { app: 'frontend' }),
    pod('ops', 'scraper', 'node-2', '10.244.1.20', 'nginx:1.27', { role: 'scraper' }),
    pod('shop', 'db', 'node-2', '10.244.1.21', 'postgres:16', { app: 'db' }, { containers: [{ name: 'pg', image: 'postgres:16', ports: [{ name: 'pg', containerPort: 5432 }] }] }),
    netpol('shop', 'allow-frontend', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 80 }] }] }),
    netpol('shop', 'from-monitoring', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } }, podSelector: { matchExpressions: [{ key: 'role', operator: 'In', values: ['scraper', 'agent'] }] } }] }],
    }),
    netpol('shop', 'egress-db', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 5432 }, { port: 'pg' }] }],
    }),
  ];

  // The v1 selectors after Parse().String(), written out by hand from the conversion code.
  const frontend = '(projectcalico.org/namespace == "shop" && (projectcalico.org/orchestrator == "k8s" && app == "frontend"))';
  const monitoring = '(pcns.team == "ops" && (projectcalico.org/orchestrator == "k8s" && role in {"agent", "scraper"}))';
  const db = '(has(projectcalico.org/namespace) && (projectcalico.org/orchestrator == "k8s" && app == "db"))';
  const webPolicySelector = '((projectcalico.org/orchestrator == "k8s" && app == "web") && projectcalico.org/namespace == "shop")';

  it('chains, IP sets and the policy group carry the upstream names', () => {
    const s = sim({ cni: 'calico' }, objects);
    const save = s.run('ssh node-1 iptables-save -t filter').stdout;
    const sets = s.run('ssh node-1 ipset list -n').stdout.split('\n');

    const pi = (name: string) => limited('cali-pi-', `shop/knp.default.${name}`);
    const po = (name: string) => limited('cali-po-', `shop/knp.default.${name}`);
    const frontendSet = setName(uniqueId('s', frontend));
    const monitoringSet = setName(uniqueId('s', monitoring));
    const dbSet = setName(uniqueId('s', db));
    const pgSet = setName(uniqueId('n', `${uniqueId('s', db)},tcp,pg`));
    // PolicyGroup.UniqueID: tier, selector, direction, count, names, each + "\n"; base64url; 20 characters (28 - len("cali-gi-"))
    const names = ['shop/knp.default.allow-frontend', 'shop/knp.default.from-monitoring'];
    const group = 'cali-gi-' + b64url(createHash('sha3-224').update(['default', webPolicySelector, 'inbound', '2', ...names].map((x) => x + '\n').join('')).digest()).slice(0, 20);

    expect(pi('allow-frontend')).toBe('cali-pi-_5jlfGFK6birOwAbgE1m');
    expect(limited('cali-pri-', 'ksa.shop.web-frontend')).toBe('cali-pri-__MOfgoESWpFF0AM6tf');
    expect([frontendSet, monitoringSet, dbSet, pgSet, group]).toEqual([
      'cali40s:RGARhF_xU-KjWbJh9z7nNQd', 'cali40s:mjbHRPD4E3ssyyYgcAD8rQr', 'cali40s:NfPtXLdWjP5xxHM2kf1VsdD', 'cali40n:osc2YHhV8f74dxe6NVrMlqg', 'cali-gi-0FEUeCpirQu8NBR_VsrJ',
    ]);
    for (const chain of [pi('allow-frontend'), pi('from-monitoring'), po('egress-db'), group, 'cali-pri-kns.shop', 'cali-pro-kns.shop', limited('cali-pri-', 'ksa.shop.web-frontend'), limited('cali-pro-', 'ksa.shop.web-frontend'), 'cali-pri-ksa.shop.default']) {
      expect(save).toContain(`:${chain} - [0:0]`);
    }
    for (const set of [frontendSet, monitoringSet, dbSet, pgSet]) expect(sets).toContain(set);
    expect(save).toContain(`-A ${group} -m comment`);
    expect(save).toContain(`-m set --match-set ${frontendSet} src`);
    expect(save).toContain(`-m set --match-set ${dbSet} dst`);
    expect(s.run(`ssh node-1 ipset list ${pgSet}`).stdout).toContain('10.244.1.21,tcp:5432');
    expect(s.run(`ssh node-1 ipset list ${monitoringSet}`).stdout).toContain('10.244.1.20');
  });

  it('node-1, whole: the policy, group and profile chains and the IP sets (golden)', () => {
    const s = sim({ cni: 'calico' }, objects);
    const lines = ['ssh node-1 iptables-save -t filter | grep -E "cali-(pi|po|gi|go|pri|pro)-"', 'ssh node-1 ipset list'];
    golden('cni/calico-policy/felix-names-node-1.txt', lines.map((l) => { const r = s.run(l); return `$ ${l}\n${r.stdout}${r.stderr}`; }).join(''));
  });
});

describe('dispatch chains fan out by interface prefix (felix/rules/dispatch_test.go "workload rendering tests")', () => {
  const drop = ['-m', 'comment', '--comment', 'Unknown interface', '-j', 'DROP'];
  const render = (names: string[]) => {
    const chains: Record<string, RuleSpec[]> = {};
    dispatchChains(names, 'cali-from-wl-dispatch', '-i', (n) => `cali-fw-${n}`, chains);
    dispatchChains(names, 'cali-to-wl-dispatch', '-o', (n) => `cali-tw-${n}`, chains);
    return chains;
  };

  it('"interfaces sharing prefix": cali1234, cali2333, cali2444', () => {
    expect(render(['cali2444', 'cali1234', 'cali2333'])).toEqual({
      'cali-from-wl-dispatch-2': [['-i', 'cali2333', '-g', 'cali-fw-cali2333'], ['-i', 'cali2444', '-g', 'cali-fw-cali2444'], drop],
      'cali-from-wl-dispatch': [['-i', 'cali1234', '-g', 'cali-fw-cali1234'], ['-i', 'cali2+', '-g', 'cali-from-wl-dispatch-2'], drop],
      'cali-to-wl-dispatch-2': [['-o', 'cali2333', '-g', 'cali-tw-cali2333'], ['-o', 'cali2444', '-g', 'cali-tw-cali2444'], drop],
      'cali-to-wl-dispatch': [['-o', 'cali1234', '-g', 'cali-tw-cali1234'], ['-o', 'cali2+', '-g', 'cali-to-wl-dispatch-2'], drop],
    });
  });

  it('"Multiple interfaces sharing multiple prefixes": cali11..13, cali21..22', () => {
    const c = render(['cali11', 'cali12', 'cali13', 'cali21', 'cali22']);
    expect(c['cali-from-wl-dispatch']).toEqual([['-i', 'cali1+', '-g', 'cali-from-wl-dispatch-1'], ['-i', 'cali2+', '-g', 'cali-from-wl-dispatch-2'], drop]);
    expect(c['cali-from-wl-dispatch-1']).toEqual([['-i', 'cali11', '-g', 'cali-fw-cali11'], ['-i', 'cali12', '-g', 'cali-fw-cali12'], ['-i', 'cali13', '-g', 'cali-fw-cali13'], drop]);
    expect(c['cali-to-wl-dispatch-2']).toEqual([['-o', 'cali21', '-g', 'cali-tw-cali21'], ['-o', 'cali22', '-g', 'cali-tw-cali22'], drop]);
  });

  it('no endpoints: the root chains hold only the drop', () => {
    expect(render([])).toEqual({ 'cali-from-wl-dispatch': [drop], 'cali-to-wl-dispatch': [drop] });
  });
});

/**
 * `cali:` rule ids (felix/iptables/rules.go Chain.RuleHashes; table.go
 * expectedHashesForInsertAppendChain), checked against ids real Felix nodes printed:
 * github.com/projectcalico/felix issue #1421 and projectcalico/calico issue #5978 (the jumps
 * from INPUT, FORWARD, OUTPUT and PREROUTING; raw cali-PREROUTING's first two rules),
 * aws/amazon-vpc-cni-k8s pull #34 (nat cali-POSTROUTING, cali-PREROUTING, cali-OUTPUT), and a
 * published `iptables --list-rules` of a Calico node without encapsulation (cali-FORWARD, the
 * FORWARD appends, cali-INPUT and cali-OUTPUT in full, dispatch and workload rules).
 */
describe("Felix's rule ids", () => {
  const cases: [string, string[][], string[]][] = [
    ['INPUT', [['-j', 'cali-INPUT']], ['Cz_u1IQiXIMmKD4c']],
    ['FORWARD', [['-j', 'cali-FORWARD']], ['wUHhoiAYhphO9Mso']],
    ['OUTPUT', [['-j', 'cali-OUTPUT']], ['tVnHkvAo15HuiPy0']],
    ['PREROUTING', [['-j', 'cali-PREROUTING']], ['6gwbT8clXdHdC1b1']],
    ['cali-PREROUTING', [['-j', 'MARK', '--set-xmark', '0x0/0xf0000'], ['-i', 'cali+', '-j', 'MARK', '--set-xmark', '0x40000/0x40000']], ['XFX5xbM8B9qR10JG', 'EWMPb0zVROM-woQp']],
    ['cali-POSTROUTING', [['-j', 'cali-fip-snat'], ['-j', 'cali-nat-outgoing']], ['Z-c7XtVd2Bq7s_hA', 'nYKhEzDlr11Jccal']],
    ['cali-FORWARD', [
      ['-j', 'MARK', '--set-xmark', '0x0/0xe0000'], ['-m', 'mark', '--mark', '0x0/0x10000', '-j', 'cali-from-hep-forward'], ['-i', 'cali+', '-j', 'cali-from-wl-dispatch'],
      ['-o', 'cali+', '-j', 'cali-to-wl-dispatch'], ['-j', 'cali-to-hep-forward'], ['-j', 'cali-cidr-block'],
    ], ['vjrMJCRpqwy5oRoX', 'A_sPAO0mcxbT9mOV', '8ZoYfO5HKXWbB3pk', 'jdEuaPBe14V2hutn', '12bc6HljsMKsmfr-', 'NOSxoaGx8OIstr1z']],
    ['FORWARD*appends*', [['-m', 'comment', '--comment', 'Policy explicitly accepted packet.', '-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'], ['-j', 'MARK', '--set-xmark', '0x10000/0x10000']], ['S93hcgKJrXEqnTfs', 'mp77cMpurHhyjLrM']],
    ['cali-INPUT', [
      ['-i', 'cali+', '-g', 'cali-wl-to-host'], ['-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'], ['-j', 'MARK', '--set-xmark', '0x0/0xf0000'], ['-j', 'cali-from-host-endpoint'],
      ['-m', 'comment', '--comment', 'Host endpoint policy accepted packet.', '-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'],
    ], ['FewJpBykm9iJ-YNH', 'hder3ARWznqqv8Va', 'xgOu2uJft6H9oDGF', '_-d-qojMfHM6NwBo', 'LqmE76MP94lZTGhA']],
    ['cali-OUTPUT', [
      ['-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'], ['-o', 'cali+', '-j', 'RETURN'], ['-j', 'MARK', '--set-xmark', '0x0/0xf0000'],
      ['-m', 'conntrack', '!', '--ctstate', 'DNAT', '-j', 'cali-to-host-endpoint'], ['-m', 'comment', '--comment', 'Host endpoint policy accepted packet.', '-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'],
    ], ['Mq1_rAdXXH3YkrzW', '69FkRTJDvD5Vu6Vl', 'Fskumj4SGQtDV6GC', '1F4VWEsQu0QbRwKf', 'm8Eqm15x1MjD24LD']],
    ['cali-from-wl-dispatch', [['-i', 'cali112d888c0c2', '-g', 'cali-fw-cali112d888c0c2'], ['-i', 'cali26cecacb712', '-g', 'cali-fw-cali26cecacb712']], ['887K6j2m0yTxV8XZ', '-1f18nv9_J5o_MPL']],
    ['cali-fw-cali112d888c0c2', [['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'], ['-m', 'conntrack', '--ctstate', 'INVALID', '-j', 'DROP']], ['gxYrST51OJyfBgWw', '6xENQhO2T0QW5LgN']],
  ];
  for (const [chain, rules, ids] of cases) it(`${chain}: ${ids.join(' ')}`, () => expect(felixRuleHashes(chain, rules)).toEqual(ids));

  it('the simulation writes them: the no-encapsulation node carries the published cali-INPUT and cali-OUTPUT', () => {
    const s = createSimulation(scenario('calico', calicoNodeEnv('[{ name: CALICO_IPV4POOL_IPIP, value: Never }, { name: CALICO_IPV4POOL_VXLAN, value: Never }]')));
    const save = s.run('ssh node-1 iptables-save -t filter').stdout;
    for (const line of [
      '-A INPUT -m comment --comment "cali:Cz_u1IQiXIMmKD4c" -j cali-INPUT',
      '-A FORWARD -m comment --comment "cali:S93hcgKJrXEqnTfs" -m comment --comment "Policy explicitly accepted packet." -m mark --mark 0x10000/0x10000 -j ACCEPT',
      '-A cali-INPUT -i cali+ -m comment --comment "cali:FewJpBykm9iJ-YNH" -g cali-wl-to-host',
      '-A cali-OUTPUT -m comment --comment "cali:m8Eqm15x1MjD24LD" -m comment --comment "Host endpoint policy accepted packet." -m mark --mark 0x10000/0x10000 -j ACCEPT',
      '-A cali-FORWARD -m comment --comment "cali:NOSxoaGx8OIstr1z" -j cali-cidr-block',
    ]) expect(save).toContain(line);
  });
});
