/** Starts the engine's Web Worker (worker.ts, bundled by Next as its own chunk). */
import type { EnginePort } from './protocol';

export function spawnEngineWorker(): EnginePort {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'netlab-engine' });
  return {
    post: (m) => worker.postMessage(m),
    listen(handler, crashed) {
      worker.onmessage = (e) => handler(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        crashed(e.message || 'the engine worker failed');
      };
      worker.onmessageerror = () => crashed('a message from the engine worker could not be read');
    },
    terminate: () => worker.terminate(),
  };
}
