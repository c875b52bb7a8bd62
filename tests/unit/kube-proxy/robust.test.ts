/** Bad input never throws out of the proxy commands: every line ends as text and an exit code. */
import { describe, expect, it } from 'vitest';
import { loadSim, onNode } from '../../golden/kube-proxy/harness';

const LINES = [
  'iptables -A', 'iptables -I', 'iptables -D', 'iptables -t', 'iptables -t nat', 'iptables -L -L', 'iptables -A INPUT -D INPUT',
  'iptables -A INPUT -s', 'iptables -A INPUT -s 300.1.1.1 -j ACCEPT', 'iptables -A INPUT -p bogus -j ACCEPT', 'iptables -A INPUT -p tcp --dport 99999 -j ACCEPT',
  'iptables -A INPUT -m statistic --mode random --probability 2 -j ACCEPT', 'iptables -A INPUT ! ! -s 1.2.3.4 -j ACCEPT', 'iptables -A INPUT -j',
  'iptables -A INPUT -m comment', 'iptables -A INPUT -m mark --mark zz -j ACCEPT', 'iptables -A INPUT -j MARK', 'iptables -A INPUT -j DNAT --to-destination 1.2.3.4',
  'iptables -t nat -A PREROUTING -j DNAT --to-destination nope', 'iptables -R INPUT', 'iptables -R INPUT 1', 'iptables -R INPUT 99 -j ACCEPT', 'iptables -I INPUT 0 -j ACCEPT',
  'iptables -E', 'iptables -E NOPE X', 'iptables -P INPUT', 'iptables -P INPUT MAYBE', 'iptables -X', 'iptables -F NOPE', 'iptables -Z NOPE', 'iptables -S NOPE',
  'iptables -L INPUT 99', 'iptables -S INPUT 99', 'iptables -N', 'iptables -N !x', 'iptables -N ACCEPT', 'iptables -N aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  'iptables --line-numbers -A INPUT -j ACCEPT', 'iptables -n -A INPUT -j ACCEPT', 'iptables -A INPUT -m tcp --dport 80 -j ACCEPT', 'iptables -A INPUT -m recent --seconds x -j ACCEPT',
  'iptables -A INPUT -m set --match-set -j ACCEPT', 'iptables -A INPUT -m addrtype --dst-type BOGUS -j ACCEPT', 'iptables -A INPUT -m conntrack --ctstate WAT -j ACCEPT',
  'iptables -A INPUT -j REJECT --reject-with nope', 'iptables --wait -L -n', 'iptables -w 5 -L -n', 'iptables -h', 'iptables --version', 'iptables -A INPUT foo',
  'iptables-save -t', 'iptables-save -t nope', 'iptables-save --bogus', 'ip6tables -L', 'ip6tables -A INPUT -j ACCEPT', 'ip6tables-save',
  'ipvsadm -x', 'ipvsadm --bogus', 'ipvsadm -t', 'ipvsadm -Ln -t nope', 'ipset', 'ipset bogus', 'ipset list a b', 'conntrack', 'conntrack -L -p nope', 'conntrack -Z',
  'conntrack -D -s 1.2.3.4', 'conntrack -F', 'conntrack -C',
];

/** nft, in both kinds of table (iptables-nft's and kube-proxy's in nftables mode). */
const NFT_LINES = [
  'nft', 'nft -', 'nft --', 'nft -a', 'nft -f', 'nft -d', 'nft --debug', 'nft --nope list ruleset', 'nft -h', 'nft -V', 'nft --vers',
  'nft list', 'nft list nope', 'nft list ruleset nope', 'nft list ruleset ip6', 'nft list table', 'nft list table ip', 'nft list table 123',
  'nft list table ip6 kube-proxy', 'nft list table inet filter', 'nft list chain ip filter', 'nft list chain ip filter 5', 'nft list chains ip6',
  'nft list set ip filter x', 'nft list map ip kube-proxy', 'nft list sets inet', 'nft list ruleset -a', 'nft { list ruleset }',
  'nft delete', 'nft delete rule', 'nft delete rule ip filter INPUT', 'nft delete rule ip filter INPUT handle', 'nft delete rule ip filter INPUT handle x',
  'nft delete rule ip filter INPUT handle 1', 'nft delete rule ip filter INPUT handle 18446744073709551616', 'nft delete rule ip nope INPUT handle 1',
  'nft delete table ip filter', 'nft flush', 'nft flush chain', 'nft flush chain ip filter NOPE', 'nft flush chain ip filter INPUT', 'nft flush set ip filter x',
  'nft flush map ip kube-proxy cluster-ips', 'nft flush ruleset', 'nft add rule ip filter INPUT drop', 'nft monitor', 'nft -c flush chain ip filter FORWARD',
  'nft list chain ip kube-proxy "a b"', 'nft list chain ip kube-proxy ;', 'nft list table ip kube-proxy }',
];

describe('robustness', () => {
  it('every malformed line returns text and an exit code', () => {
    const sim = loadSim('web.yaml');
    for (const line of LINES) {
      const r = onNode(sim, 'node-1', line);
      expect(typeof r.stdout, line).toBe('string');
      expect(typeof r.exitCode, line).toBe('number');
      if (r.exitCode !== 0) expect(r.stderr.length, line).toBeGreaterThan(0);
    }
  });

  it('nft: every malformed line returns text and an exit code, in iptables and nftables mode', () => {
    for (const fixture of ['web.yaml', 'web-nft.yaml']) {
      const sim = loadSim(fixture);
      for (const line of NFT_LINES) {
        const r = onNode(sim, 'node-1', line);
        expect(typeof r.stdout, line).toBe('string');
        expect(typeof r.exitCode, line).toBe('number');
        if (r.exitCode !== 0) expect(r.stderr.length, line).toBeGreaterThan(0);
      }
    }
  });
});
