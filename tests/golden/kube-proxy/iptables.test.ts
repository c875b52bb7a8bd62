/**
 * Golden transcripts of iptables-save / iptables -L / -S on kube-proxy nodes.
 *
 * Formats: iptables 1.8.9 (nft) iptables/nft-ipv4.c (save_ipv4_addr, print_ipv4_addresses),
 * iptables/xshared.c (print_header, print_rule_details, save_matches_and_target),
 * extensions/libxt_{comment,tcp,mark,statistic,recent,addrtype,conntrack,nfacct,MARK,DNAT,
 * MASQUERADE,REJECT}.c; rules from kubernetes/kubernetes pkg/proxy/iptables/proxier.go
 * (v1.31 syncProxyRules / writeServiceToEndpointRules). The proxier-overall fixture is the
 * Service set of proxier_test.go TestOverallIPTablesRulesWithMultipleServices; its chain
 * names (KUBE-SVC-XPGD46QRK7WJZT7O, KUBE-SEP-SXIVWICOYRO3J4NJ, …) and rules match the
 * expected dump there, printed back in iptables-save's normalised form.
 */
import { describe, it } from 'vitest';
import { translate } from '../../../engine/controllers/kube-proxy';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSimulation } from '../../../engine';
import { expectGolden, FIXTURES, loadSim, transcript } from './harness';

describe('kube-proxy iptables mode, golden', () => {
  it('proxier_test overall: iptables-save filter and nat', () => {
    const sim = loadSim('proxier-overall.yaml');
    expectGolden('proxier-overall', transcript(sim, 'test-hostname', ['iptables-save -t filter', 'iptables-save -t nat']));
  });

  it('ClusterIP with three endpoints, ClientIP affinity, NodePort: iptables-save and -L', () => {
    const sim = loadSim('web.yaml');
    expectGolden('web', transcript(sim, 'node-1', [
      'iptables-save',
      'iptables -t nat -L KUBE-SERVICES -n',
      'iptables -t nat -L -n --line-numbers',
      'iptables -L -v -n',
      'iptables -S',
      'iptables -t nat -S KUBE-NODEPORTS',
    ]));
  });

  it('externalTrafficPolicy Local differs per node', () => {
    const sim = loadSim('etp-local.yaml');
    expectGolden('etp-local', transcript(sim, 'node-1', ['iptables-save -t nat', 'iptables-save -t filter']) +
      transcript(sim, 'node-2', ['iptables-save -t nat', 'iptables-save -t filter']));
  });

  it('counters move with traffic (iptables -L -v, iptables-save -c), -Z clears them', () => {
    const sim = loadSim('web.yaml', 11);
    // A one-endpoint Service: no statistic match, so the counts do not depend on the RNG's draws.
    for (let i = 0; i < 9; i++) translate(sim.cluster, 'node-1', { src: '10.244.1.50', dst: '10.96.0.102', proto: 'tcp', sport: 33000 + i, dport: 80 }, 'pod');
    translate(sim.cluster, 'node-1', { src: '10.244.1.50', dst: '10.96.0.103', proto: 'tcp', sport: 34000, dport: 80 }, 'pod');
    expectGolden('counters', transcript(sim, 'node-1', [
      'iptables -t nat -L KUBE-SERVICES -v -n',
      'iptables -t nat -L KUBE-SVC-4UDSYVHJNXWHWIRT -v -n -x --line-numbers',
      'iptables -L KUBE-SERVICES -v',
      'iptables-save -c -t nat',
      'iptables -t nat -Z KUBE-SVC-4UDSYVHJNXWHWIRT',
      'iptables -t nat -S KUBE-SVC-4UDSYVHJNXWHWIRT -v',
    ]));
  });
});

describe('CNI plugin chains beside kube-proxy\'s', () => {
  for (const cni of ['calico', 'weave', 'cilium', 'aws-vpc-cni']) {
    it(`${cni}: iptables-save`, () => {
      const text = readFileSync(join(FIXTURES, 'web.yaml'), 'utf8').replace('cni: flannel', `cni: ${cni}`);
      const sim = createSimulation(text, { seed: 1 });
      expectGolden(`cni-${cni}`, transcript(sim, 'node-1', ['iptables-save -t filter', 'iptables-save -t nat', 'iptables -t raw -S']));
    });
  }
});
