/**
 * Felix's static chains beyond the filter table, and its IPVS support, as calico-node v3.28.2
 * programs them (felix/rules/static.go, dispatch.go, epmark.go; expectations in
 * felix/rules/static_test.go).
 *
 * Rule ids and endpoint marks are checked against what real nodes printed:
 * - raw cali-PREROUTING: projectcalico/calico issue #10470 (`iptables -t raw -xvnL
 *   cali-PREROUTING`: XFX5xbM8B9qR10JG … fSSbGND7dgyemWU7, the rpfilter DROP) and a published
 *   `iptables -t raw -L -n` / `iptables -t mangle -L -n` of a Calico node (a HostEndpoint
 *   walkthrough, found by its rule ids; all six raw ids and the four mangle cali-PREROUTING ids);
 * - IPVS mode: kubernetes/kubeadm issue #1461 (cali-INPUT from cali-forward-check on, cali-OUTPUT's
 *   first rules with IPIP), projectcalico/calico issue #2617 (cali-OUTPUT without encapsulation),
 *   spidernet-io/egressgateway issue #1863 (cali-forward-check's first id; cali-sm-<iface> marks
 *   and ids: FNV-1 of the interface name, felix/rules/epmark.go).
 */
import { describe, expect, it } from 'vitest';
import { felixRuleHashes } from '../../../engine/controllers/cni/plugins/calico/rulehash';
import { endpointMarks } from '../../../engine/controllers/cni/plugins/calico/chains';
import { traverse, type PacketState } from '../../../engine/dataplane/netfilter/execute';
import { parseIPv4 } from '../../../engine/dataplane/netfilter/rule';
import type { TraceHop } from '../../../engine/types';
import { ns, pod, sim } from '../dataplane/fixtures';

const MASK = '0xfff00000';

describe("Felix's raw and mangle chains: ids real nodes printed", () => {
  it('raw cali-PREROUTING: mark clearing, workload mark, cali-rpf-skip, the strict RPF DROP, host endpoints, accept', () => {
    expect(felixRuleHashes('cali-PREROUTING', [
      ['-j', 'MARK', '--set-xmark', '0x0/0xf0000'],
      ['-i', 'cali+', '-j', 'MARK', '--set-xmark', '0x40000/0x40000'],
      ['-m', 'mark', '--mark', '0x40000/0x40000', '-j', 'cali-rpf-skip'],
      ['-m', 'mark', '--mark', '0x40000/0x40000', '-m', 'rpfilter', '--validmark', '--invert', '-j', 'DROP'],
      ['-m', 'mark', '--mark', '0x0/0x40000', '-j', 'cali-from-host-endpoint'],
      ['-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'],
    ])).toEqual(['XFX5xbM8B9qR10JG', 'EWMPb0zVROM-woQp', 'PWuxTAIaFCtsg5Qa', 'fSSbGND7dgyemWU7', 'ImU0-4Rl2WoOI9Ou', 'lV4V2MPoMBf0hl9T']);
  });

  it('raw cali-OUTPUT and mangle cali-PREROUTING', () => {
    expect(felixRuleHashes('cali-OUTPUT', [['-j', 'MARK', '--set-xmark', '0x0/0xf0000'], ['-j', 'cali-to-host-endpoint']])).toEqual(['njdnLwYeGqBJyMxW', 'rz86uTUcEZAfFsh7']);
    expect(felixRuleHashes('cali-PREROUTING', [
      ['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'],
      ['-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'],
      ['-j', 'cali-from-host-endpoint'],
      ['-m', 'comment', '--comment', 'Host endpoint policy accepted packet.', '-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'],
    ])).toEqual(['6BJqBjBC7crtA-7-', 'KX7AGNd6rMcDUai6', 'wNH7KsA3ILKJBsY9', 'Cg96MgVuoPm7UMRo']);
  });

  it('the simulation writes them: raw on a Calico node, -L as issue #10470 prints it', () => {
    const s = sim({ cni: 'calico' }, []);
    const save = s.run('ssh node-1 iptables-save -t raw').stdout;
    expect(save).toContain('-A cali-PREROUTING -m comment --comment "cali:fSSbGND7dgyemWU7" -m mark --mark 0x40000/0x40000 -m rpfilter --validmark --invert -j DROP\n');
    expect(save).toContain('-A cali-PREROUTING -m comment --comment "cali:lV4V2MPoMBf0hl9T" -m mark --mark 0x10000/0x10000 -j ACCEPT\n');
    expect(s.run('ssh node-1 iptables -t raw -L cali-PREROUTING -n').stdout.split('\n')[5])
      .toBe('DROP       all  --  0.0.0.0/0            0.0.0.0/0            /* cali:fSSbGND7dgyemWU7 */ mark match 0x40000/0x40000 rpfilter validmark invert');
  });
});

