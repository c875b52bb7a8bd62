/**
 * The simulation engine is the biggest part of a lab page. It is loaded on demand (a
 * separate chunk fetched as soon as this module runs in the browser) so the page hydrates
 * and the terminal opens without waiting for it to be parsed.
 */
export type EngineModule = typeof import('./engine-bundle');

let promise: Promise<EngineModule> | null = null;

export function loadEngine(): Promise<EngineModule> {
  if (!promise) promise = import('./engine-bundle');
  return promise;
}

if (typeof window !== 'undefined') void loadEngine();
