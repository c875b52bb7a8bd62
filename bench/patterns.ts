/**
 * Pattern-matching figures (issue 13 item 3, `npm run bench patterns`): the hostile inputs
 * that used to freeze the tab, and the ordinary large-text case that must stay fast.
 *
 * - `grep -E '(a+)+$'` on 30 a's and a b (exponential for a backtracking engine);
 * - `${v%%*x}` on a 169 KB variable (the old code tried every split with a RegExp);
 * - one grading history check over a 7.6 KB command line (a lesson's `.*\bword\b` chain);
 * - `grep`, `wc -l`, `awk` and `sed` over 10 MB of iptables-save-like text.
 *
 * "before" is what the same cases cost at commit 691727c (JavaScript RegExp everywhere);
 * "after" is measured now. Both are CPU time of the process (median of 3 runs for the
 * 10 MB cases). `npm run bench patterns -- CASE` runs one case alone.
 */
import { createSimulation, type Simulation } from '../engine';
import { evaluate } from '../engine/grading';

/**
 * CPU time at commit 691727c, the same cases run from a copy of that tree with this file
 * (`npx tsx -e "import('./bench/patterns.ts').then(m => m.benchPatterns(CASE))"`), on the
 * shared 2-core machine under other sessions' load; wall time then was 1–3× these.
 */
const BEFORE: Record<string, string> = {
  'grep -E (a+)+$, 30 a + b': '69.5 s',
  '${v%%*x}, 169 KB': '19.6 s',
  'history check, 7.6 KB command': '6.31 s',
  'grep -c DNAT, 10 MB': '18.7 ms',
  'grep -cE KUBE-SEP-…10\\.244\\.1\\., 10 MB': '52.0 ms',
  'wc -l, 10 MB': '0.37 s',
  "awk '/KUBE-SEP/{n++}', 10 MB": '0.19 s',
  'sed -n s/DNAT/SNAT/p, 10 MB': '0.19 s',
};

interface Case {
  name: string;
  /** Timed runs (the median is shown); the hostile cases run once, since "before" took minutes. */
  runs?: number;
  setup(): { sim: Simulation; run: () => string };
}

/** 10 MB shaped like `iptables-save` on a large node: KUBE-SVC/KUBE-SEP chains and rules. */
export function iptablesText(bytes: number): string {
  const out: string[] = ['*nat', ':PREROUTING ACCEPT [0:0]', ':KUBE-SERVICES - [0:0]'];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const svc = `KUBE-SVC-${(i * 2654435761 >>> 0).toString(36).toUpperCase().padStart(16, 'Q').slice(0, 16)}`;
    const sep = `KUBE-SEP-${(i * 40503 + 7 >>> 0).toString(36).toUpperCase().padStart(16, 'Z').slice(0, 16)}`;
    const ip = `10.244.${i % 250}.${(i * 7) % 254 + 1}`;
    const lines = [
      `-A KUBE-SERVICES -d 10.96.${(i >> 8) & 255}.${i & 255}/32 -p tcp -m comment --comment "ns-${i % 40}/svc-${i}:http cluster IP" -m tcp --dport 80 -j ${svc}`,
      `-A ${svc} -m comment --comment "ns-${i % 40}/svc-${i}:http -> ${ip}:8080" -j ${sep}`,
      `-A ${sep} -s ${ip}/32 -m comment --comment "ns-${i % 40}/svc-${i}:http" -j KUBE-MARK-MASQ`,
      `-A ${sep} -p tcp -m comment --comment "ns-${i % 40}/svc-${i}:http" -m tcp -j DNAT --to-destination ${ip}:8080`,
    ];
    for (const l of lines) {
      out.push(l);
      size += l.length + 1;
    }
  }
  out.push('COMMIT');
  return out.join('\n') + '\n';
}

