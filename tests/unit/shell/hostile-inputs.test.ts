/**
 * Issue 13 item 10: every category of hostile input the issue lists, each case under a
 * wall-clock budget, so a new hang or blow-up fails here rather than freezing a tab.
 * After each case the cluster must still answer (`kubectl get pods` exits 0 and the
 * clock has not been pushed to its horizon). Messages are pinned where the real tool's
 * words are known; their sources are cited in the goldens that pin them first
 * (tests/golden/shell/hostile-durations.test.ts, tests/unit/cluster/api-limits.test.ts,
 * tests/unit/controllers/capacity.test.ts). The figures of the same inputs are in
 * `npm run bench:hostile` (bench/hostile.ts).
 *
 * Also a property: random hostile numbers (int32 edges, 1e308, negatives, unit strings,
 * NaN words) put into the numeric fields and flags the issue names never throw out of the
 * engine, finish within the budget, and leave the cluster working.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createSimulation, type Simulation } from '../../../engine';
import { checkTasks } from '../../../engine/grading';
import type { Task } from '../../../engine/grading/types';
import { Rng } from '../../../engine/cluster/rng';
import { TerminalController } from '../../../components/terminal/controller';
import { SAVE_CAP_CHARS, readHead, sweepOldVersions, writeSave } from '../../../lib/persistence';
import { MemoryStore } from '../platform/memory-store';

/**
 * A hang detector, not a speed test (`npm run bench:hostile` measures speed): the inputs take
 * 0–1.5 s alone, a hang or a blow-up takes 15 s to forever; 10 s leaves room for a 2-core
 * machine shared with other work, where the same cases have taken 5 s.
 */
const BUDGET_MS = 10_000;

const lessonFile = (slug: string, file: string) => readFileSync(join(__dirname, '../../../lessons', slug, file), 'utf8');

const SCENARIO = `
objects:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web }
    spec:
      replicas: 2
      selector: { matchLabels: { app: web } }
      template:
        metadata: { labels: { app: web } }
        spec: { containers: [{ name: web, image: nginx:1.27, ports: [{ containerPort: 80 }] }] }
`;

function lab(scenario = SCENARIO): Simulation {
  const sim = createSimulation(scenario, { seed: 1 });
  sim.advance(5_000);
  return sim;
}

/** Runs fn under the budget, then checks the cluster answers with a sane clock. */
function within<T>(sim: Simulation, what: string, fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  const ms = performance.now() - t0;
  expect(ms, `${what} took ${ms.toFixed(0)} ms`).toBeLessThan(BUDGET_MS);
  const pods = sim.run('kubectl get pods');
  expect(pods.exitCode, `kubectl get pods after ${what}: ${pods.stderr}`).toBe(0);
  expect(sim.clock.remaining(), `the clock after ${what}`).toBeGreaterThan(0);
  return out;
}

function run(sim: Simulation, line: string) {
  return within(sim, line, () => sim.run(line));
}

const NETLAB_STEPS = 'netlab: stopped after 1,000,000 steps: this command line would not end (press ↑ to edit it)\n';
const firstLine = (s: string) => s.split('\n')[0];

describe('poisoned lessons', () => {
  const pod = (probe: string) => `apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      readinessProbe: { httpGet: { path: /, port: 80 }, ${probe} }\n`;

  it('periodSeconds 0 is defaulted to 10; negative and "5s" are refused; an hour later the kubelet is calm', () => {
    const sim = lab();
    sim.fs.write({ kind: 'workstation' }, '/home/learner/zero.yaml', pod('periodSeconds: 0'));
    sim.fs.write({ kind: 'workstation' }, '/home/learner/neg.yaml', pod('periodSeconds: -5'));
    sim.fs.write({ kind: 'workstation' }, '/home/learner/str.yaml', pod('initialDelaySeconds: 5s'));
    expect(run(sim, 'kubectl apply -f zero.yaml')).toEqual({ stdout: 'pod/p created\n', stderr: '', exitCode: 0 });
    expect(run(sim, "kubectl get pod p -o jsonpath='{.spec.containers[0].readinessProbe.periodSeconds}'").stdout).toBe('10');
    const neg = run(sim, 'kubectl apply -f neg.yaml');
    expect(neg.exitCode).toBe(1);
    const str = run(sim, 'kubectl apply -f str.yaml');
    expect(str.exitCode).toBe(1);
    expect(str.stderr).toContain('cannot unmarshal string into Go struct field Probe.spec.containers.readinessProbe.initialDelaySeconds of type int32');
    within(sim, 'an hour with the probed Pod', () => sim.advance(3_600_000));
    expect(sim.run('kubectl get pod p --no-headers').stdout).toMatch(/^p\s+1\/1\s+Running\s+0\s+60m$/m);
  });

  it('a scenario with a bad probe is an authoring error naming the object, not a frozen lab', () => {
    expect(() => createSimulation(`objects:\n  - apiVersion: v1\n    kind: Pod\n    metadata: { name: bad }\n    spec: { containers: [{ name: c, image: nginx, readinessProbe: { httpGet: { port: 80 }, periodSeconds: -5 } }] }\n`, { seed: 1 })).toThrow(
      'objects[0] (Pod bad): Pod "bad" is invalid: spec.containers[0].readinessProbe.periodSeconds: Invalid value: -5: must be greater than or equal to 0',
    );
  });
});

