'use client';
/**
 * The terminal: xterm.js (screen-reader mode on) in front of TerminalController, which
 * talks to the simulation. xterm is imported inside the effect: it touches `window`.
 */
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';
import type { Terminal as XTerm } from '@xterm/xterm';
import { TerminalController, type ControllerHooks, type ShellBackend } from './controller';

// Start fetching xterm as soon as this module runs in the browser, not after hydration.
const xtermModules =
  typeof window === 'undefined' ? null : Promise.all([import('@xterm/xterm'), import('@xterm/addon-fit')]);

/** A calm dark terminal in both site themes (what people expect of a terminal). */
export const TERMINAL_THEME = {
  background: '#0f141b',
  foreground: '#d5dce5',
  cursor: '#8ab4ff',
  cursorAccent: '#0f141b',
  selectionBackground: '#2a3a55',
  black: '#1c232d',
  red: '#f2777a',
  green: '#7bd88f',
  yellow: '#e5c07b',
  blue: '#7aa7ff',
  magenta: '#c397f5',
  cyan: '#66d4d4',
  white: '#d5dce5',
  brightBlack: '#6b7685',
  brightRed: '#ff8f8f',
  brightGreen: '#95e6a6',
  brightYellow: '#f0d08f',
  brightBlue: '#9cc0ff',
  brightMagenta: '#d4b0ff',
  brightCyan: '#8ee6e6',
  brightWhite: '#f4f7fa',
};

/** Read-only access to the screen for end-to-end tests (and nothing else). */
export interface TerminalProbe {
  /** Every logical line of the buffer (scrollback included, wrapped rows joined), right-trimmed. */
  lines(): string[];
  text(): string;
  ready: boolean;
}

declare global {
  interface Window {
    __netlabTerminal?: TerminalProbe;
  }
}

export interface TerminalProps {
  backend: ShellBackend;
  hooks: ControllerHooks;
  initial: { history: string[]; transcript: string };
  /** The shell behind the terminal is ready (the cluster is built): show the prompt. */
  active: boolean;
  /** The terminal is on screen and takes keystrokes (they run once it is active). */
  onOpen?(): void;
  /** The controller, once created (before it is active). */
  onReady?(controller: TerminalController): void;
  autoFocus?: boolean;
  label?: string;
}

