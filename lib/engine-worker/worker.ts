/**
 * The Web Worker the page runs the engine in (client.ts starts it). A command that runs
 * away blocks this thread, not the page's: the page stops it by terminating the worker.
 */
import { EngineHost } from './host';
import type { FromEngine, ToEngine } from './protocol';

interface WorkerScope {
  postMessage(message: FromEngine): void;
  onmessage: ((e: MessageEvent<ToEngine>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const host = new EngineHost((m) => scope.postMessage(m));
scope.onmessage = (e) => host.handle(e.data);
