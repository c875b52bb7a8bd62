/**
 * Engine figures (the cluster room's part of `npm run bench`):
 * - command latency (median, p99) on a lesson-sized cluster and on a large one
 *   (100 nodes, 20,000 pods, 5,000 Services) for the commands that exist;
 * - how long building those clusters takes;
 * - the cost of one Service change (an API update plus every controller's
 *   re-derivation) at 500 and at 5,000 Services: it should barely move.
 */
import { createSimulation, type Simulation } from '../engine';
import { createCommandTable } from '../engine/commands/registry';
import { buildLargeCluster } from './large-cluster';

const LESSON_SCENARIO = `
objects:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web }
    spec:
      replicas: 3
      selector: { matchLabels: { app: web } }
      template:
        metadata: { labels: { app: web } }
        spec: { containers: [{ name: web, image: nginx:1.27, ports: [{ name: http, containerPort: 80 }] }] }
  - apiVersion: v1
    kind: Service
    metadata: { name: web }
    spec: { type: NodePort, selector: { app: web }, ports: [{ port: 80, targetPort: http }] }
  - apiVersion: v1
    kind: Pod
    metadata: { name: client }
    spec: { containers: [{ name: c, image: busybox:1.36, command: [sleep, "3600"] }] }
`;

const LESSON_COMMANDS = [
  'kubectl get pods -A',
  'kubectl get pods -o wide',
  'kubectl get svc -A',
  'kubectl get endpointslices',
  'kubectl describe svc web',
  'kubectl get deploy web -o yaml',
  'ssh node-1 iptables-save',
  'ssh node-1 ipvsadm -Ln',
];

const LARGE_COMMANDS = ['kubectl get pods -A', 'kubectl get svc -A', 'kubectl get endpointslices -A', 'kubectl get nodes', 'ssh node-1 iptables-save'];

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}

function measure(fn: () => void, runs: number): { median: number; p99: number } {
  const times: number[] = [];
  fn(); // warm up
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p99: percentile(times, 99) };
}

const COMMANDS = createCommandTable();

function available(line: string): boolean {
  return !!COMMANDS.find(line.split(' ')[0]);
}

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

function table(title: string, rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  console.log(`\n${title}`);
  for (const r of rows) console.log('  ' + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   '));
}

function commandRows(sim: Simulation, commands: string[], runs: number): string[][] {
  const rows: string[][] = [['command', 'median ms', 'p99 ms', 'exit']];
  for (const line of commands) {
    if (!available(line)) {
      rows.push([line, '-', '-', 'n/a']);
      continue;
    }
    let exit = 0;
    const m = measure(() => {
      exit = sim.run(line).exitCode;
    }, runs);
    rows.push([line, fmt(m.median), fmt(m.p99), String(exit)]);
  }
  return rows;
}

/**
 * One Service change through the API, including every module's reconcile. Also splits
 * the time between the control plane (this room's controllers) and the node agents.
 */
function serviceChange(sim: Simulation, runs: number): { median: number; p99: number; controlPlane: number; agents: number } {
  const svc = sim.list('Service').find((s) => s.metadata.name === 'svc-1')!;
  const { cni, kubeProxy, dns, ingress } = sim.cluster;
  const agents = new Set<string>([cni, kubeProxy, dns, ingress].map((m) => m.name));
  const controlPlane = new Set(sim.modules.map((m) => m.name).filter((n) => !agents.has(n)));
  const spent = { controlPlane: 0, agents: 0 };
  const restore: (() => void)[] = [];
  for (const m of sim.modules) {
    const r = m.reconcile;
    if (!r) continue;
    const bound = r.bind(m);
    m.reconcile = () => {
      const t = performance.now();
      const out = bound();
      spent[controlPlane.has(m.name) ? 'controlPlane' : 'agents'] += performance.now() - t;
      return out;
    };
    restore.push(() => (m.reconcile = r));
  }
  let flip = false;
  const m = measure(() => {
    const cur = structuredClone(sim.get('Service', svc.metadata.namespace, svc.metadata.name)!);
    flip = !flip;
    cur.spec.ports[0].port = flip ? 8080 : 80;
    sim.api.update(cur);
  }, runs);
  for (const f of restore) f();
  return { ...m, controlPlane: spent.controlPlane / (runs + 1), agents: spent.agents / (runs + 1) };
}

export async function benchEngine(): Promise<void> {
  const t0 = performance.now();
  const lesson = createSimulation(LESSON_SCENARIO, { seed: 1 });
  const lessonBuild = performance.now() - t0;
  table(`Lesson-sized cluster (${lesson.store.count('Node')} nodes, ${lesson.store.count('Pod')} pods, ${lesson.store.count('Service')} Services; built in ${fmt(lessonBuild)} ms)`, commandRows(lesson, LESSON_COMMANDS, 200));

  const builds: string[][] = [['cluster', 'build s', 'pods', 'Services', 'Service change: median ms', 'p99 ms', 'control plane ms', 'node agents ms']];
  let large: Simulation | undefined;
  for (const services of [500, 5000]) {
    const t = performance.now();
    const sim = buildLargeCluster({ nodes: 100, services, pods: services * 4 });
    const secs = (performance.now() - t) / 1000;
    const m = serviceChange(sim, 40);
    builds.push([`100 nodes / ${services} Services`, secs.toFixed(1), String(sim.store.count('Pod')), String(sim.store.count('Service')), fmt(m.median), fmt(m.p99), fmt(m.controlPlane), fmt(m.agents)]);
    if (services === 5000) large = sim;
  }
  table('Large clusters: construction and the cost of one Service change (should not grow with the Service count)', builds);
  if (large) table('Large cluster (100 nodes, 20,000 pods, 5,000 Services): command latency', commandRows(large, LARGE_COMMANDS, 10));
}
