/**
 * Long-running traffic commands at a terminal: curl with no timeout to an address that
 * never answers waits (the kernel gives up on the SYN after ~127 s: tcp_syn_retries=6),
 * ping without -c prints one reply a second; both stop on Ctrl+C. And the state traffic
 * leaves behind (helm's repositories file and release Secret) survives a snapshot.
 */
import { describe, expect, it } from 'vitest';
import { cluster, curlPod, ws } from './scenario';
import { run } from './harness';
import { isStreaming } from '../../../engine/types';
import { Simulation } from '../../../engine/index';
import { trafficCommands } from '../../../engine/commands/net/traffic';

const curl = trafficCommands.find((c) => c.name === 'curl')!;

describe('curl waiting on a black hole', () => {
  it('streams in a terminal and stops silently on Ctrl+C (exit 130), the clock having moved', () => {
    const s = cluster();
    const t0 = s.clock.now();
    const out = curl.run(['-sS', 'http://10.96.12.3:81'], s.shell.contextFor(curlPod, 'curl', { cwd: '/', interactive: true }));
    expect(isStreaming(out)).toBe(true);
    if (!isStreaming(out)) return;
    expect(out.stdout + out.stderr).toBe('');
    // as the shell drives a stream: the clock moves by intervalMs, then step() (shell.ts drive)
    for (let i = 0; i < 5; i++) {
      s.advance(out.intervalMs);
      expect(out.step()).toEqual({});
    }
    expect(out.interrupt()).toEqual({ exitCode: 130 });
    expect(s.clock.now() - t0).toBe(5000);
  });
  it('gives up when the kernel does, after ~127 s, with exit 28', () => {
    const s = cluster();
    const out = curl.run(['-sS', 'http://10.96.12.3:81'], s.shell.contextFor(curlPod, 'curl', { cwd: '/', interactive: true }));
    if (!isStreaming(out)) throw new Error('not streaming');
    let last: ReturnType<typeof out.step> = {};
    for (let i = 0; i < 200 && !last.done; i++) {
      s.advance(out.intervalMs);
      last = out.step();
    }
    expect(last.done).toBe(true);
    expect(last.exitCode).toBe(28);
    expect(last.stderr).toMatch(/^curl: \(28\) Failed to connect to 10\.96\.12\.3 port 81 after 127\d{3} ms: Could not connect to server\n$/);
  });
  it('without a terminal (sim, the checker) it returns at once with the same error', () => {
    const s = cluster();
    const r = run(s, curlPod, 'curl -sS http://10.96.12.3:81');
    expect(r.exitCode).toBe(28);
    expect(r.stderr).toMatch(/after 12\d{4} ms: Could not connect to server\n$/);
  });
});

describe('state left by traffic commands survives a snapshot', () => {
  it('helm repositories and releases', () => {
    const s = cluster();
    run(s, ws, 'helm repo add ingress-nginx https://kubernetes.github.io/ingress-nginx');
    run(s, ws, 'helm install ingress-nginx ingress-nginx/ingress-nginx -n ingress-nginx --create-namespace');
    const r = Simulation.restore(JSON.parse(JSON.stringify(s.snapshot())));
    expect(run(r, ws, 'helm repo list').stdout).toBe(run(s, ws, 'helm repo list').stdout);
    expect(run(r, ws, 'helm list -A').stdout).toBe(run(s, ws, 'helm list -A').stdout);
    expect(run(r, ws, 'helm list -A').stdout).toContain('ingress-nginx-4.12.0');
  });
});
