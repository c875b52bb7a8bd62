/**
 * The terminal's code — its component and line editor (components/terminal) and xterm — is
 * a lazy chunk, out of the page's HTML: fetched as soon as this module runs in the browser,
 * so while the page hydrates rather than after, and with xterm alongside rather than behind
 * it (Terminal.tsx imports xterm lazily itself: xterm touches `window`).
 *
 * The engine waits for it (useLab.ts): the terminal is what makes a lab page usable — it
 * takes keys before the cluster is built — so its scripts go first, and the engine's worker
 * (half a megabyte, gzipped) does not compete with them.
 */
import type { Terminal } from '@/components/terminal/Terminal';

type TerminalComponent = typeof Terminal;

const load = (): Promise<TerminalComponent> =>
  Promise.all([import('@/components/terminal/Terminal'), import('@xterm/xterm'), import('@xterm/addon-fit')]).then(([m]) => m.Terminal);

let chunks: Promise<TerminalComponent> | null = typeof window === 'undefined' ? null : load();

/** The terminal component, once its chunks (and xterm's) are in. */
export function loadTerminal(): Promise<TerminalComponent> {
  chunks ??= load();
  return chunks;
}