describe('IPVS support (KubeIPVSSupportEnabled): ids and marks real nodes printed', () => {
  const ipip: string[][] = [
    ['-p', '4', '-m', 'comment', '--comment', 'Allow IPIP packets from Calico hosts', '-m', 'set', '--match-set', 'cali40all-hosts-net', 'src', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'ACCEPT'],
    ['-p', '4', '-m', 'comment', '--comment', 'Drop IPIP packets from non-Calico hosts', '-j', 'DROP'],
  ];
  const ipvsInput: string[][] = [
    ['-j', 'MARK', '--set-xmark', `0x0/${MASK}`], ['-j', 'cali-forward-check'], ['-m', 'mark', '!', '--mark', `0x0/${MASK}`, '-j', 'RETURN'],
    ['-i', 'cali+', '-g', 'cali-wl-to-host'], ['-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'], ['-j', 'MARK', '--set-xmark', '0x0/0xf0000'],
    ['-j', 'cali-from-host-endpoint'], ['-m', 'comment', '--comment', 'Host endpoint policy accepted packet.', '-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'],
  ];

  it('cali-INPUT with IPIP (kubeadm #1461: from the jump to cali-forward-check on)', () => {
    expect(felixRuleHashes('cali-INPUT', [...ipip, ...ipvsInput]).slice(3))
      .toEqual(['PgIW-V0nEjwPhF_8', 'QMJlDwlS0OjHyfMN', 'nDRe73txrna-aZjG', 'iX2AYvqGXaVqwkro', 'bhpnxD5IRtBP8KW0', 'H5_bccAbHV0sooVy', 'inBL01YlfurT0dbI']);
  });

  it("cali-OUTPUT's goto cali-forward-endpoint-mark; with IPIP, the tunnel rule after it", () => {
    const head = [['-m', 'mark', '--mark', '0x10000/0x10000', '-j', 'ACCEPT'], ['-m', 'mark', '!', '--mark', `0x0/${MASK}`, '-g', 'cali-forward-endpoint-mark'], ['-o', 'cali+', '-j', 'RETURN']];
    expect(felixRuleHashes('cali-OUTPUT', head)).toEqual(['Mq1_rAdXXH3YkrzW', '5Z67OUUpTOM7Xa1a', 'M2Wf0OehNdig8MHR']);
    const tunnel = ['-p', '4', '-m', 'comment', '--comment', 'Allow IPIP packets to other Calico hosts', '-m', 'set', '--match-set', 'cali40all-hosts-net', 'dst', '-m', 'addrtype', '--src-type', 'LOCAL', '-j', 'ACCEPT'];
    expect(felixRuleHashes('cali-OUTPUT', [...head, tunnel])[3]).toBe('AJBkLho_0Qd8LNr3');
  });

  it('cali-forward-check starts by returning established connections (egressgateway #1863)', () => {
    expect(felixRuleHashes('cali-forward-check', [['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'RETURN']])).toEqual(['Pbldlb4FaULvpdD8']);
  });

  it("endpoint marks: FNV-1 of the interface name into the mask's 4096 positions (egressgateway #1863's cali-sm- chains)", () => {
    const marks = endpointMarks(['cali4ab24bb9148', 'cali01a377c2e85']);
    expect(marks.get('cali01a377c2e85')).toBe(0x66800000);
    expect(marks.get('cali4ab24bb9148')).toBe(0x05d00000);
    expect(felixRuleHashes('cali-sm-cali01a377c2e85', [['-j', 'MARK', '--set-xmark', `0x66800000/${MASK}`]])).toEqual(['2Yf8TrfkHR1EQojv']);
    expect(felixRuleHashes('cali-sm-cali4ab24bb9148', [['-j', 'MARK', '--set-xmark', `0x5d00000/${MASK}`]])).toEqual(['mbd8C3qJV6AXr9wD']);
  });

  it('a position taken goes to the next free one (epmark.go GetEndpointMark probes upward), never 0 or the non-Calico 1', () => {
    // find two names whose hashes land on the same position
    const first = endpointMarks(['calia']).get('calia')!;
    let other = '';
    for (let i = 0; i < 200_000 && !other; i++) if (endpointMarks([`calib${i}`]).get(`calib${i}`) === first) other = `calib${i}`;
    expect(other).not.toBe('');
    const both = endpointMarks([other, 'calia']);
    expect(both.get('calia')).toBe(first);
    expect(both.get(other)).toBe((((first >>> 20) + 1) % 4096 << 20) >>> 0);
    for (const m of endpointMarks(Array.from({ length: 300 }, (_, i) => `cali${i}`)).values()) expect(m >>> 20).toBeGreaterThan(1);
  });
});

describe('-m rpfilter (libxt_rpfilter.c) as iptables takes and prints it', () => {
  it('saved with --flags, listed bare, refused outside raw and mangle, --invert not invertible', () => {
    const s = sim({ cni: 'flannel' }, []);
    const run = (c: string) => {
      const r = s.run(`ssh node-1 ${c}`);
      return `${r.stdout}${r.stderr}[${r.exitCode}]`;
    };
    expect(run('iptables -t mangle -A PREROUTING -m rpfilter --loose --invert --accept-local -j DROP')).toBe('[0]');
    expect(run('iptables -t mangle -S PREROUTING')).toContain('-A PREROUTING -m rpfilter --loose --accept-local --invert -j DROP\n');
    expect(run('iptables -t mangle -L PREROUTING -n')).toContain('rpfilter loose accept-local invert\n');
    expect(run('iptables -A INPUT -m rpfilter -j DROP')).toBe("iptables: Invalid argument. Run `dmesg' for more information.\n[1]");
    expect(run('iptables -t mangle -A PREROUTING -m rpfilter ! --invert -j DROP'))
      .toBe("iptables v1.8.9 (nf_tables): rpfilter: option \"--invert\" cannot be inverted.\n\nTry `iptables -h' or 'iptables --help' for more information.\n[2]");
  });
});

describe("raw cali-PREROUTING's RPF check, executed against the node's routes", () => {
  const NETSHOOT = 'nicolaka/netshoot:v0.13';
  const objects = [
    ns('shop'),
    pod('shop', 'a', 'node-1', '10.244.0.51', NETSHOOT, { app: 'a' }, { containers: [{ name: 'main', image: NETSHOOT, command: ['sleep', 'infinity'] }] }),
    pod('shop', 'b', 'node-2', '10.244.1.50', 'nginx:1.27', { app: 'b' }),
  ];

  it("a workload's own address passes; an address routed elsewhere or blackholed is dropped by fSSbGND7dgyemWU7", () => {
    const s = sim({ cni: 'calico' }, objects);
    const veth = s.run('ssh node-1 ip route get 10.244.0.51').stdout.match(/dev (\S+)/)![1];
    const kp = s.cluster.kubeProxy;
    const nf = kp.node('node-1')!;
    const from = (src: string): { verdict: string; hops: TraceHop[] } => {
      const st: PacketState = { src: parseIPv4(src)!, dst: parseIPv4('10.244.1.50')!, sport: 40000, dport: 80, proto: 'tcp', mark: 0, ctstate: new Set(['NEW']), bytes: 60, inIface: veth };
      const hops: TraceHop[] = [];
      return { verdict: traverse(kp.env('node-1', nf), 'raw', 'PREROUTING', st, hops).verdict, hops };
    };
    expect(from('10.244.0.51').verdict).toBe('ACCEPT');
    // node-2's Pod (its block is routed via tunl0), an unassigned address of node-1's own block (blackhole), the internet
    for (const spoofed of ['10.244.1.50', '10.244.0.60', '8.8.8.8']) {
      const r = from(spoofed);
      expect(r.verdict).toBe('DROP');
      expect(r.hops[r.hops.length - 1].what).toBe('-A cali-PREROUTING -m comment --comment "cali:fSSbGND7dgyemWU7" -m mark --mark 0x40000/0x40000 -m rpfilter --validmark --invert -j DROP');
    }
  });

  it('the walk runs the raw table first: a DROP put there by hand ends the connection, and the trace names it', () => {
    const s = sim({ cni: 'calico' }, objects);
    expect(s.run('kubectl exec -n shop a -- curl -sS -o /dev/null -w %{http_code} --max-time 2 http://10.244.1.50').stdout).toBe('200');
    expect(s.run('ssh node-1 iptables -t raw -A cali-rpf-skip -p tcp --dport 80 -j DROP').exitCode).toBe(0);
    const r = s.run('kubectl exec -n shop a -- curl -sS --max-time 2 http://10.244.1.50');
    expect(r.exitCode).toBe(28);
    const hops = s.traces[s.traces.length - 1].hops;
    expect(hops[hops.length - 1].what).toBe('-A cali-rpf-skip -p tcp -m tcp --dport 80 -j DROP');
  });
});
