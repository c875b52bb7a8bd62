/**
 * Memory and time over simulated time (`npm run bench memory`):
 * - lesson 80's cluster through a simulated week: the cost of a simulated hour at the
 *   start and at the end, and the heap after each (issue 13: a catch-up after a background
 *   tab went from 0.2 s to 8.6 s as the event expiry queue grew);
 * - `kubectl scale deploy web --replicas=1000000` on the default cluster: the command, then
 *   half an hour of the cluster working on it (burstReplicas a sync, the client limiter,
 *   the object quota), with the heap after each (issue 13: 2.5 GB before).
 * Run with `node --expose-gc` (the `bench` script's tsx passes it through NODE_OPTIONS) for
 * heap figures after a collection; without it they include garbage.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSimulation } from '../engine';

const HOUR = 3_600_000;

function heapMB(): string {
  (globalThis as { gc?: () => void }).gc?.();
  return (process.memoryUsage().heapUsed / 1e6).toFixed(1);
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

function row(cells: string[], widths: number[]): string {
  return '  ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('   ');
}

function table(title: string, rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  console.log(`\n${title}`);
  for (const r of rows) console.log(row(r, widths));
}

export async function benchMemory(): Promise<void> {
  // ---- a simulated week of lesson 80 ----
  const scenario = readFileSync(fileURLToPath(new URL('../lessons/80-troubleshooting/scenario.yaml', import.meta.url)), 'utf8');
  const sim = createSimulation(scenario, { seed: 1 });
  const rows: string[][] = [['simulated hour', 'ms/hour', 'heap MB', 'events', 'event leases']];
  const leases = () => String(sim.modules.find((m) => m.name === 'events')?.sizes?.().leases ?? '');
  for (let h = 1; h <= 168; h++) {
    const ms = time(() => sim.advance(HOUR));
    if (h <= 3 || h > 165 || h % 24 === 0) rows.push([String(h), ms.toFixed(1), heapMB(), String(sim.store.count('Event')), leases()]);
  }
  table('lesson 80 through a simulated week (cost of each simulated hour)', rows);

  // ---- a million replicas ----
  const big = createSimulation(null, { seed: 1 });
  big.run('kubectl create deployment web --image=nginx:1.27');
  big.advance(60_000);
  const base = Number(heapMB());
  const r2: string[][] = [['step', 'ms', 'heap +MB', 'pods', 'objects']];
  const note = (step: string, ms: number) => r2.push([step, ms.toFixed(0), (Number(heapMB()) - base).toFixed(1), String(big.store.count('Pod')), String(big.api.storedObjects())]);
  note('kubectl scale --replicas=1000000', time(() => big.run('kubectl scale deploy web --replicas=1000000')));
  for (let m = 5; m <= 30; m += 5) note(`+${m} simulated minutes`, time(() => big.advance(5 * 60_000)));
  note('kubectl scale --replicas=1', time(() => big.run('kubectl scale deploy web --replicas=1')));
  note('+15 simulated minutes', time(() => big.advance(15 * 60_000)));
  table('a million replicas on the default cluster (object quota 10,000)', r2);
}
