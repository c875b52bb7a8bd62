/**
 * The engine in the page's own thread, behind the same protocol as the worker: for Node
 * (unit tests) and for a browser without module workers. Messages are cloned as a worker's
 * would be and delivered at once, in order (a message sent while another is being handled
 * waits its turn), so a test sees a command's effects as soon as it is typed.
 */
import { EngineHost } from './host';
import type { EnginePort, FromEngine } from './protocol';

export function inProcessEngine(onHost?: (host: EngineHost) => void, now?: () => number): EnginePort {
  let toPage: ((m: FromEngine) => void) | null = null;
  let dead = false;
  const queue: (() => void)[] = [];
  let draining = false;
  const deliver = (fn: () => void) => {
    queue.push(fn);
    if (draining) return;
    draining = true;
    try {
      while (queue.length) queue.shift()!();
    } finally {
      draining = false;
    }
  };
  const host = new EngineHost((m) => {
    if (dead) return;
    const copy = structuredClone(m);
    deliver(() => toPage?.(copy));
  }, now);
  onHost?.(host);
  return {
    post(m) {
      if (dead) return;
      const copy = structuredClone(m);
      deliver(() => host.handle(copy));
    },
    listen(handler) {
      toPage = handler;
    },
    terminate() {
      dead = true;
      queue.length = 0;
    },
  };
}
