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
});
