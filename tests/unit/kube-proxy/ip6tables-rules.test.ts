/**
 * ip6tables' rule parsing and printing (iptables 1.8.9): nft-ipv6.c saves an address as
 * ADDR/PREFIX with the host bits cleared (RFC 5952 text, inet_ntop), ip6tables -L prints no
 * fragment column (xshared.c print_fragment's fake form), `::/0` or `anywhere`, and no
 * /128 (xtables_ip6mask_to_numeric); libxt_DNAT takes and prints `[addr]:port`; an IPv4
 * address is "host/network not found" for ip6tables and an IPv6 one for iptables
 * (xtables_ip6parse_any / xtables_ipparse_any).
 */
import { describe, expect, it } from 'vitest';
import { IptablesError, parseRuleSpec } from '../../../engine/dataplane/netfilter/rule';
import { listRule, saveRuleBody } from '../../../engine/printers/netfilter/rules';
import { R } from '../../../engine/controllers/kube-proxy/iptables/rules';
import { splitSaved } from '../../../engine/controllers/kube-proxy';

const save6 = (args: string) => saveRuleBody(parseRuleSpec(splitSaved(args), 'ip6tables'));

describe('ip6tables normalisation', () => {
  const cases: [string, string][] = [
    ['-d fd00:10:96::a -p udp --dport 53 -j ACCEPT', ' -d fd00:10:96::a/128 -p udp -m udp --dport 53 -j ACCEPT'],
    ['! -s fd00:10:244:0:0:0:0:0/56 -j KUBE-MARK-MASQ', ' ! -s fd00:10:244::/56 -j KUBE-MARK-MASQ'],
    ['-s FD00:10:244:1::7/64 -j RETURN', ' -s fd00:10:244:1::/64 -j RETURN'],
    ['-p tcp -j DNAT --to-destination [fd00:10:244:1::4]:80', ' -p tcp -j DNAT --to-destination [fd00:10:244:1::4]:80'],
    ['-m addrtype --dst-type LOCAL ! -d ::1/128 -j KUBE-NODEPORTS', ' ! -d ::1/128 -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS'],
  ];
  for (const [input, expected] of cases) it(input, () => expect(save6(input)).toBe(expected));

  it('refuses the other family\'s addresses, as each tool does', () => {
    expect(() => parseRuleSpec(['-d', '10.96.0.10', '-j', 'ACCEPT'], 'ip6tables')).toThrow(IptablesError);
    expect(() => parseRuleSpec(['-d', 'fd00::1', '-j', 'ACCEPT'], 'iptables')).toThrow(/host\/network `fd00::1' not found/);
    expect(() => parseRuleSpec(['-p', 'tcp', '-j', 'DNAT', '--to-destination', '[10.0.0.1]:80'], 'ip6tables')).toThrow(/Bad IP address/);
  });

  it('kube-proxy\'s argument lists take either family, IPv4 ones unchanged', () => {
    expect(saveRuleBody(R('-d', '10.96.0.10', '-j', 'ACCEPT'))).toBe(' -d 10.96.0.10/32 -j ACCEPT');
    expect(saveRuleBody(R('-d', 'fd00:10:96::a', '-j', 'ACCEPT'))).toBe(' -d fd00:10:96::a/128 -j ACCEPT');
    expect(saveRuleBody(R('-p', 'tcp', '-j', 'DNAT', '--to-destination', '10.244.1.4:80'))).toBe(' -p tcp -j DNAT --to-destination 10.244.1.4:80');
  });

  it('lists like ip6tables -L', () => {
    const fmt = { numeric: true, verbose: false, exact: false, lineNumbers: false, ipv6: true };
    const r = parseRuleSpec(splitSaved('! -s fd00:10:244::/56 -d fd00:10:96::a/128 -p tcp -m tcp --dport 53 -j KUBE-MARK-MASQ'), 'ip6tables');
    expect(listRule(r, 1, [0, 0], fmt)).toBe('KUBE-MARK-MASQ  tcp     !fd00:10:244::/56     fd00:10:96::a        tcp dpt:53\n');
    const any = parseRuleSpec(['-j', 'ACCEPT'], 'ip6tables');
    expect(listRule(any, 1, [0, 0], fmt)).toBe('ACCEPT     all      ::/0                 ::/0                \n');
    expect(listRule(any, 1, [0, 0], { ...fmt, numeric: false })).toBe('ACCEPT     all      anywhere             anywhere            \n');
  });
});