describe('freezes and crashes', () => {
  it('loops, recursion and fork bombs end with a message and a failure status', () => {
    const sim = lab();
    expect(run(sim, 'while true; do :; done')).toEqual({ stdout: '', stderr: NETLAB_STEPS, exitCode: 130 });
    for (const bomb of ['f(){ f; f; }; f', 'f(){ f|f& }; f']) {
      const r = run(sim, bomb);
      expect(r.exitCode).toBe(130);
      expect(firstLine(r.stderr)).toBe('bash: f: maximum function nesting level exceeded (40)');
    }
    const awk = run(sim, `awk 'BEGIN { s = "a"; while (1) s = s s }'`);
    expect(awk.exitCode).toBe(2);
  });

  it('a loop of cluster commands is charged as the work it does: kubectl in `while true` stops after 3,334 rounds, not 50,000', () => {
    const sim = lab();
    // each round: the loop (10), `true` (10), the assignment's command (10), echo (10), kubectl (10 + 250)
    expect(run(sim, 'i=0; while true; do i=$((i+1)); echo $i > n; kubectl get pods >/dev/null; done')).toEqual({ stdout: '', stderr: NETLAB_STEPS, exitCode: 130 });
    expect(run(sim, 'cat n').stdout).toBe('3334\n');
    // a thousand requests in one line, as a load test in a lesson would send, still run
    expect(run(sim, 'for i in $(seq 1000); do kubectl get ns default -o name; done | sort | uniq -c')).toEqual({ stdout: '   1000 namespace/default\n', stderr: '', exitCode: 0 });
  });

  it('patterns that backtrack exponentially elsewhere answer at once', () => {
    const sim = lab();
    const a40 = 'a'.repeat(40);
    expect(run(sim, `echo ${a40}! | grep -E '(a+)+$'`)).toEqual({ stdout: '', stderr: '', exitCode: 1 });
    expect(run(sim, `echo ${a40}! | grep -c '\\(a*\\)*\\1!'`).stdout).toBe('1\n');
    expect(run(sim, `echo ${a40}! | awk '/(a+)+$/ { print "hit" } END { print "end" }'`).stdout).toBe('end\n');
    expect(run(sim, `case ${a40} in *a*a*a*a*a*a*a*a*b) echo hit;; *) echo miss;; esac`).stdout).toBe('miss\n');
    sim.fs.write({ kind: 'workstation' }, '/home/learner/big.txt', 'a'.repeat(169_000));
    expect(run(sim, 'v=$(cat big.txt); w=${v%%*x}; echo ${#w}').stdout).toBe('169000\n');
    expect(run(sim, "v=$(cat big.txt)!; re='(a+)+$'; [[ $v =~ $re ]]; echo $?").stdout).toBe('1\n');
  });

  it('a million replicas: the command answers and two minutes of the cluster working on it stay bounded', () => {
    const sim = lab();
    expect(run(sim, 'kubectl scale deploy web --replicas=1000000')).toEqual({ stdout: 'deployment.apps/web scaled\n', stderr: '', exitCode: 0 });
    within(sim, 'two minutes of a million replicas', () => sim.advance(120_000));
    expect(sim.store.count('Pod')).toBeLessThan(20_000);
  });

  it('history checks stay cheap after a 7.6 KB command', () => {
    const sim = lab(lessonFile('12-containers-in-a-pod', 'scenario.yaml'));
    const tasks = (parseYaml(lessonFile('12-containers-in-a-pod', 'tasks.yaml')) as { tasks: Task[] }).tasks;
    run(sim, `kubectl exec duo -c tools -- curl ${'a'.repeat(3800)} ${'b '.repeat(1900)}`);
    expect(sim.history.at(-2)!.command.length).toBeGreaterThan(7600);
    const results = within(sim, 'three checks of lesson 12', () => {
      let r: ReturnType<typeof checkTasks> = [];
      for (let i = 0; i < 3; i++) r = checkTasks(sim, tasks, { sticky: false });
      return r;
    });
    expect(results.length).toBe(tasks.length);
  });

  // The in-page engine (lib/engine-worker/in-process.ts) answers the terminal at once, as this
  // backend does: each line's end used to re-enter the input drain, 2,000 lines nested deep.
  // (Through EngineHost the same paste takes ~14 ms a line, a view and a snapshot after each:
  // see the report of bench/hostile.ts.)
  it('2,000 pasted lines run in order through a backend that answers at once, without overflowing the stack', () => {
    const sim = lab();
    const screen = { out: '', cols: 80, write(d: string) { this.out += d; }, clear() {} };
    const c = new TerminalController(screen, {
      prompt: () => sim.prompt(),
      needsMoreInput: (text) => sim.needsMoreInput(text),
      complete: (line, cursor) => sim.complete(line, cursor),
      start: (line) => {
        const r = sim.run(line);
        const chunks = [{ stream: 'stdout' as const, text: r.stdout }];
        return { running: false, exitCode: r.exitCode, takeOutput: () => chunks.splice(0), interrupt() {}, watch: (fn) => fn(), finishEdit() {} };
      },
    });
    c.start();
    within(sim, 'a 2,000-line paste', () => c.paste(Array.from({ length: 2000 }, (_, i) => `echo line-${i}`).join('\n') + '\n'));
    expect(sim.history.filter((h) => h.command.startsWith('echo line-')).length).toBe(2000);
    expect(sim.history.at(-2)).toMatchObject({ command: 'echo line-1999', exitCode: 0 });
    expect(screen.out).toContain('\r\nline-1999\r\n');
    expect(c.busy).toBe(false);
  });
});

