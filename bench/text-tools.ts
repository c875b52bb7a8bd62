/**
 * Text tools at scale (the node-tools room's part of `npm run bench`): on a node of the
 * 5,000-Service cluster, the first `iptables-save` (kube-proxy's and the CNI's rules
 * derived for that node, then printed: 11.2 MB, ~100,000 lines), timed on its own, and the text tools a
 * learner pipes it through. Each pipeline's figure includes the (cached) iptables-save;
 * the tools must stay linear in their input.
 */
import { LINE_LIMITS } from '../engine/shell/budget';
import type { Simulation } from '../engine';
import { buildLargeCluster } from './large-cluster';

// At the terminal a line shows at most 10 MB (LINE_LIMITS.terminalBytes) and iptables-save
// here prints 11.2 MB, so each figure pipes it: `| wc -c` costs a few ms and shows the size.
const PIPELINES = [
  'ssh node-1 iptables-save | wc -c',
  'ssh node-1 iptables-save | wc -l',
  'ssh node-1 iptables-save | wc',
  'ssh node-1 iptables-save | grep -c KUBE-SEP',
  'ssh node-1 iptables-save | grep -v KUBE-SEP | head -1',
  'ssh node-1 iptables-save | sort | uniq | wc -l',
  "ssh node-1 iptables-save | awk '{print $2}' | sort | uniq -c | sort -rn | head -3",
  "ssh node-1 iptables-save | sed 's/KUBE-SEP/SEP/' | tail -1",
  "ssh node-1 iptables-save | cut -d' ' -f2 | head -1",
];

function cpuMs<T>(fn: () => T): { wall: number; cpu: number; value: T } {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = fn();
  const u = process.cpuUsage(c);
  return { wall: performance.now() - t, cpu: (u.user + u.system) / 1000, value };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function benchTextTools(sim?: Simulation): Promise<void> {
  const large = sim ?? buildLargeCluster({ nodes: 100, services: 5000, pods: 20000 });
  // The first iptables-save on nodes nobody has asked yet (output to /dev/null: the
  // figure is the engine's, not a text tool's). kube-proxy derived each Service's view and
  // generated its shared chains (with their restore text) as the clock moved during the
  // build, as the real one syncs when Services change; the first look applies those for
  // every Service, then each look writes its node's top-level, CNI and Felix chains and prints.
  const first: string[][] = [['first iptables-save', 'wall ms', 'cpu ms', 'exit']];
  for (const [node, what] of [['node-2', 'first sync + node'], ['node-3', 'node only'], ['node-4', 'node only']]) {
    const r = cpuMs(() => large.run(`ssh ${node} iptables-save >/dev/null`));
    first.push([`ssh ${node} iptables-save >/dev/null  (${what})`, r.wall.toFixed(0), r.cpu.toFixed(0), String(r.value.exitCode)]);
  }
  printTable('First iptables-save on a fresh node of the 5,000-Service cluster (budget: well under 1 s)', first);
  const rows: string[][] = [['command', 'wall ms', 'cpu ms', 'exit', 'stdout bytes']];
  for (const line of PIPELINES) {
    large.run(line); // warm
    const runs = [0, 1, 2, 3, 4].map(() => cpuMs(() => large.run(line)));
    const last = runs[runs.length - 1].value;
    rows.push([line, median(runs.map((r) => r.wall)).toFixed(0), median(runs.map((r) => r.cpu)).toFixed(0), String(last.exitCode), String(last.stdout.length)]);
  }
  printTable(`Text tools on a node of the 5,000-Service cluster (median of 5; a line's budget: ${LINE_LIMITS.outputBytes.toLocaleString('en-US')} bytes through pipes, ${LINE_LIMITS.terminalBytes.toLocaleString('en-US')} to the terminal)`, rows);
}

function printTable(title: string, rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  console.log(`\n${title}`);
  for (const r of rows) console.log('  ' + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   '));
}
