/**
 * The page's side of the checker thread (check-worker.ts, bundled by Next as its own
 * chunk, same origin: the site's CSP allows it). `check` resolves with the newest request's
 * result only; a check that runs away (a simulator bug looping) is stopped after
 * CHECK_TIMEOUT_MS by terminating the worker, and the next check starts a fresh one.
 */
import type { StudioCheckInput, StudioCheckResult } from './check';
import type { FromChecker, ToChecker } from './check-worker';

export const CHECK_TIMEOUT_MS = 60_000;

export type CheckOutcome = { kind: 'result'; result: StudioCheckResult } | { kind: 'crashed'; message: string } | { kind: 'superseded' };

export class CheckClient {
  private worker: Worker | null = null;
  private next = 1;
  private pending = new Map<number, (o: CheckOutcome) => void>();

  private spawn(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('./check-worker.ts', import.meta.url), { type: 'module', name: 'netlab-studio-checker' });
    w.onmessage = (e: MessageEvent<FromChecker>) => {
      const done = this.pending.get(e.data.id);
      this.pending.delete(e.data.id);
      if (!done) return;
      done('result' in e.data ? { kind: 'result', result: e.data.result } : { kind: 'crashed', message: e.data.crashed });
    };
    w.onerror = (e) => {
      e.preventDefault();
      this.fail(e.message || 'the checker stopped');
    };
    this.worker = w;
    return w;
  }

  private fail(message: string) {
    this.worker?.terminate();
    this.worker = null;
    for (const done of this.pending.values()) done({ kind: 'crashed', message });
    this.pending.clear();
  }

  check(input: StudioCheckInput): Promise<CheckOutcome> {
    // an older request still waiting is answered "superseded"; the worker finishes it and moves on
    for (const done of this.pending.values()) done({ kind: 'superseded' });
    this.pending.clear();
    const id = this.next++;
    const w = this.spawn();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (this.pending.get(id)) this.fail(`the check took longer than ${CHECK_TIMEOUT_MS / 1000} s and was stopped: a solution command may loop (try it in the lab)`);
      }, CHECK_TIMEOUT_MS);
      this.pending.set(id, (o) => {
        clearTimeout(timer);
        resolve(o);
      });
      w.postMessage({ id, input } satisfies ToChecker);
    });
  }

  dispose() {
    this.worker?.terminate();
    this.worker = null;
    this.pending.clear();
  }
}