describe('broken clock', () => {
  it('curl --max-time 1e308 is refused as curl refuses it; timeout 100000000d streams instead of jumping 100 years', () => {
    const sim = lab();
    expect(run(sim, 'curl --max-time 1e308 http://10.0.0.1')).toEqual({ stdout: '', stderr: "curl: option --max-time: too large number\ncurl: try 'curl --help' or 'curl --manual' for more information\n", exitCode: 2 });
    const start = sim.clock.now();
    const exec = within(sim, 'timeout 100000000d sleep infinity (5 steps)', () => {
      const e = sim.start('timeout 100000000d sleep infinity');
      for (let i = 0; i < 5; i++) e.step();
      return e;
    });
    expect(exec.running).toBe(true);
    exec.interrupt();
    expect(exec.exitCode).toBe(130);
    // before: the clock jumped to its horizon and every age read 100y; the cluster then stood still
    expect(sim.clock.now() - start).toBeLessThan(60_000);
    expect(sim.run('kubectl get pods --no-headers').stdout).not.toContain('100y');
  });
});

describe('should stream', () => {
  it('ping -c 200000 gives its first slice at once and stops on Ctrl+C with its statistics', () => {
    const sim = lab();
    const ip = '192.168.49.2';
    const exec = within(sim, 'ping -c 200000, start and 3 steps', () => {
      const e = sim.start(`ping -c 200000 ${ip}`);
      for (let i = 0; i < 3; i++) e.step();
      return e;
    });
    expect(exec.running).toBe(true);
    exec.interrupt();
    const out = exec.takeOutput().map((c) => c.text).join('');
    expect(firstLine(out)).toBe(`PING ${ip} (${ip}) 56(84) bytes of data.`);
    expect(out).toMatch(/\n--- 192\.168\.49\.2 ping statistics ---\n4 packets transmitted, 4 received, 0% packet loss, time 300\dms\n/);
  });

  it('kubectl wait --timeout=8760h waits an hour at once, then streams a second a step until the condition holds', () => {
    const sim = lab();
    const start = sim.clock.now();
    const exec = within(sim, 'kubectl wait --timeout=8760h', () => sim.start('kubectl wait --for=delete deploy/web --timeout=8760h'));
    expect(exec.running).toBe(true);
    // the hour, and the API round trips kubectl makes before it
    expect(sim.clock.now() - start).toBeGreaterThanOrEqual(3_600_000);
    expect(sim.clock.now() - start).toBeLessThan(3_610_000);
    exec.step();
    expect(exec.takeOutput()).toEqual([]);
    sim.api.delete('Deployment', 'default', 'web');
    exec.step();
    expect(exec.running).toBe(false);
    expect(exec.exitCode).toBe(0);
    expect(exec.takeOutput()).toEqual([{ stream: 'stdout', text: 'deployment.apps/web condition met\n' }]);
  });

  it('kubectl wait under an hour still answers in one call, as lessons 70 and 72 use it', () => {
    const sim = lab();
    const start = sim.clock.now();
    expect(run(sim, 'kubectl wait --for=delete deploy/web --timeout=90s')).toEqual({ stdout: '', stderr: 'error: timed out waiting for the condition on deployments.apps/web\n', exitCode: 1 });
    expect(sim.clock.now() - start).toBeGreaterThanOrEqual(90_000);
    expect(sim.clock.now() - start).toBeLessThan(100_000);
  });

  it('100,000 printf arguments print 100,000 lines; seq 1000000000 stops with the budget, not silently', () => {
    const sim = lab();
    expect(run(sim, "printf '%s\\n' $(seq 100000) | wc -l")).toEqual({ stdout: '100000\n', stderr: '', exitCode: 0 });
    expect(run(sim, 'seq 1000000000 | tail -1')).toEqual({ stdout: '', stderr: NETLAB_STEPS, exitCode: 130 });
  });
});

