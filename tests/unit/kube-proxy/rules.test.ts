/**
 * The rule parser and printers: rules typed any way print back the way iptables 1.8.9
 * prints them (xshared.c do_parse loads a protocol's implicit match where its option
 * appears; nft-ipv4.c saves addresses as ADDR/PREFIX; libxt_statistic stores
 * lround(2^31·p) and prints %.11f; libxt_MARK saves every form as --set-xmark;
 * libxt_conntrack prints states in its own order).
 */
import { describe, expect, it } from 'vitest';
import { parseRuleSpec } from '../../../engine/dataplane/netfilter/rule';
import { listRule, saveRuleBody } from '../../../engine/printers/netfilter/rules';
import { R, __builders } from '../../../engine/controllers/kube-proxy/iptables/rules';
import { splitSaved } from '../../../engine/controllers/kube-proxy';

const save = (args: string) => saveRuleBody(parseRuleSpec(splitSaved(args)));

describe('iptables normalisation', () => {
  const cases: [string, string][] = [
    ['-p tcp --dport 80 -s 10.0.0.1/8 -m comment --comment "hi there" -j ACCEPT', ' -s 10.0.0.0/8 -p tcp -m tcp --dport 80 -m comment --comment "hi there" -j ACCEPT'],
    ['-m comment --comment "x" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O', ' -d 172.30.0.41/32 -p tcp -m comment --comment x -m tcp --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O'],
    ['-m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-A', ' -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-A'],
    ['-m statistic --mode random --probability 0.2500000000 -j X', ' -m statistic --mode random --probability 0.25000000000 -j X'],
    ['-j MARK --set-mark 0x1', ' -j MARK --set-xmark 0x1/0xffffffff'],
    ['-j MARK --or-mark 0x004000', ' -j MARK --set-xmark 0x4000/0x4000'],
    ['-j MARK --xor-mark 0x4000', ' -j MARK --set-xmark 0x4000/0x0'],
    ['-m state --state ESTABLISHED,NEW -j ACCEPT', ' -m state --state NEW,ESTABLISHED -j ACCEPT'],
    ['-m conntrack ! --ctstate DNAT,RELATED,ESTABLISHED -d 127.0.0.0/8 ! -s 127.0.0.0/8 -j DROP', ' ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP'],
    ['-m mark --mark 0x4000 -j RETURN', ' -m mark --mark 0x4000 -j RETURN'],
    ['-p udp -m udp --sport 53 ! --dport 1000:2000 -j DROP', ' -p udp -m udp --sport 53 ! --dport 1000:2000 -j DROP'],
    ['-i cali+ ! -o eth0 -g cali-wl-to-host', ' -i cali+ ! -o eth0 -g cali-wl-to-host'],
    ['-s 10.1.2.3/255.255.0.0 -j REJECT --reject-with tcp-reset', ' -s 10.1.0.0/16 -j REJECT --reject-with tcp-reset'],
    ['-p tcp -j REJECT', ' -p tcp -j REJECT --reject-with icmp-port-unreachable'],
    ['-m recent --name X --set', ' -m recent --set --name X --mask 255.255.255.255 --rsource'],
    ['-m set --match-set KUBE-CLUSTER-IP dst,dst ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ', ' ! -s 10.244.0.0/16 -m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ'],
    ['-m comment --comment it\'s -j LOG --log-prefix "drop: "', ' -m comment --comment "it\\\'s" -j LOG --log-prefix "drop: "'],
  ];
  for (const [typed, printed] of cases) it(typed, () => expect(save(typed)).toBe(printed));

  it('-L columns', () => {
    const fmt = { numeric: true, verbose: false, exact: false, lineNumbers: false };
    expect(listRule(parseRuleSpec(splitSaved('-m comment --comment "default/web -> 10.244.1.5:80" -m statistic --mode random --probability 0.5 -j KUBE-SEP-AAAAAAAAAAAAAAAA')), 1, [0, 0], fmt))
      .toBe('KUBE-SEP-AAAAAAAAAAAAAAAA  all  --  0.0.0.0/0            0.0.0.0/0            /* default/web -> 10.244.1.5:80 */ statistic mode random probability 0.50000000000\n');
    expect(listRule(parseRuleSpec(splitSaved('-p tcp --dport 443 -j ACCEPT')), 1, [0, 0], { ...fmt, numeric: false }))
      .toBe('ACCEPT     tcp  --  anywhere             anywhere             tcp dpt:https\n');
    expect(listRule(parseRuleSpec(splitSaved('-p tcp -j DNAT --to-destination 10.244.1.5:8080')), 3, [12, 720], { numeric: true, verbose: true, exact: false, lineNumbers: true }))
      .toBe('3       12   720 DNAT       tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            to:10.244.1.5:8080\n');
  });

  it('kube-proxy\'s direct rule builders equal what the parser makes of the same arguments', () => {
    const { vipRule, toEndpointRule, hairpinRule, dnatRule } = __builders;
    const eq = (a: ReturnType<typeof R>, b: ReturnType<typeof R>) => expect(saveRuleBody(a)).toBe(saveRuleBody(b));
    eq(vipRule('ns/s:p cluster IP', 'udp', '10.96.0.10', 53, 'KUBE-SVC-X'), R('-m', 'comment', '--comment', 'ns/s:p cluster IP', '-m', 'udp', '-p', 'udp', '-d', '10.96.0.10', '--dport', '53', '-j', 'KUBE-SVC-X'));
    eq(vipRule('c', 'tcp', '10.96.0.10', 80, 'KUBE-MARK-MASQ', '10.244.0.0/16'), R('-m', 'comment', '--comment', 'c', '-m', 'tcp', '-p', 'tcp', '-d', '10.96.0.10', '--dport', '80', '!', '-s', '10.244.0.0/16', '-j', 'KUBE-MARK-MASQ'));
    eq(vipRule('c', 'tcp', '10.96.0.10', 80, 'REJECT'), R('-m', 'comment', '--comment', 'c', '-m', 'tcp', '-p', 'tcp', '-d', '10.96.0.10', '--dport', '80', '-j', 'REJECT'));
    eq(toEndpointRule('c', '0.3333333333', 'KUBE-SEP-X'), R('-m', 'comment', '--comment', 'c', '-m', 'statistic', '--mode', 'random', '--probability', '0.3333333333', '-j', 'KUBE-SEP-X'));
    eq(hairpinRule('c', '10.244.1.5'), R('-m', 'comment', '--comment', 'c', '-s', '10.244.1.5', '-j', 'KUBE-MARK-MASQ'));
    eq(dnatRule('c', 'sctp', '10.244.1.5:80', 'KUBE-SEP-X'), R('-m', 'comment', '--comment', 'c', '-m', 'recent', '--name', 'KUBE-SEP-X', '--set', '-m', 'sctp', '-p', 'sctp', '-j', 'DNAT', '--to-destination', '10.244.1.5:80'));
  });
});
