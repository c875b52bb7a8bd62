/**
 * Network figures (the kube-proxy room's part of `npm run bench`):
 * - iptables-save on one node of a cluster with 5,000 Services (and the first sync that
 *   derives every node's rules);
 * - the cost of one Service change (API update + kube-proxy's partial sync on every node)
 *   at 500 and at 5,000 Services: it should stay nearly flat;
 * - a full resync (syncPeriod) at 5,000 Services, and one packet through translate();
 * - the same for the nftables mode: `nft list ruleset`, one Service change, a full resync.
 * Services and EndpointSlices are written directly (4 endpoints each) so the figures are
 * kube-proxy's own; the large-cluster builder (bench/large-cluster.ts) measures the rest.
 */
import { createSimulation, type Simulation } from '../engine';
import { kubeProxyOf, translate } from '../engine/controllers/kube-proxy';
import type { Manifest } from '../engine/cluster/types';
import { normalizeScenario } from '../engine/scenario/load';

function scenario(services: number, nodes: number, proxyMode: 'iptables' | 'ipvs' | 'nftables' = 'iptables'): Simulation {
  const nodeList = Array.from({ length: nodes }, (_, i) => ({ name: `node-${i + 1}`, ip: `10.0.${Math.floor((i + 2) / 256)}.${(i + 2) % 256}` }));
  const sim = createSimulation(normalizeScenario({ cluster: { nodes: nodeList, proxyMode, systemLayer: false, loadBalancerPool: [], podCIDR: '10.128.0.0/9', serviceCIDR: '10.96.0.0/12', objectQuota: 100_000 }, objects: [] }), { seed: 1 });
  for (let s = 0; s < services; s++) {
    const name = `svc-${s}`;
    const ip = `10.96.${1 + Math.floor(s / 250)}.${1 + (s % 250)}`;
    const svc: Manifest = {
      apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' },
      spec: { clusterIP: ip, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], ...(s % 10 === 0 ? { type: 'NodePort' } : {}) },
    };
    sim.api.create(svc, { reconcile: false });
    const endpoints = Array.from({ length: 4 }, (_, e) => {
      const n = s * 4 + e;
      return { addresses: [`10.${128 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`], conditions: { ready: true }, nodeName: nodeList[n % nodes].name };
    });
    sim.api.create({
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: { name: `${name}-abcde`, namespace: 'default', labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints,
    } as Manifest, { reconcile: false });
  }
  sim.reconcile();
  return sim;
}

/** Wall-clock milliseconds (the machine may be shared: cpuMs below is this process's CPU time). */
function time<T>(f: () => T): [number, T] {
  const t0 = performance.now();
  const r = f();
  return [performance.now() - t0, r];
}

function cpuMs<T>(f: () => T): [number, T] {
  const c0 = process.cpuUsage();
  const r = f();
  const c = process.cpuUsage(c0);
  return [(c.user + c.system) / 1000, r];
}

function onNode(sim: Simulation, node: string, line: string): string {
  const [name, ...args] = line.split(' ');
  const r = sim.commands.find(name)!.run(args, sim.shell.contextFor({ kind: 'node', node }, name));
  return (r as { stdout: string }).stdout;
}