describe('API gaps', () => {
  it('int32, JSON, sizes, images, pods per node', () => {
    const sim = lab();
    expect(run(sim, "kubectl patch deploy web -p 'not json'")).toEqual({ stdout: '', stderr: 'Error from server (BadRequest): json: cannot unmarshal string into Go value of type map[string]interface {}\n', exitCode: 1 });
    expect(run(sim, `kubectl patch deploy web -p '{"spec":{"replicas":3e9}}'`)).toEqual({ stdout: '', stderr: 'The Deployment "web" is invalid: spec.replicas: Invalid value: -1294967296: must be greater than or equal to 0\n', exitCode: 1 });
    const scale = run(sim, 'kubectl scale deploy web --replicas=2147483648');
    expect(scale.exitCode).toBe(1);
    expect(scale.stderr).toContain('json: cannot unmarshal number 2147483648 into Go struct field ScaleSpec.spec.replicas of type int32');
    expect(run(sim, "kubectl run bad --image='NGINX:Latest'")).toEqual({ stdout: '', stderr: 'error: Invalid image name "NGINX:Latest": invalid reference format\n', exitCode: 1 });
    sim.fs.write({ kind: 'workstation' }, '/home/learner/big.bin', 'x'.repeat(10_000_000));
    expect(run(sim, 'kubectl create configmap big --from-file=big.bin')).toEqual({ stdout: '', stderr: 'Error from server (RequestEntityTooLarge): Request entity too large: limit is 3145728\n', exitCode: 1 });
    run(sim, 'kubectl create deployment many --image=nginx:1.27 --replicas=250');
    within(sim, 'two minutes of 250 replicas', () => sim.advance(120_000));
    expect(sim.run("kubectl get events --field-selector reason=FailedScheduling -o jsonpath='{.items[0].message}'").stdout).toContain('2 Too many pods.');
  });
});

describe('slow leak', () => {
  it('twelve simulated hours of lesson 80 cost no more at the end than at the start, and the event queue holds one lease per event', () => {
    const sim = createSimulation(lessonFile('80-troubleshooting', 'scenario.yaml'), { seed: 1 });
    const hours = within(sim, 'twelve hours of lesson 80', () =>
      Array.from({ length: 12 }, () => {
        const t = performance.now();
        sim.advance(3_600_000);
        return performance.now() - t;
      }),
    );
    // timing on a shared machine is noisy: the last hours may not be several times the first ones
    const first = Math.max(...hours.slice(1, 4));
    expect(Math.min(...hours.slice(-3))).toBeLessThan(Math.max(first * 3, 50));
    const events = sim.modules.find((m) => m.name === 'events')!.sizes!();
    expect(events.expiryQueue).toBe(events.leases);
  });
});

