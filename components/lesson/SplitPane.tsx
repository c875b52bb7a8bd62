'use client';
/**
 * Two panes side by side on a desktop (≥ 1024 px) with a draggable, keyboard-operable
 * separator (arrows move it, Home/End jump); stacked on smaller screens.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';

const MIN = 28;
const MAX = 68;

export function SplitPane({ left, right, storageKey, initial = 42 }: { left: ReactNode; right: ReactNode; storageKey: string; initial?: number }) {
  const [pct, setPct] = useState(initial);
  const rootRef = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);

  useEffect(() => {
    try {
      const v = Number(localStorage.getItem(storageKey));
      if (v >= MIN && v <= MAX) {
        const t = setTimeout(() => setPct(v), 0);
        return () => clearTimeout(t);
      }
    } catch {
      /* no storage: default split */
    }
  }, [storageKey]);

  const commit = (v: number) => {
    const c = Math.min(MAX, Math.max(MIN, Math.round(v * 10) / 10));
    setPct(c);
    try {
      localStorage.setItem(storageKey, String(c));
    } catch {
      /* ignore */
    }
  };

  const onPointerMove = (e: React.PointerEvent) => {
    if (!dragging.current || !rootRef.current) return;
    const r = rootRef.current.getBoundingClientRect();
    commit(((e.clientX - r.left) / r.width) * 100);
  };

  return (
    <main
      ref={rootRef}
      className="lg:flex lg:h-[calc(100dvh-3.5rem)] lg:overflow-hidden"
      style={{ ['--split' as string]: `${pct}%` }}
      onPointerMove={onPointerMove}
      onPointerUp={() => (dragging.current = false)}
    >
      <div id="main" className="relative min-w-0 lg:h-full lg:w-[var(--split)] lg:shrink-0 lg:overflow-y-auto" tabIndex={-1}>
        {left}
      </div>
      <div
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize the lesson and the lab"
        aria-valuemin={MIN}
        aria-valuemax={MAX}
        aria-valuenow={Math.round(pct)}
        tabIndex={0}
        className="group relative hidden w-1.5 shrink-0 cursor-col-resize bg-line/60 hover:bg-accent/50 focus-visible:bg-accent lg:block"
        onPointerDown={(e) => {
          dragging.current = true;
          (e.target as HTMLElement).setPointerCapture(e.pointerId);
        }}
        onPointerUp={(e) => {
          dragging.current = false;
          (e.target as HTMLElement).releasePointerCapture(e.pointerId);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowLeft') commit(pct - 2);
          else if (e.key === 'ArrowRight') commit(pct + 2);
          else if (e.key === 'Home') commit(MIN);
          else if (e.key === 'End') commit(MAX);
          else return;
          e.preventDefault();
        }}
      >
        <span className="absolute left-1/2 top-1/2 h-8 w-0.5 -translate-x-1/2 -translate-y-1/2 rounded bg-faint/60" aria-hidden="true" />
      </div>
      <div className="min-w-0 border-t border-line lg:h-full lg:flex-1 lg:border-t-0">{right}</div>
    </main>
  );
}
