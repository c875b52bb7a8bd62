/**
 * The fast paths of kube-proxy's first sync and a node's first tables must build exactly
 * what the plain paths build:
 * - chain names: kube-proxy's portProtoHash / servicePortEndpointChainName are the first 16
 *   characters of base32(sha256(…)) (pkg/proxy/iptables/proxier.go), checked here against
 *   node:crypto's SHA-256 and an RFC 4648 base32, ASCII and not;
 * - a CNI agent's rule with a leading `-m comment --comment` (Felix's `cali:` tag) is the
 *   Rule parseRuleSpec builds from the whole argument list, key order included.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { portProtoHash, servicePortEndpointChainName } from '../../../engine/controllers/kube-proxy/hash';
import { rule } from '../../../engine/controllers/cni/netfilter';
import { AGENT_PROG, parseRuleSpec } from '../../../engine/dataplane/netfilter/rule';

function base32(b: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const x of b) bits += x.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i + 5 <= bits.length; i += 5) out += alphabet[parseInt(bits.slice(i, i + 5), 2)];
  return out;
}

const ref = (s: string) => base32(createHash('sha256').update(s, 'utf8').digest()).slice(0, 16);

describe('kube-proxy chain-name hashes', () => {
  const names = ['default/web:http', 'team-7/svc-4711', 'ns/ünïcode:p', 'x'.repeat(300), ''];
  for (const n of names) {
    it(`portProtoHash(${JSON.stringify(n.slice(0, 20))})`, () => {
      expect(portProtoHash(n, 'tcp')).toBe(ref(n + 'tcp'));
      expect(servicePortEndpointChainName(n, 'udp', '10.244.1.5:53')).toBe('KUBE-SEP-' + ref(n + 'udp' + '10.244.1.5:53'));
    });
  }
  it('the pinned upstream example: default/web → KUBE-SVC-…', () => {
    // proxier_test.go: "ns1/svc1:p80" tcp → KUBE-SVC-XPGD46QRK7WJZT7O
    expect('KUBE-SVC-' + portProtoHash('ns1/svc1:p80', 'tcp')).toBe('KUBE-SVC-XPGD46QRK7WJZT7O');
  });
});

describe("a CNI agent's rule behind a comment", () => {
  const lists: string[][] = [
    ['-m', 'comment', '--comment', 'cali:Cz_u1IQiXIMmKD4c', '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'],
    ['-m', 'comment', '--comment', 'cali:aaa', '-p', 'tcp', '--dport', '80', '-s', '10.0.0.0/8', '-j', 'MARK', '--set-xmark', '0x10000/0x10000'],
    ['-m', 'comment', '--comment', 'cali:bbb', '-m', 'comment', '--comment', 'Host endpoint policy accepted packet.', '-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'RETURN'],
    ['-m', 'comment', '--comment', 'cali:ccc', '-i', 'cali+', '!', '-o', 'cali+', '-j', 'cali-from-wl-dispatch'],
    ['-m', 'comment', '--comment', 'a comment with spaces', '-j', 'DROP'],
  ];
  for (const args of lists) {
    it(args.slice(4).join(' '), () => {
      const a = rule(args);
      const b = parseRuleSpec(args, AGENT_PROG);
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      // each call its own Rule (counters are kept per Rule object)
      expect(rule(args)).not.toBe(a);
    });
  }
  it('a stray --comment after the first is the first comment\'s, as iptables reads it', () => {
    const args = ['-m', 'comment', '--comment', 'one', '--comment', 'two', '-j', 'ACCEPT'];
    expect(JSON.stringify(rule(args))).toBe(JSON.stringify(parseRuleSpec(args, AGENT_PROG)));
  });
});