describe('saves', () => {
  it('a lab over the cap is not written (the last good save stays); a newer build’s records are left alone', () => {
    const store = new MemoryStore();
    const base = { id: 'lesson-a', writer: 'tab-1', history: [], transcript: '', tasks: {}, hints: {}, solutions: [] };
    const ok = writeSave(store, { ...base, snapshot: { small: true } }, 0, 1);
    expect(ok).toMatchObject({ ok: true, seq: 1 });
    const t0 = performance.now();
    const big = writeSave(store, { ...base, snapshot: { blob: 'x'.repeat(SAVE_CAP_CHARS * 5) } }, 1, 2);
    expect(performance.now() - t0).toBeLessThan(BUDGET_MS);
    expect(big).toMatchObject({ ok: false, reason: 'too-big' });
    expect(readHead(store, 'lesson-a')).toMatchObject({ seq: 1 });
    store.setItem('netlab:v2:lesson:lesson-a', '{}');
    store.setItem('netlab:v0:lesson:lesson-a', '{}');
    expect(sweepOldVersions(store)).toEqual({ removed: 1, newer: ['netlab:v2:lesson:lesson-a'] });
    expect(store.getItem('netlab:v2:lesson:lesson-a')).toBe('{}');
  });
});

describe('authoring', () => {
  it('bad ranges in a scenario are errors with a message, not a stack trace', () => {
    expect(() => createSimulation('cluster:\n  serviceCIDR: 10.96.0.0/32\n', { seed: 1 })).toThrow(/^cluster\.serviceCIDR 10\.96\.0\.0\/32 is too small/);
    expect(() => createSimulation('cluster:\n  podCIDR: 10.96.0.0/12\n  serviceCIDR: 10.96.0.0/16\n', { seed: 1 })).toThrow(/^cluster\.podCIDR 10\.96\.0\.0\/12 overlaps cluster\.serviceCIDR 10\.96\.0\.0\/16/);
  });
});

describe('property: hostile numbers in the fields and flags issue 13 names', () => {
  const NUMBERS = ['0', '-1', '-5', '2147483647', '2147483648', '-2147483649', '3e9', '1e308', '-1e308', '9007199254740993', '0.5', '5s', '1h', 'NaN', 'inf', '""', '0x10', '1_000'];

  it('never throw, finish within the budget per command, and leave the cluster working', () => {
    const r = new Rng(13);
    const sim = lab();
    const pick = () => NUMBERS[r.int(NUMBERS.length)];
    const templates: ((n: string) => string)[] = [
      (n) => `kubectl scale deploy web --replicas=${n}`,
      (n) => `kubectl patch deploy web -p '{"spec":{"replicas":${n}}}'`,
      (n) => `kubectl patch deploy web --type=merge -p '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27","readinessProbe":{"tcpSocket":{"port":80},"periodSeconds":${n}}}]}}}}'`,
      (n) => `kubectl create deployment d${r.int(1000)} --image=nginx:1.27 --replicas=${n}`,
      (n) => `curl -s --max-time ${n} http://10.0.0.1`,
      (n) => `curl -s --connect-timeout ${n} http://10.96.0.1`,
      (n) => `timeout ${n} sleep ${n}`,
      (n) => `sleep ${n}`,
      (n) => `ping -c ${n} -W 1 10.0.0.1`,
      (n) => `ping -c 2 -i ${n} 127.0.0.1`,
      (n) => `kubectl wait --for=condition=Available deploy/web --timeout=${n}`,
      (n) => `seq ${n} | tail -1`,
      (n) => `printf '%d\\n' ${n}`,
      (n) => `echo $((${n} * ${n}))`,
      (n) => `kubectl run p${r.int(1000)} --image=nginx --port=${n}`,
    ];
    for (let i = 0; i < 60; i++) {
      const line = templates[r.int(templates.length)](pick());
      const t0 = performance.now();
      let res;
      try {
        res = sim.run(line);
      } catch (e) {
        throw new Error(`run threw on ${JSON.stringify(line)}: ${(e as Error).stack}`);
      }
      const ms = performance.now() - t0;
      expect(ms, `${line} took ${ms.toFixed(0)} ms`).toBeLessThan(BUDGET_MS);
      expect(res.exitCode, line).toBeGreaterThanOrEqual(0);
      expect(res.exitCode, line).toBeLessThanOrEqual(255);
      expect(res.stderr, line).not.toMatch(/internal error|Invalid time value|Infinityy|RangeError|TypeError|\n\s+at \S+ \(/);
      if (i % 20 === 19) within(sim, 'a minute after hostile numbers', () => sim.advance(60_000));
    }
    expect(sim.run('echo ok')).toEqual({ stdout: 'ok\n', stderr: '', exitCode: 0 });
  });
});
