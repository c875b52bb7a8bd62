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

/**
 * A phone's screen fits ~48 columns: a table row or a ping line would wrap in the middle of
 * an IP address. Below this many columns the terminal keeps this width and its panel
 * scrolls sideways, following the cursor.
 */
export const MIN_COLUMNS = 80;

/** Read-only access to the screen for end-to-end tests (and nothing else). */
export interface TerminalProbe {
  /** Every logical line of the buffer (scrollback included, wrapped rows joined), right-trimmed. */
  lines(): string[];
  text(): string;
  ready: boolean;
}

/** The probe of each terminal, with the screen's geometry. */
export interface TerminalScreenProbe extends TerminalProbe {
  /** The buffer's rows as drawn (a wrapped line is several rows), right-trimmed. */
  rows(): string[];
  cols(): number;
}

/** The width of one cell of the terminal's font, measured the way the browser lays it out. */
function cellWidth(fontFamily: string, fontSize: number): number {
  const span = document.createElement('span');
  span.style.cssText = `position:absolute;visibility:hidden;white-space:pre;font-family:${fontFamily};font-size:${fontSize}px`;
  span.textContent = 'W'.repeat(40);
  document.body.appendChild(span);
  const w = span.getBoundingClientRect().width / 40;
  span.remove();
  return w || fontSize * 0.6;
}

declare global {
  interface Window {
    /** The first terminal's probe. */
    __netlabTerminal?: TerminalProbe;
    /** Every terminal's probe, by shell session. */
    __netlabTerminals?: Record<number, TerminalScreenProbe>;
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
  /** The shell session this terminal shows (0: the first terminal). */
  session?: number;
}

export function Terminal({ backend, hooks, initial, active, onOpen, onReady, autoFocus = true, label = 'Terminal', session = 0 }: TerminalProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<XTerm | null>(null);
  // The props below are read once, when the terminal is created (the parent remounts the
  // terminal with a new key when the lab is reset).
  const initRef = useRef({ backend, hooks, initial, onReady, onOpen, autoFocus, session });
  const activeRef = useRef(active);
  const startRef = useRef<() => void>(() => {});

  useEffect(() => {
    let disposed = false;
    let cleanup = () => {};
    (async () => {
      const [{ Terminal: XTermCtor }, { FitAddon }] = await (xtermModules ?? Promise.all([import('@xterm/xterm'), import('@xterm/addon-fit')]));
      if (disposed || !hostRef.current) return;
      const { backend, hooks, initial, onReady, onOpen, autoFocus, session } = initRef.current;
      const narrow = window.matchMedia('(max-width: 640px)').matches;
      const fontFamily = "ui-monospace, 'SF Mono', SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace";
      const fontSize = narrow ? 12 : 13;
      const term = new XTermCtor({
        screenReaderMode: true,
        cursorBlink: true,
        fontFamily,
        fontSize,
        lineHeight: 1.25,
        scrollback: 5000,
        theme: TERMINAL_THEME,
        allowTransparency: false,
        macOptionIsMeta: true,
      });
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.open(hostRef.current);
      const host = hostRef.current;
      const scroller = host.parentElement;
      const cw = cellWidth(fontFamily, fontSize);
      // Too narrow for MIN_COLUMNS: the terminal keeps that width, its panel scrolls sideways.
      const widen = () => {
        host.style.width = '';
        const avail = host.clientWidth;
        if (!avail || avail >= MIN_COLUMNS * cw + 40) return;
        // padding (16 px) and xterm's scrollbar, then a cell more until fit agrees
        for (let extra = 0; extra < 4; extra++) {
          host.style.width = `${Math.ceil((MIN_COLUMNS + extra) * cw + 30)}px`;
          const d = fit.proposeDimensions();
          if (!d || d.cols >= MIN_COLUMNS) break;
        }
      };
      widen();
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
        if (!hostRef.current || !scroller || scroller.offsetWidth === 0 || scroller.offsetHeight === 0) return;
        try {
          widen();
          fit.fit();
        } catch {
          /* not laid out */
        }
      });
      const resizeSub = term.onResize(() => controller.resized());
      ro.observe(scroller ?? hostRef.current);
      // A terminal wider than its panel: the panel follows the cursor sideways as it moves.
      const cursorSub = term.onCursorMove(() => {
        if (!scroller || scroller.scrollWidth <= scroller.clientWidth + 1) return;
        const x = 12 + term.buffer.active.cursorX * cw;
        const margin = 3 * cw;
        if (x + margin > scroller.scrollLeft + scroller.clientWidth) scroller.scrollLeft = x + margin - scroller.clientWidth;
        else if (x - margin < scroller.scrollLeft) scroller.scrollLeft = Math.max(0, x - margin);
      });

      const probe: TerminalScreenProbe = {
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
        rows() {
          const b = term.buffer.active;
          const out: string[] = [];
          for (let i = 0; i < b.length; i++) out.push(b.getLine(i)?.translateToString(true) ?? '');
          return out;
        },
        text() {
          return this.lines().join('\n');
        },
        cols: () => term.cols,
      };
      if (session === 0) window.__netlabTerminal = probe;
      window.__netlabTerminals = { ...window.__netlabTerminals, [session]: probe };

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
        cursorSub.dispose();
        dataSub.dispose();
        controller.dispose();
        term.dispose();
        termRef.current = null;
        if (window.__netlabTerminal === probe) window.__netlabTerminal = undefined;
        if (window.__netlabTerminals?.[session] === probe) delete window.__netlabTerminals[session];
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

  return (
    <div
      ref={hostRef}
      className="term-host h-full w-full min-h-0 bg-[#0f141b]"
      onClick={() => termRef.current?.focus()}
      role="presentation"
      data-terminal-session={session}
    />
  );
}