/** A lesson's history pattern (lessons/50-service-dns) and a 7.6 KB command that almost matches it. */
const HISTORY_PATTERN = '^kubectl\\b.*\\bexec\\b.*\\bclient\\b.*\\b(nslookup|dig|host)\\b.*\\bweb\\.shop\\b';
export function longCommand(bytes: number): string {
  let s = 'kubectl exec client -- sh -c "echo';
  while (s.length < bytes - 1) s += ' exec client nslookup web shop'.slice(0, bytes - 1 - s.length);
  return s + '"';
}

function fileSim(files: Record<string, string>): Simulation {
  const sim = createSimulation(null, { seed: 1 });
  for (const [p, c] of Object.entries(files)) sim.fs.write({ kind: 'workstation' }, `/home/learner/${p}`, c);
  return sim;
}

function lineCase(name: string, files: () => Record<string, string>, line: string, setupLines: string[] = [], runs = 1): Case {
  return {
    name,
    runs,
    setup() {
      const sim = fileSim(files());
      for (const l of setupLines) sim.run(l);
      return {
        sim,
        run: () => {
          const r = sim.run(line);
          return `exit ${r.exitCode}, ${r.stdout.length} bytes out${r.stderr ? `, stderr ${JSON.stringify(r.stderr.slice(0, 80))}` : ''}`;
        },
      };
    },
  };
}

const ten = () => ({ 'big.txt': iptablesText(10_000_000) });

export const CASES: Case[] = [
  lineCase('grep -E (a+)+$, 30 a + b', () => ({ 'a.txt': 'a'.repeat(30) + 'b\n' }), "grep -E '(a+)+$' a.txt"),
  lineCase('${v%%*x}, 169 KB', () => ({ 'v.txt': 'a'.repeat(169_000) }), 'y=${v%%*x}; echo ${#y}', ['v=$(cat v.txt)']),
  {
    name: 'history check, 7.6 KB command',
    setup() {
      const sim = createSimulation(null, { seed: 1 });
      sim.run(longCommand(7600));
      return {
        sim,
        run: () => JSON.stringify(evaluate(sim, { history: { pattern: HISTORY_PATTERN } }, { taskId: 't', tasks: [] })),
      };
    },
  },
  lineCase('grep -c DNAT, 10 MB', ten, 'grep -c DNAT big.txt', [], 3),
  lineCase('grep -cE KUBE-SEP-…10\\.244\\.1\\., 10 MB', ten, "grep -cE 'KUBE-SEP-[A-Z0-9]+ .*10\\.244\\.1\\.' big.txt", [], 3),
  lineCase('wc -l, 10 MB', ten, 'wc -l big.txt', [], 3),
  lineCase("awk '/KUBE-SEP/{n++}', 10 MB", ten, "awk '/KUBE-SEP/ { n++ } END { print n }' big.txt", [], 3),
  lineCase('sed -n s/DNAT/SNAT/p, 10 MB', ten, 'sed -n s/DNAT/SNAT/p big.txt | wc -l', [], 3),
];

function seconds(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 100 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

export async function benchPatterns(only?: string): Promise<void> {
  const rows: string[][] = [['case', 'before (691727c), CPU', 'after, CPU', 'result']];
  for (const c of CASES) {
    if (only && c.name !== only) continue;
    const { run } = c.setup();
    const times: number[] = [];
    let result = '';
    for (let k = 0; k < (c.runs ?? 1); k++) {
      // CPU time of this process: the development machines' 2 cores are shared, and wall
      // time under another session's test run said more about that run than about ours
      const t = process.cpuUsage();
      result = run();
      const d = process.cpuUsage(t);
      times.push((d.user + d.system) / 1000);
    }
    times.sort((a, b) => a - b);
    rows.push([c.name, BEFORE[c.name] ?? '-', seconds(times[Math.floor(times.length / 2)]), result]);
  }
  const widths = rows[0].map((_, k) => Math.max(...rows.map((r) => r[k].length)));
  console.log('\nPattern matching (issue 13 item 3)');
  for (const r of rows) console.log('  ' + r.map((cell, k) => cell.padEnd(widths[k])).join('   '));
}