export function Terminal({ backend, hooks, initial, active, onOpen, onReady, autoFocus = true, label = 'Terminal' }: TerminalProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<XTerm | null>(null);
  // The props below are read once, when the terminal is created (the parent remounts the
  // terminal with a new key when the lab is reset).
  const initRef = useRef({ backend, hooks, initial, onReady, onOpen, autoFocus });
  const activeRef = useRef(active);
  const startRef = useRef<() => void>(() => {});

  useEffect(() => {
    let disposed = false;
    let cleanup = () => {};
    (async () => {
      const [{ Terminal: XTermCtor }, { FitAddon }] = await (xtermModules ?? Promise.all([import('@xterm/xterm'), import('@xterm/addon-fit')]));
      if (disposed || !hostRef.current) return;
      const { backend, hooks, initial, onReady, onOpen, autoFocus } = initRef.current;
      const narrow = window.matchMedia('(max-width: 640px)').matches;
      const term = new XTermCtor({
        screenReaderMode: true,
        cursorBlink: true,
        fontFamily: "ui-monospace, 'SF Mono', SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace",
        fontSize: narrow ? 12 : 13,
        lineHeight: 1.25,
        scrollback: 5000,
        theme: TERMINAL_THEME,
        allowTransparency: false,
        macOptionIsMeta: true,
      });
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.open(hostRef.current);
      const textarea = term.textarea;
      if (textarea) {
        textarea.setAttribute('aria-label', `${label}. Type commands; press Escape then Tab to leave the terminal.`);
      }
      try {
        fit.fit();
      } catch {
        /* not laid out yet; the observer refits */
      }
      termRef.current = term;

      const controller = new TerminalController(
        {
          write: (d) => term.write(d),
          get cols() {
            return term.cols;
          },
          clear: () => term.write('\x1b[H\x1b[2J\x1b[3J'),
        },
        backend,
        hooks,
        initial,
      );

      // Esc then Tab leaves the terminal (Tab alone completes, so it cannot also move focus).
      let escaped = false;
      term.attachCustomKeyEventHandler((ev) => {
        if (ev.type !== 'keydown') return true;
        if (ev.key === 'Escape') {
          escaped = true;
          return true;
        }
        if (ev.key === 'Tab' && escaped) {
          escaped = false;
          return false;
        }
        escaped = false;
        const mod = ev.ctrlKey || ev.metaKey;
        // Copy: Ctrl+Shift+C, Cmd+C, or Ctrl+C while text is selected (as Windows Terminal).
        if (mod && (ev.key === 'c' || ev.key === 'C') && (ev.shiftKey || ev.metaKey || term.hasSelection())) {
          const sel = term.getSelection();
          if (sel) {
            void navigator.clipboard?.writeText(sel).catch(() => {});
            term.clearSelection();
            ev.preventDefault();
            return false;
          }
          if (ev.shiftKey || ev.metaKey) return false;
        }
        // Paste: let the browser fire its paste event, which xterm forwards as input.
        if (mod && (ev.key === 'v' || ev.key === 'V')) return false;
        return true;
      });
      const dataSub = term.onData((d) => controller.handleData(d));

      const ro = new ResizeObserver(() => {
        // A hidden panel (another tab is open) has no size: keep the terminal as it is.
        if (!hostRef.current || hostRef.current.offsetWidth === 0 || hostRef.current.offsetHeight === 0) return;
        try {
          fit.fit();
        } catch {
          /* not laid out */
        }
      });
      const resizeSub = term.onResize(() => controller.resized());
      ro.observe(hostRef.current);

      const probe: TerminalProbe = {
        ready: false,
        lines() {
          // Logical lines: rows xterm wrapped are joined back to the line that was printed.
          const b = term.buffer.active;
          const out: string[] = [];
          for (let i = 0; i < b.length; i++) {
            const row = b.getLine(i);
            if (!row) continue;
            const text = row.translateToString(true);
            if (row.isWrapped && out.length) out[out.length - 1] += text;
            else out.push(text);
          }
          while (out.length && out[out.length - 1] === '') out.pop();
          return out;
        },
        text() {
          return this.lines().join('\n');
        },
      };
      window.__netlabTerminal = probe;

      if (autoFocus) term.focus();
      // Keys are taken from here on; they run once the cluster is ready.
      performance.mark('netlab:terminal-ready');
      let started = false;
      let status = false;
      const startIfActive = () => {
        if (started || !activeRef.current) return;
        started = true;
        if (status) term.write('\r\x1b[2K');
        controller.start();
        probe.ready = true;
        performance.mark('netlab:prompt-ready');
      };
      startRef.current = startIfActive;
      onReady?.(controller);
      if (!activeRef.current) {
        term.write('\x1b[2mStarting the cluster…\x1b[0m');
        status = true;
      }
      onOpen?.();
      startIfActive();

      cleanup = () => {
        ro.disconnect();
        resizeSub.dispose();
        dataSub.dispose();
        controller.dispose();
        term.dispose();
        termRef.current = null;
        if (window.__netlabTerminal) window.__netlabTerminal = undefined;
      };
    })();
    return () => {
      disposed = true;
      cleanup();
    };
  }, [label]);

  useEffect(() => {
    activeRef.current = active;
    if (active) startRef.current();
  }, [active]);

  return <div ref={hostRef} className="term-host h-full w-full min-h-0 bg-[#0f141b]" onClick={() => termRef.current?.focus()} role="presentation" />;
}
