import { createSimulation } from '../engine';
import { readFileSync } from 'node:fs';
const sc = readFileSync('lessons/40-network-policies/scenario.yaml','utf8');
const s = createSimulation(sc, { seed: 1, interactive: true });
let tSnap = 0, tList = 0, tRun = 0, tJson = 0;
for (let i = 0; i < 2000; i++) {
  let t = performance.now(); s.run(`echo line ${i}`); tRun += performance.now() - t;
  t = performance.now(); for (const k of ['Pod','Service','Node','NetworkPolicy','Namespace']) s.list(k as never); tList += performance.now() - t;
  t = performance.now(); const snap = s.snapshot(); tSnap += performance.now() - t;
  t = performance.now(); structuredClone(snap); tJson += performance.now() - t;
}
console.log({ tRun, tList, tSnap, tClone: tJson });