/** One Service change: [API update with every controller's reconcile, kube-proxy's partial sync]. */
function oneChange(sim: Simulation, i: number): [number, number] {
  const svc = structuredClone(sim.store.get('Service', 'default', `svc-${(i * 7) % 100}`)!);
  svc.metadata.labels = { rev: String(i) };
  const [api] = time(() => sim.api.update(svc));
  const [kp] = time(() => kubeProxyOf(sim.cluster).ensureSynced());
  return [api, kp];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function benchNetwork(): Promise<void> {
  console.log('network (kube-proxy, iptables mode)');
  const results: Record<number, number> = {};
  for (const [services, nodes] of [[500, 100], [5000, 100]] as const) {
    const [buildMs, sim] = time(() => scenario(services, nodes));
    const kp = kubeProxyOf(sim.cluster);
    const [firstSync] = time(() => kp.ensureSynced());
    const [saveMs, [saveCpu, out]] = time(() => cpuMs(() => onNode(sim, 'node-1', 'iptables-save')));
    const rules = out.split('\n').filter((l) => l.startsWith('-A')).length;
    const [save2] = time(() => onNode(sim, 'node-2', 'iptables-save'));
    const changes = Array.from({ length: 21 }, (_, i) => oneChange(sim, i));
    results[services] = median(changes.map((c) => c[1]));
    const apiMs = median(changes.map((c) => c[0]));
    // the full sync runs as the clock passes its period (kube-proxy's tick), looked at or not
    const [fullMs] = time(() => { sim.advance(30_000); kp.ensureSynced(); });
    const [pktMs] = time(() => { for (let i = 0; i < 1000; i++) translate(sim.cluster, 'node-3', { src: '10.128.0.9', dst: '10.96.1.1', proto: 'tcp', sport: 20000 + i, dport: 80 }, 'pod'); });
    console.log(`  ${services} Services × ${nodes} nodes: objects ${buildMs.toFixed(0)} ms, first sync ${firstSync.toFixed(0)} ms, ` +
      `iptables-save ${saveMs.toFixed(1)} ms (CPU ${saveCpu.toFixed(0)} ms; ${rules} rules, ${(out.length / 1e6).toFixed(1)} MB; next node ${save2.toFixed(1)} ms), ` +
      `one Service change: kube-proxy partial sync ${results[services].toFixed(2)} ms (API update + other controllers ${apiMs.toFixed(2)} ms; medians of 21), full resync ${fullMs.toFixed(0)} ms, translate ${(pktMs / 1000).toFixed(3)} ms/packet`);
  }
  console.log(`  kube-proxy's cost of one change, 5,000 vs 500 Services: ×${(results[5000] / results[500]).toFixed(2)}`);
  console.log('network (kube-proxy, IPVS mode)');
  const sim = scenario(5000, 100, 'ipvs');
  const [firstSync] = time(() => kubeProxyOf(sim.cluster).ensureSynced());
  const [listMs, out] = time(() => onNode(sim, 'node-1', 'ipvsadm -Ln'));
  const [setMs] = time(() => onNode(sim, 'node-1', 'ipset list KUBE-CLUSTER-IP'));
  const changes = Array.from({ length: 21 }, (_, i) => oneChange(sim, i));
  const [pktMs] = time(() => { for (let i = 0; i < 1000; i++) translate(sim.cluster, 'node-1', { src: '10.128.0.9', dst: '10.96.1.1', proto: 'tcp', sport: 20000 + i, dport: 80 }, 'pod'); });
  console.log(`  5000 Services × 100 nodes: first sync ${firstSync.toFixed(0)} ms, ipvsadm -Ln ${listMs.toFixed(1)} ms (${out.split('\n').length} lines), ` +
    `ipset list KUBE-CLUSTER-IP ${setMs.toFixed(1)} ms, one Service change ${median(changes.map((c) => c[1])).toFixed(2)} ms, translate ${(pktMs / 1000).toFixed(3)} ms/packet`);
  await benchNftables();
}

/** The nftables mode: `nft list ruleset` on one node, one Service change, a full resync, one packet. */
async function benchNftables(): Promise<void> {
  console.log('network (kube-proxy, nftables mode)');
  const results: Record<number, number> = {};
  for (const services of [500, 5000]) {
    const [buildMs, sim] = time(() => scenario(services, 100, 'nftables'));
    const kp = kubeProxyOf(sim.cluster);
    const [firstSync] = time(() => kp.ensureSynced());
    const [listMs, [listCpu, out]] = time(() => cpuMs(() => onNode(sim, 'node-1', 'nft list ruleset')));
    const [list2] = time(() => onNode(sim, 'node-2', 'nft list ruleset'));
    const [again] = time(() => onNode(sim, 'node-1', 'nft list ruleset'));
    const rules = out.split('\n').filter((l) => l.startsWith('\t\t') && !/^\t\t(type|comment|elements|flags|timeout) /.test(l)).length;
    const changes = Array.from({ length: 21 }, (_, i) => oneChange(sim, i));
    results[services] = median(changes.map((c) => c[1]));
    // the full sync runs as the clock passes its period (kube-proxy's tick), looked at or not
    const [fullMs] = time(() => { sim.advance(30_000); kp.ensureSynced(); });
    // a node's table is written when first used: time that apart from the packets
    const [firstLook] = time(() => translate(sim.cluster, 'node-3', { src: '10.128.0.9', dst: '10.96.1.1', proto: 'tcp', sport: 19999, dport: 80 }, 'pod'));
    const [pktMs] = time(() => { for (let i = 0; i < 1000; i++) translate(sim.cluster, 'node-3', { src: '10.128.0.9', dst: '10.96.1.1', proto: 'tcp', sport: 20000 + i, dport: 80 }, 'pod'); });
    console.log(`  ${services} Services × 100 nodes: objects ${buildMs.toFixed(0)} ms, first sync ${firstSync.toFixed(0)} ms, first packet on a new node ${firstLook.toFixed(0)} ms, ` +
      `nft list ruleset ${listMs.toFixed(1)} ms (CPU ${listCpu.toFixed(0)} ms, first look at the node included; ${rules} rules, ${(out.length / 1e6).toFixed(1)} MB; next node ${list2.toFixed(1)} ms; again ${again.toFixed(1)} ms), ` +
      `one Service change: kube-proxy partial sync ${results[services].toFixed(2)} ms (medians of 21), full resync ${fullMs.toFixed(0)} ms, translate ${(pktMs / 1000).toFixed(3)} ms/packet`);
  }
  console.log(`  kube-proxy's cost of one change, 5,000 vs 500 Services: ×${(results[5000] / results[500]).toFixed(2)}`);
}
